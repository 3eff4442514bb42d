"""The library's JSON API under /api/v1/library: thin; the rules live in service.py and its neighbours."""

from __future__ import annotations

from starlette.requests import Request

from network.core.access import api
from network.core.templating import request_locale
from network.library import commitments, directory, exchange, rules, search, service, views
from network.library.schemas import (
    CommitmentBody,
    CorrectionBody,
    CountryQuery,
    DecisionBody,
    DetailsBody,
    EntryBody,
    ImportBody,
    LogQuery,
    NoteBody,
    PublishBody,
    SearchQuery,
    ServiceBody,
    ServicesQuery,
    SuggestionBody,
    TextBody,
)

TAG = "library"


def _entry_id(request: Request) -> int:
    return request.path_params["entry_id"]


def _state(entry) -> dict:
    return {"id": entry.id, "status": entry.status, "visibility": entry.visibility,
            "in_library": service.in_library(entry)}


async def api_search(request: Request, query: SearchQuery):
    filters = search.Filters(country=query.country, topic=query.topic, audience=query.audience,
                             language=query.language, level=query.level, kind=query.kind)
    locale, member = request_locale(request), request.state.member
    found, total, terms = await service.find(query.q, filters, locale, member, query.page)
    results = [views.result(text, entry, terms, locale) for text, entry in found]
    return {"total": total, "page": query.page, "per_page": service.PER_PAGE,
            "results": [{**r, "title": str(r["title"]), "snippet": str(r["snippet"])} for r in results]}


async def api_entry(request: Request):
    entry = await service.readable(_entry_id(request), request.state.member)
    texts = (await service.shown_texts([entry.id]))[entry.id]
    host = (await service.proposed_for([entry])).get(entry.proposed_for_id)
    return {"entry": views.entry_json(entry, texts, host)}


async def api_history(request: Request):
    entry = await service.readable(_entry_id(request), request.state.member)
    return {"versions": [{"locale": t.locale, "level": t.level, "revision": t.revision, "title": t.title,
                          "what_changed": t.what_changed, "created_at": t.created_at.isoformat()}
                         for t in await service.history(entry)]}


async def api_propose(request: Request, body: EntryBody):
    entry = await service.create_entry(request.state.member, body.details.model_dump(mode="json"),
                                       body.text.model_dump(), body.organisation_id)
    return {"entry": {**_state(entry), "proposed_for": entry.proposed_for_id}}


async def api_add_text(request: Request, body: TextBody):
    text = await service.add_text(request.state.member, _entry_id(request), body.model_dump())
    return {"text": {"id": text.id, "locale": text.locale, "level": text.level, "revision": text.revision}}


async def api_details(request: Request, body: DetailsBody):
    return {"entry": _state(await service.change_details(request.state.member, _entry_id(request),
                                                         body.model_dump(mode="json")))}


async def api_submit(request: Request):
    return {"entry": _state(await service.submit(request.state.member, _entry_id(request)))}


async def api_publish(request: Request, body: PublishBody):
    return {"entry": _state(await service.publish(request.state.member, _entry_id(request), body.reason, body.seen))}


async def api_return(request: Request, body: NoteBody):
    return {"entry": _state(await service.send_back(request.state.member, _entry_id(request), body.reason))}


async def api_archive(request: Request, body: NoteBody):
    return {"entry": _state(await service.archive(request.state.member, _entry_id(request), body.reason))}


async def api_curation(request: Request):
    entries = await service.waiting_entries()
    ids = [e.id for e in entries]
    texts, changes = await service.latest_titles(ids), await service.last_changes(ids)
    hosts = await service.proposed_for(entries)
    return {"entries": [{**_state(e), "title": texts.get(e.id, ""), "proposed": e.proposed_by_id is not None,
                         "proposed_for": hosts[e.proposed_for_id].name if e.proposed_for_id in hosts else None,
                         "last_change": changes.get(e.id)} for e in entries],
            "suggestions": [{"id": s.id, "service_id": s.service_id, "created_at": s.created_at.isoformat()}
                            for s in await directory.open_suggestions()]}


async def api_services(request: Request, query: ServicesQuery):
    member, locale = request.state.member, request_locale(request)
    rows, total = await directory.services(member, query.country, query.kind, query.language,
                                           limit=directory.PER_PAGE, offset=(query.page - 1) * directory.PER_PAGE)
    return {"total": total, "page": query.page, "services": [views.service_view(s, member, locale) for s in rows]}


async def api_service(request: Request):
    member = request.state.member
    found = await directory.readable_service(request.path_params["service_id"], member)
    return {"service": views.service_view(found, member, request_locale(request))}


async def api_service_create(request: Request, body: ServiceBody):
    created = await directory.save_service(request.state.member, body.model_dump(mode="json"))
    return {"service": views.service_view(created, request.state.member, request_locale(request))}


async def api_service_update(request: Request, body: ServiceBody):
    changed = await directory.save_service(request.state.member, body.model_dump(mode="json"),
                                           request.path_params["service_id"])
    return {"service": views.service_view(changed, request.state.member, request_locale(request))}


async def api_verified(request: Request):
    checked = await directory.verify(request.state.member, request.path_params["service_id"])
    return {"service": views.service_view(checked, request.state.member, request_locale(request))}


async def api_suggest(request: Request, body: SuggestionBody):
    suggestion = await directory.suggest(request.state.member, body.model_dump(mode="json"))
    return {"suggestion": {"id": suggestion.id, "status": suggestion.status}}


async def api_correct(request: Request, body: CorrectionBody):
    suggestion = await directory.suggest(request.state.member, body.model_dump(mode="json"),
                                         request.path_params["service_id"])
    return {"suggestion": {"id": suggestion.id, "status": suggestion.status}}


async def api_decide(request: Request, body: DecisionBody):
    decided = await directory.decide(request.state.member, request.path_params["suggestion_id"],
                                     body.decision == "accept", body.reason)
    return {"suggestion": {"id": decided.id, "status": decided.status, "service_id": decided.service_id}}


async def api_commitments(request: Request, query: CountryQuery):
    rows = await commitments.commitments(query.country)
    linked = await commitments.linked_entries(rows, request.state.member)
    locale = request_locale(request)
    return {"commitments": [views.commitment_view(c, linked, locale) for c in rows]}


async def api_commitment_create(request: Request, body: CommitmentBody):
    created = await commitments.save_commitment(request.state.member, body.model_dump(mode="json"))
    return {"commitment": views.commitment_view(created, {}, request_locale(request))}


async def api_commitment_update(request: Request, body: CommitmentBody):
    changed = await commitments.save_commitment(request.state.member, body.model_dump(mode="json"),
                                                request.path_params["commitment_id"])
    return {"commitment": views.commitment_view(changed, {}, request_locale(request))}


async def api_export(request: Request):
    return await exchange.export(request.state.member)


async def api_import(request: Request, body: ImportBody):
    return {"imported": await exchange.load(request.state.member, body.model_dump())}


async def api_log(request: Request, query: LogQuery):
    return {"events": [{"id": e.id, "subject": e.subject, "subject_id": e.subject_id, "action": e.action,
                        "actor_id": e.actor_id, "detail": e.detail, "created_at": e.created_at.isoformat()}
                       for e in await rules.events(before=query.before)]}


P = "/api/v1/library"
E = P + "/entries/{entry_id:int}"
routes = [
    api(P + "/search", api_search, access="public", method="GET", tag=TAG, query=SearchQuery,
        summary="Search the library in every language: every word must match (or begin a word); the reader's "
                "language first. Members also find members-only entries."),
    api(P + "/entries", api_propose, access="member", method="POST", tag=TAG, body=EntryBody, status=201,
        summary="Propose an entry (members: it waits for a curator) or start a draft (curators)."),
    api(E, api_entry, access="public", method="GET", tag=TAG, summary="An entry, as readers see it now."),
    api(E, api_details, access="curator", method="PUT", tag=TAG, body=DetailsBody,
        summary="Change an entry's details (kind, audiences, countries, topics, visibility...)."),
    api(E + "/history", api_history, access="public", method="GET", tag=TAG,
        summary="Every published version of an entry, with what changed."),
    api(E + "/texts", api_add_text, access="curator", method="POST", tag=TAG, body=TextBody, status=201,
        summary="Write a new version of one language and reading level; it waits for a second reader."),
    api(E + "/submit", api_submit, access="curator", method="POST", tag=TAG,
        summary="Send a draft for review by a second reader."),
    api(E + "/publish", api_publish, access="curator", method="POST", tag=TAG, body=PublishBody,
        summary="Publish what waits: only a curator who neither sent it for review nor wrote any of it, "
                "and only as they read it (`seen`)."),
    api(E + "/return", api_return, access="curator", method="POST", tag=TAG, body=NoteBody,
        summary="Send what waits back to draft, saying why."),
    api(E + "/archive", api_archive, access="curator", method="POST", tag=TAG, body=NoteBody,
        summary="Take an entry out of the library."),
    api(P + "/curation", api_curation, access="curator", method="GET", tag=TAG,
        summary="What waits for curators: drafts, entries for review, suggestions."),
    api(P + "/services", api_services, access="public", method="GET", tag=TAG, query=ServicesQuery,
        summary="Support services by country, kind and language. How to reach one (address, phone, what to "
                "say, whether calls are logged) is given to signed-in members only."),
    api(P + "/services", api_service_create, access="curator", method="POST", tag=TAG, body=ServiceBody,
        status=201, summary="Add a service."),
    api(P + "/services/{service_id:int}", api_service, access="public", method="GET", tag=TAG,
        summary="One service; how to reach it for signed-in members only."),
    api(P + "/services/{service_id:int}", api_service_update, access="curator", method="PUT", tag=TAG,
        body=ServiceBody, summary="Change a service."),
    api(P + "/services/{service_id:int}/verified", api_verified, access="curator", method="POST", tag=TAG,
        summary="Record that a service's details were checked today."),
    api(P + "/suggestions", api_suggest, access="member", method="POST", tag=TAG, body=SuggestionBody,
        status=201, summary="Suggest a service that is missing; curators decide."),
    api(P + "/services/{service_id:int}/suggestions", api_correct, access="member", method="POST", tag=TAG,
        body=CorrectionBody, status=201,
        summary="Suggest what should change in a service (only the fields given); curators decide."),
    api(P + "/suggestions/{suggestion_id:int}/decision", api_decide, access="curator", method="POST", tag=TAG,
        body=DecisionBody, summary="Accept (the suggestion is applied) or decline a suggestion."),
    api(P + "/commitments", api_commitments, access="public", method="GET", tag=TAG, query=CountryQuery,
        summary="State commitments on conflict-related sexual violence, by country."),
    api(P + "/commitments", api_commitment_create, access="curator", method="POST", tag=TAG,
        body=CommitmentBody, status=201, summary="Add a commitment."),
    api(P + "/commitments/{commitment_id:int}", api_commitment_update, access="curator", method="PUT", tag=TAG,
        body=CommitmentBody, summary="Change a commitment."),
    api(P + "/export", api_export, access="public", method="GET", tag=TAG,
        summary="The library as a document (format survnet-library/1): what the reader may see, never how "
                "to reach a service."),
    api(P + "/import", api_import, access="curator", method="POST", tag=TAG, body=ImportBody, status=201,
        summary="Load a library document; checked whole first, nothing is added if one record is refused. "
                "Imported entries wait for a second reader."),
    api(P + "/log", api_log, access="curator", method="GET", tag=TAG, query=LogQuery,
        summary="The library's append-only log, newest first."),
]
