from network.core.assets import asset

"""Safety: quick exit, no-store, discreet mode, the duress passphrase and its decoy, panic wipe."""

import asyncio
import re

from network.core.settings import LOCALES
from network.members.models import Member, Session
from network.safety.models import SafetyAlert
from tests.helpers import PASSPHRASE, api_login, csrf_from, make_member, new_client, signed_in

DURESS = "a different phrase for danger"


async def test_quick_exit_ends_the_session_and_clears_the_site(app):
    member = await make_member(app)
    async with signed_in(app, member) as http:
        response = await http.get("/exit")
        assert response.status_code == 303
        assert response.headers["location"] == app.state.settings.quick_exit_url
        assert response.headers["clear-site-data"] == '"cache", "cookies", "storage"'
        assert "survnet=;" in response.headers["set-cookie"] and "Max-Age=0" in response.headers["set-cookie"]
        assert (await http.get("/api/v1/me")).status_code == 401
    assert await Session.all().count() == 0


async def test_every_page_has_the_quick_exit_button_and_the_shortcut_script(app, client):
    member = await make_member(app)
    async with signed_in(app, member) as http:
        for path in ("/", "/me", "/safety", "/members", "/no-such-page"):
            html = (await http.get(path)).text
            assert 'id="quick-exit"' in html and 'href="/exit"' in html, path
            assert f'<script src="{asset("js/app.js")}"' in html
    assert 'id="quick-exit"' in (await client.get("/login")).text
    script = (await client.get("/static/js/app.js")).text
    assert "location.replace" in script and '"Shift"' in script and "5000" in script


async def test_signed_in_pages_are_never_cached(app):
    member = await make_member(app, "admin")
    async with signed_in(app, member) as http:
        for route in app.routes:
            if getattr(getattr(route, "endpoint", None), "access", "public") == "public" \
                    or "GET" not in getattr(route, "methods", ()):
                continue
            path = re.sub(r"{\w+(:\w+)?}", str(member.id), route.path)
            response = await http.get(path)
            assert response.headers.get("cache-control") == "no-store", path


async def test_titles_never_name_the_member(app):
    member = await make_member(app, pseudonym="Unique Heron")
    async with signed_in(app, member) as http:
        await http.patch("/api/v1/me", json={"visibility": "members"})
        for path in ("/", "/me", "/me/sessions", "/safety", "/members", f"/members/{member.id}", "/invitations"):
            html = (await http.get(path)).text
            title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
            assert "Heron" not in title, path


async def test_discreet_mode_per_device_works_on_the_login_page(app, client):
    page = await client.get("/login")
    assert "Survivors" in page.text
    await client.post("/safety/discreet", data={"csrf_token": csrf_from(page.text), "on": "1", "next": "/login"})
    for code in LOCALES:
        html = (await client.get(f"/login?lang={code}")).text
        title = re.search(r"<title>(.*?)</title>", html).group(1)
        assert "notes.svg" in html and "favicon.svg" not in html
        normal = (await new_client_get(app, f"/login?lang={code}"))
        normal_title = re.search(r"<title>(.*?)</title>", normal).group(1)
        assert title != normal_title and normal_title not in html, code
    manifest = (await client.get("/manifest.webmanifest?lang=en")).json()
    assert manifest["name"] == "Notes" and manifest["icons"][0]["src"].endswith("notes.svg")


async def new_client_get(app, path):
    async with new_client(app) as http:
        return (await http.get(path)).text


async def test_discreet_mode_saved_for_the_member_follows_them(app):
    member = await make_member(app)
    async with signed_in(app, member) as http:
        page = await http.get("/safety")
        await http.post("/safety/discreet", data={"csrf_token": csrf_from(page.text), "on": "1", "next": "/safety"})
    assert (await Member.get(id=member.id)).discreet
    async with new_client(app) as other_device:
        response = await other_device.post("/api/v1/auth/login", json={"pseudonym": member.pseudonym, "passphrase": PASSPHRASE})
        assert "discreet=1" in response.headers.get_list("set-cookie")[-1] or any(
            "discreet=1" in c for c in response.headers.get_list("set-cookie"))
        assert "<title>Notes</title>" in (await other_device.get("/me")).text


async def _set_duress(app, member, action):
    async with signed_in(app, member) as http:
        response = await http.put("/api/v1/me/duress", json={"current_passphrase": PASSPHRASE, "passphrase": DURESS,
                                                             "action": action})
        assert response.status_code == 200, response.text


async def _wait_for(predicate, seconds=5.0):
    for _ in range(int(seconds / 0.05)):
        if await predicate():
            return True
        await asyncio.sleep(0.05)
    return False


async def test_duress_passphrase_rules(app):
    member = await make_member(app)
    async with signed_in(app, member) as http:
        same = await http.put("/api/v1/me/duress", json={"current_passphrase": PASSPHRASE, "passphrase": PASSPHRASE,
                                                         "action": "none"})
        assert same.status_code == 422 and same.json()["error"]["code"] == "same_passphrase"
        # Without the current passphrase nothing is said about the second one (tests/test_throttles.py).
        unproven = await http.put("/api/v1/me/duress", json={"current_passphrase": "not my passphrase at all",
                                                             "passphrase": PASSPHRASE, "action": "none"})
        assert unproven.status_code == 422 and unproven.json()["error"]["code"] == "wrong_passphrase"
        weak = await http.put("/api/v1/me/duress", json={"current_passphrase": PASSPHRASE, "passphrase": "short",
                                                         "action": "none"})
        assert weak.status_code == 422
        bad = await http.put("/api/v1/me/duress", json={"current_passphrase": PASSPHRASE, "passphrase": DURESS,
                                                        "action": "explode"})
        assert bad.status_code == 422
    assert (await Member.get(id=member.id)).duress_hash is None


async def test_duress_login_looks_like_a_normal_login_and_opens_an_empty_decoy(app):
    member = await make_member(app, pseudonym="Quiet Lake")
    await _set_duress(app, member, "none")
    async with signed_in(app, member) as http:
        await http.patch("/api/v1/me", json={"bio": "my real story", "languages": ["fr"], "visibility": "members"})
    async with new_client(app) as normal, new_client(app) as forced:
        real = await normal.post("/api/v1/auth/login", json={"pseudonym": "Quiet Lake", "passphrase": PASSPHRASE})
        decoy = await forced.post("/api/v1/auth/login", json={"pseudonym": "quiet lake", "passphrase": DURESS})
        assert real.status_code == decoy.status_code == 200
        assert set(real.json()) == set(decoy.json())
        assert set(real.json()["member"]) == set(decoy.json()["member"])
        shown = decoy.json()["member"]
        assert shown["pseudonym"] == "Quiet Lake" and shown["role"] == "member" and shown["bio"] == ""
        assert shown["created_at"] == real.json()["member"]["created_at"]
        forced.headers["x-csrf-token"] = decoy.json()["csrf_token"]
        me = (await forced.get("/api/v1/me")).json()["member"]
        assert me["bio"] == "" and me["languages"] == []
        # What a new member sees of the community, and nothing of the real account.
        directory = await forced.get("/members")
        assert directory.status_code == 200 and "my real story" not in directory.text
        assert (await forced.get(f"/api/v1/members/{member.id}")).status_code == 404
        assert (await forced.get("/invitations")).status_code == 200
        assert (await forced.get("/api/v1/me/sessions")).json()["sessions"][0]["current"]
        assert len((await forced.get("/api/v1/me/sessions")).json()["sessions"]) == 1
        export = (await forced.get("/api/v1/me/export")).json()
        assert "my real story" not in str(export)
        # What the decoy changes stays in the decoy.
        await forced.patch("/api/v1/me", json={"bio": "changed by someone else"})
        await forced.put("/api/v1/me/passphrase", json={"current_passphrase": DURESS, "new_passphrase": "taken over now please"})
        fresh = await Member.get(id=member.id)
        assert fresh.bio == "my real story" and fresh.status == "active"
        assert (await normal.get("/api/v1/me")).status_code == 200
        # Signing out of the decoy leaves no trace of it.
        await forced.post("/api/v1/auth/logout")
    assert not await Member.filter(role="decoy").exists()
    assert await Member.filter(pseudonym="Quiet Lake").count() == 1


async def test_every_login_runs_the_same_two_verifications(app, client):
    """Status, body shape and time match: unknown, wrong, normal and duress logins hash the same."""
    member = await make_member(app)
    await _set_duress(app, member, "none")
    hasher = app.state.runtime.hasher
    calls = []
    original = hasher._open

    def counted(stored, passphrase):
        calls.append(stored is None)
        return original(stored, passphrase)

    hasher._open = counted
    counts = []
    for pseudonym, passphrase in ((member.pseudonym, PASSPHRASE), (member.pseudonym, DURESS),
                                  (member.pseudonym, "a wrong passphrase"), ("Nobody At All", "a wrong passphrase")):
        calls.clear()
        async with new_client(app) as http:
            await http.post("/api/v1/auth/login", json={"pseudonym": pseudonym, "passphrase": passphrase})
        counts.append(len(calls))
    assert counts == [2, 2, 2, 2]


async def test_duress_hide_hides_the_account_and_ends_its_sessions(app):
    member = await make_member(app)
    await _set_duress(app, member, "hide")
    async with signed_in(app, member) as real_session:
        async with new_client(app) as forced:
            await api_login(forced, member.pseudonym, DURESS)
            assert await _wait_for(lambda: _status(member.id, "hidden"))
            assert (await forced.get("/api/v1/me")).status_code == 200
        assert (await real_session.get("/api/v1/me")).status_code == 401
    # The member can still sign in, and show the account again.
    async with signed_in(app, member) as http:
        page = await http.get("/safety")
        assert "/safety/show" in page.text
        await http.post("/safety/show", data={"csrf_token": csrf_from(page.text)})
    assert await _status(member.id, "active")


async def _status(member_id, status):
    found = await Member.get_or_none(id=member_id)
    return found is not None and found.status == status


async def test_duress_erase_erases_the_real_account(app):
    member = await make_member(app, pseudonym="Gone Quietly")
    await _set_duress(app, member, "erase")
    async with new_client(app) as forced:
        body = (await forced.post("/api/v1/auth/login", json={"pseudonym": "Gone Quietly", "passphrase": DURESS})).json()
        assert body["member"]["pseudonym"] == "Gone Quietly"

        async def erased():
            return not await Member.filter(id=member.id).exists()

        assert await _wait_for(erased)
        assert (await forced.get("/me")).status_code == 200  # the decoy carries on


async def test_duress_alert_raises_a_private_safety_alert(app):
    member = await make_member(app)
    await _set_duress(app, member, "alert")
    async with new_client(app) as forced:
        await api_login(forced, member.pseudonym, DURESS)

        async def alerted():
            return await SafetyAlert.filter(member_id=member.id, kind="duress").exists()

        assert await _wait_for(alerted)
    assert (await Member.get(id=member.id)).status == "active"


async def test_panic_wipe_erases_at_once_after_one_confirmation(app):
    member = await make_member(app)
    async with signed_in(app, member) as http:
        confirm = await http.get("/safety/wipe")
        assert confirm.status_code == 200 and 'action="/safety/wipe"' in confirm.text
        assert await Member.filter(id=member.id).exists()
        response = await http.post("/safety/wipe", data={"csrf_token": csrf_from(confirm.text)})
        assert response.status_code == 303 and response.headers["location"] == app.state.settings.quick_exit_url
        assert response.headers["clear-site-data"] == '"cache", "cookies", "storage"'
    assert not await Member.filter(id=member.id).exists()
    assert await Session.all().count() == 0
