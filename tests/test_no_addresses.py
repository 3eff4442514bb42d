"""No client IP address anywhere: not in logs, not in any table, not in the database file."""

import sqlite3

import httpx

from tests.conftest import start_server, stop_server

CLIENT = "127.0.0.77"           # the address this test connects from (loopback, but distinctive)
FORWARDED = "203.0.113.199"     # what a proxy or an attacker might claim


def test_no_address_in_logs_tables_or_the_database_file(tmp_path):
    server = start_server(tmp_path)
    try:
        import subprocess
        import sys

        from network.core.settings import ROOT

        code = subprocess.run([sys.executable, "-m", "network.core.cli", "invite"], env=server.env, cwd=ROOT,
                              capture_output=True, text=True, check=True).stdout.strip().splitlines()[-1]
        transport = httpx.HTTPTransport(local_address=CLIENT)
        headers = {"x-forwarded-for": FORWARDED, "x-real-ip": FORWARDED, "forwarded": f"for={FORWARDED}"}
        with httpx.Client(base_url=server.url, transport=transport, headers=headers) as http:
            body = http.post("/api/v1/auth/register", json={"invite_code": code, "pseudonym": "Far Away",
                                                            "passphrase": "nobody knows where I am"}).json()
            http.headers["x-csrf-token"] = body["csrf_token"]
            http.patch("/api/v1/me", json={"bio": "hello"})
            for path in ("/", "/me", "/me/sessions", "/missing", "/api/v1/missing", "/healthz"):
                http.get(path)
            for _ in range(5):  # failed logins feed the throttle, which must not keep the address
                http.post("/api/v1/auth/login", json={"pseudonym": "Far Away", "passphrase": "wrong wrong wrong"})
            http.post("/api/v1/auth/login", json={"pseudonym": "Far Away", "passphrase": "x" * 5000})
            http.get("/exit")
    finally:
        stop_server(server)
    logs = server.logs()
    assert "POST /api/v1/auth/register 201" in logs  # the access log is on
    for address in (CLIENT, FORWARDED):
        assert address not in logs, f"{address} in the logs"
    db_path = tmp_path / "var" / "survnet.sqlite3"
    for path in (tmp_path / "var").iterdir():  # the database, its journal, the keys
        raw = path.read_bytes()
        for address in (CLIENT, FORWARDED):
            assert address.encode() not in raw, path
    connection = sqlite3.connect(db_path)
    tables = [row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")]
    for table in tables:
        for row in connection.execute(f'SELECT * FROM "{table}"'):
            for value in row:
                for address in (CLIENT, FORWARDED):
                    assert address not in str(value), (table, address)
