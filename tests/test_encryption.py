"""Sensitive fields are encrypted at rest, and `survnet rotate-data-key` moves them to a new key."""

import sqlite3
import subprocess
import sys

from tortoise import connections

from network.core import crypto
from network.core.settings import ROOT
from network.members.models import Member
from network.safety.models import SafetyAlert
from tests.conftest import both_databases, start_server, stop_server
from tests.helpers import make_member, signed_in

BIO = "I was in Goma in 2019 and my sister"
NOTE = "an alert note that must stay secret"


async def _raw(sql: str) -> list[dict]:
    return await connections.get("default").execute_query_dict(sql)


@both_databases
async def test_raw_database_holds_no_plaintext_of_sensitive_fields(app, database_url):
    member = await make_member(app)
    async with signed_in(app, member) as http:
        assert (await http.patch("/api/v1/me", json={"bio": BIO})).status_code == 200
        assert (await http.get("/api/v1/me")).json()["member"]["bio"] == BIO
    await SafetyAlert.create(member=member, note=NOTE)
    rows = await _raw("SELECT bio FROM member") + await _raw("SELECT note AS bio FROM safety_alert")
    stored = [row["bio"] for row in rows if row["bio"]]
    assert len(stored) == 2
    for value in stored:
        assert value.startswith("enc:1:") and BIO not in value and NOTE not in value and "Goma" not in value
    version = crypto.keyring().current_version
    assert all(value.split(":")[2] == version for value in stored)
    assert (await Member.get(id=member.id)).bio == BIO


def test_a_value_cannot_be_moved_to_another_column():
    ring = crypto.Keyring("k" * 40)
    sealed = ring.encrypt("secret", "member.bio")
    assert ring.decrypt(sealed, "member.bio") == "secret"
    try:
        ring.decrypt(sealed, "safety_alert.note")
    except Exception:  # noqa: BLE001 - InvalidTag
        pass
    else:
        raise AssertionError("decrypted under another purpose")


def test_rotate_data_key_reencrypts_everything_with_progress(tmp_path):
    server = start_server(tmp_path)
    try:
        code = subprocess.run([sys.executable, "-m", "network.core.cli", "invite"], env=server.env, cwd=ROOT,
                              capture_output=True, text=True, check=True).stdout.strip().splitlines()[-1]
        import httpx

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
        import httpx

        with httpx.Client(base_url=server.url) as http:
            http.post("/api/v1/auth/login", json={"pseudonym": "Rotating Star", "passphrase": "stars turning slowly"}).raise_for_status()
            assert http.get("/api/v1/me").json()["member"]["bio"] == BIO
    finally:
        stop_server(server)
