"""Consultation forms refused for bad input come back as the person left them: every answer, choice
and text re-rendered, the error beside its field, nothing stored. And what the pages show of stored
codes (breakdown groups) is named in the reader's language, never the code."""

from html.parser import HTMLParser

from babel import Locale

from consultations.models import Answer, Consultation, Participation
from network.core.i18n import gettext
from tests.helpers import csrf_from, make_member, signed_in
from tests.test_consultations import DRAFT, _answers, _create, _take_part


class Form(HTMLParser):
    """What a browser would show in a page's form controls, and which are marked invalid."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.checked: dict[str, set[str]] = {}   # radio and checkbox names -> values ticked
        self.values: dict[str, str] = {}          # text inputs, textareas, selects -> value shown
        self.invalid: set[str] = set()            # names of controls with aria-invalid
        self.described: dict[str, set[str]] = {}  # name -> ids its aria-describedby points at
        self.ids: dict[str, str] = {}             # element id -> its text
        self._textarea = self._select = None
        self._open_ids: list[tuple[str, str]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        name = a.get("name")
        if name and a.get("aria-invalid") == "true":
            self.invalid.add(name)
        if name and a.get("aria-describedby"):
            self.described.setdefault(name, set()).update(a["aria-describedby"].split())
        if tag == "input" and a.get("type") in ("radio", "checkbox"):
            if "checked" in a:
                self.checked.setdefault(name, set()).add(a.get("value"))
        elif tag == "input" and name:
            self.values[name] = a.get("value") or ""
        elif tag == "textarea":
            self._textarea, self.values[name] = name, ""
        elif tag == "select":
            self._select = name
        elif tag == "option" and self._select and "selected" in a:
            self.values[self._select] = a.get("value")
        if a.get("id"):
            self._open_ids.append((tag, a["id"]))
            self.ids[a["id"]] = ""

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        if tag == "select":
            self._select = None
        if self._open_ids and self._open_ids[-1][0] == tag:
            self._open_ids.pop()

    def handle_data(self, data):
        if self._textarea:
            self.values[self._textarea] += data
        for _, element_id in self._open_ids:
            self.ids[element_id] += data


def _ids(consultation) -> dict[str, int]:
    return {q["kind"]: q["id"] for q in consultation["questions"]}


async def _consented(app, owner):
    consultation = await _create(app, owner)
    member = await make_member(app)
    async with signed_in(app, member) as http:
        await http.patch("/api/v1/me", json={"locale": "fr"})
        assert (await http.post(f"/api/v1/consultations/{consultation['id']}/consent", json={})).status_code == 200
    return consultation, member


async def _stored() -> list[tuple]:
    return sorted((a.question_id, a.option, a.rank, a.value, a.text) for a in await Answer.all())


def _every_type(consultation, csrf, **changes) -> dict:
    q = _ids(consultation)
    form = {"csrf_token": csrf, "action": "save", f"q{q['single']}": "1", f"q{q['multiple']}": ["0", "2"],
            f"q{q['scale']}": "4", f"q{q['ranking']}_0": "2", f"q{q['ranking']}_1": "3", f"q{q['ranking']}_2": "1",
            f"q{q['text']}": "Ce que j'ai écrit <b>avec soin</b>\nsur deux lignes",
            f"q{q['comment']}": "Le but n'est pas clair"}
    form.update(changes)
    return form


def _assert_every_type_shown(page: Form, consultation, form: dict) -> None:
    q = _ids(consultation)
    multiple = form[f"q{q['multiple']}"]
    assert page.checked.get(f"q{q['single']}") == {form[f"q{q['single']}"]}
    assert page.checked.get(f"q{q['multiple']}") == set(multiple if isinstance(multiple, list) else [multiple])
    assert page.checked.get(f"q{q['scale']}") == {form[f"q{q['scale']}"]}
    for index in range(3):
        assert page.values[f"q{q['ranking']}_{index}"] == form[f"q{q['ranking']}_{index}"]
    assert page.values[f"q{q['text']}"].strip("\n") == form[f"q{q['text']}"]
    assert page.values[f"q{q['comment']}"].strip("\n") == form[f"q{q['comment']}"]


async def test_one_box_too_many_keeps_every_answer_and_stores_nothing(app):
    consultation, member = await _consented(app, await make_member(app, "policymaker"))
    cid, q = consultation["id"], _ids(consultation)
    async with signed_in(app, member) as http:
        csrf = csrf_from((await http.get(f"/consultations/{cid}/answer")).text)
        # Progress saved earlier: a refused form must leave it exactly as it was.
        saved = await http.post(f"/consultations/{cid}/answer", data={
            "csrf_token": csrf, "action": "save", f"q{q['scale']}": "2", f"q{q['text']}": "earlier words"})
        assert saved.status_code == 303
        before = await _stored()
        form = _every_type(consultation, csrf, **{f"q{q['multiple']}": ["0", "1", "2"]})  # at most 2
        response = await http.post(f"/consultations/{cid}/answer", data=form)
    assert response.status_code == 422
    page = Form(response.text)
    _assert_every_type_shown(page, consultation, form)
    # The reason is beside the question, in French, and every one of its boxes points at it.
    multiple = f"q{q['multiple']}"
    assert multiple in page.invalid and f"e-q{q['multiple']}" in page.described[multiple]
    assert page.ids[f"e-q{q['multiple']}"] == gettext("fr", "Choose at most %(max)s.", max=2) != "Choose at most 2."
    assert not page.invalid - {multiple}
    assert await _stored() == before


async def test_a_needed_question_left_out_on_sending_keeps_the_rest_and_stores_nothing(app):
    consultation, member = await _consented(app, await make_member(app, "policymaker"))
    cid, q = consultation["id"], _ids(consultation)
    async with signed_in(app, member) as http:
        csrf = csrf_from((await http.get(f"/consultations/{cid}/answer")).text)
        form = _every_type(consultation, csrf, action="submit")
        del form[f"q{q['single']}"]  # the one needed question
        response = await http.post(f"/consultations/{cid}/answer", data=form)
    assert response.status_code == 422
    page = Form(response.text)
    assert f"q{q['single']}" in page.invalid and page.ids[f"e-q{q['single']}"]
    assert page.checked.get(f"q{q['single']}") is None
    assert page.checked[f"q{q['multiple']}"] == {"0", "2"} and page.checked[f"q{q['scale']}"] == {"4"}
    assert page.values[f"q{q['comment']}"].strip("\n") == "Le but n'est pas clair"
    assert await Answer.all().count() == 0
    assert not (await Participation.get()).submitted


async def test_a_free_text_over_its_limit_comes_back_whole(app):
    consultation, member = await _consented(app, await make_member(app, "policymaker"))
    cid, q = consultation["id"], _ids(consultation)
    long_text = "mot " * 80 + "fin"  # the question allows 300
    async with signed_in(app, member) as http:
        csrf = csrf_from((await http.get(f"/consultations/{cid}/answer")).text)
        form = _every_type(consultation, csrf, **{f"q{q['text']}": long_text})
        response = await http.post(f"/consultations/{cid}/answer", data=form)
    assert response.status_code == 422
    page = Form(response.text)
    _assert_every_type_shown(page, consultation, form)
    assert f"q{q['text']}" in page.invalid
    assert await Answer.all().count() == 0


async def test_the_scale_is_a_fieldset_with_its_ends_tied_to_the_first_and_last_number(app):
    consultation, member = await _consented(app, await make_member(app, "policymaker"))
    scale = _ids(consultation)["scale"]
    async with signed_in(app, member) as http:
        html = (await http.get(f"/consultations/{consultation['id']}/answer")).text
    fieldset = html[html.index(f'<fieldset class="field question" id="q{scale}"'):]
    fieldset = fieldset[:fieldset.index("</fieldset>")]
    assert "<legend>" in fieldset
    page = Form(html)
    assert page.ids[f"q{scale}-low"].split() == ["1", "=", "not", "clear"]
    assert page.ids[f"q{scale}-high"].split() == ["5", "=", "very", "clear"]
    assert f'value="1" aria-describedby="q{scale}-low"' in fieldset
    assert f'value="5" aria-describedby="q{scale}-high"' in fieldset
    assert fieldset.count('class="scale-option"') == 5


async def test_consent_without_the_tick_keeps_the_sharing_choice_and_makes_no_participation(app):
    consultation = await _create(app, await make_member(app, "policymaker"))
    member = await make_member(app)
    async with signed_in(app, member) as http:
        csrf = csrf_from((await http.get(f"/consultations/{consultation['id']}")).text)
        response = await http.post(f"/consultations/{consultation['id']}/consent",
                                   data={"csrf_token": csrf, "share": "yes"})
    assert response.status_code == 422
    page = Form(response.text)
    assert page.checked.get("share") == {"yes"} and "agree" in page.invalid and "e-agree" in page.described["agree"]
    assert await Participation.all().count() == 0


FILLED = {"title": "Allocations de données", "summary": "Pourquoi et comment",
          "consent_text": "Vos réponses servent à cette politique seulement.", "k": "7",
          "draft": "## Pourquoi\n\nLes données coûtent cher.\n\n## Comment\n\nDes recharges.",
          "questions": "*single: Est-ce assez ? | Oui | Non\nscale 1-5: Utile ? | pas | très\n"
                       "comment 2: Sur le comment",
          "languages": "fr, ar", "regions": "CD", "age_bands": "18-24"}


def _assert_filled(page: Form, form: dict) -> None:
    for name, value in form.items():
        if name != "csrf_token":
            assert page.values[name].strip("\n") == value, name


async def test_the_new_consultation_form_keeps_everything_typed_on_each_kind_of_error(app):
    owner = await make_member(app, "policymaker")
    async with signed_in(app, owner) as http:
        await http.patch("/api/v1/me", json={"locale": "fr"})
        csrf = csrf_from((await http.get("/consultations/manage")).text)
        cases = {"questions": {"questions": FILLED["questions"] + "\nnonsense line"},
                 "k": {"k": "2"},
                 "title": {"title": "T" * 201},
                 "regions": {"regions": "CD, XX"},
                 "draft": {"draft": "## " + "H" * 300 + "\n\nBody"}}
        for field, change in cases.items():
            form = {"csrf_token": csrf, **FILLED, **change}
            response = await http.post("/consultations/new", data=form)
            assert response.status_code == 422, field
            page = Form(response.text)
            _assert_filled(page, form)
            assert page.invalid == {field}, field
            assert page.ids[f"e-{field}"].strip(), field
            assert f"e-{field}" in page.described[field]
    assert await Consultation.all().count() == 0


async def test_a_long_draft_sent_from_the_form_is_stored_whole(app):
    # A draft of several long sections is one field, far past what one short field holds.
    bodies = [f"Section {n}. " + "Every survivor is heard before the policy is final. " * 300 for n in range(3)]
    draft = "\n\n".join(f"## Part {n}\n\n{body}" for n, body in enumerate(bodies))
    assert len(draft) > 40_000
    owner = await make_member(app, "policymaker")
    async with signed_in(app, owner) as http:
        csrf = csrf_from((await http.get("/consultations/manage")).text)
        response = await http.post("/consultations/new", data={"csrf_token": csrf, **FILLED, "draft": draft})
    assert response.status_code == 303, response.text[:300]
    sections = await (await Consultation.get()).sections.all().order_by("position")
    assert [next(iter(s.body.values())).strip() for s in sections] == [body.strip() for body in bodies]


async def test_the_edit_form_keeps_everything_typed_and_changes_nothing(app):
    owner = await make_member(app, "policymaker")
    consultation = await _create(app, owner)
    cid = consultation["id"]
    async with signed_in(app, owner) as http:
        csrf = csrf_from((await http.get(f"/consultations/{cid}/manage")).text)
        before = await Consultation.get(id=cid).values()
        form = {"csrf_token": csrf, **FILLED, "questions": "scale 1-99: Too long a scale"}
        response = await http.post(f"/consultations/{cid}/edit", data=form)
        assert response.status_code == 422
        page = Form(response.text)
        _assert_filled(page, form)
        assert page.invalid == {"questions"} and "1" in page.ids["e-questions"]  # the line it is on
        # Questions cannot change once answered: said beside the questions, the rest kept.
        await _take_part(app, await make_member(app), consultation, _answers(consultation, 0, [0], 3, [0, 1, 2]))
        before = await Consultation.get(id=cid).values()
        form = {"csrf_token": csrf, **FILLED, "k": "5"}
        response = await http.post(f"/consultations/{cid}/edit", data=form)
        assert response.status_code == 409
        _assert_filled(Form(response.text), form)
    assert await Consultation.get(id=cid).values() == before


async def test_the_outcome_form_keeps_what_was_written(app):
    owner = await make_member(app, "policymaker")
    consultation = await _create(app, owner)
    cid = consultation["id"]
    async with signed_in(app, owner) as http:
        await http.post(f"/api/v1/consultations/{cid}/close")
        csrf = csrf_from((await http.get(f"/consultations/{cid}/manage")).text)
        response = await http.post(f"/consultations/{cid}/outcome",
                                   data={"csrf_token": csrf, "heard": "Nous avons entendu ceci.", "will_do": "  "})
    assert response.status_code == 422
    page = Form(response.text)
    assert page.values["heard"].strip("\n") == "Nous avons entendu ceci."
    assert page.invalid == {"will_do"} and page.ids["e-will_do"].strip()
    assert (await Consultation.get(id=cid)).status == "closed"


async def test_a_refused_redaction_comes_back_as_the_moderator_typed_it(app):
    owner = await make_member(app, "policymaker")
    consultation = await _create(app, owner)
    await _take_part(app, await make_member(app), consultation,
                     _answers(consultation, 0, [0], 3, [0, 1, 2], text="short"))
    answer = await Answer.get(text__not_isnull=True, review="pending")
    redaction = "far too long " * 30
    async with signed_in(app, await make_member(app, "moderator")) as http:
        csrf = csrf_from((await http.get("/consultations/review")).text)
        response = await http.post(f"/consultations/review/{answer.id}",
                                   data={"csrf_token": csrf, "decision": "redact", "text": redaction})
    assert response.status_code == 422
    page = Form(response.text)
    assert page.values["text"].strip("\n") == redaction and "text" in page.invalid
    assert (await Answer.get(id=answer.id)).review == "pending"


async def test_arabic_results_name_the_groups_never_their_codes(app):
    owner = await make_member(app, "policymaker")
    consultation = await _create(app, owner, dict(DRAFT))
    for n in range(7):
        member = await make_member(app)
        async with signed_in(app, member) as http:
            await http.patch("/api/v1/me", json={"languages": ["fa"], "region": "AF", "age_band": "25-34"})
        await _take_part(app, member, consultation, _answers(consultation, n % 3, [n % 2], 1 + n % 5, [0, 1, 2]),
                         share=True)
    async with signed_in(app, owner) as http:
        await http.patch("/api/v1/me", json={"locale": "ar"})
        await http.post(f"/api/v1/consultations/{consultation['id']}/close")
        html = (await http.get(f"/consultations/{consultation['id']}/results")).text
    arabic = Locale("ar")
    breakdowns = html[html.index('class="breakdown"') - 2000:]
    assert f"<li>{arabic.languages['fa']}:" in html and f"<li>{arabic.territories['AF']}:" in html
    for code in ("fa", "AF", "25-34"):
        assert f"<li>{code}:" not in html and f'<th scope="row">{code}</th>' not in breakdowns
    assert f'<th scope="row">{arabic.territories["AF"]}</th>' in breakdowns
    assert "<th></th>" not in html and '<th scope="col"><span class="visually-hidden">' in breakdowns
    # Question and option texts are in English here: marked so, in their own direction.
    assert 'lang="en" dir="auto">Which matters most?</h2>' in html


async def test_an_edit_in_one_language_keeps_the_translations_of_what_it_left_unchanged(app):
    owner = await make_member(app, "policymaker")
    draft = {"original_locale": "en", "title": {"en": "Data stipends", "fr": "Allocations de données"},
             "consent_text": {"en": "Counted, never linked.", "fr": "Comptées, jamais reliées."},
             "sections": [{"heading": {"en": "Why", "fr": "Pourquoi"}, "body": {"en": "Data is dear.",
                                                                               "fr": "Les données coûtent cher."}}],
             "questions": [{"kind": "single", "prompt": {"en": "Is it enough?", "fr": "Est-ce assez ?"},
                            "options": [{"en": "Yes", "fr": "Oui"}, {"en": "No", "fr": "Non"}]}], "k": 5}
    async with signed_in(app, owner) as http:
        response = await http.post("/api/v1/consultations", json=draft)
        assert response.status_code == 201, response.text
        cid = response.json()["consultation"]["id"]
        page = (await http.get(f"/consultations/{cid}/manage")).text
        form = {name: value for name, value in Form(page).values.items()
                if name in ("title", "summary", "consent_text", "k", "draft", "questions", "languages", "regions",
                            "age_bands")}
        form.update(csrf_token=csrf_from(page), title="Mobile data stipends")
        response = await http.post(f"/consultations/{cid}/edit", data=form)
        assert response.status_code == 303, response.text
    stored = await Consultation.get(id=cid)
    # The changed title no longer has a French version that says something else; the rest keep theirs.
    assert stored.title == {"en": "Mobile data stipends"}
    assert stored.consent_text == draft["consent_text"]
    question = (await stored.questions.all())[0]
    assert question.prompt == draft["questions"][0]["prompt"] and question.options == draft["questions"][0]["options"]
    section = (await stored.sections.all())[0]
    assert section.body == draft["sections"][0]["body"]
