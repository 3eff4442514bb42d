"""Commitments after an outcome (pages and JSON API): thin; the rules live in commitments.py."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse

from consultations import commitments, service, views
from consultations.schemas import CommitmentIn, CommitmentUpdateIn, FollowIn
from network.core.access import api, page
from network.core.forms import form_data, submitted
from network.core.templating import render, request_locale
from network.members import vault


def _view(request: Request, commitment, consultation, updates=()) -> dict:
    locale = request_locale(request)
    original = consultation.original_locale

    def t(texts):
        return service.localized(texts, locale, original)

    return {"id": commitment.id, "what": t(commitment.what), "who": commitment.who,
            "due_on": commitment.due_on.isoformat() if commitment.due_on else None, "status": commitment.status,
            "reason": t(commitment.reason) if commitment.reason else None,
            "days_late": commitments.days_late(commitment),
            "updates": [{"id": u.id, "status": u.status, "note": t(u.note) if u.note else None,
                         "made_on": u.made_on.isoformat()} for u in updates]}


async def _context(request: Request, consultation, **extra) -> dict:
    rows = await commitments.of(consultation)
    return {"c": views.summary(request, consultation), "items": [_view(request, c, consultation, u) for c, u in rows],
            "owner": service.can_edit(request.state.member, consultation),
            "following": await commitments.is_following(vault.of_request(request), consultation),
            "error": None, "error_item": None, "values": {}, **extra}


async def commitments_page(request: Request):
    consultation = await commitments.followable(request.path_params["consultation_id"])
    return render(request, "consultations/commitments.html", await _context(request, consultation))


async def add_submit(request: Request):
    form = await form_data(request)
    consultation = await service.editable(request.state.member, request.path_params["consultation_id"])

    async def again(exc, status):
        return render(request, "consultations/commitments.html",
                      await _context(request, consultation, error=exc, error_item="new", values=form),
                      status_code=status)

    return await submitted(lambda: commitments.add(request.state.member, consultation.id,
                                                   {consultation.original_locale: form.get("what", "")},
                                                   form.get("who", ""), form.get("due_on")),
                           again, lambda _: f"/consultations/{consultation.id}/commitments")


async def update_submit(request: Request):
    form = await form_data(request)
    commitment_id = request.path_params["commitment_id"]
    commitment = await commitments.owned(request.state.member, commitment_id)
    consultation = commitment.consultation
    note = form.get("note", "")

    async def again(exc, status):
        return render(request, "consultations/commitments.html",
                      await _context(request, consultation, error=exc, error_item=commitment_id, values=form),
                      status_code=status)

    return await submitted(lambda: commitments.post_update(
        request.state.member, commitment_id, form.get("status", ""),
        {consultation.original_locale: note} if note.strip() else {}),
        again, lambda _: f"/consultations/{consultation.id}/commitments")


async def follow_submit(request: Request):
    form = await form_data(request)
    consultation_id = request.path_params["consultation_id"]
    await commitments.follow(vault.of_request(request), request.state.member, consultation_id, form.get("follow") == "yes")
    return RedirectResponse(f"/consultations/{consultation_id}/commitments", status_code=303)


def _accountability_rows(request: Request, rows) -> dict:
    grouped = commitments.by_status(rows)
    out = {}
    for status, items in grouped.items():
        out[status] = []
        for commitment, consultation in items:
            out[status].append({**_view(request, commitment, consultation), "consultation": views.summary(request, consultation)})
    return out


async def accountability_page(request: Request):
    grouped = _accountability_rows(request, await commitments.accountability())
    late = sorted((c for status in ("planned", "under_way") for c in grouped[status] if c["days_late"]),
                  key=lambda c: -c["days_late"])
    return render(request, "consultations/accountability.html", {"grouped": grouped, "late": late})


# JSON API -----------------------------------------------------------------------------------

async def api_commitments(request: Request):
    consultation = await commitments.followable(request.path_params["consultation_id"])
    context = await _context(request, consultation)
    return {"commitments": context["items"], "following": context["following"]}


async def api_add(request: Request, body: CommitmentIn):
    commitment = await commitments.add(request.state.member, request.path_params["consultation_id"], body.what,
                                       body.who, body.due_on)
    return {"commitment": _view(request, commitment, await service.get(commitment.consultation_id))}


async def api_update(request: Request, body: CommitmentUpdateIn):
    update = await commitments.post_update(request.state.member, request.path_params["commitment_id"], body.status,
                                           body.note)
    return {"update": {"id": update.id, "status": update.status, "made_on": update.made_on.isoformat()}}


async def api_follow(request: Request, body: FollowIn):
    return {"following": await commitments.follow(vault.of_request(request), request.state.member,
                                                  request.path_params["consultation_id"],
                                                  body.follow)}


async def api_accountability(request: Request):
    return {"commitments": _accountability_rows(request, await commitments.accountability())}


C = "/consultations/{consultation_id:int}"
A = "/api/v1/consultations/{consultation_id:int}"

routes = [
    page("/commitments", accountability_page, access="public"),
    page(C + "/commitments", commitments_page, access="member"),
    page(C + "/commitments", add_submit, access="policymaker", methods=("POST",)),
    page("/commitments/{commitment_id:int}/updates", update_submit, access="policymaker", methods=("POST",)),
    # A decoy's follow stays (a row under its own throwaway key that nobody else reads), so it reads as real.
    page(C + "/follow", follow_submit, access="member", methods=("POST",), decoy="keep"),
    api("/api/v1/commitments", api_accountability, access="public", method="GET", tag="commitments",
        summary="Every commitment of a published outcome, by status, with how many days late each one is."),
    api(A + "/commitments", api_commitments, access="member", method="GET", tag="commitments",
        summary="A published outcome's commitments with their status updates, and whether I follow them."),
    api(A + "/commitments", api_add, access="policymaker", method="POST", status=201, tag="commitments",
        body=CommitmentIn, summary="Add a commitment to a published outcome (at most 30): what, by whom, by when. "
                                   "Those who took part and followers are told."),
    api("/api/v1/commitments/{commitment_id:int}/updates", api_update, access="policymaker", method="POST",
        status=201, tag="commitments", body=CommitmentUpdateIn,
        summary="Post a status update: planned, under way, done, or dropped with the reason. Those who took part "
                "and followers are told."),
    api(A + "/follow", api_follow, access="member", method="PUT", tag="commitments", body=FollowIn, decoy="keep",
        summary="Follow (or stop following) a consultation's commitments; nothing stored says who follows."),
]
