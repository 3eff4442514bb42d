"""Stipend pages (phone first) and JSON API; the rules live in service.py."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Literal

from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from network.core import dates
from network.core.access import api, page
from network.core.charts import bar_chart
from network.core.forms import form_data, submitted, to_int
from network.core.i18n import format_date, format_money, gettext
from network.core.i18n import lazy as _l
from network.core.refusal import STATUS_BY_KIND, Refused
from network.core.schemas import Query
from network.core.spreadsheets import line
from network.core.templating import render, request_locale
from network.members.labels import region_label
from network.stipends import service as stipends
from network.stipends.labels import EVENT_NAMES, KIND_NAMES, METHOD_NAMES, STATUS_NAMES
from network.stipends.models import GRANT, PAYOUT_METHODS, STIPEND_KINDS
from network.stipends.schemas import (
    BudgetBody,
    CompleteBody,
    DecisionBody,
    FundBody,
    PaidBody,
    StipendBody,
)

FEWER = _l("fewer than %(k)s")
# The names its templates use, registered by setup().
TEMPLATE_NAMES = {"stipend_kinds": KIND_NAMES, "payout_methods": METHOD_NAMES, "stipend_statuses": STATUS_NAMES,
                  "stipend_events": EVENT_NAMES}


def _view(stipend, locale: str, admin: bool = False) -> dict:
    amount = stipends.amount_of(stipend)
    view = {"id": stipend.id, "fund_id": stipend.fund_id, "kind": stipend.kind, "amount": str(amount),
            "currency": stipend.currency, "shown_amount": format_money(amount, stipend.currency, locale),
            "purpose": stipend.purpose, "link": stipend.link, "payout_method": stipend.payout_method,
            "receipt_needed": stipend.receipt_needed, "status": stipend.status, "reason": stipend.reason,
            "created_at": stipend.created_at.isoformat(), "months": stipend.months,
            "stopped": stipend.stopped_at is not None}
    if admin:
        view["payout_details"] = stipend.payout_details
        view["paid_reference"] = stipend.paid_reference
    return view



# Pages -----------------------------------------------------------------------------------------

async def my_page(request: Request, error=None, values=None, status_code=200):
    locale = request_locale(request)
    return render(request, "stipends/stipends.html", {
        "items": [_view(s, locale) for s in await stipends.mine(request.state.member)],
        "funds": await stipends.funds(), "kinds": STIPEND_KINDS, "methods": PAYOUT_METHODS,
        "error": error, "values": values or {}}, status_code=status_code)


async def request_submit(request: Request):
    form = await form_data(request)
    data = {**form, "fund_id": to_int(form.get("fund_id"), 0)}
    try:
        stipend = await stipends.request(request.state.member, data)
    except Refused as exc:
        return await my_page(request, exc, form, STATUS_BY_KIND[exc.kind])
    return RedirectResponse(f"/stipends/{stipend.id}", status_code=303)


def _event_detail(event, stipend, locale: str) -> str:
    """The system's note on a request is its amount, written in the reader's locale; any other
    detail is what an administrator wrote, shown as written."""
    if event.action == "requested" and event.detail:
        return format_money(stipends.amount_of(stipend), stipend.currency, locale)
    return event.detail


async def detail_page(request: Request, error=None, values=None, status_code=200):
    member, locale = request.state.member, request_locale(request)
    stipend = await stipends.visible(member, request.path_params["stipend_id"])
    admin = member.role == "admin"
    events = [{"created_at": e.created_at, "actor": e.actor, "system": e.system, "action": e.action,
               "detail": _event_detail(e, stipend, locale)} for e in await stipends.events(stipend)] if admin else []
    return render(request, "stipends/stipend.html", {
        "s": {**_view(stipend, locale, admin=admin), "renewed": len(await stipends.renewals_of(stipend))},
        "admin": admin,
        "own": stipend.member_id == member.id, "events": events, "methods": PAYOUT_METHODS,
        "error": error, "values": values or {}}, status_code=status_code)


async def complete_submit(request: Request):
    form = await form_data(request)
    stipend_id = request.path_params["stipend_id"]
    try:
        await stipends.complete(request.state.member, stipend_id, form.get("payout_method", ""),
                                form.get("payout_details", ""))
    except Refused as exc:
        if exc.kind == "not_found":
            raise
        return await detail_page(request, exc, form, STATUS_BY_KIND[exc.kind])
    return RedirectResponse(f"/stipends/{stipend_id}", status_code=303)


async def api_complete(request: Request, body: CompleteBody):
    stipend = await stipends.complete(request.state.member, request.path_params["stipend_id"], body.payout_method,
                                      body.payout_details)
    return {"stipend": _view(stipend, request_locale(request))}


async def stop_submit(request: Request):
    stipend = await stipends.stop(request.state.member, request.path_params["stipend_id"])
    return RedirectResponse(f"/stipends/{stipend.id}", status_code=303)


async def api_stop(request: Request):
    stipend = await stipends.stop(request.state.member, request.path_params["stipend_id"])
    return {"stipend": _view(stipend, request_locale(request))}


async def cancel_submit(request: Request):
    stipend = await stipends.cancel(request.state.member, request.path_params["stipend_id"])
    return RedirectResponse(f"/stipends/{stipend.id}", status_code=303)


def _shown(stipend) -> str:
    return f"/stipends/{stipend.id}"


async def decision_submit(request: Request):
    form = await form_data(request)
    return await submitted(
        lambda: stipends.decide(request.state.member, request.path_params["stipend_id"], form.get("decision", ""),
                                form.get("reason", "")),
        lambda exc, status: detail_page(request, exc, {"reason": form.get("reason", "")}, status), _shown)


async def paid_submit(request: Request):
    form = await form_data(request)
    return await submitted(
        lambda: stipends.mark_paid(request.state.member, request.path_params["stipend_id"], form.get("reference", "")),
        lambda exc, status: detail_page(request, exc, {"reference": form.get("reference", "")}, status), _shown)


async def admin_page(request: Request):
    locale = request_locale(request)
    status = request.query_params.get("status") or None
    status = status if status in STATUS_NAMES else None
    return render(request, "stipends/admin_stipends.html", {
        "items": [_view(s, locale) for s in await stipends.all_requests(status)], "status": status})


async def funds_page(request: Request, error=None, values=None, budget_error=None, budget_values=None,
                     status_code=200):
    """`error`/`values` belong to the new-fund form; `budget_*` to one fund's budget form (by its fund_id)."""
    return render(request, "stipends/funds.html", {
        "funds": await stipends.funds(), "kinds": STIPEND_KINDS, "error": error,
        "values": values or {"receipt_threshold": "0", "two_approver_threshold": "0", "small_grant_threshold": "0"},
        "budget_error": budget_error, "budget_values": budget_values or {}}, status_code=status_code)


async def fund_submit(request: Request):
    form = await form_data(request)
    data = {**form, "caps": {kind: form.get(f"cap_{kind}", "") for kind in STIPEND_KINDS}}
    try:
        await stipends.create_fund(request.state.member, data)
    except Refused as exc:
        return await funds_page(request, exc, form, status_code=STATUS_BY_KIND[exc.kind])
    return RedirectResponse("/admin/funds", status_code=303)


async def budget_submit(request: Request):
    form = await form_data(request)
    fund_id = request.path_params["fund_id"]
    try:
        await stipends.add_budget(fund_id, dates.day(form.get("period_start"), "period_start"),
                                  dates.day(form.get("period_end"), "period_end"), form.get("amount"))
    except Refused as exc:
        if exc.kind == "not_found":
            raise
        values = {"fund_id": fund_id, **{k: form.get(k, "") for k in ("period_start", "period_end", "amount")}}
        return await funds_page(request, budget_error=exc, budget_values=values, status_code=STATUS_BY_KIND[exc.kind])
    return RedirectResponse("/admin/funds", status_code=303)


def _period_label(period: str, locale: str) -> str:
    """A budget period ("2027-01-01/2027-01-31") as the reader's locale writes dates."""
    try:
        start, end = (date.fromisoformat(part) for part in period.split("/"))
    except ValueError:
        return period
    return f"{format_date(start, locale=locale)} – {format_date(end, locale=locale)}"


def _report_rows(report: dict, locale: str, fewer: str) -> list[dict]:
    rows = []
    for cell in report["cells"]:
        label = (f"{gettext(locale, KIND_NAMES[cell['kind']])} · {region_label(cell['region'], locale)} · "
                 f"{_period_label(cell['period'], locale)}")
        amount = None if cell["amount"] is None else Decimal(cell["amount"])
        rows.append({**cell, "label": label, "count": None if amount is None else float(amount),
                     "shown_amount": fewer if amount is None else format_money(amount, report["currency"], locale)})
        rows[-1]["figure"] = rows[-1]["shown_amount"]
    return rows


async def _impact(request: Request) -> list[dict]:
    """What the network did beside what it spent, from every package that says (registry impact sources)."""
    rt = request.app.state.runtime
    return [{"code": code, "label": label, "value": value}
            for source in rt.registry.impact_sources for code, label, value in await source(rt)]


async def report_page(request: Request):
    locale = request_locale(request)
    report = await stipends.report(request.path_params["fund_id"])
    report["impact"] = await _impact(request)
    fewer = gettext(locale, FEWER, k=report["k"])
    rows = _report_rows(report, locale, fewer)
    return render(request, "stipends/fund_report.html", {"r": report, "rows": rows, "fewer": fewer,
                                                "chart": Markup(bar_chart(rows, fewer, locale=locale))})


# JSON API --------------------------------------------------------------------------------------

async def api_request(request: Request, body: StipendBody):
    stipend = await stipends.request(request.state.member, body.model_dump())
    return {"stipend": _view(stipend, request_locale(request))}


async def api_list(request: Request):
    member, locale = request.state.member, request_locale(request)
    items = await stipends.all_requests() if member.role == "admin" else await stipends.mine(member)
    return {"stipends": [_view(s, locale, admin=member.role == "admin") for s in items]}


async def api_decision(request: Request, body: DecisionBody):
    stipend = await stipends.decide(request.state.member, request.path_params["stipend_id"], body.decision,
                                    body.reason)
    return {"stipend": _view(stipend, request_locale(request), admin=True)}


async def api_paid(request: Request, body: PaidBody):
    stipend = await stipends.mark_paid(request.state.member, request.path_params["stipend_id"], body.reference)
    return {"stipend": _view(stipend, request_locale(request), admin=True)}


async def api_cancel(request: Request):
    stipend = await stipends.cancel(request.state.member, request.path_params["stipend_id"])
    return {"stipend": _view(stipend, request_locale(request))}


async def api_fund(request: Request, body: FundBody):
    fund = await stipends.create_fund(request.state.member, body.model_dump())
    return {"fund": {"id": fund.id, "name": fund.name, "currency": fund.currency}}


async def api_budget(request: Request, body: BudgetBody):
    budget = await stipends.add_budget(request.path_params["fund_id"], body.period_start, body.period_end, body.amount)
    return {"budget": {"id": budget.id, "amount": str(stipends.from_minor(budget.amount_minor, (await budget.fund).currency))}}


class ReportQuery(Query):
    format: Literal["json", "csv"] = "json"


async def api_report(request: Request, query: ReportQuery):
    report = await stipends.report(request.path_params["fund_id"])
    impact = await _impact(request)
    if query.format == "csv":
        # A grant's line counts organisations in "members": the last column says which (a column added
        # at the end, so what donors already read keeps its place).
        rows = [line("fund", "donor", "period", "kind", "region", "members", "amount", "currency", "counted")]
        fewer = gettext(request_locale(request), FEWER, k=report["k"])
        for cell in report["cells"]:
            rows.append(line(report["fund"], report["donor"], cell["period"], cell["kind"], cell["region"],
                             fewer if cell["people"] is None else cell["people"],
                             fewer if cell["amount"] is None else cell["amount"], report["currency"],
                             "organisations" if cell["kind"] == GRANT else "members"))
        # Impact beside spending: a line each, its code where a spending line has its kind.
        rows += [line(report["fund"], report["donor"], "", item["code"], "",
                      fewer if item["value"] is None else item["value"], "", "", "") for item in impact]
        return Response("".join(rows), media_type="text/csv; charset=utf-8", headers={
            "content-disposition": 'attachment; filename="fund-report.csv"'})
    return {"report": {**report, "impact": {item["code"]: item["value"] for item in impact}}}


S = "/stipends/{stipend_id:int}"
routes = [
    page("/stipends", my_page, access="member"),
    page("/stipends", request_submit, access="member", methods=("POST",)),
    page(S, detail_page, access="member"),
    page(S + "/cancel", cancel_submit, access="member", methods=("POST",)),
    page(S + "/stop", stop_submit, access="member", methods=("POST",)),
    page(S + "/complete", complete_submit, access="member", methods=("POST",)),
    page(S + "/decision", decision_submit, access="admin", methods=("POST",)),
    page(S + "/paid", paid_submit, access="admin", methods=("POST",)),
    page("/admin/stipends", admin_page, access="admin"),
    page("/admin/funds", funds_page, access="admin"),
    page("/admin/funds", fund_submit, access="admin", methods=("POST",)),
    page("/admin/funds/{fund_id:int}/budgets", budget_submit, access="admin", methods=("POST",)),
    page("/admin/funds/{fund_id:int}/report", report_page, access="admin"),
    api("/api/v1/stipends", api_request, access="member", method="POST", status=201, tag="stipends",
        body=StipendBody, summary="Ask for a stipend: kind, amount (a decimal string), purpose, payout method and "
                                  "details (encrypted, seen only by administrators)."),
    api("/api/v1/stipends", api_list, access="member", method="GET", tag="stipends",
        summary="My requests; every request for administrators."),
    api(S.replace("/stipends", "/api/v1/stipends") + "/decision", api_decision, access="admin", method="POST",
        tag="stipends", body=DecisionBody, summary="Approve or reject with a reason; above the fund's threshold "
                                                   "two different administrators approve; never one's own."),
    api(S.replace("/stipends", "/api/v1/stipends") + "/paid", api_paid, access="admin", method="POST",
        tag="stipends", body=PaidBody, summary="Mark an approved request paid, with the payment's reference."),
    api(S.replace("/stipends", "/api/v1/stipends") + "/cancel", api_cancel, access="member", method="POST",
        tag="stipends", summary="Cancel my request while it is waiting."),
    api(S.replace("/stipends", "/api/v1/stipends") + "/stop", api_stop, access="member", method="POST",
        tag="stipends", summary="Stop my monthly mobile data from renewing (what was paid stays paid)."),
    api(S.replace("/stipends", "/api/v1/stipends") + "/complete", api_complete, access="member", method="POST",
        tag="stipends", body=CompleteBody, summary="Take up a stipend offered with a place: say how to pay me; it is "
                                                   "then a request waiting for review."),
    api("/api/v1/funds", api_fund, access="admin", method="POST", status=201, tag="stipends", body=FundBody,
        summary="Create a fund: name, currency, donor label, thresholds, caps per kind."),
    api("/api/v1/funds/{fund_id:int}/budgets", api_budget, access="admin", method="POST", status=201,
        tag="stipends", body=BudgetBody, summary="Give a fund a budget for a period."),
    api("/api/v1/funds/{fund_id:int}/report", api_report, access="admin", method="GET", tag="stipends",
        query=ReportQuery, also={200: "text/csv"}, summary="Donor report: spending per kind, period and region, no pseudonyms, "
                                            "cells under k members suppressed; ?format=csv for CSV."),
]
