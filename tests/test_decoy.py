"""A duress decoy cannot be told from a quiet new account: every page and endpoint a new member can
reach answers it with the same status and the same shape; its export has the same keys and
plausible values; what it does in the community is answered as usual and reaches nobody; and
nothing of the real account shows through it."""

from __future__ import annotations

import re

from starlette.routing import Route

from consultations.models import Participation
from messaging.models import Membership, Message
from moderation.models import Report
from network.library import exchange
from network.library.models import Entry, Service, ServiceSuggestion
from network.members.models import Invitation, Member
from network.organisations import service as organisations
from network.stipends.models import Stipend
from tests.helpers import PASSPHRASE, api_login, make_member, new_client, signed_in
from tests.test_consultations import DRAFT, _answers

DURESS = "an entirely different passphrase"
NEW_MEMBER_LEVELS = ("public", "self", "member")


def shape(value):
    """The keys and kinds of a JSON value, lists reduced to the shapes of their items."""
    if isinstance(value, dict):
        return {key: shape(item) for key, item in value.items()}
    if isinstance(value, list):
        return sorted({repr(shape(item)) for item in value})
    return type(value).__name__ if value is not None else "null"


async def _world(app):
    """A small community: rooms (one the real member is in), an open consultation, a fund, members."""
    moderator, owner, admin = await make_member(app, "moderator"), await make_member(app, "policymaker"), \
        await make_member(app, "admin")
    real = await make_member(app, pseudonym="Quiet Lake")
    other = await make_member(app, pseudonym="Open Book")
    rooms = {}
    async with signed_in(app, moderator) as http:
        for name in ("Their circle", "Open circle"):
            rooms[name] = (await http.post("/api/v1/rooms", json={"name": name})).json()["room"]
    async with signed_in(app, real) as http:
        await http.patch("/api/v1/me", json={"bio": "my real story", "visibility": "members"})
        await http.post(f"/api/v1/rooms/{rooms['Their circle']['id']}/join")
        await http.post(f"/api/v1/rooms/{rooms['Their circle']['id']}/messages", json={"body": "my real words"})
        await http.put("/api/v1/me/duress", json={"passphrase": DURESS, "action": "none",
                                                  "current_passphrase": PASSPHRASE})
        # A proposal of their own, found by their key: the decoy's is another, and finds none.
        await http.post("/api/v1/proposals", json={"kind": "topic", "text": "my real proposal"})
    async with signed_in(app, other) as http:
        await http.patch("/api/v1/me", json={"visibility": "members"})
    async with signed_in(app, owner) as http:
        consultation = (await http.post("/api/v1/consultations", json=DRAFT)).json()["consultation"]
        await http.post(f"/api/v1/consultations/{consultation['id']}/open")
    async with signed_in(app, admin) as http:
        fund = (await http.post("/api/v1/funds", json={
            "name": "Data", "currency": "KES", "donor_label": "Donor", "receipt_threshold": "500",
            "two_approver_threshold": "0", "caps": {"travel": "800", "data": "50", "time_off": "400"}})).json()["fund"]
    await exchange.load(None, {"format": exchange.FORMAT, "entries": [{
        "kind": "guide", "audiences": ["survivors"], "topics": ["safety"],
        "texts": [{"locale": "en", "title": "Staying safe online", "body": "Clear your history."}]}],
        "services": [{"kind": "legal", "name": "Legal desk", "country": "KE", "phone": "+000 5"}]}, publish=True)
    # The real member represents an organisation; its decoy acts for none.
    organisation = await organisations.create({"name": "Their group", "country": "KE"})
    await organisations.add_representative(admin, organisation.id, "Quiet Lake")
    library = {"entry_id": (await Entry.first()).id, "service_id": (await Service.first()).id, "commitment_id": 1}
    message = await Message.first()
    return {"real": real, "other": other, "rooms": rooms, "consultation": consultation, "fund": fund,
            "ids": {"room_id": rooms["Open circle"]["id"], "consultation_id": consultation["id"],
                    "member_id": other.id, "message_id": message.id, "position": 0, "session_id": 1,
                    "invitation_id": 1, "stipend_id": 1, "fund_id": fund["id"], "answer_id": 1,
                    "sanction_id": 1, "word_id": 1, "proposal_id": 1, "meeting_id": 1, "org_id": organisation.id,
                    "grant_id": 1, "mentoring_id": 1,
                    **library}}


def _reachable_gets(app) -> list[str]:
    paths = []
    for route in app.routes:
        if isinstance(route, Route) and "GET" in (route.methods or ()) and \
                getattr(route.endpoint, "access", None) in NEW_MEMBER_LEVELS:
            paths.append(route.path)
    return paths


def _fill(path: str, ids: dict) -> str:
    return re.sub(r"\{(\w+)(:\w+)?\}", lambda m: str(ids[m.group(1)]), path)


async def test_every_page_and_endpoint_answers_a_decoy_as_it_answers_a_new_member(app):
    world = await _world(app)
    newcomer = await make_member(app, pseudonym="Brand New")
    async with new_client(app) as new, new_client(app) as decoy:
        new.headers["x-csrf-token"] = await api_login(new, "Brand New")
        decoy.headers["x-csrf-token"] = await api_login(decoy, "Quiet Lake", DURESS)
        compared = 0
        for path in _reachable_gets(app):
            if path in ("/exit", "/safety/quick-exit/done"):
                continue
            url = _fill(path, world["ids"])
            seen_new, seen_decoy = await new.get(url), await decoy.get(url)
            assert seen_new.status_code == seen_decoy.status_code, url
            if seen_new.headers.get("content-type", "").startswith("application/json") and url != "/api/openapi.json":
                assert shape(seen_new.json()) == shape(seen_decoy.json()), url
            compared += 1
        assert compared >= 40
        # Nothing of the real account shows through its decoy.
        for url in ("/members", "/api/v1/members", "/rooms", "/api/v1/rooms"):
            text = (await decoy.get(url)).text
            assert "my real story" not in text and "Their circle" not in text and "my real words" not in text, url
        assert "Their circle" in (await new.get("/rooms")).text  # a new member is offered it
        assert (await decoy.get(f"/api/v1/members/{world['real'].id}")).status_code == 404
        assert (await decoy.get("/api/v1/organisations")).json()["mine"] == []
        org = world["ids"]["org_id"]
        assert (await decoy.get(f"/organisations/{org}/grants")).status_code == 403

        # The export: the same keys, plausible values.
        mine, theirs = (await new.get("/api/v1/me/export")).json(), (await decoy.get("/api/v1/me/export")).json()
        assert set(mine) == set(theirs) and set(mine["profile"]) == set(theirs["profile"])
        assert len(theirs["recovery_codes"]) == len(mine["recovery_codes"]) == 10
        assert theirs["profile"]["pseudonym"] == "Quiet Lake" and theirs["profile"]["role"] == "member"
        assert theirs["profile"]["status"] == "active" and theirs["profile"]["vault_version"] == 1
        assert theirs["profile"]["created_at"] == world["real"].created_at.isoformat()
    assert newcomer.id != world["real"].id


async def test_what_a_decoy_does_is_answered_as_usual_and_reaches_nobody(app):
    world = await _world(app)
    await make_member(app, pseudonym="Brand New")
    consultation, room = world["consultation"], world["rooms"]["Open circle"]
    counted = Participation.filter(submitted=True)
    counted_models = (Message, Report, Stipend, Invitation, Entry, ServiceSuggestion)
    before = {model: await model.all().count() for model in counted_models}
    before["counted"] = await counted.count()
    results = {}
    for who, passphrase in (("Brand New", PASSPHRASE), ("Quiet Lake", DURESS)):
        async with new_client(app) as http:
            http.headers["x-csrf-token"] = await api_login(http, who, passphrase)
            cid = consultation["id"]
            calls = [
                ("join", await http.post(f"/api/v1/rooms/{room['id']}/join")),
                ("post", await http.post(f"/api/v1/rooms/{room['id']}/messages", json={"body": f"hello from {who}"})),
                ("report", await http.post("/api/v1/reports", json={
                    "target": "member", "id": world["other"].id, "reason": "spam", "note": "noted"})),
                ("stipend", await http.post("/api/v1/stipends", json={
                    "fund_id": world["fund"]["id"], "kind": "data", "amount": "20", "purpose": "data to join",
                    "payout_method": "mobile_money", "payout_details": "0700 000 000"})),
                ("consent", await http.post(f"/api/v1/consultations/{cid}/consent", json={"share_profile": False})),
                ("answers", await http.put(f"/api/v1/consultations/{cid}/answers", json={
                    "answers": _answers(consultation, 0, [0], 3, [0, 1, 2]), "submit": True})),
                ("invite", await http.post("/api/v1/invitations", json={})),
                ("propose", await http.post("/api/v1/library/entries", json={"details": {
                    "kind": "story", "audiences": ["survivors"], "topics": ["advocacy"]}, "text": {
                    "locale": "en", "title": f"What helped {who}", "body": "Talking to others."}})),
                ("suggest", await http.post(f"/api/v1/library/services/{world['ids']['service_id']}/suggestions",
                                            json={"note": f"from {who}"})),
            ]
            results[who] = {name: (response.status_code, shape(response.json())) for name, response in calls}
            room_page = await http.get(f"/api/v1/rooms/{room['id']}/messages")
            results[who]["reads room"] = (room_page.status_code, None)
    assert results["Brand New"] == results["Quiet Lake"]
    decoy = await Member.get(role="decoy")
    # The decoy's joining stayed (its own row only); nothing else it did reached anyone.
    assert await Membership.filter(member=decoy).exists()
    after = {model: await model.all().count() for model in counted_models}
    after["counted"] = await counted.count()
    assert after == {model: count + 1 for model, count in before.items()}  # the new member's, one each
    assert not await Message.filter(author=decoy).exists() and not await Stipend.filter(member=decoy).exists()
    assert not await Report.filter(reporter=decoy).exists() and not await Invitation.filter(created_by=decoy).exists()
    assert not await Entry.filter(proposed_by=decoy).exists() and not await ServiceSuggestion.filter(member=decoy).exists()
