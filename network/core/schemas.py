"""The base of every JSON body the API accepts: unknown fields refused, strings bounded."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid", str_max_length=4000)
