"""The consultations JSON API: thin; the rules live in service.py, results.py and review.py."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import StreamingResponse

from consultations import export, results, review, service, views
from consultations.schemas import AnswersIn, ConsentIn, ConsultationIn, OutcomeIn, ReviewIn
from network.core.access import api
from network.core.i18n import gettext
from network.core.templating import request_locale


def rt(request: Request):
    return request.app.state.runtime


async def api_create(request: Request, body: ConsultationIn):
    consultation = await service.create(request.state.member, body)
    return {"consultation": await views.detail(request, consultation, None)}


async def api_update(request: Request, body: ConsultationIn):
    consultation = await service.update(request.state.member, request.path_params["consultation_id"], body)
    return {"consultation": await views.detail(request, consultation, None)}


async def api_open(request: Request):
    return {"consultation": views.summary(request, await service.set_status(
        request.state.member, request.path_params["consultation_id"], "open"))}


async def api_close(request: Request):
    return {"consultation": views.summary(request, await service.set_status(
        request.state.member, request.path_params["consultation_id"], "closed"))}


async def api_list(request: Request):
    member = request.state.member
    data = {"open": [views.summary(request, c) for c in await service.open_for(member)],
            "taken_part": [views.summary(request, c) for c in await service.taken_part(rt(request), member)],
            "new_outcomes": [c.id for c in await service.unseen_outcomes(rt(request), member)]}
    if member.role in ("policymaker", "admin"):
        data["mine"] = [views.summary(request, c) for c in await service.owned_by(member)]
    return data


async def api_detail(request: Request):
    consultation, participation = await service.readable(rt(request), request.state.member,
                                                         request.path_params["consultation_id"])
    return {"consultation": await views.detail(request, consultation, participation)}


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
    return {"consultation": views.summary(request, consultation)}


async def api_review_list(request: Request):
    return {"pending": [{"id": a.id, "question_id": a.question_id, "text": a.text} for a in await review.pending(200)]}


async def api_review(request: Request, body: ReviewIn):
    answer = await review.decide(request.path_params["answer_id"], body.decision, body.text)
    return {"id": answer.id, "review": answer.review}


A = "/api/v1/consultations/{consultation_id:int}"

routes = [
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
        media_type="text/csv",
        summary="The released aggregates and texts as a streamed CSV."),
    api(A + "/outcome", api_outcome, access="policymaker", method="POST", tag="consultations", body=OutcomeIn,
        summary="Publish the outcome: what we heard, what we will do. Participants are told."),
]
