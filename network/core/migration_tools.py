"""Writing migrations from model changes, and asking whether any change lacks one."""

from __future__ import annotations

from tortoise import Tortoise
from tortoise.migrations.autodetector import MigrationAutodetector

from network.core.db import tortoise_config


async def _writers(database_url: str):
    config = tortoise_config(database_url)
    # Apps only: the autodetector compares models with the migration files, not the database.
    ctx = await Tortoise.init(config=config, init_connections=False)
    try:
        return await MigrationAutodetector(ctx.apps, config["apps"]).changes()
    finally:
        await Tortoise.close_connections()


async def pending_changes(database_url: str = "sqlite://:memory:") -> list[str]:
    """The names of the migrations that model changes would need; empty when all are committed."""
    return [f"{w.app_label}.{w.name}" for w in await _writers(database_url)]


async def make_migrations(database_url: str, name: str | None = None) -> list[str]:
    from tortoise.migrations.writer import format_migration_name  # noqa: PLC0415

    paths = []
    for writer in await _writers(database_url):
        if name:
            number = int(writer.name.split("_", 1)[0]) if writer.name[0].isdigit() else 1
            writer.name = format_migration_name(number, name)
        paths.append(str(writer.write()))
    return paths
