"""Invitations: administrators invite any role; members vouch for a few new members a month."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from network.core.i18n import lazy as _l
from network.core.keys import digest, new_code
from network.core.refusal import Refused
from network.core.runtime import Runtime
from network.members.models import ROLES, Invitation, Member

MAX_DAYS, MAX_USES = 90, 500


def _now() -> datetime:
    return datetime.now(timezone.utc)


def status(invitation: Invitation) -> str:
    if invitation.revoked_at:
        return "revoked"
    if invitation.uses >= invitation.max_uses:
        return "used"
    if invitation.expires_at <= _now():
        return "expired"
    return "active"


async def vouches_left(rt: Runtime, member: Member) -> int:
    if member.role == "decoy":
        return 0
    since = _now() - timedelta(days=30)
    made = await Invitation.filter(created_by=member, created_at__gte=since).count()
    return max(0, rt.settings.vouch_per_month - made)


async def create(rt: Runtime, creator: Member | None, role: str = "member", uses: int = 1,
                 days: int = 7) -> tuple[Invitation, str]:
    """A new invitation and its code (shown once; only a keyed digest is stored)."""
    if role not in ROLES:
        raise Refused("invalid_role", _l("Choose one of the roles offered."), field="role")
    if not 1 <= uses <= MAX_USES:
        raise Refused("invalid_uses", _l("An invitation can be used from 1 to %(max)s times."), field="uses", max=MAX_USES)
    if not 1 <= days <= MAX_DAYS:
        raise Refused("invalid_days", _l("An invitation can last from 1 to %(max)s days."), field="days", max=MAX_DAYS)
    if creator is not None and creator.role != "admin":
        # Vouching: one-use member invitations only, a few a month.
        if role != "member" or uses != 1:
            raise Refused("vouch_only", _l("Members can invite one new member per invitation."), kind="forbidden", field="role")
        if await vouches_left(rt, creator) <= 0:
            raise Refused("vouch_limit", _l("You have used all your invitations for this month."), kind="conflict")
    code = new_code()
    invitation = await Invitation.create(
        code_hash=digest(rt.settings.secret_key, "invitation", code), role=role, max_uses=uses,
        expires_at=_now() + timedelta(days=days), created_by=creator,
    )
    return invitation, code


async def listing(member: Member) -> list[Invitation]:
    query = Invitation.all() if member.role == "admin" else Invitation.filter(created_by=member)
    return await query.order_by("-created_at").limit(200)


async def revoke(member: Member, invitation_id: int) -> Invitation:
    query = Invitation.filter(id=invitation_id)
    if member.role != "admin":
        query = query.filter(created_by=member)
    invitation = await query.first()
    if invitation is None:
        raise Refused("not_found", _l("That invitation was not found."), kind="not_found")
    if invitation.revoked_at is None:
        invitation.revoked_at = _now()
        await invitation.save(update_fields=["revoked_at"])
    return invitation
