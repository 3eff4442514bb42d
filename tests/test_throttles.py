"""Throttles no one can turn against members, and no passphrase oracles (network.members.throttle).

Nothing here waits for a clock: a wait that would have passed is lifted by deleting its counter,
and a wait that must last is made long by the delay function, never raced."""

import asyncio

import httpx
import pytest
from tortoise import Tortoise

from network.app import create_app
from network.core.middleware import ForgetClientAddress
from network.core.refusal import Refused
from network.members import accounts, pseudonyms, throttle
from network.members.auth import DEVICE_MAX_AGE
from network.members.models import Member
from tests.helpers import PASSPHRASE, api_login, csrf_from, make_member, new_client, signed_in

WRONG = "not the right passphrase"
DURESS = "a different phrase for danger"
LOGIN = "/api/v1/auth/login"


async def _client_key(settings, address: str = "127.0.0.1") -> str:
    """The key ForgetClientAddress gives a request from this address (httpx's ASGI client is 127.0.0.1)."""
    seen = {}

    async def app(scope, receive, send):
        seen.update(scope["state"])

    await ForgetClientAddress(app, settings.secret_key)({"type": "http", "client": (address, 1)}, None, None)
    return seen["client_key"]


def _device_cookies(response) -> list[str]:
    return [c for c in response.headers.get_list("set-cookie") if c.startswith(("device=", "__Host-device="))]


def _lift_waits(app, prefix: str) -> None:
    """As if the wait had passed: its counter goes (the failures stay counted)."""
    counters = app.state.runtime.counters
    for key in [k for k in counters._data if k.startswith(prefix)]:
        counters._data.pop(key)


async def _flood(app, member, failures: int, client_key: str) -> None:
    """`failures` real failed sign-ins on the member's pseudonym from one client, through the service.
    Each wait is lifted before the next try, so every one is a full verification counted as a failure."""
    rt = app.state.runtime
    for _ in range(failures):
        _lift_waits(app, "login:wait:")
        with pytest.raises(Refused) as refused:
            await accounts.authenticate(rt, member.pseudonym, WRONG, client_key)
        assert refused.value.code == "wrong_login"


async def test_a_thousand_failures_lock_no_one_out(app):
    target, other = await make_member(app, pseudonym="Watched Heron"), await make_member(app)
    async with new_client(app) as own_phone:
        token = await api_login(own_phone, target.pseudonym)  # the member's own device, known from before
        await own_phone.post("/api/v1/auth/logout", headers={"x-csrf-token": token})
        assert own_phone.cookies.get("device")  # signing out keeps it

        client_key = await _client_key(app.state.settings)
        await _flood(app, target, 1000, client_key)
        async with new_client(app) as attacker:  # and over HTTP, from the same address
            for _ in range(5):
                response = await attacker.post(LOGIN, json={"pseudonym": target.pseudonym, "passphrase": WRONG})
                assert response.status_code == 429
            # An unknown device for the attacked pseudonym waits, even with the right passphrase.
            refused = await attacker.post(LOGIN, json={"pseudonym": target.pseudonym, "passphrase": PASSPHRASE})
            assert refused.status_code == 429 and refused.json()["error"]["code"] == "throttled"
            assert 0 < int(refused.headers["retry-after"]) <= throttle.MAX_DELAY

        # The member's known device signs in at once, while the pseudonym is under attack.
        response = await own_phone.post(LOGIN, json={"pseudonym": target.pseudonym, "passphrase": PASSPHRASE})
        assert response.status_code == 200, response.text

    # Another member behind the same address (no device cookie) is never refused.
    async with new_client(app) as somebody:
        await api_login(somebody, other.pseudonym)
    # Memory stays bounded: a handful of expiring counters, whatever the number of failures.
    assert len(app.state.runtime.counters._data) < 10


async def test_a_known_device_has_its_own_growing_delays(app):
    member = await make_member(app)
    async with new_client(app) as phone, new_client(app) as borrowed:
        phone.headers["x-csrf-token"] = await api_login(phone, member.pseudonym)
        statuses = [(await phone.post(LOGIN, json={"pseudonym": member.pseudonym, "passphrase": WRONG})).status_code
                    for _ in range(5)]
        assert statuses[:3] == [401] * 3 and statuses[3:] == [429, 429]
        # The device's failures delay the device only: another device signs in.
        await api_login(borrowed, member.pseudonym)
        # And the known device again, once its wait is over: a delay, never a lock-out.
        _lift_waits(app, "login:devwait:")
        phone.headers["x-csrf-token"] = await api_login(phone, member.pseudonym)


async def test_untrusted_failures_do_not_delay_a_known_device_and_vice_versa(app):
    member = await make_member(app)
    async with new_client(app) as phone, new_client(app) as stranger:
        phone.headers["x-csrf-token"] = await api_login(phone, member.pseudonym)
        for _ in range(4):
            await stranger.post(LOGIN, json={"pseudonym": member.pseudonym, "passphrase": WRONG})
        assert (await stranger.post(LOGIN, json={"pseudonym": member.pseudonym, "passphrase": WRONG})).status_code == 429
        phone.headers["x-csrf-token"] = await api_login(phone, member.pseudonym)
        # The member's sign-in did not lift the stranger's wait.
        assert (await stranger.post(LOGIN, json={"pseudonym": member.pseudonym, "passphrase": PASSPHRASE})).status_code == 429


async def test_over_its_cap_a_client_is_slowed_never_refused(app):
    """Thirty failures across pseudonyms from one address: its unknown devices wait from their
    first failure on a pseudonym, and a right passphrase on any pseudonym not waiting signs in."""
    rt = app.state.runtime
    member, client_key = await make_member(app), await _client_key(app.state.settings)
    for n in range(throttle.CLIENT_MAX_FAILURES):
        with pytest.raises(Refused):
            await accounts.authenticate(rt, f"Sprayed {n}", WRONG, client_key)
    with pytest.raises(Refused) as first:
        await accounts.authenticate(rt, "Sprayed again", WRONG, client_key)
    assert first.value.code == "wrong_login"  # tried, not refused
    with pytest.raises(Refused) as second:
        await accounts.authenticate(rt, "Sprayed again", WRONG, client_key)
    assert second.value.code == "throttled"  # no free failures any more
    signed, duress = await accounts.authenticate(rt, member.pseudonym, PASSPHRASE, client_key)
    assert signed.id == member.id and not duress


async def test_a_burst_learns_no_more_than_one_attempt_at_a_time(app, monkeypatch):
    """Attempts sent together all pass the first check; those answered after a delay began say
    only "wait", so a burst learns no more than attempts sent one by one."""
    monkeypatch.setattr(throttle, "delay_after", lambda failures, free=throttle.FREE_FAILURES:
                        3600 if failures >= free else 0)
    rt = app.state.runtime
    member = await make_member(app)
    results = await asyncio.gather(*(accounts.authenticate(rt, member.pseudonym, WRONG, "burst") for _ in range(10)),
                                   return_exceptions=True)
    codes = sorted(r.code for r in results)
    assert codes == ["throttled"] * 7 + ["wrong_login"] * throttle.FREE_FAILURES


async def test_the_device_cookie_names_no_one_and_binds_its_pseudonym(app):
    rt = app.state.runtime
    member, other = await make_member(app, pseudonym="Amani Rose"), await make_member(app)
    async with new_client(app) as http:
        response = await http.post(LOGIN, json={"pseudonym": member.pseudonym, "passphrase": PASSPHRASE})
        [cookie] = _device_cookies(response)
        assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/" in cookie
        assert f"Max-Age={DEVICE_MAX_AGE}" in cookie and DEVICE_MAX_AGE >= 30 * 86400
        assert "Secure" not in cookie  # the test settings serve plain HTTP
        token = http.cookies["device"]
        key = pseudonyms.key(member.pseudonym)
        assert key == member.pseudonym_key and key not in token and "amani" not in token.lower()
        assert "survnet" not in cookie.lower() and "rose" not in token.lower()
        # A new value at every sign-in.
        http.headers["x-csrf-token"] = response.json()["csrf_token"]
        again = await http.post(LOGIN, json={"pseudonym": member.pseudonym, "passphrase": PASSPHRASE})
        assert again.status_code == 200
        http.headers["x-csrf-token"] = again.json()["csrf_token"]
        assert http.cookies["device"] != token and _device_cookies(again)
        # A failed sign-in sets none.
        wrong = await http.post(LOGIN, json={"pseudonym": member.pseudonym, "passphrase": WRONG})
        assert _device_cookies(wrong) == []
    assert throttle.trusted_device(rt, key, token)
    assert throttle.trusted_device(rt, other.pseudonym_key, token) is None  # for one pseudonym only
    nonce, mac = token.split(".")
    for forged in (None, "", ".", nonce, f"{nonce}.{'0' * len(mac)}", f"x{nonce}.{mac}", token + "é",
                   token + "a" * 300, f"{nonce}.{mac}.{mac}"):
        assert throttle.trusted_device(rt, key, forged) is None, forged


async def test_a_duress_sign_in_sets_the_same_device_cookie(app):
    member = await make_member(app)
    async with signed_in(app, member) as http:
        response = await http.put("/api/v1/me/duress", json={"current_passphrase": PASSPHRASE, "passphrase": DURESS,
                                                             "action": "none"})
        assert response.status_code == 200, response.text
    async with new_client(app) as normal, new_client(app) as forced:
        real = await normal.post(LOGIN, json={"pseudonym": member.pseudonym, "passphrase": PASSPHRASE})
        decoy = await forced.post(LOGIN, json={"pseudonym": member.pseudonym, "passphrase": DURESS})
        assert real.status_code == decoy.status_code == 200
        [one], [two] = _device_cookies(real), _device_cookies(decoy)
        assert one.split("=")[0] == two.split("=")[0] and one.split(";")[1:] == two.split(";")[1:]
        assert len(normal.cookies["device"]) == len(forced.cookies["device"])
        key = member.pseudonym_key
        assert throttle.trusted_device(app.state.runtime, key, forced.cookies["device"])


async def test_secure_settings_make_a_secure_host_device_cookie(settings):
    app = create_app(settings.with_(cookie_secure=True))
    async with app.router.lifespan_context(app):
        await Tortoise.generate_schemas()
        member = await make_member(app)
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="https://testserver") as http:
            response = await http.post(LOGIN, json={"pseudonym": member.pseudonym, "passphrase": PASSPHRASE})
    [cookie] = _device_cookies(response)
    assert cookie.startswith("__Host-device=") and "; Secure" in cookie and "Domain" not in cookie


async def test_a_known_device_can_recover_while_its_pseudonym_is_attacked(app):
    member = await make_member(app)
    client_key = await _client_key(app.state.settings)
    async with new_client(app) as phone, new_client(app) as stranger:
        phone.headers["x-csrf-token"] = await api_login(phone, member.pseudonym)
        await _flood(app, member, 10, client_key)
        body = {"pseudonym": member.pseudonym, "recovery_code": member.recovery_codes_plain[0],
                "new_passphrase": "a fresh long passphrase"}
        assert (await stranger.post("/api/v1/auth/recover", json=body)).status_code == 429
        assert (await phone.post("/api/v1/auth/recover", json=body)).status_code == 200


# Passphrases asked again inside a session ------------------------------------------------------------

async def test_guessing_the_current_passphrase_in_a_session_is_throttled(app):
    member = await make_member(app)
    async with signed_in(app, member) as http:
        answers = []
        for _ in range(25):
            response = await http.put("/api/v1/me/passphrase", json={"current_passphrase": WRONG,
                                                                     "new_passphrase": "another good passphrase"})
            answers.append(response)
        statuses = [r.status_code for r in answers]
        assert statuses[:throttle.FREE_FAILURES] == [422] * throttle.FREE_FAILURES
        assert set(statuses[throttle.FREE_FAILURES:]) == {429}
        assert len({r.content for r in answers[:throttle.FREE_FAILURES]}) == 1  # every wrong guess the same
        assert all(0 < int(r.headers["retry-after"]) <= throttle.MAX_DELAY for r in answers[throttle.FREE_FAILURES:])
        # The count is the member's, whichever check asks: erasure and the second passphrase wait too.
        erase = await http.request("DELETE", "/api/v1/me", json={"passphrase": PASSPHRASE})
        assert erase.status_code == 429 and await Member.filter(id=member.id).exists()
        duress = await http.put("/api/v1/me/duress", json={"current_passphrase": PASSPHRASE, "passphrase": DURESS,
                                                           "action": "none"})
        assert duress.status_code == 429
        # A wait, never a lock-out: once it is over the right passphrase works.
        _lift_waits(app, "pass:wait:")
        ok = await http.put("/api/v1/me/passphrase", json={"current_passphrase": PASSPHRASE,
                                                           "new_passphrase": "another good passphrase"})
        assert ok.status_code == 200, ok.text
    assert throttle.delay_after(10_000) == throttle.MAX_DELAY


async def test_the_passphrase_forms_are_throttled_too(app):
    member = await make_member(app)
    async with signed_in(app, member) as http:
        statuses = []
        for _ in range(5):
            page = await http.get("/me/erase")
            response = await http.post("/me/erase", data={"csrf_token": csrf_from(page.text), "passphrase": WRONG})
            statuses.append(response.status_code)
        assert statuses[:3] == [422] * 3 and statuses[3:] == [429, 429]
        page = await http.get("/me/passphrase")
        codes = await http.post("/me/recovery-codes", data={"csrf_token": csrf_from(page.text), "passphrase": PASSPHRASE})
        assert codes.status_code == 429
    assert await Member.filter(id=member.id).exists()


async def test_the_duress_passphrase_is_no_oracle(app):
    member = await make_member(app)
    async with signed_in(app, member) as http:
        # Without the right current passphrase: the same answer whether or not the guess is the real one.
        is_real = await http.put("/api/v1/me/duress", json={"current_passphrase": WRONG, "passphrase": PASSPHRASE,
                                                            "action": "none"})
        is_not = await http.put("/api/v1/me/duress", json={"current_passphrase": WRONG, "passphrase": DURESS,
                                                           "action": "none"})
        assert is_real.status_code == is_not.status_code == 422
        assert is_real.content == is_not.content and is_real.json()["error"]["code"] == "wrong_passphrase"
        # Missing altogether: refused before anything is looked at.
        missing = await http.put("/api/v1/me/duress", json={"passphrase": PASSPHRASE, "action": "none"})
        assert missing.status_code == 422 and "current_passphrase" in missing.json()["error"]["fields"]
        # Only once the current passphrase is proven may it say the second is the same.
        same = await http.put("/api/v1/me/duress", json={"current_passphrase": PASSPHRASE, "passphrase": PASSPHRASE,
                                                         "action": "none"})
        assert same.status_code == 422 and same.json()["error"]["code"] == "same_passphrase"
        # The form answers the same way, and says nothing of the second passphrase until then.
        pages = []
        for guess in (PASSPHRASE, DURESS):
            page = await http.get("/safety")
            pages.append(await http.post("/safety/duress", data={
                "csrf_token": csrf_from(page.text), "current_passphrase": WRONG, "passphrase": guess,
                "passphrase_again": guess, "action": "none"}))
        assert pages[0].status_code == pages[1].status_code == 422
        for response in pages:
            assert "Your current passphrase is not right." in response.text
            assert "different from your usual one." not in response.text
        # Guessing the current passphrase through it is throttled like everywhere else.
        page = await http.get("/safety")
        third = await http.post("/safety/duress", data={
            "csrf_token": csrf_from(page.text), "current_passphrase": WRONG, "passphrase": DURESS,
            "passphrase_again": DURESS, "action": "none"})
        page = await http.get("/safety")
        fourth = await http.post("/safety/duress", data={
            "csrf_token": csrf_from(page.text), "current_passphrase": PASSPHRASE, "passphrase": DURESS,
            "passphrase_again": DURESS, "action": "none"})
        assert third.status_code == 422 and fourth.status_code == 429
        _lift_waits(app, "pass:wait:")
        page = await http.get("/safety")
        form = await http.post("/safety/duress", data={
            "csrf_token": csrf_from(page.text), "current_passphrase": PASSPHRASE, "passphrase": DURESS,
            "passphrase_again": DURESS, "action": "hide"})
        assert form.status_code == 303
    stored = await Member.get(id=member.id)
    assert stored.duress_hash and stored.duress_action == "hide"
