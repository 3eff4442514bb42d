"""How many are in a room now, never who: connection ids only, counted across workers via Redis."""

from __future__ import annotations

import asyncio
import functools
import time


def _best_effort(method):
    """A count is a courtesy: while Redis is away it is simply not updated, and nothing fails."""
    @functools.wraps(method)
    async def call(self, room_id: int, *args):
        try:
            return await method(self, room_id, *args)
        except Exception:  # noqa: BLE001 - presence never breaks a room
            return len(self.local.get(room_id, ()))
    return call

TTL = 60  # seconds a connection counts without a heartbeat
ANNOUNCE_EVERY = 1.0  # seconds: joins and leaves in a burst make one presence frame, not one each


class Presence:
    def __init__(self, broker) -> None:
        self.broker = broker
        self.redis = broker.client if broker.name == "redis" else None
        self.local: dict[int, set[str]] = {}
        self._announcing: dict[int, asyncio.Task] = {}

    def announce(self, room_id: int, channel: str) -> None:
        """Publishes the room's count soon, once for a whole burst of joins and leaves."""
        if room_id in self._announcing:
            return

        async def later() -> None:
            try:
                await asyncio.sleep(ANNOUNCE_EVERY)
                await self.broker.publish(channel, {"type": "presence", "count": await self.count(room_id)})
            except Exception:  # noqa: BLE001 - a missed count is corrected by the next one
                pass
            finally:
                self._announcing.pop(room_id, None)

        self._announcing[room_id] = asyncio.create_task(later())

    @_best_effort
    async def enter(self, room_id: int, connection: str) -> int:
        if self.redis is None:
            self.local.setdefault(room_id, set()).add(connection)
            return len(self.local[room_id])
        key = f"{self.broker.prefix}presence:{room_id}"
        await self.redis.zadd(key, {connection: time.time() + TTL})
        await self.redis.expire(key, TTL * 2)
        return await self.count(room_id)

    refresh = enter

    @_best_effort
    async def leave(self, room_id: int, connection: str) -> int:
        if self.redis is None:
            self.local.get(room_id, set()).discard(connection)
            return len(self.local.get(room_id, ()))
        await self.redis.zrem(f"{self.broker.prefix}presence:{room_id}", connection)
        return await self.count(room_id)

    @_best_effort
    async def count(self, room_id: int) -> int:
        if self.redis is None:
            return len(self.local.get(room_id, ()))
        key = f"{self.broker.prefix}presence:{room_id}"
        await self.redis.zremrangebyscore(key, "-inf", time.time())
        return int(await self.redis.zcard(key))
