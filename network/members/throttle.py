"""Login throttling: growing delays per pseudonym (never a lock-out), a cap per client."""

from __future__ import annotations

from network.core.keys import digest
from network.core.runtime import Runtime

FREE_FAILURES = 3          # failures before any delay
MAX_DELAY = 60             # seconds: the longest a member ever waits, however many failures
FAILURE_MEMORY = 3600      # seconds a pseudonym's failures are remembered
CLIENT_WINDOW = 900        # seconds
CLIENT_MAX_FAILURES = 30   # failed logins from one client per window


def _keys(rt: Runtime, pseudonym_key: str, client_key: str) -> tuple[str, str, str]:
    p = digest(rt.settings.secret_key, "throttle", pseudonym_key)[:32]
    return f"login:fail:{p}", f"login:wait:{p}", f"login:client:{client_key}"


def delay_after(failures: int) -> int:
    if failures < FREE_FAILURES:
        return 0
    return min(2 ** (failures - FREE_FAILURES), MAX_DELAY)


async def wait_seconds(rt: Runtime, pseudonym_key: str, client_key: str) -> int:
    """How long this login must wait before it may be tried; 0 means now."""
    _, wait_key, client = _keys(rt, pseudonym_key, client_key)
    waits = [await rt.counters.ttl(wait_key)]
    if await rt.counters.get(client) >= CLIENT_MAX_FAILURES:
        waits.append(await rt.counters.ttl(client))
    return int(max(waits) + 0.999)


async def failed(rt: Runtime, pseudonym_key: str, client_key: str) -> None:
    fail_key, wait_key, client = _keys(rt, pseudonym_key, client_key)
    failures = await rt.counters.incr(fail_key, FAILURE_MEMORY)
    await rt.counters.incr(client, CLIENT_WINDOW)
    delay = delay_after(failures)
    if delay:
        await rt.counters.set(wait_key, 1, delay)


async def succeeded(rt: Runtime, pseudonym_key: str) -> None:
    fail_key, wait_key, _ = _keys(rt, pseudonym_key, "")
    await rt.counters.delete(fail_key)
    await rt.counters.delete(wait_key)
