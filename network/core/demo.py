"""`survnet demo`: a small demo network to look around in, seeded by every package in turn."""

from __future__ import annotations

from network.core import db
from network.core.runtime import Runtime


async def seed_demo(rt: Runtime, only_if_empty: bool = False) -> int:
    """Runs each package's demo seed; the first (members) fills `accounts`, one per role."""
    await db.open_db(rt.settings.database_url)
    try:
        accounts: dict = {}
        for seed in rt.registry.demo_seeds:
            if await seed(rt, accounts, only_if_empty=only_if_empty) is False:
                return 0
        return 0
    finally:
        rt.hasher.close()
        await db.close_db()
