"""/healthz on each database and with Redis; every migration applies to an empty database."""

from tortoise import Tortoise, connections

from network.app import create_app
from network.core import db
from network.core.migration_tools import pending_changes
from tests.conftest import both_databases, free_port


@both_databases
async def test_healthz_reports_the_database(client, database_url):
    response = await client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert response.headers["cache-control"] == "no-store"


async def test_healthz_reports_redis_when_configured(settings, redis_url):
    app = create_app(settings.with_(redis_url=redis_url))
    import httpx

    async with app.router.lifespan_context(app):
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as http:
            response = await http.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "redis": "ok"}


async def test_healthz_is_503_when_redis_is_down(settings):
    app = create_app(settings.with_(redis_url=f"redis://127.0.0.1:{free_port()}/0"))
    import httpx

    async with app.router.lifespan_context(app):
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as http:
            response = await http.get("/healthz")
    assert response.status_code == 503
    assert response.json()["redis"] == "down" and response.json()["status"] == "down"


async def test_healthz_is_503_when_the_database_is_down(settings):
    app = create_app(settings.with_(database_url=f"postgres://postgres@127.0.0.1:{free_port()}/none"))
    import httpx

    async with app.router.lifespan_context(app):
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as http:
            response = await http.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "down", "database": "down"}


async def _tables(url: str) -> set[str]:
    await db.open_db(url)
    try:
        conn = connections.get("default")
        if url.startswith("sqlite"):
            rows = await conn.execute_query_dict("SELECT name FROM sqlite_master WHERE type='table'")
            return {row["name"] for row in rows}
        rows = await conn.execute_query_dict(
            "SELECT table_name AS name FROM information_schema.tables WHERE table_schema='public'")
        return {row["name"] for row in rows}
    finally:
        await db.close_db()


async def _model_tables() -> set[str]:
    await Tortoise.init(config=db.tortoise_config("sqlite://:memory:"), init_connections=False)
    try:
        return {model._meta.db_table for app in Tortoise.apps.values() for model in app.values()}
    finally:
        await Tortoise.close_connections()


@both_databases
async def test_every_migration_applies_to_an_empty_database(database_url):
    await db.migrate(database_url)
    tables = await _tables(database_url)
    assert await _model_tables() <= tables
    # Applying again is a no-op, not an error.
    await db.migrate(database_url)


async def test_no_model_change_lacks_a_migration():
    assert await pending_changes() == []
