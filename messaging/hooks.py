"""What every new or edited message passes: the registry's message filters and send checks.

Higher packages (moderation) add their filters in their `setup()`; the strictest answer wins:
reject, then hold, then allow.
"""

from __future__ import annotations

from dataclasses import dataclass, replace


@dataclass(frozen=True)
class Decision:
    action: str = "allow"          # allow, hold or reject
    reason: str = ""               # a message id for the catalogs, shown to the sender
    code: str = ""                 # a stable code for clients
    # What to do once the message is stored, each called with (rt, message): a flag for the
    # moderators' queue points at the message it was raised on.
    followups: tuple = ()


ALLOW = Decision()
_ORDER = {"allow": 0, "hold": 1, "reject": 2}


async def refusal(rt, member, room) -> str | None:
    """The first send check that refuses this member here now (a mute, say), or None."""
    for check in rt.registry.send_checks:
        message = await check(rt, member, room)
        if message:
            return message
    return None


async def decide(rt, member, room, body: str, content_warning: str) -> Decision:
    """The strictest filter's answer, with every filter's followups."""
    decision, followups = ALLOW, ()
    for check in rt.registry.message_filters:
        result = await check(rt, member, room, body, content_warning)
        followups += result.followups
        if _ORDER[result.action] > _ORDER[decision.action]:
            decision = result
    return replace(decision, followups=followups)
