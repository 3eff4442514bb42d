"""The room's WebSocket: catch-up then live, with no gap and no duplicate between the two.

Frames from the client: {"type": "send", "body", "content_warning", "reply_to", "client_id"} and
{"type": "ping"}. From the server: message, ack, edited, deleted, hidden, presence, error, pong.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import secrets
from urllib.parse import urlsplit

from starlette.websockets import WebSocket, WebSocketDisconnect

from messaging import service
from network.core.i18n import gettext
from network.core.i18n import lazy as _l
from network.core.refusal import Refused
from network.core.templating import request_locale

log = logging.getLogger("survnet.rooms")
FRAME_MAX = 16 * 1024
HEARTBEAT = 25
CLOSE_POLICY, CLOSE_TOO_SLOW = 4403, 4008


def origin_ok(websocket: WebSocket) -> bool:
    """Only pages of this site may open a socket: the Origin's host must be ours."""
    origin = websocket.headers.get("origin")
    host = websocket.headers.get("host")
    return bool(origin and host) and urlsplit(origin).netloc == host


class Connection:
    def __init__(self, websocket: WebSocket, room, member, rt):
        self.ws, self.room, self.member, self.rt = websocket, room, member, rt
        self.locale = request_locale(websocket)
        self.id = secrets.token_hex(8)
        self.last_id = 0

    async def send(self, frame: dict) -> None:
        await self.ws.send_text(json.dumps(frame, ensure_ascii=False))

    async def error(self, code: str, message: str, **params) -> None:
        await self.send({"type": "error", "code": code, "message": gettext(self.locale, message, **params)})

    async def replay(self, after: int) -> None:
        while True:
            batch = await service.history(self.room, after=after, limit=200, viewer=self.member)
            for item in await service.views(batch):
                await self.send({"type": "message", "message": item})
                self.last_id = max(self.last_id, item["id"])
            if len(batch) < 200:
                return
            after = batch[-1].id

    async def pump(self, subscription) -> None:
        """Live frames, skipping what the catch-up already sent."""
        while True:
            try:
                frame = await asyncio.wait_for(subscription.get(), timeout=HEARTBEAT)
            except asyncio.TimeoutError:
                count = await self.rt.presence.refresh(self.room.id, self.id)
                await self.send({"type": "presence", "count": count})
                continue
            if subscription.overflowed:
                # Too slow to keep up: it reconnects and catches up from the database instead.
                await self.ws.close(code=CLOSE_TOO_SLOW)
                return
            if frame.get("type") == "message":
                if frame["message"]["id"] <= self.last_id:
                    continue
                self.last_id = frame["message"]["id"]
            if frame.get("type") in ("kick", "notice"):
                # Private to one member: an error they see; a kick also closes their socket.
                if frame.get("member_id") == self.member.id:
                    await self.error(frame.get("code", "removed"),
                                     frame.get("reason") or _l("You can no longer take part here."))
                    if frame["type"] == "kick":
                        await self.ws.close(code=CLOSE_POLICY)
                        return
                continue
            await self.send(frame)

    async def receive(self) -> None:
        while True:
            raw = await self.ws.receive_text()
            if len(raw) > FRAME_MAX:
                await self.error("too_large", _l("That message is too large."))
                continue
            try:
                frame = json.loads(raw)
            except ValueError:
                await self.error("invalid_json", _l("That could not be read."))
                continue
            if not isinstance(frame, dict):
                await self.error("invalid_frame", _l("That could not be read."))
                continue
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
        if not all(v is None or isinstance(v, str) for v in (fields["body"], fields["content_warning"], client_id)) \
                or not (fields["reply_to"] is None or isinstance(fields["reply_to"], int)):
            await self.error("invalid_frame", _l("That could not be read."))
            return
        try:
            message, _ = await service.post(self.rt, self.member, self.room.id, fields["body"],
                                            fields["content_warning"], fields["reply_to"], client_id)
        except Refused as exc:
            await self.send({"type": "error", "code": exc.code, "client_id": client_id,
                             "message": gettext(self.locale, exc.message, **exc.params)})
            return
        ack = {"type": "ack", "client_id": client_id, "id": message.id, "status": message.status}
        if message.status == "held":
            ack["message"] = gettext(self.locale, message.held_reason or _l(
                "Your message is waiting for a moderator before others can see it."))
        await self.send(ack)


async def room_socket(websocket: WebSocket) -> None:
    """Authenticated by the session cookie (the access layer has checked there is a member)."""
    rt = websocket.app.state.runtime
    member = websocket.state.member
    if not origin_ok(websocket):
        await websocket.close(code=CLOSE_POLICY)
        return
    try:
        room = await service.enterable(member, websocket.path_params["room_id"])
    except Refused:
        await websocket.close(code=CLOSE_POLICY)
        return
    try:
        after = int(websocket.query_params.get("after", "0") or 0)
    except ValueError:
        after = 0
    await websocket.accept()
    connection = Connection(websocket, room, member, rt)
    # Subscribe before reading the database: anything published meanwhile waits in the queue.
    subscription = await rt.broker.subscribe(service.channel(room.id))
    rt.sockets.add(connection)
    try:
        await connection.replay(after)
        await rt.presence.enter(room.id, connection.id)
        rt.presence.announce(room.id, service.channel(room.id))
        reader = asyncio.create_task(connection.receive())
        writer = asyncio.create_task(connection.pump(subscription))
        done, pending = await asyncio.wait({reader, writer}, return_when=asyncio.FIRST_COMPLETED)
        for task in pending:
            task.cancel()
        for task in done:
            with contextlib.suppress(WebSocketDisconnect, RuntimeError, asyncio.CancelledError):
                task.result()
    except (WebSocketDisconnect, RuntimeError):
        pass
    finally:
        rt.sockets.discard(connection)
        await subscription.close()
        with contextlib.suppress(Exception):
            await rt.presence.leave(room.id, connection.id)
            rt.presence.announce(room.id, service.channel(room.id))
        with contextlib.suppress(Exception):
            await websocket.close()
