"""What a member has been told of (commitment updates, answers to proposals), kept on the member's
own row and sealed under their participation key (members.vault): a cursor kept beside the rows it
is about would date each visit to the notices and tie together everything one member reads.
Each package keeps its part under a name of its own ({"updates": ..., "answers": ...})."""

from __future__ import annotations

import json

from network.core.hashing import split
from network.members import vault
from network.members.models import Member


def _sealing(key: bytes) -> bytes:
    return split(key, b"notice cursor")


async def _whole(member: Member, key: bytes) -> dict:
    sealed = await Member.filter(id=member.id).values_list("notice_cursor", flat=True)
    opened = vault.unwrap(sealed[0] if sealed else None, _sealing(key), f"notices:{member.id}")
    try:
        return json.loads(opened) if opened else {}
    except ValueError:
        return {}


async def read(member: Member, key: bytes, part: str) -> dict:
    return (await _whole(member, key)).get(part, {})


async def write(member: Member, key: bytes, part: str, value: dict) -> None:
    """Replaces one package's part (the others are kept as they are)."""
    whole = await _whole(member, key)
    whole[part] = value
    await Member.filter(id=member.id).update(notice_cursor=vault.wrap(
        json.dumps(whole, sort_keys=True).encode(), _sealing(key), f"notices:{member.id}"))
