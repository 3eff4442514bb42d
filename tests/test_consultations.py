"""Consultations end to end: every question type, audience, consent, withdrawal, results with
small groups suppressed, reviewed free text, outcomes, and nothing that links answers to people."""

import csv
import io
import json

import pytest
from tortoise import connections

from consultations.models import Answer, Participation
from network.members.models import Member
from tests.conftest import both_databases
from tests.helpers import csrf_from, make_member, signed_in

DRAFT = {
    "original_locale": "en",
    "title": {"en": "Reparations policy 2027", "fr": "Politique de réparations 2027"},
    "summary": {"en": "What should reparations include?"},
    "consent_text": {"en": "Your answers are used only to shape this policy. You can withdraw until it closes."},
    "sections": [
        {"heading": {"en": "Purpose"}, "body": {"en": "This policy **funds** care. <script>alert(1)</script>"}},
        {"heading": {"en": "Who is covered"}, "body": {"en": "Every survivor, whatever their status."}},
    ],
    "questions": [
        {"kind": "single", "prompt": {"en": "Which matters most?"}, "required": True,
         "options": [{"en": "Health"}, {"en": "Housing"}, {"en": "Justice"}]},
        {"kind": "multiple", "prompt": {"en": "Which two?"}, "max_choices": 2,
         "options": [{"en": "A"}, {"en": "B"}, {"en": "C"}]},
        {"kind": "scale", "prompt": {"en": "How clear is it?"}, "scale_min": 1, "scale_max": 5,
         "scale_low_label": {"en": "not clear"}, "scale_high_label": {"en": "very clear"}},
        {"kind": "ranking", "prompt": {"en": "Put these in order"}, "options": [{"en": "X"}, {"en": "Y"}, {"en": "Z"}]},
        {"kind": "text", "prompt": {"en": "Anything else?"}, "max_length": 300},
        {"kind": "comment", "prompt": {"en": "Comments on the purpose"}, "section": 0},
    ],
    "k": 5,
}


async def _create(app, owner, draft=None):
    async with signed_in(app, owner) as http:
        response = await http.post("/api/v1/consultations", json=draft or DRAFT)
        assert response.status_code == 201, response.text
        consultation = response.json()["consultation"]
        assert (await http.post(f"/api/v1/consultations/{consultation['id']}/open")).status_code == 200
    return consultation


def _answers(consultation, single, multiple, scale, ranking, text="", comment=""):
    q = {question["kind"]: question["id"] for question in consultation["questions"]}
    return [{"question_id": q["single"], "option": single}, {"question_id": q["multiple"], "options": multiple},
            {"question_id": q["scale"], "value": scale}, {"question_id": q["ranking"], "ranking": ranking},
            {"question_id": q["text"], "text": text}, {"question_id": q["comment"], "text": comment}]


async def _take_part(app, member, consultation, answers, share=False):
    async with signed_in(app, member) as http:
        cid = consultation["id"]
        assert (await http.post(f"/api/v1/consultations/{cid}/consent", json={"share_profile": share})).status_code == 200
        response = await http.put(f"/api/v1/consultations/{cid}/answers", json={"answers": answers, "submit": True})
        assert response.status_code == 200, response.text
        assert response.json()["submitted"] is True


@both_databases
async def test_every_question_type_end_to_end(app, database_url):
    owner = await make_member(app, "policymaker")
    consultation = await _create(app, owner)
    plan = [(0, [0, 1], 5, [0, 1, 2]), (0, [0], 4, [0, 2, 1]), (0, [1, 2], 4, [1, 0, 2]), (1, [0, 2], 3, [0, 1, 2]),
            (1, [0], 5, [2, 1, 0]), (1, [0, 1], 2, [0, 1, 2]), (2, [2], 1, [1, 2, 0])]
    for index, (single, multiple, scale, ranking) in enumerate(plan):
        member = await make_member(app)
        await _take_part(app, member, consultation, _answers(consultation, single, multiple, scale, ranking,
                                                             text=f"free text {index}"))
    async with signed_in(app, owner) as http:
        assert (await http.post(f"/api/v1/consultations/{consultation['id']}/close")).status_code == 200
        response = await http.get(f"/api/v1/consultations/{consultation['id']}/results")
        page = await http.get(f"/consultations/{consultation['id']}/results")
    assert response.status_code == 200 and page.status_code == 200
    results = response.json()["results"]
    assert results["respondents"] == 7 and results["final"] is True
    by_kind = {q["kind"]: q for q in results["questions"]}
    assert by_kind["single"]["cells"] == [None, None, None]  # 3 / 3 / 1: all under k
    assert by_kind["single"]["no_answer"] == 0
    # A was chosen by 5, so only 2 did not: a small "no" tells as much as a small "yes".
    assert by_kind["multiple"]["cells"] == [None, None, None]
    assert by_kind["scale"]["cells"] == [None] * 5 and "Average" not in page.text  # a mean would tell them
    assert by_kind["ranking"]["cells"] == [7, 7, 7]
    # Borda: first place scores 3, second 2, third 1.
    assert by_kind["ranking"]["scores"] == [3 + 3 + 2 + 3 + 1 + 3 + 1, 2 + 1 + 3 + 2 + 2 + 2 + 3, 1 + 2 + 1 + 1 + 3 + 1 + 2]
    # Free text is held back until reviewed.
    assert response.json()["texts"] == []


async def test_figures_are_released_at_the_close_or_k_respondents_apart_never_per_answer(app):
    owner = await make_member(app, "policymaker")
    consultation = await _create(app, owner)
    cid = consultation["id"]
    async with signed_in(app, owner) as http:
        for _ in range(4):
            await _take_part(app, await make_member(app), consultation, _answers(consultation, 0, [0], 3, [0, 1, 2]))
            body = (await http.get(f"/api/v1/consultations/{cid}/results")).json()
            assert body["results"] is None and body["can_release"] is False  # nothing moves as each one answers
        assert (await http.post(f"/api/v1/consultations/{cid}/releases")).status_code == 409
        assert "once at least 5 people have answered" in (await http.get(f"/consultations/{cid}/results")).text
        await _take_part(app, await make_member(app), consultation, _answers(consultation, 0, [0], 3, [0, 1, 2]))
        assert (await http.get(f"/api/v1/consultations/{cid}/results")).json()["can_release"] is True
        first = (await http.post(f"/api/v1/consultations/{cid}/releases")).json()["release"]
        assert first["number"] == 1 and first["respondents"] == 5 and first["final"] is False
        # Everyone chose Health: shown, that would tell each one's answer.
        assert first["questions"][0]["cells"] == [None, None, None]
        await _take_part(app, await make_member(app), consultation, _answers(consultation, 1, [0], 3, [0, 1, 2]))
        assert (await http.get(f"/api/v1/consultations/{cid}/results")).json()["results"] == first
        assert (await http.post(f"/api/v1/consultations/{cid}/releases")).status_code == 409  # not k more yet
        await http.post(f"/api/v1/consultations/{cid}/close")
        final = (await http.get(f"/api/v1/consultations/{cid}/results")).json()["results"]
        assert final["number"] == 2 and final["final"] is True and final["respondents"] == 6
        assert [r["number"] for r in (await http.get(f"/api/v1/consultations/{cid}/releases")).json()["releases"]] \
            == [1, 2]


def test_protection_hides_what_the_totals_would_give_away():
    from network.core.disclosure import Table, pinned, protect

    # One small cell alone could be worked out from the total: the next smallest goes with it.
    table = Table(values={"a": 10, "b": 2, "c": 6, "none": 0, "total": 18}, sums=[(["a", "b", "c", "none"], "total")],
                  counts={"a", "b", "c", "none", "total"}, fixed={"total"})
    assert protect(table, 5) == {"b", "c"}
    # Everyone in a group gave the same answer: the whole group's answers go.
    alike = Table(values={"a": 9, "b": 0, "total": 9}, sums=[(["a", "b"], "total")], counts={"a", "b", "total"},
                  fixed={"total"})
    assert protect(alike, 5, alike=[(["a", "b"], "total")]) == {"a", "b"}
    # Rows and columns together: whatever is hidden, nothing hidden can be worked out.
    cells = {("fa", 0): 9, ("fa", 1): 7, ("ar", 0): 2, ("ar", 1): 1, ("sw", 0): 8, ("sw", 1): 6}
    values = {**cells, "fa": 16, "ar": 3, "sw": 14, 0: 19, 1: 14}
    sums = [([(g, 0), (g, 1)], g) for g in ("fa", "ar", "sw")] + [([(g, c) for g in ("fa", "ar", "sw")], c) for c in (0, 1)]
    grid = Table(values=values, sums=sums, counts=set(values))
    hidden = protect(grid, 5)
    assert {("ar", 0), ("ar", 1)} <= hidden and not pinned(grid, hidden)


async def test_audience_targeting(app):
    owner = await make_member(app, "policymaker")
    draft = dict(DRAFT, audience={"languages": ["fa"], "regions": ["AF"], "age_bands": []})
    consultation = await _create(app, owner, draft)
    inside, outside = await make_member(app), await make_member(app)
    async with signed_in(app, inside) as http:
        await http.patch("/api/v1/me", json={"languages": ["fa", "en"], "region": "AF"})
        listed = (await http.get("/api/v1/consultations")).json()["open"]
        assert [c["id"] for c in listed] == [consultation["id"]]
    async with signed_in(app, outside) as http:
        await http.patch("/api/v1/me", json={"languages": ["fa"], "region": "IR"})
        assert (await http.get("/api/v1/consultations")).json()["open"] == []
        assert (await http.get(f"/api/v1/consultations/{consultation['id']}")).status_code == 404
        refused = await http.post(f"/api/v1/consultations/{consultation['id']}/consent", json={})
        assert refused.status_code == 403


async def test_no_answer_before_consent_and_withdrawal_deletes(app):
    owner = await make_member(app, "policymaker")
    consultation = await _create(app, owner)
    member = await make_member(app)
    cid = consultation["id"]
    async with signed_in(app, member) as http:
        early = await http.put(f"/api/v1/consultations/{cid}/answers",
                               json={"answers": _answers(consultation, 0, [0], 3, [0, 1, 2]), "submit": True})
        assert early.status_code == 403 and early.json()["error"]["code"] == "no_consent"
        assert await Answer.all().count() == 0
        await http.post(f"/api/v1/consultations/{cid}/consent", json={})
        # Progress is saved without submitting; a needed question only matters on submit.
        saved = await http.put(f"/api/v1/consultations/{cid}/answers",
                               json={"answers": [{"question_id": consultation["questions"][2]["id"], "value": 4}]})
        assert saved.status_code == 200 and saved.json()["submitted"] is False
        missing = await http.put(f"/api/v1/consultations/{cid}/answers", json={"answers": [], "submit": True})
        assert missing.status_code == 422 and missing.json()["error"]["code"] == "required"
        detail = (await http.get(f"/api/v1/consultations/{cid}")).json()["consultation"]
        assert detail["me"] == {"consented": True, "consent_current": True, "submitted": False}
        withdrawn = await http.delete(f"/api/v1/consultations/{cid}/answers")
        assert withdrawn.status_code == 200
    assert await Participation.all().count() == 0 and await Answer.all().count() == 0


@pytest.mark.parametrize("answer", [
    {"option": 3}, {"option": -1}, {"options": [0, 1, 2]}, {"value": 9}, {"ranking": [0, 0]}, {"text": "x" * 301},
])
async def test_bad_answers_are_refused_and_change_nothing(app, answer):
    owner = await make_member(app, "policymaker")
    consultation = await _create(app, owner)
    kinds = {"option": "single", "options": "multiple", "value": "scale", "ranking": "ranking", "text": "text"}
    question = next(q for q in consultation["questions"] if q["kind"] == kinds[next(iter(answer))])
    member = await make_member(app)
    async with signed_in(app, member) as http:
        await http.post(f"/api/v1/consultations/{consultation['id']}/consent", json={})
        await http.put(f"/api/v1/consultations/{consultation['id']}/answers",
                       json={"answers": [{"question_id": consultation["questions"][2]["id"], "value": 2}]})
        response = await http.put(f"/api/v1/consultations/{consultation['id']}/answers",
                                  json={"answers": [{"question_id": question["id"], **answer}]},
                                  headers={"accept-language": "fr"})
        assert response.status_code == 422
        fields = response.json()["error"]["fields"]
        # Beyond the document's bounds the body's validation names the field; within them, the question.
        assert f"answers.{question['id']}" in fields or f"answers.0.{next(iter(answer))}" in fields
        assert not any(message.startswith(("This ", "Choose ", "Give ")) for message in fields.values())  # French
    assert [a.value for a in await Answer.all()] == [2]


async def test_policymaker_sees_nothing_that_identifies_anyone(app):
    owner = await make_member(app, "policymaker")
    consultation = await _create(app, owner)
    people = []
    for n in range(6):
        member = await make_member(app, pseudonym=f"Hidden Voice {n}")
        people.append(member)
        await _take_part(app, member, consultation, _answers(consultation, n % 2, [0], 3, [0, 1, 2], text=f"note {n}"),
                         share=True)
    tokens = [p.token for p in await Participation.all()]
    moderator = await make_member(app, "moderator")
    async with signed_in(app, moderator) as http:
        queue = (await http.get("/api/v1/consultations/review")).json()["pending"]
        assert len(queue) == 6
        blob = json.dumps(queue)
        for n, member in enumerate(people):
            assert member.pseudonym not in blob
        for item in queue:
            await http.post(f"/api/v1/consultations/review/{item['id']}", json={"decision": "release"})
    cid = consultation["id"]
    async with signed_in(app, owner) as http:
        seen = [(await http.get(f"/api/v1/consultations/{cid}/results")).text,
                (await http.get(f"/api/v1/consultations/{cid}/export.csv")).text,
                (await http.get(f"/consultations/{cid}/results")).text,
                (await http.get(f"/consultations/{cid}/manage")).text,
                (await http.get(f"/api/v1/consultations/{cid}")).text]
    blob = "\n".join(seen)
    for member in people:
        assert member.pseudonym not in blob
        assert f'"member_id": {member.id}' not in blob
    for token in tokens:
        assert token not in blob
    assert "note 3" in seen[1]  # released text does reach the policymaker
    # Nothing stored links an answer to an account.
    conn = connections.get("default")
    columns = await conn.execute_query_dict("SELECT * FROM consultation_participation LIMIT 1")
    assert not any("member" in column for column in columns[0])


async def test_free_text_review_release_redact_withhold(app):
    owner = await make_member(app, "policymaker")
    consultation = await _create(app, owner)
    texts = ["I live at 12 Rue X in Goma", "the clinic helped", "call me on 0812345678", "nice", "fine", "ok"]
    for text in texts:
        await _take_part(app, await make_member(app), consultation, _answers(consultation, 0, [0], 3, [0, 1, 2], text=text))
    moderator = await make_member(app, "moderator")
    async with signed_in(app, moderator) as http:
        page = await http.get("/consultations/review")
        assert "I live at 12 Rue X" in page.text
        pending = {item["text"]: item["id"] for item in (await http.get("/api/v1/consultations/review")).json()["pending"]}
        await http.post(f"/api/v1/consultations/review/{pending[texts[0]]}", json={"decision": "redact", "text": "I live in [a town]"})
        await http.post(f"/api/v1/consultations/review/{pending[texts[1]]}", json={"decision": "release"})
        await http.post(f"/api/v1/consultations/review/{pending[texts[2]]}", json={"decision": "withhold"})
        empty = await http.post(f"/api/v1/consultations/review/{pending[texts[3]]}", json={"decision": "redact", "text": ""})
        assert empty.status_code == 422
    async with signed_in(app, owner) as http:
        released = [t["text"] for t in (await http.get(f"/api/v1/consultations/{consultation['id']}/results")).json()["texts"]]
        exported = (await http.get(f"/api/v1/consultations/{consultation['id']}/export.csv")).text
        assert (await http.get("/api/v1/consultations/review")).status_code == 403
    assert sorted(released) == ["I live in [a town]", "the clinic helped"]
    for secret in ("12 Rue X", "0812345678", "nice"):
        assert secret not in exported and secret not in str(released)
    rows = list(csv.reader(io.StringIO(exported)))
    assert rows[0][0] == "section" and any(row[0] == "text" for row in rows)


async def test_outcome_reaches_every_participant(app):
    owner = await make_member(app, "policymaker")
    consultation = await _create(app, owner)
    took_part, did_not = await make_member(app), await make_member(app)
    await _take_part(app, took_part, consultation, _answers(consultation, 0, [0], 3, [0, 1, 2]))
    cid = consultation["id"]
    async with signed_in(app, owner) as http:
        early = await http.post(f"/api/v1/consultations/{cid}/outcome", json={"heard": {"en": "x"}, "will_do": {"en": "y"}})
        assert early.status_code == 409
        await http.post(f"/api/v1/consultations/{cid}/close")
        response = await http.post(f"/api/v1/consultations/{cid}/outcome", json={
            "heard": {"en": "You asked for **housing**."}, "will_do": {"en": "We will fund it."}})
        assert response.status_code == 200
    async with signed_in(app, took_part) as http:
        assert (await http.get("/api/v1/consultations")).json()["new_outcomes"] == [cid]
        assert [n["href"] for n in (await http.get("/api/v1/notices")).json()["news"]] == [
            f"/consultations/{cid}/outcome"]
        page = await http.get(f"/consultations/{cid}/outcome")
        assert "<strong>housing</strong>" in page.text and "We will fund it." in page.text
        assert (await http.get("/api/v1/consultations")).json()["new_outcomes"] == []
    async with signed_in(app, did_not) as http:
        assert (await http.get("/api/v1/consultations")).json()["new_outcomes"] == []
        assert (await http.get("/api/v1/notices")).json()["news"] == []
        # Not told, but free to read it: a published outcome is for every member.
        assert "We will fund it." in (await http.get(f"/consultations/{cid}/outcome")).text


async def test_changes_after_opening_make_a_new_version_members_see(app):
    owner = await make_member(app, "policymaker")
    consultation = await _create(app, owner)
    member = await make_member(app)
    cid = consultation["id"]
    async with signed_in(app, member) as http:
        await http.post(f"/api/v1/consultations/{cid}/consent", json={})
        await http.get(f"/consultations/{cid}/sections/1")  # read to the end
    changed = json.loads(json.dumps(DRAFT))
    changed["sections"][1]["body"] = {"en": "Every survivor, and their children."}
    async with signed_in(app, owner) as http:
        response = await http.put(f"/api/v1/consultations/{cid}", json=changed)
        assert response.status_code == 200 and response.json()["consultation"]["version"] == 2
    async with signed_in(app, member) as http:
        sections = (await http.get(f"/api/v1/consultations/{cid}")).json()["consultation"]["sections"]
        assert [s["changed_since_read"] for s in sections] == [False, True]
        assert "Changed since you read it" in (await http.get(f"/consultations/{cid}")).text
        questions = (await http.get(f"/api/v1/consultations/{cid}")).json()["consultation"]["questions"]
        assert [q["id"] for q in questions] == [q["id"] for q in consultation["questions"]]  # unchanged, kept
        saved = await http.put(f"/api/v1/consultations/{cid}/answers",
                               json={"answers": [{"question_id": questions[2]["id"], "value": 2}]})
        assert saved.status_code == 200
    # Once answered, questions cannot change.
    changed["questions"] = changed["questions"][:2]
    async with signed_in(app, owner) as http:
        refused = await http.put(f"/api/v1/consultations/{cid}", json=changed)
        assert refused.status_code == 409 and refused.json()["error"]["code"] == "answered"
    # Another policymaker cannot touch it.
    other = await make_member(app, "policymaker")
    async with signed_in(app, other) as http:
        assert (await http.put(f"/api/v1/consultations/{cid}", json=DRAFT)).status_code == 404
        assert (await http.get(f"/api/v1/consultations/{cid}/results")).status_code == 404


async def test_members_read_their_own_language_and_drafts_are_rendered_safely(app):
    owner = await make_member(app, "policymaker")
    consultation = await _create(app, owner)
    member = await make_member(app)
    async with signed_in(app, member) as http:
        await http.patch("/api/v1/me", json={"locale": "fr"})
        detail = (await http.get(f"/api/v1/consultations/{consultation['id']}")).json()["consultation"]
        assert detail["title"] == "Politique de réparations 2027"
        assert detail["summary"] == "What should reparations include?"  # falls back to the original
        page = await http.get(f"/consultations/{consultation['id']}/sections/0")
        assert "<strong>funds</strong>" in page.text and "<script>alert" not in page.text


async def test_k_can_never_be_below_three(app):
    owner = await make_member(app, "policymaker")
    async with signed_in(app, owner) as http:
        response = await http.post("/api/v1/consultations", json=dict(DRAFT, k=2))
        assert response.status_code == 422
    assert not await Member.filter(role="decoy").exists()


async def test_policymaker_form_creates_a_consultation(app):
    owner = await make_member(app, "policymaker")
    async with signed_in(app, owner) as http:
        page = await http.get("/consultations/manage")
        response = await http.post("/consultations/new", data={
            "csrf_token": csrf_from(page.text), "title": "Data stipends", "summary": "s",
            "consent_text": "We use your answers for this policy only.", "k": "5",
            "draft": "## Why\n\nMobile data costs.\n\n## How\n\nMonthly top-ups.",
            "questions": "*single: Is it enough? | Yes | No\nscale 1-5: How useful? | not | very\ncomment 2: About how"})
        assert response.status_code == 303
        manage = await http.get(response.headers["location"])
        assert "Data stipends" in manage.text
        bad = await http.post("/consultations/new", data={"csrf_token": csrf_from(page.text), "title": "T",
                                                          "consent_text": "c", "questions": "nonsense line"})
        assert bad.status_code == 422


async def test_breakdowns_show_only_groups_of_k_or_more(app):
    owner = await make_member(app, "policymaker")
    consultation = await _create(app, owner)
    for n in range(7):
        member = await make_member(app)
        async with signed_in(app, member) as http:
            await http.patch("/api/v1/me", json={"languages": ["fa" if n < 6 else "sw"], "region": "AF"})
        await _take_part(app, member, consultation, _answers(consultation, 0, [0], 3, [0, 1, 2]), share=True)
    async with signed_in(app, owner) as http:
        await http.post(f"/api/v1/consultations/{consultation['id']}/close")
        results = (await http.get(f"/api/v1/consultations/{consultation['id']}/results")).json()["results"]
        page = (await http.get(f"/consultations/{consultation['id']}/results")).text
    language = results["breakdowns"]["language"]
    # sw is one person: not a group of its own (with everyone who did not share, it is "others", never shown).
    assert (language["groups"], language["sizes"]) == (["fa"], [6])
    region = results["breakdowns"]["region"]
    assert (region["groups"], region["sizes"]) == (["AF"], [7])
    single = str(consultation["questions"][0]["id"])
    assert region["questions"][single] == [[None, None, None]]  # all seven alike: not shown
    assert 'class="breakdown"' in page


async def test_a_released_text_can_be_reported_back_to_the_moderators(app):
    from moderation import service as moderation

    owner = await make_member(app, "policymaker")
    consultation = await _create(app, owner)
    for n in range(5):
        await _take_part(app, await make_member(app), consultation,
                         _answers(consultation, 0, [0], 3, [0, 1, 2], text=f"story {n}"))
    moderator = await make_member(app, "moderator")
    async with signed_in(app, moderator) as http:
        for item in (await http.get("/api/v1/consultations/review")).json()["pending"]:
            await http.post(f"/api/v1/consultations/review/{item['id']}", json={"decision": "release"})
    async with signed_in(app, owner) as http:
        page = await http.get(f"/consultations/{consultation['id']}/results")
        assert 'name="target" value="text"' in page.text
        text_id = (await http.get(f"/api/v1/consultations/{consultation['id']}/results")).json()["texts"]
        assert len(text_id) == 5
        import re

        first_id = re.search(r'name="target" value="text"><input type="hidden" name="id" value="(\d+)"', page.text).group(1)
        response = await http.post("/reports", data={"csrf_token": csrf_from(page.text), "target": "text", "id": first_id,
                                                      "reason": "identity", "next": f"/consultations/{consultation['id']}/results"})
        assert response.status_code == 303
    reports = await moderation.queue(app.state.runtime, moderator, "report")
    assert [(r["target"], r["text_id"], r["priority"]) for r in reports] == [("text", int(first_id), 0)]
