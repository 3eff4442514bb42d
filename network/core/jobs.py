"""Purges that run every minute in one process at a time, and on demand as `survnet purge`."""

from __future__ import annotations

import asyncio
import contextlib
import logging

log = logging.getLogger("survnet.jobs")
INTERVAL = 60


async def purge_all(rt) -> dict[str, int]:
    """Retention as the registry of personal data declares it (network.core.personal), then every
    package's other periodic job (the registry's `purge_jobs`): how many rows each changed."""
    from network.core import db, personal

    done = await personal.purge(rt)
    done.update({name: await job(rt) for name, job in rt.registry.purge_jobs})
    if any(done.values()):
        await db.compact()
    return done


async def run_forever(rt) -> None:
    """Every worker runs this loop; a short lock (in Redis when configured) lets one purge at a time."""
    while True:
        await asyncio.sleep(INTERVAL)
        with contextlib.suppress(Exception):
            if await rt.counters.set_if_absent("lock:purge", INTERVAL - 5):
                done = await purge_all(rt)
                if any(done.values()):
                    log.info("purged %s", done)
