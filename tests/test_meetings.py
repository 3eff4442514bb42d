"""Meetings: racing acceptances never seat more people than there are places and the waiting list
moves up in order; an accepted place is offered its pre-filled stipend, which then goes through the
usual review; the address reaches only those with a place; reminders arrive as notices."""

import asyncio
from datetime import datetime, timedelta, timezone

from network.meetings import service as meetings
from network.meetings.models import Meeting, Place
from network.stipends.models import Stipend
from tests.conftest import both_databases
from tests.helpers import make_member, signed_in


def _soon(days: float) -> str:
    return (datetime.now(timezone.utc) + timedelta(days=days)).isoformat()


async def _meeting(app, organiser, capacity=3, **extra) -> dict:
    async with signed_in(app, organiser) as http:
        made = await http.post("/api/v1/meetings", json={
            "kind": "consultation", "title": "Regional consultation", "city": "Goma", "address": "Hall 3, Avenue X",
            "starts_at": _soon(10), "ends_at": _soon(10.25), "time_zone": "Africa/Lubumbashi",
            "languages": ["fr", "sw"], "capacity": capacity, **extra})
    assert made.status_code == 201, made.text
    return made.json()["meeting"]


async def _ask(app, member, meeting_id) -> int:
    async with signed_in(app, member) as http:
        asked = await http.post(f"/api/v1/meetings/{meeting_id}/places")
    assert asked.status_code == 200, asked.text
    return asked.json()["place"]["id"]


@both_databases
async def test_racing_acceptances_never_exceed_capacity_and_the_waiting_list_moves_up_in_order(app, database_url):
    organiser = await make_member(app, "moderator")
    meeting = await _meeting(app, organiser, capacity=3)
    people = [await make_member(app) for _ in range(8)]
    places = [await _ask(app, person, meeting["id"]) for person in people]
    # Every request accepted at once, as two organisers clicking through might.
    await asyncio.gather(*[meetings.accept(organiser, place) for place in places])
    rows = {p.id: p for p in await Place.filter(meeting_id=meeting["id"])}
    accepted = [pid for pid in places if rows[pid].status == "accepted"]
    waiting = sorted((pid for pid in places if rows[pid].status == "waiting"),
                     key=lambda pid: (rows[pid].waiting_since, pid))
    assert len(accepted) == 3 and len(waiting) == 5
    assert (await Meeting.get(id=meeting["id"])).accepted == 3
    # Two seated members give up their places at the same moment: the first two who wait take them.
    leaving = [person for person, pid in zip(people, places, strict=True) if pid in accepted][:2]
    await asyncio.gather(*[meetings.cancel(person, meeting["id"]) for person in leaving])
    rows = {p.id: p for p in await Place.filter(meeting_id=meeting["id"])}
    assert sorted(pid for pid in places if rows[pid].status == "accepted") == sorted(
        [pid for pid in accepted if rows[pid].status == "accepted"] + waiting[:2])
    assert [pid for pid in places if rows[pid].status == "waiting"] == [pid for pid in places if pid in waiting[2:]]
    assert (await Meeting.get(id=meeting["id"])).accepted == 3


async def test_an_accepted_place_is_offered_its_pre_filled_stipend_and_the_address(app):
    admin, organiser, member, other = await make_member(app, "admin"), await make_member(app, "moderator"), \
        await make_member(app), await make_member(app)
    async with signed_in(app, admin) as http:
        fund = (await http.post("/api/v1/funds", json={"name": "Travel", "currency": "KES",
                                                         "caps": {"travel": "800", "time_off": "400"}})).json()["fund"]
        today = datetime.now(timezone.utc).date()
        assert (await http.post(f"/api/v1/funds/{fund['id']}/budgets", json={
            "period_start": str(today), "period_end": str(today + timedelta(days=30)), "amount": "5000"})).status_code \
            == 201
    async with signed_in(app, organiser) as http:
        over = await http.post("/api/v1/meetings", json={
            "title": "Training", "city": "Goma", "starts_at": _soon(2), "ends_at": _soon(2.1), "capacity": 5,
            "fund_id": fund["id"], "travel": "900"})
        assert over.status_code == 422 and over.json()["error"]["code"] == "over_cap"
    meeting = await _meeting(app, organiser, capacity=1, fund_id=fund["id"], travel="600", starts_at=_soon(2),
                             ends_at=_soon(2.1))
    place = await _ask(app, member, meeting["id"])
    await _ask(app, other, meeting["id"])
    async with signed_in(app, member) as http:
        before = (await http.get(f"/api/v1/meetings/{meeting['id']}")).json()["meeting"]
    assert before["address"] is None and before["city"] == "Goma"  # the city only, before a place
    async with signed_in(app, organiser) as http:
        decided = await http.post(f"/api/v1/meetings/places/{place}/decision", json={"decision": "accept"})
    assert decided.json()["place"]["status"] == "accepted"
    offered = await Stipend.get(id=decided.json()["place"]["stipend_id"])
    assert (offered.status, offered.kind, offered.amount_minor, offered.link) == (
        "offered", "travel", 60000, f"/meetings/{meeting['id']}")
    async with signed_in(app, member) as http:
        after = (await http.get(f"/api/v1/meetings/{meeting['id']}")).json()["meeting"]
        news = (await http.get("/api/v1/notices")).json()["news"]
        completed = await http.post(f"/api/v1/stipends/{offered.id}/complete", json={
            "payout_method": "mobile_money", "payout_details": "M-Pesa +254 700 000 002"})
    assert after["address"] == "Hall 3, Avenue X" and after["places_left"] == 0
    assert [n["href"] for n in news] == [f"/meetings/{meeting['id']}"]  # a reminder: it is in two days
    assert completed.json()["stipend"]["status"] == "pending"
    async with signed_in(app, other) as http:
        theirs = (await http.get(f"/api/v1/meetings/{meeting['id']}")).json()["meeting"]
        assert theirs["address"] is None and (await http.get("/api/v1/notices")).json()["news"] == []
        # Someone else's offer is not theirs to take up.
        assert (await http.post(f"/api/v1/stipends/{offered.id}/complete", json={
            "payout_method": "mobile_money", "payout_details": "M-Pesa"})).status_code == 404
    async with signed_in(app, admin) as http:  # then the usual review
        approved = await http.post(f"/api/v1/stipends/{offered.id}/decision", json={"decision": "approve"})
    assert approved.json()["stipend"]["status"] == "approved"


async def test_only_the_organiser_decides_and_bad_meetings_are_refused(app):
    organiser, stranger, member = await make_member(app, "moderator"), await make_member(app, "moderator"), \
        await make_member(app)
    meeting = await _meeting(app, organiser)
    place = await _ask(app, member, meeting["id"])
    async with signed_in(app, stranger) as http:
        assert (await http.post(f"/api/v1/meetings/places/{place}/decision",
                                json={"decision": "accept"})).status_code == 404
    async with signed_in(app, organiser) as http:
        for bad in ({"ends_at": _soon(9)}, {"time_zone": "Mars/Olympus"}, {"city": "", "online": False},
                    {"capacity": 0}):
            refused = await http.post("/api/v1/meetings", json={
                "title": "T", "city": "Goma", "starts_at": _soon(10), "ends_at": _soon(11), "capacity": 3, **bad})
            assert refused.status_code == 422, bad
        form = await http.post("/meetings/new", data={"csrf_token": http.csrf, "title": "Kept as typed",
                                                     "city": "Goma", "starts_at": "2027-01-01T10:00",
                                                     "ends_at": "2026-01-01T10:00", "capacity": "3"})
        assert form.status_code == 422 and "Kept as typed" in form.text
        page = await http.get(f"/meetings/{meeting['id']}")
        assert page.status_code == 200 and "Hall 3, Avenue X" in page.text


async def test_dates_far_away_or_malformed_are_refused_not_failed(app):
    organiser = await make_member(app, "moderator")
    async with signed_in(app, organiser) as http:
        for starts, ends in (("9999-12-31T23:00", "9999-12-31T23:30"), ("0001-01-01T00:00", "0001-01-01T01:00")):
            refused = await http.post("/api/v1/meetings", json={
                "title": "T", "city": "Goma", "starts_at": starts, "ends_at": ends, "capacity": 3,
                "time_zone": "America/Anchorage"})
            assert refused.status_code == 422, (starts, refused.text)
        form = await http.post("/meetings/new", data={"csrf_token": http.csrf, "title": "T", "city": "Goma",
                                                     "starts_at": "tomorrow", "ends_at": "", "capacity": "x"})
        assert form.status_code == 422


async def test_donor_reports_show_meetings_held_and_members_reached_through_the_egress(app):
    admin, organiser = await make_member(app, "admin"), await make_member(app, "moderator")
    async with signed_in(app, admin) as http:
        fund = (await http.post("/api/v1/funds", json={"name": "Travel", "currency": "KES"})).json()["fund"]
    meeting = await _meeting(app, organiser, capacity=6)
    places = [await _ask(app, await make_member(app), meeting["id"]) for _ in range(5)]
    async with signed_in(app, organiser) as http:
        for place in places:
            await http.post(f"/api/v1/meetings/places/{place}/decision", json={"decision": "accept"})
        for place in places[:4]:
            await http.post(f"/api/v1/meetings/places/{place}/attended", json={"attended": True})
        assert (await http.post(f"/api/v1/meetings/{meeting['id']}/held", json={"outcome": "Done."})).status_code \
            == 200

    async def impact():
        async with signed_in(app, admin) as http:
            report = (await http.get(f"/api/v1/funds/{fund['id']}/report")).json()["report"]
            sheet = (await http.get(f"/api/v1/funds/{fund['id']}/report?format=csv")).text
            page = await http.get(f"/admin/funds/{fund['id']}/report")
        assert page.status_code == 200 and "Meetings held" in page.text and "members_reached" in sheet
        return report["impact"]

    seen = await impact()
    assert seen["meetings_held"] == 1 and seen["members_reached"] is None  # four people: fewer than k
    assert {"consultations_answered", "answers_counted", "commitments_made", "commitments_kept"} <= set(seen)
    async with signed_in(app, organiser) as http:
        await http.post(f"/api/v1/meetings/places/{places[4]}/attended", json={"attended": True})
    assert (await impact())["members_reached"] == 5
