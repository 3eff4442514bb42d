"""Grants to partner organisations, their budget lines, cluster projects, their one report, and mentoring.

A grant's money is a stipend (network.stipends: kind "grant", made out to the organisation), so its
review, budget reservation, payment and donor report are the stipends' own; what is kept here is what
a grant has beside its money."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from network.core.personal import UNLINK, Link, Privacy

MENTORING_TOPICS = ("capacity", "safeguarding", "data_protection", "governance", "exit_legacy")
MENTORING_STATUSES = ("asked", "matched")


class Grant(Model):
    id = fields.IntField(primary_key=True)
    stipend = fields.OneToOneField("network.Stipend", related_name="grant", on_delete=fields.CASCADE)
    organisation = fields.ForeignKeyField("network.Organisation", related_name="grants", on_delete=fields.RESTRICT)
    applied_by = fields.ForeignKeyField("network.Member", related_name="grants_applied", null=True,
                                        on_delete=fields.SET_NULL)
    # The short form: what, for whom, how much (the stipend's amount), when.
    title = fields.CharField(max_length=200)
    for_whom = fields.TextField()
    starts_on = fields.DateField()
    ends_on = fields.DateField()
    # Up to the fund's small-grant threshold (or a cluster of small projects): no budget table, no
    # receipts, a report of three questions.
    light = fields.BooleanField()
    cluster = fields.BooleanField(default=False)
    created_at = fields.DatetimeField(auto_now_add=True)

    # The organisation's words about its own work, kept with its grant after a representative leaves.
    privacy = Privacy(operational=("id", "stipend", "organisation", "title", "for_whom", "starts_on", "ends_on",
                                   "light", "cluster", "created_at"),
                      reference=("applied_by",), links=(Link("applied_by_id", UNLINK),))

    class Meta:
        table = "org_grant"


class GrantLine(Model):
    """A line of the budget table a grant above the threshold gives, and at its report what was spent
    and the receipt for it."""

    id = fields.IntField(primary_key=True)
    grant = fields.ForeignKeyField("network.Grant", related_name="lines", on_delete=fields.CASCADE)
    item = fields.CharField(max_length=200)
    amount_minor = fields.BigIntField()
    spent_minor = fields.BigIntField(null=True)
    receipt = fields.CharField(max_length=200, default="")  # its number, or where it is kept

    privacy = Privacy(operational=("id", "grant", "item", "receipt"), aggregate=("amount_minor", "spent_minor"))

    class Meta:
        table = "org_grant_line"


class ClusterProject(Model):
    """One small, grassroots project funded under a cluster grant, which reports once for all of them."""

    id = fields.IntField(primary_key=True)
    grant = fields.ForeignKeyField("network.Grant", related_name="projects", on_delete=fields.CASCADE)
    name = fields.CharField(max_length=120)
    what = fields.TextField()
    amount_minor = fields.BigIntField()

    privacy = Privacy(operational=("id", "grant", "name", "what"), aggregate=("amount_minor",))

    class Meta:
        table = "org_grant_cluster_project"


class GrantReport(Model):
    """The one report at a grant's end (one per grant, a cluster's included: the database holds it to one)."""

    id = fields.IntField(primary_key=True)
    grant = fields.OneToOneField("network.Grant", related_name="report", on_delete=fields.CASCADE)
    did = fields.TextField()       # What did you do?
    reached = fields.TextField()   # Who took part, or was reached?
    learned = fields.TextField()   # What did you learn, and what would you change?
    written_by = fields.ForeignKeyField("network.Member", related_name="grant_reports", null=True,
                                        on_delete=fields.SET_NULL)
    created_at = fields.DatetimeField(auto_now_add=True)

    privacy = Privacy(operational=("id", "grant", "did", "reached", "learned", "created_at"),
                      reference=("written_by",), links=(Link("written_by_id", UNLINK),))

    class Meta:
        table = "org_grant_report"


class Mentoring(Model):
    """An organisation's request for mentoring on a topic, the mentor administrators matched, and the
    grant it is kept with."""

    id = fields.IntField(primary_key=True)
    organisation = fields.ForeignKeyField("network.Organisation", related_name="mentoring", on_delete=fields.CASCADE)
    grant = fields.ForeignKeyField("network.Grant", related_name="mentoring", null=True, on_delete=fields.SET_NULL)
    topic = fields.CharField(max_length=16)
    note = fields.TextField(default="")
    status = fields.CharField(max_length=8, default="asked")
    asked_by = fields.ForeignKeyField("network.Member", related_name="mentoring_asked", null=True,
                                      on_delete=fields.SET_NULL)
    mentor = fields.ForeignKeyField("network.Member", related_name="mentoring_given", null=True,
                                    on_delete=fields.SET_NULL)
    created_at = fields.DatetimeField(auto_now_add=True)
    matched_at = fields.DatetimeField(null=True)

    privacy = Privacy(operational=("id", "organisation", "grant", "topic", "note", "status", "created_at",
                                   "matched_at"),
                      reference=("asked_by", "mentor"),
                      links=(Link("asked_by_id", UNLINK), Link("mentor_id", UNLINK)))

    class Meta:
        table = "org_grant_mentoring"


class MentoringSession(Model):
    id = fields.IntField(primary_key=True)
    mentoring = fields.ForeignKeyField("network.Mentoring", related_name="sessions", on_delete=fields.CASCADE)
    held_on = fields.DateField()
    notes = fields.TextField(default="")
    written_by = fields.ForeignKeyField("network.Member", related_name="mentoring_notes", null=True,
                                        on_delete=fields.SET_NULL)
    created_at = fields.DatetimeField(auto_now_add=True)

    privacy = Privacy(operational=("id", "mentoring", "held_on", "notes", "created_at"), reference=("written_by",),
                      links=(Link("written_by_id", UNLINK),))

    class Meta:
        table = "org_grant_mentoring_session"
