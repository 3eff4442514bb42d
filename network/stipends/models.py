"""Stipends: funds with budgets per period, requests, approvals and their audit trail."""

from __future__ import annotations

from datetime import timedelta

from tortoise import fields
from tortoise.expressions import Q
from tortoise.models import Model

from network.core.crypto import EncryptedModel, EncryptedTextField
from network.core.personal import SCRUB, UNLINK, Keep, Link, Privacy

# An honorarium pays a survivor representative who speaks at a meeting; a fund pays it only under a cap of its own.
STIPEND_KINDS = ("travel", "data", "time_off", "honorarium")
CAPPED_ONLY = ("honorarium",)
PAYOUT_METHODS = ("mobile_money", "bank", "cash_partner")
CLOSED = ("paid", "rejected", "cancelled")
# Money to a partner organisation (network.grants): a stipend with no member, for the organisation.
GRANT = "grant"
# What the fund's books keep of a decided request once its member is erased.
BOOKED = ("approved", "paid")


def _closed_payouts(settings, now):
    return Q(status__in=CLOSED, closed_at__lt=now - timedelta(days=settings.payout_retention_days),
             payout_details__not_isnull=True)


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
    # A grant to an organisation up to this amount is small: no budget table, no receipts, a report of
    # three questions; above it, the budget, receipts and two approvers (network.grants).
    small_grant_minor = fields.BigIntField(default=0, db_default=0)
    caps = fields.JSONField(default=dict)  # {"travel": minor units, ...}
    created_at = fields.DatetimeField(auto_now_add=True)

    privacy = Privacy(operational=("id", "name", "currency", "donor_label", "receipt_threshold_minor",
                                   "two_approver_threshold_minor", "small_grant_minor", "caps", "created_at"))

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

    privacy = Privacy(operational=("id",), aggregate=("fund", "period_start", "period_end", "amount_minor",
                                                      "reserved_minor"))

    class Meta:
        table = "fund_budget"


class Stipend(EncryptedModel):
    id = fields.IntField(primary_key=True)
    member = fields.ForeignKeyField("network.Member", related_name="stipends", null=True, on_delete=fields.SET_NULL)
    # A grant's: who receives it is the organisation, never the representative who applied.
    organisation = fields.ForeignKeyField("network.Organisation", related_name="stipends", null=True,
                                          on_delete=fields.RESTRICT)
    fund = fields.ForeignKeyField("network.Fund", related_name="stipends", on_delete=fields.RESTRICT)
    budget = fields.ForeignKeyField("network.Budget", related_name="stipends", null=True, on_delete=fields.SET_NULL)
    kind = fields.CharField(max_length=10)
    amount_minor = fields.BigIntField()
    currency = fields.CharField(max_length=3)
    purpose = EncryptedTextField()  # at most 500 characters (service)
    link = fields.CharField(max_length=200, default="")  # a consultation or event it is for
    payout_method = fields.CharField(max_length=14)
    payout_details = EncryptedTextField(purpose="stipend.payout_details", null=True)
    receipt_needed = fields.BooleanField(default=False)
    region = fields.CharField(max_length=8, default="")  # kept for donor reports; no pseudonym goes there
    # pending, approved, rejected, cancelled, paid
    status = fields.CharField(max_length=10, default="pending")
    reason = fields.TextField(default="")
    paid_reference = EncryptedTextField(default="")
    paid_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    # When it was paid, rejected or cancelled: its payout details are kept so long after (retention).
    closed_at = fields.DatetimeField(null=True)
    # Mobile data approved once for so many months: each month after the first is a renewal, a
    # stipend of its own (`renewal_of` the first, `month` its month), reserved in that month's budget.
    months = fields.IntField(default=1, db_default=1)  # db_default: the requests there were before
    renewal_of = fields.ForeignKeyField("network.Stipend", related_name="renewals", null=True,
                                        on_delete=fields.CASCADE)
    month = fields.CharField(max_length=7, null=True)  # 2027-03
    stopped_at = fields.DatetimeField(null=True)  # the member asked it to stop renewing

    privacy = Privacy(
        identifying=("payout_details", "paid_reference"),
        personal=("purpose", "link", "payout_method", "region", "reason"),
        operational=("id", "receipt_needed", "created_at", "closed_at", "months", "renewal_of", "month",
                     "stopped_at"),
        aggregate=("fund", "budget", "kind", "amount_minor", "currency", "status", "paid_at", "organisation"),
        reference=("member",),
        # Decided requests stay in the fund's books with only what accounting needs; the rest go.
        links=(Link("member_id", keep={"status__in": BOOKED}, export="stipends", shows=(("fund_name", "fund__name"),)),),
        keep=(Keep("payout details of closed requests", _closed_payouts, clear=("payout_details",)),),
    )

    class Meta:
        table = "stipend"
        unique_together = (("renewal_of", "month"),)  # a month renews once, however many workers try


class StipendApproval(Model):
    id = fields.IntField(primary_key=True)
    stipend = fields.ForeignKeyField("network.Stipend", related_name="approvals", on_delete=fields.CASCADE)
    admin = fields.ForeignKeyField("network.Member", related_name="stipend_approvals", null=True,
                                   on_delete=fields.SET_NULL)
    created_at = fields.DatetimeField(auto_now_add=True)

    privacy = Privacy(operational=("id", "stipend", "created_at"), reference=("admin",),
                      links=(Link("admin_id", UNLINK),))

    class Meta:
        table = "stipend_approval"
        unique_together = (("stipend", "admin"),)


class StipendEvent(Model):
    """The audit trail: every change of a request, who made it and when."""

    id = fields.IntField(primary_key=True)
    stipend = fields.ForeignKeyField("network.Stipend", related_name="events", on_delete=fields.CASCADE)
    actor = fields.ForeignKeyField("network.Member", related_name="stipend_events", null=True,
                                   on_delete=fields.SET_NULL)
    # No name is copied here: a member is shown by id, as "a former member" once erased.
    system = fields.BooleanField(default=False, db_default=False)  # db_default: rows that exist when it is added
    action = fields.CharField(max_length=20)
    detail = fields.TextField(default="")
    created_at = fields.DatetimeField(auto_now_add=True)

    privacy = Privacy(
        personal=("detail",), operational=("id", "stipend", "system", "action", "created_at"), reference=("actor",),
        links=(Link("stipend__member_id", SCRUB, export="stipend_history"), Link("actor_id", UNLINK)),
    )

    class Meta:
        table = "stipend_event"
