"""Partner organisations: profiles, who represents them, and the one answer to "may this member act
for this organisation?" that every route acting for one asks (network.core.access). No HTTP."""

from __future__ import annotations

from tortoise.exceptions import IntegrityError

from network.core.i18n import lazy as _l
from network.core.refusal import Refused, within
from network.members import accounts
from network.members.models import Member
from network.members.profiles import SPOKEN_LANGUAGES, regions
from network.organisations.models import ORGANISATION_KINDS, Organisation, Representative

NOT_FOUND = _l("That organisation was not found.")
PROFILE_MAX = 3000


async def represents(member: Member, organisation_id: int) -> bool:
    """Only an active member named as its representative acts for an active organisation: never a
    decoy (its account is not the member's), never an administrator by role alone, never a
    policymaker or a member under 18 (whatever they were when named)."""
    if member is None or member.role in ("decoy", "policymaker") or member.status != "active" or \
            member.age_band == "under18":
        return False
    return await Representative.filter(organisation_id=organisation_id, member_id=member.id,
                                       organisation__active=True).exists()


async def representing(member: Member) -> list[Organisation]:
    if member.role == "decoy":
        return []
    return await Organisation.filter(representatives__member_id=member.id, active=True).order_by("name")


def _fields(data: dict, full: bool) -> dict:
    languages = [code for code in data.get("languages") or [] if code]
    if not set(languages) <= set(SPOKEN_LANGUAGES):
        raise Refused("invalid_language", _l("Choose languages from the list."), field="languages")
    fields = {"profile": within(data.get("profile"), PROFILE_MAX, "profile"), "languages": sorted(set(languages))}
    if full:
        name = within(data.get("name"), 120, "name")
        if len(name) < 2:
            raise Refused("invalid_name", _l("An organisation's name has 2 to 120 characters."), field="name")
        kind = data.get("kind") or "other"
        if kind not in ORGANISATION_KINDS:
            raise Refused("invalid_kind", _l("Choose from the list offered."), field="kind")
        country = (data.get("country") or "").strip().upper()
        if country not in regions():
            raise Refused("invalid_country", _l("Choose a country from the list."), field="country")
        fields.update(name=name, kind=kind, country=country)
    return fields


async def create(data: dict) -> Organisation:
    try:
        return await Organisation.create(**_fields(data, full=True))
    except IntegrityError:
        raise Refused("name_taken", _l("An organisation with this name is already a partner."), field="name",
                      kind="conflict") from None


async def get(organisation_id: int, active_only: bool = True) -> Organisation:
    organisation = await Organisation.get_or_none(id=organisation_id)
    if organisation is None or (active_only and not organisation.active):
        raise Refused("not_found", NOT_FOUND, kind="not_found")
    return organisation


async def update_profile(organisation_id: int, data: dict) -> Organisation:
    """What its representatives may change: how it describes itself and the languages it works in."""
    organisation = await get(organisation_id)
    await Organisation.filter(id=organisation.id).update(**_fields(data, full=False))
    return await get(organisation_id)


async def update(organisation_id: int, data: dict) -> Organisation:
    """An administrator's change: everything, and whether it is still a partner."""
    organisation = await get(organisation_id, active_only=False)
    fields = _fields(data, full=True)
    fields["active"] = bool(data.get("active", True))
    try:
        await Organisation.filter(id=organisation.id).update(**fields)
    except IntegrityError:
        raise Refused("name_taken", _l("An organisation with this name is already a partner."), field="name",
                      kind="conflict") from None
    return await get(organisation_id, active_only=False)


async def hosts(items) -> dict[int, Organisation]:
    """The organisations that run these rooms or meetings (anything with `organisation_id`), by id: one
    query, none when no organisation runs any."""
    ids = {item.organisation_id for item in items if item.organisation_id is not None}
    return {o.id: o for o in await Organisation.filter(id__in=ids)} if ids else {}


async def directory(limit: int = 200) -> list[Organisation]:
    return await Organisation.filter(active=True).order_by("name").limit(limit)


async def all_organisations() -> list[Organisation]:
    return await Organisation.all().order_by("name").limit(500)


async def representatives(organisation: Organisation) -> list[Representative]:
    return await Representative.filter(organisation=organisation).select_related("member").order_by("id")


async def add_representative(admin: Member, organisation_id: int, pseudonym: str) -> Representative:
    organisation = await get(organisation_id, active_only=False)
    member = await accounts.active_named(pseudonym)
    # A policymaker would enter survivors' rooms uninvited and speak in consultations they ask; a
    # member under 18 would organise adults' meetings. Neither represents an organisation.
    if member.role == "policymaker" or member.age_band == "under18":
        raise Refused("cannot_represent", _l("Policymakers and members under 18 do not represent organisations."),
                      field="pseudonym")
    representative, _ = await Representative.get_or_create(organisation=organisation, member=member,
                                                           defaults={"added_by": admin})
    return representative


async def remove_representative(organisation_id: int, representative_id: int) -> None:
    if not await Representative.filter(id=representative_id, organisation_id=organisation_id).delete():
        raise Refused("not_found", _l("That representative was not found."), kind="not_found")
