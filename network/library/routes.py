"""The library's pages for readers and members (no JavaScript needed); curators' pages are in curation.py."""

from __future__ import annotations

from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse

from network.core.access import page
from network.core.forms import form_data, form_list, submitted, to_int
from network.core.settings import LOCALES
from network.core.templating import render, request_locale
from network.library import commitments, directory, exchange, search, service, views
from network.library.models import (
    AUDIENCES,
    COMMITMENT_STATUSES,
    ENTRY_KINDS,
    READING_LEVELS,
    SERVICE_KINDS,
    TOPICS,
)
from network.library.schemas import PAGE
from network.organisations import service as organisations

# The countries the network began in (the report's): always offered as filters.
REPORT_COUNTRIES = ("AF", "CD", "CO", "IQ", "KE", "UA")
SUGGESTED = "/library/services?done=suggested"


def _one_of(value: str | None, choices) -> str | None:
    return value if value in choices else None


def _country(value: str | None) -> str | None:
    value = (value or "").strip().upper()
    return value if len(value) == 2 and value.isascii() and value.isalpha() else None


def countries_offered(locale: str, chosen: str | None = None) -> list[tuple[str, str]]:
    codes = sorted({*REPORT_COUNTRIES, *([chosen] if chosen else [])})
    return sorted(zip(codes, views.country_names(codes, locale)), key=lambda pair: pair[1])


def language_choices(locale: str) -> list[tuple[str, str]]:
    return [(code, views.language_name(code, locale)) for code in LOCALES]


def _filters(request: Request) -> tuple[str, search.Filters, int]:
    params = request.query_params
    filters = search.Filters(country=_country(params.get("country")), topic=_one_of(params.get("topic"), TOPICS),
                             audience=_one_of(params.get("audience"), AUDIENCES),
                             language=_one_of(params.get("language"), LOCALES),
                             level=_one_of(params.get("level"), READING_LEVELS),
                             kind=_one_of(params.get("kind"), ENTRY_KINDS))
    query = (params.get("q") or "")[:200]
    return query, filters, to_int(params.get("page"), 1, PAGE)


def _page_link(query: str, filters: search.Filters, number: int) -> str:
    values = {"q": query, **{k: v for k, v in filters.__dict__.items() if v}, "page": number}
    return "/library?" + urlencode({k: v for k, v in values.items() if v})


async def library_page(request: Request):
    query, filters, number = _filters(request)
    locale, member = request_locale(request), request.state.member
    found, total, terms = await service.find(query, filters, locale, member, number)
    last = max(1, -(-total // service.PER_PAGE))
    return render(request, "library/search.html", {
        "query": query, "filters": filters, "results": [views.result(t, e, terms, locale) for t, e in found],
        "total": total, "number": number, "searched": bool(query or any(filters.__dict__.values())),
        "previous": _page_link(query, filters, number - 1) if number > 1 else None,
        "next": _page_link(query, filters, number + 1) if number < last else None,
        "countries": countries_offered(locale, filters.country), "topics": TOPICS, "audiences": AUDIENCES,
        "kinds": ENTRY_KINDS, "levels": READING_LEVELS, "language_choices": language_choices(locale),
        "curator": service.is_curator(member)})


async def entry_page(request: Request):
    member, locale = request.state.member, request_locale(request)
    entry = await service.readable(request.path_params["entry_id"], member)
    texts = (await service.shown_texts([entry.id]))[entry.id]
    text = views.choose_text(texts, locale, request.query_params.get("level"), request.query_params.get("read"))
    if text is None:
        raise service.NOT_FOUND
    host = (await service.proposed_for([entry])).get(entry.proposed_for_id)
    return render(request, "library/entry.html", {"e": views.entry_view(entry, text, texts, locale, host),
                                                  "curator": service.is_curator(member)})


async def history_page(request: Request):
    locale = request_locale(request)
    entry = await service.readable(request.path_params["entry_id"], request.state.member)
    versions = await service.history(entry)
    return render(request, "library/history.html", {"entry_id": entry.id, "versions": [
        {"locale": v.locale, "language": views.language_name(v.locale, locale), "level": v.level,
         "revision": v.revision, "title": v.title, "what_changed": v.what_changed, "created_at": v.created_at}
        for v in versions]})


def entry_form(form: dict, audiences: list[str], topics: list[str]) -> tuple[dict, dict]:
    details = {"kind": form.get("kind"), "audiences": audiences, "topics": topics,
               "countries": [c for c in form.get("countries", "").replace(",", " ").split() if c],
               "regions": [r.strip() for r in form.get("regions", "").split(",") if r.strip()],
               "source": form.get("source", ""), "licence": form.get("licence", ""),
               "published_on": form.get("published_on", ""), "visibility": form.get("visibility", "public")}
    text = {name: form.get(name, "") for name in ("locale", "level", "title", "summary", "body", "what_changed")}
    return details, text


def entry_form_context(locale: str, values: dict | None = None, error=None) -> dict:
    return {"kinds": ENTRY_KINDS, "audiences": AUDIENCES, "topics": TOPICS, "levels": READING_LEVELS,
            "language_choices": language_choices(locale),
            "values": values or {"locale": locale, "level": "full", "visibility": "public", "audiences": [],
                                 "topics": []}, "error": error}


async def _propose_form(request: Request, values: dict | None = None, error=None, status_code: int = 200):
    """The proposal form; a member who represents organisations may propose in the name of one."""
    return render(request, "library/propose.html", {
        **entry_form_context(request_locale(request), values, error),
        "organisations": await organisations.representing(request.state.member)}, status_code=status_code)


async def propose_page(request: Request):
    return await _propose_form(request)


async def propose_submit(request: Request):
    form = await form_data(request)
    audiences, topics = await form_list(request, "audiences"), await form_list(request, "topics")
    details, text = entry_form(form, audiences, topics)
    member, values = request.state.member, {**form, "audiences": audiences, "topics": topics}

    async def again(exc, status):
        return await _propose_form(request, values, exc, status)

    return await submitted(lambda: service.create_entry(member, details, text, form.get("organisation_id")), again,
                           lambda entry: f"/library/curation/entries/{entry.id}" if service.is_curator(member)
                           else "/library?done=proposed")


async def services_page(request: Request):
    params, member, locale = request.query_params, request.state.member, request_locale(request)
    country, kind = _country(params.get("country")), _one_of(params.get("kind"), SERVICE_KINDS)
    language, number = _one_of(params.get("language"), LOCALES), to_int(params.get("page"), 1, PAGE)
    rows, total = await directory.services(member, country, kind, language, limit=directory.PER_PAGE,
                                           offset=(number - 1) * directory.PER_PAGE)
    return render(request, "library/services.html", {
        "services": [views.service_view(s, member, locale) for s in rows], "total": total,
        "country": country, "kind": kind, "language": language, "kinds": SERVICE_KINDS,
        "countries": countries_offered(locale, country), "done": params.get("done")})


def _suggestion_form(form: dict, languages: list[str]) -> dict:
    data = {name: form.get(name, "") for name in directory.SERVICE_FIELDS if name not in ("languages", "call_logged")}
    return {**data, "languages": languages, "note": form.get("note", "")}


async def service_page(request: Request, error=None, values=None, status_code=200):
    member, locale = request.state.member, request_locale(request)
    found = await directory.readable_service(request.path_params["service_id"], member)
    return render(request, "library/service.html", {"s": views.service_view(found, member, locale),
                                                    "error": error, "values": values or {},
                                                    "curator": service.is_curator(member)}, status_code=status_code)


async def correction_submit(request: Request):
    form = await form_data(request)
    data = _suggestion_form(form, await form_list(request, "languages"))
    return await submitted(lambda: directory.suggest(request.state.member, data, request.path_params["service_id"]),
                           lambda exc, status: service_page(request, exc, form, status), lambda _: SUGGESTED)


async def new_service_page(request: Request, error=None, values=None, status_code=200):
    return render(request, "library/suggest.html", {
        "error": error, "values": values or {"languages": []}, "kinds": SERVICE_KINDS,
        "countries": countries_offered(request_locale(request))}, status_code=status_code)


async def new_service_submit(request: Request):
    form = await form_data(request)
    languages = await form_list(request, "languages")
    return await submitted(lambda: directory.suggest(request.state.member, _suggestion_form(form, languages)),
                           lambda exc, status: new_service_page(request, exc, {**form, "languages": languages}, status),
                           lambda _: SUGGESTED)


async def commitments_page(request: Request):
    locale, country = request_locale(request), _country(request.query_params.get("country"))
    rows = await commitments.commitments(country)
    linked = await commitments.linked_entries(rows, request.state.member)
    shown = await service.shown_texts(list(linked))
    titles = {i: views.choose_text(texts, locale).title for i, texts in shown.items() if texts}
    by_country: dict[str, list] = {}
    for view in (views.commitment_view(c, linked, locale) for c in rows):
        by_country.setdefault(view["country_name"], []).append(view)
    # The map at a glance: each country's commitments by how far they have come.
    glance = [(name, [sum(1 for c in items if c["status"] == status) for status in COMMITMENT_STATUSES])
              for name, items in sorted(by_country.items())]
    return render(request, "library/commitments.html", {
        "by_country": sorted(by_country.items()), "titles": titles, "country": country, "glance": glance,
        "statuses": COMMITMENT_STATUSES, "countries": countries_offered(locale, country)})


async def export_json(request: Request):
    return JSONResponse(await exchange.export(request.state.member),
                        headers={"content-disposition": 'attachment; filename="library.json"'})


async def export_csv(request: Request):
    return PlainTextResponse(exchange.to_csv(await exchange.export(request.state.member)),
                             media_type="text/csv; charset=utf-8",
                             headers={"content-disposition": 'attachment; filename="library.csv"'})


routes = [
    page("/library", library_page, access="public"),
    page("/library/entries/{entry_id:int}", entry_page, access="public"),
    page("/library/entries/{entry_id:int}/history", history_page, access="public"),
    page("/library/propose", propose_page, access="member"),
    page("/library/propose", propose_submit, access="member", methods=("POST",)),
    page("/library/services", services_page, access="public"),
    page("/library/services/new", new_service_page, access="member"),
    page("/library/services/new", new_service_submit, access="member", methods=("POST",)),
    page("/library/services/{service_id:int}", service_page, access="public"),
    page("/library/services/{service_id:int}/suggest", correction_submit, access="member", methods=("POST",)),
    page("/library/commitments", commitments_page, access="public"),
    page("/library/export.json", export_json, access="public"),
    page("/library/export.csv", export_csv, access="public"),
]
