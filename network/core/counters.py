"""Expiring counters for throttles and rate limits: in memory, or in Redis so every worker shares them."""

from __future__ import annotations

import time


class MemoryCounters:
    def __init__(self) -> None:
        self._data: dict[str, tuple[float, float]] = {}

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


class RedisCounters:
    def __init__(self, client, prefix: str = "survnet:count:") -> None:
        self.client, self.prefix = client, prefix

    async def incr(self, key: str, ttl: float) -> int:
        async with self.client.pipeline(transaction=True) as pipe:
            pipe.incr(self.prefix + key)
            pipe.pexpire(self.prefix + key, int(ttl * 1000))
            value, _ = await pipe.execute()
        return int(value)

    async def get(self, key: str) -> int:
        value = await self.client.get(self.prefix + key)
        return int(value) if value else 0

    async def ttl(self, key: str) -> float:
        value = await self.client.pttl(self.prefix + key)
        return max(0.0, value / 1000) if value and value > 0 else 0.0

    async def set(self, key: str, value: int, ttl: float) -> None:
        await self.client.set(self.prefix + key, value, px=int(ttl * 1000))

    async def set_if_absent(self, key: str, ttl: float) -> bool:
        return bool(await self.client.set(self.prefix + key, 1, px=int(ttl * 1000), nx=True))

    async def delete(self, key: str) -> None:
        await self.client.delete(self.prefix + key)
