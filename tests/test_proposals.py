"""Members propose topics and questions; a moderator reads each for identifying details before anyone
sees it; supports count once per member and link to no one (as answers do); policymakers answer
each, and the supporters are told."""

from tortoise import connections

from network.core.keys import digest
from tests.helpers import make_member, signed_in


async def _propose(app, member, text="Reparations for children born of wartime rape") -> int:
    async with signed_in(app, member) as http:
        response = await http.post("/api/v1/proposals", json={"kind": "topic", "text": text})
    assert response.status_code == 201, response.text
    assert response.json()["proposal"]["status"] == "pending"
    return response.json()["proposal"]["id"]


async def _support(app, member, proposal_id, on=True) -> dict:
    async with signed_in(app, member) as http:
        response = await http.put(f"/api/v1/proposals/{proposal_id}/support", json={"support": on})
    assert response.status_code == 200, response.text
    return response.json()


async def test_a_proposal_is_reviewed_before_it_is_shown_and_its_answer_reaches_its_supporters(app):
    author, reader, other = await make_member(app), await make_member(app), await make_member(app)
    moderator, policymaker = await make_member(app, "moderator"), await make_member(app, "policymaker")
    proposal_id = await _propose(app, author, "Our group in Kitchanga needs safe transport to court")
    async with signed_in(app, reader) as http:
        assert (await http.get("/api/v1/proposals")).json()["proposals"] == []
        assert (await http.get(f"/proposals/{proposal_id}")).status_code == 404
        assert (await http.put(f"/api/v1/proposals/{proposal_id}/support", json={})).status_code == 404
    async with signed_in(app, author) as http:  # the author sees their own, waiting
        mine = (await http.get("/api/v1/proposals")).json()["mine"]
    assert [(p["id"], p["status"]) for p in mine] == [(proposal_id, "pending")]
    async with signed_in(app, moderator) as http:
        assert [p["id"] for p in (await http.get("/api/v1/proposals/review")).json()["pending"]] == [proposal_id]
        queue = await http.get("/moderation")
        assert "Kitchanga" in queue.text and f"/proposals/{proposal_id}/review" in queue.text
        empty = await http.post(f"/proposals/{proposal_id}/review", data={
            "csrf_token": http.csrf, "decision": "redact", "text": "   "})
        assert empty.status_code == 422 and "Kitchanga" in empty.text
        redacted = await http.post(f"/api/v1/proposals/{proposal_id}/review", json={
            "decision": "redact", "text": "Our group needs safe transport to court"})
        assert redacted.json() == {"id": proposal_id, "status": "shown"}
    async with signed_in(app, reader) as http:
        shown = (await http.get("/api/v1/proposals")).json()["proposals"]
        page = await http.get(f"/proposals/{proposal_id}")
    assert [p["text"] for p in shown] == ["Our group needs safe transport to court"]
    assert "Kitchanga" not in page.text and shown[0]["supporters"] == 1  # its author, from the start

    assert (await _support(app, reader, proposal_id)) == {"supporters": 2, "supported": True}
    assert (await _support(app, reader, proposal_id)) == {"supporters": 2, "supported": True}  # once each
    assert (await _support(app, author, proposal_id))["supporters"] == 2
    async with signed_in(app, policymaker) as http:
        page = await http.get(f"/proposals/{proposal_id}")
        assert page.status_code == 200 and f'action="/proposals/{proposal_id}/answer"' in page.text
        typed = await http.post(f"/proposals/{proposal_id}/answer", data={
            "csrf_token": http.csrf, "decision": "declined", "reason": " "})
        assert typed.status_code == 422 and 'aria-invalid="true"' in typed.text and 'value="declined" checked' in typed.text
        no_reason = await http.post(f"/api/v1/proposals/{proposal_id}/answer", json={"decision": "declined"})
        assert no_reason.status_code == 422
        not_theirs = await http.post(f"/api/v1/proposals/{proposal_id}/answer", json={
            "decision": "taken_up", "consultation_id": 99999})
        assert not_theirs.status_code == 404
        answered = await http.post(f"/api/v1/proposals/{proposal_id}/answer", json={
            "decision": "declined", "reason": {"en": "Transport is funded by stipends already."}})
        assert answered.json()["status"] == "declined"
    # Answered, another policymaker cannot answer it over (an administrator can).
    async with signed_in(app, await make_member(app, "policymaker")) as http:
        over = await http.post(f"/api/v1/proposals/{proposal_id}/answer", json={
            "decision": "declined", "reason": {"en": "Something else."}})
        assert over.status_code == 409 and over.json()["error"]["code"] == "answered"
    for supporter in (author, reader):
        async with signed_in(app, supporter) as http:
            news = (await http.get("/api/v1/notices")).json()["news"]
            assert [(n["status"], n["note"]) for n in news] == [("Not taken up",
                                                                 "Transport is funded by stipends already.")]
            assert "Transport is funded" in (await http.get("/notices")).text
            assert (await http.get("/api/v1/notices")).json()["news"] == []  # told once
    async with signed_in(app, other) as http:
        assert (await http.get("/api/v1/notices")).json()["news"] == []
        # Answered, it is no longer open for support.
        assert (await http.put(f"/api/v1/proposals/{proposal_id}/support", json={})).status_code == 404


async def test_supports_link_to_no_one_with_every_server_secret(app):
    """The linkage test of answers (tests/test_unlinkable.py), for proposals and supports."""
    moderator = await make_member(app, "moderator")
    people = [await make_member(app, pseudonym=f"Supporter {n}") for n in range(6)]
    proposal_id = await _propose(app, people[0])
    async with signed_in(app, moderator) as http:
        assert (await http.post(f"/api/v1/proposals/{proposal_id}/review", json={"decision": "release"})) \
            .status_code == 200
    for member in people[1:]:
        await _support(app, member, proposal_id)
    await _support(app, people[5], proposal_id, on=False)
    conn = connections.get("default")
    supports = await conn.execute_query_dict("SELECT * FROM consultation_support")
    proposals = await conn.execute_query_dict("SELECT * FROM consultation_proposal")
    assert len(supports) == 5  # the author and four others: the fifth took it back
    assert set(supports[0]) == {"id", "proposal_id", "token"}
    assert "member_id" not in proposals[0] and not any("created_at" in row for row in proposals)
    tokens = {row["token"] for row in supports} | {row["author_token"] for row in proposals}
    settings = app.state.settings
    for member in people:
        for secret in (settings.secret_key, settings.data_key):
            for purpose in ("participation", "support", "proposal", "follow", "recovery", "invitation", "throttle"):
                for message in (f"{member.id}:{proposal_id}", str(member.id), f"{purpose}:{proposal_id}"):
                    assert digest(secret, purpose, message) not in tokens
    members = await conn.execute_query_dict("SELECT * FROM member")
    for row in members:
        assert row["vault"] is None or not any(row["vault"] in token for token in tokens)
    ids = sorted(row["id"] for row in supports)
    assert ids != list(range(ids[0], ids[0] + len(ids)))  # drawn at random, not in the order they came
    # Each member still finds their own support through their key, and only theirs.
    async with signed_in(app, people[2]) as http:
        assert [p["supported"] for p in (await http.get("/api/v1/proposals")).json()["proposals"]] == [True]
    async with signed_in(app, people[5]) as http:
        assert [p["supported"] for p in (await http.get("/api/v1/proposals")).json()["proposals"]] == [False]


async def test_a_proposal_form_refused_comes_back_as_typed(app):
    member = await make_member(app)
    async with signed_in(app, member) as http:
        long = "ч" * 2001
        response = await http.post("/proposals", data={"csrf_token": http.csrf, "kind": "topic", "text": long})
        assert response.status_code == 422 and long in response.text and 'aria-invalid="true"' in response.text
        bad_kind = await http.post("/api/v1/proposals", json={"kind": "petition", "text": "x"})
        assert bad_kind.status_code == 422 and bad_kind.json()["error"]["code"]
        assert (await http.get("/api/v1/proposals")).json()["mine"] == []


async def test_what_a_decoy_proposes_supports_and_follows_reads_as_real(app):
    """Under duress the decoy account must read like the member's own: what it does here stays (under
    its own key, where it reaches nobody's rows), where undoing it would give it away."""
    from tests.helpers import PASSPHRASE, api_login, new_client
    from tests.test_commitments import _close_and_publish
    from tests.test_consultations import _create

    member, moderator, owner = await make_member(app), await make_member(app, "moderator"), \
        await make_member(app, "policymaker")
    async with signed_in(app, member) as http:
        assert (await http.put("/api/v1/me/duress", json={
            "passphrase": "an entirely different passphrase", "action": "none",
            "current_passphrase": PASSPHRASE})).status_code == 200
    consultation = await _create(app, owner)
    await _close_and_publish(app, owner, consultation)
    proposal_id = await _propose(app, await make_member(app), "Courts closer to the camps")
    async with signed_in(app, moderator) as http:
        await http.post(f"/api/v1/proposals/{proposal_id}/review", json={"decision": "release"})
    async with new_client(app) as decoy:
        decoy.headers["x-csrf-token"] = await api_login(decoy, member.pseudonym, "an entirely different passphrase")
        cid = consultation["id"]
        assert (await decoy.put(f"/api/v1/consultations/{cid}/follow", json={"follow": True})).json() == {
            "following": True}
        assert (await decoy.get(f"/api/v1/consultations/{cid}/commitments")).json()["following"] is True
        assert (await decoy.put(f"/api/v1/proposals/{proposal_id}/support", json={})).json() == {
            "supporters": 2, "supported": True}
        assert (await decoy.post("/api/v1/proposals", json={"kind": "topic", "text": "Night buses"})).status_code == 201
        listed = (await decoy.get("/api/v1/proposals")).json()
    assert [p["supported"] for p in listed["proposals"]] == [True]
    assert [p["text"] for p in listed["mine"]] == ["Night buses"]
    # The member's own key finds none of it.
    async with signed_in(app, member) as http:
        mine = (await http.get("/api/v1/proposals")).json()
        assert mine["mine"] == [] and [p["supported"] for p in mine["proposals"]] == [False]
        assert (await http.get(f"/api/v1/consultations/{cid}/commitments")).json()["following"] is False
