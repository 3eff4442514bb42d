"""State commitments on conflict-related sexual violence, per country, linked to library entries."""

from __future__ import annotations

from tortoise.expressions import Q

from network.core.refusal import Refused
from network.library.models import COMMITMENT_STATUSES, Commitment, Entry
from network.library.rules import (
    REQUIRED,
    choice,
    countries,
    day,
    require_curator,
    save,
    typed,
)

# Commitments --------------------------------------------------------------------------------------

def commitment_details(data: dict) -> dict:
    country = countries([data.get("country")] if data.get("country") else [], "country")
    if not country:
        raise Refused("required", REQUIRED, field="country")
    entry_ids = data.get("entry_ids") or []
    return {"country": country[0], "instrument": typed(data, "instrument", required=True, line=True),
            "made_on": day(data.get("made_on"), "made_on"), "promise": typed(data, "promise"),
            "carried_by": typed(data, "carried_by", line=True),
            "status": choice(data.get("status"), COMMITMENT_STATUSES, "status", default="promised"),
            "entry_ids": [int(i) for i in entry_ids if isinstance(i, int) and not isinstance(i, bool)]}


async def save_commitment(curator, data: dict, commitment_id: int | None = None, connection=None) -> Commitment:
    require_curator(curator)
    return await save(Commitment, "commitment", curator, commitment_details(data), commitment_id, connection)


async def commitments(country: str | None = None) -> list[Commitment]:
    query = Commitment.filter(country=country.upper()) if country else Commitment.all()
    return await query.order_by("country", "-made_on", "id")


async def linked_entries(commitment_list: list[Commitment], member) -> dict[int, Entry]:
    """The entries commitments link to that this reader may open."""
    ids = {i for c in commitment_list for i in c.entry_ids}
    where = Q(id__in=ids, published_at__not_isnull=True) & ~Q(status="archived")
    if member is None:
        where &= Q(visibility="public")
    return {e.id: e for e in await Entry.filter(where)}


