"""The curators' pages: what waits, an entry's versions and its review, services, commitments,
suggestions, import and the log."""

from __future__ import annotations

import json

from starlette.requests import Request
from starlette.responses import RedirectResponse

from network.core.access import page
from network.core.forms import form_data, form_list, submitted, to_int
from network.core.refusal import Refused
from network.core.templating import render, request_locale
from network.library import commitments, directory, exchange, rules, service, views
from network.library.models import COMMITMENT_STATUSES, COSTS, SERVICE_KINDS, Commitment, Service
from network.library.routes import countries_offered, entry_form, entry_form_context, language_choices

BACK = "/library/curation"


async def curation_page(request: Request, error=None, values=None, status_code=200):
    entries = await service.waiting_entries()
    titles = await service.latest_titles([e.id for e in entries])
    hosts = await service.proposed_for(entries)
    suggestions = await directory.open_suggestions()
    named = await directory.names_of([s.service_id for s in suggestions if s.service_id])
    return render(request, "library/curation.html", {
        "entries": [{"id": e.id, "status": e.status, "title": titles.get(e.id, ""),
                     "proposed": e.proposed_by_id is not None,
                     "proposed_for": hosts[e.proposed_for_id].name if e.proposed_for_id in hosts else None}
                    for e in entries],
        "suggestions": [{"id": s.id, "service_id": s.service_id, "service_name": named.get(s.service_id, ""),
                         "proposal": json.loads(s.proposal or "{}"), "note": s.note, "created_at": s.created_at}
                        for s in suggestions],
        "error": error, "values": values or {}, "done": request.query_params.get("done")}, status_code=status_code)


async def entry_page(request: Request, error=None, values=None, status_code=200):
    member, locale = request.state.member, request_locale(request)
    entry, texts = await service.for_curators(request.path_params["entry_id"])
    # The form starts from the newest text, to be changed (none: its writer was erased).
    newest = max(texts, key=lambda t: t.id) if texts else None
    details = {**entry.__dict__, **(entry.pending or {})}  # the details waiting, if any
    current = {**details, "countries": " ".join(details["countries"]), "regions": ", ".join(details["regions"]),
               **{name: getattr(newest, name) if newest else "" for name in ("title", "summary", "body")},
               "locale": newest.locale if newest else locale, "level": newest.level if newest else "full"}
    context = entry_form_context(locale, values or current, error)
    writers = await service.changed_by(entry.id)
    host = (await service.proposed_for([entry])).get(entry.proposed_for_id)
    return render(request, "library/curate_entry.html", {
        **context, "entry": entry, "texts": texts, "pending": entry.pending is not None,
        "proposed_for": host.name if host is not None else None,
        "may_publish": entry.status == "review" and entry.submitted_by_id != member.id and member.id not in writers,
        "seen": (await service.last_changes([entry.id])).get(entry.id),
        "language_names": {t.locale: views.language_name(t.locale, locale) for t in texts},
        "in_library": service.in_library(entry)}, status_code=status_code)


def _back_to_entry(request: Request):
    return lambda _: f"/library/curation/entries/{request.path_params['entry_id']}"


def _entry_action(act):
    """A form that changes an entry: done, back to its page; refused, the page with the error."""
    async def submit(request: Request):
        form = await form_data(request)
        return await submitted(lambda: act(request, form), lambda exc, status: entry_page(request, exc, None, status),
                               _back_to_entry(request))
    submit.__name__ = act.__name__
    return submit


async def details_submit(request: Request):
    form = await form_data(request)
    audiences, topics = await form_list(request, "audiences"), await form_list(request, "topics")
    details, _ = entry_form(form, audiences, topics)
    values = {**form, "audiences": audiences, "topics": topics}
    return await submitted(
        lambda: service.change_details(request.state.member, request.path_params["entry_id"], details),
        lambda exc, status: entry_page(request, exc, values, status), _back_to_entry(request))


async def text_submit(request: Request, form):
    _, text = entry_form(form, [], [])
    await service.add_text(request.state.member, request.path_params["entry_id"], text)


async def review_submit(request: Request, form):
    entry_id, member, reason = request.path_params["entry_id"], request.state.member, form.get("reason", "")
    action = form.get("action")
    if action == "submit":
        await service.submit(member, entry_id)
    elif action == "publish":
        await service.publish(member, entry_id, reason, to_int(form.get("seen")))
    elif action == "return":
        await service.send_back(member, entry_id, reason)
    elif action == "archive":
        await service.archive(member, entry_id, reason)
    else:
        raise Refused("invalid_choice", rules.CHOOSE, field="action")


def _service_values(form: dict, languages: list[str]) -> dict:
    data = {name: form.get(name, "") for name in directory.SERVICE_FIELDS}
    return {**data, "languages": languages}


async def service_form_page(request: Request, error=None, values=None, status_code=200):
    service_id = request.path_params.get("service_id")
    found = await Service.get_or_none(id=service_id) if service_id else None
    if service_id and found is None:
        raise rules.NOT_FOUND
    current = {name: getattr(found, name) for name in directory.SERVICE_FIELDS} if found else {"languages": []}
    return render(request, "library/service_form.html", {
        "service_id": service_id, "values": values or current, "error": error, "kinds": SERVICE_KINDS,
        "costs": COSTS, "language_choices": language_choices(request_locale(request)),
        "countries": countries_offered(request_locale(request))},
        status_code=status_code)


async def service_form_submit(request: Request):
    form = await form_data(request)
    values = _service_values(form, await form_list(request, "languages"))
    return await submitted(
        lambda: directory.save_service(request.state.member, values, request.path_params.get("service_id")),
        lambda exc, status: service_form_page(request, exc, values, status),
        lambda saved: f"/library/services/{saved.id}")


async def verified_submit(request: Request):
    checked = await directory.verify(request.state.member, request.path_params["service_id"])
    return RedirectResponse(f"/library/services/{checked.id}", status_code=303)


async def decision_submit(request: Request):
    form = await form_data(request)
    return await submitted(
        lambda: directory.decide(request.state.member, request.path_params["suggestion_id"],
                                 form.get("decision") == "accept", form.get("reason", "")),
        lambda exc, status: curation_page(request, exc, None, status), lambda _: BACK + "?done=decided")


async def commitment_form_page(request: Request, error=None, values=None, status_code=200):
    commitment_id = request.path_params.get("commitment_id")
    found = await Commitment.get_or_none(id=commitment_id) if commitment_id else None
    if commitment_id and found is None:
        raise rules.NOT_FOUND
    current = {**found.__dict__, "entry_ids": " ".join(map(str, found.entry_ids))} if found else {}
    return render(request, "library/commitment_form.html", {
        "commitment_id": commitment_id, "values": values or current, "error": error,
        "statuses": COMMITMENT_STATUSES, "countries": countries_offered(request_locale(request))},
        status_code=status_code)


async def commitment_form_submit(request: Request):
    form = await form_data(request)
    ids = [to_int(i) for i in form.get("entry_ids", "").replace(",", " ").split()]
    return await submitted(
        lambda: commitments.save_commitment(request.state.member, {**form, "entry_ids": [i for i in ids if i]},
                                            request.path_params.get("commitment_id")),
        lambda exc, status: commitment_form_page(request, exc, form, status), lambda _: "/library/commitments")


async def import_submit(request: Request):
    form = await form_data(request)
    return await submitted(
        lambda: exchange.load(request.state.member, form.get("document", "")),
        lambda exc, status: curation_page(request, exc, {"document": form.get("document", "")}, status),
        lambda added: BACK + "?" + "&".join(f"{k}={v}" for k, v in added.items()) + "&done=imported")


async def log_page(request: Request):
    before = to_int(request.query_params.get("before"))
    events = await rules.events(before=before)
    return render(request, "library/log.html", {"events": events,
                                                "older": events[-1].id if len(events) == rules.LOG_PAGE else None})


C = "/library/curation"
routes = [
    page(C, curation_page, access="curator"),
    page(C + "/entries/{entry_id:int}", entry_page, access="curator"),
    page(C + "/entries/{entry_id:int}/details", details_submit, access="curator", methods=("POST",)),
    page(C + "/entries/{entry_id:int}/texts", _entry_action(text_submit), access="curator", methods=("POST",)),
    page(C + "/entries/{entry_id:int}/review", _entry_action(review_submit), access="curator", methods=("POST",)),
    page(C + "/services/new", service_form_page, access="curator"),
    page(C + "/services/new", service_form_submit, access="curator", methods=("POST",)),
    page(C + "/services/{service_id:int}", service_form_page, access="curator"),
    page(C + "/services/{service_id:int}", service_form_submit, access="curator", methods=("POST",)),
    page(C + "/services/{service_id:int}/verified", verified_submit, access="curator", methods=("POST",)),
    page(C + "/suggestions/{suggestion_id:int}", decision_submit, access="curator", methods=("POST",)),
    page(C + "/commitments/new", commitment_form_page, access="curator"),
    page(C + "/commitments/new", commitment_form_submit, access="curator", methods=("POST",)),
    page(C + "/commitments/{commitment_id:int}", commitment_form_page, access="curator"),
    page(C + "/commitments/{commitment_id:int}", commitment_form_submit, access="curator", methods=("POST",)),
    page(C + "/import", import_submit, access="curator", methods=("POST",)),
    page(C + "/log", log_page, access="curator"),
]
