"""Consultations on policy drafts. Answers hang off a participation token, never a member id."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from network.core.append_only import AppendOnlyModel
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
    # The information and consent text for members in the under-18 band, in words for their age;
    # empty: they read the one above. Part of the consent: a change asks everyone again.
    youth_consent_text = fields.JSONField(default=dict)
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
                     "consent_previous", "youth_consent_text", "version", "audience", "k", "opens_at", "closes_at", "outcome_heard",
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
    # What the consent's sharing covered: 1 language, region and age band; 2 also what the member's
    # profile says they may be counted under (asked since then).
    share_scope = fields.IntField(default=1, db_default=1)  # db_default: consents given before it was asked
    shared = fields.TextField(null=True)

    privacy = Privacy(
        operational=("id", "consultation", "consent_version", "consented_on", "submitted", "submitted_on",
                     "read_version", "outcome_seen", "share_profile", "share_scope"),
        secret=("token", "shared"),
        links=(Link(find=_BY_KEY + "participations_of", export="consultations"),),
    )

    class Meta:
        table = "consultation_participation"
        unique_together = (("consultation", "token"),)


class Answer(EncryptedModel):
    id = fields.IntField(primary_key=True)  # drawn at random too: ids in order would tell when
    # None for an under-18 member's submitted text: kept apart from their participation (its id is
    # sealed under their key there), so nothing stored says which participation is a young member's.
    participation = fields.ForeignKeyField("consultations.Participation", related_name="answers",
                                           on_delete=fields.CASCADE, null=True)
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


COMMITMENT_STATUSES = ("planned", "under_way", "done", "dropped")


class Commitment(Model):
    """What an outcome says will be done, by whom, by when: the policymaker's word, followed over time."""

    id = fields.IntField(primary_key=True)
    consultation = fields.ForeignKeyField("consultations.Consultation", related_name="commitments",
                                          on_delete=fields.CASCADE)
    position = fields.IntField(default=0)
    what = fields.JSONField(default=dict)        # texts by locale
    who = fields.CharField(max_length=200)       # an institution or office, never a member
    due_on = fields.DateField(null=True)
    status = fields.CharField(max_length=10, default="planned")
    reason = fields.JSONField(default=dict)      # why it was dropped, texts by locale
    changed_on = fields.DateField()
    created_at = fields.DatetimeField(auto_now_add=True)

    privacy = Privacy(operational=("id", "consultation", "position", "what", "who", "due_on", "status", "reason",
                                   "changed_on", "created_at"))

    class Meta:
        table = "consultation_commitment"


class CommitmentUpdate(AppendOnlyModel):
    """One status update, written once: the followers of the consultation are told of each, in order."""

    id = fields.IntField(primary_key=True)
    consultation = fields.ForeignKeyField("consultations.Consultation", related_name="commitment_updates",
                                          on_delete=fields.CASCADE)
    commitment = fields.ForeignKeyField("consultations.Commitment", related_name="updates", on_delete=fields.CASCADE)
    status = fields.CharField(max_length=10)
    note = fields.JSONField(default=dict)        # texts by locale; for "dropped", the reason
    made_on = fields.DateField()

    privacy = Privacy(operational=("id", "consultation", "commitment", "status", "note", "made_on"))

    class Meta:
        table = "consultation_commitment_update"


class Follow(Model):
    """A member following a consultation's commitments, under a token only their key makes (as a
    participation is): nothing stored says who follows what."""

    id = fields.IntField(primary_key=True)  # drawn at random
    consultation = fields.ForeignKeyField("consultations.Consultation", related_name="follows",
                                          on_delete=fields.CASCADE)
    token = fields.CharField(max_length=64)

    privacy = Privacy(operational=("id", "consultation"), secret=("token",),
                      links=(Link(find="consultations.commitments:follows_of", export="consultation_follows",
                                  shows=(("consultation", "consultation_id"),)),))

    class Meta:
        table = "consultation_follow"
        unique_together = (("consultation", "token"),)


PROPOSAL_KINDS = ("topic", "question")
PROPOSAL_STATUSES = ("pending", "shown", "withheld", "taken_up", "declined")


class Proposal(EncryptedModel):
    """A member's proposal of a topic or question for a future consultation. Its author is found only
    through their key (a token of the proposal's random id); moderators read it for identifying
    details before anyone else sees it, and members see only the reviewed text."""

    id = fields.IntField(primary_key=True)  # drawn at random
    author_token = fields.CharField(max_length=64, null=True)
    kind = fields.CharField(max_length=10)
    locale = fields.CharField(max_length=8)
    text = EncryptedTextField(purpose="consultation_proposal.text", null=True)
    shown_text = EncryptedTextField(purpose="consultation_proposal.shown", null=True)
    status = fields.CharField(max_length=10, default="pending")
    answer = fields.JSONField(default=dict)  # the policymaker's reason, texts by locale
    taken_up_in = fields.ForeignKeyField("consultations.Consultation", related_name="proposals", null=True,
                                         on_delete=fields.SET_NULL)
    proposed_on = fields.DateField()
    answered_on = fields.DateField(null=True)
    answers = fields.IntField(default=0)  # how many times it was answered: each answer is told

    privacy = Privacy(
        personal=("text", "shown_text"),
        operational=("id", "kind", "locale", "status", "answer", "taken_up_in", "proposed_on",
                     "answered_on", "answers"),
        secret=("author_token",),
        links=(Link(find="consultations.proposals:proposals_of", export="consultation_proposals"),),
    )

    class Meta:
        table = "consultation_proposal"


class Support(Model):
    """One member's support of one proposal: a token of the proposal under the member's key, so each
    member counts once and nothing says who."""

    id = fields.IntField(primary_key=True)  # drawn at random
    proposal = fields.ForeignKeyField("consultations.Proposal", related_name="supports", on_delete=fields.CASCADE)
    token = fields.CharField(max_length=64)

    privacy = Privacy(operational=("id", "proposal"), secret=("token",),
                      links=(Link(find="consultations.proposals:supports_of", export="consultation_supports",
                                  shows=(("proposal", "proposal_id"),)),))

    class Meta:
        table = "consultation_support"
        unique_together = (("proposal", "token"),)


class Snapshot(Model):
    """The membership as counted for "who we heard from", once a month, small groups hidden and the
    rest rounded (network.core.disclosure.rounded): what the dashboard compares participation with."""

    id = fields.IntField(primary_key=True)
    month = fields.CharField(max_length=7, unique=True)  # 2026-12
    figures = fields.JSONField()

    privacy = Privacy(operational=("id", "month"), aggregate=("figures",))

    class Meta:
        table = "consultation_snapshot"


ORGANISATION_RESPONSE_STATUSES = ("draft", "submitted")


class OrganisationResponse(Model):
    """A partner organisation's answer to a consultation, in its own name: one per organisation, kept
    apart from members' answers (counted in no figure, release or review; consultations.organisation_responses).
    The words are the organisation's, not a member's: the representative who last saved it is only a
    reference, cleared when they are erased, and shown to nobody."""

    id = fields.IntField(primary_key=True)
    consultation = fields.ForeignKeyField("consultations.Consultation", related_name="organisation_responses",
                                          on_delete=fields.CASCADE)
    organisation = fields.ForeignKeyField("network.Organisation", related_name="consultation_responses",
                                          on_delete=fields.CASCADE)
    representative = fields.ForeignKeyField("network.Member", related_name="organisation_responses", null=True,
                                            on_delete=fields.SET_NULL)
    answers = fields.JSONField(default=dict)  # {"<question id>": "the organisation's text"}
    status = fields.CharField(max_length=10, default="draft")
    submitted_at = fields.DatetimeField(null=True)
    updated_at = fields.DatetimeField(auto_now=True)

    privacy = Privacy(operational=("id", "consultation", "organisation", "answers", "status", "submitted_at",
                                   "updated_at"),
                      reference=("representative",), links=(Link("representative_id", UNLINK),))

    class Meta:
        table = "consultation_organisation_response"
        unique_together = (("consultation", "organisation"),)
