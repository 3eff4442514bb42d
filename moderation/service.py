"""Moderation: reports, one queue, actions with reasons that take effect live, appeals. No HTTP.

Every action is written to the append-only log and, where it concerns a member, told to them in
a notice with its reason. A reported member is never told who reported them.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta, timezone

from tortoise.exceptions import IntegrityError

from messaging import service as rooms
from messaging.models import Membership, Message, Room
from moderation import filters
from moderation.models import (PRIORITY, REASONS, SANCTIONS, WORD_ACTIONS, Appeal, Claim, LogEntry, Note, Notice, Report,
                               Sanction, WatchedWord)
from network import sessions
from network.domain import Refused
from network.i18n import lazy as _l
from network.models import Member, SafetyAlert
from network.runtime import Runtime
from network.settings import LOCALES

STAFF = ("moderator", "admin")
MAX_MINUTES = 60 * 24 * 365
NEEDS_REASON = _l("Every action needs a reason.")

# Other packages' review items (consultation texts) as queue sources, wired by network/app.py:
# each returns a list of item dicts {"kind", "id", "priority", "created_at", ...}.
queue_sources: list[Callable[[], Awaitable[list[dict]]]] = []


def now() -> datetime:
    return datetime.now(timezone.utc)


async def log(actor: Member | None, action: str, target: str, reason: str = "") -> None:
    await LogEntry.create(actor=actor, actor_name=actor.pseudonym if actor else "system", action=action,
                          target=target[:200], reason=reason)


def _reason(reason: str | None) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise Refused("reason_required", NEEDS_REASON, field="reason")
    if len(reason) > 1000:
        raise Refused("too_long", _l("A reason can have at most %(max)s characters."), field="reason", max=1000)
    return reason


# Reports -------------------------------------------------------------------------------------

async def report(reporter: Member, target: str, target_id: int, reason: str, note: str = "") -> Report:
    if reason not in REASONS:
        raise Refused("invalid_reason", _l("Choose a reason from the list."), field="reason")
    note = (note or "").strip()[:1000]
    if reason == "other" and not note:
        raise Refused("note_required", _l("Please say a few words about what is wrong."), field="note")
    fields: dict = {}
    if target == "message":
        message = await Message.get_or_none(id=target_id)
        if message is None or not await rooms.can_enter(await Room.get(id=message.room_id), reporter):
            raise Refused("not_found", _l("That message was not found."), kind="not_found")
        fields = {"message": message, "member_id": message.author_id}
    elif target == "member":
        member = await Member.get_or_none(id=target_id, status__in=["active", "hidden"])
        if member is None or member.id == reporter.id:
            raise Refused("not_found", _l("That member was not found."), kind="not_found")
        fields = {"member": member}
    elif target == "text":
        fields = {"text_id": target_id}
    else:
        raise Refused("invalid_target", _l("Choose what you are reporting."), field="target")
    return await Report.create(reporter=reporter, target=target, reason=reason, note=note,
                               priority=PRIORITY[reason], **fields)


async def flag(member: Member, room: Room, body: str) -> None:
    """A watched word set to flag: the message goes out, and the queue gets a report from the system."""
    message = await Message.filter(room=room, author=member).order_by("-id").first()
    await Report.create(reporter=None, target="message", message=message, member=member, reason="other",
                        note="flagged by a watched word", priority=PRIORITY["other"])


# The queue -----------------------------------------------------------------------------------

def _item(kind: str, item_id: int, priority: int, created_at: datetime, **extra) -> dict:
    return {"kind": kind, "id": item_id, "priority": priority, "created_at": created_at, **extra}


async def queue(moderator: Member, kind: str | None = None, limit: int = 50) -> list[dict]:
    """Reports, held messages, texts to review, safety alerts and appeals, most urgent first."""
    items: list[dict] = []
    if kind in (None, "report"):
        for r in await Report.filter(status="open").order_by("priority", "id").limit(200):
            items.append(_item("report", r.id, r.priority, r.created_at, reason=r.reason, note=r.note,
                               target=r.target, message_id=r.message_id, member_id=r.member_id, text_id=r.text_id))
    if kind in (None, "held"):
        for m in await Message.filter(status="held").order_by("id").limit(200):
            items.append(_item("held", m.id, 1, m.created_at, message_id=m.id, member_id=m.author_id,
                               held_reason=m.held_reason))
    if kind in (None, "alert"):
        for a in await SafetyAlert.filter(status="open").order_by("id").limit(200):
            items.append(_item("alert", a.id, 0, a.created_at, member_id=a.member_id, note=a.note))
    if kind in (None, "appeal"):
        for ap in await Appeal.filter(status="open").prefetch_related("sanction").order_by("id").limit(200):
            # Someone other than the moderator who decided the sanction decides the appeal.
            if ap.sanction.by_id != moderator.id:
                items.append(_item("appeal", ap.id, 1, ap.created_at, sanction_id=ap.sanction_id,
                                   member_id=ap.sanction.member_id, text=ap.text, sanction_kind=ap.sanction.kind,
                                   sanction_reason=ap.sanction.reason))
    if kind in (None, "text"):
        for source in queue_sources:
            items.extend(await source())
    claims = {(c.kind, c.item_id): c for c in await Claim.filter(
        item_id__in=[i["id"] for i in items]).prefetch_related("moderator")}
    for item in items:
        claim = claims.get((item["kind"], item["id"]))
        item["claimed_by"] = claim.moderator.pseudonym if claim else None
        item["escalated"] = bool(claim and claim.escalated)
    if moderator.role != "admin":
        items = [i for i in items if not i["escalated"]]
    items.sort(key=lambda i: (i["priority"], i["created_at"]))
    return items[:limit]


async def context_messages(message_id: int, around: int = 2) -> list[dict]:
    """The message with a few before and after it, as moderators see them."""
    message = await Message.get_or_none(id=message_id)
    if message is None:
        return []
    before = await Message.filter(room_id=message.room_id, id__lt=message.id).order_by("-id").limit(around)
    after = await Message.filter(room_id=message.room_id, id__gt=message.id).order_by("id").limit(around)
    return await rooms.views([*reversed(before), message, *after])


async def claim(moderator: Member, kind: str, item_id: int) -> None:
    try:
        await Claim.create(kind=kind, item_id=item_id, moderator=moderator)
    except IntegrityError:
        taken = await Claim.get(kind=kind, item_id=item_id)
        if taken.moderator_id != moderator.id:
            raise Refused("claimed", _l("Another moderator is already working on this."), kind="conflict") from None


async def escalate(moderator: Member, kind: str, item_id: int, reason: str) -> None:
    reason = _reason(reason)
    claim_row, _ = await Claim.get_or_create(kind=kind, item_id=item_id, defaults={"moderator": moderator})
    claim_row.escalated = True
    await claim_row.save(update_fields=["escalated"])
    await log(moderator, "escalate", f"{kind} {item_id}", reason)


async def _done(kind: str, item_id: int) -> None:
    await Claim.filter(kind=kind, item_id=item_id).delete()


# Live effects ----------------------------------------------------------------------------------

async def _rooms_of(member_id: int, room_id: int | None = None) -> list[int]:
    if room_id is not None:
        return [room_id]
    return list(await Membership.filter(member_id=member_id).values_list("room_id", flat=True))


async def _tell_sockets(rt: Runtime, member_id: int, code: str, message: str, close: bool,
                        room_id: int | None = None) -> None:
    """A private frame for the member's open sockets: an error they see, and for some a closed socket."""
    for rid in await _rooms_of(member_id, room_id):
        await rt.broker.publish(rooms.channel(rid), {"type": "kick" if close else "notice", "member_id": member_id,
                                                     "code": code, "reason": message})


# Actions ---------------------------------------------------------------------------------------

async def _notify(member_id: int | None, kind: str, reason: str, sanction: Sanction | None = None) -> None:
    if member_id:
        await Notice.create(member_id=member_id, kind=kind, reason=reason, sanction=sanction)


async def _close_reports(message_id: int | None = None, member_id: int | None = None, outcome: str = "action_taken"):
    query = Report.filter(status="open")
    query = query.filter(message_id=message_id) if message_id else query.filter(member_id=member_id)
    for r in await query:
        r.status, r.outcome, r.resolved_at = "resolved", outcome, now()
        await r.save(update_fields=["status", "outcome", "resolved_at"])
        await _notify(r.reporter_id, "report_" + outcome, "")
        await _done("report", r.id)


async def hide(rt: Runtime, moderator: Member, message_id: int, reason: str) -> Message:
    reason = _reason(reason)
    message = await Message.get_or_none(id=message_id)
    if message is None:
        raise Refused("not_found", _l("That message was not found."), kind="not_found")
    message.status = "hidden"
    await message.save(update_fields=["status"])
    await rt.broker.publish(rooms.channel(message.room_id), {"type": "hidden", "id": message.id})
    await _notify(message.author_id, "hidden", reason)
    await log(moderator, "hide", f"message {message.id}", reason)
    await _close_reports(message_id=message.id)
    return message


async def decide_held(rt: Runtime, moderator: Member, message_id: int, approve: bool, reason: str) -> Message:
    message = await Message.get_or_none(id=message_id, status="held")
    if message is None:
        raise Refused("not_found", _l("That message is not waiting for review."), kind="not_found")
    if approve:
        message.status = "visible"
        await message.save(update_fields=["status"])
        author = await Member.get_or_none(id=message.author_id) if message.author_id else None
        await rt.broker.publish(rooms.channel(message.room_id), {
            "type": "message", "message": rooms.view(message, author.pseudonym if author else None)})
        await log(moderator, "approve", f"message {message.id}", (reason or "").strip())
    else:
        reason = _reason(reason)
        message.status = "hidden"
        await message.save(update_fields=["status"])
        await rt.broker.publish(rooms.channel(message.room_id), {"type": "hidden", "id": message.id})
        await _notify(message.author_id, "rejected", reason)
        await log(moderator, "reject", f"message {message.id}", reason)
    await _done("held", message.id)
    return message


async def sanction(rt: Runtime, moderator: Member, member_id: int, kind: str, reason: str,
                   minutes: int | None = None, room_id: int | None = None) -> Sanction:
    reason = _reason(reason)
    member = await Member.get_or_none(id=member_id)
    if member is None or member.role == "decoy":
        raise Refused("not_found", _l("That member was not found."), kind="not_found")
    if member.id == moderator.id or member.role in STAFF and moderator.role != "admin":
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
    await _notify(member.id, kind, reason, row)
    await log(moderator, kind, f"member {member.id}" + (f" in room {room_id}" if room_id else "")
              + (f" for {minutes} min" if until else ""), reason)
    message = {"warn": _l("A moderator has sent you a warning. See your notices."),
               "mute": _l("A moderator has muted you for now. You can read but not send."),
               "remove": _l("A moderator has removed you from this room."),
               "suspend": _l("Your account is suspended.")}[kind]
    if kind == "remove":
        await _tell_sockets(rt, member.id, "removed", message, close=True, room_id=room_id)
        await Membership.filter(member=member, room_id=room_id).delete()
    elif kind == "suspend":
        await _tell_sockets(rt, member.id, "suspended", message, close=True)
        member.status = "suspended"
        await member.save(update_fields=["status"])
        await sessions.end_all(member)
    else:
        await _tell_sockets(rt, member.id, kind, message, close=False, room_id=room_id if kind == "mute" else None)
    await _close_reports(member_id=member.id)
    return row


async def lift(rt: Runtime, moderator: Member | None, sanction_id: int, reason: str) -> Sanction:
    reason = _reason(reason) if moderator else reason
    row = await Sanction.get_or_none(id=sanction_id, lifted_at=None)
    if row is None:
        raise Refused("not_found", _l("That action was not found, or was already lifted."), kind="not_found")
    row.lifted_at = now()
    await row.save(update_fields=["lifted_at"])
    if row.kind == "suspend":
        await Member.filter(id=row.member_id, status="suspended").update(status="active")
    await _notify(row.member_id, "lifted", reason, row)
    await log(moderator, "lift", f"{row.kind} {row.id} of member {row.member_id}", reason)
    return row


async def lift_expired() -> int:
    """Timed mutes and suspensions lift themselves (a job every minute, and checked on use)."""
    count = 0
    for row in await Sanction.filter(lifted_at=None, until__lt=now()):
        await lift(None, None, row.id, "time is up")  # type: ignore[arg-type]
        count += 1
    return count


async def resolve_report(moderator: Member, report_id: int, reason: str) -> None:
    reason = _reason(reason)
    row = await Report.get_or_none(id=report_id, status="open")
    if row is None:
        raise Refused("not_found", _l("That report was not found."), kind="not_found")
    row.status, row.outcome, row.resolved_at = "resolved", "no_action", now()
    await row.save(update_fields=["status", "outcome", "resolved_at"])
    await _notify(row.reporter_id, "report_no_action", "")
    await log(moderator, "dismiss_report", f"report {row.id}", reason)
    await _done("report", row.id)


async def handle_alert(moderator: Member, alert_id: int, reason: str) -> None:
    reason = _reason(reason)
    updated = await SafetyAlert.filter(id=alert_id, status="open").update(status="handled")
    if not updated:
        raise Refused("not_found", _l("That alert was not found."), kind="not_found")
    await log(moderator, "handle_alert", f"safety alert {alert_id}", reason)
    await _done("alert", alert_id)


# What sending needs (a messaging send check) ----------------------------------------------------

async def mute_refusal(member: Member, room: Room) -> str | None:
    active = Sanction.filter(member=member, kind="mute", lifted_at=None)
    for row in await active:
        if row.until is not None and row.until <= now():
            continue
        if row.room_id in (None, room.id):
            return _l("You are muted for now, so you cannot send messages. See your notices.")
    return None


async def new_member_hold(member: Member, room: Room, body: str, warning: str):
    """A new member's first messages wait for a moderator, in every room."""
    from messaging.hooks import ALLOW, Decision

    if member.role in STAFF or hold_first <= 0:
        return ALLOW
    approved = await Message.filter(author=member, status="visible").count()
    if approved < hold_first:
        return Decision("hold", _l("Welcome. Your first messages are checked by a moderator before others can see them."),
                        "new_member")
    return ALLOW


hold_first = 3  # set from the settings by network/app.py


# Appeals and notices -------------------------------------------------------------------------

async def appeal(member: Member, sanction_id: int, text: str) -> Appeal:
    row = await Sanction.get_or_none(id=sanction_id, member=member)
    if row is None:
        raise Refused("not_found", _l("That action was not found."), kind="not_found")
    text = (text or "").strip()
    if not 1 <= len(text) <= 2000:
        raise Refused("invalid_text", _l("Say in up to 2,000 characters why this should change."), field="text")
    try:
        return await Appeal.create(sanction=row, text=text)
    except IntegrityError:
        raise Refused("already_appealed", _l("You have already appealed this."), kind="conflict") from None


async def decide_appeal(rt: Runtime, moderator: Member, appeal_id: int, overturn: bool, reason: str) -> Appeal:
    reason = _reason(reason)
    row = await Appeal.get_or_none(id=appeal_id, status="open").prefetch_related("sanction")
    if row is None:
        raise Refused("not_found", _l("That appeal was not found."), kind="not_found")
    if row.sanction.by_id == moderator.id:
        raise Refused("same_moderator", _l("A different moderator must decide this appeal."), kind="forbidden")
    row.status, row.decided_by, row.decision_reason, row.decided_at = \
        ("overturned" if overturn else "upheld"), moderator, reason, now()
    await row.save()
    if overturn and row.sanction.lifted_at is None:
        await lift(rt, moderator, row.sanction_id, reason)
    await _notify(row.sanction.member_id, "appeal_" + row.status, reason, row.sanction)
    await log(moderator, "appeal_" + row.status, f"appeal {row.id}", reason)
    await _done("appeal", row.id)
    return row


async def notices_for(member: Member) -> list[Notice]:
    return await Notice.filter(member=member).prefetch_related("sanction").order_by("-id").limit(100)


async def appealable(member: Member) -> set[int]:
    """Sanctions of this member not yet appealed."""
    mine = await Sanction.filter(member=member).values_list("id", flat=True)
    appealed = await Appeal.filter(sanction_id__in=list(mine)).values_list("sanction_id", flat=True)
    return set(mine) - set(appealed)


async def mark_notices_read(member: Member) -> None:
    await Notice.filter(member=member, read_at=None).update(read_at=now())


# Watched words, the log, notes ------------------------------------------------------------------

async def add_word(moderator: Member, locale: str, word: str, action: str) -> WatchedWord:
    word = (word or "").strip().casefold()
    if locale not in LOCALES or action not in WORD_ACTIONS or not 1 <= len(word) <= 100:
        raise Refused("invalid_word", _l("Give a word, its language and what to do with it."), field="word")
    row, _ = await WatchedWord.get_or_create(locale=locale, word=word, defaults={"action": action})
    if row.action != action:
        row.action = action
        await row.save(update_fields=["action"])
    filters.words.invalidate()
    await log(moderator, "add_word", f"{locale}: {word} ({action})")
    return row


async def remove_word(moderator: Member, word_id: int) -> None:
    row = await WatchedWord.get_or_none(id=word_id)
    if row is not None:
        await row.delete()
        filters.words.invalidate()
        await log(moderator, "remove_word", f"{row.locale}: {row.word}")


async def add_note(moderator: Member, member_id: int, text: str) -> Note:
    text = (text or "").strip()
    if not 1 <= len(text) <= 2000 or not await Member.filter(id=member_id).exists():
        raise Refused("invalid_note", _l("Write a note of up to 2,000 characters."), field="text")
    await log(moderator, "note", f"member {member_id}")
    return await Note.create(member_id=member_id, author=moderator, text=text)


async def member_file(member_id: int) -> dict:
    member = await Member.get_or_none(id=member_id)
    if member is None or member.role == "decoy":
        raise Refused("not_found", _l("That member was not found."), kind="not_found")
    inviter = await Member.get_or_none(id=member.invited_by_id) if member.invited_by_id else None
    return {"member": member, "inviter": inviter,
            "sanctions": await Sanction.filter(member=member).order_by("-id").limit(50),
            "notes": await Note.filter(member=member).prefetch_related("author").order_by("-id").limit(50)}


async def log_entries(limit: int = 200, before: int | None = None) -> list[LogEntry]:
    query = LogEntry.all() if before is None else LogEntry.filter(id__lt=before)
    return await query.order_by("-id").limit(limit)


async def erase_member(member: Member, messages: str) -> None:
    """On erasure: what moderation holds about the member goes; the log keeps only an id."""
    await Report.filter(reporter=member).update(reporter_id=None)


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
