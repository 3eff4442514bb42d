"""The network's models: members, invitations, recovery codes and sessions."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from network.crypto import EncryptedTextField

ROLES = ("member", "moderator", "policymaker", "admin")
DURESS_ACTIONS = ("none", "hide", "erase", "alert")
VISIBILITY = ("nobody", "rooms", "members")
AGE_BANDS = ("under18", "18-24", "25-34", "35-49", "50plus", "unsaid")


class Member(Model):
    id = fields.IntField(primary_key=True)
    pseudonym = fields.CharField(max_length=64)
    # Case-folded NFKC form: pseudonyms are unique without regard to case.
    pseudonym_key = fields.CharField(max_length=128, unique=True)
    # Look-alike skeleton: two pseudonyms that look the same share it.
    skeleton = fields.CharField(max_length=128, unique=True)
    passphrase_hash = fields.CharField(max_length=255)
    role = fields.CharField(max_length=16, default="member")
    # active; hidden (after a duress login, until the member shows it again); or decoy: the
    # throwaway account a duress passphrase opens, which shares nothing with the real one.
    status = fields.CharField(max_length=16, default="active")
    avatar = fields.CharField(max_length=32, default="leaf")
    languages = fields.JSONField(default=list)
    region = fields.CharField(max_length=8, default="")
    age_band = fields.CharField(max_length=8, default="unsaid")
    bio = EncryptedTextField(purpose="member.bio", default="")
    locale = fields.CharField(max_length=8, null=True)
    visibility = fields.CharField(max_length=8, default="nobody")
    invited_by = fields.ForeignKeyField(
        "network.Member", related_name="invitees", null=True, on_delete=fields.SET_NULL
    )
    # Discreet mode: a neutral title, icon and app name on every page.
    discreet = fields.BooleanField(default=False)
    # A second passphrase that opens a decoy, and what it silently does besides.
    duress_hash = fields.CharField(max_length=255, null=True)
    duress_action = fields.CharField(max_length=8, default="none")
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "member"


class Invitation(Model):
    id = fields.IntField(primary_key=True)
    code_hash = fields.CharField(max_length=64, unique=True)
    role = fields.CharField(max_length=16, default="member")
    max_uses = fields.IntField(default=1)
    uses = fields.IntField(default=0)
    expires_at = fields.DatetimeField()
    revoked_at = fields.DatetimeField(null=True)
    created_by = fields.ForeignKeyField(
        "network.Member", related_name="invitations", null=True, on_delete=fields.CASCADE
    )
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "invitation"


class RecoveryCode(Model):
    id = fields.IntField(primary_key=True)
    member = fields.ForeignKeyField("network.Member", related_name="recovery_codes", on_delete=fields.CASCADE)
    code_hash = fields.CharField(max_length=64, unique=True)
    used_at = fields.DatetimeField(null=True)

    class Meta:
        table = "recovery_code"


class Session(Model):
    id = fields.IntField(primary_key=True)
    token_hash = fields.CharField(max_length=64, unique=True)
    member = fields.ForeignKeyField("network.Member", related_name="sessions", on_delete=fields.CASCADE)
    csrf_token = fields.CharField(max_length=64)
    device = fields.CharField(max_length=64, default="")
    created_at = fields.DatetimeField()
    last_seen_at = fields.DatetimeField()

    class Meta:
        table = "session"


class SafetyAlert(Model):
    """A private alert for the moderators' queue, e.g. raised silently by a duress login."""

    id = fields.IntField(primary_key=True)
    member = fields.ForeignKeyField("network.Member", related_name="safety_alerts", null=True,
                                    on_delete=fields.SET_NULL)
    kind = fields.CharField(max_length=16, default="duress")
    note = EncryptedTextField(purpose="safety_alert.note", default="")
    status = fields.CharField(max_length=16, default="open")
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "safety_alert"


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
