"""JSON bodies of the rooms API."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class RoomIn(Body):
    name: str = Field(min_length=1, max_length=200)
    description: str = Field(default="", max_length=2000)
    language: str = Field(default="en", max_length=8)
    region: str | None = Field(default=None, max_length=8)
    kind: Literal["open", "invite", "premod", "support"] = "open"
    retention: Literal["keep", "30d", "7d", "24h"] = "keep"
    slow_mode_seconds: int = Field(default=0, ge=0, le=3600)
    age_group: Literal["adults", "minors", "all"] = "adults"
    support_member_id: int | None = None


class MessageIn(Body):
    body: str = Field(min_length=1, max_length=10000)
    content_warning: str | None = Field(default=None, max_length=1000)
    reply_to: int | None = None
    client_id: str | None = Field(default=None, max_length=64)


class MessagePatch(Body):
    body: str = Field(min_length=1, max_length=10000)
    content_warning: str | None = Field(default=None, max_length=1000)


class InviteIn(Body):
    member_id: int
