"""What a member's open connections are told, on every worker: their session or their place in a
room has ended (the socket closes), or a moderator's notice (the socket stays).

Each member's sockets listen on the member's own channel, so one publish reaches them wherever
they are connected. The broker is a fast path here too: a socket also checks its session itself
before it accepts a frame, and when the session would expire.
"""

from __future__ import annotations

import logging

log = logging.getLogger("survnet.live")
CLOSE_SIGNED_OUT, CLOSE_POLICY = 4401, 4403


def channel(member_id: int) -> str:
    return f"member:{member_id}"


async def _publish(rt, member_id: int, frame: dict) -> None:
    try:
        await rt.broker.publish(channel(member_id), frame)
    except Exception as exc:  # noqa: BLE001 - the socket's own session check still closes it
        log.warning("telling member connections failed (%s)", type(exc).__name__)


async def revoke(rt, member_id: int, session_ids: list[int] | None = None, *, room_id: int | None = None,
                 code: str = "signed_out", reason: str = "", close: int = CLOSE_SIGNED_OUT) -> None:
    """Closes the member's sockets: of these sessions (None: all of them), in this room (None: all)."""
    await _publish(rt, member_id, {"type": "revoke", "sessions": session_ids, "room_id": room_id,
                                   "code": code, "reason": reason, "close": close})


async def notice(rt, member_id: int, code: str, reason: str, room_id: int | None = None) -> None:
    await _publish(rt, member_id, {"type": "notice", "room_id": room_id, "code": code, "reason": reason})
