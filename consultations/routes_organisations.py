"""Organisations' responses to consultations (pages and JSON API): thin; the rules live in
organisation_responses.py. The representatives' routes act for the organisation (`acts_for`): only its
own representatives reach them (network.core.access). The owner's routes list what was sent."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse

from consultations import organisation_responses as responses
from consultations import service, views
from consultations.schemas import OrganisationResponseIn
from network.core.access import api, page
from network.core.forms import form_data
from network.core.markdown import markdown
from network.core.refusal import STATUS_BY_KIND, Refused
from network.core.templating import render, request_locale
from network.members.profiles import region_names
from network.organisations import service as organisations


def _when(moment) -> str | None:
    return moment.isoformat() if moment else None


def _state(response) -> dict | None:
    if response is None:
        return None
    return {"status": response.status, "submitted_at": _when(response.submitted_at),
            "updated_at": _when(response.updated_at)}


def _response_json(response, questions) -> dict | None:
    if response is None:
        return None
    return {"organisation_id": response.organisation_id, "consultation_id": response.consultation_id,
            **_state(response), "answers": [{"question_id": question_id, "text": text} for question_id, text
                                            in responses.answers_of(response, questions).items()]}


def _organisation_json(organisation) -> dict:
    return {"id": organisation.id, "name": organisation.name, "kind": organisation.kind,
            "country": organisation.country}


# The organisation's side ------------------------------------------------------------------------

async def _answerable(request: Request) -> list[dict]:
    return [{**views.summary(request, c), "accepting": responses.accepting(c), "response": _state(r)}
            for c, r in await responses.answerable(request.path_params["org_id"])]


async def list_page(request: Request):
    return render(request, "consultations/organisation_consultations.html", {
        "o": await organisations.get(request.path_params["org_id"]), "items": await _answerable(request)})


async def _form_context(request: Request, error=None, typed: dict[int, str] | None = None) -> dict:
    organisation, consultation, response = await responses.readable(request.path_params["org_id"],
                                                                    request.path_params["consultation_id"])
    t = views.localizer(request, consultation)
    questions = await service.questions_of(consultation)
    sections = []
    for s in await service.sections_of(consultation):
        heading, body = t(s.heading), t(s.body)
        sections.append({"heading": heading, "body": markdown(body), "lang": body.lang})
    return {"o": organisation, "c": views.summary(request, consultation), "sections": sections,
            "questions": [views.question_view(t, q) for q in questions], "response": _state(response),
            "given": typed if typed is not None else responses.answers_of(response, questions),
            "accepting": responses.accepting(consultation), "notice": request.query_params.get("saved"),
            "error": error}


async def form_page(request: Request):
    return render(request, "consultations/organisation_response.html", await _form_context(request))


async def form_submit(request: Request):
    org_id, consultation_id = request.path_params["org_id"], request.path_params["consultation_id"]
    form = await form_data(request)
    _, consultation, _ = await responses.readable(org_id, consultation_id)
    typed = {q.id: form.get(f"q{q.id}", "") for q in await service.questions_of(consultation)}
    submit = form.get("action") == "submit"
    try:
        await responses.save(request.state.member, org_id, consultation_id, typed, submit)
    except Refused as exc:
        if exc.kind == "not_found":
            raise
        # Nothing was saved: the form comes back as the representative left it.
        again = await _form_context(request, error=exc, typed=typed)
        return render(request, "consultations/organisation_response.html", again,
                      status_code=STATUS_BY_KIND.get(exc.kind, 422))
    return RedirectResponse(f"/organisations/{org_id}/consultations/{consultation_id}"
                            f"?saved={'submitted' if submit else 'saved'}", status_code=303)


async def api_organisation_consultations(request: Request):
    return {"consultations": await _answerable(request)}


async def _consultation_json(request: Request, consultation, questions) -> dict:
    t = views.localizer(request, consultation)
    return {**views.summary(request, consultation), "accepting": responses.accepting(consultation),
            "questions": [views.question_view(t, q) for q in questions]}


async def api_organisation_response(request: Request):
    _, consultation, response = await responses.readable(request.path_params["org_id"],
                                                         request.path_params["consultation_id"])
    questions = await service.questions_of(consultation)
    return {"consultation": await _consultation_json(request, consultation, questions),
            "response": _response_json(response, questions)}


async def api_organisation_response_save(request: Request, body: OrganisationResponseIn):
    answers = {a.question_id: a.text for a in body.answers}
    response = await responses.save(request.state.member, request.path_params["org_id"],
                                    request.path_params["consultation_id"], answers, body.submit)
    consultation = await service.get(response.consultation_id)
    return {"response": _response_json(response, await service.questions_of(consultation))}


# The owner's side -------------------------------------------------------------------------------

async def received_page(request: Request):
    consultation, sent = await responses.submitted_to(request.state.member, request.path_params["consultation_id"])
    t = views.localizer(request, consultation)
    questions = await service.questions_of(consultation)
    prompts = [(q.id, t(q.prompt)) for q in questions]
    items = []
    for response in sent:
        texts = responses.answers_of(response, questions)
        items.append({"organisation": response.organisation, "submitted_at": response.submitted_at,
                      "answers": [(prompt, texts[question_id]) for question_id, prompt in prompts
                                  if question_id in texts]})
    return render(request, "consultations/organisation_responses.html", {
        "c": views.summary(request, consultation), "items": items,
        "countries": region_names(request_locale(request))})


async def api_received(request: Request):
    consultation, sent = await responses.submitted_to(request.state.member, request.path_params["consultation_id"])
    questions = await service.questions_of(consultation)
    return {"consultation": views.summary(request, consultation),
            "responses": [{"organisation": _organisation_json(r.organisation), **_response_json(r, questions)}
                          for r in sent]}


O = "/organisations/{org_id:int}/consultations"
C = O + "/{consultation_id:int}"

routes = [
    page(O, list_page, access="member", acts_for="org_id", name="organisation_consultations_page"),
    page(C, form_page, access="member", acts_for="org_id", name="organisation_response_page"),
    page(C, form_submit, access="member", methods=("POST",), acts_for="org_id", name="organisation_response_submit"),
    page("/consultations/{consultation_id:int}/organisations", received_page, access="policymaker",
         name="organisation_responses_received_page"),
    api("/api/v1" + O, api_organisation_consultations, access="member", method="GET", tag="consultations",
        acts_for="org_id", summary="For its representatives: the consultations the organisation can answer now, "
                                   "and those it answered, each with its response's state."),
    api("/api/v1" + C + "/response", api_organisation_response, access="member", method="GET", tag="consultations",
        acts_for="org_id", summary="For its representatives: a consultation's questions and the organisation's "
                                   "response (null before the first save)."),
    api("/api/v1" + C + "/response", api_organisation_response_save, access="member", method="PUT",
        tag="consultations", body=OrganisationResponseIn, acts_for="org_id",
        summary="For its representatives: save the organisation's whole response as a draft, or send it with "
                "submit: true; one per organisation, changeable until the close. Never counted in the figures."),
    api("/api/v1/consultations/{consultation_id:int}/organisations", api_received, access="policymaker",
        method="GET", tag="consultations",
        summary="The responses partner organisations sent in their own name, by organisation (owner or "
                "administrator); apart from members' answers and never in the figures."),
]
