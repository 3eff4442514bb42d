"""Erasure leaves nothing: a member uses every part of the product, then erases their account (by
asking, by panic wipe, by a coercer's duress sign-in); no table, no opened field, no byte of the
SQLite file or its WAL, and no log line holds their pseudonym or anything they typed. What others
need stays: the fund's books, the moderation log's actions, the other member's message."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from consultations.models import Follow, Proposal, Support
from messaging.models import Message
from moderation.models import LogEntry, Report, Sanction
from network.grants.models import Grant, Mentoring
from network.members.models import Member
from network.organisations.models import Representative
from network.stipends.models import Stipend, StipendEvent
from tests.conftest import both_databases
from tests.helpers import signed_in
from tests.test_mydata import _all_rows
from tests.usage import PSEUDONYM, erase_by, opened_rows, use_everything


def _sqlite_bytes(database_url: str) -> bytes:
    path = Path(database_url.removeprefix("sqlite://").split("?")[0])
    found = b""
    for suffix in ("", "-wal", "-journal"):
        if Path(f"{path}{suffix}").exists():
            found += Path(f"{path}{suffix}").read_bytes()
    return found


@both_databases
@pytest.mark.parametrize("how", ["erase", "panic", "duress"])
async def test_erasure_leaves_no_trace_anywhere(app, database_url, caplog, how):
    caplog.set_level(logging.INFO)  # what a server logs
    usage = await use_everything(app, duress_action="erase" if how == "duress" else "none")
    member_id = usage.member.id
    before = await opened_rows()
    assert [text for text in usage.typed if text not in before] == [usage.typed[4]]  # edited away

    if database_url.startswith("sqlite"):  # the scan below reads the file where the pseudonym now is
        assert PSEUDONYM.encode() in _sqlite_bytes(database_url)

    await erase_by(app, usage, how)
    assert not await Member.filter(id=member_id).exists()

    raw = json.dumps(await _all_rows(), default=str, ensure_ascii=False)
    opened = await opened_rows()
    stored = _sqlite_bytes(database_url) if database_url.startswith("sqlite") else b""
    logged = caplog.text
    for text in usage.typed:
        assert text not in raw, ("table", text)
        assert text not in opened, ("opened field", text)
        assert text.encode() not in stored, ("database file", text)
        assert text not in logged, ("log", text)

    # Rows found only through their key went too: their follow, their supports (another's proposal
    # keeps its author's own support).
    assert not await Follow.exists() and [s.proposal_id for s in await Support.all()] == [
        p.id for p in await Proposal.all()]
    # What others need is still there, without the member.
    # The organisation's grant stays its own, without who applied; the member's own requests that moved
    # no money go.
    grants = await Grant.all().prefetch_related("stipend")
    assert [(g.applied_by_id, g.stipend.status, g.title) for g in grants] == [(None, "pending", "Circles")]
    assert await Mentoring.filter(asked_by_id=None).count() == 1 and not await Representative.exists()
    books = await Stipend.filter(organisation_id=None).order_by("id")
    assert sorted(s.status for s in books) == ["approved", "paid"]
    assert all(s.member_id is None and s.purpose == "" and s.payout_details in (None, "") for s in books)
    assert sum(s.amount_minor for s in books) == 4000
    assert await StipendEvent.filter(action="paid").exists()
    assert all(e.detail == "" for e in await StipendEvent.filter(stipend_id__in=[s.id for s in books],
                                                                  actor_id=None, system=False))
    assert [m.body for m in await Message.all()] == ["words of someone staying"]
    log = await LogEntry.all()
    assert {e.action for e in log} >= {"mute", "note"}
    assert all(e.subject_id is None and e.reason == "" for e in log if e.target.endswith(f"member {member_id}"))
    assert not await Sanction.filter(member_id=member_id).exists()
    made, about = [await Report.get(id=i) for i in usage.report_ids]
    assert (made.reporter_id, made.note, made.reason) == (None, "", "identity")  # still there to act on
    assert (about.member_id, about.note) == (None, "a report about them")  # the reporter's words stay


@both_databases
async def test_the_export_holds_everything_that_is_the_members(app, database_url):
    usage = await use_everything(app)
    async with signed_in(app, usage.member) as http:
        response = await http.get("/api/v1/me/export")
    assert response.status_code == 200
    data = response.json()
    text = json.dumps(data, ensure_ascii=False)
    assert data["profile"]["pseudonym"] == PSEUDONYM and data["profile"]["bio"] == usage.typed[2]
    assert len(data["sessions"]) >= 3 and len(data["recovery_codes"]) == 10
    assert [r["room_name"] for r in data["rooms"]] == ["Evening circle"]
    assert sorted(m["body"] for m in data["messages"]) == sorted([usage.typed[6], usage.typed[7]])
    assert data["messages"][0]["content_warning"] == usage.typed[5]
    assert [(r["reason"], r["note"]) for r in data["reports_made"]] == [("identity", usage.typed[8])]
    assert [(s["kind"], s["reason"]) for s in data["actions_about_me"]] == [("mute", "mute reason for Amani")]
    assert [a["text"] for a in data["appeals"]] == [usage.typed[9]]
    assert data["notices"]
    assert sorted(s["status"] for s in data["stipends"]) == ["approved", "cancelled", "paid", "pending", "rejected"]
    assert {s["purpose"] for s in data["stipends"]} == {usage.typed[i] for i in (3, 15, 16, 17, 18)}
    assert all(s["fund_name"] == "Travel and data" for s in data["stipends"])
    paid = next(s for s in data["stipends"] if s["status"] == "paid")
    assert paid["payout_details"] == usage.typed[10] and paid["paid_reference"] == usage.typed[14]
    assert {e["action"] for e in data["stipend_history"]} >= {"requested", "approved", "paid", "rejected", "cancelled"}
    assert [c["consultation"] for c in data["consultations"]] == [usage.consultation["id"]]
    answers = data["consultation_answers"]
    assert {a["consultation"] for a in answers} == {usage.consultation["id"]}
    assert {a["text"] for a in answers if a["text"]} == {usage.typed[12], usage.typed[13]}
    assert [p["text"] for p in data["consultation_proposals"]] == [usage.typed[23]]
    assert len(data["consultation_supports"]) == 2 and len(data["consultation_follows"]) == 1
    assert [r["organisation_name"] for r in data["representing"]] == ["Kivu women together"]
    # Only what is theirs: no one else's words or name, no secret.
    for other in ("a report about them", "Someone Staying", "words of someone staying", "moderator note about",
                  "$argon2", "passphrase_hash", "token_hash", "code_hash"):
        assert other not in text, other
