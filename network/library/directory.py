"""The support services directory: what readers see of a service, and members' suggestions that
curators decide. How to reach a service is sealed at rest and shown as rules.reach says."""

from __future__ import annotations

import json
from datetime import date

from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from network.core.i18n import lazy as _l
from network.core.personal import plain
from network.core.refusal import Refused, within
from network.core.settings import LOCALES
from network.library.models import COSTS, SERVICE_KINDS, VISIBILITIES, Service, ServiceSuggestion
from network.library.rules import (
    LIMITS,
    NOT_FOUND,
    REQUIRED,
    choice,
    choices,
    countries,
    day,
    now,
    reads_members_only,
    record,
    require_curator,
    save,
    typed,
    website,
)

ALREADY_DECIDED = _l("This suggestion has already been decided.")
# How long a service's details are trusted before its page warns that they may be out of date.
VERIFIED_FOR_DAYS = 365
PER_PAGE = 50
SERVICE_FIELDS = ("kind", "name", "country", "region", "languages", "hours", "cost", "summary", "website",
                  "visibility", "last_verified", "address", "phone", "how_to_reach", "call_logged")
SENSITIVE = ("address", "phone", "how_to_reach", "call_logged")


def service_details(data: dict, partial: bool = False) -> dict:
    """A service's fields as typed; `partial` (a member's correction) keeps only those given."""
    readers = {
        "kind": lambda v: choice(v, SERVICE_KINDS, "kind"),
        "name": lambda v: typed({"name": v}, "name", required=True, line=True),
        "country": lambda v: (countries([v], "country") or [None])[0],
        "region": lambda v: typed({"region": v}, "region", line=True),
        "languages": lambda v: choices(v, LOCALES, "languages"),
        "hours": lambda v: typed({"hours": v}, "hours", line=True),
        "cost": lambda v: choice(v, COSTS, "cost", default="free"),
        "summary": lambda v: typed({"summary": v}, "summary"),
        "website": website,
        "visibility": lambda v: choice(v, VISIBILITIES, "visibility", default="members"),
        "last_verified": lambda v: day(v, "last_verified"),
        "address": lambda v: typed({"address": v}, "address"),
        "phone": lambda v: typed({"phone": v}, "phone", line=True),
        "how_to_reach": lambda v: typed({"how_to_reach": v}, "how_to_reach"),
        "call_logged": lambda v: None if v in (None, "", "unknown") else v in (True, "yes", "true", "1"),
    }
    given = {name: data.get(name) for name in SERVICE_FIELDS
             if not partial or data.get(name) not in (None, "", [])}
    details = {name: readers[name](value) for name, value in given.items()}
    if not partial and not details.get("country"):
        raise Refused("required", REQUIRED, field="country")
    return details


async def save_service(curator, data: dict, service_id: int | None = None, connection=None) -> Service:
    return await save(Service, "service", curator, service_details(data), service_id, connection)


async def verify(curator, service_id: int) -> Service:
    require_curator(curator)
    async with in_transaction() as connection:
        service = await Service.filter(id=service_id).using_db(connection).first()
        if service is None:
            raise NOT_FOUND
        service.last_verified = now().date()
        await service.save(using_db=connection, update_fields=["last_verified", "updated_at"])
        await record(connection, curator, "service", service.id, "verified")
    return service


def out_of_date(service, today: date | None = None) -> bool:
    today = today or now().date()
    return service.last_verified is None or (today - service.last_verified).days > VERIFIED_FOR_DAYS


def service_filter(member, country: str | None = None, kind: str | None = None) -> Q:
    where = Q(active=True)
    if not reads_members_only(member):
        where &= Q(visibility="public")
    if country:
        where &= Q(country=country.upper())
    if kind:
        where &= Q(kind=kind)
    return where


async def services(member, country=None, kind=None, language=None, limit=50, offset=0) -> tuple[list[Service], int]:
    rows = await Service.filter(service_filter(member, country, kind)).order_by("country", "region", "name", "id")
    if language:
        # Languages are a JSON list, matched here the same way on both databases: a directory is small.
        rows = [s for s in rows if language in (s.languages or [])]
    return rows[offset:offset + limit], len(rows)


async def readable_service(service_id: int, member) -> Service:
    service = await Service.get_or_none(id=service_id)
    if service is None or not service.active or (service.visibility != "public" and not reads_members_only(member)):
        raise NOT_FOUND
    return service


async def suggest(member, data: dict, service_id: int | None = None) -> ServiceSuggestion:
    """A member's correction to a service, or a new one: kept sealed until a curator decides."""
    if service_id is not None:
        await readable_service(service_id, member)
    proposal = service_details(data, partial=service_id is not None)
    note = typed(data, "note")
    if not proposal and not note:
        raise Refused("required", REQUIRED, field="note")
    async with in_transaction() as connection:
        suggestion = await ServiceSuggestion.create(
            service_id=service_id, member=member, note=note, using_db=connection,
            proposal=json.dumps({k: plain(v) for k, v in proposal.items()}, ensure_ascii=False))
        await record(connection, member, "suggestion", suggestion.id, "suggested")
    return suggestion


async def open_suggestions(limit: int = 100) -> list[ServiceSuggestion]:
    return await ServiceSuggestion.filter(status="open").order_by("created_at").limit(limit)


async def decide(curator, suggestion_id: int, accept: bool, reason: str = "") -> ServiceSuggestion:
    require_curator(curator)
    reason = within(reason, LIMITS["reason"], "reason")
    async with in_transaction() as connection:
        suggestion = await ServiceSuggestion.filter(id=suggestion_id).using_db(connection) \
            .select_for_update().first()
        if suggestion is None:
            raise NOT_FOUND
        if suggestion.status != "open":
            raise Refused("decided", ALREADY_DECIDED, kind="conflict")
        if accept:
            proposal = json.loads(suggestion.proposal or "{}")
            if suggestion.service_id is None:
                service = await save_service(curator, proposal, connection=connection)
                suggestion.service_id = service.id
            else:
                service = await Service.filter(id=suggestion.service_id).using_db(connection).first()
                current = {name: getattr(service, name) for name in SERVICE_FIELDS}
                await save_service(curator, {**current, **proposal}, service.id, connection=connection)
        suggestion.status = "accepted" if accept else "declined"
        suggestion.reason, suggestion.decided_by, suggestion.decided_at = reason, curator, now()
        await suggestion.save(using_db=connection)
        await record(connection, curator, "suggestion", suggestion.id, suggestion.status, reason)
    return suggestion




async def names_of(service_ids: list[int]) -> dict[int, str]:
    return dict(await Service.filter(id__in=service_ids).values_list("id", "name"))
