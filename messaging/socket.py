"""The room's WebSocket: the room's event log, delivered in sequence order, exactly once.

The client connects with `?after=<the last sequence it has>` (none: from now on) and gets what it
missed (events.catch_up), then `synced`, then live events. Live events arrive from the broker in
any order; the connection delivers them strictly by sequence, drops what it already delivered,
waits briefly on a gap and then fills it from the log. A socket lives no longer than its session
and its place in the room: it obeys revocations (members.live) and checks the session itself
before accepting a frame and when the session would expire.

Frames from the client: {"type": "send", "body", "content_warning", "reply_to", "client_id"} and
{"type": "ping"}. From the server: message, edited, hidden, deleted, redacted (each with `seq`),
synced, reset (reload the room), reconnecting, ack, presence, error, pong.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import random
import secrets
import time
from datetime import datetime, timezone
from urllib.parse import urlsplit

from starlette.websockets import WebSocket, WebSocketDisconnect

from messaging import events, service
from network.core import bodies, sandbox
from network.core.bounds import ID, SEQ
from network.core.i18n import gettext
from network.core.i18n import lazy as _l
from network.core.refusal import Refused
from network.core.templating import request_locale
from network.core.text import clean_all
from network.members import live, sessions
from network.members.models import Session

log = logging.getLogger("survnet.rooms")
FRAME_MAX = 16 * 1024
HEARTBEAT = 25       # seconds between presence refreshes and the connection's own checks
GAP_WAIT = 0.3       # seconds to wait for a missing sequence before reading it from the log
CLOSE_TOO_SLOW, CLOSE_BAD_REQUEST, CLOSE_NOT_FOUND = 4008, 4400, 4404
UNREADABLE = _l("That could not be read.")


def origin_ok(websocket: WebSocket) -> bool:
    """Only pages of this site may open a socket: the Origin's host must be ours."""
    origin = websocket.headers.get("origin")
    host = websocket.headers.get("host")
    return bool(origin and host) and urlsplit(origin).netloc == host


class Closed(Exception):
    """The connection has been closed by the server; its loops stop."""


class Connection:
    def __init__(self, websocket: WebSocket, room, member, session, rt, cursor: int):
        self.ws, self.room, self.member, self.session, self.rt = websocket, room, member, session, rt
        self.locale = request_locale(websocket)
        self.id = secrets.token_hex(8)
        self.cursor = cursor            # the last sequence delivered to this client
        self.waiting: dict[int, dict] = {}  # live events that came before the one that is due
        self.gap_since: float | None = None

    async def send(self, frame: dict) -> None:
        await self.ws.send_text(json.dumps(frame, ensure_ascii=False))

    async def error(self, code: str, message: str, **params) -> None:
        await self.send({"type": "error", "code": code, "message": gettext(self.locale, message, **params)})

    async def close(self, code: int) -> None:
        with contextlib.suppress(Exception):
            await self.ws.close(code=code)
        raise Closed()

    # The log -----------------------------------------------------------------------------------

    async def sync(self) -> None:
        """Everything after the cursor from the log, then `synced`; a reader too far behind reloads."""
        result = await events.catch_up(self.room.id, self.cursor)
        if result is None:
            await self.send({"type": "reset"})
            await self.close(1000)
        frames, cursor = result
        for item in frames:
            await self.send(item)
        self.cursor = max(self.cursor, cursor)
        self.waiting = {seq: f for seq, f in self.waiting.items() if seq > self.cursor}
        await self.send({"type": "synced", "seq": self.cursor})
        await self.deliver_due()

    async def on_event(self, frame: dict) -> None:
        seq = frame.get("seq")
        if not isinstance(seq, int) or seq <= self.cursor:
            return  # delivered already
        self.waiting[seq] = frame
        await self.deliver_due()

    async def deliver_due(self) -> None:
        while self.cursor + 1 in self.waiting:
            self.cursor += 1
            await self.send(self.waiting.pop(self.cursor))
        if not self.waiting:
            self.gap_since = None
        elif self.gap_since is None:
            self.gap_since = time.monotonic()

    # Staying allowed ---------------------------------------------------------------------------

    async def session_live(self, touch: bool = False) -> bool:
        session = await Session.get_or_none(id=self.session.id)
        if session is None:
            return False
        if touch:
            return await sessions.still_live(self.rt, session) is not None
        return sessions.expires_at(self.rt.settings, session) > datetime.now(timezone.utc)

    async def checks(self) -> None:
        """The heartbeat: still signed in and in the room, presence, and nothing missed in the log."""
        if not await self.session_live():
            await self.close(live.CLOSE_SIGNED_OUT)
        if not await service.can_enter(self.room, self.member):
            await self.close(live.CLOSE_POLICY)
        count = await self.rt.presence.refresh(self.room.id, self.id)
        await self.send({"type": "presence", "count": count})
        if await events.last_seq(self.room.id) > self.cursor:
            await self.sync()

    async def obey(self, frame: dict) -> None:
        """A revocation or a notice for this member, from any worker."""
        if frame.get("room_id") not in (None, self.room.id):
            return
        if frame["type"] == "notice":
            await self.error(frame.get("code") or "notice", frame.get("reason") or "")
            return
        if frame.get("sessions") is not None and self.session.id not in frame["sessions"]:
            return
        if frame.get("reason"):
            await self.error(frame.get("code") or "revoked", frame["reason"])
        await self.close(frame.get("close") or live.CLOSE_SIGNED_OUT)

    # The two loops -----------------------------------------------------------------------------

    def _wait(self, last_checks: float) -> float:
        heartbeat = max(0.0, HEARTBEAT - (time.monotonic() - last_checks))
        if self.gap_since is not None:
            return min(heartbeat, max(0.0, GAP_WAIT - (time.monotonic() - self.gap_since)))
        return heartbeat

    async def pump(self, subscription) -> None:
        # Spread over the interval, so sockets opened together do not all check at once.
        last_checks = time.monotonic() - random.uniform(0, HEARTBEAT / 2)
        while True:
            if time.monotonic() - last_checks >= HEARTBEAT:
                last_checks = time.monotonic()
                await self.checks()
            if self.gap_since is not None and time.monotonic() - self.gap_since >= GAP_WAIT:
                await self.sync()
            try:
                frame = await asyncio.wait_for(subscription.get(), timeout=self._wait(last_checks))
            except asyncio.TimeoutError:
                continue
            if subscription.overflowed:
                # Too slow to keep up: it reconnects and catches up from the log instead.
                await self.close(CLOSE_TOO_SLOW)
            kind = frame.get("type")
            if kind == "_broker":
                if frame.get("up"):
                    await self.sync()
                else:
                    await self.send({"type": "reconnecting"})
            elif kind in ("revoke", "notice"):
                await self.obey(frame)
            elif "seq" in frame:
                await self.on_event(frame)
            else:
                await self.send(frame)

    async def receive(self) -> None:
        while True:
            message = await self.ws.receive()
            if message["type"] == "websocket.disconnect":
                raise WebSocketDisconnect(message.get("code", 1000))
            raw = message.get("text")
            if raw is None:
                await self.error("invalid_frame", _l("Send frames as JSON text."))
                continue
            try:
                await self.handle(raw)
            except (Closed, WebSocketDisconnect, asyncio.CancelledError):
                raise
            except Refused as exc:
                await self.send({"type": "error", "code": exc.code, "message": gettext(self.locale, exc.message,
                                                                                         **exc.params)})
            except Exception:  # noqa: BLE001 - one bad frame never ends the conversation
                log.exception("room socket: a frame could not be handled")
                await self.error("server_error", _l("Something went wrong on our side. Please try again."))

    async def handle(self, raw: str) -> None:
        if len(raw) > FRAME_MAX:
            await self.error("too_large", _l("That message is too large."))
            return
        try:
            frame = clean_all(bodies.loads(raw))
        except bodies.Unreadable:
            await self.error("invalid_json", UNREADABLE)
            return
        if not isinstance(frame, dict):
            await self.error("invalid_frame", UNREADABLE)
            return
        kind = frame.get("type")
        if kind == "ping":
            await self.send({"type": "pong"})
        elif kind == "send":
            await self.handle_send(frame)
        else:
            await self.error("unknown_type", _l("That kind of request is not known."))

    async def handle_send(self, frame: dict) -> None:
        client_id = frame.get("client_id")
        fields = {k: frame.get(k) for k in ("body", "content_warning", "reply_to")}
        reply_to = fields["reply_to"]
        if not all(v is None or isinstance(v, str) for v in (fields["body"], fields["content_warning"], client_id)) \
                or not (reply_to is None or ID.read(reply_to) is not None):
            await self.error("invalid_frame", UNREADABLE)
            return
        if not await self.session_live(touch=True):
            await self.error("signed_out", _l("You have been signed out. Please sign in again."))
            await self.close(live.CLOSE_SIGNED_OUT)
        try:
            def post():
                return service.post(self.rt, self.member, self.room.id, fields["body"], fields["content_warning"],
                                    reply_to, client_id)

            # A frame is a community action too: a decoy's is answered and undone (network.core.sandbox).
            message, _ = await (sandbox.run(post) if self.member.role == "decoy" else post())
        except Refused as exc:
            await self.send({"type": "error", "code": exc.code, "client_id": client_id,
                             "message": gettext(self.locale, exc.message, **exc.params)})
            return
        ack = {"type": "ack", "client_id": client_id, "id": message.id, "status": message.status, "seq": message.seq}
        if message.status == "held":
            ack["message"] = gettext(self.locale, message.held_reason or service.PREMODERATED)
        await self.send(ack)


def _cursor(websocket: WebSocket, room) -> int | None:
    raw = websocket.query_params.get("after")
    if raw is None or raw == "":
        return room.last_seq  # no cursor: from now on
    return SEQ.read(raw)


async def room_socket(websocket: WebSocket) -> None:
    """Authenticated by the session cookie (the access layer has checked there is a member)."""
    rt = websocket.app.state.runtime
    member, session = websocket.state.member, websocket.state.session
    if not origin_ok(websocket):
        await websocket.close(code=live.CLOSE_POLICY)
        return
    room_id = websocket.path_params["room_id"]
    try:
        room = await service.enterable(member, room_id)
    except Refused:
        await websocket.close(code=live.CLOSE_POLICY)
        return
    cursor = _cursor(websocket, room)
    await websocket.accept()
    if cursor is None:
        await websocket.send_text(json.dumps({"type": "error", "code": "invalid_query", "message": gettext(
            request_locale(websocket), _l("after must be a whole number of at least 0."))}))
        await websocket.close(code=CLOSE_BAD_REQUEST)
        return
    connection = Connection(websocket, room, member, session, rt, cursor)
    # Subscribe before reading the log: anything published meanwhile waits in the queue.
    subscription = await rt.broker.subscribe(events.channel(room.id), live.channel(member.id))
    rt.sockets.add(connection)
    try:
        if not await connection.session_live():
            await connection.close(live.CLOSE_SIGNED_OUT)
        await connection.sync()
        await rt.presence.enter(room.id, connection.id)
        rt.presence.announce(room.id, events.channel(room.id))
        reader = asyncio.create_task(connection.receive())
        writer = asyncio.create_task(connection.pump(subscription))
        done, pending = await asyncio.wait({reader, writer}, return_when=asyncio.FIRST_COMPLETED)
        for task in pending:
            task.cancel()
        for task in (*done, *pending):
            with contextlib.suppress(WebSocketDisconnect, RuntimeError, asyncio.CancelledError, Closed):
                await task
    except (WebSocketDisconnect, RuntimeError, Closed):
        pass
    except Exception:  # noqa: BLE001 - a failure ends this socket only, and is logged without content
        log.exception("room socket failed")
    finally:
        rt.sockets.discard(connection)
        await subscription.close()
        with contextlib.suppress(Exception):
            await rt.presence.leave(room.id, connection.id)
            rt.presence.announce(room.id, events.channel(room.id))
        with contextlib.suppress(Exception):
            await websocket.close()
