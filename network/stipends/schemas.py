"""JSON bodies of the stipends API, with the service's own limits."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from network.core.bounds import Id, integer
from network.core.schemas import Amount, Body, DateText, Limit, Line, Text, example
from network.stipends.models import PAYOUT_METHODS, STIPEND_KINDS

Kind = Literal[STIPEND_KINDS]  # type: ignore[valid-type]
Currency = Field(pattern="^[A-Za-z]{3}$", examples=["KES"])


class FundBody(Body):
    model_config = example(name="Participation fund", currency="KES", donor_label="A donor", receipt_threshold="5000", two_approver_threshold="10000", caps={"travel": "20000", "data": "1500"})

    name: Line(2, 100)
    currency: str = Currency
    donor_label: Line(0, 100) = ""
    receipt_threshold: Limit = "0"
    two_approver_threshold: Limit = "0"
    small_grant_threshold: Limit = Field(default="0", description="Grants to organisations up to this amount ask "
                                         "for no budget table, no receipts and a report of three questions.")
    caps: dict[Kind, Amount | Literal[""]] = Field(default_factory=dict)


class BudgetBody(Body):
    model_config = example(period_start="2027-01-01", period_end="2027-03-31", amount="200000")

    period_start: DateText
    period_end: DateText
    amount: Amount


class StipendBody(Body):
    model_config = example(fund_id=1, kind="data", amount="1000", purpose="Mobile data for the consultation", payout_method="mobile_money", payout_details="M-Pesa")

    fund_id: Id
    kind: Kind
    amount: Amount
    currency: str | None = Field(default=None, pattern="^[A-Za-z]{3}$")
    purpose: Text(3, 500, examples=["Bus to the regional meeting"])
    link: Line(0, 200) = ""
    payout_method: Literal[PAYOUT_METHODS]  # type: ignore[valid-type]
    payout_details: Text(3, 500, examples=["M-Pesa"])
    months: integer(1, 12, description="Mobile data only: renewed each month for so many months") = 1


class CompleteBody(Body):
    model_config = example(payout_method="mobile_money", payout_details="M-Pesa")

    payout_method: Literal[PAYOUT_METHODS]  # type: ignore[valid-type]
    payout_details: Text(3, 500, examples=["M-Pesa"])


class DecisionBody(Body):
    model_config = example(decision="reject", reason="This fund does not cover that.")

    decision: Literal["approve", "reject"]
    reason: Text(0, 2000) = ""


class PaidBody(Body):
    model_config = example(reference="MP-123")

    reference: Line(1, 100, examples=["MP-123"])
