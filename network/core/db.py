"""The database: Tortoise configuration, opening, closing, migrating and a health probe."""

from __future__ import annotations

from tortoise import Tortoise, connections
from tortoise.migrations.api import migrate as tortoise_migrate

# Each top-level package is one Tortoise app with its own committed migrations; `network` keeps
# the models of its sub-packages in one app, so their tables and migrations stay where they were.
APP_MODELS = {
    "network": ["network.members.models", "network.safety.models", "network.organisations.models",
                "network.stipends.models", "network.grants.models",
                "network.library.models", "network.meetings.models"],
    "consultations": ["consultations.models"],
    "messaging": ["messaging.models"],
    "moderation": ["moderation.models"],
}


def tortoise_config(database_url: str, apps: dict[str, list[str]] | None = None) -> dict:
    apps = APP_MODELS if apps is None else apps
    if database_url.startswith("sqlite://") and "secure_delete" not in database_url:
        # Deleted rows are overwritten, not left in free pages: erasure must leave nothing to read.
        database_url += ("&" if "?" in database_url else "?") + "secure_delete=ON"
    return {
        "connections": {"default": database_url},
        "apps": {
            label: {
                "models": modules,
                "migrations": f"{label}.migrations",
                "default_connection": "default",
            }
            for label, modules in apps.items()
        },
        "use_tz": True,
        "timezone": "UTC",
    }


async def open_db(database_url: str) -> None:
    # The lifespan runs in its own task; requests in others need the global context.
    await Tortoise.init(config=tortoise_config(database_url), _enable_global_fallback=True)


async def close_db() -> None:
    await Tortoise.close_connections()


async def ping_db() -> bool:
    try:
        await connections.get("default").execute_query("SELECT 1")
    except Exception:  # noqa: BLE001 - any failure means "not healthy"
        return False
    return True


class MigrationError(RuntimeError):
    pass


async def migrate(database_url: str, progress=None, upto: dict[str, str] | None = None) -> None:
    """Apply every committed migration, then close the connections it opened.

    SQLite changes a column by copying its table and dropping the old one; with foreign keys on,
    that drop deletes (ON DELETE CASCADE) every row that refers to the table, so the messages of
    a rebuilt room would be lost. As SQLite prescribes, foreign keys are off while the schema
    changes, and checked once it is done. `upto` stops each app at a named migration (tests of upgrades)."""
    sqlite = database_url.startswith("sqlite://")
    if sqlite:
        database_url += ("&" if "?" in database_url else "?") + "foreign_keys=OFF"
    try:
        if upto is None:
            await tortoise_migrate(config=tortoise_config(database_url), progress=progress)
        for label, name in (upto or {}).items():
            await tortoise_migrate(config=tortoise_config(database_url), target=f"{label}.{name}",
                                   progress=progress)
        if sqlite:
            broken = await connections.get("default").execute_query_dict("PRAGMA foreign_key_check")
            if broken:
                raise MigrationError(f"rows refer to rows that do not exist: {broken[:5]}")
    finally:
        await Tortoise.close_connections()


def placeholders(client):
    """The n-th parameter's mark in raw SQL: $n on PostgreSQL, ? on SQLite."""
    return (lambda n: f"${n}") if client.capabilities.dialect == "postgres" else (lambda n: "?")


async def compact() -> None:
    """After data is erased: SQLite (with secure_delete on, see tortoise_config) copies the write-ahead
    log into the database and empties it, so no erased page lingers in `-wal`. PostgreSQL keeps dead
    rows until VACUUM (see the README)."""
    connection = connections.get("default")
    if connection.capabilities.dialect == "sqlite":
        await connection.execute_script("PRAGMA wal_checkpoint(TRUNCATE)")
