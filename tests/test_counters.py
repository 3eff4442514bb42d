"""Shared counters and token buckets in Redis: the same rules as in memory, and a clear refusal
(never a crash) when Redis is away."""

import uuid

import pytest
import redis.asyncio as redis

from network.core.counters import MemoryCounters, RedisCounters
from network.core.refusal import Refused
from tests.conftest import free_port


@pytest.mark.parametrize("kind", ["memory", "redis"])
async def test_a_bucket_refuses_past_its_burst_and_a_refusal_does_not_lengthen_the_wait(kind, redis_url):
    client = redis.from_url(redis_url) if kind == "redis" else None
    counters = RedisCounters(client, f"t{uuid.uuid4().hex[:8]}:") if client else MemoryCounters()
    try:
        assert [await counters.take("pace:1", 0.5, 2) for _ in range(2)] == [0, 0]
        first = await counters.take("pace:1", 0.5, 2)
        assert 0 < first <= 2
        again = [await counters.take("pace:1", 0.5, 2) for _ in range(3)]
        assert all(0 < wait <= first for wait in again)
        assert await counters.take("pace:2", 0.5, 2) == 0  # another member's bucket is their own
    finally:
        if client:
            await client.aclose()


async def test_redis_away_is_a_refusal_the_member_can_read():
    client = redis.from_url(f"redis://127.0.0.1:{free_port()}/0")
    counters = RedisCounters(client)
    try:
        for call in (counters.take("pace:1", 1, 5), counters.incr("x", 10), counters.get("x")):
            with pytest.raises(Refused) as refused:
                await call
            assert refused.value.kind == "unavailable" and refused.value.message
    finally:
        await client.aclose()
