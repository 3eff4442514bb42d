"""What safety keeps: private alerts for the moderators."""

from __future__ import annotations

from tortoise import fields

from network.core.crypto import EncryptedModel, EncryptedTextField
from network.core.personal import DELETE, Link, Privacy


class SafetyAlert(EncryptedModel):
    """A private alert for the moderators' queue, e.g. raised silently by a duress login."""

    id = fields.IntField(primary_key=True)
    member = fields.ForeignKeyField("network.Member", related_name="safety_alerts", null=True,
                                    on_delete=fields.SET_NULL)
    kind = fields.CharField(max_length=16, default="duress")
    note = EncryptedTextField(purpose="safety_alert.note", default="")
    status = fields.CharField(max_length=16, default="open")
    created_at = fields.DatetimeField(auto_now_add=True)

    privacy = Privacy(personal=("note",), operational=("id", "kind", "status", "created_at"), reference=("member",),
                      links=(Link("member_id", DELETE),))

    class Meta:
        table = "safety_alert"
