"""Partner organisations and the members who represent them."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from network.core.personal import DELETE, UNLINK, Link, Privacy

ORGANISATION_KINDS = ("womens_rights", "survivor_led", "other")


class Organisation(Model):
    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=120, unique=True)
    kind = fields.CharField(max_length=14, default="other")
    country = fields.CharField(max_length=2)
    languages = fields.JSONField(default=list)
    profile = fields.TextField(default="")  # what it does, in its own words (Markdown)
    active = fields.BooleanField(default=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    privacy = Privacy(operational=("id", "name", "kind", "country", "languages", "profile", "active", "created_at"))

    class Meta:
        table = "organisation"


class Representative(Model):
    """A member who acts for an organisation: answers consultations on its behalf, applies for its
    grants, runs its rooms and meetings. Shown only to administrators and the other representatives."""

    id = fields.IntField(primary_key=True)
    organisation = fields.ForeignKeyField("network.Organisation", related_name="representatives",
                                          on_delete=fields.CASCADE)
    member = fields.ForeignKeyField("network.Member", related_name="representing", on_delete=fields.CASCADE)
    added_by = fields.ForeignKeyField("network.Member", related_name="representatives_added", null=True,
                                      on_delete=fields.SET_NULL)
    created_at = fields.DatetimeField(auto_now_add=True)

    privacy = Privacy(operational=("id", "organisation", "created_at"), reference=("member", "added_by"),
                      links=(Link("member_id", DELETE, export="representing",
                                  shows=(("organisation_name", "organisation__name"),)),
                             Link("added_by_id", UNLINK)))

    class Meta:
        table = "organisation_representative"
        unique_together = (("organisation", "member"),)
