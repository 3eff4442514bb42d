"""Every page and GET endpoint runs as many queries with many items to show as with few.

The demo network is seeded with one more of everything, every GET route is requested by the roles that use it and its
queries counted; then more of everything is added (members, messages, held messages, reports,
rooms, consultations, answers, stipend requests, sessions) and every count is taken again. A page
that loads something per item shown fails here, naming the route and the extra SQL."""

from __future__ import annotations

import re
from collections import Counter
from contextlib import AsyncExitStack
from datetime import datetime, timedelta, timezone

from starlette.routing import Mount, WebSocketRoute

from consultations.models import Consultation, Proposal
from messaging.models import Message, Room
from network.grants.models import Grant, Mentoring
from network.library.models import Commitment, Entry, Service
from network.meetings.models import Meeting
from network.members.demo import DEMO_ACCOUNTS
from network.members.models import Member
from network.stipends.models import Fund, Stipend
from tests.conftest import both_databases
from tests.helpers import PASSPHRASE, api_login, make_member, new_client, signed_in
from tests.query_counter import counting_queries
from tests.test_demo_languages import _seed

# The roles that use a route of each level (every signed-in role sees a public page differently).
USERS = {"public": (None, "member"), "self": ("member", "admin"), "member": ("member", "admin"),
         "curator": ("moderator",), "representative": ("member",), "moderator": ("moderator",), "policymaker": ("policymaker",), "admin": ("admin",)}
GROW_BY = 5


def _answer(question: dict) -> dict:
    kind, options = question["kind"], question.get("options") or []
    given = {"single": {"option": 0}, "multiple": {"options": [0]}, "ranking": {"ranking": list(range(len(options)))},
             "scale": {"value": question.get("scale_min", 1)}, "text": {"text": "More care closer to home."},
             "comment": {"text": ""}}[kind]
    return {"question_id": question["id"], **given}


def _draft(title: str) -> dict:
    """A short consultation of one section and one question (k is the default, 5)."""
    return {"original_locale": "en", "title": {"en": title}, "summary": {"en": "Say what you think."},
            "consent_text": {"en": "You can withdraw until it closes."},
            "sections": [{"heading": {"en": "Part"}, "body": {"en": "Text."}}],
            "questions": [{"kind": "single", "prompt": {"en": "Which?"}, "options": [{"en": "A"}, {"en": "B"}]}]}


async def _ids() -> dict[str, int]:
    """The demo's things each path number stands for: a room with messages, the consultation."""
    room = await Room.get(name="Welcome")
    return {"room_id": room.id, "consultation_id": (await Consultation.first()).id, "position": 1,
            "member_id": (await Member.get(role="member")).id, "stipend_id": (await Stipend.first()).id,
            "fund_id": (await Fund.first()).id,
            "entry_id": (await Entry.filter(visibility="public", status="published").first()).id,
            "service_id": (await Service.filter(visibility="public").first()).id,
            "commitment_id": (await Commitment.first()).id, "meeting_id": (await Meeting.first()).id,
            # The demo member represents the demo organisation: its grant and mentoring.
            "org_id": (await Grant.first()).organisation_id, "grant_id": (await Grant.first()).id,
            "mentoring_id": (await Mentoring.first()).id}


async def _closed_consultation(app, people: dict[str, Member]) -> int:
    """A consultation answered by enough people to release figures, closed, with its outcome: what
    the figures and outcome pages show (to those who took part, the demo member and admin among them)."""
    async with signed_in(app, people["policymaker"], passphrase=people["policymaker"].passphrase) as owner:
        consultation = (await owner.post("/api/v1/consultations", json=_draft("Closed draft"))).json()["consultation"]
        cid = consultation["id"]
        await owner.post(f"/api/v1/consultations/{cid}/open")
        takers = [people["member"], people["admin"], *[await make_member(app) for _ in range(4)]]
        for person in takers:
            async with signed_in(app, person, passphrase=getattr(person, "passphrase", PASSPHRASE)) as http:
                await http.post(f"/api/v1/consultations/{cid}/consent", json={})
                answered = await http.put(f"/api/v1/consultations/{cid}/answers", json={
                    "answers": [_answer(q) for q in consultation["questions"]], "submit": True})
                assert answered.status_code == 200, answered.text
        assert (await owner.post(f"/api/v1/consultations/{cid}/close")).status_code == 200
        outcome = await owner.post(f"/api/v1/consultations/{cid}/outcome",
                                   json={"heard": {"en": "What we heard."}, "will_do": {"en": "What we will do."}})
        assert outcome.status_code == 200, outcome.text
    return cid


async def _grow(app, ids: dict[str, int], people: dict[str, Member], by: int) -> None:
    """`by` more of everything the pages list, added the way people add it."""
    fund, premod = ids["fund_id"], (await Room.get(name="Peer support")).id
    async with signed_in(app, people["moderator"], passphrase=people["moderator"].passphrase) as moderator:
        for n in range(by):
            created = await moderator.post("/api/v1/rooms", json={"name": f"Room {n}", "kind": "open"})
            assert created.status_code == 201, created.text
            day = (datetime.now(timezone.utc) + timedelta(days=30 + n)).replace(microsecond=0)
            made = await moderator.post("/api/v1/meetings", json={
                "title": f"Meeting {n}", "city": "Goma", "starts_at": day.isoformat(),
                "ends_at": (day + timedelta(hours=2)).isoformat(), "capacity": 10})
            assert made.status_code == 201, made.text
    async with signed_in(app, people["policymaker"], passphrase=people["policymaker"].passphrase) as owner:
        for n in range(by):
            created = await owner.post("/api/v1/consultations", json=_draft(f"Draft {n}"))
            assert created.status_code == 201, created.text
            await owner.post(f"/api/v1/consultations/{created.json()['consultation']['id']}/open")
    cid = ids["consultation_id"]
    for n in range(by):
        person = await make_member(app)
        async with signed_in(app, person) as http:
            for room in (ids["room_id"], premod):
                assert (await http.post(f"/api/v1/rooms/{room}/join")).status_code == 200
                posted = await http.post(f"/api/v1/rooms/{room}/messages", json={"body": f"Hello {n} from here."})
                assert posted.status_code in (200, 201, 202), posted.text
            target = await Message.filter(room_id=ids["room_id"]).order_by("-id").first()
            reported = await http.post("/api/v1/reports", json={"target": "message", "id": target.id, "reason": "spam"})
            assert reported.status_code == 201, reported.text
            questions = (await http.get(f"/api/v1/consultations/{cid}")).json()["consultation"]["questions"]
            assert (await http.post(f"/api/v1/consultations/{cid}/consent", json={})).status_code == 200
            answered = await http.put(f"/api/v1/consultations/{cid}/answers",
                                      json={"answers": [_answer(q) for q in questions], "submit": True})
            assert answered.status_code == 200, answered.text
            assert (await http.post(f"/api/v1/meetings/{ids['meeting_id']}/places")).status_code == 200
            asked = await http.post("/api/v1/stipends", json={
                "fund_id": fund, "kind": "data", "amount": "100", "purpose": "Data to join the consultation",
                "payout_method": "mobile_money", "payout_details": "M-Pesa"})
            assert asked.status_code == 201, asked.text
    async with signed_in(app, people["moderator"], passphrase=people["moderator"].passphrase) as curator:
        for n in range(by):
            text = {"locale": "fr", "level": "easy", "title": f"Guide {n}", "body": "Des conseils pour la réunion."}
            details = {"kind": "guide", "audiences": ["survivors"], "topics": ["participation"], "countries": ["CD"]}
            imported = await curator.post("/api/v1/library/import", json={"format": "survnet-library/1", "entries": [
                {**details, "texts": [text, {**text, "locale": "en", "title": f"Guide {n} (en)"}]}],
                "commitments": [{"country": "CD", "instrument": f"Plan {n}", "entries": []}]})
            assert imported.status_code == 201, imported.text
        waiting = (await curator.get("/api/v1/library/curation")).json()["entries"]
    async with signed_in(app, people["admin"], passphrase=people["admin"].passphrase) as admin:
        for entry in waiting:  # published by a second reader
            assert (await admin.post(f"/api/v1/library/entries/{entry['id']}/publish",
                                     json={"seen": entry["last_change"]})).status_code == 200
        for n in range(by):
            made = await admin.post("/api/v1/library/services", json={"kind": "legal", "name": f"Desk {n}",
                                                                      "country": "CD", "languages": ["fr"]})
            assert made.status_code == 201, made.text
    async with signed_in(app, people["member"], passphrase=people["member"].passphrase) as http:
        for n in range(by):
            assert (await http.post(f"/api/v1/library/services/{ids['service_id']}/suggestions",
                                    json={"note": f"Open later {n}"})).status_code == 201
            assert (await http.post("/api/v1/library/entries", json={"details": details, "text": {
                **text, "title": f"Proposed {n}"}})).status_code == 201
    # The demo organisation's grants and mentoring, its mentor's sessions; more partner organisations.
    org = ids["org_id"]
    async with signed_in(app, people["member"], passphrase=people["member"].passphrase) as http:
        for n in range(by):
            applied = await http.post(f"/api/v1/organisations/{org}/grants", json={
                "fund_id": fund, "title": f"Project {n}", "for_whom": "Two districts", "amount": "100",
                "starts_on": "2027-01-01", "ends_on": "2027-03-01", "payout_method": "bank", "payout_details": "Bank"})
            assert applied.status_code == 201, applied.text
            asked = await http.post(f"/api/v1/organisations/{org}/mentoring", json={
                "topic": "governance", "grant_id": ids["grant_id"]})
            assert asked.status_code == 201, asked.text
    async with signed_in(app, people["moderator"], passphrase=people["moderator"].passphrase) as mentor:
        for n in range(by):
            kept = await mentor.post(f"/api/v1/mentoring/{ids['mentoring_id']}/sessions",
                                     json={"held_on": "2027-01-02", "notes": f"Session {n}"})
            assert kept.status_code == 201, kept.text
    async with signed_in(app, people["admin"], passphrase=people["admin"].passphrase) as admin:
        for n in range(by):
            made = await admin.post("/api/v1/organisations", json={"name": f"Group {by}-{n}", "country": "CD"})
            assert made.status_code == 201, made.text
    # Proposals, reviewed and supported; commitments after the closed consultation's outcome.
    async with signed_in(app, people["member"], passphrase=people["member"].passphrase) as http:
        made = [(await http.post("/api/v1/proposals", json={"kind": "topic", "text": f"Topic {n}"})).json()
                for n in range(by)]
    async with signed_in(app, people["moderator"], passphrase=people["moderator"].passphrase) as moderator:
        for proposal in made:
            assert (await moderator.post(f"/api/v1/proposals/{proposal['proposal']['id']}/review",
                                         json={"decision": "release"})).status_code == 200
    async with signed_in(app, people["admin"], passphrase=people["admin"].passphrase) as http:
        for proposal in made:
            assert (await http.put(f"/api/v1/proposals/{proposal['proposal']['id']}/support",
                                   json={})).status_code == 200
    async with signed_in(app, people["policymaker"], passphrase=people["policymaker"].passphrase) as owner:
        for n in range(by):
            added = await owner.post(f"/api/v1/consultations/{ids['closed_id']}/commitments", json={
                "what": {"en": f"Step {n}"}, "who": "Ministry", "due_on": "2020-01-01"})
            assert added.status_code == 201, added.text
            assert (await owner.post(f"/api/v1/commitments/{added.json()['commitment']['id']}/updates", json={
                "status": "under_way", "note": {"en": "Begun."}})).status_code == 201
    for person in people.values():  # another device signed in for each demo account
        async with new_client(app) as http:
            await api_login(http, person.pseudonym, person.passphrase)


# A quick exit ends the session it is asked in: asked last, so every other page is seen signed in.
ENDS_SESSION = ("/exit", "/safety/quick-exit")


def _get_routes(app):
    # A route acting for an organisation is used by its representative: the demo member.
    routes = [(route.path, "representative" if route.endpoint.acts_for else route.endpoint.access)
              for route in app.routes if not isinstance(route, (Mount, WebSocketRoute)) and "GET" in route.methods]
    return sorted(routes, key=lambda route: route[0] in ENDS_SESSION)


async def _counts(app, people: dict[str, Member], ids: dict[str, int]) -> dict[tuple, tuple[int, list[str], int]]:
    """(path, role) -> (queries, their SQL, bytes shown) for every GET route and its users."""
    found, clients = {}, {}
    async with AsyncExitStack() as stack:
        for role in (None, "member", "moderator", "policymaker", "admin"):
            clients[role] = await stack.enter_async_context(new_client(app))
            if role:
                await api_login(clients[role], people[role].pseudonym, people[role].passphrase)
        for path, access in _get_routes(app):
            for role in USERS[access]:
                url = re.sub(r"{(\w+)(:\w+)?}", lambda m: str(_number(m.group(1), path, role, ids, people)), path)
                await clients[role].get(url)  # once first: what a route does only once (a cache) is not per item
                with counting_queries() as queries:
                    response = await clients[role].get(url)
                # Every route answers as it does for its users, not with a refusal that runs fewer queries.
                assert response.status_code < 400, (path, role, response.status_code, response.text[:300])
                found[(path, role)] = (len(queries), queries, len(response.content))
    return found


def _number(name: str, path: str, role: str | None, ids: dict[str, int], people: dict[str, Member]) -> int:
    """What a path number stands for on this route, for this viewer."""
    if name == "consultation_id" and path.endswith(("/figures", "/outcome", "/commitments")):
        return ids["closed_id"]
    if name == "member_id" and path.startswith(("/members/", "/api/v1/members/")):
        return people[role].id  # a profile its viewer may see: their own
    return ids[name]


def _shape(sql: str) -> str:
    return re.sub(r"\d+", "N", sql)


@both_databases
async def test_no_page_runs_more_queries_when_it_shows_more(app, database_url):
    await _seed(app)
    people = {role: await Member.get(pseudonym=pseudonym) for role, pseudonym, _ in DEMO_ACCOUNTS}
    for role, _, passphrase in DEMO_ACCOUNTS:
        people[role].passphrase = passphrase
    ids = await _ids()
    ids["closed_id"] = await _closed_consultation(app, people)
    await _grow(app, ids, people, 1)  # one of each kind at least, so both counts load every kind
    ids["proposal_id"] = (await Proposal.filter(status="shown").first()).id
    before = await _counts(app, people, ids)
    await _grow(app, ids, people, GROW_BY)
    after = await _counts(app, people, ids)

    grown = {key for key in before if after[key][2] > before[key][2]}
    # The test means something only if the pages people use most did show more.
    for path, role in [("/rooms", "member"), ("/rooms/{room_id:int}", "member"),
                       ("/moderation", "moderator"), ("/consultations", "member"),
                       ("/consultations/{consultation_id:int}/results", "policymaker"), ("/me/sessions", "member"),
                       ("/admin/stipends", "admin"), ("/api/v1/moderation/queue", "moderator"),
                       ("/library/services", "member"), ("/library/commitments", None),
                       ("/library/curation", "moderator"), ("/library/export.json", None),
                       ("/proposals", "member"), ("/commitments", None),
                       ("/consultations/{consultation_id:int}/commitments", "member"), ("/meetings", "member"),
                       ("/meetings/{meeting_id:int}", "admin"), ("/organisations", "member"),
                       ("/organisations/{org_id:int}/grants", "member"), ("/admin/grants", "admin"),
                       ("/organisations/{org_id:int}/grants/{grant_id:int}", "member"),
                       ("/mentoring/{mentoring_id:int}", "member"),
                       ("/organisations/{org_id:int}/consultations", "member")]:
        assert (path, role) in grown, f"{path} as {role} shows no more than before"
    more = {key: (before[key][0], after[key][0],
                  sorted((Counter(map(_shape, after[key][1])) - Counter(map(_shape, before[key][1]))).elements()))
            for key in before if after[key][0] > before[key][0]}
    assert more == {}, "pages whose queries grew with what they show: " + repr(more)
