"""Sealed fields: every value encrypted at rest and bound to its table, column and row; odd values
round-trip; a value that does not open is one unavailable field, never a broken page or a logged
secret; `survnet rotate-data-key` moves everything to a new key."""

import logging
import sqlite3
import subprocess
import sys

import httpx
import pytest
from tortoise import connections

from network.core import crypto
from network.core.personal import models
from network.core.settings import ROOT
from network.members.models import Member
from network.safety.models import SafetyAlert
from tests.conftest import both_databases, start_server, stop_server
from tests.helpers import make_member, signed_in

BIO = "I was in Goma in 2019 and my sister"
NOTE = "an alert note that must stay secret"
ODD = ["enc:1:abc", "enc:1:38592651:bm90IGEgc2VhbGVkIHZhbHVl", "enc:2:ffffffff:AAAA", "enc:", " leading space",
       "ناشناس · безпечно · 🕊", "a" * 500]


async def _raw(sql: str, *values) -> list[dict]:
    return await connections.get("default").execute_query_dict(sql, list(values) or None)


async def _set_raw(table: str, column: str, row_id: int, value: str) -> None:
    mark = "$1" if connections.get("default").capabilities.dialect == "postgres" else "?"
    mark2 = "$2" if mark == "$1" else "?"
    await connections.get("default").execute_query(f'UPDATE "{table}" SET {column} = {mark} WHERE id = {mark2}',
                                                   [value, row_id])


async def test_every_free_text_that_names_or_tells_is_a_sealed_field(app):
    sealed = {f"{m._meta.db_table}.{f.column}" for m in models() for f in crypto.sealed_fields(m)}
    assert {"member.bio", "safety_alert.note", "stipend.payout_details", "stipend.purpose", "stipend.paid_reference",
            "room_message.body", "room_message.content_warning", "mod_report.note", "mod_appeal.text",
            "mod_sanction.reason", "mod_notice.reason", "mod_note.text", "consultation_answer.text",
            "consultation_answer.released_text"} <= sealed
    for model in models():
        if crypto.sealed_fields(model):
            assert issubclass(model, crypto.EncryptedModel), model.__name__


@both_databases
async def test_raw_database_holds_no_plaintext_and_each_value_is_bound_to_its_row(app, database_url):
    member = await make_member(app)
    async with signed_in(app, member) as http:
        assert (await http.patch("/api/v1/me", json={"bio": BIO})).status_code == 200
        assert (await http.get("/api/v1/me")).json()["member"]["bio"] == BIO
    await SafetyAlert.create(member=member, note=NOTE)
    rows = await _raw("SELECT id, bio FROM member WHERE bio <> ''") + \
        await _raw("SELECT id, note AS bio FROM safety_alert")
    assert len(rows) == 2
    version = crypto.keyring().current_version
    for row in rows:
        assert row["bio"].startswith(f"enc:2:{version}:") and "Goma" not in row["bio"] and "secret" not in row["bio"]
    assert (await Member.get(id=member.id)).bio == BIO
    assert (await SafetyAlert.get(member=member)).note == NOTE


@both_databases
async def test_any_text_round_trips_even_one_that_looks_sealed(app, database_url):
    member = await make_member(app)
    reader = await make_member(app)
    async with signed_in(app, member) as http:
        for value in ODD:
            assert (await http.patch("/api/v1/me", json={"bio": value})).status_code == 200
            assert (await http.get("/api/v1/me")).json()["member"]["bio"] == value.strip()
            stored = (await _raw("SELECT bio FROM member WHERE id = " + str(member.id)))[0]["bio"]
            assert stored.startswith("enc:2:") and stored != value
            assert (await Member.get(id=member.id)).bio == value.strip()
    async with signed_in(app, reader) as http:
        assert (await http.get("/members")).status_code == 200
        assert (await http.get("/api/v1/members")).status_code == 200


def test_a_value_does_not_open_in_another_column_or_row():
    ring = crypto.Keyring("k" * 40)
    sealed = ring.seal("secret", crypto.binding("member", "bio", 7))
    assert ring.open(sealed, crypto.binding("member", "bio", 7)) == "secret"
    for elsewhere in (crypto.binding("member", "bio", 8), crypto.binding("safety_alert", "note", 7)):
        with pytest.raises(ValueError):
            ring.open(sealed, elsewhere)


@both_databases
async def test_a_corrupted_value_is_one_unavailable_field_and_is_never_logged(app, database_url, caplog):
    admin, moderator = await make_member(app, "admin"), await make_member(app, "moderator")
    victim, other = await make_member(app, pseudonym="Corrupted Bio"), await make_member(app)
    async with signed_in(app, victim) as http:
        await http.patch("/api/v1/me", json={"bio": "IBAN DE00 1234 5678", "visibility": "members"})
    stored = (await _raw(f"SELECT bio FROM member WHERE id = {victim.id}"))[0]["bio"]
    broken = stored[:-6] + ("AAAA==" if not stored.endswith("AAAA==") else "BBBB==")
    await _set_raw("member", "bio", victim.id, broken)
    caplog.set_level(logging.WARNING)

    async with signed_in(app, other) as http:
        listing = await http.get("/members")
        assert listing.status_code == 200 and "Corrupted Bio" in listing.text
        api = await http.get("/api/v1/members")
        assert api.status_code == 200
        shown = [m for m in api.json()["members"] if m["pseudonym"] == "Corrupted Bio"]
        assert shown and shown[0].get("bio", "") == ""
        page = await http.get(f"/members/{victim.id}")
        assert page.status_code == 200 and "(unavailable)" in page.text
    async with signed_in(app, admin) as http:
        assert (await http.get("/admin/roles")).status_code == 200
    async with signed_in(app, moderator) as http:
        assert (await http.get(f"/moderation/members/{victim.id}")).status_code == 200
        assert (await http.get(f"/api/v1/moderation/members/{victim.id}")).status_code == 200
        muted = await http.post("/api/v1/moderation/actions", json={
            "action": "mute", "member_id": victim.id, "reason": "testing a broken row", "minutes": 60})
        assert muted.status_code == 200, muted.text
    async with signed_in(app, victim) as http:  # the member can still sign in and see their profile
        me = await http.get("/api/v1/me")
        assert me.status_code == 200 and me.json()["member"]["bio"] == ""
        # Saving another field keeps the stored value as it was: nothing is destroyed.
        assert (await http.patch("/api/v1/me", json={"region": "KE"})).status_code == 200
    assert (await _raw(f"SELECT bio FROM member WHERE id = {victim.id}"))[0]["bio"] == broken

    logged = caplog.text
    assert f"member.bio of row {victim.id} is unavailable" in logged
    assert broken not in logged and broken[6:30] not in logged and "IBAN" not in logged


@both_databases
async def test_a_value_swapped_between_rows_is_refused(app, database_url):
    first, second = await make_member(app), await make_member(app)
    for member, bio in ((first, "first bio, mine"), (second, "second bio, mine")):
        async with signed_in(app, member) as http:
            await http.patch("/api/v1/me", json={"bio": bio})
    one = (await _raw(f"SELECT bio FROM member WHERE id = {first.id}"))[0]["bio"]
    two = (await _raw(f"SELECT bio FROM member WHERE id = {second.id}"))[0]["bio"]
    await _set_raw("member", "bio", first.id, two)
    await _set_raw("member", "bio", second.id, one)
    for member in (first, second):
        bio = (await Member.get(id=member.id)).bio
        assert isinstance(bio, crypto.Unavailable) and bio == ""


def test_rotate_data_key_reencrypts_everything_with_progress(tmp_path):
    server = start_server(tmp_path)
    try:
        code = subprocess.run([sys.executable, "-m", "network.core.cli", "invite"], env=server.env, cwd=ROOT,
                              capture_output=True, text=True, check=True).stdout.strip().splitlines()[-1]
        with httpx.Client(base_url=server.url) as http:
            body = http.post("/api/v1/auth/register", json={"invite_code": code, "pseudonym": "Rotating Star",
                                                            "passphrase": "stars turning slowly"}).json()
            http.patch("/api/v1/me", json={"bio": BIO}, headers={"x-csrf-token": body["csrf_token"]}).raise_for_status()
    finally:
        stop_server(server)
    db_path = tmp_path / "var" / "survnet.sqlite3"
    before = sqlite3.connect(db_path).execute("SELECT bio FROM member").fetchone()[0]
    old_key = (tmp_path / "var" / "data_key").read_text().strip()
    result = subprocess.run([sys.executable, "-m", "network.core.cli", "rotate-data-key", "--generate"], env=server.env,
                            cwd=ROOT, capture_output=True, text=True, check=True)
    assert "member.bio: 1/1" in result.stdout and "re-encrypted" in result.stdout
    after = sqlite3.connect(db_path).execute("SELECT bio FROM member").fetchone()[0]
    assert after != before and after.split(":")[2] != before.split(":")[2] and BIO not in after
    assert (tmp_path / "var" / "data_key").read_text().strip() != old_key
    # The new key alone reads it: the old one is no longer needed.
    (tmp_path / "var" / "previous_data_keys").unlink()
    server = start_server(tmp_path, migrate=False)
    try:
        with httpx.Client(base_url=server.url) as http:
            http.post("/api/v1/auth/login", json={"pseudonym": "Rotating Star", "passphrase": "stars turning slowly"}).raise_for_status()
            assert http.get("/api/v1/me").json()["member"]["bio"] == BIO
    finally:
        stop_server(server)
