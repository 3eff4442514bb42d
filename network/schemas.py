"""JSON bodies of the network's API, validated by pydantic and described in the OpenAPI document."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Role = Literal["member", "moderator", "policymaker", "admin"]


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid", str_max_length=4000)


class RegisterBody(Body):
    invite_code: str = Field(min_length=1, max_length=64)
    pseudonym: str = Field(min_length=1, max_length=128)
    passphrase: str = Field(min_length=1, max_length=1024)


class LoginBody(Body):
    pseudonym: str = Field(min_length=1, max_length=128)
    passphrase: str = Field(min_length=1, max_length=1024)


class RecoverBody(Body):
    pseudonym: str = Field(min_length=1, max_length=128)
    recovery_code: str = Field(min_length=1, max_length=64)
    new_passphrase: str = Field(min_length=1, max_length=1024)


class PassphraseBody(Body):
    current_passphrase: str = Field(min_length=1, max_length=1024)
    new_passphrase: str = Field(min_length=1, max_length=1024)


class ProfilePatch(Body):
    avatar: str | None = Field(default=None, max_length=32)
    languages: list[str] | None = Field(default=None, max_length=10)
    region: str | None = Field(default=None, max_length=8)
    age_band: str | None = Field(default=None, max_length=8)
    bio: str | None = Field(default=None, max_length=2000)
    locale: str | None = Field(default=None, max_length=8)
    visibility: Literal["nobody", "rooms", "members"] | None = None


class EraseBody(Body):
    passphrase: str = Field(min_length=1, max_length=1024)
    messages: Literal["delete", "anonymise"] = "delete"


class InvitationBody(Body):
    role: Role = "member"
    uses: int = Field(default=1, ge=1, le=500)
    days: int = Field(default=7, ge=1, le=90)


class RoleBody(Body):
    role: Role


class DuressBody(Body):
    passphrase: str = Field(min_length=1, max_length=1024)
    action: Literal["none", "hide", "erase", "alert"]


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
