"""Members' proposals for future consultations (pages and JSON API): thin; the rules live in proposals.py."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse

from consultations import proposals, service, views
from consultations.schemas import ProposalAnswerIn, ProposalIn, ReviewIn, SupportIn
from network.core.access import api, page
from network.core.forms import form_data, submitted, to_int
from network.core.templating import render, request_locale
from network.members import vault


def _view(request: Request, proposal, supporters: int | None = None, supported: bool = False) -> dict:
    locale = request_locale(request)
    taken = proposals.public_consultation(proposal)
    return {"id": proposal.id, "kind": proposal.kind, "status": proposal.status,
            "text": service.Shown(proposal.shown_text or "", proposal.locale),
            "supporters": supporters if supporters is not None else getattr(proposal, "supporters", None),
            "supported": supported, "proposed_on": proposal.proposed_on.isoformat(),
            "answered_on": proposal.answered_on.isoformat() if proposal.answered_on else None,
            "reason": service.localized(proposal.answer, locale, proposal.locale) if proposal.answer else None,
            "consultation": views.summary(request, taken) if taken else None,
            "coming": proposal.status == "taken_up" and taken is None}


async def _list_context(request: Request, **extra) -> dict:
    key = vault.of_request(request)
    shown = await proposals.shown()
    mine_supported = await proposals.supported(key, shown)
    mine = await proposals.mine(key)
    return {"proposals": [_view(request, p, supported=p.id in mine_supported) for p in shown],
            "mine": [{"id": p.id, "kind": p.kind, "status": p.status, "text": service.Shown(
                p.shown_text or p.text or "", p.locale), "proposed_on": p.proposed_on.isoformat()} for p in mine],
            "error": None, "values": {}, **extra}


async def list_page(request: Request):
    return render(request, "consultations/proposals.html", await _list_context(
        request, done=request.query_params.get("done")))


async def propose_submit(request: Request):
    form = await form_data(request)

    async def again(exc, status):
        return render(request, "consultations/proposals.html", await _list_context(request, error=exc, values=form),
                      status_code=status)

    return await submitted(lambda: proposals.propose(vault.of_request(request), request.state.member,
                                                     form.get("kind", ""), form.get("text", ""),
                                                     request_locale(request)),
                           again, lambda _: "/proposals?done=proposed")


async def _one_context(request: Request, proposal, **extra) -> dict:
    key = vault.of_request(request)
    if proposal.taken_up_in_id:
        await proposal.fetch_related("taken_up_in")
    mine = await service.owned_by(request.state.member) if request.state.member.role in ("policymaker", "admin") \
        else []
    return {"p": _view(request, proposal, await proposals.supporters(proposal),
                       proposal.id in await proposals.supported(key, [proposal])),
            "mine": [views.summary(request, c) for c in mine], "error": None, "values": {}, **extra}


async def proposal_page(request: Request):
    proposal = await proposals.get(request.path_params["proposal_id"])
    return render(request, "consultations/proposal.html", await _one_context(request, proposal))


async def support_submit(request: Request):
    form = await form_data(request)
    proposal_id = request.path_params["proposal_id"]
    await proposals.support(vault.of_request(request), proposal_id, form.get("support") != "no")
    return RedirectResponse(f"/proposals/{proposal_id}", status_code=303)


async def review_submit(request: Request):
    form = await form_data(request)
    proposal_id = request.path_params["proposal_id"]

    async def again(exc, status):
        from consultations.routes import review_again

        return await review_again(request, exc, status, proposal_id, form.get("text", ""))

    return await submitted(lambda: proposals.review(proposal_id, form.get("decision", ""), form.get("text")),
                           again, lambda _: "/consultations/review")


async def answer_submit(request: Request):
    form = await form_data(request)
    proposal = await proposals.get(request.path_params["proposal_id"])
    reason = form.get("reason", "")

    async def again(exc, status):
        return render(request, "consultations/proposal.html",
                      await _one_context(request, proposal, error=exc, values=form), status_code=status)

    return await submitted(lambda: proposals.answer(
        request.state.member, proposal.id, form.get("decision", ""), to_int(form.get("consultation_id")),
        {request_locale(request): reason} if reason.strip() else {}),
        again, lambda _: f"/proposals/{proposal.id}")


# JSON API -----------------------------------------------------------------------------------

async def api_list(request: Request):
    context = await _list_context(request)
    return {"proposals": context["proposals"], "mine": context["mine"]}


async def api_propose(request: Request, body: ProposalIn):
    proposal = await proposals.propose(vault.of_request(request), request.state.member, body.kind, body.text,
                                       request_locale(request))
    return {"proposal": {"id": proposal.id, "status": proposal.status}}


async def api_support(request: Request, body: SupportIn):
    proposal = await proposals.support(vault.of_request(request), request.path_params["proposal_id"], body.support)
    return {"supporters": await proposals.supporters(proposal),
            "supported": bool(await proposals.supported(vault.of_request(request), [proposal]))}


async def api_review_list(request: Request):
    return {"pending": [{"id": p.id, "kind": p.kind, "text": p.text} for p in await proposals.pending(200)]}


async def api_review(request: Request, body: ReviewIn):
    proposal = await proposals.review(request.path_params["proposal_id"], body.decision, body.text)
    return {"id": proposal.id, "status": proposal.status}


async def api_answer(request: Request, body: ProposalAnswerIn):
    proposal = await proposals.answer(request.state.member, request.path_params["proposal_id"], body.decision,
                                      body.consultation_id, body.reason)
    return {"id": proposal.id, "status": proposal.status}


P = "/proposals/{proposal_id:int}"
A = "/api/v1/proposals/{proposal_id:int}"

routes = [
    page("/proposals", list_page, access="member"),
    # A decoy's proposal and support stay, under its own key: undone, they would tell the one holding the
    # phone that this account is not the member's (a proposal still goes to a moderator first).
    page("/proposals", propose_submit, access="member", methods=("POST",), decoy="keep"),
    page(P, proposal_page, access="member"),
    page(P + "/support", support_submit, access="member", methods=("POST",), decoy="keep"),
    page(P + "/review", review_submit, access="moderator", methods=("POST",)),
    page(P + "/answer", answer_submit, access="policymaker", methods=("POST",)),
    api("/api/v1/proposals", api_list, access="member", method="GET", tag="proposals",
        summary="Reviewed proposals, the most supported first, with whether I support each; and my own."),
    api("/api/v1/proposals", api_propose, access="member", method="POST", status=201, tag="proposals", decoy="keep",
        body=ProposalIn, summary="Propose a topic or a question for a future consultation; a moderator reads it "
                                 "for identifying details before anyone else sees it."),
    api("/api/v1/proposals/review", api_review_list, access="moderator", method="GET", tag="proposals",
        summary="Proposals waiting for review (never who wrote them)."),
    api(A + "/support", api_support, access="member", method="PUT", tag="proposals", body=SupportIn, decoy="keep",
        summary="Support a proposal (once; again changes nothing), or take the support back. Nothing says who."),
    api(A + "/review", api_review, access="moderator", method="POST", tag="proposals", body=ReviewIn,
        summary="Show a proposal as it is, redacted (with the text to show), or withhold it."),
    api(A + "/answer", api_answer, access="policymaker", method="POST", tag="proposals", body=ProposalAnswerIn,
        summary="Answer a proposal: taken up (with the consultation) or not (with the reason). Supporters are told."),
]
