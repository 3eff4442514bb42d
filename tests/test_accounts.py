"""Invitations, registration, login, recovery and passphrases, through the JSON API and forms."""

import asyncio

import pytest

from network.members import accounts, invitations, pseudonyms
from network.members.models import Invitation, Member, RecoveryCode, Session
from tests.conftest import both_databases
from tests.helpers import PASSPHRASE, api_login, csrf_from, make_member, new_client, signed_in


async def _invite(app, role="member", uses=1, days=7):
    _, code = await invitations.create(app.state.runtime, None, role=role, uses=uses, days=days)
    return code


@both_databases
async def test_register_through_the_api_signs_in_and_gives_ten_recovery_codes(app, client):
    code = await _invite(app, role="policymaker")
    response = await client.post("/api/v1/auth/register", json={
        "invite_code": code.lower().replace("-", " "), "pseudonym": "  Ｓｕｎ   Flower ", "passphrase": PASSPHRASE})
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["member"]["pseudonym"] == "Sun Flower"  # NFKC and spaces normalised
    assert body["member"]["role"] == "policymaker"
    assert len(body["recovery_codes"]) == 10 and len(set(body["recovery_codes"])) == 10
    assert body["csrf_token"]
    me = await client.get("/api/v1/me")
    assert me.status_code == 200 and me.json()["member"]["pseudonym"] == "Sun Flower"
    assert me.json()["csrf_token"] == body["csrf_token"]
    # Codes and passphrases are stored only hashed.
    stored = await Member.get(pseudonym="Sun Flower")
    # One Argon2id record (network.core.hashing): the verifier, never the passphrase or the key it opens.
    assert PASSPHRASE not in stored.passphrase_hash and stored.passphrase_hash.startswith("$survnet-kdf$v=1$")
    hashes = {rc.code_hash for rc in await RecoveryCode.filter(member=stored)}
    assert not hashes & set(body["recovery_codes"])
    invitation = await Invitation.get(uses=1)
    assert code not in invitation.code_hash


async def test_an_invitation_is_single_use_unless_made_for_more(app, client):
    code = await _invite(app)
    first = await client.post("/api/v1/auth/register", json={"invite_code": code, "pseudonym": "First One", "passphrase": PASSPHRASE})
    assert first.status_code == 201
    async with new_client(app) as other:
        second = await other.post("/api/v1/auth/register", json={"invite_code": code, "pseudonym": "Second One", "passphrase": PASSPHRASE})
    assert second.status_code == 422
    assert second.json()["error"]["code"] == "invalid_invitation"
    assert not await Member.filter(pseudonym="Second One").exists()


async def test_concurrent_registrations_cannot_share_the_last_use(app):
    code = await _invite(app, uses=2)

    async def attempt(n):
        async with new_client(app) as http:
            return await http.post("/api/v1/auth/register", json={
                "invite_code": code, "pseudonym": f"Racer {n}", "passphrase": PASSPHRASE})

    results = await asyncio.gather(*(attempt(n) for n in range(6)))
    assert sorted(r.status_code for r in results) == [201, 201, 422, 422, 422, 422]
    assert await Member.filter(pseudonym__startswith="Racer").count() == 2


async def test_expired_and_revoked_invitations_are_refused(app, client):
    invitation, code = await invitations.create(app.state.runtime, None)
    await invitations.revoke(await make_member(app, "admin"), invitation.id)
    response = await client.post("/api/v1/auth/register", json={"invite_code": code, "pseudonym": "Late One", "passphrase": PASSPHRASE})
    assert response.status_code == 422
    expired, code2 = await invitations.create(app.state.runtime, None)
    from datetime import datetime, timedelta, timezone
    await Invitation.filter(id=expired.id).update(expires_at=datetime.now(timezone.utc) - timedelta(minutes=1))
    response = await client.post("/api/v1/auth/register", json={"invite_code": code2, "pseudonym": "Late Two", "passphrase": PASSPHRASE})
    assert response.status_code == 422 and response.json()["error"]["code"] == "invalid_invitation"


@pytest.mark.parametrize("pseudonym,code", [
    # Lengths are in the OpenAPI document, so the body's own validation refuses them ("invalid").
    ("ab", "invalid"), ("x" * 33, "invalid"), ("bad<name>", "invalid_pseudonym"),
    ("call me 📞", "invalid_pseudonym"), ("1234", "invalid_pseudonym"),
])
async def test_bad_pseudonyms_are_refused_with_a_reason(app, client, pseudonym, code):
    invite = await _invite(app)
    response = await client.post("/api/v1/auth/register", json={"invite_code": invite, "pseudonym": pseudonym, "passphrase": PASSPHRASE},
                                 headers={"accept-language": "fr"})
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == code and "pseudonym" in error["fields"]
    assert error["message"] != accounts.PSEUDONYM_PROBLEMS["length"]  # French, not English
    assert await Invitation.filter(uses=0).count() == 1  # the invitation is not spent


@pytest.mark.parametrize("taken,attempt", [
    ("Amina", "amina"), ("Amina", "AMINA"), ("Amina", "Аmina"), ("Paypal Pal", "Pаypal Pal"),
    ("Olena", "Оlena"), ("Amina K", "Amina_K"), ("Nadia", "Ｎａｄｉａ"),
])
async def test_look_alike_pseudonyms_are_refused(app, client, taken, attempt):
    await make_member(app, pseudonym=taken)
    invite = await _invite(app)
    response = await client.post("/api/v1/auth/register", json={"invite_code": invite, "pseudonym": attempt, "passphrase": PASSPHRASE})
    assert response.status_code in (409, 422), attempt
    assert response.json()["error"]["code"] in ("pseudonym_taken", "invalid_pseudonym")
    assert await Member.all().count() == 1


def test_scripts_of_their_own_are_welcome():
    for name in ("فاطمه", "Олена", "María José", "Wanjiru_2"):
        assert pseudonyms.problem(pseudonyms.normalise(name)) is None, name
    assert pseudonyms.skeleton("Amina") == pseudonyms.skeleton("Аmina")


@pytest.mark.parametrize("passphrase,code", [("short", "invalid"), ("password1234", "weak_passphrase"),
                                             ("iloveyou2024!", "weak_passphrase"), ("aaaaaaaaaaaaaa", "weak_passphrase"),
                                             ("x" * 129, "invalid")])
async def test_weak_passphrases_are_refused(app, client, passphrase, code):
    invite = await _invite(app)
    response = await client.post("/api/v1/auth/register", json={"invite_code": invite, "pseudonym": "Careful One", "passphrase": passphrase})
    assert response.status_code == 422
    assert response.json()["error"]["code"] == code and "passphrase" in response.json()["error"]["fields"]


@both_databases
async def test_login_logout_through_the_api(app, client, database_url):
    member = await make_member(app)
    csrf = await api_login(client, member.pseudonym)
    assert (await client.get("/api/v1/me")).status_code == 200
    refused = await client.post("/api/v1/auth/logout")
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "csrf"
    response = await client.post("/api/v1/auth/logout", headers={"x-csrf-token": csrf})
    assert response.status_code == 200
    assert response.headers["clear-site-data"] == '"cache", "storage"'
    assert (await client.get("/api/v1/me")).status_code == 401
    assert await Session.all().count() == 0


async def test_unknown_pseudonym_and_wrong_passphrase_look_the_same(app, client):
    member = await make_member(app)
    wrong = await client.post("/api/v1/auth/login", json={"pseudonym": member.pseudonym, "passphrase": "not the right passphrase"})
    unknown = await client.post("/api/v1/auth/login", json={"pseudonym": "Nobody Here", "passphrase": "not the right passphrase"})
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.content == unknown.content
    assert "set-cookie" not in wrong.headers or "survnet=" not in wrong.headers["set-cookie"]


async def test_an_unknown_pseudonym_still_runs_a_full_verification(app):
    """The dummy hash has the real parameters, so the work (and the time) is the same."""
    hasher = app.state.runtime.hasher
    assert await hasher.verify(None, "anything at all") is False
    dummy, stored = hasher._dummy, await hasher.hash(PASSPHRASE)
    assert dummy.split("$")[1:4] == stored.split("$")[1:4]  # algorithm, version, m/t/p


async def test_login_form_sets_a_new_session_and_redirects(app, client):
    member = await make_member(app)
    page = await client.get("/login?next=/me")
    token = csrf_from(page.text)
    response = await client.post("/login", data={"csrf_token": token, "pseudonym": member.pseudonym.upper(),
                                                 "passphrase": PASSPHRASE, "next": "/me"})
    assert response.status_code == 303 and response.headers["location"] == "/me"
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    first_session = await Session.get(member=member)
    # Signing in again replaces the session with a new id.
    page = await client.get("/login")
    await client.post("/login", data={"csrf_token": csrf_from(page.text), "pseudonym": member.pseudonym,
                                      "passphrase": PASSPHRASE})
    sessions = await Session.filter(member=member)
    assert len(sessions) == 1 and sessions[0].token_hash != first_session.token_hash


async def test_login_form_refuses_offsite_next(app, client):
    member = await make_member(app)
    page = await client.get("/login")
    response = await client.post("/login", data={"csrf_token": csrf_from(page.text), "pseudonym": member.pseudonym,
                                                 "passphrase": PASSPHRASE, "next": "//evil.example/"})
    assert response.headers["location"] == "/"


async def test_forms_without_the_csrf_token_change_nothing(app, client):
    member = await make_member(app)
    response = await client.post("/login", data={"pseudonym": member.pseudonym, "passphrase": PASSPHRASE})
    assert response.status_code == 403
    assert await Session.all().count() == 0
    async with signed_in(app, member) as http:
        response = await http.post("/me", data={"bio": "changed", "csrf_token": "forged" * 5})
        assert response.status_code == 403
    assert (await Member.get(id=member.id)).bio == ""


async def test_throttling_grows_per_pseudonym_and_never_locks_the_member_out(app, client, monkeypatch):
    from network.members import throttle

    member = await make_member(app)
    statuses = []
    for _ in range(5):
        response = await client.post("/api/v1/auth/login", json={"pseudonym": member.pseudonym, "passphrase": "wrong passphrase!!"})
        statuses.append(response.status_code)
    assert statuses[:3] == [401, 401, 401] and 429 in statuses[3:]
    throttled = await client.post("/api/v1/auth/login", json={"pseudonym": member.pseudonym, "passphrase": PASSPHRASE})
    assert throttled.status_code == 429 and int(throttled.headers["retry-after"]) <= throttle.MAX_DELAY
    assert throttle.delay_after(10_000) == throttle.MAX_DELAY  # a wait, never a lock-out
    # Once the wait is over the right passphrase works.
    counters = app.state.runtime.counters
    for key in list(counters._data):
        if key.startswith("login:wait:"):
            await counters.delete(key)
    assert (await client.post("/api/v1/auth/login", json={"pseudonym": member.pseudonym, "passphrase": PASSPHRASE})).status_code == 200


async def test_throttling_per_client_across_pseudonyms(app, client):
    """Over its cap a client is slowed, never locked out: its failures wait from the first
    (network.members.throttle), and a member's right passphrase from it still signs in."""
    from network.members import throttle

    member = await make_member(app)
    for n in range(throttle.CLIENT_MAX_FAILURES):
        await client.post("/api/v1/auth/login", json={"pseudonym": f"Guess {n}", "passphrase": "wrong passphrase!!"})
    first = await client.post("/api/v1/auth/login", json={"pseudonym": "Guess again", "passphrase": "wrong passphrase!!"})
    assert first.status_code == 401
    response = await client.post("/api/v1/auth/login", json={"pseudonym": "Guess again", "passphrase": "wrong passphrase!!"})
    assert response.status_code == 429 and int(response.headers["retry-after"]) <= throttle.MAX_DELAY
    async with new_client(app) as other:  # the same client address, no device cookie
        await api_login(other, member.pseudonym)
    # Nothing about the client is in the database: the counters live in memory (or Redis).
    assert "127.0.0.1" not in repr(app.state.runtime.counters._data)


async def test_throttle_counts_are_shared_through_redis(settings, redis_url):
    """Two app instances (as two workers) see the same failures."""
    import redis.asyncio as redis
    from tortoise import Tortoise

    from network.app import create_app

    await (redis.from_url(redis_url)).flushdb()
    one, two = create_app(settings.with_(redis_url=redis_url)), create_app(settings.with_(redis_url=redis_url))
    async with one.router.lifespan_context(one):
        await Tortoise.generate_schemas()
        async with two.router.lifespan_context(two):
            member = await make_member(one)
            async with new_client(one) as a, new_client(two) as b:
                for http in (a, b, a):
                    await http.post("/api/v1/auth/login", json={"pseudonym": member.pseudonym, "passphrase": "wrong passphrase!!"})
                response = await b.post("/api/v1/auth/login", json={"pseudonym": member.pseudonym, "passphrase": "wrong passphrase!!"})
                assert response.status_code == 429


async def test_recovery_code_sets_a_new_passphrase_once_and_ends_every_session(app, client):
    member = await make_member(app)
    async with signed_in(app, member):
        pass
    async with signed_in(app, member) as other:
        assert await Session.filter(member=member).count() == 2
        code = member.recovery_codes_plain[3]
        new = "a brand new passphrase here"
        response = await client.post("/api/v1/auth/recover", json={"pseudonym": member.pseudonym, "recovery_code": code, "new_passphrase": new})
        assert response.status_code == 200
        assert await Session.filter(member=member).count() == 0
        assert (await other.get("/api/v1/me")).status_code == 401
    again = await client.post("/api/v1/auth/recover", json={"pseudonym": member.pseudonym, "recovery_code": code, "new_passphrase": "yet another passphrase!"})
    assert again.status_code == 401
    await api_login(client, member.pseudonym, new)


async def test_changing_the_passphrase_ends_the_other_sessions(app):
    member = await make_member(app)
    async with signed_in(app, member) as one, signed_in(app, member) as two:
        response = await one.put("/api/v1/me/passphrase", json={"current_passphrase": PASSPHRASE, "new_passphrase": "another good passphrase"})
        assert response.status_code == 200
        assert (await one.get("/api/v1/me")).status_code == 200
        assert (await two.get("/api/v1/me")).status_code == 401


async def test_stored_hash_is_upgraded_when_parameters_change(app, client):
    member = await make_member(app)
    old_hash = member.passphrase_hash
    from network.core.hashing import Hasher

    app.state.runtime.hasher = Hasher(memory_kib=2048, time_cost=2, concurrency=1)
    await api_login(client, member.pseudonym)
    upgraded = (await Member.get(id=member.id)).passphrase_hash
    assert upgraded != old_hash and "m=2048,t=2" in upgraded


def test_production_parameters_meet_owasp_minimum(tmp_path):
    from network.core.settings import load_settings
    from tests.conftest import base_env

    settings = load_settings(base_env(tmp_path))
    assert settings.argon2_memory_kib >= 19456 and settings.argon2_time_cost >= 2 and settings.argon2_parallelism == 1


async def test_members_vouch_for_at_most_two_a_month(app):
    member = await make_member(app)
    async with signed_in(app, member) as http:
        codes = []
        for _ in range(2):
            response = await http.post("/api/v1/invitations", json={})
            assert response.status_code == 201
            codes.append(response.json()["code"])
        third = await http.post("/api/v1/invitations", json={})
        assert third.status_code == 409 and third.json()["error"]["code"] == "vouch_limit"
        elevated = await http.post("/api/v1/invitations", json={"role": "moderator"})
        assert elevated.status_code == 403
    invitee, _ = await accounts.register(app.state.runtime, codes[0], "Invited Friend", PASSPHRASE)
    assert invitee.invited_by_id == member.id


async def test_who_invited_whom_is_for_moderators_only(app):
    inviter = await make_member(app, pseudonym="The Inviter")
    async with signed_in(app, inviter) as http:
        code = (await http.post("/api/v1/invitations", json={})).json()["code"]
    invitee, _ = await accounts.register(app.state.runtime, code, "Invitee Person", PASSPHRASE)
    invitee.visibility = "members"
    await invitee.save()
    moderator = await make_member(app, "moderator")
    other = await make_member(app)
    async with signed_in(app, moderator) as http:
        assert "The Inviter" in (await http.get(f"/members/{invitee.id}")).text
    async with signed_in(app, other) as http:
        page = await http.get(f"/members/{invitee.id}")
        assert page.status_code == 200 and "The Inviter" not in page.text
    async with signed_in(app, invitee) as http:
        assert "The Inviter" not in (await http.get(f"/members/{invitee.id}")).text


async def test_invite_command_prints_the_code_alone_on_its_last_line(tmp_path):
    import subprocess
    import sys

    from network.core.settings import ROOT
    from tests.conftest import base_env

    env = base_env(tmp_path / "var")
    subprocess.run([sys.executable, "-m", "network.core.cli", "migrate"], env=env, check=True, capture_output=True, cwd=ROOT)
    result = subprocess.run([sys.executable, "-m", "network.core.cli", "invite", "--role", "admin", "--uses", "3", "--days", "2"],
                            env=env, capture_output=True, text=True, cwd=ROOT, check=True)
    code = result.stdout.strip().splitlines()[-1]
    assert len(code) == 19 and code.count("-") == 3
    bad = subprocess.run([sys.executable, "-m", "network.core.cli", "invite", "--uses", "0"], env=env,
                         capture_output=True, text=True, cwd=ROOT)
    assert bad.returncode != 0


async def test_register_form_shows_codes_once_and_signs_in(app, client):
    code = await _invite(app)
    page = await client.get(f"/register?code={code}")
    assert code in page.text
    response = await client.post("/register", data={
        "csrf_token": csrf_from(page.text), "invite_code": code, "pseudonym": "Form Person",
        "passphrase": PASSPHRASE, "passphrase_again": PASSPHRASE})
    assert response.status_code == 201
    assert response.headers["cache-control"] == "no-store"
    assert response.text.count("<li>") >= 10
    assert (await client.get("/me")).status_code == 200


async def test_register_form_errors_keep_what_was_typed_but_not_the_passphrase(app, client):
    code = await _invite(app)
    page = await client.get("/register")
    response = await client.post("/register?lang=es", data={
        "csrf_token": csrf_from(page.text), "invite_code": code, "pseudonym": "Kept Name",
        "passphrase": PASSPHRASE, "passphrase_again": PASSPHRASE + "x"})
    assert response.status_code == 422
    assert 'value="Kept Name"' in response.text and PASSPHRASE not in response.text
    assert 'role="alert"' in response.text
    assert not await Member.exists()
