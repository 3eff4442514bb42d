"""My data: an export of everything held about a member, and real erasure."""

from __future__ import annotations

from datetime import datetime, timezone

from network.core.i18n import lazy as _l
from network.core.refusal import Refused
from network.core.runtime import Runtime
from network.members import invitations, profiles, sessions
from network.members.models import Invitation, Member, RecoveryCode

MESSAGE_CHOICES = ("delete", "anonymise")


async def export(rt: Runtime, member: Member, key: bytes | None = None) -> dict:
    """Everything held about the member: this package's, then each package's export hook."""
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
    for hook in rt.registry.export_hooks:
        data.update(await hook(rt, member, key))
    return data


async def erase(rt: Runtime, member: Member, passphrase: str | None, messages: str = "delete",
                check_passphrase: bool = True) -> None:
    """Deletes the member and everything of theirs; answers in aggregates stay anonymous."""
    if messages not in MESSAGE_CHOICES:
        raise Refused("invalid_choice", _l("Choose what happens to your messages."), field="messages")
    if check_passphrase and not await rt.hasher.verify(member.passphrase_hash, passphrase or ""):
        raise Refused("wrong_passphrase", _l("Your passphrase is not right."), field="passphrase")
    for hook in rt.registry.erase_hooks:
        await hook(rt, member, messages)
    await sessions.end_all(rt, member)
    await member.delete()
