"""JSON bodies of the moderation API. A moderator action is one model per action, tagged by
`action`, so the OpenAPI document says exactly which fields each one needs."""

from __future__ import annotations

from typing import Annotated, Literal, Union

from pydantic import Field, RootModel

from moderation.models import REASONS, WORD_ACTIONS
from network.core.bounds import Id, integer
from network.core.schemas import Body, Locale, Text, example

QueueKind = Literal["report", "held", "text", "alert", "appeal"]
REASON = Field(default=None, max_length=1000,
               description="Why: required (refused with reason_required when empty), and told to the member.")
Minutes = integer(1, 60 * 24 * 365, description="From 1 minute to a year; none: until lifted.")


class ReportIn(Body):
    model_config = example(target="message", id=42, reason="identity", note="It names a village.")

    target: Literal["message", "member", "text"]
    id: Id
    reason: Literal[REASONS]  # type: ignore[valid-type]
    note: Text(0, 1000) = ""


class ClaimIn(Body):
    model_config = example(kind="report", id=7)

    kind: QueueKind
    id: Id


class _Action(Body):
    reason: str | None = REASON


class HideAction(_Action):
    model_config = example(action="hide", message_id=42, reason="It named someone.")

    action: Literal["hide"]
    message_id: Id


class ApproveAction(_Action):
    model_config = example(action="approve", message_id=42)

    action: Literal["approve"]
    message_id: Id
    reason: str | None = Field(default=None, max_length=1000, description="Optional when approving.")


class RejectAction(_Action):
    model_config = example(action="reject", message_id=42, reason="It gave an address.")

    action: Literal["reject"]
    message_id: Id


class WarnAction(_Action):
    model_config = example(action="warn", member_id=12, reason="Please keep to the topic.")

    action: Literal["warn"]
    member_id: Id


class MuteAction(_Action):
    model_config = example(action="mute", member_id=12, minutes=60, reason="Please take a break.")

    action: Literal["mute"]
    member_id: Id
    minutes: Minutes | None = None
    room_id: Id | None = Field(default=None, description="One room; none: every room.")


class RemoveAction(_Action):
    model_config = example(action="remove", member_id=12, room_id=3, reason="Repeatedly off topic.")

    action: Literal["remove"]
    member_id: Id
    room_id: Id


class SuspendAction(_Action):
    model_config = example(action="suspend", member_id=12, reason="Threats against others.")

    action: Literal["suspend"]
    member_id: Id
    minutes: Minutes | None = None


class LiftAction(_Action):
    model_config = example(action="lift", sanction_id=5, reason="Resolved.")

    action: Literal["lift"]
    sanction_id: Id


class DismissAction(_Action):
    model_config = example(action="dismiss", report_id=7, reason="Nothing wrong here.")

    action: Literal["dismiss"]
    report_id: Id


class HandleAlertAction(_Action):
    model_config = example(action="handle_alert", alert_id=2, reason="Checked in with the member.")

    action: Literal["handle_alert"]
    alert_id: Id


class EscalateAction(_Action):
    model_config = example(action="escalate", kind="report", item_id=7, reason="Needs an administrator.")

    action: Literal["escalate"]
    kind: QueueKind
    item_id: Id


class AppealDecision(_Action):
    model_config = example(action="overturn", appeal_id=3, reason="The message was quoted, not written.")

    action: Literal["uphold", "overturn"]
    appeal_id: Id


class ActionIn(RootModel):
    root: Annotated[Union[HideAction, ApproveAction, RejectAction, WarnAction, MuteAction, RemoveAction,
                          SuspendAction, LiftAction, DismissAction, HandleAlertAction, EscalateAction,
                          AppealDecision], Field(discriminator="action")]


class AppealIn(Body):
    model_config = example(sanction_id=5, text="I was quoting someone else.")

    sanction_id: Id
    text: Text(1, 2000)


class WordIn(Body):
    model_config = example(locale="en", word="traitor", action="hold")

    locale: Locale
    word: Text(1, 100)
    action: Literal[WORD_ACTIONS]  # type: ignore[valid-type]


class NoteIn(Body):
    model_config = example(member_id=12, text="Lives near the camp; careful with place names.")

    member_id: Id
    text: Text(1, 2000)
