"""Meetings and their places. No HTTP.

Places are kept within capacity by the database, as budgets are: a place is accepted only by one
conditional UPDATE that raises `accepted` while it is under `capacity`, so racing organisers (or a
cancellation racing an acceptance) never seat more people than there are places. Past capacity a
member waits, in the order they were put on the list, and each place freed is given to the first
of them in the same transaction that frees it.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo, available_timezones

from tortoise.expressions import F
from tortoise.transactions import in_transaction

from network.core import dates
from network.core.i18n import gettext
from network.core.i18n import lazy as _l
from network.core.refusal import Refused, needed, within
from network.meetings.models import MEETING_KINDS, Meeting, Place
from network.members.models import Member
from network.members.profiles import SPOKEN_LANGUAGES
from network.organisations import service as organisations
from network.stipends import service as stipends
from network.stipends.models import Fund

NOT_FOUND = _l("That meeting was not found.")
ORGANISERS = ("moderator", "admin")
REMIND_BEFORE = timedelta(days=3)


def now() -> datetime:
    return datetime.now(timezone.utc)



def _fields(data: dict) -> dict:
    kind = data.get("kind") or "gathering"
    if kind not in MEETING_KINDS:
        raise Refused("invalid_kind", _l("Choose from the list offered."), field="kind")
    title = needed(data.get("title"), 200, "title")
    zone = (data.get("time_zone") or "UTC").strip()
    if zone not in available_timezones() and zone != "UTC":
        raise Refused("invalid_time_zone", _l("Choose a time zone from the list."), field="time_zone")
    starts = dates.moment(data.get("starts_at"), "starts_at")
    ends = dates.moment(data.get("ends_at"), "ends_at")
    # A time typed without its zone is the meeting's own local time.
    starts, ends = (t if t.tzinfo else t.replace(tzinfo=ZoneInfo(zone)) for t in (starts, ends))
    if ends <= starts:
        raise Refused("dates", _l("The end must come after the start."), field="ends_at")
    try:
        capacity = int(data.get("capacity") or 0)
    except (TypeError, ValueError):
        capacity = 0
    if not 1 <= capacity <= 5000:
        raise Refused("invalid_capacity", _l("Give the number of places, from 1 to 5,000."), field="capacity")
    languages = [code for code in data.get("languages") or [] if code]
    interpretation = [code for code in data.get("interpretation") or [] if code]
    if not set(languages + interpretation) <= set(SPOKEN_LANGUAGES):
        raise Refused("invalid_language", _l("Choose languages from the list."), field="languages")
    online = bool(data.get("online"))
    city = within(data.get("city"), 80, "city")
    if not online and not city:
        raise Refused("missing_text", _l("Please fill this in."), field="city")
    return {"kind": kind, "title": title, "summary": within(data.get("summary"), 2000, "summary"),
            "agenda": within(data.get("agenda"), 5000, "agenda"), "online": online, "city": "" if online else city,
            "address": within(data.get("address"), 500, "address") or None, "starts_at": starts.astimezone(timezone.utc),
            "ends_at": ends.astimezone(timezone.utc), "time_zone": zone, "languages": sorted(set(languages)),
            "interpretation": sorted(set(interpretation)), "capacity": capacity}


async def _stipend_fields(data: dict) -> dict:
    """The stipend each accepted place is offered: a fund, and travel and time-off amounts within its caps."""
    if not data.get("fund_id"):
        return {"fund_id": None, "travel_minor": 0, "time_off_minor": 0}
    fund = await Fund.get_or_none(id=data["fund_id"])
    if fund is None:
        raise Refused("not_found", _l("That fund was not found."), field="fund_id")
    amounts = {}
    for kind in ("travel", "time_off"):
        raw = data.get(kind) or "0"
        minor = stipends.to_minor(stipends.money(raw, fund.currency, kind, allow_zero=True), fund.currency)
        stipends.within_cap(fund, kind, minor, kind)
        amounts[f"{kind}_minor"] = minor
    return {"fund_id": fund.id, **amounts}


async def create(organiser: Member, data: dict, organisation_id: int | None = None) -> Meeting:
    """A meeting the organiser runs; with `organisation_id`, one run for a partner organisation they
    represent (its representatives then organise it with them)."""
    organisation = None
    if organisation_id is not None:
        if not await organisations.represents(organiser, organisation_id):
            raise Refused("not_representative", _l("Only the organisation's representatives organise meetings for it."),
                          kind="forbidden")
        organisation = await organisations.get(organisation_id)
    return await Meeting.create(organiser=organiser, organisation=organisation, **_fields(data),
                                **await _stipend_fields(data))


async def get(meeting_id: int) -> Meeting:
    meeting = await Meeting.get_or_none(id=meeting_id)
    if meeting is None:
        raise Refused("not_found", NOT_FOUND, kind="not_found")
    return meeting


async def organises(member: Member, meeting: Meeting) -> bool:
    """The one answer to "may this member decide for this meeting?", asked by every organiser's act:
    an administrator always; the moderator who organised it; and, for a meeting an organisation runs,
    that organisation's representatives (while they are, and while it is a partner)."""
    if member.role == "admin" or (member.role in ORGANISERS and meeting.organiser_id == member.id):
        return True
    return meeting.organisation_id is not None and await organisations.represents(member, meeting.organisation_id)


async def organised(member: Member, meeting_id: int) -> Meeting:
    meeting = await get(meeting_id)
    if not await organises(member, meeting):
        raise Refused("not_found", NOT_FOUND, kind="not_found")
    return meeting



async def upcoming(limit: int = 100) -> list[Meeting]:
    return await Meeting.filter(ends_at__gte=now(), status="planned").order_by("starts_at").limit(limit)


async def place_of(member: Member, meeting: Meeting) -> Place | None:
    return await Place.get_or_none(meeting=meeting, member=member)


async def places_of(meeting: Meeting) -> list[Place]:
    return await Place.filter(meeting=meeting).select_related("member").order_by("created_at", "id")


async def ask(member: Member, meeting_id: int) -> Place:
    meeting = await get(meeting_id)
    if meeting.status != "planned" or meeting.ends_at <= now():
        raise Refused("closed", _l("This meeting takes no more requests."), kind="conflict")
    if meeting.organisation_id is not None and member.age_band == "under18":
        # Organisations run meetings for adults: what members under 18 join stays with the network's staff.
        raise Refused("adults_only", _l("This meeting is for adults. The network's staff organise meetings for "
                                        "members under 18."), kind="forbidden")
    place, made = await Place.get_or_create(meeting=meeting, member=member)
    if not made and place.status in ("declined", "cancelled"):
        await Place.filter(id=place.id).update(status="asked", waiting_since=None)
    return await Place.get(id=place.id)


async def _seat(place_id: int, meeting: Meeting, connection, from_status: str) -> bool:
    """Takes one of the meeting's places for this place, if one is free and the place is still as it was."""
    if not await Meeting.filter(id=meeting.id, accepted__lt=F("capacity")).using_db(connection) \
            .update(accepted=F("accepted") + 1):
        return False
    if not await Place.filter(id=place_id, status=from_status).using_db(connection).update(status="accepted"):
        await Meeting.filter(id=meeting.id).using_db(connection).update(accepted=F("accepted") - 1)
        return False
    return True


async def _offer(place_id: int, meeting: Meeting) -> None:
    """The accepted place's travel and time-off stipend, pre-filled from the meeting."""
    if not meeting.fund_id:
        return
    place = await Place.get(id=place_id).select_related("member")
    if place.stipend_id:
        return
    link = f"/meetings/{meeting.id}"
    for kind in ("travel", "time_off"):
        amount = getattr(meeting, f"{kind}_minor")
        if amount:
            offered = await stipends.offer(place.member, meeting.fund_id, kind, amount, meeting.title, link)
            await Place.filter(id=place.id, stipend_id__isnull=True).update(stipend_id=offered.id)


async def accept(organiser: Member, place_id: int) -> Place:
    """Accepted while there is room; otherwise put on the waiting list, behind those already there."""
    place = await Place.get_or_none(id=place_id).select_related("meeting")
    if place is None or not await organises(organiser, place.meeting):
        raise Refused("not_found", _l("That request was not found."), kind="not_found")
    if place.member_id == organiser.id:  # a place brings a stipend: nobody offers one to themselves
        raise Refused("own_place", _l("Nobody accepts their own place: another organiser does."), kind="forbidden")
    if place.status not in ("asked", "waiting"):
        raise Refused("not_asked", _l("This request has been answered already."), kind="conflict")
    async with in_transaction() as connection:
        seated = await _seat(place.id, place.meeting, connection, place.status)
        if not seated and place.status == "asked":
            await Place.filter(id=place.id, status="asked").using_db(connection).update(status="waiting",
                                                                                       waiting_since=now())
    if seated:
        await _offer(place.id, place.meeting)
    return await Place.get(id=place.id)


async def decline(organiser: Member, place_id: int) -> Place:
    place = await Place.get_or_none(id=place_id).select_related("meeting")
    if place is None or not await organises(organiser, place.meeting):
        raise Refused("not_found", _l("That request was not found."), kind="not_found")
    if not await Place.filter(id=place.id, status__in=["asked", "waiting"]).update(status="declined"):
        raise Refused("not_asked", _l("This request has been answered already."), kind="conflict")
    return await Place.get(id=place.id)


async def cancel(member: Member, meeting_id: int) -> Place:
    """The member gives up their place (or their request); a freed place goes to the first who waits."""
    meeting = await get(meeting_id)
    place = await place_of(member, meeting)
    if place is None or place.status in ("declined", "cancelled"):
        raise Refused("not_found", _l("You have no place in this meeting."), kind="not_found")
    promoted = None
    async with in_transaction() as connection:
        if await Place.filter(id=place.id, status="accepted").using_db(connection).update(status="cancelled"):
            await Meeting.filter(id=meeting.id).using_db(connection).update(accepted=F("accepted") - 1)
            promoted = await _move_up(meeting, connection)
        else:
            await Place.filter(id=place.id).using_db(connection).update(status="cancelled")
    if promoted:
        await _offer(promoted, meeting)
    return await Place.get(id=place.id)


async def _move_up(meeting: Meeting, connection) -> int | None:
    """The first on the waiting list (in order) takes the freed place."""
    for waiting in await Place.filter(meeting=meeting, status="waiting").using_db(connection) \
            .order_by("waiting_since", "id").limit(10):
        if await _seat(waiting.id, meeting, connection, "waiting"):
            return waiting.id
    return None


async def mark_attended(organiser: Member, place_id: int, attended: bool) -> Place:
    place = await Place.get_or_none(id=place_id).select_related("meeting")
    if place is None or not await organises(organiser, place.meeting):
        raise Refused("not_found", _l("That request was not found."), kind="not_found")
    if not await Place.filter(id=place.id, status="accepted").update(attended=attended):
        raise Refused("not_accepted", _l("Only an accepted place can be marked."), kind="conflict")
    return await Place.get(id=place.id)


async def held(organiser: Member, meeting_id: int, outcome: str) -> Meeting:
    meeting = await organised(organiser, meeting_id)
    meeting.outcome, meeting.status = within(outcome, 5000, "outcome"), "held"
    await meeting.save(update_fields=["outcome", "status"])
    return meeting


# Impact, for donor reports -------------------------------------------------------------------

HELD = _l("Meetings held")
REACHED = _l("Members who came to a meeting")


async def impact(rt) -> list[tuple]:
    """Meetings held, and the members who came to any (a head count: under k it is hidden, and it is
    rounded, as counts published again and again are)."""
    from network.core.disclosure import rounded

    came = len(set(await Place.filter(attended=True).values_list("member_id", flat=True)))
    return [("meetings_held", HELD, await Meeting.filter(status="held").count()),
            ("members_reached", REACHED, rounded(came, stipends.REPORT_K))]


# Reminders, as notices -------------------------------------------------------------------------

REMINDER = _l("Your meeting is soon")


async def reminders(rt, member: Member, key, locale: str) -> list[dict]:
    """A notice for each accepted place in a meeting that starts within three days (until it starts)."""
    moment = now()
    places = await Place.filter(member=member, status="accepted", meeting__starts_at__gte=moment,
                                meeting__starts_at__lte=moment + REMIND_BEFORE).select_related("meeting")
    return [{"day": p.meeting.starts_at.date(), "heading": p.meeting.title, "status": gettext(locale, REMINDER),
             "text": "", "note": "", "href": f"/meetings/{p.meeting_id}"} for p in places]


KIND_NAMES = {"consultation": _l("Consultation meeting"), "training": _l("Training"), "gathering": _l("Network gathering")}
PLACE_STATUS_NAMES = {"asked": _l("Asked for"), "accepted": _l("Accepted"), "waiting": _l("On the waiting list"),
                      "declined": _l("Not accepted"), "cancelled": _l("Cancelled")}
