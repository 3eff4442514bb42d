"""Rooms, who is in them, and their messages."""

from __future__ import annotations

from datetime import timedelta

from tortoise import fields
from tortoise.expressions import Q
from tortoise.models import Model

from network.core.crypto import EncryptedModel, EncryptedTextField
from network.core.personal import DELETE, UNLINK, Keep, Link, Privacy

KINDS = ("open", "invite", "premod", "support")
RETENTION = {"keep": None, "30d": 30 * 86400, "7d": 7 * 86400, "24h": 86400}
AGE_GROUPS = ("adults", "minors", "all")
BODY_MAX, WARNING_MAX = 2000, 200


def _disappeared(settings, now):
    return Q(expires_at__lt=now)


def _never_decided(settings, now):
    return Q(status="held", created_at__lt=now - timedelta(days=settings.held_message_days))


def _old_events(settings, now):
    return Q(created_at__lt=now - timedelta(days=settings.room_log_days))


class Room(Model):
    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=80)
    description = fields.CharField(max_length=500, default="")
    language = fields.CharField(max_length=8, default="en")
    region = fields.CharField(max_length=8, null=True)
    kind = fields.CharField(max_length=8, default="open")
    retention = fields.CharField(max_length=4, default="keep")
    slow_mode_seconds = fields.IntField(default=0)
    age_group = fields.CharField(max_length=8, default="adults")
    # A support room is between the moderators and this one member.
    support_member = fields.ForeignKeyField("network.Member", related_name="support_rooms", null=True,
                                            on_delete=fields.CASCADE)
    created_by = fields.ForeignKeyField("network.Member", related_name="rooms_created", null=True,
                                        on_delete=fields.SET_NULL)
    # A partner organisation that hosts it (its representative opened it); the network's moderators
    # safeguard it as every other room.
    organisation = fields.ForeignKeyField("network.Organisation", related_name="rooms", null=True,
                                          on_delete=fields.SET_NULL)
    created_at = fields.DatetimeField(auto_now_add=True)
    # The sequence of the room's latest event, raised under the row's lock in each change's own
    # transaction: events are numbered without gaps, in the order they commit.
    last_seq = fields.BigIntField(default=0)

    privacy = Privacy(
        operational=("id", "name", "description", "language", "region", "kind", "retention", "slow_mode_seconds",
                     "age_group", "organisation", "created_at", "last_seq"),
        reference=("support_member", "created_by"),
        links=(Link("support_member_id", DELETE), Link("created_by_id", UNLINK)),
    )

    class Meta:
        table = "room"


class Membership(Model):
    id = fields.IntField(primary_key=True)
    room = fields.ForeignKeyField("messaging.Room", related_name="memberships", on_delete=fields.CASCADE)
    member = fields.ForeignKeyField("network.Member", related_name="memberships", on_delete=fields.CASCADE)
    joined_at = fields.DatetimeField(auto_now_add=True)

    privacy = Privacy(operational=("id", "room", "joined_at"), reference=("member",),
                      links=(Link("member_id", DELETE, export="rooms", shows=(("room_name", "room__name"),)),))

    class Meta:
        table = "room_membership"
        unique_together = (("room", "member"),)


class Message(EncryptedModel):
    id = fields.IntField(primary_key=True)
    room = fields.ForeignKeyField("messaging.Room", related_name="messages", on_delete=fields.CASCADE)
    # Null once the author erased their account and chose to leave their words as "a former member".
    author = fields.ForeignKeyField("network.Member", related_name="messages", null=True, on_delete=fields.SET_NULL)
    body = EncryptedTextField()
    content_warning = EncryptedTextField(default="")
    reply_to = fields.ForeignKeyField("messaging.Message", related_name="replies", null=True,
                                      on_delete=fields.SET_NULL)
    # The sender's id for this message: sending it twice stores it once.
    client_id = fields.CharField(max_length=64, null=True)
    # visible, held (waiting for a moderator), hidden (by a moderator) or deleted (by its author).
    status = fields.CharField(max_length=8, default="visible")
    held_reason = fields.CharField(max_length=200, default="")
    edited_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    expires_at = fields.DatetimeField(null=True, db_index=True)
    # The room event at which others first saw it (null while it has never been shown): the
    # room's history is in this order, the order every reader saw.
    seq = fields.BigIntField(null=True)

    privacy = Privacy(
        personal=("body", "content_warning"),
        operational=("id", "room", "reply_to", "client_id", "status", "held_reason", "edited_at", "created_at",
                     "expires_at", "seq"),
        reference=("author",),
        # The member chooses: their messages go, or stay as from "a former member".
        links=(Link("author_id", DELETE, kept=UNLINK, export="messages", shows=(("room_name", "room__name"),)),),
        keep=(Keep("disappearing messages", _disappeared), Keep("held messages never decided", _never_decided)),
    )

    class Meta:
        table = "room_message"
        unique_together = (("room", "author", "client_id"),)
        indexes = (("room_id", "id"), ("room_id", "seq"))


EVENT_KINDS = ("message", "edited", "hidden", "deleted", "redacted")


class RoomEvent(Model):
    """One change others can see in a room: a message shown, edited, hidden, deleted or redacted.

    The log is what every reader catches up from; what the event shows is read from the message
    as it is now, so a message hidden since is never shown again to anyone."""

    id = fields.BigIntField(primary_key=True)
    room = fields.ForeignKeyField("messaging.Room", related_name="events", on_delete=fields.CASCADE)
    seq = fields.BigIntField()
    kind = fields.CharField(max_length=8)
    # No foreign key: the event outlives a message deleted for retention or erasure.
    message_id = fields.BigIntField()
    created_at = fields.DatetimeField(auto_now_add=True)

    privacy = Privacy(operational=("id", "room", "seq", "kind", "message_id", "created_at"),
                      keep=(Keep("old room events", _old_events),))

    class Meta:
        table = "room_event"
        unique_together = (("room", "seq"),)
