"""The room event log: every change others can see, numbered per room in the change's own transaction.

A message shown (when posted, or when a moderator approves it), edited, hidden, deleted or
redacted is an event. Its sequence number comes from the room row, raised under the row's lock in
the same transaction as the change, so numbers have no gaps and follow commit order on SQLite and
PostgreSQL alike. Which event a change makes is decided here, from what readers could see before
and after it, so no caller chooses (or forgets) one. The broker only carries events fast; readers
that miss one (a lost publish, a Redis restart, a worker killed) fill the gap from this log.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from tortoise.expressions import F
from tortoise.transactions import in_transaction

from messaging.models import Message, Room, RoomEvent
from network.members.models import Member

log = logging.getLogger("survnet.rooms")
CATCH_UP_MAX = 5000  # events; a reader further behind reloads the room instead
WITH_MESSAGE = ("message", "edited", "redacted")


def channel(room_id: int) -> str:
    return f"room:{room_id}"


def view(message: Message, author_name: str | None) -> dict:
    deleted = message.status == "deleted"
    return {
        "id": message.id, "room_id": message.room_id, "seq": message.seq,
        "author": author_name if message.author_id else None,
        "author_id": message.author_id,
        "body": "" if deleted else message.body,
        "content_warning": "" if deleted else message.content_warning,
        "reply_to": message.reply_to_id, "status": message.status,
        "edited": message.edited_at is not None, "created_at": message.created_at.isoformat(),
    }


async def names_of(messages: list[Message]) -> dict[int, str]:
    ids = {m.author_id for m in messages if m.author_id}
    return dict(await Member.filter(id__in=list(ids)).values_list("id", "pseudonym")) if ids else {}


async def views(messages: list[Message]) -> list[dict]:
    names = await names_of(messages)
    return [view(m, names.get(m.author_id)) for m in messages]


def _kind(was_visible: bool, was_author: int | None, message: Message) -> str | None:
    """The event a change makes, from what others could see before and after it."""
    visible = message.status == "visible"
    if not was_visible:
        if not visible:
            return None
        return "message" if message.seq is None else "edited"
    if not visible:
        return "deleted" if message.status == "deleted" else "hidden"
    return "redacted" if was_author and message.author_id is None else "edited"


async def _allocate(connection, room_id: int, count: int = 1) -> int:
    """The first of `count` new sequence numbers; the UPDATE takes the room row's lock until commit."""
    await Room.filter(id=room_id).using_db(connection).update(last_seq=F("last_seq") + count)
    last = await Room.filter(id=room_id).using_db(connection).values_list("last_seq", flat=True)
    return last[0] - count + 1


def frame(kind: str, seq: int, message: Message, author_name: str | None = None) -> dict:
    if kind in WITH_MESSAGE:
        return {"type": kind, "seq": seq, "message": view(message, author_name)}
    return {"type": kind, "seq": seq, "id": message.id}


async def publish(rt, room_id: int, frames: list[dict]) -> None:
    """The fast path. A failure loses nothing: the events are committed, readers fill from the log."""
    for item in frames:
        try:
            await rt.broker.publish(channel(room_id), item)
        except Exception as exc:  # noqa: BLE001 - the log repairs what the broker drops
            log.warning("room %s: publishing seq %s failed (%s); readers catch up from the log",
                        room_id, item.get("seq"), type(exc).__name__)


async def create(rt, author_name: str | None, **fields) -> Message:
    """A new message, and its "message" event when others can see it at once."""
    async with in_transaction() as connection:
        message = Message(**fields)
        if message.status == "visible":
            message.seq = await _allocate(connection, message.room_id)
        await message.save(using_db=connection)
        if message.seq is not None:
            await RoomEvent.create(room_id=message.room_id, seq=message.seq, kind="message", message_id=message.id,
                                   using_db=connection)
    if message.seq is not None:
        await publish(rt, message.room_id, [frame("message", message.seq, message, author_name)])
    return message


async def change(rt, message_id: int, check: Callable[[Message], None] | None = None, **changes) -> Message:
    """Changes one message under its row lock; `check` sees the row as it is now and may refuse.
    Returns the message with `event` set to the kind of event the change made (or None)."""
    async with in_transaction() as connection:
        message = await Message.filter(id=message_id).select_for_update().using_db(connection).first()
        if check is not None:
            check(message)
        was_visible, was_author = message.status == "visible", message.author_id
        for name, value in changes.items():
            setattr(message, name, value)
        kind = _kind(was_visible, was_author, message)
        seq = None
        if kind is not None:
            seq = await _allocate(connection, message.room_id)
            if kind == "message":
                message.seq = seq
        await message.save(using_db=connection)
        if kind is not None:
            await RoomEvent.create(room_id=message.room_id, seq=seq, kind=kind, message_id=message.id,
                                   using_db=connection)
    message.event = kind
    if kind is not None:
        names = await names_of([message]) if kind in WITH_MESSAGE else {}
        await publish(rt, message.room_id, [frame(kind, seq, message, names.get(message.author_id))])
    return message


async def change_rows(rt, connection, ids: list[int], delete: bool = False, **changes):
    """Erasure and retention: many messages changed (or deleted) at once in the caller's transaction,
    one event each that others could see. Returns what publishes those events once it commits."""
    rooms: dict[int, list[int]] = {}
    for message_id, room_id in await Message.filter(id__in=ids).using_db(connection).values_list("id", "room_id"):
        rooms.setdefault(room_id, []).append(message_id)
    published: list[tuple[int, int, list[tuple[str, Message]]]] = []
    for room_id in sorted(rooms):  # rooms locked in one order, so two erasures never wait on each other
        batch = rooms[room_id]
        current = await Message.filter(id__in=batch).select_for_update().using_db(connection)
        seen = []
        for message in current:
            was_visible, was_author = message.status == "visible", message.author_id
            for name, value in changes.items():
                setattr(message, name, value)
            kind = "hidden" if delete and was_visible else None if delete else _kind(was_visible, was_author, message)
            if kind:
                seen.append((kind, message))
        first = await _allocate(connection, room_id, len(seen)) if seen else 0
        await RoomEvent.bulk_create([RoomEvent(room_id=room_id, seq=first + n, kind=kind, message_id=m.id)
                                     for n, (kind, m) in enumerate(seen)], using_db=connection)
        if delete:
            await Message.filter(id__in=batch).using_db(connection).delete()
        elif changes:
            await Message.filter(id__in=batch).using_db(connection).update(**changes)
        published.append((room_id, first, seen))

    async def publish_all() -> None:
        for room_id, first, seen in published:
            names = await names_of([m for _, m in seen]) if not delete else {}
            await publish(rt, room_id, [frame(kind, first + n, m, names.get(m.author_id))
                                        for n, (kind, m) in enumerate(seen)])

    return publish_all


async def erase_rows(rt, connection, ids: list[int], how: str):
    """The registry's eraser for messages: deleted, or kept as from "a former member"."""
    if how == "unlink":
        return await change_rows(rt, connection, ids, author_id=None, client_id=None)
    return await change_rows(rt, connection, ids, delete=True)


async def catch_up(room_id: int, after: int) -> tuple[list[dict], int] | None:
    """What a reader who has seen everything up to `after` must apply to be current: each message
    it lacks once, as it is now, and each it had that changed since, once; then the new cursor.
    Answers None when the reader is too far behind (or behind what the log still keeps): it reloads."""
    events = await RoomEvent.filter(room_id=room_id, seq__gt=after).order_by("seq").limit(CATCH_UP_MAX + 1)
    if len(events) > CATCH_UP_MAX:
        return None
    if events and events[0].seq != after + 1:
        return None  # the events between were purged
    if not events:
        return ([], after) if after <= await last_seq(room_id) else None  # a cursor from elsewhere: reload
    latest: dict[int, int] = {}
    shown_here: set[int] = set()
    for event in events:
        latest[event.message_id] = event.seq
        if event.kind == "message":
            shown_here.add(event.message_id)
    messages = {m.id: m for m in await Message.filter(id__in=list(latest))}
    names = await names_of(list(messages.values()))
    frames: list[tuple[int, dict]] = []
    for message_id, last in latest.items():
        message = messages.get(message_id)
        if message is None:
            if message_id not in shown_here:
                frames.append((last, {"type": "hidden", "seq": last, "id": message_id}))
            continue
        had = message.seq is not None and message.seq <= after
        if message.status == "visible":
            if had:
                frames.append((last, frame("edited", last, message, names.get(message.author_id))))
            else:
                frames.append((message.seq, frame("message", message.seq, message, names.get(message.author_id))))
        elif had:
            kind = "deleted" if message.status == "deleted" else "hidden"
            frames.append((last, frame(kind, last, message)))
    frames.sort(key=lambda pair: pair[0])
    return [item for _, item in frames], events[-1].seq


async def last_seq(room_id: int) -> int:
    values = await Room.filter(id=room_id).values_list("last_seq", flat=True)
    return values[0] if values else 0
