"""Consultation pages (and, from api.py, the JSON API): thin; the rules live in service.py,
results.py and review.py."""

from __future__ import annotations

from markupsafe import Markup
from pydantic import ValidationError
from starlette.requests import Request
from starlette.responses import RedirectResponse

from consultations import api as json_api
from consultations import authoring, proposals, releases, results, review, service, views
from consultations import participation as taking_part
from consultations.models import Release
from consultations.schemas import AnswerIn
from network.core.access import page
from network.core.charts import bar_chart
from network.core.forms import form_data
from network.core.i18n import gettext
from network.core.i18n import lazy as _l
from network.core.markdown import markdown
from network.core.refusal import STATUS_BY_KIND, Refused
from network.core.templating import render, request_locale
from network.members import vault
from network.members.models import Member


def key(request: Request) -> bytes | None:
    """The signed-in member's participation key, opened from their session (members.vault)."""
    return vault.of_request(request)


def _form_refused(request, template, context, exc: Refused):
    return render(request, template, {**context, "error": exc}, status_code=STATUS_BY_KIND.get(exc.kind, 422))


def _pydantic_refusal(exc: ValidationError) -> Refused:
    error = exc.errors(include_url=False)[0]
    return Refused("invalid", _l("Some of what you sent is not valid. Nothing was changed."),
                   field=".".join(str(p) for p in error["loc"]))


# Member pages --------------------------------------------------------------------------------

async def list_page(request: Request):
    member = request.state.member
    open_now = await service.open_for(member)
    taken = await taking_part.taken_part(key(request), member)
    outcomes = await taking_part.unseen_outcomes(key(request), member)
    renewed = member.vault_renewed
    if renewed:  # told once
        await Member.filter(id=member.id).update(vault_renewed=False)
    return render(request, "consultations/list.html", {
        "open_now": [views.summary(request, c) for c in open_now],
        "taken": [views.summary(request, c) for c in taken],
        "outcomes": {c.id for c in outcomes}, "renewed": renewed,
        "results": [views.summary(request, c) for c in await releases.released_to_members(20)]})


async def detail_page(request: Request):
    consultation, participation = await taking_part.readable(key(request), request.state.member,
                                                         request.path_params["consultation_id"])
    detail = await views.detail(request, consultation, participation)
    return render(request, "consultations/detail.html", {
        "c": detail, "error": None, "accepting": service.is_accepting(consultation),
        "ended": releases.ended(consultation) and consultation.status != "draft"})


async def section_page(request: Request):
    consultation, participation = await taking_part.readable(key(request), request.state.member,
                                                         request.path_params["consultation_id"])
    detail = await views.detail(request, consultation, participation)
    position = request.path_params["position"]
    if not 0 <= position < len(detail["sections"]):
        raise Refused("not_found", _l("That section was not found."), kind="not_found")
    if position == len(detail["sections"]) - 1:
        await taking_part.mark_read(participation, consultation.version)
    return render(request, "consultations/section.html", {
        "c": detail, "section": detail["sections"][position], "position": position,
        "body": markdown(detail["sections"][position]["body"])})


async def consent_submit(request: Request):
    form = await form_data(request)
    consultation_id = request.path_params["consultation_id"]
    if form.get("agree") != "yes":
        consultation, participation = await taking_part.readable(key(request), request.state.member, consultation_id)
        detail = await views.detail(request, consultation, participation)
        error = Refused("consent_needed", _l("Tick the box to agree, or simply leave: taking part is your choice."),
                        field="agree")
        return render(request, "consultations/detail.html", {
            "c": detail, "error": error, "accepting": True, "values": {"share": form.get("share") == "yes"},
            "ended": False}, status_code=422)
    await taking_part.consent(key(request), request.state.member, consultation_id, form.get("share") == "yes")
    return RedirectResponse(f"/consultations/{consultation_id}/answer", status_code=303)


def _form_values(form_items: list[tuple[str, str]]) -> dict[str, list[str]]:
    values: dict[str, list[str]] = {}
    for name, value in form_items:
        values.setdefault(name, []).append(value)
    return values


def _answers_from_form(values: dict[str, list[str]], questions) -> list[AnswerIn]:
    answers = []
    for q in questions:
        key = f"q{q.id}"
        try:
            if q.kind in ("single", "scale"):
                raw = (values.get(key) or [""])[-1]
                number = int(raw) if raw.strip() else None
                answers.append(AnswerIn(question_id=q.id, **({"option": number} if q.kind == "single" else {"value": number})))
            elif q.kind == "multiple":
                answers.append(AnswerIn(question_id=q.id, options=[int(v) for v in values.get(key, [])]))
            elif q.kind == "ranking":
                ranks = []
                for index in range(len(q.options)):
                    raw = (values.get(f"{key}_{index}") or [""])[-1]
                    if raw.strip():
                        ranks.append((int(raw), index))
                answers.append(AnswerIn(question_id=q.id, ranking=[index for _, index in sorted(ranks)]))
            else:
                answers.append(AnswerIn(question_id=q.id, text=(values.get(key) or [""])[-1]))
        except ValueError:
            raise Refused("invalid_answer", _l("This answer does not fit the question."), field=f"answers.{q.id}") from None
    return answers


async def _answer_context(request: Request, consultation, participation, **extra) -> dict:
    detail = await views.detail(request, consultation, participation)
    given = views.given_from_saved(await taking_part.my_answers(key(request), participation))
    return {"c": detail, "given": given, "error": None, "notice": None, **extra}


async def answer_page(request: Request):
    consultation, participation = await taking_part.readable(key(request), request.state.member,
                                                         request.path_params["consultation_id"])
    if participation is None or participation.consent_version != consultation.consent_version:
        # No consent yet, or consent to a text that has since changed: it is asked (again) first.
        return RedirectResponse(f"/consultations/{consultation.id}", status_code=303)
    return render(request, "consultations/answer.html", await _answer_context(
        request, consultation, participation, notice=request.query_params.get("saved")))


async def answer_submit(request: Request):
    consultation, participation = await taking_part.readable(key(request), request.state.member,
                                                         request.path_params["consultation_id"])
    form = await request.form(max_files=0, max_fields=500)
    items = [(k, v) for k, v in form.multi_items() if isinstance(v, str)]
    submit = dict(items).get("action") == "submit"
    values, questions = _form_values(items), await service.questions_of(consultation)
    try:
        answers = _answers_from_form(values, questions)
        await taking_part.save_answers(key(request), request.state.member, consultation.id, answers, submit)
    except Refused as exc:
        # Nothing was saved: the form comes back as the member left it, not as it was last saved.
        context = await _answer_context(request, consultation, participation,
                                        given=views.given_from_form(values, questions))
        return _form_refused(request, "consultations/answer.html", context, exc)
    return RedirectResponse(f"/consultations/{consultation.id}/answer?saved={'submitted' if submit else 'saved'}",
                            status_code=303)


async def withdraw_submit(request: Request):
    await taking_part.withdraw(key(request), request.state.member, request.path_params["consultation_id"])
    return RedirectResponse("/consultations?withdrawn=1", status_code=303)


async def outcome_page(request: Request):
    """Published, an outcome is for every member (those who withdrew, or never took part, included)."""
    consultation = await service.get(request.path_params["consultation_id"])
    if consultation.status != "published":
        raise Refused("not_found", _l("There is no outcome yet."), kind="not_found")
    await taking_part.outcome_seen(key(request), request.state.member, consultation)
    t = views.localizer(request, consultation)
    heard, will_do = t(consultation.outcome_heard), t(consultation.outcome_will_do)
    return render(request, "consultations/outcome.html", {
        "c": views.summary(request, consultation), "heard": markdown(heard), "heard_lang": heard.lang,
        "will_do": markdown(will_do), "will_do_lang": will_do.lang})


# Policymaker pages ---------------------------------------------------------------------------

async def _manage_context(request: Request, **extra) -> dict:
    mine = await service.owned_by(request.state.member)
    return {"mine": [views.summary(request, c) for c in mine], "values": {"k": 5}, "error": None,
            "error_field": None, **extra}


def _authoring_refused(request: Request, template: str, context: dict, exc: Refused | ValidationError):
    refusal = exc if isinstance(exc, Refused) else _pydantic_refusal(exc)
    return _form_refused(request, template, {**context, "error_field": authoring.form_field(refusal.field)},
                         refusal)


async def manage_page(request: Request):
    return render(request, "consultations/manage.html", await _manage_context(request))


async def create_submit(request: Request):
    form = await form_data(request)
    try:
        data = authoring.from_form(form, request_locale(request))
        consultation = await service.create(request.state.member, data)
    except (Refused, ValidationError) as exc:
        return _authoring_refused(request, "consultations/manage.html", await _manage_context(request, values=form),
                                  exc)
    return RedirectResponse(f"/consultations/{consultation.id}/manage", status_code=303)


async def _manage_one_context(request: Request, consultation, **extra) -> dict:
    sections = await service.sections_of(consultation)
    questions = await service.questions_of(consultation)
    release = await Release.filter(consultation=consultation).order_by("-number").first()
    # The owner learns how many have answered only release by release, never as each one answers.
    return {"c": views.summary(request, consultation), "released": release,
            "can_release": await releases.can_release(consultation),
            "k": consultation.k, "values": authoring.to_form(consultation, sections, questions), "error": None,
            "error_field": None, "posted": None, "outcome": authoring.outcome_form(consultation), **extra}


async def manage_one_page(request: Request):
    consultation = await service.editable(request.state.member, request.path_params["consultation_id"])
    return render(request, "consultations/manage_one.html", await _manage_one_context(request, consultation))


async def edit_submit(request: Request):
    consultation = await service.editable(request.state.member, request.path_params["consultation_id"])
    form = await form_data(request)
    try:
        data = authoring.from_form(form, consultation.original_locale)
        data = authoring.keep_translations(data, consultation, await service.sections_of(consultation),
                                           await service.questions_of(consultation))
        await service.update(request.state.member, consultation.id, data)
    except (Refused, ValidationError) as exc:
        context = await _manage_one_context(request, consultation, values=form, posted="edit")
        return _authoring_refused(request, "consultations/manage_one.html", context, exc)
    return RedirectResponse(f"/consultations/{consultation.id}/manage", status_code=303)


async def status_submit(request: Request):
    status = "open" if request.url.path.endswith("/open") else "closed"
    await service.set_status(request.state.member, request.path_params["consultation_id"], status)
    return RedirectResponse(f"/consultations/{request.path_params['consultation_id']}/manage", status_code=303)


async def outcome_submit(request: Request):
    form = await form_data(request)
    consultation = await service.editable(request.state.member, request.path_params["consultation_id"])
    locale = consultation.original_locale
    try:
        await service.publish_outcome(request.state.member, consultation.id, {locale: form.get("heard", "")},
                                      {locale: form.get("will_do", "")})
    except Refused as exc:
        context = await _manage_one_context(request, consultation, posted="outcome", outcome={
            "heard": form.get("heard", ""), "will_do": form.get("will_do", "")})
        return _authoring_refused(request, "consultations/manage_one.html", context, exc)
    return RedirectResponse(f"/consultations/{consultation.id}/manage", status_code=303)


async def _results(request: Request, consultation, texts: bool, template: str = "consultations/results.html",
                   **extra):
    locale = request_locale(request)
    shown = await views.released(request, consultation, await releases.latest(consultation))
    fewer = gettext(locale, results.FEWER, k=consultation.k)
    charts = {q["id"]: Markup(bar_chart(q["rows"], fewer, locale=locale)) for q in shown["questions"]} \
        if shown else {}
    return render(request, template, {
        "c": views.summary(request, consultation), "r": shown, "charts": charts, "fewer": fewer, "k": consultation.k,
        "texts": await review.released_for(consultation.id, limit=200) if texts else [], **extra})


async def results_page(request: Request):
    consultation = await service.editable(request.state.member, request.path_params["consultation_id"])
    return await _results(request, consultation, texts=True, owner=True,
                          can_release=await releases.can_release(consultation))


async def release_submit(request: Request):
    release = await releases.interim(request.state.member, request.path_params["consultation_id"])
    return RedirectResponse(f"/consultations/{release.consultation_id}/results", status_code=303)


async def figures_page(request: Request):
    """What members see once it has closed: the final release, as the policymaker has it."""
    consultation, _ = await releases.final_for(request.path_params["consultation_id"])
    return await _results(request, consultation, texts=False, owner=False, can_release=False)


# Moderator pages -----------------------------------------------------------------------------

async def _review_context(request: Request, **extra) -> dict:
    items = await review.pending()
    locale = request_locale(request)
    return {"items": [{"id": a.id, "text": a.text, "question": service.localized(
        a.question.prompt, locale, a.question.consultation.original_locale)} for a in items],
        "proposals": await proposals.pending(), "error": None, "error_item": None, "typed": None, **extra}


async def review_again(request: Request, exc: Refused, status: int, item_id: int, typed: str):
    """The review page with a refusal beside the text (an answer or a proposal) it was about."""
    context = await _review_context(request, error_item=item_id, typed=typed)
    return render(request, "consultations/review.html", {**context, "error": exc}, status_code=status)


async def review_page(request: Request):
    return render(request, "consultations/review.html", await _review_context(request))


async def review_submit(request: Request):
    form = await form_data(request)
    answer_id = request.path_params["answer_id"]
    try:
        await review.decide(answer_id, form.get("decision", ""), form.get("text"))
    except Refused as exc:
        if exc.kind == "not_found":
            raise
        # The moderator's redaction comes back as typed, under the text it was for.
        context = await _review_context(request, error_item=answer_id, typed=form.get("text", ""))
        return _form_refused(request, "consultations/review.html", context, exc)
    return RedirectResponse("/consultations/review", status_code=303)


C = "/consultations/{consultation_id:int}"

routes = [
    page("/consultations", list_page, access="member"),
    page("/consultations/manage", manage_page, access="policymaker"),
    page("/consultations/new", create_submit, access="policymaker", methods=("POST",)),
    page("/consultations/review", review_page, access="moderator"),
    page("/consultations/review/{answer_id:int}", review_submit, access="moderator", methods=("POST",)),
    page(C, detail_page, access="member"),
    page(C + "/sections/{position:int}", section_page, access="member"),
    # A decoy's consent stays (a row under its own throwaway key, never counted); its answers are undone.
    page(C + "/consent", consent_submit, access="member", methods=("POST",), decoy="keep"),
    page(C + "/answer", answer_page, access="member"),
    page(C + "/answer", answer_submit, access="member", methods=("POST",)),
    page(C + "/withdraw", withdraw_submit, access="member", methods=("POST",)),
    page(C + "/outcome", outcome_page, access="member"),
    page(C + "/manage", manage_one_page, access="policymaker"),
    page(C + "/edit", edit_submit, access="policymaker", methods=("POST",)),
    page(C + "/open", status_submit, access="policymaker", methods=("POST",), name="open_submit"),
    page(C + "/close", status_submit, access="policymaker", methods=("POST",), name="close_submit"),
    page(C + "/outcome", outcome_submit, access="policymaker", methods=("POST",)),
    page(C + "/results", results_page, access="policymaker"),
    page(C + "/release", release_submit, access="policymaker", methods=("POST",)),
    page(C + "/figures", figures_page, access="member"),
    *json_api.routes,
]
