"""Stipends for travel, mobile data and time off: funds, budgets that cannot be overspent, two
approvers above a threshold, encrypted payout details purged after payment, donor reports. No HTTP.

A budget is reserved by one conditional UPDATE (`reserved + amount <= amount`), so the database,
not a check in Python followed by a write, guarantees that racing approvals never overspend it.
"""

from __future__ import annotations

from datetime import date, datetime, timezone
from decimal import Decimal, InvalidOperation

from babel.numbers import get_currency_precision, is_currency
from tortoise.exceptions import IntegrityError
from tortoise.expressions import F
from tortoise.transactions import in_transaction

from network.core.crypto import sealed
from network.core.disclosure import Table, protect, shown
from network.core.i18n import lazy as _l
from network.core.refusal import Refused, within
from network.members.models import Member
from network.organisations import service as organisations
from network.stipends.models import (
    CAPPED_ONLY,
    GRANT,
    PAYOUT_METHODS,
    STIPEND_KINDS,
    Budget,
    Fund,
    Stipend,
    StipendApproval,
    StipendEvent,
)

REPORT_K = 5
NOT_FOUND = _l("That request was not found.")


def now() -> datetime:
    return datetime.now(timezone.utc)


def money(raw, currency: str, field: str = "amount", allow_zero: bool = False) -> Decimal:
    """A positive amount with no more decimals than the currency has (2 for KES, 0 for UGX)."""
    try:
        value = Decimal(str(raw).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        raise Refused("invalid_amount", _l("Write the amount as a number, for example 12.50."), field=field) from None
    if not value.is_finite() or value < 0 or (value == 0 and not allow_zero):
        raise Refused("invalid_amount", _l("The amount must be more than zero."), field=field)
    # The range first: arithmetic on 1e309 (or 1e-999999) would fail before any other check.
    if value >= Decimal("1e11"):
        raise Refused("invalid_amount", _l("That amount is too large."), field=field)
    digits = get_currency_precision(currency)
    if value.as_tuple().exponent < -digits and value != value.quantize(Decimal(1).scaleb(-digits)):
        raise Refused("too_many_decimals", _l("%(currency)s amounts have at most %(digits)s decimals."),
                      field=field, currency=currency, digits=digits)
    return value.quantize(Decimal(1).scaleb(-digits))


def to_minor(value: Decimal, currency: str) -> int:
    return int(value.scaleb(get_currency_precision(currency)))


def from_minor(minor: int, currency: str) -> Decimal:
    return Decimal(minor).scaleb(-get_currency_precision(currency))


def within_cap(fund: Fund, kind: str, minor: int, field: str) -> None:
    """The fund's cap for a kind, for whoever asks or offers: a kind paid only under a cap of its own
    (an honorarium) is refused where the fund sets none."""
    cap = fund.caps.get(kind)
    if cap is None and kind in CAPPED_ONLY:
        raise Refused("not_paid_here", _l("This fund pays no honoraria."), field="kind")
    if cap is not None and minor > cap:
        raise Refused("over_cap", _l("This fund gives at most %(cap)s %(currency)s for this."), field=field,
                      cap=from_minor(cap, fund.currency), currency=fund.currency)


def amount_of(stipend: Stipend) -> Decimal:
    return from_minor(stipend.amount_minor, stipend.currency)


async def _event(stipend: Stipend, actor: Member | None, action: str, detail: str = "") -> None:
    await StipendEvent.create(stipend=stipend, actor=actor, system=actor is None, action=action, detail=detail)


# Funds and budgets -------------------------------------------------------------------------------

async def create_fund(admin: Member, data: dict) -> Fund:
    name = (data.get("name") or "").strip()
    currency = (data.get("currency") or "").strip().upper()
    if not 2 <= len(name) <= 100:
        raise Refused("invalid_name", _l("A fund's name has 2 to 100 characters."), field="name")
    if len(currency) != 3 or not is_currency(currency):
        raise Refused("invalid_currency", _l("Give a currency code such as KES, EUR or UAH."), field="currency")
    caps = {}
    for kind, value in (data.get("caps") or {}).items():
        if kind not in STIPEND_KINDS:
            raise Refused("invalid_kind", _l("Choose from the list offered."), field="caps")
        if value not in (None, ""):
            caps[kind] = to_minor(money(value, currency, f"caps.{kind}"), currency)
    return await Fund.create(
        name=name, currency=currency, donor_label=within(data.get("donor_label"), 100, "donor_label"), caps=caps,
        small_grant_minor=to_minor(money(data.get("small_grant_threshold") or 0, currency, "small_grant_threshold",
                                         allow_zero=True), currency),
        receipt_threshold_minor=to_minor(money(data.get("receipt_threshold") or 0, currency, "receipt_threshold",
                                               allow_zero=True), currency),
        two_approver_threshold_minor=to_minor(money(data.get("two_approver_threshold") or 0, currency,
                                                    "two_approver_threshold", allow_zero=True), currency))


async def add_budget(fund_id: int, start: date, end: date, amount) -> Budget:
    fund = await Fund.get_or_none(id=fund_id)
    if fund is None:
        raise Refused("not_found", _l("That fund was not found."), kind="not_found")
    if end < start:
        raise Refused("invalid_period", _l("A period ends after it starts."), field="period_end")
    overlapping = await Budget.filter(fund=fund, period_start__lte=end, period_end__gte=start).exists()
    if overlapping:
        raise Refused("overlap", _l("This fund already has a budget for part of that period."), kind="conflict")
    return await Budget.create(fund=fund, period_start=start, period_end=end,
                               amount_minor=to_minor(money(amount, fund.currency), fund.currency))


async def funds() -> list[Fund]:
    return await Fund.all().order_by("name")


# Requests ----------------------------------------------------------------------------------------

async def request(member: Member, data: dict) -> Stipend:
    fund = await Fund.get_or_none(id=data.get("fund_id") or 0)
    if fund is None:
        raise Refused("not_found", _l("That fund was not found."), kind="not_found", field="fund_id")
    kind, method = data.get("kind"), data.get("payout_method")
    if kind not in STIPEND_KINDS:
        raise Refused("invalid_kind", _l("Choose from the list offered."), field="kind")
    if method not in PAYOUT_METHODS:
        raise Refused("invalid_method", _l("Choose how you want to be paid."), field="payout_method")
    currency = (data.get("currency") or fund.currency).strip().upper()
    if currency != fund.currency:
        raise Refused("wrong_currency", _l("This fund pays in %(currency)s only."), field="currency",
                      currency=fund.currency)
    amount = money(data.get("amount"), currency)
    minor = to_minor(amount, currency)
    within_cap(fund, kind, minor, "amount")
    purpose = (data.get("purpose") or "").strip()
    if not 3 <= len(purpose) <= 500:
        raise Refused("invalid_purpose", _l("Say in a few words what it is for (at most 500 characters)."),
                      field="purpose")
    months = _months(data.get("months"), kind)
    details = payout_details(data.get("payout_details"))
    stipend = await Stipend.create(
        member=member, fund=fund, kind=kind, amount_minor=minor, currency=currency, purpose=purpose,
        link=within(data.get("link"), 200, "link"), payout_method=method, payout_details=details,
        receipt_needed=minor >= fund.receipt_threshold_minor > 0, region=member.region or "", months=months)
    await _event(stipend, member, "requested", f"{amount} {currency}")
    return stipend


def payout_details(raw) -> str:
    details = (raw or "").strip()
    if not 3 <= len(details) <= 500:
        raise Refused("invalid_details", _l("Give the details we need to pay you (at most 500 characters)."),
                      field="payout_details")
    return details


async def for_organisation(actor: Member, organisation, fund: Fund, minor: int, purpose: str, method: str,
                           details: str, receipt_needed: bool, connection) -> Stipend:
    """A grant's money: a request like any other, reviewed, reserved and paid as stipends are, made out
    to the organisation (no member), in the caller's transaction."""
    if method not in PAYOUT_METHODS:
        raise Refused("invalid_method", _l("Choose how you want to be paid."), field="payout_method")
    stipend = await Stipend.create(
        member=None, organisation=organisation, fund=fund, kind=GRANT, amount_minor=minor, currency=fund.currency,
        purpose=purpose, payout_method=method, payout_details=payout_details(details), receipt_needed=receipt_needed,
        region=organisation.country, using_db=connection)
    await StipendEvent.create(stipend=stipend, actor=actor, action="requested",
                              detail=f"{from_minor(minor, fund.currency)} {fund.currency}", using_db=connection)
    return stipend


def approvers_needed(stipend: Stipend) -> int:
    """Two different administrators above the fund's threshold; for a grant, above its small-grant
    threshold too."""
    fund, minor = stipend.fund, stipend.amount_minor
    above = minor > fund.two_approver_threshold_minor > 0
    return 2 if above or (stipend.kind == GRANT and minor > fund.small_grant_minor) else 1


async def offer(member: Member, fund_id: int, kind: str, amount_minor: int, purpose: str, link: str) -> Stipend:
    """A stipend offered to a member, filled in by whoever offers it (a meeting's organiser, with a place):
    the member adds how to be paid, and it is then a request like any other, through the same review."""
    fund = await Fund.get(id=fund_id)
    stipend = await Stipend.create(member=member, fund=fund, kind=kind, amount_minor=amount_minor,
                                   currency=fund.currency, purpose=purpose, link=link, payout_method="",
                                   status="offered", region=member.region or "",
                                   receipt_needed=amount_minor >= fund.receipt_threshold_minor > 0)
    await _event(stipend, None, "offered", link)
    return stipend


async def complete(member: Member, stipend_id: int, method: str, details: str) -> Stipend:
    """An offered stipend, with how to pay the member, becomes a request waiting for review."""
    stipend = await visible(member, stipend_id)
    if method not in PAYOUT_METHODS:
        raise Refused("invalid_method", _l("Choose how you want to be paid."), field="payout_method")
    details = payout_details(details)
    if stipend.member_id != member.id or not await Stipend.filter(id=stipend.id, status="offered").update(
            status="pending", payout_method=method,
            payout_details=sealed(Stipend, "payout_details", stipend.id, details)):
        raise Refused("not_offered", _l("This is not an offer waiting for your details."), kind="conflict")
    await _event(stipend, member, "requested", f"{amount_of(stipend)} {stipend.currency}")
    return await visible(member, stipend_id)


async def visible(viewer: Member, stipend_id: int) -> Stipend:
    stipend = await Stipend.get_or_none(id=stipend_id).prefetch_related("fund")
    if stipend is None or (viewer.role != "admin" and stipend.member_id != viewer.id):
        raise Refused("not_found", NOT_FOUND, kind="not_found")
    return stipend


async def mine(member: Member) -> list[Stipend]:
    return await Stipend.filter(member=member).prefetch_related("fund").order_by("-id").limit(100)


async def all_requests(status: str | None = None) -> list[Stipend]:
    query = Stipend.all() if not status else Stipend.filter(status=status)
    return await query.prefetch_related("fund", "member").order_by("-id").limit(200)


async def cancel(member: Member, stipend_id: int) -> Stipend:
    stipend = await visible(member, stipend_id)
    # A request still waiting, or an offer not taken up.
    changed = await Stipend.filter(id=stipend.id, member=member, status__in=["pending", "offered"]).update(
        status="cancelled", closed_at=now())
    if not changed:
        raise Refused("not_pending", _l("Only a request that is still waiting can be cancelled."), kind="conflict")
    await StipendApproval.filter(stipend=stipend).delete()
    await _event(stipend, member, "cancelled")
    return await visible(member, stipend_id)


async def _budget_for(fund_id: int, on: date) -> Budget | None:
    return await Budget.filter(fund_id=fund_id, period_start__lte=on, period_end__gte=on).first()


async def _own(admin: Member, stipend: Stipend) -> bool:
    """Whether the request is this administrator's: theirs, one they made (a grant they applied for,
    whatever they represent now), or one for an organisation they represent."""
    if stipend.member_id == admin.id:
        return True
    if stipend.organisation_id is None:
        return False
    return await StipendEvent.filter(stipend=stipend, action="requested", actor=admin).exists() or \
        await organisations.represents(admin, stipend.organisation_id)


async def decide(admin: Member, stipend_id: int, decision: str, reason: str) -> Stipend:
    stipend = await visible(admin, stipend_id)
    reason = (reason or "").strip()
    if decision not in ("approve", "reject"):
        raise Refused("invalid_decision", _l("Choose approve or reject."), field="decision")
    if await _own(admin, stipend):
        raise Refused("own_request", _l("Nobody can decide on their own request."), kind="forbidden")
    if stipend.status != "pending":
        raise Refused("not_pending", _l("This request is no longer waiting for a decision."), kind="conflict")
    if decision == "reject":
        if not reason:
            raise Refused("reason_required", _l("Please give the member a reason."), field="reason")
        if not await Stipend.filter(id=stipend.id, status="pending").update(status="rejected", reason=reason,
                                                                           closed_at=now()):
            raise Refused("not_pending", _l("This request is no longer waiting for a decision."), kind="conflict")
        await _event(stipend, admin, "rejected", reason)
        return await visible(admin, stipend_id)
    async with in_transaction() as connection:
        if await StipendApproval.filter(stipend=stipend, admin=admin).using_db(connection).exists():
            raise Refused("already_approved", _l("You have already approved this; another administrator must too."),
                          kind="conflict")
        await StipendApproval.create(stipend=stipend, admin=admin, using_db=connection)
        approvals = await StipendApproval.filter(stipend=stipend).using_db(connection).count()
        if approvals < approvers_needed(stipend):
            await StipendEvent.create(stipend=stipend, actor=admin, action="first_approval",
                                      detail=reason, using_db=connection)
            return stipend
        budget = await _budget_for(stipend.fund_id, now().date())
        if budget is None:
            raise Refused("no_budget", _l("This fund has no budget for the current period."), kind="conflict")
        # The guarantee: one conditional update, so racing approvals cannot overspend.
        reserved = await Budget.filter(id=budget.id, reserved_minor__lte=F("amount_minor") - stipend.amount_minor) \
            .using_db(connection).update(reserved_minor=F("reserved_minor") + stipend.amount_minor)
        if not reserved:
            raise Refused("budget_exhausted", _l("The budget for this period cannot cover this request."),
                          kind="conflict")
        taken = await Stipend.filter(id=stipend.id, status="pending").using_db(connection) \
            .update(status="approved", budget_id=budget.id, reason=reason, month=_month_of(now().date()))
        if not taken:
            raise Refused("not_pending", _l("This request is no longer waiting for a decision."), kind="conflict")
        await StipendEvent.create(stipend=stipend, actor=admin, action="approved",
                                  detail=reason, using_db=connection)
    return await visible(admin, stipend_id)


# Mobile data that renews itself -------------------------------------------------------------------

MOST_MONTHS = 12


def _months(raw, kind: str) -> int:
    try:
        months = int(raw or 1)
    except (TypeError, ValueError):
        months = 0
    if not 1 <= months <= MOST_MONTHS:
        raise Refused("invalid_months", _l("Choose from 1 to %(max)s months."), field="months", max=MOST_MONTHS)
    if months > 1 and kind != "data":
        raise Refused("not_monthly", _l("Only mobile data renews month by month."), field="months")
    return months


def _month_of(day: date) -> str:
    return day.strftime("%Y-%m")


def _months_since(month: str, day: date) -> int:
    year, number = map(int, month.split("-"))
    return (day.year - year) * 12 + day.month - number


class _NotCovered(Exception):
    pass


async def renew_monthly(on: date | None = None) -> int:
    """This month's renewal of every monthly data stipend still running: approved, within its months,
    not stopped, its member still an active member. Each renewal is a stipend of its own, reserved in
    this month's budget by the same conditional update as an approval (never overspent), and made
    once: a month that already has its renewal, or that the budget cannot cover, makes none."""
    on = on or now().date()
    month, renewed = _month_of(on), 0
    running = await Stipend.filter(kind="data", months__gt=1, renewal_of_id__isnull=True, month__not_isnull=True,
                                   status__in=["approved", "paid"], stopped_at__isnull=True,
                                   member__status="active").prefetch_related("fund")
    for first in running:
        if not 1 <= _months_since(first.month, on) < first.months or \
                await Stipend.filter(renewal_of=first, month=month).exists():
            continue
        budget = await _budget_for(first.fund_id, on)
        if budget is None:
            continue
        try:
            async with in_transaction() as connection:
                if not await Budget.filter(id=budget.id, reserved_minor__lte=F("amount_minor") - first.amount_minor) \
                        .using_db(connection).update(reserved_minor=F("reserved_minor") + first.amount_minor):
                    raise _NotCovered
                renewal = await Stipend.create(
                    member_id=first.member_id, fund_id=first.fund_id, budget=budget, kind="data",
                    amount_minor=first.amount_minor, currency=first.currency, purpose=first.purpose, link=first.link,
                    payout_method=first.payout_method, payout_details=first.payout_details, region=first.region,
                    status="approved", renewal_of=first, month=month, using_db=connection)
                await StipendEvent.create(stipend=renewal, actor=None, system=True, action="renewed", detail=month,
                                          using_db=connection)
        except (_NotCovered, IntegrityError):
            continue  # the budget is spent (it may be raised later this month), or another worker renewed it
        renewed += 1
    return renewed


async def renewal_job(rt) -> int:
    return await renew_monthly()


async def stop(member: Member, stipend_id: int) -> Stipend:
    """The member's monthly data stops renewing (what was paid stays paid)."""
    stipend = await visible(member, stipend_id)
    if stipend.member_id != member.id or stipend.months < 2 or stipend.renewal_of_id is not None:
        raise Refused("not_monthly", _l("Only mobile data renews month by month."), kind="conflict")
    if await Stipend.filter(id=stipend.id, stopped_at__isnull=True).update(stopped_at=now()):
        await _event(stipend, member, "stopped")
    return await visible(member, stipend_id)


async def renewals_of(stipend: Stipend) -> list[Stipend]:
    return await Stipend.filter(renewal_of=stipend).order_by("month")


async def mark_paid(admin: Member, stipend_id: int, reference: str) -> Stipend:
    stipend = await visible(admin, stipend_id)
    reference = (reference or "").strip()
    if not 1 <= len(reference) <= 100:
        raise Refused("reference_required", _l("Give the payment's reference."), field="reference")
    moment = now()
    if not await Stipend.filter(id=stipend.id, status="approved").update(
            status="paid", paid_reference=sealed(Stipend, "paid_reference", stipend.id, reference), paid_at=moment,
            closed_at=moment):
        raise Refused("not_approved", _l("Only an approved request can be marked paid."), kind="conflict")
    await _event(stipend, admin, "paid")
    return await visible(admin, stipend_id)


async def events(stipend: Stipend) -> list[StipendEvent]:
    return await StipendEvent.filter(stipend=stipend).order_by("id").select_related("actor")


# Donor reports -------------------------------------------------------------------------------------

async def report(fund_id: int, k: int = REPORT_K) -> dict:
    """Approved and paid spending per kind, budget period and region: no pseudonyms. Published through
    the one egress (network.core.disclosure) with the periods' reserved totals as part of the same
    table: a group of fewer than k people, and any figure the rest would give away, is hidden. A
    request whose member has since erased their account still counts as one person."""
    fund = await Fund.get_or_none(id=fund_id)
    if fund is None:
        raise Refused("not_found", _l("That fund was not found."), kind="not_found")
    rows = await (Stipend.filter(fund=fund, status__in=["approved", "paid"], budget_id__not_isnull=True)
                  .values("kind", "budget_id", "region", "member_id", "organisation_id", "amount_minor"))
    budgets = {b.id: b for b in await Budget.filter(fund=fund)}
    people: dict = {}
    amounts: dict = {}
    for row in rows:
        cell = (row["budget_id"], row["kind"], row["region"] or "unsaid")
        # Erased members (no member id any more) are each one person, like everyone else; a grant's
        # recipient is its organisation, shown beside the stipends and suppressed the same way.
        recipient = ("organisation", row["organisation_id"]) if row["organisation_id"] is not None else \
            row["member_id"] if row["member_id"] is not None else object()
        people.setdefault(cell, set()).add(recipient)
        amounts[cell] = amounts.get(cell, 0) + row["amount_minor"]
    table = Table(values={}, counts=set())
    for cell, members in people.items():
        table.values[(*cell, "people")] = len(members)
        table.counts.add((*cell, "people"))
        table.values[(*cell, "amount")] = amounts[cell]
    for budget_id, budget in budgets.items():
        table.values[(budget_id, "reserved")] = budget.reserved_minor
        parts = [(*cell, "amount") for cell in people if cell[0] == budget_id]
        if parts:
            table.sums.append((parts, (budget_id, "reserved")))
    # An amount tells as much about a small group as its head count: it goes with it.
    first = {(*cell, "amount") for cell, members in people.items() if 0 < len(members) < k}
    values = shown(table, protect(table, k, also=first))
    cells = []
    for cell in sorted(people, key=lambda c: (c[0], c[1], c[2])):
        budget = budgets.get(cell[0])
        amount = values[(*cell, "amount")]
        cells.append({"kind": cell[1], "period": f"{budget.period_start}/{budget.period_end}" if budget else "",
                      "region": cell[2], "people": values[(*cell, "people")],
                      "amount": None if amount is None else str(from_minor(amount, fund.currency))})
    return {"fund": fund.name, "donor": fund.donor_label, "currency": fund.currency, "k": k, "cells": cells,
            "budgets": [{"period": f"{b.period_start}/{b.period_end}",
                         "amount": str(from_minor(b.amount_minor, fund.currency)),
                         "reserved": None if values[(b.id, "reserved")] is None
                         else str(from_minor(b.reserved_minor, fund.currency))} for b in budgets.values()]}
