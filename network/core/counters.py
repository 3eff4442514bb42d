"""Expiring counters and token buckets for throttles and rate limits: in memory, or in Redis so every
worker shares them."""

from __future__ import annotations

import functools
import time

from network.core.i18n import lazy as _l
from network.core.refusal import Refused

BUSY = _l("The service is busy for a moment. Nothing was changed; please try again shortly.")


def _shared(method):
    """A Redis failure is a clear, translated refusal (503, or an error frame), never a crash."""
    @functools.wraps(method)
    async def call(self, *args, **kwargs):
        from redis.exceptions import RedisError

        try:
            return await method(self, *args, **kwargs)
        except (RedisError, OSError):
            raise Refused("unavailable", BUSY, kind="unavailable") from None
    return call


class MemoryCounters:
    def __init__(self) -> None:
        self._data: dict[str, tuple[float, float]] = {}
        self._buckets: dict[str, tuple[float, float]] = {}

    def _live(self, key: str) -> tuple[float, float] | None:
        item = self._data.get(key)
        if item and item[1] <= time.monotonic():
            del self._data[key]
            return None
        return item

    async def incr(self, key: str, ttl: float) -> int:
        item = self._live(key)
        value = (item[0] if item else 0) + 1
        self._data[key] = (value, time.monotonic() + ttl)
        if len(self._data) > 100_000:  # bound the memory an attacker can make us hold
            now = time.monotonic()
            self._data = {k: v for k, v in self._data.items() if v[1] > now}
        return int(value)

    async def get(self, key: str) -> int:
        item = self._live(key)
        return int(item[0]) if item else 0

    async def ttl(self, key: str) -> float:
        item = self._live(key)
        return max(0.0, item[1] - time.monotonic()) if item else 0.0

    async def set(self, key: str, value: int, ttl: float) -> None:
        self._data[key] = (value, time.monotonic() + ttl)

    async def set_if_absent(self, key: str, ttl: float) -> bool:
        if self._live(key):
            return False
        self._data[key] = (1, time.monotonic() + ttl)
        return True

    async def delete(self, key: str) -> None:
        self._data.pop(key, None)

    async def take(self, key: str, per_second: float, burst: int) -> float:
        """One token from the bucket: 0 when taken, else the seconds until one is there (none taken,
        so a refused attempt never makes the wait longer)."""
        now = time.monotonic()
        tokens, updated = self._buckets.get(key, (float(burst), now))
        tokens = min(float(burst), tokens + (now - updated) * per_second)
        wait = 0.0
        if tokens >= 1:
            tokens -= 1
        else:
            wait = (1 - tokens) / per_second
        self._buckets[key] = (tokens, now)
        if len(self._buckets) > 100_000:
            self._buckets = {k: v for k, v in self._buckets.items() if now - v[1] < burst / per_second}
        return wait


# The same bucket in Redis, atomic and on Redis's own clock, so every worker and host agrees.
_TAKE = """
local rate, burst = tonumber(ARGV[1]), tonumber(ARGV[2])
local clock = redis.call('TIME')
local now = tonumber(clock[1]) + tonumber(clock[2]) / 1000000
local state = redis.call('HMGET', KEYS[1], 't', 'u')
local tokens = tonumber(state[1]) or burst
local updated = tonumber(state[2]) or now
tokens = math.min(burst, tokens + math.max(0, now - updated) * rate)
local wait = 0
if tokens >= 1 then tokens = tokens - 1 else wait = (1 - tokens) / rate end
redis.call('HSET', KEYS[1], 't', tostring(tokens), 'u', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil(burst / rate * 1000) + 1000)
return tostring(wait)
"""


class RedisCounters:
    def __init__(self, client, prefix: str = "survnet:") -> None:
        self.client, self.prefix = client, prefix + "count:"
        self._take = client.register_script(_TAKE)

    @_shared
    async def take(self, key: str, per_second: float, burst: int) -> float:
        return float(await self._take(keys=[self.prefix + key], args=[per_second, burst]))

    @_shared
    async def incr(self, key: str, ttl: float) -> int:
        async with self.client.pipeline(transaction=True) as pipe:
            pipe.incr(self.prefix + key)
            pipe.pexpire(self.prefix + key, int(ttl * 1000))
            value, _ = await pipe.execute()
        return int(value)

    @_shared
    async def get(self, key: str) -> int:
        value = await self.client.get(self.prefix + key)
        return int(value) if value else 0

    @_shared
    async def ttl(self, key: str) -> float:
        value = await self.client.pttl(self.prefix + key)
        return max(0.0, value / 1000) if value and value > 0 else 0.0

    @_shared
    async def set(self, key: str, value: int, ttl: float) -> None:
        await self.client.set(self.prefix + key, value, px=int(ttl * 1000))

    @_shared
    async def set_if_absent(self, key: str, ttl: float) -> bool:
        return bool(await self.client.set(self.prefix + key, 1, px=int(ttl * 1000), nx=True))

    @_shared
    async def delete(self, key: str) -> None:
        await self.client.delete(self.prefix + key)
