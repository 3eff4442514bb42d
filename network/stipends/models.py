"""Stipends: funds with budgets per period, requests, approvals and their audit trail."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from network.core.crypto import EncryptedTextField

STIPEND_KINDS = ("travel", "data", "time_off")
PAYOUT_METHODS = ("mobile_money", "bank", "cash_partner")


class Fund(Model):
    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=100)
    currency = fields.CharField(max_length=3)
    donor_label = fields.CharField(max_length=100, default="")
    # Money is held as whole minor units of the currency (cents, or shillings for UGX), so the
    # database does exact integer arithmetic on every backend; Python sees Decimals (network.money).
    # Below this amount no receipt is asked for (the paperwork of small grants is the barrier).
    receipt_threshold_minor = fields.BigIntField(default=0)
    # Above this amount two different administrators must approve.
    two_approver_threshold_minor = fields.BigIntField(default=0)
    caps = fields.JSONField(default=dict)  # {"travel": minor units, ...}
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "fund"


class Budget(Model):
    id = fields.IntField(primary_key=True)
    fund = fields.ForeignKeyField("network.Fund", related_name="budgets", on_delete=fields.CASCADE)
    period_start = fields.DateField()
    period_end = fields.DateField()
    amount_minor = fields.BigIntField()
    # Raised only by a conditional update that the database checks against `amount_minor`.
    reserved_minor = fields.BigIntField(default=0)

    class Meta:
        table = "fund_budget"


class Stipend(Model):
    id = fields.IntField(primary_key=True)
    member = fields.ForeignKeyField("network.Member", related_name="stipends", null=True, on_delete=fields.SET_NULL)
    fund = fields.ForeignKeyField("network.Fund", related_name="stipends", on_delete=fields.RESTRICT)
    budget = fields.ForeignKeyField("network.Budget", related_name="stipends", null=True, on_delete=fields.SET_NULL)
    kind = fields.CharField(max_length=10)
    amount_minor = fields.BigIntField()
    currency = fields.CharField(max_length=3)
    purpose = fields.CharField(max_length=500)
    link = fields.CharField(max_length=200, default="")  # a consultation or event it is for
    payout_method = fields.CharField(max_length=14)
    payout_details = EncryptedTextField(purpose="stipend.payout_details", null=True)
    receipt_needed = fields.BooleanField(default=False)
    region = fields.CharField(max_length=8, default="")  # kept for donor reports; no pseudonym goes there
    # pending, approved, rejected, cancelled, paid
    status = fields.CharField(max_length=10, default="pending")
    reason = fields.TextField(default="")
    paid_reference = fields.CharField(max_length=100, default="")
    paid_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "stipend"


class StipendApproval(Model):
    id = fields.IntField(primary_key=True)
    stipend = fields.ForeignKeyField("network.Stipend", related_name="approvals", on_delete=fields.CASCADE)
    admin = fields.ForeignKeyField("network.Member", related_name="stipend_approvals", null=True,
                                   on_delete=fields.SET_NULL)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "stipend_approval"
        unique_together = (("stipend", "admin"),)


class StipendEvent(Model):
    """The audit trail: every change of a request, who made it and when."""

    id = fields.IntField(primary_key=True)
    stipend = fields.ForeignKeyField("network.Stipend", related_name="events", on_delete=fields.CASCADE)
    actor = fields.ForeignKeyField("network.Member", related_name="stipend_events", null=True,
                                   on_delete=fields.SET_NULL)
    actor_name = fields.CharField(max_length=64)
    action = fields.CharField(max_length=20)
    detail = fields.TextField(default="")
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "stipend_event"
