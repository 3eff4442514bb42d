"""Partner organisations answer a consultation in their own name: one response per organisation, written
by its representatives, read by the consultation's owner under the organisation's name, and kept apart
from members' answers (never in a figure, a release, the heard dashboard or the moderators' review)."""

import json

from consultations.models import Answer, OrganisationResponse, Participation, Release
from network.organisations import service as organisations
from tests.helpers import csrf_from, make_member, signed_in
from tests.test_consultations import _answers, _create, _take_part

ORG_TEXT = "Our members in Goma ask for health care before anything else."


async def _organisation(app, name="Tujiunge Goma"):
    """An organisation, its representative, and an administrator who named them."""
    admin = await make_member(app, "admin")
    organisation = await organisations.create({"name": name, "kind": "survivor_led", "country": "CD",
                                               "languages": ["fr"]})
    representative = await make_member(app)
    await organisations.add_representative(admin, organisation.id, representative.pseudonym)
    return organisation, representative


def _question(consultation, kind):
    return next(q["id"] for q in consultation["questions"] if q["kind"] == kind)


def _url(organisation, consultation):
    return f"/api/v1/organisations/{organisation.id}/consultations/{consultation['id']}/response"


async def _stored(organisation, consultation):
    return await OrganisationResponse.get_or_none(organisation_id=organisation.id,
                                                  consultation_id=consultation["id"])


async def test_a_sent_response_reaches_the_owner_under_the_organisation_and_no_figure(app):
    owner = await make_member(app, "policymaker")
    consultation = await _create(app, owner)
    cid = consultation["id"]
    organisation, representative = await _organisation(app)
    members = [await make_member(app) for _ in range(5)]
    for member in members:
        await _take_part(app, member, consultation, _answers(consultation, 0, [0], 4, [0, 1, 2], text="Members' own"))
    answers_before = await Answer.all().count()
    participations_before = await Participation.all().count()

    async with signed_in(app, representative) as http:
        listed = await http.get(f"/api/v1/organisations/{organisation.id}/consultations")
        assert listed.status_code == 200, listed.text
        assert [(c["id"], c["response"]) for c in listed.json()["consultations"]] == [(cid, None)]
        read = await http.get(_url(organisation, consultation))
        assert read.status_code == 200 and read.json()["response"] is None
        assert len(read.json()["consultation"]["questions"]) == len(consultation["questions"])
        # The page form: a draft first, then sent.
        page = await http.get(f"/organisations/{organisation.id}/consultations/{cid}")
        assert page.status_code == 200 and "Tujiunge Goma" in page.text
        text_q, single_q = _question(consultation, "text"), _question(consultation, "single")
        saved = await http.post(f"/organisations/{organisation.id}/consultations/{cid}", data={
            "csrf_token": csrf_from(page.text), f"q{single_q}": "Health care", "action": "save"})
        assert saved.status_code == 303 and saved.headers["location"].endswith("?saved=saved")
        assert (await _stored(organisation, consultation)).status == "draft"
        sent = await http.put(_url(organisation, consultation), json={"answers": [
            {"question_id": single_q, "text": "Health care"}, {"question_id": text_q, "text": ORG_TEXT}],
            "submit": True})
        assert sent.status_code == 200, sent.text
        response = sent.json()["response"]
        assert response["status"] == "submitted" and response["submitted_at"]
        assert {a["question_id"]: a["text"] for a in response["answers"]} == {single_q: "Health care", text_q: ORG_TEXT}
        listing = await http.get(f"/organisations/{organisation.id}/consultations")
        assert listing.status_code == 200 and "Sent" in listing.text
        # The organisation's page offers it to its representatives.
        assert f'href="/organisations/{organisation.id}/consultations"' in (
            await http.get(f"/organisations/{organisation.id}")).text

    # Members' answers are exactly what they were: nothing of the response is one of them.
    assert await Answer.all().count() == answers_before
    assert await Participation.all().count() == participations_before
    stored = await _stored(organisation, consultation)
    assert stored.representative_id == representative.id

    async with signed_in(app, owner) as http:
        page = await http.get(f"/consultations/{cid}/organisations")
        assert page.status_code == 200 and "Tujiunge Goma" in page.text and ORG_TEXT in page.text
        assert representative.pseudonym not in page.text  # the organisation's words, never the representative's
        received = (await http.get(f"/api/v1/consultations/{cid}/organisations")).json()
        assert [(r["organisation"]["name"], r["status"]) for r in received["responses"]] == [
            ("Tujiunge Goma", "submitted")]
        assert representative.pseudonym not in json.dumps(received)
        assert "representative" not in json.dumps(received)
    # Moderators review members' texts only.
    async with signed_in(app, await make_member(app, "moderator")) as http:
        pending = (await http.get("/api/v1/consultations/review")).json()["pending"]
        assert pending and ORG_TEXT not in json.dumps(pending)
    async with signed_in(app, owner) as http:
        assert (await http.post(f"/api/v1/consultations/{cid}/close")).status_code == 200
        results = (await http.get(f"/api/v1/consultations/{cid}/results")).json()
        csv_text = (await http.get(f"/api/v1/consultations/{cid}/export.csv")).text
        results_page = (await http.get(f"/consultations/{cid}/results")).text
        heard = await http.get("/api/v1/heard")
    # The figures are the five members' and nobody else's.
    assert results["results"]["respondents"] == 5
    for shown in (json.dumps(results), csv_text, results_page, heard.text,
                  json.dumps([r.figures for r in await Release.filter(consultation_id=cid)])):
        assert ORG_TEXT not in shown and "Tujiunge" not in shown
    assert [r.respondents for r in await Release.filter(consultation_id=cid)] == [5]

    # Closed: it still reads back, and no longer changes.
    async with signed_in(app, representative) as http:
        assert (await http.get(_url(organisation, consultation))).json()["response"]["status"] == "submitted"
        late = await http.put(_url(organisation, consultation), json={"answers": [], "submit": False})
        assert late.status_code == 409 and late.json()["error"]["code"] == "closed"
        page = await http.get(f"/organisations/{organisation.id}/consultations/{cid}")
        assert page.status_code == 200 and ORG_TEXT in page.text
    assert (await _stored(organisation, consultation)).status == "submitted"


async def test_only_its_representatives_write_it_and_only_the_owner_reads_it(app):
    owner, other_owner = await make_member(app, "policymaker"), await make_member(app, "policymaker")
    consultation = await _create(app, owner)
    cid = consultation["id"]
    organisation, representative = await _organisation(app)
    async with signed_in(app, representative) as http:
        assert (await http.put(_url(organisation, consultation), json={"answers": [
            {"question_id": _question(consultation, "text"), "text": ORG_TEXT}], "submit": True})).status_code == 200
    outsider = await make_member(app)
    async with signed_in(app, outsider) as http:
        for method, url in (("GET", f"/organisations/{organisation.id}/consultations"),
                            ("GET", f"/organisations/{organisation.id}/consultations/{cid}"),
                            ("GET", _url(organisation, consultation)),
                            ("GET", f"/api/v1/organisations/{organisation.id}/consultations")):
            assert (await http.request(method, url)).status_code == 403, url
        taken = await http.put(_url(organisation, consultation), json={"answers": [], "submit": False})
        assert taken.status_code == 403 and taken.json()["error"]["code"] == "forbidden"
        page = await http.get("/consultations")
        posted = await http.post(f"/organisations/{organisation.id}/consultations/{cid}",
                                 data={"csrf_token": csrf_from(page.text), "action": "save"})
        assert posted.status_code == 403
        # Members do not read organisations' responses either.
        assert (await http.get(f"/consultations/{cid}/organisations")).status_code == 403
    async with signed_in(app, other_owner) as http:
        assert (await http.get(f"/consultations/{cid}/organisations")).status_code == 404
        assert (await http.get(f"/api/v1/consultations/{cid}/organisations")).status_code == 404
    async with signed_in(app, await make_member(app, "admin")) as http:
        # An administrator reads them as the owner does, but does not speak for the organisation.
        assert ORG_TEXT in (await http.get(f"/consultations/{cid}/organisations")).text
        assert (await http.put(_url(organisation, consultation), json={"answers": []})).status_code == 403
    stored = await _stored(organisation, consultation)
    assert stored.status == "submitted" and list(stored.answers.values()) == [ORG_TEXT]


async def test_bad_input_is_refused_whole_and_changes_nothing(app):
    owner = await make_member(app, "policymaker")
    consultation = await _create(app, owner)
    cid = consultation["id"]
    organisation, representative = await _organisation(app)
    text_q = _question(consultation, "text")
    async with signed_in(app, representative) as http:
        first = {"answers": [{"question_id": text_q, "text": ORG_TEXT}], "submit": True}
        assert (await http.put(_url(organisation, consultation), json=first)).status_code == 200
        stored = await _stored(organisation, consultation)
        for body, field in (
                ({"answers": [{"question_id": text_q, "text": "x" * 5001}], "submit": True}, "answers.0.text"),
                ({"answers": [{"question_id": text_q, "text": "Fine"}, {"question_id": 999999, "text": "Who?"}],
                  "submit": True}, "answers.999999"),
                ({"answers": [{"question_id": text_q, "text": "  "}], "submit": True}, "answers"),
                ({"answers": [{"question_id": text_q, "text": "Fine", "extra": 1}]}, None)):
            refused = await http.put(_url(organisation, consultation), json=body)
            assert refused.status_code == 422, (body, refused.text)
            error = refused.json()["error"]
            assert error["code"] and error["message"]
            if field:
                assert error.get("field") == field or field in error.get("fields", {}), error
        # Through the form, a text over the limit comes back as typed, beside its question.
        page = await http.get(f"/organisations/{organisation.id}/consultations/{cid}")
        long_text = "y" * 5001
        again = await http.post(f"/organisations/{organisation.id}/consultations/{cid}", data={
            "csrf_token": csrf_from(page.text), f"q{text_q}": long_text, "action": "submit"})
        assert again.status_code == 422 and long_text in again.text and f'id="e-q{text_q}"' in again.text
        # A consultation that does not exist, or is still a draft, is not found.
        assert (await http.get(f"/api/v1/organisations/{organisation.id}/consultations/999999/response")
                ).status_code == 404
    async with signed_in(app, owner) as http:
        draft = (await http.post("/api/v1/consultations", json={
            "title": {"en": "Not yet"}, "consent_text": {"en": "Later."}})).json()["consultation"]
    async with signed_in(app, representative) as http:
        hidden = await http.put(f"/api/v1/organisations/{organisation.id}/consultations/{draft['id']}/response",
                                json={"answers": []})
        assert hidden.status_code == 404
    after = await _stored(organisation, consultation)
    assert (after.answers, after.status, after.submitted_at, after.updated_at) == (
        stored.answers, stored.status, stored.submitted_at, stored.updated_at)
    assert await OrganisationResponse.all().count() == 1


async def test_one_response_per_organisation_and_a_second_save_updates_it(app):
    owner = await make_member(app, "policymaker")
    consultation = await _create(app, owner)
    organisation, representative = await _organisation(app)
    second = await make_member(app)
    await organisations.add_representative(await make_member(app, "admin"), organisation.id, second.pseudonym)
    other, other_rep = await _organisation(app, "Коло жінок")
    text_q, single_q = _question(consultation, "text"), _question(consultation, "single")
    async with signed_in(app, representative) as http:
        assert (await http.put(_url(organisation, consultation), json={"answers": [
            {"question_id": text_q, "text": "First words"}], "submit": True})).status_code == 200
    async with signed_in(app, second) as http:
        # Another representative of the same organisation changes the same response.
        changed = await http.put(_url(organisation, consultation), json={"answers": [
            {"question_id": single_q, "text": "Justice"}], "submit": False})
        assert changed.status_code == 200
        assert changed.json()["response"]["answers"] == [{"question_id": single_q, "text": "Justice"}]
        assert changed.json()["response"]["status"] == "draft"
    async with signed_in(app, other_rep) as http:
        assert (await http.put(_url(other, consultation), json={"answers": [
            {"question_id": text_q, "text": "Our own"}], "submit": True})).status_code == 200
    assert await OrganisationResponse.filter(organisation_id=organisation.id).count() == 1
    stored = await _stored(organisation, consultation)
    assert (stored.answers, stored.status, stored.submitted_at, stored.representative_id) == (
        {str(single_q): "Justice"}, "draft", None, second.id)
    # A draft is the organisation's own until sent: the owner reads only the other organisation's.
    async with signed_in(app, owner) as http:
        received = (await http.get(f"/api/v1/consultations/{consultation['id']}/organisations")).json()
    assert [r["organisation"]["name"] for r in received["responses"]] == ["Коло жінок"]
