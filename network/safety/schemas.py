"""JSON bodies of the safety API."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from network.core.schemas import Body, example
from network.members.models import DURESS_ACTIONS


class DuressBody(Body):
    model_config = example(passphrase="the other long passphrase", action="hide")

    passphrase: str = Field(min_length=12, max_length=128)
    action: Literal[DURESS_ACTIONS]  # type: ignore[valid-type]
