"""Consultation pages and JSON API: thin; the rules live in service.py, results.py and review.py."""

from __future__ import annotations

from datetime import datetime

from markdown_it import MarkdownIt
from markupsafe import Markup
from pydantic import ValidationError
from starlette.requests import Request
from starlette.responses import RedirectResponse, StreamingResponse

from consultations import authoring, export, results, review, service
from consultations.schemas import AnswerIn, AnswersIn, ConsentIn, ConsultationIn, OutcomeIn, ReviewIn
from network.access import api, page
from network.domain import STATUS_BY_KIND, Refused
from network.charts import bar_chart
from network.forms import form_data
from network.i18n import gettext
from network.i18n import lazy as _l
from network.templating import environment, render, request_locale

_markdown = MarkdownIt("commonmark", {"html": False}).disable("image")

STATUS_NAMES = {"draft": _l("Draft"), "open": _l("Open"), "closed": _l("Closed"), "published": _l("Outcome published")}
GROUP_NAMES = {"language": _l("Language"), "region": _l("Country or region"), "age_band": _l("Age")}
environment.globals.update(status_names=STATUS_NAMES, group_names=GROUP_NAMES)
environment.filters["fromiso"] = datetime.fromisoformat


def markdown(text: str) -> Markup:
    """Policy drafts in Markdown: raw HTML and images off (no request to another site)."""
    return Markup(_markdown.render(text or ""))


def rt(request: Request):
    return request.app.state.runtime


def _t(request: Request, consultation):
    locale = request_locale(request)
    return lambda texts: service.localized(texts or {}, locale, consultation.original_locale)


def _summary(request: Request, consultation) -> dict:
    t = _t(request, consultation)
    return {"id": consultation.id, "title": t(consultation.title), "summary": t(consultation.summary),
            "status": consultation.status, "version": consultation.version,
            "opens_at": consultation.opens_at.isoformat() if consultation.opens_at else None,
            "closes_at": consultation.closes_at.isoformat() if consultation.closes_at else None}


def _question_view(t, question) -> dict:
    view = {"id": question.id, "kind": question.kind, "prompt": t(question.prompt), "required": question.required}
    if question.options:
        view["options"] = [t(o) for o in question.options]
    if question.kind == "multiple":
        view["max_choices"] = question.max_choices
    if question.kind == "scale":
        view.update(scale_min=question.scale_min, scale_max=question.scale_max,
                    low_label=t(question.scale_labels.get("low", {})), high_label=t(question.scale_labels.get("high", {})))
    if question.kind in ("text", "comment"):
        view["max_length"] = question.max_length
    if question.section_id:
        view["section_id"] = question.section_id
    return view


async def _detail(request: Request, consultation, participation) -> dict:
    t = _t(request, consultation)
    sections = await service.sections_of(consultation)
    questions = await service.questions_of(consultation)
    read = participation.read_version if participation else 0
    return {
        **_summary(request, consultation),
        "consent_text": t(consultation.consent_text), "consent_version": consultation.consent_version,
        "sections": [{"id": s.id, "position": s.position, "heading": t(s.heading), "body": t(s.body),
                      "changed_since_read": bool(read) and s.changed_in_version > read} for s in sections],
        "questions": [_question_view(t, q) for q in questions],
        "me": {"consented": participation is not None,
               "consent_current": bool(participation) and participation.consent_version == consultation.consent_version,
               "submitted": bool(participation and participation.submitted)},
    }


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
    taken = await service.taken_part(rt(request), member)
    outcomes = await service.unseen_outcomes(rt(request), member)
    return render(request, "consultations/list.html", {
        "open_now": [_summary(request, c) for c in open_now],
        "taken": [_summary(request, c) for c in taken],
        "outcomes": {c.id for c in outcomes}})


async def detail_page(request: Request):
    consultation, participation = await service.readable(rt(request), request.state.member,
                                                         request.path_params["consultation_id"])
    detail = await _detail(request, consultation, participation)
    return render(request, "consultations/detail.html", {"c": detail, "error": None,
                                                         "accepting": service.is_accepting(consultation)})


async def section_page(request: Request):
    consultation, participation = await service.readable(rt(request), request.state.member,
                                                         request.path_params["consultation_id"])
    detail = await _detail(request, consultation, participation)
    position = request.path_params["position"]
    if not 0 <= position < len(detail["sections"]):
        raise Refused("not_found", _l("That section was not found."), kind="not_found")
    if position == len(detail["sections"]) - 1:
        await service.mark_read(participation, consultation.version)
    return render(request, "consultations/section.html", {
        "c": detail, "section": detail["sections"][position], "position": position,
        "body": markdown(detail["sections"][position]["body"])})


async def consent_submit(request: Request):
    form = await form_data(request)
    consultation_id = request.path_params["consultation_id"]
    if form.get("agree") != "yes":
        consultation, participation = await service.readable(rt(request), request.state.member, consultation_id)
        detail = await _detail(request, consultation, participation)
        error = Refused("consent_needed", _l("Tick the box to agree, or simply leave: taking part is your choice."),
                        field="agree")
        return render(request, "consultations/detail.html", {"c": detail, "error": error, "accepting": True},
                      status_code=422)
    await service.consent(rt(request), request.state.member, consultation_id, form.get("share") == "yes")
    return RedirectResponse(f"/consultations/{consultation_id}/answer", status_code=303)


def _answers_from_form(form_items: list[tuple[str, str]], questions) -> list[AnswerIn]:
    values: dict[str, list[str]] = {}
    for key, value in form_items:
        values.setdefault(key, []).append(value)
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
    detail = await _detail(request, consultation, participation)
    saved = await service.my_answers(participation)
    return {"c": detail, "saved": saved, "error": None, "notice": None, **extra}


async def answer_page(request: Request):
    consultation, participation = await service.readable(rt(request), request.state.member,
                                                         request.path_params["consultation_id"])
    if participation is None:
        return RedirectResponse(f"/consultations/{consultation.id}", status_code=303)
    return render(request, "consultations/answer.html", await _answer_context(
        request, consultation, participation, notice=request.query_params.get("saved")))


async def answer_submit(request: Request):
    consultation, participation = await service.readable(rt(request), request.state.member,
                                                         request.path_params["consultation_id"])
    form = await request.form(max_files=0, max_fields=500)
    items = [(k, v) for k, v in form.multi_items() if isinstance(v, str)]
    submit = dict(items).get("action") == "submit"
    try:
        answers = _answers_from_form(items, await service.questions_of(consultation))
        await service.save_answers(rt(request), request.state.member, consultation.id, answers, submit)
    except Refused as exc:
        context = await _answer_context(request, consultation, participation)
        return _form_refused(request, "consultations/answer.html", context, exc)
    return RedirectResponse(f"/consultations/{consultation.id}/answer?saved={'submitted' if submit else 'saved'}",
                            status_code=303)


async def withdraw_submit(request: Request):
    await service.withdraw(rt(request), request.state.member, request.path_params["consultation_id"])
    return RedirectResponse("/consultations?withdrawn=1", status_code=303)


async def outcome_page(request: Request):
    consultation, participation = await service.readable(rt(request), request.state.member,
                                                         request.path_params["consultation_id"])
    if consultation.status != "published":
        raise Refused("not_found", _l("There is no outcome yet."), kind="not_found")
    await service.outcome_seen(rt(request), request.state.member, consultation)
    t = _t(request, consultation)
    return render(request, "consultations/outcome.html", {
        "c": _summary(request, consultation), "heard": markdown(t(consultation.outcome_heard)),
        "will_do": markdown(t(consultation.outcome_will_do))})


# Policymaker pages ---------------------------------------------------------------------------

async def manage_page(request: Request):
    mine = await service.owned_by(request.state.member)
    return render(request, "consultations/manage.html", {"mine": [_summary(request, c) for c in mine],
                                                         "values": {"k": 5}, "error": None})


async def create_submit(request: Request):
    form = await form_data(request)
    try:
        data = authoring.from_form(form, request_locale(request))
        consultation = await service.create(request.state.member, data)
    except ValidationError as exc:
        return _form_refused(request, "consultations/manage.html", {"mine": [], "values": form}, _pydantic_refusal(exc))
    except Refused as exc:
        return _form_refused(request, "consultations/manage.html", {"mine": [], "values": form}, exc)
    return RedirectResponse(f"/consultations/{consultation.id}/manage", status_code=303)


async def _manage_one_context(request: Request, consultation, **extra) -> dict:
    sections = await service.sections_of(consultation)
    questions = await service.questions_of(consultation)
    return {"c": _summary(request, consultation), "respondents": await results.respondents(consultation),
            "k": consultation.k, "values": authoring.to_form(consultation, sections, questions), "error": None,
            **extra}


async def manage_one_page(request: Request):
    consultation = await service.editable(request.state.member, request.path_params["consultation_id"])
    return render(request, "consultations/manage_one.html", await _manage_one_context(request, consultation))


async def edit_submit(request: Request):
    consultation = await service.editable(request.state.member, request.path_params["consultation_id"])
    form = await form_data(request)
    try:
        data = authoring.from_form(form, consultation.original_locale)
        await service.update(request.state.member, consultation.id, data)
    except (Refused, ValidationError) as exc:
        refusal = exc if isinstance(exc, Refused) else _pydantic_refusal(exc)
        context = await _manage_one_context(request, consultation)
        context["values"] = form
        return _form_refused(request, "consultations/manage_one.html", context, refusal)
    return RedirectResponse(f"/consultations/{consultation.id}/manage", status_code=303)


async def status_submit(request: Request):
    status = "open" if request.url.path.endswith("/open") else "closed"
    await service.set_status(request.state.member, request.path_params["consultation_id"], status)
    return RedirectResponse(f"/consultations/{request.path_params['consultation_id']}/manage", status_code=303)


async def outcome_submit(request: Request):
    form = await form_data(request)
    consultation = await service.editable(request.state.member, request.path_params["consultation_id"])
    locale = consultation.original_locale
    await service.publish_outcome(request.state.member, consultation.id, {locale: form.get("heard", "")},
                                  {locale: form.get("will_do", "")})
    return RedirectResponse(f"/consultations/{consultation.id}/manage", status_code=303)


async def results_page(request: Request):
    consultation = await service.editable(request.state.member, request.path_params["consultation_id"])
    locale = request_locale(request)
    figures = await results.compute(consultation, locale)
    fewer = gettext(locale, results.FEWER, k=consultation.k)
    charts = {q["id"]: Markup(bar_chart(q["rows"], fewer)) for q in figures["questions"]}
    texts = await review.released_for(consultation.id, limit=200)
    return render(request, "consultations/results.html", {
        "c": _summary(request, consultation), "r": figures, "charts": charts, "fewer": fewer, "texts": texts})


# Moderator pages -----------------------------------------------------------------------------

async def review_page(request: Request):
    items = await review.pending()
    locale = request_locale(request)
    return render(request, "consultations/review.html", {"items": [
        {"id": a.id, "text": a.text, "question": service.localized(
            a.question.prompt, locale, a.question.consultation.original_locale)} for a in items], "error": None})


async def review_submit(request: Request):
    form = await form_data(request)
    await review.decide(request.path_params["answer_id"], form.get("decision", ""), form.get("text"))
    return RedirectResponse("/consultations/review", status_code=303)


# JSON API ------------------------------------------------------------------------------------

async def api_create(request: Request, body: ConsultationIn):
    consultation = await service.create(request.state.member, body)
    return {"consultation": await _detail(request, consultation, None)}


async def api_update(request: Request, body: ConsultationIn):
    consultation = await service.update(request.state.member, request.path_params["consultation_id"], body)
    return {"consultation": await _detail(request, consultation, None)}


async def api_open(request: Request):
    return {"consultation": _summary(request, await service.set_status(
        request.state.member, request.path_params["consultation_id"], "open"))}


async def api_close(request: Request):
    return {"consultation": _summary(request, await service.set_status(
        request.state.member, request.path_params["consultation_id"], "closed"))}


async def api_list(request: Request):
    member = request.state.member
    data = {"open": [_summary(request, c) for c in await service.open_for(member)],
            "taken_part": [_summary(request, c) for c in await service.taken_part(rt(request), member)],
            "new_outcomes": [c.id for c in await service.unseen_outcomes(rt(request), member)]}
    if member.role in ("policymaker", "admin"):
        data["mine"] = [_summary(request, c) for c in await service.owned_by(member)]
    return data


async def api_detail(request: Request):
    consultation, participation = await service.readable(rt(request), request.state.member,
                                                         request.path_params["consultation_id"])
    return {"consultation": await _detail(request, consultation, participation)}


async def api_consent(request: Request, body: ConsentIn):
    participation = await service.consent(rt(request), request.state.member, request.path_params["consultation_id"],
                                          body.share_profile)
    return {"consented": True, "consent_version": participation.consent_version}


async def api_answers(request: Request, body: AnswersIn):
    participation = await service.save_answers(rt(request), request.state.member,
                                               request.path_params["consultation_id"], body.answers, body.submit)
    return {"submitted": participation.submitted}


async def api_withdraw(request: Request):
    await service.withdraw(rt(request), request.state.member, request.path_params["consultation_id"])
    return {"withdrawn": True}


async def api_results(request: Request):
    consultation = await service.editable(request.state.member, request.path_params["consultation_id"])
    figures = await results.compute(consultation, request_locale(request))
    figures["breakdowns"] = {group: {"sizes": data["sizes"],
                                     "questions": {str(q): table for q, table in data["questions"].items()}}
                             for group, data in figures["breakdowns"].items()}
    figures["texts"] = [{"question_id": t["question_id"], "text": t["released_text"]}
                        for t in await review.released_for(consultation.id, limit=500)]
    return {"results": figures}


async def api_export(request: Request):
    """Released aggregates and texts as CSV, streamed in pages: constant memory at any size."""
    consultation = await service.editable(request.state.member, request.path_params["consultation_id"])
    locale = request_locale(request)
    rows = export.csv_rows(consultation, locale, gettext(locale, results.FEWER, k=consultation.k))
    return StreamingResponse(rows, media_type="text/csv; charset=utf-8", headers={
        "content-disposition": 'attachment; filename="consultation-results.csv"', "cache-control": "no-store"})


async def api_outcome(request: Request, body: OutcomeIn):
    consultation = await service.publish_outcome(request.state.member, request.path_params["consultation_id"],
                                                 body.heard, body.will_do)
    return {"consultation": _summary(request, consultation)}


async def api_review_list(request: Request):
    return {"pending": [{"id": a.id, "question_id": a.question_id, "text": a.text} for a in await review.pending(200)]}


async def api_review(request: Request, body: ReviewIn):
    answer = await review.decide(request.path_params["answer_id"], body.decision, body.text)
    return {"id": answer.id, "review": answer.review}


C = "/consultations/{consultation_id:int}"
A = "/api/v1/consultations/{consultation_id:int}"

routes = [
    page("/consultations", list_page, access="member"),
    page("/consultations/manage", manage_page, access="policymaker"),
    page("/consultations/new", create_submit, access="policymaker", methods=("POST",)),
    page("/consultations/review", review_page, access="moderator"),
    page("/consultations/review/{answer_id:int}", review_submit, access="moderator", methods=("POST",)),
    page(C, detail_page, access="member"),
    page(C + "/sections/{position:int}", section_page, access="member"),
    page(C + "/consent", consent_submit, access="member", methods=("POST",)),
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
    api("/api/v1/consultations", api_create, access="policymaker", method="POST", status=201, tag="consultations",
        body=ConsultationIn, summary="Create a consultation (a draft): texts by locale, sections, questions, audience, k."),
    api("/api/v1/consultations", api_list, access="member", method="GET", tag="consultations",
        summary="Open consultations for me, those I took part in, new outcomes; and mine for policymakers."),
    api("/api/v1/consultations/review", api_review_list, access="moderator", method="GET", tag="consultations",
        summary="Free-text answers and comments waiting for review (never who wrote them)."),
    api("/api/v1/consultations/review/{answer_id:int}", api_review, access="moderator", method="POST",
        tag="consultations", body=ReviewIn, summary="Release, redact (with the released text) or withhold a text."),
    api(A, api_detail, access="member", method="GET", tag="consultations",
        summary="A consultation in my language: draft sections, questions, my consent and submission state."),
    api(A, api_update, access="policymaker", method="PUT", tag="consultations", body=ConsultationIn,
        summary="Change a draft (owner or administrator); once open, a change makes a new version."),
    api(A + "/open", api_open, access="policymaker", method="POST", tag="consultations", summary="Open a draft."),
    api(A + "/close", api_close, access="policymaker", method="POST", tag="consultations", summary="Close it."),
    api(A + "/consent", api_consent, access="member", method="POST", tag="consultations", body=ConsentIn,
        summary="Give consent (recorded with the consent text's version)."),
    api(A + "/answers", api_answers, access="member", method="PUT", tag="consultations", body=AnswersIn,
        summary="Save answers (progress), or submit them with submit: true; changeable until the close."),
    api(A + "/answers", api_withdraw, access="member", method="DELETE", tag="consultations",
        summary="Withdraw: deletes my answers and my consent."),
    api(A + "/results", api_results, access="policymaker", method="GET", tag="consultations",
        summary="Aggregated results with small groups suppressed, and released texts."),
    api(A + "/export.csv", api_export, access="policymaker", method="GET", tag="consultations",
        summary="The released aggregates and texts as a streamed CSV."),
    api(A + "/outcome", api_outcome, access="policymaker", method="POST", tag="consultations", body=OutcomeIn,
        summary="Publish the outcome: what we heard, what we will do. Participants are told."),
]
