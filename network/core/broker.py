"""Real-time fan-out: one interface, an in-process and a Redis pub/sub implementation.

Subscribers get an asyncio.Queue of decoded JSON messages. A subscriber that cannot keep
up (its queue is full) is marked overflowed rather than blocking everyone else; its owner
disconnects it and the client catches up from the database.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging

log = logging.getLogger("survnet.broker")

QUEUE_SIZE = 256


class Subscription:
    def __init__(self, broker: "Broker", channel: str, maxsize: int = QUEUE_SIZE):
        self.broker = broker
        self.channel = channel
        self.queue: asyncio.Queue = asyncio.Queue(maxsize=maxsize)
        self.overflowed = False

    def deliver(self, message: dict) -> None:
        if self.overflowed:
            return
        try:
            self.queue.put_nowait(message)
        except asyncio.QueueFull:
            self.overflowed = True

    async def get(self) -> dict:
        return await self.queue.get()

    async def close(self) -> None:
        await self.broker._unsubscribe(self)

    async def __aenter__(self) -> "Subscription":
        return self

    async def __aexit__(self, *exc) -> None:
        await self.close()


class Broker:
    """Fan-out within this process; the Redis subclass carries messages between processes."""

    name = "memory"

    def __init__(self) -> None:
        self._subs: dict[str, set[Subscription]] = {}

    async def start(self) -> None:
        return None

    async def close(self) -> None:
        self._subs.clear()

    async def ping(self) -> bool:
        return True

    async def publish(self, channel: str, message: dict) -> None:
        self._dispatch(channel, message)

    async def subscribe(self, channel: str, maxsize: int = QUEUE_SIZE) -> Subscription:
        sub = Subscription(self, channel, maxsize)
        self._subs.setdefault(channel, set()).add(sub)
        return sub

    async def _unsubscribe(self, sub: Subscription) -> None:
        subs = self._subs.get(sub.channel)
        if subs is not None:
            subs.discard(sub)
            if not subs:
                del self._subs[sub.channel]

    def _dispatch(self, channel: str, message: dict) -> None:
        for sub in list(self._subs.get(channel, ())):
            sub.deliver(message)


class RedisBroker(Broker):
    name = "redis"

    def __init__(self, url: str, prefix: str = "survnet:") -> None:
        super().__init__()
        self.url = url
        self.prefix = prefix
        self._redis = None
        self._pubsub = None
        self._reader: asyncio.Task | None = None
        self._ready = asyncio.Event()

    async def start(self) -> None:
        import redis.asyncio as redis

        self._redis = redis.from_url(self.url, decode_responses=True, health_check_interval=15)
        self._reader = asyncio.create_task(self._read_forever(), name="redis-broker")

    async def close(self) -> None:
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._reader
        if self._pubsub is not None:
            with contextlib.suppress(Exception):
                await self._pubsub.aclose()
        if self._redis is not None:
            await self._redis.aclose()
        await super().close()

    @property
    def client(self):
        return self._redis

    async def ping(self) -> bool:
        try:
            return bool(await asyncio.wait_for(self._redis.ping(), timeout=2))
        except Exception:  # noqa: BLE001 - any failure means "not healthy"
            return False

    async def publish(self, channel: str, message: dict) -> None:
        await self._redis.publish(self.prefix + channel, json.dumps(message))

    async def subscribe(self, channel: str, maxsize: int = QUEUE_SIZE) -> Subscription:
        first = channel not in self._subs
        sub = await super().subscribe(channel, maxsize)
        if first and self._pubsub is not None:
            with contextlib.suppress(Exception):
                await self._pubsub.subscribe(self.prefix + channel)
        return sub

    async def _unsubscribe(self, sub: Subscription) -> None:
        await super()._unsubscribe(sub)
        if sub.channel not in self._subs and self._pubsub is not None:
            with contextlib.suppress(Exception):
                await self._pubsub.unsubscribe(self.prefix + sub.channel)

    async def _read_forever(self) -> None:
        delay = 0.2
        while True:
            try:
                self._pubsub = self._redis.pubsub(ignore_subscribe_messages=True)
                # A placeholder channel keeps the connection listening when no room is open.
                await self._pubsub.subscribe(self.prefix + "_", *(self.prefix + c for c in self._subs))
                self._ready.set()
                delay = 0.2
                async for raw in self._pubsub.listen():
                    if raw.get("type") != "message":
                        continue
                    channel = raw["channel"].removeprefix(self.prefix)
                    try:
                        message = json.loads(raw["data"])
                    except (TypeError, ValueError):
                        continue
                    self._dispatch(channel, message)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001 - reconnect on any connection failure
                self._ready.clear()
                log.warning("redis broker disconnected (%s); retrying", type(exc).__name__)
                with contextlib.suppress(Exception):
                    await self._pubsub.aclose()
                self._pubsub = None
                await asyncio.sleep(delay)
                delay = min(delay * 2, 5.0)


def make_broker(redis_url: str | None) -> Broker:
    return RedisBroker(redis_url) if redis_url else Broker()
