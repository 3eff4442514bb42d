"""Grants and mentoring (pages and JSON API): thin; the rules live in service.py, the money in
network.stipends (a grant is decided and paid on its stipend's page)."""

from __future__ import annotations

from starlette.requests import Request

from network.core.access import api, page
from network.core.forms import form_data, submitted, to_int
from network.core.i18n import format_money
from network.core.templating import render, request_locale
from network.grants import service
from network.grants.schemas import GrantBody, MatchBody, MentoringBody, ReportBody, SessionBody
from network.organisations import service as organisations
from network.stipends import service as stipends
from network.stipends.models import PAYOUT_METHODS

FORM_ROWS = 5  # budget lines and cluster projects a page offers (the API takes more)


def _money(minor, currency: str, locale: str) -> str:
    return format_money(stipends.from_minor(minor, currency), currency, locale)


def _view(grant, locale: str) -> dict:
    stipend = grant.stipend
    return {"id": grant.id, "organisation_id": grant.organisation_id, "title": grant.title,
            "for_whom": grant.for_whom, "starts_on": grant.starts_on.isoformat(), "ends_on": grant.ends_on.isoformat(),
            "amount": str(stipends.amount_of(stipend)), "currency": stipend.currency,
            "shown_amount": _money(stipend.amount_minor, stipend.currency, locale), "status": stipend.status,
            "stipend_id": stipend.id, "light": grant.light, "cluster": grant.cluster, "reason": stipend.reason,
            "receipts_needed": stipend.receipt_needed}


def _detail_view(grant, report, locale: str) -> dict:
    currency = grant.stipend.currency
    return {**_view(grant, locale),
            "lines": [{"id": line.id, "item": line.item, "amount": str(stipends.from_minor(line.amount_minor, currency)),
                       "shown_amount": _money(line.amount_minor, currency, locale),
                       "spent": None if line.spent_minor is None else str(stipends.from_minor(line.spent_minor, currency)),
                       "receipt": line.receipt} for line in sorted(grant.lines, key=lambda x: x.id)],
            "projects": [{"name": p.name, "what": p.what, "amount": str(stipends.from_minor(p.amount_minor, currency)),
                          "shown_amount": _money(p.amount_minor, currency, locale)}
                         for p in sorted(grant.projects, key=lambda x: x.id)],
            "report": None if report is None else {"did": report.did, "reached": report.reached,
                                                   "learned": report.learned,
                                                   "created_at": report.created_at.isoformat()}}


def _mentoring_view(item) -> dict:
    return {"id": item.id, "organisation_id": item.organisation_id, "grant_id": item.grant_id, "topic": item.topic,
            "note": item.note, "status": item.status,
            "sessions": [{"held_on": s.held_on.isoformat(), "notes": s.notes}
                         for s in sorted(item.sessions, key=lambda s: s.held_on)]}


def _rows(form: dict, prefix: str, names: tuple[str, ...]) -> list[dict]:
    return [{name: form.get(f"{prefix}_{name}_{n}", "") for name in names} for n in range(1, FORM_ROWS + 1)]


# Pages for the organisation's representatives ------------------------------------------------------

async def list_page(request: Request, error=None, values=None, status_code=200):
    org_id, locale = request.path_params["org_id"], request_locale(request)
    grants = await service.of_organisation(org_id)
    return render(request, "grants/list.html", {
        "o": await organisations.get(org_id), "grants": [_view(g, locale) for g in grants],
        "mentoring": await service.mentoring_of(org_id), "error": error, "values": values or {}},
        status_code=status_code)


async def new_page(request: Request, error=None, values=None, status_code=200):
    org_id = request.path_params["org_id"]
    cluster = request.query_params.get("cluster") == "1" or (values or {}).get("cluster") == "yes"
    funds = await stipends.funds()
    locale = request_locale(request)
    return render(request, "grants/new.html", {
        "o": await organisations.get(org_id), "cluster": cluster, "methods": PAYOUT_METHODS, "rows": FORM_ROWS,
        "funds": [{"id": f.id, "name": f.name, "currency": f.currency,
                   "small": _money(f.small_grant_minor, f.currency, locale)} for f in funds],
        "error": error, "values": values or {}}, status_code=status_code)


async def apply_submit(request: Request):
    org_id = request.path_params["org_id"]
    form = await form_data(request)
    data = {**form, "fund_id": to_int(form.get("fund_id")), "cluster": form.get("cluster") == "yes",
            "lines": _rows(form, "line", ("item", "amount")), "projects": _rows(form, "project", ("name", "what", "amount"))}
    return await submitted(lambda: service.apply(request.state.member, org_id, data),
                           lambda exc, status: new_page(request, exc, form, status),
                           lambda g: f"/organisations/{org_id}/grants/{g.id}")


async def detail_page(request: Request, error=None, values=None, status_code=200):
    """The grant for its organisation's representatives, who report on it; read by administrators."""
    org_id, locale = request.path_params.get("org_id"), request_locale(request)
    grant = await service.get(org_id, request.path_params["grant_id"])
    mentoring = await service.mentoring_of(grant.organisation_id, grant)
    return render(request, "grants/grant.html", {
        "o": grant.organisation, "g": _detail_view(grant, await service.report_of(grant), locale),
        "period": (grant.starts_on, grant.ends_on), "acting": org_id is not None,
        "mentoring": mentoring, "error": error, "values": values or {}}, status_code=status_code)


async def report_submit(request: Request):
    org_id, grant_id = request.path_params["org_id"], request.path_params["grant_id"]
    form = await form_data(request)
    grant = await service.get(org_id, grant_id)
    data = {**form, "lines": [{"id": line.id, "spent": form.get(f"spent_{line.id}", ""),
                               "receipt": form.get(f"receipt_{line.id}", "")} for line in grant.lines]}
    return await submitted(lambda: service.report(request.state.member, org_id, grant_id, data),
                           lambda exc, status: detail_page(request, exc, form, status),
                           lambda r: f"/organisations/{org_id}/grants/{grant_id}?done=reported")


async def mentoring_submit(request: Request):
    org_id = request.path_params["org_id"]
    form = await form_data(request)
    return await submitted(lambda: service.ask_mentoring(request.state.member, org_id, form),
                           lambda exc, status: list_page(request, exc, form, status),
                           lambda m: f"/organisations/{org_id}/grants?done=mentoring")


# Pages for administrators and mentors ------------------------------------------------------------

async def admin_page(request: Request):
    locale = request_locale(request)
    grants = await service.everyone()
    return render(request, "grants/admin.html", {
        "grants": [{**_view(g, locale), "organisation": g.organisation.name} for g in grants],
        "mentoring": await service.all_mentoring()})


async def mentoring_page(request: Request, error=None, values=None, status_code=200):
    member = request.state.member
    item = await service.mentoring(member, request.path_params["mentoring_id"])
    return render(request, "grants/mentoring.html", {
        "m": item, "sessions": sorted(item.sessions, key=lambda s: s.held_on), "admin": member.role == "admin",
        "writes": member.role == "admin" or item.mentor_id == member.id, "error": error, "values": values or {}},
        status_code=status_code)


async def match_submit(request: Request):
    mentoring_id = request.path_params["mentoring_id"]
    form = await form_data(request)
    return await submitted(lambda: service.match(request.state.member, mentoring_id, form.get("pseudonym")),
                           lambda exc, status: mentoring_page(request, exc, form, status),
                           lambda m: f"/mentoring/{mentoring_id}")


async def session_submit(request: Request):
    mentoring_id = request.path_params["mentoring_id"]
    form = await form_data(request)
    return await submitted(lambda: service.add_session(request.state.member, mentoring_id, form),
                           lambda exc, status: mentoring_page(request, exc, form, status),
                           lambda s: f"/mentoring/{mentoring_id}")


# JSON API -------------------------------------------------------------------------------------

async def api_list(request: Request):
    org_id, locale = request.path_params["org_id"], request_locale(request)
    return {"grants": [_view(g, locale) for g in await service.of_organisation(org_id)],
            "mentoring": [_mentoring_view(m) for m in await service.mentoring_of(org_id)]}


async def api_apply(request: Request, body: GrantBody):
    grant = await service.apply(request.state.member, request.path_params["org_id"], body.model_dump())
    return {"grant": _detail_view(grant, None, request_locale(request))}


async def api_detail(request: Request):
    grant = await service.get(request.path_params.get("org_id"), request.path_params["grant_id"])
    return {"grant": _detail_view(grant, await service.report_of(grant), request_locale(request))}


async def api_report(request: Request, body: ReportBody):
    org_id, grant_id = request.path_params["org_id"], request.path_params["grant_id"]
    await service.report(request.state.member, org_id, grant_id, body.model_dump())
    grant = await service.get(org_id, grant_id)
    return {"grant": _detail_view(grant, await service.report_of(grant), request_locale(request))}


async def api_ask_mentoring(request: Request, body: MentoringBody):
    item = await service.ask_mentoring(request.state.member, request.path_params["org_id"], body.model_dump())
    return {"mentoring": _mentoring_view(await service.mentoring(request.state.member, item.id))}


async def api_all(request: Request):
    locale = request_locale(request)
    return {"grants": [_view(g, locale) for g in await service.everyone()],
            "mentoring": [{**_mentoring_view(m), "mentor_id": m.mentor_id} for m in await service.all_mentoring()]}


async def api_mentoring(request: Request):
    return {"mentoring": _mentoring_view(await service.mentoring(request.state.member,
                                                                 request.path_params["mentoring_id"]))}


async def api_match(request: Request, body: MatchBody):
    item = await service.match(request.state.member, request.path_params["mentoring_id"], body.pseudonym)
    return {"mentoring": {**_mentoring_view(item), "mentor_id": item.mentor_id}}


async def api_session(request: Request, body: SessionBody):
    mentoring_id = request.path_params["mentoring_id"]
    await service.add_session(request.state.member, mentoring_id, body.model_dump())
    return {"mentoring": _mentoring_view(await service.mentoring(request.state.member, mentoring_id))}


G = "/organisations/{org_id:int}/grants"
ONE = G + "/{grant_id:int}"
M = "/mentoring/{mentoring_id:int}"
ORG = {"access": "member", "acts_for": "org_id"}

routes = [
    page(G, list_page, **ORG),
    page(G + "/new", new_page, **ORG),
    page(G + "/new", apply_submit, methods=("POST",), **ORG),
    page(ONE, detail_page, **ORG),
    page(ONE + "/report", report_submit, methods=("POST",), **ORG),
    page("/organisations/{org_id:int}/mentoring", mentoring_submit, methods=("POST",), **ORG),
    page("/admin/grants", admin_page, access="admin"),
    page("/admin/grants/{grant_id:int}", detail_page, access="admin", name="admin_grant"),
    page(M, mentoring_page, access="member"),
    page(M + "/match", match_submit, access="admin", methods=("POST",)),
    page(M + "/sessions", session_submit, access="member", methods=("POST",)),
    api("/api/v1" + G, api_list, method="GET", tag="grants", summary="The organisation's grants and mentoring.", **ORG),
    api("/api/v1" + G, api_apply, method="POST", status=201, tag="grants", body=GrantBody, **ORG,
        summary="Apply for a grant: what, for whom, how much, when. Above the fund's small-grant threshold, the "
                "budget table too; a cluster lists its small projects. Decided and paid as a stipend."),
    api("/api/v1" + ONE, api_detail, method="GET", tag="grants", summary="A grant, its budget, projects and report.",
        **ORG),
    api("/api/v1" + ONE + "/report", api_report, method="POST", tag="grants", body=ReportBody, **ORG,
        summary="The grant's one report: three questions; above the threshold each line's cost and receipt."),
    api("/api/v1/organisations/{org_id:int}/mentoring", api_ask_mentoring, method="POST", status=201, tag="grants",
        body=MentoringBody, summary="Ask for mentoring on a topic, kept with a grant if one is named.", **ORG),
    api("/api/v1/grants", api_all, access="admin", method="GET", tag="grants",
        summary="Every organisation's grants and mentoring requests."),
    api("/api/v1/grants/{grant_id:int}", api_detail, access="admin", method="GET", tag="grants", name="grants_any",
        summary="Any organisation's grant, its budget, projects and report."),
    api("/api/v1" + M, api_mentoring, access="member", method="GET", tag="grants",
        summary="A mentoring and its sessions: for its mentor, administrators and the organisation."),
    api("/api/v1" + M + "/match", api_match, access="admin", method="POST", tag="grants", body=MatchBody,
        summary="Match a mentor, by pseudonym."),
    api("/api/v1" + M + "/sessions", api_session, access="member", method="POST", status=201, tag="grants",
        body=SessionBody, summary="The mentor keeps a session and its notes."),
]
