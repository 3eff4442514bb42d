"""What a partner organisation's representatives do for it: organise its meetings (and decide their
places, as any organiser; a plain member still cannot), open rooms it hosts (for adults, never support
rooms: those stay with the network's staff), and propose library entries in its name (checked by the
library's service, since the organisation is a field there and not the path)."""

from datetime import datetime, timedelta, timezone

import pytest

from messaging.models import Membership, Room
from network.core.refusal import Refused
from network.library.models import Entry, EntryText
from network.meetings import service as meetings
from network.meetings.models import Meeting, Place
from network.members.models import Member
from network.organisations import service as organisations
from tests.helpers import PASSPHRASE, csrf_from, make_member, signed_in
from tests.test_library import DETAILS, TEXT, publish


def _soon(days: float) -> str:
    return (datetime.now(timezone.utc) + timedelta(days=days)).isoformat()


async def _partner(app, name: str = "Tujiunge"):
    """An organisation, a plain member who represents it, and an administrator."""
    admin, rep = await make_member(app, "admin"), await make_member(app)
    org = await organisations.create({"name": name, "kind": "survivor_led", "country": "CD", "languages": ["fr"]})
    await organisations.add_representative(admin, org.id, rep.pseudonym)
    return org, rep, admin


MEETING = {"kind": "training", "title": "Training on documentation", "city": "Goma", "address": "Hall 3",
           "time_zone": "Africa/Lubumbashi", "capacity": 1}


async def test_a_representative_organises_a_meeting_and_decides_its_places_a_plain_member_cannot(app):
    org, rep, admin = await _partner(app)
    other_rep, member, second, stranger = [await make_member(app) for _ in range(4)]
    await organisations.add_representative(admin, org.id, other_rep.pseudonym)
    async with signed_in(app, rep) as http:
        # The organisation's page offers its representatives what they can do for it.
        links = (await http.get(f"/organisations/{org.id}")).text
        for href in (f"/organisations/{org.id}/meetings/new", f"/organisations/{org.id}/rooms/new", "/library/propose"):
            assert f'href="{href}"' in links, href
        page = await http.get(f"/organisations/{org.id}/meetings/new")
        assert page.status_code == 200 and f'action="/organisations/{org.id}/meetings/new"' in page.text
        made = await http.post(f"/api/v1/organisations/{org.id}/meetings",
                               json={**MEETING, "starts_at": _soon(5), "ends_at": _soon(5.2)})
        assert made.status_code == 201, made.text
        meeting = made.json()["meeting"]
        assert meeting["organisation"] == {"id": org.id, "name": "Tujiunge"}
        # The form works too, and is kept as typed when refused.
        form = await http.post(f"/organisations/{org.id}/meetings/new", data={
            "csrf_token": csrf_from(page.text), "title": "Kept as typed", "city": "Goma", "capacity": "3",
            "starts_at": "2027-01-01T10:00", "ends_at": "2026-01-01T10:00"})
        assert form.status_code == 422 and "Kept as typed" in form.text
        sent = await http.post(f"/organisations/{org.id}/meetings/new", data={
            "csrf_token": csrf_from(page.text), "title": "Gathering", "city": "Goma", "capacity": "3",
            "starts_at": "2027-01-01T10:00", "ends_at": "2027-01-01T12:00", "time_zone": "Africa/Lubumbashi"})
        assert sent.status_code == 303
        assert (await Meeting.get(id=int(sent.headers["location"].rsplit("/", 1)[1]))).organisation_id == org.id
    stored = await Meeting.get(id=meeting["id"])
    assert (stored.organisation_id, stored.organiser_id) == (org.id, rep.id)

    places = {}
    for person in (member, second):
        async with signed_in(app, person) as http:
            places[person.id] = (await http.post(f"/api/v1/meetings/{meeting['id']}/places")).json()["place"]["id"]
    # A plain member (the one asking, or any other) cannot decide, nor mark the meeting held.
    for outsider in (member, stranger):
        async with signed_in(app, outsider) as http:
            refused = await http.post(f"/api/v1/meetings/places/{places[member.id]}/decision",
                                      json={"decision": "accept"})
            assert refused.status_code == 404 and refused.json()["error"]["code"] == "not_found"
            assert (await http.post(f"/meetings/places/{places[member.id]}/decision",
                                    data={"csrf_token": http.csrf, "decision": "accept"})).status_code == 404
            assert (await http.post(f"/api/v1/meetings/{meeting['id']}/held", json={})).status_code == 404
            assert (await http.post(f"/api/v1/meetings/places/{places[member.id]}/attended",
                                    json={"attended": True})).status_code == 404
            detail = (await http.get(f"/api/v1/meetings/{meeting['id']}")).json()
            assert detail["places"] == [] and detail["meeting"]["address"] is None
    assert (await Place.get(id=places[member.id])).status == "asked"
    # The representative who organised it decides; so does the organisation's other representative.
    async with signed_in(app, rep) as http:
        page = await http.get(f"/meetings/{meeting['id']}")
        assert "Tujiunge" in page.text and f"/meetings/places/{places[member.id]}/decision" in page.text
        accepted = await http.post(f"/api/v1/meetings/places/{places[member.id]}/decision", json={"decision": "accept"})
        assert accepted.status_code == 200 and accepted.json()["place"]["status"] == "accepted"
    async with signed_in(app, other_rep) as http:
        waits = await http.post(f"/meetings/places/{places[second.id]}/decision",
                                data={"csrf_token": http.csrf, "decision": "accept"})
        assert waits.status_code == 303
        assert (await Place.get(id=places[second.id])).status == "waiting"  # one place only
        came = await http.post(f"/api/v1/meetings/places/{places[member.id]}/attended", json={"attended": True})
        assert came.status_code == 200 and came.json()["place"]["attended"] is True
    # No longer a representative: no longer an organiser of the organisation's meetings.
    removed = [r for r in await organisations.representatives(org) if r.member_id == other_rep.id][0]
    await organisations.remove_representative(org.id, removed.id)
    async with signed_in(app, other_rep) as http:
        assert (await http.post(f"/api/v1/meetings/{meeting['id']}/held", json={"outcome": "Done"})).status_code == 404
    async with signed_in(app, rep) as http:
        held = await http.post(f"/api/v1/meetings/{meeting['id']}/held", json={"outcome": "Done"})
        assert held.status_code == 200 and held.json()["meeting"]["status"] == "held"


async def test_a_representative_opens_a_room_for_adults_hosted_by_the_organisation(app):
    org, rep, _ = await _partner(app, "Коло жінок")
    member = await make_member(app)
    async with signed_in(app, rep) as http:
        page = await http.get(f"/organisations/{org.id}/rooms/new")
        assert page.status_code == 200 and 'name="support_member_id"' not in page.text
        assert 'value="minors"' not in page.text and 'value="support"' not in page.text
        made = await http.post(f"/api/v1/organisations/{org.id}/rooms",
                               json={"name": "Legal questions", "kind": "premod", "language": "uk"})
        assert made.status_code == 201, made.text
        room = made.json()["room"]
        assert room["organisation"] == {"id": org.id, "name": "Коло жінок"} and room["age_group"] == "adults"
        # The one who opened it is in it, and it says who hosts it.
        shown = await http.get(f"/rooms/{room['id']}")
        assert shown.status_code == 200 and "Коло жінок" in shown.text
        assert "Коло жінок" in (await http.get("/rooms")).text
        sent = await http.post(f"/organisations/{org.id}/rooms/new", data={
            "csrf_token": csrf_from(page.text), "name": "Open talk", "kind": "open", "language": "en",
            "retention": "keep", "age_group": "adults", "slow_mode_seconds": "0"})
        assert sent.status_code == 303
        # No moderation powers come with it: inviting stays with the network's moderators.
        invite = await http.post(f"/api/v1/rooms/{room['id']}/invite", json={"member_id": member.id})
        assert invite.status_code == 403
    stored = await Room.get(id=room["id"])
    assert (stored.organisation_id, stored.created_by_id, stored.kind) == (org.id, rep.id, "premod")
    assert await Membership.exists(room_id=room["id"], member_id=rep.id)
    async with signed_in(app, member) as http:
        listed = (await http.get("/api/v1/rooms")).json()["joinable"]
        assert [r["organisation"] for r in listed if r["id"] == room["id"]] == [{"id": org.id, "name": "Коло жінок"}]
        assert "Коло жінок" in (await http.get("/rooms")).text
        # A member who represents nothing opens no room for it.
        assert (await http.post(f"/api/v1/organisations/{org.id}/rooms", json={"name": "Taken"})).status_code == 403


async def test_rooms_for_minors_and_support_rooms_are_refused_to_representatives(app):
    org, rep, _ = await _partner(app)
    member = await make_member(app)
    before = await Room.all().count()
    async with signed_in(app, rep) as http:
        for body, field in (({"age_group": "minors"}, "age_group"), ({"age_group": "all"}, "age_group"),
                            ({"kind": "support", "support_member_id": member.id}, "kind")):
            refused = await http.post(f"/api/v1/organisations/{org.id}/rooms", json={"name": "Youth circle", **body})
            assert refused.status_code == 422, (body, refused.text)
            error = refused.json()["error"]
            assert error["code"] == "staff_only" and field in error["fields"] and "the network" in error["message"]
        page = await http.get(f"/organisations/{org.id}/rooms/new")
        form = await http.post(f"/organisations/{org.id}/rooms/new", data={
            "csrf_token": csrf_from(page.text), "name": "Youth circle", "kind": "open", "language": "en",
            "retention": "keep", "age_group": "minors", "slow_mode_seconds": "0"})
        assert form.status_code == 422 and "under 18" in form.text and "Youth circle" in form.text
    assert await Room.all().count() == before


async def test_a_library_entry_proposed_for_an_organisation_shows_it_and_others_cannot_use_its_name(app, client):
    org, rep, _ = await _partner(app, "Tujiunge Goma")
    outsider, curator = await make_member(app), await make_member(app, "moderator")
    async with signed_in(app, rep) as http:
        page = await http.get("/library/propose")
        assert 'name="organisation_id"' in page.text and f'value="{org.id}"' in page.text
        made = await http.post("/api/v1/library/entries", json={"details": DETAILS, "text": TEXT,
                                                                  "organisation_id": org.id})
        assert made.status_code == 201, made.text
        eid = made.json()["entry"]["id"]
        form = {"csrf_token": csrf_from(page.text), **{k: v for k, v in DETAILS.items() if k not in
                                                       ("audiences", "topics", "countries")},
                "audiences": "survivors", "topics": "participation", "countries": "KE",
                **TEXT, "title": "Proposed on the page", "organisation_id": str(org.id)}
        assert (await http.post("/library/propose", data=form)).status_code == 303
        assert (await http.post("/library/propose", data={**form, "organisation_id": ""})).status_code == 303
    entry = await Entry.get(id=eid)
    assert (entry.proposed_for_id, entry.proposed_by_id, entry.status) == (org.id, rep.id, "review")
    assert await Entry.filter(proposed_by_id=rep.id, proposed_for_id=org.id).count() == 2
    assert await Entry.filter(proposed_by_id=rep.id, proposed_for_id=None).count() == 1

    # Someone who does not represent it cannot use its name, in the API or on the page.
    async with signed_in(app, outsider) as http:
        page = await http.get("/library/propose")
        assert 'name="organisation_id"' not in page.text
        refused = await http.post("/api/v1/library/entries", json={"details": DETAILS, "text": TEXT,
                                                                    "organisation_id": org.id})
        assert refused.status_code == 403 and refused.json()["error"]["code"] == "not_representative"
        nobody = await http.post("/api/v1/library/entries", json={"details": DETAILS, "text": TEXT,
                                                                   "organisation_id": 999999})
        assert nobody.status_code == 403
        form = {**form, "csrf_token": csrf_from(page.text)}
        typed = await http.post("/library/propose", data=form)
        assert typed.status_code == 403 and "Proposed on the page" in typed.text
        assert (await http.post("/library/propose", data={**form, "organisation_id": "x"})).status_code == 403
    assert not await Entry.exists(proposed_by_id=outsider.id)

    # Curators see whose name it carries; once published, readers do.
    async with signed_in(app, curator) as http:
        waiting = {e["id"]: e for e in (await http.get("/api/v1/library/curation")).json()["entries"]}
        assert waiting[eid]["proposed_for"] == "Tujiunge Goma"
        assert "Tujiunge Goma" in (await http.get("/library/curation")).text
        assert "Tujiunge Goma" in (await http.get(f"/library/curation/entries/{eid}")).text
        assert (await publish(http, eid)).status_code == 200
    shown = await client.get(f"/library/entries/{eid}")
    assert shown.status_code == 200 and "Tujiunge Goma" in shown.text and rep.pseudonym not in shown.text
    assert (await client.get(f"/api/v1/library/entries/{eid}")).json()["entry"]["proposed_for"] == {
        "id": org.id, "name": "Tujiunge Goma"}



async def test_organisations_meetings_are_for_adults_and_nobody_seats_themselves(app):
    """An organisation's meeting takes no member under 18 (what minors join stays with staff), and its
    organiser cannot accept their own place (a place brings a stipend). Neither a policymaker nor a
    member under 18 is named to act for an organisation."""
    admin = await make_member(app, "admin")
    rep, young = await make_member(app, "member"), await make_member(app, "member")
    await Member.filter(id=young.id).update(age_band="under18")
    young = await Member.get(id=young.id)
    organisation = await organisations.create({"name": "Adults only", "country": "CD"})
    await organisations.add_representative(admin, organisation.id, rep.pseudonym)
    meeting = await meetings.create(rep, {"title": "Circle", "city": "Goma", "starts_at": "2030-01-01T10:00",
                                          "ends_at": "2030-01-01T12:00", "capacity": 5}, organisation.id)
    with pytest.raises(Refused) as refused:
        await meetings.ask(young, meeting.id)
    assert refused.value.code == "adults_only" and not await Place.filter(member_id=young.id).exists()
    place = await meetings.ask(rep, meeting.id)
    with pytest.raises(Refused) as refused:
        await meetings.accept(rep, place.id)
    assert refused.value.code == "own_place" and (await Place.get(id=place.id)).status == "asked"
    for person in (await make_member(app, "policymaker"), young):
        with pytest.raises(Refused) as refused:
            await organisations.add_representative(admin, organisation.id, person.pseudonym)
        assert refused.value.code == "cannot_represent"


async def test_an_organisations_proposal_stays_with_it_when_its_representative_leaves(app):
    org, rep, _ = await _partner(app, "Stays with us")
    async with signed_in(app, rep) as http:
        theirs = (await http.post("/api/v1/library/entries", json={
            "details": DETAILS, "text": TEXT, "organisation_id": org.id})).json()["entry"]["id"]
        own = (await http.post("/api/v1/library/entries", json={
            "details": DETAILS, "text": {**TEXT, "title": "My own, unpublished"}})).json()["entry"]["id"]
        gone = await http.request("DELETE", "/api/v1/me", json={"passphrase": PASSPHRASE, "messages": "delete"})
        assert gone.status_code == 200, gone.text
    kept = await Entry.get_or_none(id=theirs)
    assert kept is not None and (kept.proposed_for_id, kept.proposed_by_id) == (org.id, None)
    assert [t.author_id for t in await EntryText.filter(entry_id=theirs)] == [None]
    assert not await Entry.filter(id=own).exists()  # a member's own unpublished proposal goes with them
