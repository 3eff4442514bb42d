"""Moderation: reports, one queue, send checks, appeals, notices, watched words, notes. No HTTP.

Every action is written to the append-only log and, where it concerns a member, told to them in
a notice with its reason. A reported member is never told who reported them.
"""

from __future__ import annotations

from datetime import datetime

from tortoise import connections
from tortoise.exceptions import IntegrityError
from tortoise.expressions import Q

from messaging import events
from messaging import service as rooms
from messaging.models import Message, Room
from moderation import filters
from moderation.labels import FLAGGED
from moderation.models import (
    PRIORITY,
    REASONS,
    WORD_ACTIONS,
    Appeal,
    Claim,
    LogEntry,
    Note,
    Notice,
    Report,
    Sanction,
    WatchedWord,
)
from moderation.records import STAFF, log, now
from network.core import db
from network.core.i18n import lazy as _l
from network.core.refusal import Refused, within
from network.core.runtime import Runtime
from network.core.settings import LOCALES
from network.members.models import Member
from network.safety.models import SafetyAlert

# Reports -------------------------------------------------------------------------------------

REPORT_TARGETS = ("message", "member", "text")


async def _reported(reporter: Member, target: str, target_id: int) -> dict | None:
    """What a report is about, as the reporter may see it; None when there is nothing they could be
    reporting (no such row, a room they cannot enter, a member not there, themselves)."""
    if target == "message":
        message = await Message.get_or_none(id=target_id)
        room = await Room.get_or_none(id=message.room_id) if message is not None else None
        if room is None or not await rooms.can_enter(room, reporter):
            return None
        return {"message": message, "member_id": message.author_id}
    if target == "member":
        member = await Member.get_or_none(id=target_id, status__in=["active", "hidden"])
        if member is None or member.id == reporter.id:
            return None
        return {"member": member}
    # A consultation text: moderation cannot look into consultations (the package depends on
    # messaging only), so its reports are kept for the moderators' review to find.
    return {"text_id": target_id}


async def report(reporter: Member, target: str, target_id: int, reason: str, note: str = "") -> Report | None:
    """A report, kept when its target is there for the reporter to report. Whether it was kept is for
    moderators only: the reporter gets the same answer either way (so reporting is no way to learn
    who or what exists, or who is hidden), and the refusals come from what was sent alone."""
    if target not in REPORT_TARGETS:
        raise Refused("invalid_target", _l("Choose what you are reporting."), field="target")
    if reason not in REASONS:
        raise Refused("invalid_reason", _l("Choose a reason from the list."), field="reason")
    note = within(note, 1000, "note")
    if reason == "other" and not note:
        raise Refused("note_required", _l("Please say a few words about what is wrong."), field="note")
    fields = await _reported(reporter, target, target_id)
    if fields is None:
        return None
    return await Report.create(reporter=reporter, target=target, reason=reason, note=note,
                               priority=PRIORITY[reason], **fields)


async def flag(rt: Runtime, message: Message) -> None:
    """A watched word set to flag: the message goes out, and the queue gets a report about it from the system."""
    await Report.create(reporter=None, target="message", message=message, member_id=message.author_id,
                        reason="other", note=FLAGGED, priority=PRIORITY["other"])


# The queue -----------------------------------------------------------------------------------

def _item(kind: str, item_id: int, priority: int, created_at: datetime, **extra) -> dict:
    return {"kind": kind, "id": item_id, "priority": priority, "created_at": created_at, **extra}


async def queue(rt: Runtime, moderator: Member, kind: str | None = None, limit: int = 50) -> list[dict]:
    """Reports, held messages, texts to review, safety alerts and appeals, most urgent first.

    Each kind is read in the queue's own order and only as far as `limit`: no item past those could
    come before the ones shown. Items escalated to administrators are left out for moderators."""
    escalated: dict[str, list[int]] = {}
    if moderator.role != "admin":
        for claim_kind, item_id in await Claim.filter(escalated=True).values_list("kind", "item_id"):
            escalated.setdefault(claim_kind, []).append(item_id)

    def unescalated(query, item_kind: str):
        return query.exclude(id__in=escalated[item_kind]) if escalated.get(item_kind) else query

    items: list[dict] = []
    if kind in (None, "report"):
        for r in await unescalated(Report.filter(status="open"), "report").order_by("priority", "id").limit(limit):
            items.append(_item("report", r.id, r.priority, r.created_at, reason=r.reason, note=r.note,
                               target=r.target, message_id=r.message_id, member_id=r.member_id, text_id=r.text_id))
    if kind in (None, "held"):
        for m in await unescalated(Message.filter(status="held"), "held").order_by("id").limit(limit):
            items.append(_item("held", m.id, 1, m.created_at, message_id=m.id, member_id=m.author_id,
                               held_reason=m.held_reason))
    if kind in (None, "alert"):
        for a in await unescalated(SafetyAlert.filter(status="open"), "alert").order_by("id").limit(limit):
            items.append(_item("alert", a.id, 0, a.created_at, member_id=a.member_id, note=a.note))
    if kind in (None, "appeal"):
        # Someone other than the moderator who decided the sanction decides the appeal.
        # (A sanction whose moderator has since left has no one to exclude: Q, as NOT (NULL = x) is not true.)
        appeals = unescalated(Appeal.filter(Q(sanction__by_id__isnull=True) | ~Q(sanction__by_id=moderator.id),
                                            status="open"), "appeal")
        for ap in await appeals.prefetch_related("sanction").order_by("id").limit(limit):
            items.append(_item("appeal", ap.id, 1, ap.created_at, sanction_id=ap.sanction_id,
                               member_id=ap.sanction.member_id, text=ap.text, sanction_kind=ap.sanction.kind,
                               sanction_reason=ap.sanction.reason))
    if kind in (None, "text"):
        for source in rt.registry.queue_sources:
            items.extend(i for i in await source(rt) if i["id"] not in escalated.get(i["kind"], ()))
    items.sort(key=lambda i: (i["priority"], i["created_at"]))
    items = items[:limit]
    claims = {(c.kind, c.item_id): c for c in await Claim.filter(
        item_id__in=[i["id"] for i in items]).prefetch_related("moderator")}
    for item in items:
        claim = claims.get((item["kind"], item["id"]))
        item["claimed_by"] = claim.moderator.pseudonym if claim else None
        item["escalated"] = bool(claim and claim.escalated)
    return items


def _neighbours_sql(table: str, around: int, count: int, mark) -> str:
    """One row per message: its id, then the ids of up to `around` messages before and after it in
    its room; each a seek on the (room_id, id) index, so the cost does not grow with the room."""
    def nth(n: int, before: bool) -> str:
        op, order = ("<", "DESC") if before else (">", "ASC")
        return (f"(SELECT x.id FROM {table} x WHERE x.room_id = t.room_id AND x.id {op} t.id "
                f"ORDER BY x.id {order} LIMIT 1 OFFSET {n}) AS {'b' if before else 'a'}{n}")
    columns = ", ".join(nth(n, before) for before in (True, False) for n in range(around))
    return f"SELECT t.id AS target, {columns} FROM {table} t WHERE t.id IN ({', '.join(mark(i + 1) for i in range(count))})"


async def contexts(message_ids: list[int], around: int = 2) -> dict[int, list[dict]]:
    """Each message with a few before and after it, as moderators see them, in the room's language
    (so a moderator's screen reader reads them in it): four queries however many messages."""
    wanted = sorted(set(message_ids))
    if not wanted:
        return {}
    client = connections.get("default")
    rows = await client.execute_query_dict(
        _neighbours_sql(Message._meta.db_table, around, len(wanted), db.placeholders(client)), wanted)
    windows = {}
    for row in rows:
        target, near = row["target"], [value for name, value in row.items() if name != "target"]
        windows[target] = sorted([target, *(n for n in near if n is not None)])
    shown = {m.id: m for m in await Message.filter(id__in=[i for ids in windows.values() for i in ids])}
    views = {v["id"]: v for v in await events.views(list(shown.values()))}
    languages = dict(await Room.filter(id__in={m.room_id for m in shown.values()}).values_list("id", "language"))
    return {target: [dict(views[i], language=languages.get(shown[i].room_id)) for i in ids if i in shown]
            for target, ids in windows.items()}


QUEUE_KINDS = ("report", "held", "text", "alert", "appeal")


async def claim(moderator: Member, kind: str, item_id: int) -> None:
    if kind not in QUEUE_KINDS:
        raise Refused("invalid_kind", _l("Choose report, held, text, alert or appeal."), field="kind")
    try:
        await Claim.create(kind=kind, item_id=item_id, moderator=moderator)
    except IntegrityError:
        taken = await Claim.get(kind=kind, item_id=item_id)
        if taken.moderator_id != moderator.id:
            raise Refused("claimed", _l("Another moderator is already working on this."), kind="conflict") from None


# What sending needs (a messaging send check) ----------------------------------------------------

async def mute_refusal(rt: Runtime, member: Member, room: Room) -> str | None:
    active = Sanction.filter(member=member, kind="mute", lifted_at=None)
    for row in await active:
        if row.until is not None and row.until <= now():
            continue
        if row.room_id in (None, room.id):
            return _l("You are muted for now, so you cannot send messages. See your notices.")
    return None


async def new_member_hold(rt: Runtime, member: Member, room: Room, body: str, warning: str):
    """A new member's first messages wait for a moderator, in every room (SURVNET_HOLD_FIRST_MESSAGES)."""
    from messaging.hooks import ALLOW, Decision

    hold_first = rt.settings.hold_first_messages
    if member.role in STAFF or hold_first <= 0:
        return ALLOW
    approved = await Message.filter(author=member, status="visible").count()
    if approved < hold_first:
        return Decision("hold", _l("Welcome. Your first messages are checked by a moderator before others can see them."),
                        "new_member")
    return ALLOW



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

async def add_word(rt: Runtime, moderator: Member, locale: str, word: str, action: str) -> WatchedWord:
    word = (word or "").strip().casefold()
    for bad, field in ((not 1 <= len(word) <= 100, "word"), (locale not in LOCALES, "locale"),
                       (action not in WORD_ACTIONS, "action")):
        if bad:
            raise Refused("invalid_word", _l("Give a word, its language and what to do with it."), field=field)
    row, _ = await WatchedWord.get_or_create(locale=locale, word=word, defaults={"action": action})
    if row.action != action:
        row.action = action
        await row.save(update_fields=["action"])
    await filters.words_changed(rt)
    await log(moderator, "add_word", f"{locale}: {word} ({action})")
    return row


async def remove_word(rt: Runtime, moderator: Member, word_id: int) -> None:
    row = await WatchedWord.get_or_none(id=word_id)
    if row is not None:
        await row.delete()
        await filters.words_changed(rt)
        await log(moderator, "remove_word", f"{row.locale}: {row.word}")


async def add_note(moderator: Member, member_id: int, text: str) -> Note:
    text = (text or "").strip()
    if not 1 <= len(text) <= 2000:
        raise Refused("invalid_note", _l("Write a note of up to 2,000 characters."), field="text")
    if not await Member.filter(id=member_id).exclude(role="decoy").exists():
        raise Refused("not_found", _l("That member was not found."), kind="not_found")
    await log(moderator, "note", f"member {member_id}", subject=member_id)
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
    return await query.order_by("-id").limit(limit).select_related("actor")
