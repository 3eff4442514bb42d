"""The consultations JSON API: thin; the rules live in service.py, results.py and review.py."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import StreamingResponse

from consultations import export, releases, results, review, service, views
from consultations import participation as taking_part
from consultations.schemas import AnswersIn, ConsentIn, ConsultationIn, OutcomeIn, ReviewIn
from network.core.access import api
from network.core.i18n import gettext
from network.core.templating import request_locale
from network.members import vault


def key(request: Request) -> bytes | None:
    """The signed-in member's participation key, opened from their session (members.vault)."""
    return vault.of_request(request)


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
            "taken_part": [views.summary(request, c) for c in await taking_part.taken_part(key(request), member)],
            "new_outcomes": [c.id for c in await taking_part.unseen_outcomes(key(request), member)]}
    if member.role in ("policymaker", "admin"):
        data["mine"] = [views.summary(request, c) for c in await service.owned_by(member)]
    return data


async def api_detail(request: Request):
    consultation, participation = await taking_part.readable(key(request), request.state.member,
                                                         request.path_params["consultation_id"])
    return {"consultation": await views.detail(request, consultation, participation)}


async def api_consent(request: Request, body: ConsentIn):
    participation = await taking_part.consent(key(request), request.state.member, request.path_params["consultation_id"],
                                          body.share_profile)
    return {"consented": True, "consent_version": participation.consent_version}


async def api_answers(request: Request, body: AnswersIn):
    participation = await taking_part.save_answers(key(request), request.state.member,
                                               request.path_params["consultation_id"], body.answers, body.submit)
    return {"submitted": participation.submitted}


async def api_withdraw(request: Request):
    await taking_part.withdraw(key(request), request.state.member, request.path_params["consultation_id"])
    return {"withdrawn": True}


async def api_results(request: Request):
    """The latest release (None before the first), and the texts released after review."""
    consultation = await service.editable(request.state.member, request.path_params["consultation_id"])
    release = await releases.latest(consultation)
    texts = [{"question_id": t["question_id"], "text": t["released_text"]}
             for t in await review.released_for(consultation.id, limit=500)]
    return {"results": views.release_json(release) if release else None, "texts": texts,
            "can_release": await releases.can_release(consultation)}


async def api_releases(request: Request):
    """Every release so far, oldest first: all a policymaker has ever been shown."""
    consultation = await service.editable(request.state.member, request.path_params["consultation_id"])
    return {"releases": [views.release_json(r) for r in await releases.all_of(consultation)]}


async def api_release(request: Request):
    release = await releases.interim(request.state.member, request.path_params["consultation_id"])
    return {"release": views.release_json(release)}


async def api_figures(request: Request):
    """For members, once the consultation has ended: the final release, as the policymaker has it."""
    _, release = await releases.final_for(request.path_params["consultation_id"])
    return {"results": views.release_json(release)}


async def api_export(request: Request):
    """The latest release and the released texts as CSV, texts streamed in pages (constant memory)."""
    consultation = await service.editable(request.state.member, request.path_params["consultation_id"])
    locale = request_locale(request)
    shown = await views.released(request, consultation, await releases.latest(consultation))
    rows = export.csv_rows(consultation, shown, gettext(locale, results.FEWER, k=consultation.k))
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
    api(A + "/consent", api_consent, access="member", method="POST", tag="consultations", body=ConsentIn, decoy="keep",
        summary="Give consent (recorded with the consent text's version)."),
    api(A + "/answers", api_answers, access="member", method="PUT", tag="consultations", body=AnswersIn,
        summary="Save answers (progress), or submit them with submit: true; changeable until the close."),
    api(A + "/answers", api_withdraw, access="member", method="DELETE", tag="consultations",
        summary="Withdraw: deletes my answers and my consent."),
    api(A + "/results", api_results, access="policymaker", method="GET", tag="consultations",
        summary="The latest release of figures (at the close, or an interim one; null before the first), with "
                "small groups, all-alike groups and whatever could reveal them hidden, and the released texts."),
    api(A + "/releases", api_releases, access="policymaker", method="GET", tag="consultations",
        summary="Every release of figures so far, oldest first."),
    api(A + "/releases", api_release, access="policymaker", method="POST", status=201, tag="consultations",
        summary="Release the figures so far, once at least k more people have answered since the last release."),
    api(A + "/figures", api_figures, access="member", method="GET", tag="consultations",
        summary="For members, once it has closed: the final release of figures."),
    api(A + "/export.csv", api_export, access="policymaker", method="GET", tag="consultations",
        media_type="text/csv",
        summary="The released aggregates and texts as a streamed CSV."),
    api(A + "/outcome", api_outcome, access="policymaker", method="POST", tag="consultations", body=OutcomeIn,
        summary="Publish the outcome: what we heard, what we will do. Participants are told."),
]
