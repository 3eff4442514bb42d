"""JSON bodies of the rooms API, with the service's own limits."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from messaging.models import AGE_GROUPS, BODY_MAX, KINDS, RETENTION, WARNING_MAX
from network.core.bounds import Id, integer
from network.core.schemas import Body, Line, Locale, Text, example


class RoomIn(Body):
    model_config = example(name="Peer support", description="Checked by a moderator first.", kind="premod", retention="30d")

    name: Line(2, 80, examples=["Peer support"])
    description: Text(0, 500) = ""
    language: Locale = "en"
    region: str | None = Field(default=None, pattern="^[A-Za-z]{2}$")
    kind: Literal[KINDS] = "open"  # type: ignore[valid-type]
    retention: Literal[tuple(RETENTION)] = "keep"  # type: ignore[valid-type]
    slow_mode_seconds: integer(0, 3600) = 0
    age_group: Literal[AGE_GROUPS] = "adults"  # type: ignore[valid-type]
    support_member_id: Id | None = Field(default=None, description="For a support room: the member it is for.")


class MessageIn(Body):
    model_config = example(body="Hello, everyone.", client_id="k3j2h1")

    body: Text(1, BODY_MAX, examples=["Hello, everyone."])
    content_warning: Text(0, WARNING_MAX) | None = None
    reply_to: Id | None = None
    client_id: str | None = Field(default=None, max_length=64,
                                  description="The sender's own id for this message: sent twice, stored once.")


class MessagePatch(Body):
    model_config = example(body="Hello again, everyone.")

    body: Text(1, BODY_MAX)
    content_warning: Text(0, WARNING_MAX) | None = None


class InviteIn(Body):
    model_config = example(member_id=12)

    member_id: Id
