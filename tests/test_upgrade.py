"""Upgrading a database that holds data: rows of tables that migrations rebuild (SQLite copies a
table to change a column) keep every row that refers to them, and values written under the old rules
(plain message bodies, `enc:1:` values bound only to their column, names copied into audit rows)
come out sealed to their rows, readable, and without the copied names."""

from __future__ import annotations

import base64
import os
from datetime import datetime, timezone

from tortoise import Tortoise, connections

from messaging.models import Message
from moderation.models import LogEntry, Report
from network.core import crypto, db
from network.members.models import Member
from network.stipends.models import Stipend, StipendEvent
from tests.conftest import both_databases

BEFORE = {"network": "0003_participation_keys", "consultations": "0002_participation_keys",
          "messaging": "0002_room_event_log", "moderation": "0001_initial"}


def _legacy(plaintext: str, purpose: str) -> str:
    """A value as the first wave sealed it: bound to its column's purpose only."""
    ring = crypto.keyring()
    nonce = os.urandom(12)
    sealed = ring.keys[ring.current_version].encrypt(nonce, plaintext.encode(), purpose.encode())
    return f"enc:1:{ring.current_version}:{base64.b64encode(nonce + sealed).decode()}"


async def _columns(table: str) -> dict[str, tuple[str, bool]]:
    """column -> (type, needs a value) for a table as it stands."""
    conn = connections.get("default")
    if conn.capabilities.dialect == "sqlite":
        rows = await conn.execute_query_dict(f'PRAGMA table_info("{table}")')
        return {r["name"]: (r["type"].upper(), bool(r["notnull"]) and r["dflt_value"] is None and not r["pk"])
                for r in rows}
    rows = await conn.execute_query_dict(
        "SELECT column_name, data_type, is_nullable, column_default FROM information_schema.columns "
        f"WHERE table_name = '{table}'")
    return {r["column_name"]: (r["data_type"].upper(), r["is_nullable"] == "NO" and r["column_default"] is None)
            for r in rows}


def _filler(kind: str):
    if "INT" in kind or "NUMERIC" in kind or "DECIMAL" in kind:
        return 0
    if "BOOL" in kind:
        return False
    if "TIMESTAMP" in kind or "DATE" in kind:
        return datetime.now(timezone.utc)
    if "JSON" in kind:
        return "{}"
    return "x"


async def _insert(table: str, **values) -> None:
    """A row in the old schema: the given values, and something plausible in every other required column."""
    for column, (kind, required) in (await _columns(table)).items():
        if required and column not in values:
            values[column] = _filler(kind)
    conn = connections.get("default")
    postgres = conn.capabilities.dialect == "postgres"
    marks = ", ".join(f"${n}" if postgres else "?" for n in range(1, len(values) + 1))
    await conn.execute_query(f'INSERT INTO "{table}" ({", ".join(values)}) VALUES ({marks})', list(values.values()))


@both_databases
async def test_an_upgrade_keeps_every_row_and_seals_old_values_to_their_rows(database_url, tmp_path):
    crypto.configure("upgrade-test-key-" + "0" * 24)
    await db.migrate(database_url, upto=BEFORE)
    await Tortoise.init(config=db.tortoise_config(database_url))
    try:
        await _insert("member", id=1, pseudonym="Old Member", pseudonym_key="old member", skeleton="old member",
                      bio=_legacy("an old bio, enc:1: inside", "member.bio"), role="member", status="active")
        await _insert("member", id=2, pseudonym="Old Admin", pseudonym_key="old admin", skeleton="old admin",
                      role="admin", status="active", bio="")
        await _insert("fund", id=1, name="Fund", currency="KES")
        await _insert("stipend", id=1, member_id=1, fund_id=1, purpose="bus to Goma", status="rejected",
                      payout_details=_legacy("M-Pesa 0700", "stipend.payout_details"), paid_reference="")
        await _insert("stipend_event", id=1, stipend_id=1, actor_id=1, actor_name="Old Member", action="requested",
                      detail="")
        await _insert("stipend_event", id=2, stipend_id=1, actor_id=None, actor_name="system", action="rejected",
                      detail="")
        await _insert("room", id=1, name="Room")
        await _insert("room_message", id=1, room_id=1, author_id=1, body="a plain old message",
                      content_warning="", status="visible")
        await _insert("mod_report", id=1, reporter_id=1, target="message", message_id=1, reason="other",
                      note=_legacy("my neighbour knows me", "report.note"))
        await _insert("mod_log", id=1, actor_id=2, actor_name="Old Admin", action="mute", target="member 1",
                      reason="")
        await _insert("mod_log", id=2, actor_id=None, actor_name="system", action="lift",
                      target="mute 4 of member 1", reason="")
    finally:
        await Tortoise.close_connections()

    await db.migrate(database_url)

    await Tortoise.init(config=db.tortoise_config(database_url))
    try:
        member = await Member.get(id=1)
        assert member.bio == "an old bio, enc:1: inside"
        stipend = await Stipend.get(id=1)
        assert (stipend.purpose, stipend.payout_details) == ("bus to Goma", "M-Pesa 0700")
        assert stipend.closed_at is not None  # a closed request learns when it closed, so retention can count
        events = await StipendEvent.filter(stipend_id=1).order_by("id")
        assert [(e.actor_id, e.system) for e in events] == [(1, False), (None, True)]
        assert (await Message.get(id=1)).body == "a plain old message"
        report = await Report.get(id=1)
        assert report.message_id == 1 and report.note == "my neighbour knows me"
        log = await LogEntry.all().order_by("id")
        assert [(e.actor_id, e.system, e.subject_id) for e in log] == [(2, False, 1), (None, True, 1)]
        raw = await connections.get("default").execute_query_dict(
            "SELECT body FROM room_message UNION ALL SELECT purpose FROM stipend UNION ALL SELECT bio FROM member "
            "WHERE bio <> ''")
        assert all(row["body"].startswith("enc:2:") for row in raw)
        columns = await _columns("stipend_event")
        assert "actor_name" not in columns and "actor_name" not in await _columns("mod_log")
    finally:
        await Tortoise.close_connections()
