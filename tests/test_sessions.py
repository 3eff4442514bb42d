"""Sessions: idle and absolute expiry, listing and ending them, the cookie's attributes."""

from datetime import timedelta

from network.members.models import Session
from tests.conftest import both_databases
from tests.helpers import csrf_from, make_member, signed_in


async def _age(member, **delta):
    session = await Session.get(member=member)
    await Session.filter(id=session.id).update(
        created_at=session.created_at - timedelta(**delta.get("created", {})),
        last_seen_at=session.last_seen_at - timedelta(**delta.get("seen", {})))


@both_databases
async def test_idle_sessions_expire(app, database_url):
    member = await make_member(app)
    async with signed_in(app, member) as http:
        await _age(member, seen={"minutes": 29})
        assert (await http.get("/api/v1/me")).status_code == 200
        await _age(member, seen={"minutes": 31})
        assert (await http.get("/api/v1/me")).status_code == 401
    assert await Session.all().count() == 0


async def test_sessions_end_after_their_absolute_lifetime_even_when_active(app):
    member = await make_member(app)
    async with signed_in(app, member) as http:
        await _age(member, created={"days": 6, "hours": 23})
        assert (await http.get("/api/v1/me")).status_code == 200
        await _age(member, created={"hours": 2})
        assert (await http.get("/api/v1/me")).status_code == 401


async def test_timeouts_are_settings(settings, tmp_path):
    from tortoise import Tortoise

    from network.app import create_app
    from network.core.settings import load_settings
    from tests.conftest import base_env

    env = base_env(tmp_path / "v2", SURVNET_SESSION_IDLE_MINUTES="5", SURVNET_SESSION_MAX_DAYS="1")
    loaded = load_settings(env)
    assert (loaded.session_idle_minutes, loaded.session_max_days) == (5, 1)
    app = create_app(settings.with_(session_idle_minutes=5, session_max_days=1))
    async with app.router.lifespan_context(app):
        await Tortoise.generate_schemas()
        member = await make_member(app)
        async with signed_in(app, member) as http:
            await _age(member, seen={"minutes": 6})
            assert (await http.get("/api/v1/me")).status_code == 401


async def test_listing_and_ending_sessions(app):
    member = await make_member(app)
    async with signed_in(app, member) as phone, signed_in(app, member) as laptop:
        phone.headers["user-agent"] = "Mozilla/5.0 (Linux; Android 13) AppleWebKit Chrome/120 Mobile Safari"
        listed = (await phone.get("/api/v1/me/sessions")).json()["sessions"]
        assert len(listed) == 2 and sum(s["current"] for s in listed) == 1
        assert all(set(s) == {"id", "device", "last_active", "current"} for s in listed)
        other = next(s for s in listed if not s["current"])
        assert (await phone.delete(f"/api/v1/me/sessions/{other['id']}")).status_code == 200
        assert (await laptop.get("/api/v1/me")).status_code == 401
        assert (await phone.delete("/api/v1/me/sessions/999999")).status_code == 404


async def test_sessions_page_ends_all_others(app):
    member = await make_member(app)
    async with signed_in(app, member) as one, signed_in(app, member), signed_in(app, member) as three:
        page = await one.get("/me/sessions")
        assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
        assert "127.0.0.1" not in page.text
        response = await one.post("/me/sessions/end-others", data={"csrf_token": csrf_from(page.text)})
        assert response.status_code == 303
        assert await Session.filter(member=member).count() == 1
        assert (await three.get("/me")).status_code == 303  # sent to sign in


async def test_another_members_session_cannot_be_ended(app):
    alice, bob = await make_member(app), await make_member(app)
    async with signed_in(app, alice) as a, signed_in(app, bob):
        bob_session = await Session.get(member=bob)
        assert (await a.delete(f"/api/v1/me/sessions/{bob_session.id}")).status_code == 404
        assert await Session.filter(member=bob).exists()


async def test_the_session_id_is_random_and_stored_only_hashed(app, client):
    member = await make_member(app)
    response = await client.post("/api/v1/auth/login", json={"pseudonym": member.pseudonym, "passphrase": "quiet river under the moon"})
    token = response.cookies["survnet"]
    assert len(token) >= 43  # 256 bits, URL-safe base64
    stored = await Session.get(member=member)
    assert token not in stored.token_hash


async def test_secure_cookies_use_the_host_prefix(settings, tmp_path):
    import httpx
    from tortoise import Tortoise

    from network.app import create_app

    app = create_app(settings.with_(cookie_secure=True))
    async with app.router.lifespan_context(app):
        await Tortoise.generate_schemas()
        member = await make_member(app)
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="https://testserver") as http:
            response = await http.post("/api/v1/auth/login", json={"pseudonym": member.pseudonym, "passphrase": "quiet river under the moon"})
    cookie = response.headers["set-cookie"]
    assert cookie.startswith("__Host-survnet=") and "Secure" in cookie and "Path=/" in cookie and "Domain" not in cookie
