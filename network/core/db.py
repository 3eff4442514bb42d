"""The database: Tortoise configuration, opening, closing, migrating and a health probe."""

from __future__ import annotations

from tortoise import Tortoise, connections
from tortoise.migrations.api import migrate as tortoise_migrate

# Each top-level package is one Tortoise app with its own committed migrations; `network` keeps
# the models of its sub-packages in one app, so their tables and migrations stay where they were.
APP_MODELS = {
    "network": ["network.members.models", "network.safety.models", "network.stipends.models"],
    "consultations": ["consultations.models"],
    "messaging": ["messaging.models"],
    "moderation": ["moderation.models"],
}


def tortoise_config(database_url: str, apps: dict[str, list[str]] | None = None) -> dict:
    apps = APP_MODELS if apps is None else apps
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


async def migrate(database_url: str, progress=None) -> None:
    """Apply every committed migration, then close the connections it opened."""
    try:
        await tortoise_migrate(config=tortoise_config(database_url), progress=progress)
    finally:
        await Tortoise.close_connections()
