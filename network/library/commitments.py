"""State commitments on conflict-related sexual violence, per country, linked to library entries."""

from __future__ import annotations

from network.core.refusal import Refused
from network.library.models import COMMITMENT_STATUSES, Commitment, Entry
from network.library.rules import (
    REQUIRED,
    TOO_MANY,
    choice,
    countries,
    day,
    listed,
    on,
    require_curator,
    save,
    typed,
)
from network.library.service import readable_by

MOST_LINKED = 50
CHUNK = 5000


def commitment_details(data: dict) -> dict:
    country = countries([data.get("country")] if data.get("country") else [], "country")
    if not country:
        raise Refused("required", REQUIRED, field="country")
    entry_ids = [i for i in listed(data.get("entry_ids"), "entry_ids")
                 if isinstance(i, int) and not isinstance(i, bool)]
    if len(entry_ids) > MOST_LINKED:
        raise Refused("too_many", TOO_MANY, field="entry_ids")
    return {"country": country[0], "instrument": typed(data, "instrument", required=True, line=True),
            "made_on": day(data.get("made_on"), "made_on"), "promise": typed(data, "promise"),
            "carried_by": typed(data, "carried_by", line=True),
            "status": choice(data.get("status"), COMMITMENT_STATUSES, "status", default="promised"),
            "entry_ids": list(dict.fromkeys(entry_ids))}


async def save_commitment(curator, data: dict, commitment_id: int | None = None, connection=None) -> Commitment:
    require_curator(curator)  # before anything is read for them
    details = commitment_details(data)
    # Only entries that exist are linked: a number typed wrong links nothing.
    known = set(await on(Entry.filter(id__in=details["entry_ids"]), connection).values_list("id", flat=True))
    details["entry_ids"] = [i for i in details["entry_ids"] if i in known]
    return await save(Commitment, "commitment", curator, details, commitment_id, connection)


async def commitments(country: str | None = None) -> list[Commitment]:
    query = Commitment.filter(country=country.upper()) if country else Commitment.all()
    return await query.order_by("country", "-made_on", "id")


async def linked_entries(commitment_list: list[Commitment], member) -> dict[int, Entry]:
    """The entries commitments link to that this reader may open."""
    ids = sorted({i for c in commitment_list for i in c.entry_ids})
    linked, readable = {}, readable_by(member)
    for start in range(0, len(ids), CHUNK):  # a bounded number of parameters per query
        linked.update({e.id: e for e in await Entry.filter(readable, id__in=ids[start:start + CHUNK])})
    return linked
