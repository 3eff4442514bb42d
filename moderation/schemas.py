"""JSON bodies of the moderation API. A moderator action is one model per action, tagged by
`action`, so the OpenAPI document says exactly which fields each one needs."""

from __future__ import annotations

from typing import Annotated, Literal, Union

from pydantic import Field, RootModel

from network.core.schemas import Body

QueueKind = Literal["report", "held", "text", "alert", "appeal"]
REASON = Field(default=None, max_length=2000,
               description="Why: required (refused with reason_required when empty), and told to the member.")


class ReportIn(Body):
    target: str = Field(pattern="^(message|member|text)$")
    id: int
    reason: str = Field(max_length=20)
    note: str = Field(default="", max_length=2000)


class ClaimIn(Body):
    kind: QueueKind
    id: int


class _Action(Body):
    reason: str | None = REASON


class HideAction(_Action):
    action: Literal["hide"]
    message_id: int


class ApproveAction(_Action):
    action: Literal["approve"]
    message_id: int
    reason: str | None = Field(default=None, max_length=2000, description="Optional when approving.")


class RejectAction(_Action):
    action: Literal["reject"]
    message_id: int


class WarnAction(_Action):
    action: Literal["warn"]
    member_id: int


class MuteAction(_Action):
    action: Literal["mute"]
    member_id: int
    minutes: int | None = Field(default=None, description="From 1 minute to a year; none: until lifted.")
    room_id: int | None = Field(default=None, description="One room; none: every room.")


class RemoveAction(_Action):
    action: Literal["remove"]
    member_id: int
    room_id: int


class SuspendAction(_Action):
    action: Literal["suspend"]
    member_id: int
    minutes: int | None = Field(default=None, description="From 1 minute to a year; none: until lifted.")


class LiftAction(_Action):
    action: Literal["lift"]
    sanction_id: int


class DismissAction(_Action):
    action: Literal["dismiss"]
    report_id: int


class HandleAlertAction(_Action):
    action: Literal["handle_alert"]
    alert_id: int


class EscalateAction(_Action):
    action: Literal["escalate"]
    kind: QueueKind
    item_id: int


class AppealDecision(_Action):
    action: Literal["uphold", "overturn"]
    appeal_id: int


class ActionIn(RootModel):
    root: Annotated[Union[HideAction, ApproveAction, RejectAction, WarnAction, MuteAction, RemoveAction,
                          SuspendAction, LiftAction, DismissAction, HandleAlertAction, EscalateAction,
                          AppealDecision], Field(discriminator="action")]


class AppealIn(Body):
    sanction_id: int
    text: str = Field(min_length=1, max_length=4000)


class WordIn(Body):
    locale: str = Field(max_length=8)
    word: str = Field(min_length=1, max_length=200)
    action: str = Field(pattern="^(block|hold|flag)$")


class NoteIn(Body):
    member_id: int
    text: str = Field(min_length=1, max_length=4000)
