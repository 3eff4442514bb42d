"""Purges that run every minute in one process at a time, and on demand as `survnet purge`."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

log = logging.getLogger("survnet.jobs")
INTERVAL = 60

# (name, job): each is called with the settings, deletes what has expired and returns how many rows
# went (wired by network/app.py).
purge_jobs: list[tuple[str, Callable[..., Awaitable[int]]]] = []


async def purge_all(settings) -> dict[str, int]:
    return {name: await job(settings) for name, job in purge_jobs}


async def run_forever(rt) -> None:
    """Every worker runs this loop; a short lock (in Redis when configured) lets one purge at a time."""
    while True:
        await asyncio.sleep(INTERVAL)
        with contextlib.suppress(Exception):
            if await rt.counters.set_if_absent("lock:purge", INTERVAL - 5):
                done = await purge_all(rt.settings)
                if any(done.values()):
                    log.info("purged %s", done)
