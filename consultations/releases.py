"""When figures are released: once at the close (the final release), and before it only on request,
at least k new respondents after the last release, never per submission. What each release holds
is made by results.figures and never changes afterwards.
"""

from __future__ import annotations

from datetime import datetime, timezone

from tortoise.exceptions import IntegrityError

from consultations import results
from consultations.models import Consultation, Release
from consultations.service import NOT_FOUND, editable, get
from network.core.i18n import lazy as _l
from network.core.refusal import Refused
from network.members.models import Member


def ended(consultation: Consultation) -> bool:
    if consultation.status in ("closed", "published"):
        return True
    return consultation.closes_at is not None and consultation.closes_at <= datetime.now(timezone.utc)


async def latest(consultation: Consultation) -> Release | None:
    """The newest release; once the consultation has ended, its final release (made now if need be)."""
    newest = await Release.filter(consultation=consultation).order_by("-number").first()
    if ended(consultation) and (newest is None or not newest.final):
        newest = await _make(consultation, final=True, after=newest)
    return newest


async def _make(consultation: Consultation, final: bool, after: Release | None) -> Release:
    figures = await results.figures(consultation)
    number = (after.number if after else 0) + 1
    try:
        return await Release.create(consultation=consultation, number=number, final=final,
                                    respondents=await results.respondents(consultation), figures=figures,
                                    released_on=datetime.now(timezone.utc).date())
    except IntegrityError:
        # Made at the same moment by another request (many members open the results as it closes):
        # that one is the release, and every reader is shown the same.
        return await Release.get(consultation=consultation, number=number)


async def interim(actor: Member, consultation_id: int) -> Release:
    """A release before the close, for the owner, once k more people have answered since the last."""
    consultation = await editable(actor, consultation_id)
    previous = await latest(consultation)
    if previous is not None and previous.final:
        return previous
    count = await results.respondents(consultation)
    needed = (previous.respondents if previous else 0) + consultation.k
    if count < needed:
        raise Refused("too_soon", _l("Figures can be released again once %(k)s more people have answered."),
                      kind="conflict", k=consultation.k)
    return await _make(consultation, final=False, after=previous)


async def final_for(consultation_id: int) -> tuple[Consultation, Release]:
    """For any member, once the consultation has ended: its final release (results are for everyone
    the consultation was about, not only those who answered)."""
    consultation = await get(consultation_id)
    if consultation.status == "draft":
        raise Refused("not_found", NOT_FOUND, kind="not_found")
    release = await latest(consultation)
    if release is None or not release.final:
        raise Refused("not_yet", _l("The figures are shared once the consultation has closed."), kind="not_found")
    return consultation, release


async def released_to_members(limit: int = 100) -> list[Consultation]:
    """Consultations whose results members can read: ended, not drafts, the latest first."""
    candidates = await Consultation.filter(status__in=["open", "closed", "published"]).order_by("-id").limit(limit * 2)
    return [c for c in candidates if ended(c)][:limit]


async def all_of(consultation: Consultation) -> list[Release]:
    await latest(consultation)
    return await Release.filter(consultation=consultation).order_by("number")


async def can_release(consultation: Consultation) -> bool:
    """Whether an interim release could be made now (told in steps of k, never a count)."""
    previous = await Release.filter(consultation=consultation).order_by("-number").first()
    if ended(consultation) or (previous and previous.final):
        return False
    return await results.respondents(consultation) >= (previous.respondents if previous else 0) + consultation.k
