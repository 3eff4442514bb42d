"""schemathesis over the OpenAPI document against a live server, for an anonymous caller and every
role, with all its checks, a fixed seed and a bounded number of examples per operation: no server
error, and no answer that the document does not describe (tests/fuzz/schemathesis.toml)."""

from __future__ import annotations

import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

from network.core.settings import ROOT
from tests.conftest import start_server, stop_server
from tests.rooms_helpers import PASSPHRASE, invite

CONFIG = ROOT / "tests" / "fuzz" / "schemathesis.toml"
EXAMPLES = int(os.environ.get("SURVNET_FUZZ_EXAMPLES", "15"))
SEED = 20261201
# In a signed-in run, the calls that end the caller's own session would end the run's too.
ENDS_MY_SESSION = ["auth_login", "auth_register", "auth_logout", "me_erase", "me_session_delete"]
# Run in this order: a later role (an administrator) may suspend or demote an earlier one's account.
ROLES = ["member", "policymaker", "moderator", "admin"]


def _sign_in(server, role: str) -> tuple[str, str]:
    http = httpx.Client(base_url=server.url)
    body = http.post("/api/v1/auth/register", json={"invite_code": invite(server, role),
                                                    "pseudonym": f"Fuzz {role.title()}", "passphrase": PASSPHRASE})
    assert body.status_code == 201, body.text
    return http.cookies["survnet"], body.json()["csrf_token"]


def _fuzz(server, tmp_path: Path, name: str, session: str = "", csrf: str = "", exclude=()) -> str:
    env = {**os.environ, "SURVNET_FUZZ_SESSION": session, "SURVNET_FUZZ_CSRF": csrf}
    command = [str(Path(sys.executable).parent / "schemathesis"), "--config-file", str(CONFIG), "run",
               f"{server.url}/api/openapi.json", "--checks", "all", "--max-examples", str(EXAMPLES),
               "--seed", str(SEED), "--no-color", "--output-truncate", "false", "--workers", "1",
               "--request-timeout", "20", "--suppress-health-check", "all", "--warnings", "off",
               # The stateful phase feeds values found in answers (a count of 0 uses) into bodies whose
               # document refuses them, and calls that valid data: the other phases cover every operation.
               "--phases", "examples,coverage,fuzzing"]
    for operation in exclude:
        command += ["--exclude-operation-id", operation]
    result = subprocess.run(command, env=env, capture_output=True, text=True, cwd=tmp_path, timeout=600)
    (tmp_path / f"schemathesis-{name}.txt").write_text(result.stdout + result.stderr)
    return result.stdout + result.stderr if result.returncode else ""


def _beyond(role: str) -> list[str]:
    """The operations a role may not call: fuzzed signed out (every one is refused there, whatever its
    body), and each role's refusal by the access matrix; a signed-in run fuzzes what the role may call.
    What acts for an organisation no fuzzing account represents: tests/test_organisations.py walks
    those routes, and tests/test_grants.py their refusals of bad bodies."""
    from network.app import create_app
    from network.core.access import allowed
    from network.core.openapi import api_specs

    return sorted(spec.name for spec in api_specs(create_app().routes)
                  if not allowed(role, spec.access) or spec.acts_for)


def _fuzz_everyone(tmp_path: Path, env: dict, roles: list[str]) -> tuple[list[str], dict[str, str]]:
    """One server on one database, fuzzed as an anonymous caller and then as each of `roles`."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    server = start_server(tmp_path, env)
    try:
        # Every role signs in first: the anonymous run tries so many wrong sign-ins that this client
        # is (rightly) made to wait before it may try again.
        sessions = {role: _sign_in(server, role) for role in ROLES}
        failures = {"anonymous": _fuzz(server, tmp_path, "anonymous")}
        for role in roles:
            failures[role] = _fuzz(server, tmp_path, role, *sessions[role], exclude=ENDS_MY_SESSION + _beyond(role))
        errors = [line for line in server.logs().splitlines() if "Traceback" in line or " 500 " in line]
    finally:
        stop_server(server)
    return errors, failures


def test_the_fuzzer_finds_no_server_error_and_nothing_the_document_does_not_say(tmp_path, postgres_url):
    # SQLite and PostgreSQL each have a server of their own; they are fuzzed side by side (two
    # processes each), as two cores allow, so the suite stays within its time. Both are fuzzed signed
    # out (every operation, refused); each role once, on one of them, the two halves about as long:
    # PostgreSQL, the database of several workers, as an administrator, who reaches every operation,
    # and as a member; SQLite as a policymaker and a moderator. What a database does differently with
    # a number or a text, tests/test_bad_input.py tries on both for every field; what a role may
    # reach is the access matrix's to check (tests/test_access_matrix.py).
    plan = (("sqlite", {}, ["policymaker", "moderator"]),
            ("postgres", {"SURVNET_DATABASE_URL": postgres_url}, ["member", "admin"]))
    with ThreadPoolExecutor(max_workers=2) as pool:
        runs = {database: pool.submit(_fuzz_everyone, tmp_path / database, env, roles) for database, env, roles in plan}
        results = {database: run.result() for database, run in runs.items()}
    for database, (errors, failures) in results.items():
        assert errors == [], f"{database}: server errors:\n" + "\n".join(errors[:20])
        found = {who: report for who, report in failures.items() if report}
        assert not found, f"{database}:\n" + "\n\n".join(f"--- {who} ---\n{report[-6000:]}"
                                                           for who, report in found.items())
