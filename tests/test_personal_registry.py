"""The registry of personal data knows every field of every table: a new table or column that holds
someone's data, or refers to a member, fails here until erasure, export and retention know it."""

from __future__ import annotations

from datetime import datetime, timezone

from tortoise import fields

from network.core import personal
from network.members.models import Member


async def test_every_field_of_every_model_is_classified_and_every_reference_to_a_member_followed(app):
    assert len(personal.models()) >= 25
    assert personal.audit(Member) == []


async def test_every_link_and_retention_rule_runs_against_the_database(app):
    rt = app.state.runtime
    moment = datetime.now(timezone.utc)
    for model in personal.models():
        declared = personal.privacy(model)
        for link in declared.links:
            # A path that names no field, or a finder that does not exist, fails here, not during an erasure.
            assert await personal.rows_of(model, link, member_id=0, key=None, connection=None) == []
        for rule in declared.keep:
            assert await model.filter(rule.where(rt.settings, moment)).count() == 0, rule.label
            for name in rule.clear:
                assert declared.of(name) in personal.WORDS, (model.__name__, name)


async def test_free_text_is_never_operational(app):
    """Text a member typed cannot hide in a class that erasure leaves alone: every text column left
    operational is one the staff or the service writes, named here."""
    staff_or_service = {"Fund.name", "Fund.donor_label", "Room.name", "Room.description", "Message.held_reason",
                        "LogEntry.target", "WatchedWord.word",
                        # The library is written by curators; a member's proposal is deleted with them
                        # until it is published (EntryText's and Entry's Links), then it is the library's.
                        "Entry.source", "Entry.licence", "EntryText.title", "EntryText.summary", "EntryText.body",
                        "EntryText.what_changed", "Service.name", "Service.region", "Service.hours",
                        "Service.summary", "Service.website", "Commitment.instrument", "Commitment.promise",
                        "Commitment.carried_by", "LibraryEvent.detail", "ServiceSuggestion.reason",
                            # An outcome's commitments are the policymaker's: "by whom" is an institution.
                            "Commitment.who",
                            # A meeting is its organiser's announcement: staff, or an organisation's
                            # representative speaking for it (kept with the meeting when they leave).
                            "Meeting.title", "Meeting.summary", "Meeting.agenda", "Meeting.outcome", "Meeting.city",
                            # An organisation's own words about itself and its grants (the organisation's,
                            # kept when a representative leaves), and its mentors' notes of the sessions.
                            "Organisation.name", "Organisation.profile", "Grant.title", "Grant.for_whom", "GrantLine.item",
                            "GrantLine.receipt", "ClusterProject.name", "ClusterProject.what", "GrantReport.did",
                            "GrantReport.reached", "GrantReport.learned", "Mentoring.note", "MentoringSession.notes"}
    found = set()
    for model in personal.models():
        declared = personal.privacy(model)
        for name, field in model._meta.fields_map.items():
            free = isinstance(field, fields.TextField) or isinstance(field, fields.CharField) and field.max_length > 64
            if free and not isinstance(field, fields.JSONField) and declared.of(name) == personal.OPERATIONAL:
                found.add(f"{model.__name__}.{name}")
    assert found == staff_or_service


def test_the_audit_finds_what_is_missing(monkeypatch):
    """The audit itself can fail: a model with an unclassified field and an unfollowed reference."""
    reference = object.__new__(fields.relational.ForeignKeyFieldInstance)
    reference.related_model = Member

    class Meta:
        fk_fields, o2o_fields = {"member"}, set()
        db_fields = {"id", "member_id", "secret_note"}
        fields_map = {"member": reference}

    class Careless:
        _meta = Meta
        privacy = personal.Privacy(operational=("id",))

    monkeypatch.setattr(personal, "models", lambda: [Careless])
    problems = personal.audit(Member)
    assert "Careless.secret_note is not classified" in problems
    assert "Careless.member is not classified" in problems
    assert "Careless.member refers to a member and no Link follows it" in problems
