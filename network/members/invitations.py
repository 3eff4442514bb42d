"""Invitations: administrators invite any role; members vouch for a few new members a month."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from network.core.access import allowed
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


def period(moment: datetime) -> int:
    """The month a vouch counts in (UTC): its slots are numbered within it."""
    return moment.year * 12 + moment.month - 1


async def vouches_left(rt: Runtime, member: Member) -> int:
    if not allowed(member.role, "vouch"):  # a decoy has a new member's levels, and so their vouches
        return 0
    made = await Invitation.filter(created_by=member, vouch_period=period(_now())).count()
    return max(0, rt.settings.vouch_per_month - made)


async def _vouch(rt: Runtime, creator: Member, fields: dict) -> Invitation:
    """A vouch in a free slot of this month. The database holds the limit: slots run from 1 to the
    monthly limit and (creator, month, slot) is unique, so of requests racing for a slot one row
    goes in and the others try the next one; when every slot is taken, the limit is reached.
    A revoked vouch keeps its slot, as it always counted."""
    month = period(_now())
    limit = rt.settings.vouch_per_month
    taken = set(await Invitation.filter(created_by=creator, vouch_period=month).values_list("vouch_slot", flat=True))
    for slot in range(1, limit + 1):
        if slot in taken:
            continue
        try:
            # Its own transaction (a savepoint inside another), so a refused insert spoils nothing.
            async with in_transaction() as connection:
                return await Invitation.create(**fields, created_by=creator, vouch_period=month, vouch_slot=slot,
                                               using_db=connection)
        except IntegrityError:
            continue  # another request took this slot first
    raise Refused("vouch_limit", _l("You have used all your invitations for this month."), kind="conflict")


async def create(rt: Runtime, creator: Member | None, role: str = "member", uses: int = 1,
                 days: int = 7) -> tuple[Invitation, str]:
    """A new invitation and its code (shown once; only a keyed digest is stored)."""
    if role not in ROLES:
        raise Refused("invalid_role", _l("Choose one of the roles offered."), field="role")
    if not 1 <= uses <= MAX_USES:
        raise Refused("invalid_uses", _l("An invitation can be used from 1 to %(max)s times."), field="uses", max=MAX_USES)
    if not 1 <= days <= MAX_DAYS:
        raise Refused("invalid_days", _l("An invitation can last from 1 to %(max)s days."), field="days", max=MAX_DAYS)
    code = new_code()
    fields = {"code_hash": digest(rt.settings.secret_key, "invitation", code), "role": role, "max_uses": uses,
              "expires_at": _now() + timedelta(days=days)}
    if creator is None or creator.role == "admin":
        return await Invitation.create(**fields, created_by=creator), code
    if not allowed(creator.role, "vouch"):  # who may vouch: the access table's word
        raise Refused("no_vouching", _l("Your role does not vouch for new members."), kind="forbidden")
    # Vouching: one-use member invitations only, a few a month.
    if role != "member" or uses != 1:
        raise Refused("vouch_only", _l("Members can invite one new member per invitation."), kind="forbidden", field="role")
    return await _vouch(rt, creator, fields), code


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
