"""Real-time fan-out: one interface, an in-process and a Redis pub/sub implementation.

The broker is only a fast path: what it carries is also in the database (a room's event log), so a
subscriber that misses something catches up from there. Subscribers get an asyncio.Queue of
decoded JSON messages from one or more channels. A subscriber that cannot keep up (its queue is
full) is marked overflowed rather than blocking everyone else; its owner disconnects it.

When the Redis connection is lost and when it is back (every channel subscribed again), every
subscription receives `{"type": "_broker", "up": false | true}`, so nobody is left unaware of a gap.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging

from network.core import sandbox

log = logging.getLogger("survnet.broker")

QUEUE_SIZE = 256
CONFIRM_WAIT = 2.0  # seconds to wait for Redis to confirm a new subscription
BROKER_DOWN, BROKER_UP = {"type": "_broker", "up": False}, {"type": "_broker", "up": True}


class Subscription:
    def __init__(self, broker: "Broker", channels: tuple[str, ...], maxsize: int = QUEUE_SIZE):
        self.broker = broker
        self.channels = channels
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

    def __init__(self, prefix: str = "survnet:") -> None:
        self.prefix = prefix
        self._subs: dict[str, set[Subscription]] = {}

    async def start(self) -> None:
        return None

    async def close(self) -> None:
        self._subs.clear()

    async def ping(self) -> bool:
        return True

    async def publish(self, channel: str, message: dict) -> None:
        if sandbox.active():
            return  # a decoy's action: undone, so nobody hears of it (network.core.sandbox)
        self._dispatch(channel, message)

    async def subscribe(self, *channels: str, maxsize: int = QUEUE_SIZE) -> Subscription:
        """One queue for all these channels; once this returns, nothing published to them is missed."""
        sub = Subscription(self, channels, maxsize)
        for channel in channels:
            self._subs.setdefault(channel, set()).add(sub)
        return sub

    async def _unsubscribe(self, sub: Subscription) -> list[str]:
        """Removes the subscription; answers the channels nobody here listens to any more."""
        emptied = []
        for channel in sub.channels:
            subs = self._subs.get(channel)
            if subs is not None:
                subs.discard(sub)
                if not subs:
                    del self._subs[channel]
                    emptied.append(channel)
        return emptied

    def _dispatch(self, channel: str, message: dict) -> None:
        for sub in list(self._subs.get(channel, ())):
            sub.deliver(message)

    def _broadcast(self, message: dict) -> None:
        for sub in {s for subs in self._subs.values() for s in subs}:
            sub.deliver(message)


class RedisBroker(Broker):
    name = "redis"

    def __init__(self, url: str, prefix: str = "survnet:") -> None:
        super().__init__(prefix)
        self.url = url
        self._redis = None
        self._pubsub = None
        self._reader: asyncio.Task | None = None
        self._confirmations: dict[str, asyncio.Future] = {}
        self._up = False

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

    @property
    def _placeholder(self) -> str:
        # Keeps the connection listening when no room is open; subscribed last, so its
        # confirmation means every channel before it is live.
        return self.prefix + "_"

    async def ping(self) -> bool:
        try:
            return bool(await asyncio.wait_for(self._redis.ping(), timeout=2))
        except Exception:  # noqa: BLE001 - any failure means "not healthy"
            return False

    async def publish(self, channel: str, message: dict) -> None:
        if sandbox.active():
            return
        from redis.exceptions import ConnectionError as RedisConnectionError
        from redis.exceptions import TimeoutError as RedisTimeoutError

        data = json.dumps(message)
        try:
            await self._redis.publish(self.prefix + channel, data)
        except (RedisConnectionError, RedisTimeoutError, OSError) as first:
            # A pooled connection may have gone stale while Redis restarted: one retry on a new one.
            log.info("redis publish failed (%s); retrying once", type(first).__name__)
            await self._redis.publish(self.prefix + channel, data)

    async def subscribe(self, *channels: str, maxsize: int = QUEUE_SIZE) -> Subscription:
        new = [c for c in channels if c not in self._subs]
        sub = await super().subscribe(*channels, maxsize=maxsize)
        waits = [self._confirmations.get(c) for c in channels]
        if new and self._pubsub is not None:
            loop = asyncio.get_running_loop()
            for channel in new:
                self._confirmations[channel] = loop.create_future()
            waits = [self._confirmations.get(c) for c in channels]
            with contextlib.suppress(Exception):
                await self._pubsub.subscribe(*(self.prefix + c for c in new))
        pending = [w for w in waits if w is not None and not w.done()]
        if pending:
            # Until Redis confirms, a message published now could pass us by.
            with contextlib.suppress(asyncio.TimeoutError, Exception):
                await asyncio.wait_for(asyncio.gather(*(asyncio.shield(w) for w in pending)), CONFIRM_WAIT)
        return sub

    async def _unsubscribe(self, sub: Subscription) -> list[str]:
        emptied = await super()._unsubscribe(sub)
        if emptied and self._pubsub is not None:
            for channel in emptied:
                self._confirmations.pop(channel, None)
            with contextlib.suppress(Exception):
                await self._pubsub.unsubscribe(*(self.prefix + c for c in emptied))
        return emptied

    def _confirmed(self, raw: dict) -> None:
        channel = raw["channel"]
        if channel == self._placeholder:
            if not self._up:
                self._up = True
                self._broadcast(BROKER_UP)
            return
        future = self._confirmations.get(channel.removeprefix(self.prefix))
        if future is not None and not future.done():
            future.set_result(True)

    def _went_down(self, exc: Exception) -> None:
        if self._up:
            log.warning("redis broker disconnected (%s); retrying", type(exc).__name__)
            self._up = False
            self._broadcast(BROKER_DOWN)
        for future in self._confirmations.values():
            if not future.done():
                future.set_result(False)
        self._confirmations.clear()

    async def _read_forever(self) -> None:
        delay = 0.2
        while True:
            try:
                self._pubsub = self._redis.pubsub()
                await self._pubsub.subscribe(*(self.prefix + c for c in self._subs), self._placeholder)
                delay = 0.2
                async for raw in self._pubsub.listen():
                    kind = raw.get("type")
                    if kind == "subscribe":
                        self._confirmed(raw)
                        continue
                    if kind != "message":
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
                self._went_down(exc)
                with contextlib.suppress(Exception):
                    await self._pubsub.aclose()
                self._pubsub = None
                await asyncio.sleep(delay)
                delay = min(delay * 2, 5.0)


def make_broker(redis_url: str | None, prefix: str = "survnet:") -> Broker:
    return RedisBroker(redis_url, prefix) if redis_url else Broker(prefix)
