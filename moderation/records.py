"""What every moderator action shares: the append-only log, reasons, notices and claims."""

from __future__ import annotations

from datetime import datetime, timezone

from moderation.models import Claim, LogEntry, Notice, Sanction
from network.core.i18n import lazy as _l
from network.core.refusal import Refused
from network.members.models import Member

STAFF = ("moderator", "admin")
NEEDS_REASON = _l("Every action needs a reason.")


def now() -> datetime:
    return datetime.now(timezone.utc)


async def log(actor: Member | None, action: str, target: str, reason: str = "", subject: int | None = None) -> None:
    """`subject`: the member the action was about; erasing them keeps the action, not the reason."""
    await LogEntry.create(actor=actor, system=actor is None, subject_id=subject, action=action,
                          target=target[:200], reason=reason)


def reason_given(reason: str | None) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise Refused("reason_required", NEEDS_REASON, field="reason")
    if len(reason) > 1000:
        raise Refused("too_long", _l("A reason can have at most %(max)s characters."), field="reason", max=1000)
    return reason


async def notify(member_id: int | None, kind: str, reason: str, sanction: Sanction | None = None) -> None:
    """The member is told what was done and why (never who reported them)."""
    if member_id:
        await Notice.create(member_id=member_id, kind=kind, reason=reason, sanction=sanction)


async def done(kind: str, item_id: int) -> None:
    await Claim.filter(kind=kind, item_id=item_id).delete()
