"""Meetings (pages and JSON API): thin; the rules live in service.py."""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from starlette.requests import Request
from starlette.responses import RedirectResponse

from network.core.access import api, page
from network.core.forms import form_data, form_list, submitted, to_int
from network.core.i18n import format_datetime
from network.core.templating import render, request_locale
from network.meetings import service
from network.meetings.schemas import Attended, HeldBody, MeetingBody, PlaceDecision
from network.members.profiles import language_names
from network.organisations import service as organisations
from network.stipends import service as stipends


def _zone_name(member) -> str | None:
    """The time zone the viewer chose to read times in (members.profiles checks it), or None."""
    chosen = getattr(member, "time_zone", "") if member is not None else ""
    try:
        return chosen if chosen and ZoneInfo(chosen) else None
    except (ZoneInfoNotFoundError, ValueError):
        return None


def _view(request: Request, meeting, place=None, organiser: bool = False, host=None) -> dict:
    """`starts` and `ends` are in the viewer's own time zone when they chose one (`shown_in` names it),
    else in the meeting's; `own_starts` and `own_ends` are in the meeting's zone when it is another."""
    locale, own = request_locale(request), ZoneInfo(meeting.time_zone)
    shown_in = _zone_name(request.state.member) or meeting.time_zone
    zone, differs = ZoneInfo(shown_in), shown_in != meeting.time_zone
    seated = organiser or (place is not None and place.status == "accepted")
    return {"id": meeting.id, "kind": meeting.kind, "title": meeting.title, "summary": meeting.summary,
            "agenda": meeting.agenda, "outcome": meeting.outcome, "online": meeting.online, "city": meeting.city,
            # Where exactly (or how to join) only for those with a place, and the organiser.
            "address": meeting.address if seated else None,
            "starts_at": meeting.starts_at.isoformat(), "ends_at": meeting.ends_at.isoformat(),
            "starts": format_datetime(meeting.starts_at.astimezone(zone), locale),
            "ends": format_datetime(meeting.ends_at.astimezone(zone), locale), "shown_in": shown_in,
            "own_starts": format_datetime(meeting.starts_at.astimezone(own), locale) if differs else None,
            "own_ends": format_datetime(meeting.ends_at.astimezone(own), locale) if differs else None,
            "time_zone": meeting.time_zone,
            "languages": meeting.languages, "interpretation": meeting.interpretation,
            "capacity": meeting.capacity, "places_left": max(0, meeting.capacity - meeting.accepted),
            "status": meeting.status, "my_place": place.status if place else None,
            "organisation": {"id": host.id, "name": host.name} if host is not None else None}


async def _views(request: Request, meetings) -> list[dict]:
    hosts = await organisations.hosts(meetings)
    return [_view(request, m, host=hosts.get(m.organisation_id)) for m in meetings]


async def list_page(request: Request):
    meetings = await service.upcoming()
    return render(request, "meetings/list.html", {
        "meetings": await _views(request, meetings),
        "can_organise": request.state.member.role in service.ORGANISERS,
        "organising_for": await organisations.representing(request.state.member),
        "names": language_names(request_locale(request))})


async def _detail_context(request: Request, meeting, **extra) -> dict:
    member = request.state.member
    organiser = await service.organises(member, meeting)
    place = await service.place_of(member, meeting)
    places = await service.places_of(meeting) if organiser else []
    host = (await organisations.hosts([meeting])).get(meeting.organisation_id)
    return {"m": _view(request, meeting, place, organiser, host), "organiser": organiser,
            "place": place, "places": places, "names": language_names(request_locale(request)),
            "error": None, "values": {}, **extra}


async def detail_page(request: Request):
    meeting = await service.get(request.path_params["meeting_id"])
    return render(request, "meetings/meeting.html", await _detail_context(request, meeting))


def _for(request: Request) -> int | None:
    """The organisation a meeting is organised for, on the routes that act for one."""
    return request.path_params.get("org_id")


async def new_page(request: Request, error=None, values=None, status_code=200):
    org_id = _for(request)
    return render(request, "meetings/new.html", {
        "error": error, "values": values or {}, "funds": await stipends.funds(),
        "names": language_names(request_locale(request)),
        "organisation": await organisations.get(org_id) if org_id is not None else None,
        "action": f"/organisations/{org_id}/meetings/new" if org_id is not None else "/meetings/new"},
        status_code=status_code)


async def create_submit(request: Request):
    form = await form_data(request)
    data = {**form, "online": form.get("online") == "yes", "fund_id": to_int(form.get("fund_id")),
            "languages": await form_list(request, "languages"), "interpretation": await form_list(request, "interpretation")}
    return await submitted(lambda: service.create(request.state.member, data, _for(request)),
                           lambda exc, status: new_page(request, exc, form, status), lambda m: f"/meetings/{m.id}")


async def ask_submit(request: Request):
    meeting_id = request.path_params["meeting_id"]
    await service.ask(request.state.member, meeting_id)
    return RedirectResponse(f"/meetings/{meeting_id}", status_code=303)


async def cancel_submit(request: Request):
    meeting_id = request.path_params["meeting_id"]
    await service.cancel(request.state.member, meeting_id)
    return RedirectResponse(f"/meetings/{meeting_id}", status_code=303)


async def decision_submit(request: Request):
    form = await form_data(request)
    act = service.accept if form.get("decision") == "accept" else service.decline
    place = await act(request.state.member, request.path_params["place_id"])
    return RedirectResponse(f"/meetings/{place.meeting_id}", status_code=303)


async def attended_submit(request: Request):
    form = await form_data(request)
    place = await service.mark_attended(request.state.member, request.path_params["place_id"],
                                        form.get("attended") == "yes")
    return RedirectResponse(f"/meetings/{place.meeting_id}", status_code=303)


async def held_submit(request: Request):
    form = await form_data(request)
    meeting = await service.held(request.state.member, request.path_params["meeting_id"], form.get("outcome", ""))
    return RedirectResponse(f"/meetings/{meeting.id}", status_code=303)


# JSON API -------------------------------------------------------------------------------------

def _place(place) -> dict:
    return {"id": place.id, "meeting_id": place.meeting_id, "status": place.status, "attended": place.attended,
            "stipend_id": place.stipend_id}


async def api_list(request: Request):
    return {"meetings": await _views(request, await service.upcoming())}


async def api_create(request: Request, body: MeetingBody):
    meeting = await service.create(request.state.member, body.model_dump(), _for(request))
    host = (await organisations.hosts([meeting])).get(meeting.organisation_id)
    return {"meeting": _view(request, meeting, organiser=True, host=host)}


async def api_detail(request: Request):
    meeting = await service.get(request.path_params["meeting_id"])
    context = await _detail_context(request, meeting)
    return {"meeting": context["m"], "places": [_place(p) for p in context["places"]]}


async def api_ask(request: Request):
    return {"place": _place(await service.ask(request.state.member, request.path_params["meeting_id"]))}


async def api_cancel(request: Request):
    return {"place": _place(await service.cancel(request.state.member, request.path_params["meeting_id"]))}


async def api_decision(request: Request, body: PlaceDecision):
    act = service.accept if body.decision == "accept" else service.decline
    return {"place": _place(await act(request.state.member, request.path_params["place_id"]))}


async def api_attended(request: Request, body: Attended):
    return {"place": _place(await service.mark_attended(request.state.member, request.path_params["place_id"],
                                                        body.attended))}


async def api_held(request: Request, body: HeldBody):
    meeting = await service.held(request.state.member, request.path_params["meeting_id"], body.outcome)
    host = (await organisations.hosts([meeting])).get(meeting.organisation_id)
    return {"meeting": _view(request, meeting, organiser=True, host=host)}


M = "/meetings/{meeting_id:int}"
P = "/meetings/places/{place_id:int}"
A = "/api/v1" + M
O = "/organisations/{org_id:int}"

routes = [
    page("/meetings", list_page, access="member"),
    page("/meetings/new", new_page, access="moderator"),
    page("/meetings/new", create_submit, access="moderator", methods=("POST",)),
    page(M, detail_page, access="member"),
    page(M + "/ask", ask_submit, access="member", methods=("POST",)),
    page(M + "/cancel", cancel_submit, access="member", methods=("POST",)),
    # An organisation's representatives organise meetings for it.
    page(O + "/meetings/new", new_page, access="member", acts_for="org_id"),
    page(O + "/meetings/new", create_submit, access="member", methods=("POST",), acts_for="org_id"),
    # What an organiser decides: open to members, for the service decides who organises (service.organises)
    # and answers anyone else that nothing was found.
    page(M + "/held", held_submit, access="member", methods=("POST",)),
    page(P + "/decision", decision_submit, access="member", methods=("POST",)),
    page(P + "/attended", attended_submit, access="member", methods=("POST",)),
    api("/api/v1/meetings", api_list, access="member", method="GET", tag="meetings",
        summary="Meetings to come: the city (never the address), times, languages, places left."),
    api("/api/v1/meetings", api_create, access="moderator", method="POST", status=201, tag="meetings",
        body=MeetingBody, summary="Organise a meeting: online or in a city, times in its time zone, languages, "
                                  "interpretation, capacity, and the stipend offered with each accepted place."),
    api("/api/v1" + O + "/meetings", api_create, access="member", method="POST", status=201, tag="meetings",
        body=MeetingBody, acts_for="org_id", name="meetings_create_for_organisation",
        summary="Organise a meeting for an organisation I represent: as POST /api/v1/meetings; its "
                "representatives organise it too."),
    api(A, api_detail, access="member", method="GET", tag="meetings",
        summary="A meeting, my place in it; the address only with an accepted place; all places for its organiser."),
    api(A + "/places", api_ask, access="member", method="POST", tag="meetings", summary="Ask for a place."),
    api(A + "/places", api_cancel, access="member", method="DELETE", tag="meetings",
        summary="Give up my place (the first on the waiting list takes it) or my request."),
    api(A + "/held", api_held, access="member", method="POST", tag="meetings", body=HeldBody,
        summary="Mark the meeting held, with its outcome note."),
    api("/api/v1" + P + "/decision", api_decision, access="member", method="POST", tag="meetings",
        body=PlaceDecision, summary="Accept a request while there is room (else it waits, in order), or decline it. "
                                    "An accepted place is offered the meeting's stipend, pre-filled."),
    api("/api/v1" + P + "/attended", api_attended, access="member", method="POST", tag="meetings",
        body=Attended, summary="Mark whether an accepted member came."),
]
