"""My data: the export holds everything about me; erasure leaves nothing of me in any table."""

import json

from tortoise import connections

from network.members.models import Member
from tests.conftest import both_databases
from tests.helpers import PASSPHRASE, csrf_from, make_member, signed_in


async def _all_rows() -> dict[str, list[dict]]:
    conn = connections.get("default")
    if conn.capabilities.dialect == "sqlite":
        names = [r["name"] for r in await conn.execute_query_dict(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")]
    else:
        names = [r["name"] for r in await conn.execute_query_dict(
            "SELECT table_name AS name FROM information_schema.tables WHERE table_schema='public'")]
    return {name: await conn.execute_query_dict(f'SELECT * FROM "{name}"') for name in names}


@both_databases
async def test_export_holds_my_profile_sessions_and_invitations(app, database_url):
    member = await make_member(app, pseudonym="Export Me")
    async with signed_in(app, member) as http:
        await http.patch("/api/v1/me", json={"bio": "I like gardens", "languages": ["sw", "en"], "region": "KE",
                                             "age_band": "25-34", "visibility": "members", "avatar": "sun"})
        await http.post("/api/v1/invitations", json={})
        response = await http.get("/api/v1/me/export")
    assert response.status_code == 200
    assert response.headers["content-disposition"].startswith("attachment")
    assert "Export Me" not in response.headers["content-disposition"]
    data = json.loads(response.content)
    profile = data["profile"]
    assert (profile["pseudonym"], profile["bio"], profile["languages"], profile["region"], profile["age_band"],
            profile["visibility"], profile["avatar"]) == ("Export Me", "I like gardens", ["sw", "en"], "KE", "25-34", "members", "sun")
    assert len(data["sessions"]) == 1 and data["sessions"][0]["device"]
    assert len(data["invitations_created"]) == 1
    assert len(data["recovery_codes"]) == 10 and all(c["used_at"] is None for c in data["recovery_codes"])
    assert "passphrase_hash" not in json.dumps(data) and "$argon2" not in json.dumps(data) and "$survnet-kdf" not in json.dumps(data)


@both_databases
async def test_erasure_leaves_nothing_of_the_member_in_any_table(app, database_url):
    keep = await make_member(app, pseudonym="Someone Else")
    member = await make_member(app, pseudonym="Erase Me Fully")
    async with signed_in(app, member) as http:
        await http.patch("/api/v1/me", json={"bio": "unique bio text 9Q7", "visibility": "members"})
        code = (await http.post("/api/v1/invitations", json={})).json()["code"]
        wrong = await http.request("DELETE", "/api/v1/me", json={"passphrase": "not my passphrase!!"})
        assert wrong.status_code == 422 and await Member.filter(id=member.id).exists()
        response = await http.request("DELETE", "/api/v1/me", json={"passphrase": PASSPHRASE, "messages": "delete"})
        assert response.status_code == 200
        assert (await http.get("/api/v1/me")).status_code == 401

    async with signed_in(app, keep) as http:
        late = await http.post("/api/v1/auth/register", json={"invite_code": code, "pseudonym": "Too Late", "passphrase": PASSPHRASE})
        assert late.status_code == 422  # the erased member's invitations went with them
    rows = await _all_rows()
    dump = json.dumps(rows, default=str)
    for trace in ("Erase Me Fully", "erase me fully", "unique bio text 9Q7"):
        assert trace not in dump, trace
    for table, items in rows.items():
        for row in items:
            for column, value in row.items():
                if column.endswith(("member_id", "created_by_id", "invited_by_id")) or column == "id" and table == "member":
                    assert value != member.id, (table, column)
    assert await Member.filter(id=keep.id).exists()


async def test_erase_page_asks_for_the_passphrase(app):
    member = await make_member(app)
    async with signed_in(app, member) as http:
        page = await http.get("/me/erase")
        response = await http.post("/me/erase", data={"csrf_token": csrf_from(page.text), "passphrase": "wrong one here!!"})
        assert response.status_code == 422 and await Member.filter(id=member.id).exists()
        response = await http.post("/me/erase", data={"csrf_token": csrf_from(page.text), "passphrase": PASSPHRASE,
                                                      "messages": "anonymise"})
        assert response.status_code == 303 and response.headers["clear-site-data"]
    assert not await Member.filter(id=member.id).exists()


async def test_profile_visibility_rules(app):
    owner = await make_member(app, pseudonym="Private Person")
    viewer = await make_member(app)
    async with signed_in(app, viewer) as http:
        assert (await http.get(f"/api/v1/members/{owner.id}")).status_code == 404
        assert "Private Person" not in (await http.get("/members")).text
        async with signed_in(app, owner) as own:
            await own.patch("/api/v1/me", json={"visibility": "members"})
            assert (await own.get(f"/api/v1/members/{owner.id}")).status_code == 200
        assert (await http.get(f"/api/v1/members/{owner.id}")).json()["member"]["pseudonym"] == "Private Person"
        assert "Private Person" in (await http.get("/members")).text
        listed = (await http.get("/api/v1/members")).json()["members"]
        assert [m["pseudonym"] for m in listed] == ["Private Person"]
        assert set(listed[0]) == {"id", "pseudonym", "avatar", "languages", "region", "bio"}


async def test_bad_profile_values_change_nothing(app):
    member = await make_member(app)
    async with signed_in(app, member) as http:
        for bad in ({"bio": "x" * 501}, {"avatar": "photo.jpg"}, {"region": "Atlantis"}, {"age_band": "99"},
                    {"languages": ["xx"]}, {"visibility": "everyone"}, {"locale": "de"}, {"unknown": 1}):
            response = await http.patch("/api/v1/me", json=bad, headers={"accept-language": "ar"})
            assert response.status_code == 422, bad
            assert response.json()["error"]["message"]
        assert (await http.patch("/api/v1/me", content=b"{not json", headers={"content-type": "application/json"})).status_code == 400
        assert (await http.patch("/api/v1/me", content=b"bio=x")).status_code == 415
    fresh = await Member.get(id=member.id)
    assert (fresh.bio, fresh.avatar, fresh.region, fresh.visibility) == ("", "leaf", "", "nobody")


async def test_saved_language_wins_over_the_browser(app):
    member = await make_member(app)
    async with signed_in(app, member) as http:
        page = await http.get("/me", headers={"accept-language": "fr"})
        assert 'lang="fr"' in page.text
        await http.post("/me/language", data={"csrf_token": csrf_from(page.text), "locale": "sw", "next": "/me"})
        page = await http.get("/me?lang=es", headers={"accept-language": "fr"})
        assert 'lang="sw"' in page.text


async def test_oversized_bodies_are_refused(app):
    member = await make_member(app)
    async with signed_in(app, member) as http:
        response = await http.patch("/api/v1/me", content=b"{" + b" " * 300_000 + b"}",
                                    headers={"content-type": "application/json"})
        assert response.status_code == 413 and response.json()["error"]["code"] == "too_large"
