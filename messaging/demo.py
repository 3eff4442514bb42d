"""Demo content: two rooms with a few messages."""

from __future__ import annotations

from messaging import service
from messaging.models import Membership, Room


async def seed(rt, accounts: dict, only_if_empty: bool = False) -> None:
    if await Room.exists():
        return
    moderator, member = accounts["moderator"], accounts["member"]
    welcome = await service.create_room(moderator, {
        "name": "Welcome", "description": "Say hello. Moderators are here to keep this room safe.", "kind": "open",
        "age_group": "adults"})
    await service.create_room(moderator, {
        "name": "Peer support", "description": "Checked by a moderator before messages appear.", "kind": "premod",
        "retention": "30d", "slow_mode_seconds": 10})
    await Membership.get_or_create(room=welcome, member=member)
    for who, text in ((moderator, "Welcome, everyone. Please use only your pseudonym here."),
                      (member, "Hello from the demo member."),
                      (moderator, "Remember: quick exit is always at the bottom of the screen.")):
        await service.post(rt, who, welcome.id, text)
