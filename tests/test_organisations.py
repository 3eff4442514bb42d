"""Partner organisations: only their own representatives act for them, on every route that does."""

import re

from network.members import sessions
from network.organisations import service as organisations
from tests.helpers import make_member, new_client, signed_in
from tests.test_access_matrix import ACTS_FOR, _denied, mounted


async def _organisation(name: str):
    return await organisations.create({"name": name, "kind": "survivor_led", "country": "CD", "languages": ["fr"]})


async def _call(app, member, method: str, path: str, org_id: int):
    url = re.sub(r"{\w+(:\w+)?}", "999999", path.replace("{org_id:int}", str(org_id)))
    async with new_client(app) as http:
        token, session = await sessions.start(member, None)
        http.cookies.set("survnet", token)
        headers = {"x-csrf-token": session.csrf_token}
        data = {"csrf_token": session.csrf_token} if not path.startswith("/api/") else None
        return await http.request(method, url, headers=headers, data=data,
                                  json={} if path.startswith("/api/") and method != "GET" else None)


async def test_only_representatives_act_for_their_organisation(app):
    """Every route declared as acting for an organisation: its representative passes; a representative
    of another organisation, a member, a moderator and an administrator who represent none are refused;
    so is a representative once removed, and every representative of an organisation no longer a partner."""
    ours, theirs = await _organisation("Ours"), await _organisation("Theirs")
    admin = await make_member(app, "admin")
    ours_rep = await make_member(app, "member")
    theirs_rep = await make_member(app, "moderator")
    await organisations.add_representative(admin, ours.id, ours_rep.pseudonym)
    await organisations.add_representative(admin, theirs.id, theirs_rep.pseudonym)
    outsiders = [theirs_rep, admin, await make_member(app, "member"), await make_member(app, "policymaker")]
    routes = [(method, path) for method, path, route in mounted(app) if (method, path) in ACTS_FOR]
    assert len(routes) == len(ACTS_FOR)
    problems = []
    for method, path in routes:
        response = await _call(app, ours_rep, method, path, ours.id)
        if response.status_code >= 500 or _denied(response, path):
            problems.append(f"{method} {path}: the representative got {response.status_code}")
        for outsider in outsiders:
            response = await _call(app, outsider, method, path, ours.id)
            if not _denied(response, path):
                problems.append(f"{method} {path}: {outsider.role} {outsider.pseudonym} let in ({response.status_code})")
    assert not problems, "\n".join(problems)

    removed = (await organisations.representatives(theirs))[0]
    await organisations.remove_representative(theirs.id, removed.id)
    await organisations.update(ours.id, {"name": "Ours", "country": "CD", "active": False})
    for method, path in routes:
        assert _denied(await _call(app, theirs_rep, method, path, theirs.id), path), (method, path)
        assert _denied(await _call(app, ours_rep, method, path, ours.id), path), (method, path)


async def test_profile_pages_and_representatives(app):
    admin = await make_member(app, "admin")
    rep = await make_member(app, "member", pseudonym="Amani")
    other = await make_member(app, "member")
    async with signed_in(app, admin) as http:
        created = await http.post("/api/v1/organisations", json={"name": "Tujiunge", "kind": "survivor_led",
                                                                 "country": "CD", "languages": ["fr", "sw"]})
        assert created.status_code == 201, created.text
        org_id = created.json()["organisation"]["id"]
        twice = await http.post("/api/v1/organisations", json={"name": "tujiunge", "country": "CD"})
        assert twice.status_code in (201, 409)
        bad = await http.post("/api/v1/organisations", json={"name": "X" * 121, "country": "ZZ"})
        assert bad.status_code == 422 and "error" in bad.json()
        unknown = await http.post(f"/api/v1/organisations/{org_id}/representatives", json={"pseudonym": "nobody here"})
        assert unknown.status_code == 422
        added = await http.post(f"/api/v1/organisations/{org_id}/representatives", json={"pseudonym": "amani"})
        assert added.status_code == 201 and added.json()["representative"]["pseudonym"] == "Amani"
    async with signed_in(app, rep) as http:
        listed = (await http.get("/api/v1/organisations")).json()
        assert listed["mine"] == [org_id]
        changed = await http.put(f"/api/v1/organisations/{org_id}/profile",
                                 json={"profile": "Peer support in **Goma**.", "languages": ["sw"]})
        assert changed.status_code == 200 and changed.json()["organisation"]["languages"] == ["sw"]
        page = await http.get(f"/organisations/{org_id}")
        assert "<strong>Goma</strong>" in page.text and "Amani" in page.text
        assert page.headers["cache-control"].startswith("no-store")
    async with signed_in(app, other) as http:
        seen = await http.get(f"/api/v1/organisations/{org_id}")
        # Who represents it is not told to every member: a pseudonym and an organisation narrow who someone is.
        assert seen.status_code == 200 and "representatives" not in seen.json()["organisation"]
        page = await http.get(f"/organisations/{org_id}")
        assert "Amani" not in page.text
        refused = await http.put(f"/api/v1/organisations/{org_id}/profile", json={"profile": "Taken over"})
        assert refused.status_code == 403
    assert (await organisations.get(org_id)).profile == "Peer support in **Goma**."


JUNK = [{}, [], "text", {"fund_id": 2**70, "amount": "1e999"}, {"title": "x" * 100000}, {"lines": "x"},
        {"projects": [{"amount": -1}]}, {"starts_on": 12, "ends_on": "0000-00-00"}, {"topic": None, "grant_id": -5},
        {"profile": {"en": "nested"}}, {"answers": {"1": ["a"]}}, {"did": "\x00", "lines": [{"id": "a"}]}]


async def test_bodies_of_every_route_acting_for_an_organisation_are_refused_not_failed(app):
    """No fuzzing account represents an organisation (tests/test_fuzz.py), so its bodies are tried here:
    malformed or out of range, each is refused with the API's error shape (an empty body some routes
    accept: every field has its default), never a server error."""
    admin = await make_member(app, "admin")
    rep = await make_member(app, "member")
    ours = await _organisation("Ours")
    await organisations.add_representative(admin, ours.id, rep.pseudonym)
    routes = [(method, path) for method, path, route in mounted(app)
              if (method, path) in ACTS_FOR and path.startswith("/api/") and method in ("POST", "PUT")]
    assert routes
    problems = []
    async with signed_in(app, rep) as http:
        for method, path in routes:
            url = re.sub(r"{\w+(:\w+)?}", "1", path.replace("{org_id:int}", str(ours.id)))
            for body in JUNK:
                response = await http.request(method, url, json=body)
                if response.status_code >= 500 or response.status_code >= 300 and "error" not in response.json():
                    problems.append(f"{method} {path} {str(body)[:60]}: {response.status_code}")
    assert not problems, "\n".join(problems)
