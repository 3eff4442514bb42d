"""Rooms and messages: who may be where, posting, editing, history, retention. No HTTP.

Every change others can see goes through the room's event log (events.py): committed with its
sequence number before it is published, so a reader that reconnects and asks for everything after
the last sequence it saw finds every change it missed, once.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta, timezone

from tortoise.exceptions import IntegrityError

from messaging import events, hooks
from messaging.models import AGE_GROUPS, BODY_MAX, KINDS, RETENTION, WARNING_MAX, Membership, Message, Room
from network.core.i18n import lazy as _l
from network.core.refusal import Refused, within
from network.core.runtime import Runtime
from network.core.settings import LOCALES
from network.members import profiles
from network.members.models import Member
from network.organisations import service as organisations

STAFF = ("moderator", "admin")
NOT_FOUND = _l("That room was not found.")
# What an organisation's representative may not open: these rooms stay with the network's own staff.
SUPPORT_BY_STAFF = _l("Private support rooms are opened by the network's moderators only, not for an organisation.")
MINORS_BY_STAFF = _l("Rooms that members under 18 can enter are opened and moderated by the network's staff only: "
                     "a room for an organisation is for adults.")
NOT_REPRESENTATIVE = _l("Only the organisation's representatives open rooms for it.")
PREMODERATED = _l("Your message is waiting for a moderator before others can see it.")


def now() -> datetime:
    return datetime.now(timezone.utc)


def _age_fits(room: Room, member: Member) -> bool:
    if room.age_group == "minors":
        return member.age_band == "under18"
    if room.age_group == "adults":
        return member.age_band != "under18"
    return True


async def is_member(room: Room, member: Member) -> bool:
    return await Membership.filter(room=room, member=member).exists()


async def can_enter(room: Room, member: Member) -> bool:
    """Moderators safeguard every room; others only rooms they belong to."""
    if member.role in STAFF:
        return True
    if room.kind == "support":
        return room.support_member_id == member.id
    return await is_member(room, member)


async def get_room(room_id: int) -> Room:
    room = await Room.get_or_none(id=room_id)
    if room is None:
        raise Refused("not_found", NOT_FOUND, kind="not_found")
    return room


async def enterable(member: Member, room_id: int) -> Room:
    room = await get_room(room_id)
    if not await can_enter(room, member):
        raise Refused("not_member", _l("You are not in this room."), kind="forbidden")
    return room


async def create_room(actor: Member, data: dict, organisation_id: int | None = None) -> Room:
    """A room; with `organisation_id`, one hosted by a partner organisation its representative opens:
    for adults, never a support room, and safeguarded by the network's moderators as every room is."""
    name = (data.get("name") or "").strip()
    if not 2 <= len(name) <= 80:
        raise Refused("invalid_name", _l("A room name has 2 to 80 characters."), field="name")
    fields = {"name": name, "description": within(data.get("description"), 500, "description")}
    for key, allowed, default in (("kind", KINDS, "open"), ("retention", tuple(RETENTION), "keep"),
                                  ("age_group", AGE_GROUPS, "adults"), ("language", LOCALES, "en")):
        value = data.get(key) or default
        if value not in allowed:
            raise Refused("invalid_" + key, _l("Choose from the list offered."), field=key)
        fields[key] = value
    if organisation_id is not None:
        if not await organisations.represents(actor, organisation_id):
            raise Refused("not_representative", NOT_REPRESENTATIVE, kind="forbidden")
        if fields["kind"] == "support":
            raise Refused("staff_only", SUPPORT_BY_STAFF, field="kind")
        if fields["age_group"] != "adults":
            raise Refused("staff_only", MINORS_BY_STAFF, field="age_group")
        fields["organisation"] = await organisations.get(organisation_id)
    try:
        fields["slow_mode_seconds"] = max(0, min(3600, int(data.get("slow_mode_seconds") or 0)))
    except (TypeError, ValueError):
        raise Refused("invalid_slow_mode", _l("Slow mode is a number of seconds."), field="slow_mode_seconds") from None
    region = (data.get("region") or "").strip().upper() or None
    fields["region"] = region[:8] if region else None
    if fields["kind"] == "support":
        try:
            supported_id = int(data.get("support_member_id") or 0)
        except (TypeError, ValueError):
            supported_id = 0
        # A number the database cannot hold finds nobody, as any unknown number does.
        supported = await Member.get_or_none(id=supported_id, status="active") if 0 < supported_id < 2**31 else None
        if supported is None:
            raise Refused("invalid_member", _l("Choose the member this support room is for."), field="support_member_id")
        fields["support_member"] = supported
    room = await Room.create(created_by=actor, **fields)
    if fields["kind"] == "support":
        await Membership.get_or_create(room=room, member=fields["support_member"])
    if organisation_id is not None and actor.role not in STAFF and _age_fits(room, actor):
        # The representative who opened it is in it (staff enter every room already).
        await Membership.get_or_create(room=room, member=actor)
    return room



async def rooms_for(member: Member) -> tuple[list[Room], list[Room]]:
    """(rooms I am in, open rooms I could join)."""
    mine_ids = await Membership.filter(member=member).values_list("room_id", flat=True)
    if member.role in STAFF:
        mine = await Room.all().order_by("name")
        return mine, []
    mine = await Room.filter(id__in=list(mine_ids)).order_by("name")
    joinable = [] if member.role == "policymaker" else [
        r for r in await Room.filter(kind__in=["open", "premod"]).exclude(id__in=list(mine_ids)
                                                                           + await _real_accounts_rooms(member))
        .order_by("name") if _age_fits(r, member)]
    return mine, joinable


async def _real_accounts_rooms(member: Member) -> list[int]:
    """A decoy is offered no room its real account is in: the real account's words are there."""
    hidden = profiles.hidden_from(member)
    return list(await Membership.filter(member_id=hidden).values_list("room_id", flat=True)) if hidden else []


async def join(member: Member, room_id: int) -> Room:
    room = await get_room(room_id)
    if room.kind not in ("open", "premod") or member.role == "policymaker" or not _age_fits(room, member) \
            or room.id in await _real_accounts_rooms(member):
        raise Refused("cannot_join", _l("This room is by invitation only."), kind="forbidden")
    await Membership.get_or_create(room=room, member=member)
    return room


async def invite(actor: Member, room_id: int, member_id: int) -> None:
    room = await get_room(room_id)
    member = await Member.get_or_none(id=member_id, status="active")
    if member is None:
        raise Refused("invalid_member", _l("That member was not found."), kind="not_found")
    if room.kind != "support" and not _age_fits(room, member):
        raise Refused("age_group", _l("This member's age band does not fit this room."), kind="conflict")
    await Membership.get_or_create(room=room, member=member)



async def shares_room(viewer_id: int, member_id: int) -> bool:
    mine = await Membership.filter(member_id=viewer_id).values_list("room_id", flat=True)
    return bool(mine) and await Membership.filter(member_id=member_id, room_id__in=list(mine)).exists()


def _clean_text(body: str | None, warning: str | None) -> tuple[str, str]:
    body = (body or "").replace("\r\n", "\n").strip()
    warning = (warning or "").strip()
    if not body:
        raise Refused("empty", _l("Write a message first."), field="body")
    if len(body) > BODY_MAX:
        raise Refused("too_long", _l("A message can have at most %(max)s characters."), field="body", max=BODY_MAX)
    if len(warning) > WARNING_MAX:
        raise Refused("too_long", _l("A content warning can have at most %(max)s characters."),
                      field="content_warning", max=WARNING_MAX)
    return body, warning


async def _check_pace(rt: Runtime, member: Member, room: Room) -> None:
    """Slow mode per room, and a member's pace across all rooms as a token bucket: a refused send
    takes nothing, so it never makes the wait longer."""
    if room.slow_mode_seconds and member.role not in STAFF:
        key = f"slow:{room.id}:{member.id}"
        if not await rt.counters.set_if_absent(key, room.slow_mode_seconds):
            wait = int(await rt.counters.ttl(key) + 0.999) or 1
            raise Refused("slow_mode", _l("This room is in slow mode. You can send again in %(seconds)s seconds."),
                          kind="throttled", seconds=wait)
    settings = rt.settings
    wait = await rt.counters.take(f"pace:{member.id}", settings.messages_per_minute / 60, settings.message_burst)
    if wait > 0:
        raise Refused("rate_limited", _l("You are sending very fast. Please wait a little."), kind="throttled",
                      seconds=max(1, math.ceil(wait)))


async def _gate(rt: Runtime, member: Member, room: Room, body: str, warning: str) -> hooks.Decision:
    """What every new or edited message passes: mutes, pace, the filters and pre-moderation."""
    refusal = await hooks.refusal(rt, member, room)
    if refusal:
        raise Refused("muted", refusal, kind="forbidden")
    decision = await hooks.decide(rt, member, room, body, warning)
    if decision.action == "reject":
        raise Refused(decision.code or "rejected", decision.reason, kind="invalid", field="body")
    # After the filters: a message they refuse takes no slow-mode turn, so its rephrasing goes at once.
    await _check_pace(rt, member, room)
    if decision.action != "hold" and room.kind == "premod" and member.role not in STAFF:
        decision = hooks.Decision("hold", PREMODERATED, "premoderated", decision.followups)
    return decision


async def post(rt: Runtime, member: Member, room_id: int, body: str | None, content_warning: str | None = None,
               reply_to: int | None = None, client_id: str | None = None) -> tuple[Message, bool]:
    """Stores a message with its event in one transaction, then publishes it. Returns (message,
    created): a repeated client_id stores nothing and publishes the stored message again, for
    readers who may have missed it (its sender's connection, or a worker, was lost after the commit)."""
    room = await enterable(member, room_id)
    client_id = (client_id or "")[:64] or None
    if client_id:
        existing = await Message.get_or_none(room=room, author=member, client_id=client_id)
        if existing is not None:
            await _publish_again(rt, existing, member)
            return existing, False
    body, content_warning = _clean_text(body, content_warning)
    if reply_to is not None and not await Message.filter(id=reply_to, room=room).exists():
        raise Refused("invalid_reply", _l("The message you reply to is not in this room."), field="reply_to")
    decision = await _gate(rt, member, room, body, content_warning)
    lifetime = RETENTION[room.retention]
    held = decision.action == "hold"
    try:
        message = await events.create(
            rt, member.pseudonym, room_id=room.id, author_id=member.id, body=body, content_warning=content_warning,
            reply_to_id=reply_to, client_id=client_id, status="held" if held else "visible",
            held_reason=decision.reason if held else "",
            expires_at=now() + timedelta(seconds=lifetime) if lifetime else None)
    except IntegrityError:
        # The same client_id raced in from another connection: the first one stored wins.
        existing = await Message.get_or_none(room=room, author=member, client_id=client_id)
        if existing is None:
            raise
        return existing, False
    for followup in decision.followups:
        await followup(rt, message)
    return message, True


async def _publish_again(rt: Runtime, message: Message, author: Member) -> None:
    if message.status == "visible" and message.seq is not None:
        await events.publish(rt, message.room_id, [events.frame("message", message.seq, message, author.pseudonym)])


async def own_message(member: Member, message_id: int) -> Message:
    """One of the member's own messages that is still there (refused as not found otherwise)."""
    return await _own(member, message_id)


async def _own(member: Member, message_id: int) -> Message:
    message = await Message.get_or_none(id=message_id, author=member)
    if message is None or message.status == "deleted":
        raise Refused("not_found", _l("That message was not found."), kind="not_found")
    return message


def _still_own(member: Member, gone=("deleted", "hidden")):
    """Checked on the locked row: it is still the member's, and still there to change."""
    def check(message: Message | None) -> None:
        if message is None or message.author_id != member.id or message.status in gone:
            raise Refused("not_found", _l("That message was not found."), kind="not_found")
    return check


async def edit(rt: Runtime, member: Member, message_id: int, body: str | None,
               content_warning: str | None = None) -> Message:
    """An edit passes the same gate as a new message: membership, mutes, pace, filters and
    pre-moderation; an edit that must be checked is hidden from others until it is approved."""
    message = await _own(member, message_id)
    if message.status == "hidden":
        raise Refused("not_found", _l("That message was not found."), kind="not_found")
    room = await enterable(member, message.room_id)
    body, warning = _clean_text(body, message.content_warning if content_warning is None else content_warning)
    decision = await _gate(rt, member, room, body, warning)
    changes = {"body": body, "content_warning": warning, "edited_at": now()}
    if decision.action == "hold":
        changes.update(status="held", held_reason=decision.reason)
    message = await events.change(rt, message.id, _still_own(member), **changes)
    for followup in decision.followups:
        await followup(rt, message)
    return message


async def delete(rt: Runtime, member: Member, message_id: int) -> None:
    message = await _own(member, message_id)
    await events.change(rt, message.id, _still_own(member, gone=("deleted",)), status="deleted", body="",
                        content_warning="")


async def history(room: Room, after: int | None = None, before: int | None = None, limit: int = 50,
                  viewer: Member | None = None) -> list[Message]:
    """Messages others have seen, in the room's event order (after / before are sequence numbers);
    on the newest page, a member also sees their own messages waiting for a moderator."""
    limit = max(1, min(limit, 200))
    query = Message.filter(room=room, seq__not_isnull=True, status__in=["visible", "deleted"])
    if after is not None:
        return await query.filter(seq__gt=after).order_by("seq").limit(limit)
    if before is not None:
        query = query.filter(seq__lt=before)
    shown = list(reversed(await query.order_by("-seq").limit(limit)))
    if viewer is not None and before is None:
        shown += await Message.filter(room=room, author_id=viewer.id, status="held").order_by("id").limit(limit)
    return shown


async def since(room: Room, after: int, limit: int = 50, viewer: Member | None = None) -> tuple[list[Message], bool]:
    """For a reader without the live socket: the last message they had (at or before the sequence
    `after`), so they keep their place, then up to `limit` newer ones, and whether more are newer
    still. When this reaches the newest, the viewer's own messages waiting for a moderator follow."""
    limit = max(1, min(limit, 200))
    query = Message.filter(room=room, seq__not_isnull=True, status__in=["visible", "deleted"])
    read = await query.filter(seq__lte=after).order_by("-seq").first()
    newer = list(await query.filter(seq__gt=after).order_by("seq").limit(limit + 1))
    more = len(newer) > limit
    shown = ([read] if read is not None else []) + newer[:limit]
    if viewer is not None and not more:
        shown += await Message.filter(room=room, author_id=viewer.id, status="held").order_by("id").limit(limit)
    return shown, more


async def has_older(room: Room, seq: int) -> bool:
    return await Message.filter(room=room, seq__lt=seq, status__in=["visible", "deleted"]).exists()
