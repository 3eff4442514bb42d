"""State commitments on conflict-related sexual violence, per country, linked to library entries."""

from __future__ import annotations

from tortoise.expressions import Q

from network.core.i18n import lazy as _l
from network.core.refusal import Refused
from network.library.models import COMMITMENT_STATUSES, Commitment, Entry
from network.library.rules import (
    REQUIRED,
    choice,
    countries,
    day,
    listed,
    reads_members_only,
    require_curator,
    save,
    typed,
)

MOST_LINKED = 50
CHUNK = 5000


def commitment_details(data: dict) -> dict:
    country = countries([data.get("country")] if data.get("country") else [], "country")
    if not country:
        raise Refused("required", REQUIRED, field="country")
    entry_ids = [i for i in listed(data.get("entry_ids"), "entry_ids")
                 if isinstance(i, int) and not isinstance(i, bool)]
    if len(entry_ids) > MOST_LINKED:
        raise Refused("too_many", _l("There are too many items."), field="entry_ids")
    return {"country": country[0], "instrument": typed(data, "instrument", required=True, line=True),
            "made_on": day(data.get("made_on"), "made_on"), "promise": typed(data, "promise"),
            "carried_by": typed(data, "carried_by", line=True),
            "status": choice(data.get("status"), COMMITMENT_STATUSES, "status", default="promised"),
            "entry_ids": list(dict.fromkeys(entry_ids))}


async def save_commitment(curator, data: dict, commitment_id: int | None = None, connection=None) -> Commitment:
    require_curator(curator)
    details = commitment_details(data)
    # Only entries that exist are linked: a number typed wrong links nothing.
    query = Entry.filter(id__in=details["entry_ids"])
    known = set(await (query.using_db(connection) if connection else query).values_list("id", flat=True))
    details["entry_ids"] = [i for i in details["entry_ids"] if i in known]
    return await save(Commitment, "commitment", curator, details, commitment_id, connection)


async def commitments(country: str | None = None) -> list[Commitment]:
    query = Commitment.filter(country=country.upper()) if country else Commitment.all()
    return await query.order_by("country", "-made_on", "id")


async def linked_entries(commitment_list: list[Commitment], member) -> dict[int, Entry]:
    """The entries commitments link to that this reader may open."""
    ids = sorted({i for c in commitment_list for i in c.entry_ids})
    linked = {}
    for start in range(0, len(ids), CHUNK):  # a bounded number of parameters per query
        where = Q(id__in=ids[start:start + CHUNK], published_at__not_isnull=True) & ~Q(status="archived")
        if not reads_members_only(member):
            where &= Q(visibility="public")
        linked.update({e.id: e for e in await Entry.filter(where)})
    return linked
