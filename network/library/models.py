"""The library: entries (tools, guides, policies, trainings, stories of practice) in versions per
language and reading level, the support services directory, State commitments, members'
suggestions and the curators' append-only log.

The full-text index is not a model: it is the database's own engine (network.library.search),
created by the migration and filled from the published texts.
"""

from __future__ import annotations

from tortoise import fields
from tortoise.expressions import Q
from tortoise.models import Model

from network.core.append_only import AppendOnlyModel
from network.core.crypto import EncryptedModel, EncryptedTextField
from network.core.personal import DELETE, UNLINK, Link, Privacy

ENTRY_KINDS = ("tool", "guide", "policy", "training", "story")
AUDIENCES = ("survivors", "grassroots", "policymakers", "practitioners")
READING_LEVELS = ("full", "easy")
TOPICS = ("justice", "health", "psychosocial", "reparations", "safety", "participation", "economic", "children",
          "documentation", "advocacy")
VISIBILITIES = ("public", "members")
# draft: being written, never published; review: waiting for a second reader (the texts last
# published, if any, stay shown); published: nothing waiting; archived: no longer shown.
ENTRY_STATUSES = ("draft", "review", "published", "archived")
SERVICE_KINDS = ("psychosocial", "medical", "legal", "shelter", "economic")
COSTS = ("free", "sliding", "paid")
COMMITMENT_STATUSES = ("promised", "in_plan", "in_law", "implemented", "stalled")
SUGGESTION_STATUSES = ("open", "accepted", "declined")
COUNTRY_LENGTH = 2


class Entry(Model):
    id = fields.IntField(primary_key=True)
    kind = fields.CharField(max_length=10)
    audiences = fields.JSONField(default=list)
    countries = fields.JSONField(default=list)  # ISO 3166 codes; none is "everywhere"
    regions = fields.JSONField(default=list)    # names within them, as the source writes them
    topics = fields.JSONField(default=list)
    source = fields.CharField(max_length=200, default="")
    published_on = fields.DateField(null=True)  # when the source published it
    licence = fields.CharField(max_length=100, default="")
    visibility = fields.CharField(max_length=8, default="public")
    status = fields.CharField(max_length=10, default="draft")
    proposed_by = fields.ForeignKeyField("network.Member", related_name="library_proposals", null=True,
                                         on_delete=fields.SET_NULL)
    # The partner organisation in whose name it was proposed (by one of its representatives).
    proposed_for = fields.ForeignKeyField("network.Organisation", related_name="library_entries", null=True,
                                          on_delete=fields.SET_NULL)
    # Who sent the waiting changes for review: they may not be the second reader who publishes.
    submitted_by = fields.ForeignKeyField("network.Member", related_name="library_submissions", null=True,
                                          on_delete=fields.SET_NULL)
    published_at = fields.DatetimeField(null=True)  # first shown in the library
    # New details of an entry in the library, shown once a second reader publishes them.
    pending = fields.JSONField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    privacy = Privacy(
        operational=("id", "kind", "audiences", "countries", "regions", "topics", "source", "published_on", "licence",
                     "visibility", "status", "proposed_for", "published_at", "pending", "created_at", "updated_at"),
        reference=("proposed_by", "submitted_by"),
        # A proposal never published goes with its member; one in the library stays, unlinked.
        # An organisation's proposal is the organisation's: it stays too, unlinked from who sent it.
        links=(Link("proposed_by_id", DELETE, keep=Q(published_at__not_isnull=True) | Q(proposed_for_id__not_isnull=True),
                    export="library_proposals"),
               Link("submitted_by_id", UNLINK)),
    )

    class Meta:
        table = "library_entry"
        indexes = (("status", "visibility"),)


class EntryText(Model):
    """One version of an entry's text in one language and reading level. Never changed once written,
    except `published`, set when a second reader publishes it: the newest published revision of each
    language and level is what readers see, and every published one stays in the history."""

    id = fields.IntField(primary_key=True)
    entry = fields.ForeignKeyField("network.Entry", related_name="texts", on_delete=fields.CASCADE)
    locale = fields.CharField(max_length=8)
    level = fields.CharField(max_length=4, default="full")
    revision = fields.IntField()
    title = fields.CharField(max_length=200)
    summary = fields.TextField(default="")
    body = fields.TextField(default="")
    what_changed = fields.CharField(max_length=300, default="")
    author = fields.ForeignKeyField("network.Member", related_name="library_texts", null=True,
                                    on_delete=fields.SET_NULL)
    published = fields.BooleanField(default=False)
    created_at = fields.DatetimeField(auto_now_add=True)

    privacy = Privacy(
        operational=("id", "entry", "locale", "level", "revision", "title", "summary", "body", "what_changed",
                     "published", "created_at"),
        reference=("author",),
        # Unpublished words go with their writer; published ones stay in the library, unlinked.
        links=(Link("author_id", DELETE, keep=Q(published=True) | Q(entry__proposed_for_id__not_isnull=True),
                    export="library_texts"),),
    )

    class Meta:
        table = "library_text"
        unique_together = (("entry", "locale", "level", "revision"),)


class Service(EncryptedModel):
    """A support service members can be referred to. How to reach it is sealed at rest and shown
    only to signed-in members: a shelter's address or a phone line can put people in danger."""

    id = fields.IntField(primary_key=True)
    kind = fields.CharField(max_length=12)
    name = fields.CharField(max_length=200)
    country = fields.CharField(max_length=COUNTRY_LENGTH)
    region = fields.CharField(max_length=100, default="")
    languages = fields.JSONField(default=list)
    hours = fields.CharField(max_length=200, default="")
    cost = fields.CharField(max_length=8, default="free")
    summary = fields.TextField(default="")
    website = fields.CharField(max_length=300, default="")
    # Members only unless a curator says otherwise: a service's name and town can be enough to find it.
    visibility = fields.CharField(max_length=8, default="members")
    last_verified = fields.DateField(null=True)
    address = EncryptedTextField(purpose="library_service.address", default="")
    phone = EncryptedTextField(purpose="library_service.phone", default="")
    how_to_reach = EncryptedTextField(purpose="library_service.how_to_reach", default="")
    call_logged = fields.BooleanField(null=True)  # unknown when None
    active = fields.BooleanField(default=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    privacy = Privacy(
        identifying=("address", "phone", "how_to_reach"),
        operational=("id", "kind", "name", "country", "region", "languages", "hours", "cost", "summary", "website",
                     "visibility", "last_verified", "call_logged", "active", "created_at", "updated_at"),
    )

    class Meta:
        table = "library_service"
        indexes = (("country", "kind"),)


class ServiceSuggestion(EncryptedModel):
    """A member's correction to a service, or a new one, until a curator decides."""

    id = fields.IntField(primary_key=True)
    service = fields.ForeignKeyField("network.Service", related_name="suggestions", null=True,
                                     on_delete=fields.CASCADE)
    member = fields.ForeignKeyField("network.Member", related_name="library_suggestions", null=True,
                                    on_delete=fields.SET_NULL)
    # The fields suggested, as JSON text, sealed: a new shelter's address is in it.
    proposal = EncryptedTextField(purpose="library_suggestion.proposal", default="{}")
    note = EncryptedTextField(purpose="library_suggestion.note", default="")
    status = fields.CharField(max_length=10, default="open")
    reason = fields.TextField(default="")
    decided_by = fields.ForeignKeyField("network.Member", related_name="library_decisions", null=True,
                                        on_delete=fields.SET_NULL)
    created_at = fields.DatetimeField(auto_now_add=True)
    decided_at = fields.DatetimeField(null=True)

    privacy = Privacy(
        personal=("proposal", "note"),
        operational=("id", "service", "status", "reason", "created_at", "decided_at"),
        reference=("member", "decided_by"),
        links=(Link("member_id", DELETE, export="library_suggestions"), Link("decided_by_id", UNLINK)),
    )

    class Meta:
        table = "library_suggestion"


class Commitment(Model):
    """What a State promised on conflict-related sexual violence, and what carries it into law."""

    id = fields.IntField(primary_key=True)
    country = fields.CharField(max_length=COUNTRY_LENGTH)
    instrument = fields.CharField(max_length=200)
    made_on = fields.DateField(null=True)
    promise = fields.TextField(default="")
    carried_by = fields.CharField(max_length=300, default="")
    status = fields.CharField(max_length=12, default="promised")
    entry_ids = fields.JSONField(default=list)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    privacy = Privacy(operational=("id", "country", "instrument", "made_on", "promise", "carried_by", "status",
                                   "entry_ids", "created_at", "updated_at"))

    class Meta:
        table = "library_commitment"
        indexes = (("country",),)


class LibraryEvent(AppendOnlyModel):
    """The curators' log: every change to the library, who made it and when. Rows are added, never
    changed (erasing a curator clears only the reference to them)."""

    id = fields.IntField(primary_key=True)
    subject = fields.CharField(max_length=12)  # entry, service, commitment, suggestion
    subject_id = fields.IntField()
    action = fields.CharField(max_length=20)
    actor = fields.ForeignKeyField("network.Member", related_name="library_events", null=True,
                                   on_delete=fields.SET_NULL)
    detail = fields.TextField(default="")
    created_at = fields.DatetimeField(auto_now_add=True)

    privacy = Privacy(operational=("id", "subject", "subject_id", "action", "detail", "created_at"),
                      reference=("actor",), links=(Link("actor_id", UNLINK),))

    class Meta:
        table = "library_event"
        indexes = (("subject", "subject_id"),)
