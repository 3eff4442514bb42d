"""The Redis broker reconnects after Redis restarts, and fan-out carries on."""

import asyncio
import shutil
import subprocess
import time

import pytest

from network.core.broker import RedisBroker
from tests.conftest import IN_CI, free_port


def _redis(port: int) -> subprocess.Popen:
    process = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                                "--appendonly", "no"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    import socket

    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return process
        except OSError:
            time.sleep(0.05)
    process.kill()
    raise RuntimeError("redis-server did not start")


@pytest.fixture
def private_redis():
    if not shutil.which("redis-server"):
        if IN_CI:
            pytest.fail("redis-server is not installed")
        pytest.skip("redis-server is not installed (CI has it)")
    port = free_port()
    holder = {"process": _redis(port), "port": port}
    yield holder
    holder["process"].kill()
    holder["process"].wait()


async def _deliver(broker: RedisBroker, subscription, seconds: float) -> dict | None:
    """Publishes until one arrives (publishing fails while Redis is away)."""
    deadline = asyncio.get_running_loop().time() + seconds
    while asyncio.get_running_loop().time() < deadline:
        try:
            await broker.publish("room:1", {"type": "message", "n": 1})
        except Exception:  # noqa: BLE001 - Redis not back yet
            await asyncio.sleep(0.2)
            continue
        try:
            return await asyncio.wait_for(subscription.get(), timeout=0.5)
        except asyncio.TimeoutError:
            continue
    return None


async def test_the_broker_survives_a_redis_restart(private_redis):
    url = f"redis://127.0.0.1:{private_redis['port']}/0"
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
        private_redis["process"] = _redis(private_redis["port"])
        frame = await _deliver(publisher, subscription, 15)
        assert frame == {"type": "message", "n": 1}
        assert await listener.ping()
    finally:
        await publisher.close()
        await listener.close()
