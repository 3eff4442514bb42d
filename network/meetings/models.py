"""Meetings: consultation meetings, trainings and gatherings, online or in person, and the places
members ask for in them."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from network.core.crypto import EncryptedModel, EncryptedTextField
from network.core.personal import DELETE, UNLINK, Link, Privacy

MEETING_KINDS = ("consultation", "training", "gathering")
PLACE_STATUSES = ("asked", "accepted", "waiting", "declined", "cancelled")


class Meeting(EncryptedModel):
    id = fields.IntField(primary_key=True)
    organiser = fields.ForeignKeyField("network.Member", related_name="meetings_organised", null=True,
                                       on_delete=fields.SET_NULL)
    kind = fields.CharField(max_length=12)
    title = fields.CharField(max_length=200)
    summary = fields.TextField(default="")
    agenda = fields.TextField(default="")
    outcome = fields.TextField(default="")  # the organiser's note once it was held
    online = fields.BooleanField(default=False)
    city = fields.CharField(max_length=80, default="")  # in person: all anyone sees before being accepted
    # Where exactly, or how to join: for those accepted (and the organiser) only.
    address = EncryptedTextField(purpose="meeting.address", null=True)
    starts_at = fields.DatetimeField()
    ends_at = fields.DatetimeField()
    time_zone = fields.CharField(max_length=40, default="UTC")  # the meeting's own, shown beside the viewer's
    languages = fields.JSONField(default=list)
    interpretation = fields.JSONField(default=list)  # languages interpreted into
    capacity = fields.IntField()
    # Places taken: raised only by a conditional update the database checks against `capacity`.
    accepted = fields.IntField(default=0)
    # A travel and time-off stipend offered with each accepted place, pre-filled from these.
    fund = fields.ForeignKeyField("network.Fund", related_name="meetings", null=True, on_delete=fields.SET_NULL)
    travel_minor = fields.BigIntField(default=0)
    time_off_minor = fields.BigIntField(default=0)
    status = fields.CharField(max_length=10, default="planned")  # planned, held, cancelled
    # A partner organisation that runs it: its representatives organise it too (service.organises).
    organisation = fields.ForeignKeyField("network.Organisation", related_name="meetings", null=True,
                                          on_delete=fields.SET_NULL)
    created_at = fields.DatetimeField(auto_now_add=True)

    privacy = Privacy(
        # The address reaches the people who meet there: it is sealed, and told only to those with a place.
        identifying=("address",),
        operational=("id", "kind", "title", "summary", "agenda", "outcome", "online", "city", "starts_at",
                     "ends_at", "time_zone", "languages", "interpretation", "capacity", "accepted", "fund",
                     "travel_minor", "time_off_minor", "status", "organisation", "created_at"),
        reference=("organiser",), links=(Link("organiser_id", UNLINK),),
    )

    class Meta:
        table = "meeting"


class Place(Model):
    """A member's place in a meeting: asked, accepted, on the waiting list (in the order they came),
    declined or cancelled; whether they came; the stipend offered with it."""

    id = fields.IntField(primary_key=True)
    meeting = fields.ForeignKeyField("network.Meeting", related_name="places", on_delete=fields.CASCADE)
    member = fields.ForeignKeyField("network.Member", related_name="places", on_delete=fields.CASCADE)
    status = fields.CharField(max_length=10, default="asked")
    waiting_since = fields.DatetimeField(null=True)
    attended = fields.BooleanField(null=True)
    stipend = fields.ForeignKeyField("network.Stipend", related_name="places", null=True, on_delete=fields.SET_NULL)
    created_at = fields.DatetimeField(auto_now_add=True)

    privacy = Privacy(operational=("id", "meeting", "status", "waiting_since", "attended", "stipend", "created_at"),
                      reference=("member",),
                      links=(Link("member_id", DELETE, export="meeting_places",
                                  shows=(("meeting_title", "meeting__title"),)),))

    class Meta:
        table = "meeting_place"
        unique_together = (("meeting", "member"),)
