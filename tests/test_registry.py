"""Packages are wired through one registry per app: two apps in one process share nothing."""

from __future__ import annotations

from tortoise import Tortoise

from messaging import hooks
from network.app import PACKAGES, build_registry, create_app
from network.core.access import api
from network.core.settings import load_settings
from tests.conftest import base_env
from tests.helpers import make_member, signed_in


def _settings(tmp_path, name: str, hold: int):
    env = base_env(tmp_path / name, SURVNET_DATABASE_URL=f"sqlite://{tmp_path / name}.sqlite3",
                   SURVNET_HOLD_FIRST_MESSAGES=str(hold))
    return load_settings(env).with_(argon2_memory_kib=1024, argon2_time_cost=1)


async def _first_message(app, body: str) -> dict:
    """A new member's first message in a new open room, as the API answers it."""
    moderator, member = await make_member(app, "moderator"), await make_member(app)
    async with signed_in(app, moderator) as http:
        room = (await http.post("/api/v1/rooms", json={"name": "Two apps", "kind": "open"})).json()["room"]
    async with signed_in(app, member) as http:
        await http.post(f"/api/v1/rooms/{room['id']}/join")
        response = await http.post(f"/api/v1/rooms/{room['id']}/messages", json={"body": body})
    return {"status": response.status_code, **response.json()}


async def test_two_apps_in_one_process_keep_their_own_filters_holds_hooks_and_routes(tmp_path):
    quiet = create_app(_settings(tmp_path, "quiet", hold=0))
    strict = create_app(_settings(tmp_path, "strict", hold=3))
    mine, theirs = quiet.state.runtime.registry, strict.state.runtime.registry

    async def no_bananas(rt, member, room, body, warning):
        return hooks.Decision("reject", "No fruit here.", "fruit") if "banana" in body else hooks.ALLOW

    async def ping(request):
        return {"pong": True}

    theirs.message_filters.append(no_bananas)
    strict.router.routes.append(api("/api/v1/ping", ping, access="public", method="GET", tag="test",
                                    summary="Only the strict app has this."))

    # Building the second app added nothing to the first: every extension point is its own.
    fresh = build_registry(quiet.state.settings)
    for point in ("routes", "message_filters", "send_checks", "queue_sources", "row_erasers",
                  "purge_jobs", "demo_seeds", "template_dirs"):
        assert getattr(mine, point) is not getattr(theirs, point)
        assert len(getattr(mine, point)) == len(getattr(fresh, point)), point
    assert no_bananas not in mine.message_filters
    assert quiet.state.runtime.templates is not strict.state.runtime.templates

    async with quiet.router.lifespan_context(quiet):
        await Tortoise.generate_schemas()
        first = await _first_message(quiet, "a banana for everyone")
        assert first["status"] == 201 and first["message"]["status"] == "visible"
        async with signed_in(quiet, await make_member(quiet)) as http:
            paths = (await http.get("/api/openapi.json")).json()["paths"]
            assert "/api/v1/ping" not in paths and (await http.get("/api/v1/ping")).status_code == 404

    async with strict.router.lifespan_context(strict):
        await Tortoise.generate_schemas()
        refused = await _first_message(strict, "a banana for everyone")
        assert refused["status"] == 422 and refused["error"]["code"] == "fruit"
        held = await _first_message(strict, "hello, I am new here")
        assert held["status"] == 201 and held["message"]["status"] == "held"
        async with signed_in(strict, await make_member(strict)) as http:
            assert "/api/v1/ping" in (await http.get("/api/openapi.json")).json()["paths"]

    # And the first app, started again after the second, is as it was.
    async with quiet.router.lifespan_context(quiet):
        again = await _first_message(quiet, "still no holds here")
        assert again["message"]["status"] == "visible"


def test_every_package_has_one_setup_and_setup_mutates_only_the_registry(tmp_path):
    settings = _settings(tmp_path, "a", hold=0)
    assert all(callable(getattr(package, "setup", None)) for package in PACKAGES)
    first, second = build_registry(settings), build_registry(settings)
    assert [name for name, _ in first.purge_jobs] == [name for name, _ in second.purge_jobs]
    assert len(first.routes) == len(second.routes) and first.message_filters[1] is not second.message_filters[1]
