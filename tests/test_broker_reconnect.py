"""The Redis broker reconnects after Redis restarts, and fan-out carries on."""

import asyncio

from network.core.broker import RedisBroker
from tests.conftest import redis_process


async def _deliver(broker: RedisBroker, subscription, seconds: float, told: list | None = None) -> dict | None:
    """Publishes until one arrives (publishing fails while Redis is away); the broker's own news of
    going down and coming back is collected in `told`."""
    deadline = asyncio.get_running_loop().time() + seconds
    while asyncio.get_running_loop().time() < deadline:
        try:
            await broker.publish("room:1", {"type": "message", "n": 1})
        except Exception:  # noqa: BLE001 - Redis not back yet
            await asyncio.sleep(0.2)
            continue
        try:
            while True:
                frame = await asyncio.wait_for(subscription.get(), timeout=0.5)
                if frame.get("type") != "_broker":
                    return frame
                if told is not None:
                    told.append(frame["up"])
        except asyncio.TimeoutError:
            continue
    return None


async def test_the_broker_survives_a_redis_restart(private_redis):
    url = private_redis["url"]
    publisher, listener = RedisBroker(url), RedisBroker(url)
    await publisher.start()
    await listener.start()
    try:
        subscription = await listener.subscribe("room:1")
        assert await _deliver(publisher, subscription, 5) is not None
        private_redis["process"].kill()
        private_redis["process"].wait()
        await asyncio.sleep(0.5)
        assert not await listener.ping()
        private_redis["process"] = redis_process(private_redis["port"])
        told: list[bool] = []
        frame = await _deliver(publisher, subscription, 15, told)
        assert frame == {"type": "message", "n": 1}
        # Subscribers were told the broker went away and came back: nobody misses a gap silently.
        assert told[:1] == [False] and told[-1] is True
        assert await listener.ping()
    finally:
        await publisher.close()
        await listener.close()
