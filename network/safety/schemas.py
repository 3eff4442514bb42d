"""JSON bodies of the safety API."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from network.core.schemas import Body, example
from network.members.models import DURESS_ACTIONS
from network.members.schemas import Typed


class DuressBody(Body):
    """`current_passphrase` is asked first: nothing is said about `passphrase` until it is right."""

    model_config = example(current_passphrase="river stones at dawn", passphrase="the other long passphrase",
                           action="hide")

    current_passphrase: str = Typed
    passphrase: str = Field(min_length=12, max_length=128)
    action: Literal[DURESS_ACTIONS]  # type: ignore[valid-type]
