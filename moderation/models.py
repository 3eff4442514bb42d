"""Reports, claims, sanctions, appeals, notices to members, watched words, the log and notes."""

from __future__ import annotations

from datetime import timedelta

from tortoise import fields
from tortoise.expressions import Q
from tortoise.models import Model

from network.core.append_only import AppendOnlyModel
from network.core.crypto import EncryptedModel, EncryptedTextField
from network.core.personal import DELETE, SCRUB, UNLINK, Keep, Link, Privacy

REASONS = ("self_harm", "identity", "harassment", "infiltrator", "spam", "other")
# Risk of harm and exposed identities come first; then the oldest.
PRIORITY = {"self_harm": 0, "identity": 0, "harassment": 1, "infiltrator": 1, "spam": 2, "other": 2}
SANCTIONS = ("warn", "mute", "remove", "suspend")
WORD_ACTIONS = ("block", "hold", "flag")


def _old_notices(settings, now):
    return Q(created_at__lt=now - timedelta(days=settings.notice_days))


class Report(EncryptedModel):
    id = fields.IntField(primary_key=True)
    reporter = fields.ForeignKeyField("network.Member", related_name="reports_made", null=True,
                                      on_delete=fields.SET_NULL)
    target = fields.CharField(max_length=8)  # message, member or text
    message = fields.ForeignKeyField("messaging.Message", related_name="reports", null=True, on_delete=fields.SET_NULL)
    member = fields.ForeignKeyField("network.Member", related_name="reports_about", null=True,
                                    on_delete=fields.SET_NULL)
    text_id = fields.IntField(null=True)  # a consultation answer, reviewed through its own source
    reason = fields.CharField(max_length=12)
    note = EncryptedTextField(purpose="report.note", default="")
    priority = fields.IntField(default=2)
    status = fields.CharField(max_length=10, default="open")  # open, resolved
    outcome = fields.CharField(max_length=12, null=True)       # action_taken, no_action
    created_at = fields.DatetimeField(auto_now_add=True)
    resolved_at = fields.DatetimeField(null=True)

    privacy = Privacy(
        personal=("note",),
        operational=("id", "target", "message", "text_id", "reason", "priority", "status", "outcome", "created_at",
                     "resolved_at"),
        reference=("reporter", "member"),
        # A report keeps what was reported and its outcome; its maker's words and name go.
        links=(Link("reporter_id", SCRUB, export="reports_made"), Link("member_id", UNLINK)),
    )

    class Meta:
        table = "mod_report"


class Claim(Model):
    """A moderator working on a queue item, so others see it is taken."""

    id = fields.IntField(primary_key=True)
    kind = fields.CharField(max_length=8)
    item_id = fields.IntField()
    moderator = fields.ForeignKeyField("network.Member", related_name="claims", on_delete=fields.CASCADE)
    escalated = fields.BooleanField(default=False)
    claimed_at = fields.DatetimeField(auto_now_add=True)

    privacy = Privacy(operational=("id", "kind", "item_id", "escalated", "claimed_at"), reference=("moderator",),
                      links=(Link("moderator_id", DELETE),))

    class Meta:
        table = "mod_claim"
        unique_together = (("kind", "item_id"),)


class Sanction(EncryptedModel):
    id = fields.IntField(primary_key=True)
    member = fields.ForeignKeyField("network.Member", related_name="sanctions", on_delete=fields.CASCADE)
    kind = fields.CharField(max_length=8)
    room = fields.ForeignKeyField("messaging.Room", related_name="sanctions", null=True, on_delete=fields.CASCADE)
    until = fields.DatetimeField(null=True)  # null: until lifted
    reason = EncryptedTextField()
    by = fields.ForeignKeyField("network.Member", related_name="sanctions_given", null=True, on_delete=fields.SET_NULL)
    created_at = fields.DatetimeField(auto_now_add=True)
    lifted_at = fields.DatetimeField(null=True)

    privacy = Privacy(
        personal=("reason",), operational=("id", "kind", "room", "until", "created_at", "lifted_at"),
        reference=("member", "by"),
        links=(Link("member_id", DELETE, export="actions_about_me"), Link("by_id", UNLINK)),
    )

    class Meta:
        table = "mod_sanction"


class Appeal(EncryptedModel):
    id = fields.IntField(primary_key=True)
    sanction = fields.OneToOneField("moderation.Sanction", related_name="appeal", on_delete=fields.CASCADE)
    text = EncryptedTextField(purpose="appeal.text", default="")
    status = fields.CharField(max_length=10, default="open")  # open, upheld, overturned
    decided_by = fields.ForeignKeyField("network.Member", related_name="appeals_decided", null=True,
                                        on_delete=fields.SET_NULL)
    decision_reason = fields.TextField(default="")
    created_at = fields.DatetimeField(auto_now_add=True)
    decided_at = fields.DatetimeField(null=True)

    privacy = Privacy(
        personal=("text", "decision_reason"), operational=("id", "sanction", "status", "created_at", "decided_at"),
        reference=("decided_by",),
        links=(Link("sanction__member_id", DELETE, export="appeals"), Link("decided_by_id", UNLINK)),
    )

    class Meta:
        table = "mod_appeal"


class Notice(EncryptedModel):
    """What a member is told: an action about them and its reason, or the outcome of their report."""

    id = fields.IntField(primary_key=True)
    member = fields.ForeignKeyField("network.Member", related_name="notices", on_delete=fields.CASCADE)
    kind = fields.CharField(max_length=24)
    reason = EncryptedTextField(default="")
    sanction = fields.ForeignKeyField("moderation.Sanction", related_name="notices", null=True,
                                      on_delete=fields.SET_NULL)
    created_at = fields.DatetimeField(auto_now_add=True)
    read_at = fields.DatetimeField(null=True)

    privacy = Privacy(
        personal=("reason",), operational=("id", "kind", "sanction", "created_at", "read_at"), reference=("member",),
        links=(Link("member_id", DELETE, export="notices"),), keep=(Keep("old notices", _old_notices),),
    )

    class Meta:
        table = "mod_notice"


class WatchedWord(Model):
    id = fields.IntField(primary_key=True)
    locale = fields.CharField(max_length=8)
    word = fields.CharField(max_length=100)
    action = fields.CharField(max_length=6, default="hold")
    created_at = fields.DatetimeField(auto_now_add=True)

    privacy = Privacy(operational=("id", "locale", "word", "action", "created_at"))

    class Meta:
        table = "mod_watched_word"
        unique_together = (("locale", "word"),)


class LogEntry(AppendOnlyModel):
    """The moderator log: written once, never changed or deleted by the application."""

    id = fields.IntField(primary_key=True)
    actor = fields.ForeignKeyField("network.Member", related_name="log_entries", null=True, on_delete=fields.SET_NULL)
    # No name is copied here: the actor is shown by their current pseudonym, "a former member" once erased.
    system = fields.BooleanField(default=False, db_default=False)  # db_default: rows that exist when it is added
    # The member the action was about: erasing them keeps the action, not the words about them.
    subject = fields.ForeignKeyField("network.Member", related_name="log_entries_about", null=True,
                                     on_delete=fields.SET_NULL)
    action = fields.CharField(max_length=24)
    target = fields.CharField(max_length=200)
    reason = fields.TextField(default="")
    created_at = fields.DatetimeField(auto_now_add=True)

    privacy = Privacy(
        personal=("reason",), operational=("id", "system", "action", "target", "created_at"),
        reference=("actor", "subject"),
        links=(Link("actor_id", UNLINK), Link("subject_id", SCRUB)),
    )

    class Meta:
        table = "mod_log"


class Note(EncryptedModel):
    id = fields.IntField(primary_key=True)
    member = fields.ForeignKeyField("network.Member", related_name="mod_notes", on_delete=fields.CASCADE)
    author = fields.ForeignKeyField("network.Member", related_name="mod_notes_written", null=True,
                                    on_delete=fields.SET_NULL)
    text = EncryptedTextField(purpose="moderator_note.text")
    created_at = fields.DatetimeField(auto_now_add=True)

    privacy = Privacy(personal=("text",), operational=("id", "created_at"), reference=("member", "author"),
                      links=(Link("member_id", DELETE), Link("author_id", UNLINK)))

    class Meta:
        table = "mod_note"
