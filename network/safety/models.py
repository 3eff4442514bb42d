"""What safety keeps: private alerts for the moderators."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from network.core.crypto import EncryptedTextField


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
