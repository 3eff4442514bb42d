"""Consultations on policy drafts. Answers hang off a participation token, never a member id."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from network.core.crypto import EncryptedTextField

STATUSES = ("draft", "open", "closed", "published")
KINDS = ("single", "multiple", "scale", "ranking", "text", "comment")
REVIEW = ("pending", "released", "redacted", "withheld")


class Consultation(Model):
    id = fields.IntField(primary_key=True)
    owner = fields.ForeignKeyField("network.Member", related_name="consultations", null=True,
                                   on_delete=fields.SET_NULL)
    status = fields.CharField(max_length=12, default="draft")
    # Texts by locale: {"en": "...", "fr": "..."}; `original_locale` is the fallback.
    original_locale = fields.CharField(max_length=8, default="en")
    title = fields.JSONField(default=dict)
    summary = fields.JSONField(default=dict)
    consent_text = fields.JSONField(default=dict)
    consent_version = fields.IntField(default=1)
    version = fields.IntField(default=1)
    # {"languages": [...], "regions": [...], "age_bands": [...]}; an empty list means everyone.
    audience = fields.JSONField(default=dict)
    k = fields.IntField(default=5)
    opens_at = fields.DatetimeField(null=True)
    closes_at = fields.DatetimeField(null=True)
    outcome_heard = fields.JSONField(default=dict)
    outcome_will_do = fields.JSONField(default=dict)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "consultation"


class Section(Model):
    id = fields.IntField(primary_key=True)
    consultation = fields.ForeignKeyField("consultations.Consultation", related_name="sections",
                                          on_delete=fields.CASCADE)
    position = fields.IntField()
    heading = fields.JSONField(default=dict)
    body = fields.JSONField(default=dict)
    changed_in_version = fields.IntField(default=1)

    class Meta:
        table = "consultation_section"


class Question(Model):
    id = fields.IntField(primary_key=True)
    consultation = fields.ForeignKeyField("consultations.Consultation", related_name="questions",
                                          on_delete=fields.CASCADE)
    position = fields.IntField()
    kind = fields.CharField(max_length=10)
    prompt = fields.JSONField(default=dict)
    required = fields.BooleanField(default=False)
    # Choices and rankings: [{"en": "...", ...}, ...], answered by index.
    options = fields.JSONField(default=list)
    max_choices = fields.IntField(null=True)
    scale_min = fields.IntField(null=True)
    scale_max = fields.IntField(null=True)
    scale_labels = fields.JSONField(default=dict)  # {"low": {...}, "high": {...}}
    max_length = fields.IntField(null=True)
    section = fields.ForeignKeyField("consultations.Section", related_name="comment_questions", null=True,
                                     on_delete=fields.SET_NULL)

    class Meta:
        table = "consultation_question"


class Participation(Model):
    """One member's part in one consultation, under an HMAC token: who it is cannot be read back."""

    id = fields.IntField(primary_key=True)
    consultation = fields.ForeignKeyField("consultations.Consultation", related_name="participations",
                                          on_delete=fields.CASCADE)
    token = fields.CharField(max_length=64)
    consent_version = fields.IntField()
    consented_at = fields.DatetimeField()
    submitted = fields.BooleanField(default=False)
    submitted_at = fields.DatetimeField(null=True)
    read_version = fields.IntField(default=0)
    outcome_seen = fields.BooleanField(default=False)
    # Only when the member agreed to share them, for breakdowns in groups of at least k.
    language = fields.CharField(max_length=8, null=True)
    region = fields.CharField(max_length=8, null=True)
    age_band = fields.CharField(max_length=8, null=True)

    class Meta:
        table = "consultation_participation"
        unique_together = (("consultation", "token"),)


class Answer(Model):
    id = fields.IntField(primary_key=True)
    participation = fields.ForeignKeyField("consultations.Participation", related_name="answers",
                                           on_delete=fields.CASCADE)
    question = fields.ForeignKeyField("consultations.Question", related_name="answers", on_delete=fields.CASCADE)
    option = fields.IntField(null=True)   # single, multiple, ranking
    rank = fields.IntField(null=True)     # ranking: 1 is first
    value = fields.IntField(null=True)    # scale
    text = EncryptedTextField(purpose="consultation_answer.text", null=True)
    review = fields.CharField(max_length=10, null=True)  # free text: pending, released, redacted, withheld
    released_text = EncryptedTextField(purpose="consultation_answer.released", null=True)

    class Meta:
        table = "consultation_answer"
        indexes = (("question_id", "option"),)
