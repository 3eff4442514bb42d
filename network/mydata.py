"""My data: an export of everything held about a member, and real erasure."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime, timezone

from network import invitations, profiles, sessions
from network.domain import Refused
from network.i18n import lazy as _l
from network.models import Invitation, Member, RecoveryCode
from network.runtime import Runtime

# Domain packages add what they hold about a member (wired by network/app.py).
export_hooks: list[Callable[[Member], Awaitable[dict]]] = []
# Called before the member row goes: each removes or anonymises what its package holds.
erase_hooks: list[Callable[[Member, str], Awaitable[None]]] = []

MESSAGE_CHOICES = ("delete", "anonymise")


async def export(member: Member) -> dict:
    data = {
        "exported_at": datetime.now(timezone.utc).isoformat(),
        "profile": profiles.own_view(member),
        "invited_by": None,
        "sessions": [
            {"id": s.id, "device": s.device, "started": s.created_at.isoformat(),
             "last_active": s.last_seen_at.date().isoformat()}
            for s in await sessions.listing(member)
        ],
        "invitations_created": [
            {"id": i.id, "role": i.role, "uses": i.uses, "max_uses": i.max_uses,
             "expires_at": i.expires_at.isoformat(), "status": invitations.status(i)}
            for i in await Invitation.filter(created_by=member).order_by("id")
        ],
        "recovery_codes_left": await RecoveryCode.filter(member=member, used_at=None).count(),
    }
    if member.invited_by_id:
        inviter = await Member.get_or_none(id=member.invited_by_id)
        data["invited_by"] = inviter.pseudonym if inviter else None
    for hook in export_hooks:
        data.update(await hook(member))
    return data


async def erase(rt: Runtime, member: Member, passphrase: str | None, messages: str = "delete",
                check_passphrase: bool = True) -> None:
    """Deletes the member and everything of theirs; answers in aggregates stay anonymous."""
    if messages not in MESSAGE_CHOICES:
        raise Refused("invalid_choice", _l("Choose what happens to your messages."), field="messages")
    if check_passphrase and not await rt.hasher.verify(member.passphrase_hash, passphrase or ""):
        raise Refused("wrong_passphrase", _l("Your passphrase is not right."), field="passphrase")
    for hook in erase_hooks:
        await hook(member, messages)
    await member.delete()
