"""Moderator actions, each with a reason, logged, told to the member and taken live. No HTTP."""

from __future__ import annotations

from datetime import timedelta

from messaging import events
from messaging import service as rooms
from messaging.models import Membership, Message
from moderation.labels import TIME_IS_UP
from moderation.models import SANCTIONS, Appeal, Claim, Report, Sanction
from moderation.records import STAFF, done, log, notify, now, reason_given
from network.core.i18n import lazy as _l
from network.core.refusal import Refused
from network.core.runtime import Runtime
from network.members import live, sessions
from network.members.models import Member
from network.safety.models import SafetyAlert

MAX_MINUTES = 60 * 24 * 365
# Nobody moderates what is about themselves: their own messages, sanctions, appeals, reports about
# them or their safety alerts. Another moderator does (a muted moderator lifting their own mute, or
# deciding their own appeal, is the hole this closes).
ABOUT_SELF = _l("You cannot take a moderation action about yourself. Another moderator must do it.")


def _not_about(moderator: Member | None, member_id: int | None) -> None:
    if moderator is not None and member_id is not None and member_id == moderator.id:
        raise Refused("about_self", ABOUT_SELF, kind="forbidden")


# Live effects ----------------------------------------------------------------------------------

async def _tell_sockets(rt: Runtime, member_id: int, code: str, message: str, close: bool,
                        room_id: int | None = None) -> None:
    """The member's open sockets hear it at once: an error they see, and for some a closed socket."""
    if close:
        await live.revoke(rt, member_id, room_id=room_id, code=code, reason=message, close=live.CLOSE_POLICY)
    else:
        await live.notice(rt, member_id, code, message, room_id=room_id)


# Actions ---------------------------------------------------------------------------------------

async def _close_reports(message_id: int | None = None, member_id: int | None = None, outcome: str = "action_taken"):
    query = Report.filter(status="open")
    query = query.filter(message_id=message_id) if message_id else query.filter(member_id=member_id)
    for r in await query:
        r.status, r.outcome, r.resolved_at = "resolved", outcome, now()
        await r.save(update_fields=["status", "outcome", "resolved_at"])
        await notify(r.reporter_id, "report_" + outcome, "")
        await done("report", r.id)


def _exists(moderator: Member):
    def check(message: Message | None) -> None:
        if message is None:
            raise Refused("not_found", _l("That message was not found."), kind="not_found")
        _not_about(moderator, message.author_id)
    return check


def _waiting(moderator: Member):
    def check(message: Message | None) -> None:
        if message is None or message.status != "held":
            raise Refused("not_found", _l("That message is not waiting for review."), kind="not_found")
        _not_about(moderator, message.author_id)
    return check


async def hide(rt: Runtime, moderator: Member, message_id: int, reason: str) -> Message:
    reason = reason_given(reason)
    message = await events.change(rt, message_id, _exists(moderator), status="hidden")
    await notify(message.author_id, "hidden", reason)
    await log(moderator, "hide", f"message {message.id}", reason, subject=message.author_id)
    await _close_reports(message_id=message.id)
    return message


async def decide_held(rt: Runtime, moderator: Member, message_id: int, approve: bool, reason: str) -> Message:
    """Approved, a held message is shown to everyone in the room (its event now, in today's order)."""
    if approve:
        message = await events.change(rt, message_id, _waiting(moderator), status="visible", held_reason="")
        await log(moderator, "approve", f"message {message.id}", (reason or "").strip(), subject=message.author_id)
    else:
        reason = reason_given(reason)
        message = await events.change(rt, message_id, _waiting(moderator), status="hidden")
        await notify(message.author_id, "rejected", reason)
        await log(moderator, "reject", f"message {message.id}", reason, subject=message.author_id)
    await done("held", message.id)
    return message


async def sanction(rt: Runtime, moderator: Member, member_id: int, kind: str, reason: str,
                   minutes: int | None = None, room_id: int | None = None) -> Sanction:
    reason = reason_given(reason)
    member = await Member.get_or_none(id=member_id)
    if member is None or member.role == "decoy":
        raise Refused("not_found", _l("That member was not found."), kind="not_found")
    _not_about(moderator, member.id)
    if member.role in STAFF and moderator.role != "admin":
        raise Refused("not_allowed", _l("You cannot take this action on this account."), kind="forbidden")
    if kind not in SANCTIONS:
        raise Refused("invalid_action", _l("Choose an action from the list."), field="action")
    if minutes is not None and not 1 <= minutes <= MAX_MINUTES:
        raise Refused("invalid_minutes", _l("A duration is from 1 minute to a year."), field="minutes")
    if kind == "remove" and room_id is None:
        raise Refused("room_required", _l("Choose the room."), field="room_id")
    if room_id is not None:
        await rooms.get_room(room_id)
    until = now() + timedelta(minutes=minutes) if minutes and kind in ("mute", "suspend") else None
    row = await Sanction.create(member=member, kind=kind, room_id=room_id if kind in ("mute", "remove") else None,
                                until=until, reason=reason, by=moderator)
    await notify(member.id, kind, reason, row)
    await log(moderator, kind, f"member {member.id}" + (f" in room {room_id}" if room_id else "")
              + (f" for {minutes} min" if until else ""), reason, subject=member.id)
    message = {"warn": _l("A moderator has sent you a warning. See your notices."),
               "mute": _l("A moderator has muted you for now. You can read but not send."),
               "remove": _l("A moderator has removed you from this room."),
               "suspend": _l("Your account is suspended.")}[kind]
    if kind == "remove":
        await Membership.filter(member=member, room_id=room_id).delete()
        await _tell_sockets(rt, member.id, "removed", message, close=True, room_id=room_id)
    elif kind == "suspend":
        member.status = "suspended"
        await member.save(update_fields=["status"])
        await sessions.end_all(rt, member, code="suspended", reason=message, close=live.CLOSE_POLICY)
    else:
        await _tell_sockets(rt, member.id, kind, message, close=False, room_id=room_id if kind == "mute" else None)
    await _close_reports(member_id=member.id)
    return row


async def lift(rt: Runtime, moderator: Member | None, sanction_id: int, reason: str) -> Sanction:
    reason = reason_given(reason) if moderator else reason
    row = await Sanction.get_or_none(id=sanction_id, lifted_at=None)
    if row is None:
        raise Refused("not_found", _l("That action was not found, or was already lifted."), kind="not_found")
    _not_about(moderator, row.member_id)  # the time running out (no moderator) lifts anyone's
    row.lifted_at = now()
    await row.save(update_fields=["lifted_at"])
    if row.kind == "suspend":
        await Member.filter(id=row.member_id, status="suspended").update(status="active")
    await notify(row.member_id, "lifted", reason, row)
    await log(moderator, "lift", f"{row.kind} {row.id} of member {row.member_id}", reason, subject=row.member_id)
    return row


async def lift_expired() -> int:
    """Timed mutes and suspensions lift themselves (a job every minute, and checked on use)."""
    count = 0
    for row in await Sanction.filter(lifted_at=None, until__lt=now()):
        # Stored as this fixed text (as before), shown translated (moderation.labels).
        await lift(None, None, row.id, TIME_IS_UP)  # type: ignore[arg-type]
        count += 1
    return count


async def resolve_report(moderator: Member, report_id: int, reason: str) -> None:
    reason = reason_given(reason)
    row = await Report.get_or_none(id=report_id, status="open")
    if row is None:
        raise Refused("not_found", _l("That report was not found."), kind="not_found")
    _not_about(moderator, row.member_id)
    row.status, row.outcome, row.resolved_at = "resolved", "no_action", now()
    await row.save(update_fields=["status", "outcome", "resolved_at"])
    await notify(row.reporter_id, "report_no_action", "")
    await log(moderator, "dismiss_report", f"report {row.id}", reason)
    await done("report", row.id)


async def handle_alert(moderator: Member, alert_id: int, reason: str) -> None:
    reason = reason_given(reason)
    alert = await SafetyAlert.get_or_none(id=alert_id, status="open")
    if alert is not None:
        _not_about(moderator, alert.member_id)  # a duress alert closed from the phone it came from
    if alert is None or not await SafetyAlert.filter(id=alert_id, status="open").update(status="handled"):
        raise Refused("not_found", _l("That alert was not found."), kind="not_found")
    await log(moderator, "handle_alert", f"safety alert {alert_id}", reason, subject=alert.member_id)
    await done("alert", alert_id)


async def _subject(kind: str, item_id: int) -> int | None:
    """Whom a queue item is about (a consultation text is about nobody known)."""
    model, column = {"report": (Report, "member_id"), "held": (Message, "author_id"),
                     "alert": (SafetyAlert, "member_id"), "appeal": (Appeal, "sanction__member_id")}.get(kind, (None, None))
    if model is None:
        return None
    found = await model.filter(id=item_id).limit(1).values_list(column, flat=True)
    return found[0] if found else None


async def escalate(moderator: Member, kind: str, item_id: int, reason: str) -> None:
    reason = reason_given(reason)
    # Escalated, an item leaves the other moderators' queue: not a way to bury one about oneself.
    _not_about(moderator, await _subject(kind, item_id))
    claim_row, _ = await Claim.get_or_create(kind=kind, item_id=item_id, defaults={"moderator": moderator})
    claim_row.escalated = True
    await claim_row.save(update_fields=["escalated"])
    await log(moderator, "escalate", f"{kind} {item_id}", reason)


async def decide_appeal(rt: Runtime, moderator: Member, appeal_id: int, overturn: bool, reason: str) -> Appeal:
    reason = reason_given(reason)
    row = await Appeal.get_or_none(id=appeal_id, status="open").prefetch_related("sanction")
    if row is None:
        raise Refused("not_found", _l("That appeal was not found."), kind="not_found")
    _not_about(moderator, row.sanction.member_id)
    if row.sanction.by_id == moderator.id:
        raise Refused("same_moderator", _l("A different moderator must decide this appeal."), kind="forbidden")
    row.status, row.decided_by, row.decision_reason, row.decided_at = \
        ("overturned" if overturn else "upheld"), moderator, reason, now()
    await row.save()
    if overturn and row.sanction.lifted_at is None:
        await lift(rt, moderator, row.sanction_id, reason)
    await notify(row.sanction.member_id, "appeal_" + row.status, reason, row.sanction)
    await log(moderator, "appeal_" + row.status, f"appeal {row.id}", reason, subject=row.sanction.member_id)
    await done("appeal", row.id)
    return row


ACTIONS = ("hide", "approve", "reject", "warn", "mute", "remove", "suspend", "lift", "dismiss", "handle_alert",
           "escalate", "uphold", "overturn")


async def act(rt: Runtime, moderator: Member, action: str, reason: str | None, *, message_id: int | None = None,
              member_id: int | None = None, room_id: int | None = None, minutes: int | None = None,
              report_id: int | None = None, sanction_id: int | None = None, alert_id: int | None = None,
              appeal_id: int | None = None, kind: str | None = None, item_id: int | None = None) -> None:
    """One entry point for every moderator action; each needs its target and a reason."""
    missing = Refused("target_required", _l("Choose what this action is about."), field="target")

    def need(value):
        if value is None:
            raise missing
        return value

    if action == "hide":
        await hide(rt, moderator, need(message_id), reason)
    elif action in ("approve", "reject"):
        await decide_held(rt, moderator, need(message_id), action == "approve", reason)
    elif action in SANCTIONS:
        await sanction(rt, moderator, need(member_id), action, reason, minutes, room_id)
    elif action == "lift":
        await lift(rt, moderator, need(sanction_id), reason)
    elif action == "dismiss":
        await resolve_report(moderator, need(report_id), reason)
    elif action == "handle_alert":
        await handle_alert(moderator, need(alert_id), reason)
    elif action == "escalate":
        await escalate(moderator, need(kind), need(item_id), reason)
    elif action in ("uphold", "overturn"):
        await decide_appeal(rt, moderator, need(appeal_id), action == "overturn", reason)
    else:
        raise Refused("invalid_action", _l("Choose an action from the list."), field="action")
