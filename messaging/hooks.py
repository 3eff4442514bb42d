"""What higher packages plug into messaging (wired by network/app.py).

Every new message passes each filter before it is stored and published; the strictest answer
wins: reject, then hold, then allow. Moderation adds its filters here.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Decision:
    action: str = "allow"          # allow, hold or reject
    reason: str = ""               # a message id for the catalogs, shown to the sender
    code: str = ""                 # a stable code for clients


ALLOW = Decision()
_ORDER = {"allow": 0, "hold": 1, "reject": 2}

# (member, room, body, content_warning) -> Decision
message_filters: list[Callable[..., Awaitable[Decision]]] = []
# (member, room) -> a refusal message id when the member may not post now (a mute, say), or None
send_checks: list[Callable[..., Awaitable[str | None]]] = []


async def decide(member, room, body: str, content_warning: str) -> Decision:
    decision = ALLOW
    for check in message_filters:
        result = await check(member, room, body, content_warning)
        if _ORDER[result.action] > _ORDER[decision.action]:
            decision = result
    return decision
