"""Consultations on policy drafts. Answers hang off a participation token, never a member id."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from network.core.crypto import EncryptedModel, EncryptedTextField
from network.core.personal import UNLINK, Link, Privacy

# Rows that reach a member only through their participation key (consultations.participation).
_BY_KEY = "consultations.participation:"

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
    # The consent text before its last change: a member who agreed to that one sees what changed.
    consent_previous = fields.JSONField(default=dict)
    version = fields.IntField(default=1)
    # {"languages": [...], "regions": [...], "age_bands": [...]}; an empty list means everyone.
    audience = fields.JSONField(default=dict)
    k = fields.IntField(default=5)
    opens_at = fields.DatetimeField(null=True)
    closes_at = fields.DatetimeField(null=True)
    outcome_heard = fields.JSONField(default=dict)
    outcome_will_do = fields.JSONField(default=dict)
    created_at = fields.DatetimeField(auto_now_add=True)

    privacy = Privacy(
        operational=("id", "status", "original_locale", "title", "summary", "consent_text", "consent_version",
                     "consent_previous", "version", "audience", "k", "opens_at", "closes_at", "outcome_heard",
                     "outcome_will_do", "created_at"),
        reference=("owner",), links=(Link("owner_id", UNLINK),),
    )

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

    privacy = Privacy(operational=("id", "consultation", "position", "heading", "body", "changed_in_version"))

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

    privacy = Privacy(operational=("id", "consultation", "position", "kind", "prompt", "required", "options",
                                   "max_choices", "scale_min", "scale_max", "scale_labels", "max_length", "section"))

    class Meta:
        table = "consultation_question"


class Participation(Model):
    """One member's part in one consultation, under a token only the member's own key can make.

    Nothing here narrows down who: the id is drawn at random (consultations.service), not in
    order; dates are days; the attributes a member agreed to share for breakdowns are not here but in
    SharedAnswer rows that point at no participation (their ids, sealed under the member's key, are
    here so they can be withdrawn)."""

    id = fields.IntField(primary_key=True)
    consultation = fields.ForeignKeyField("consultations.Consultation", related_name="participations",
                                          on_delete=fields.CASCADE)
    token = fields.CharField(max_length=64)
    consent_version = fields.IntField()
    consented_on = fields.DateField(null=True)
    submitted = fields.BooleanField(default=False)
    submitted_on = fields.DateField(null=True)
    read_version = fields.IntField(default=0)
    outcome_seen = fields.BooleanField(default=False)
    share_profile = fields.BooleanField(default=False)
    shared = fields.TextField(null=True)

    privacy = Privacy(
        operational=("id", "consultation", "consent_version", "consented_on", "submitted", "submitted_on",
                     "read_version", "outcome_seen", "share_profile"),
        secret=("token", "shared"),
        links=(Link(find=_BY_KEY + "participations_of", export="consultations"),),
    )

    class Meta:
        table = "consultation_participation"
        unique_together = (("consultation", "token"),)


class Answer(EncryptedModel):
    id = fields.IntField(primary_key=True)  # drawn at random too: ids in order would tell when
    participation = fields.ForeignKeyField("consultations.Participation", related_name="answers",
                                           on_delete=fields.CASCADE)
    question = fields.ForeignKeyField("consultations.Question", related_name="answers", on_delete=fields.CASCADE)
    option = fields.IntField(null=True)   # single, multiple, ranking
    rank = fields.IntField(null=True)     # ranking: 1 is first
    value = fields.IntField(null=True)    # scale
    text = EncryptedTextField(purpose="consultation_answer.text", null=True)
    review = fields.CharField(max_length=10, null=True)  # free text: pending, released, redacted, withheld
    released_text = EncryptedTextField(purpose="consultation_answer.released", null=True)

    privacy = Privacy(
        personal=("text", "released_text"),
        operational=("id", "participation", "question", "option", "rank", "value", "review"),
        links=(Link(find=_BY_KEY + "answers_of", export="consultation_answers",
                    shows=(("consultation", "question__consultation_id"),)),),
    )

    class Meta:
        table = "consultation_answer"
        indexes = (("question_id", "option"),)


class SharedAnswer(Model):
    """A submitted answer's copy under one attribute its author agreed to share (their language,
    region or age band), pointing at no participation: breakdowns are counted from these. A copy
    with no question counts the author in the group."""

    id = fields.IntField(primary_key=True)  # drawn at random
    consultation = fields.ForeignKeyField("consultations.Consultation", related_name="shared_answers",
                                          on_delete=fields.CASCADE)
    attribute = fields.CharField(max_length=10)   # language, region or age_band
    value = fields.CharField(max_length=8)
    question = fields.ForeignKeyField("consultations.Question", related_name="shared_answers", null=True,
                                      on_delete=fields.CASCADE)
    option = fields.IntField(null=True)
    scale = fields.IntField(null=True)

    privacy = Privacy(operational=("id",), aggregate=("consultation", "attribute", "value", "question", "option",
                                                      "scale"),
                      links=(Link(find=_BY_KEY + "shared_of"),))

    class Meta:
        table = "consultation_shared_answer"


class Release(Model):
    """Figures as they were released: at the close, or an interim release at least k new respondents
    after the last. Every published figure (HTML, JSON, CSV, charts) is rendered from one of these."""

    id = fields.IntField(primary_key=True)
    consultation = fields.ForeignKeyField("consultations.Consultation", related_name="releases",
                                          on_delete=fields.CASCADE)
    number = fields.IntField()
    final = fields.BooleanField(default=False)
    respondents = fields.IntField()  # the true count it was made from (the release may hide it)
    figures = fields.JSONField()
    released_on = fields.DateField()

    privacy = Privacy(operational=("id", "consultation", "number", "final", "released_on"),
                      aggregate=("respondents", "figures"))

    class Meta:
        table = "consultation_release"
        unique_together = (("consultation", "number"),)
