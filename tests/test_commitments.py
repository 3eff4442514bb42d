"""What follows an outcome: commitments and their updates reach exactly those who took part (through
their participation key) and those who follow; the public account lists them by status and by how
late; and every member can read the results of a consultation once it has closed."""

import asyncio
from datetime import date, timedelta

from consultations.models import Follow, Release
from tests.conftest import both_databases
from tests.helpers import make_member, new_client, signed_in
from tests.test_consultations import _answers, _create, _take_part


async def _news(app, member) -> list[dict]:
    async with signed_in(app, member) as http:
        response = await http.get("/api/v1/notices")
    assert response.status_code == 200, response.text
    return response.json()["news"]


async def _close_and_publish(app, owner, consultation):
    cid = consultation["id"]
    async with signed_in(app, owner) as http:
        assert (await http.post(f"/api/v1/consultations/{cid}/close")).status_code == 200
        published = await http.post(f"/api/v1/consultations/{cid}/outcome", json={
            "heard": {"en": "You asked for health care first."}, "will_do": {"en": "Two things."}})
        assert published.status_code == 200, published.text


@both_databases
async def test_each_update_reaches_who_answered_and_who_follows_and_nobody_else(app, database_url):
    owner = await make_member(app, "policymaker")
    consultation = await _create(app, owner)
    cid = consultation["id"]
    answered, consented, withdrawn, follower, outsider = [await make_member(app) for _ in range(5)]
    await _take_part(app, answered, consultation, _answers(consultation, 0, [0], 3, [0, 1, 2]))
    async with signed_in(app, consented) as http:
        assert (await http.post(f"/api/v1/consultations/{cid}/consent", json={})).status_code == 200
    await _take_part(app, withdrawn, consultation, _answers(consultation, 1, [1], 2, [2, 1, 0]))
    async with signed_in(app, withdrawn) as http:
        assert (await http.delete(f"/api/v1/consultations/{cid}/answers")).status_code == 200
    async with signed_in(app, follower) as http:
        # Nothing to follow before there is an outcome.
        assert (await http.put(f"/api/v1/consultations/{cid}/follow", json={"follow": True})).status_code == 404
    await _close_and_publish(app, owner, consultation)

    async with signed_in(app, owner) as http:
        added = await http.post(f"/api/v1/consultations/{cid}/commitments", json={
            "what": {"en": "Open a clinic in every district"}, "who": "Ministry of Health", "due_on": "2027-06-30"})
        assert added.status_code == 201, added.text
        commitment = added.json()["commitment"]
    async with signed_in(app, follower) as http:
        assert (await http.put(f"/api/v1/consultations/{cid}/follow", json={"follow": True})).json() == {
            "following": True}
    async with signed_in(app, owner) as http:
        refused = await http.post(f"/api/v1/commitments/{commitment['id']}/updates", json={"status": "dropped"})
        assert refused.status_code == 422 and refused.json()["error"]["code"] == "missing_text"
        posted = await http.post(f"/api/v1/commitments/{commitment['id']}/updates", json={
            "status": "under_way", "note": {"en": "The first clinic opened in Goma."}})
        assert posted.status_code == 201, posted.text

    # Whoever answered hears of the commitment and of its update; the follower (who came after the
    # commitment was listed) of the update; a consent alone, a withdrawal, or nothing at all: of nothing.
    outcome, *news = await _news(app, answered)
    assert (outcome["status"], outcome["href"]) == ("Outcome published", f"/consultations/{cid}/outcome")
    assert [(n["status"], n["note"]) for n in news] == [("Under way", "The first clinic opened in Goma."),
                                                        ("Planned", "")]
    assert all(n["href"] == f"/consultations/{cid}/commitments" and n["heading"] == "Reparations policy 2027"
               for n in news)
    assert [n["status"] for n in await _news(app, follower)] == ["Under way"]
    for member in (consented, withdrawn, outsider):
        assert await _news(app, member) == []
    # The refused "dropped" changed nothing.
    async with signed_in(app, outsider) as http:
        listed = (await http.get(f"/api/v1/consultations/{cid}/commitments")).json()
    assert [c["status"] for c in listed["commitments"]] == ["under_way"] and listed["following"] is False

    # Shown once on the notices page, updates are no longer news (the next one is); the outcome stays
    # until it is read. Read by anyone: those who withdrew, or never took part, too.
    async with signed_in(app, answered) as http:
        page = await http.get("/notices")
        assert page.status_code == 200 and "The first clinic opened in Goma." in page.text
        assert [n["status"] for n in (await http.get("/api/v1/notices")).json()["news"]] == ["Outcome published"]
        assert (await http.get(f"/consultations/{cid}/outcome")).status_code == 200
        assert (await http.get("/api/v1/notices")).json()["news"] == []
    for member in (withdrawn, outsider):
        async with signed_in(app, member) as http:
            assert "You asked for health care first." in (await http.get(f"/consultations/{cid}/outcome")).text
    async with signed_in(app, owner) as http:
        assert (await http.post(f"/api/v1/commitments/{commitment['id']}/updates", json={
            "status": "done", "note": {"en": "Every district has one."}})).status_code == 201
    assert [n["status"] for n in await _news(app, answered)] == ["Done"]
    assert [n["status"] for n in await _news(app, follower)] == ["Done", "Under way"]
    # A follow names nobody, and stopping it stops the news.
    assert set(Follow._meta.db_fields) == {"id", "consultation_id", "token"}
    async with signed_in(app, follower) as http:
        assert (await http.put(f"/api/v1/consultations/{cid}/follow", json={"follow": False})).json() == {
            "following": False}
    assert await _news(app, follower) == []


async def test_every_update_is_told_however_many_and_whatever_comes_while_the_page_is_read(app):
    owner, member = await make_member(app, "policymaker"), await make_member(app)
    consultation = await _create(app, owner)
    cid = consultation["id"]
    await _take_part(app, member, consultation, _answers(consultation, 0, [0], 3, [0, 1, 2]))
    await _close_and_publish(app, owner, consultation)
    async with signed_in(app, owner) as http:
        made = [(await http.post(f"/api/v1/consultations/{cid}/commitments", json={
            "what": {"en": f"Step {n}"}, "who": "Office"})).json()["commitment"] for n in range(30)]
        for n in range(3):
            for commitment in made:
                assert (await http.post(f"/api/v1/commitments/{commitment['id']}/updates", json={
                    "status": "under_way", "note": {"en": f"round {n} of {commitment['id']}"}})).status_code == 201
    # 30 commitments and 90 updates: more than one page of notices holds; each visit tells the oldest
    # first, and nothing is marked told that was not shown.
    told = []
    async with signed_in(app, member) as http:
        assert (await http.get(f"/consultations/{cid}/outcome")).status_code == 200
        for _ in range(3):
            news = (await http.get("/api/v1/notices")).json()["news"]
            page = await http.get("/notices")
            told += [n["note"] or n["text"] for n in news]
            assert all((n["note"] or n["text"]) in page.text for n in news)
        assert (await http.get("/api/v1/notices")).json()["news"] == []
    assert len(told) == 120 and len(set(told)) == 120


async def test_the_public_account_lists_commitments_by_status_and_lateness(app):
    owner = await make_member(app, "policymaker")
    consultation = await _create(app, owner)
    await _close_and_publish(app, owner, consultation)
    cid = consultation["id"]
    overdue = (date.today() - timedelta(days=40)).isoformat()
    async with signed_in(app, owner) as http:
        late = (await http.post(f"/api/v1/consultations/{cid}/commitments", json={
            "what": {"en": "Train every judge"}, "who": "Judicial council", "due_on": overdue})).json()["commitment"]
        kept = (await http.post(f"/api/v1/consultations/{cid}/commitments", json={
            "what": {"en": "Publish the register"}, "who": "Registry office", "due_on": overdue})).json()["commitment"]
        assert (await http.post(f"/api/v1/commitments/{kept['id']}/updates", json={"status": "done"})).status_code == 201
        for day in ("31/12/2027", "0001-01-01", "9999-12-31"):
            bad = await http.post(f"/api/v1/consultations/{cid}/commitments", json={
                "what": {"en": "x"}, "who": "y", "due_on": day})
            assert bad.status_code == 422 and bad.json()["error"]["code"], day
        for day in ("2027-W01-1", "20270101", "0001-01-01"):  # a form's date is read as the API's is
            form = await http.post(f"/consultations/{cid}/commitments", data={
                "csrf_token": http.csrf, "what": "Fund shelters", "who": "Ministry", "due_on": day})
            assert form.status_code == 422, day
        form = await http.post(f"/consultations/{cid}/commitments", data={
            "csrf_token": http.csrf, "what": "Fund shelters", "who": "Ministry", "due_on": "not a date"})
        assert form.status_code == 422 and 'aria-invalid="true"' in form.text and "Fund shelters" in form.text
    async with new_client(app) as visitor:  # signed out: the account is public
        data = (await visitor.get("/api/v1/commitments")).json()["commitments"]
        page = await visitor.get("/commitments")
    assert [c["id"] for c in data["planned"]] == [late["id"]] and data["planned"][0]["days_late"] >= 40
    assert [c["id"] for c in data["done"]] == [kept["id"]] and data["done"][0]["days_late"] == 0
    assert page.status_code == 200 and "Train every judge" in page.text and "Publish the register" in page.text
    assert page.text.index("Train every judge") < page.text.index("Publish the register")


async def test_every_member_reads_the_results_once_it_has_closed(app):
    owner = await make_member(app, "policymaker")
    consultation = await _create(app, owner)
    cid = consultation["id"]
    for n in range(5):
        await _take_part(app, await make_member(app), consultation, _answers(consultation, n % 2, [0], 3, [0, 1, 2]))
    stranger = await make_member(app)  # took no part, and was never asked
    async with signed_in(app, stranger) as http:
        assert (await http.get(f"/api/v1/consultations/{cid}/figures")).status_code == 404
    async with signed_in(app, owner) as http:
        assert (await http.post(f"/api/v1/consultations/{cid}/close")).status_code == 200
    async with signed_in(app, stranger) as http:
        # Many members open the results as it closes: one release is made, and all are shown it.
        at_once = await asyncio.gather(*[http.get(f"/api/v1/consultations/{cid}/figures") for _ in range(6)])
        assert [r.status_code for r in at_once] == [200] * 6 and await Release.filter(consultation_id=cid).count() == 1
        figures = (await http.get(f"/api/v1/consultations/{cid}/figures")).json()["results"]
        listing = await http.get("/consultations")
        page = await http.get(f"/consultations/{cid}/figures", headers={"accept-language": "fr"})
    assert figures["final"] and figures["respondents"] == 5
    assert f"/consultations/{cid}/figures" in listing.text
    assert page.status_code == 200 and "<svg" in page.text and 'lang="fr"' in page.text
