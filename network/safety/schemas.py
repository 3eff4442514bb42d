"""JSON bodies of the safety API."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from network.core.schemas import Body


class DuressBody(Body):
    passphrase: str = Field(min_length=1, max_length=1024)
    action: Literal["none", "hide", "erase", "alert"]
