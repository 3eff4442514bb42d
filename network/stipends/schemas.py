"""JSON bodies of the stipends API."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field

from network.core.schemas import Body


class FundBody(Body):
    name: str = Field(min_length=1, max_length=200)
    currency: str = Field(min_length=3, max_length=3)
    donor_label: str = Field(default="", max_length=200)
    receipt_threshold: str = Field(default="0", max_length=20)
    two_approver_threshold: str = Field(default="0", max_length=20)
    caps: dict[str, str] = Field(default_factory=dict)


class BudgetBody(Body):
    period_start: date
    period_end: date
    amount: str = Field(max_length=20)


class StipendBody(Body):
    fund_id: int
    kind: Literal["travel", "data", "time_off"]
    amount: str = Field(max_length=20, description="A decimal string, e.g. 12.50")
    currency: str | None = Field(default=None, max_length=3)
    purpose: str = Field(max_length=2000)
    link: str = Field(default="", max_length=500)
    payout_method: Literal["mobile_money", "bank", "cash_partner"]
    payout_details: str = Field(max_length=2000)


class DecisionBody(Body):
    decision: Literal["approve", "reject"]
    reason: str = Field(default="", max_length=2000)


class PaidBody(Body):
    reference: str = Field(min_length=1, max_length=200)
