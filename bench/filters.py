"""What the moderation filters add to the message path, with 1,000 watched words.

Posts the same messages through the message service (stored, filtered, published to the
in-process broker) with the filters off and then on, in the same run on SQLite, and prints the
median and p99 per message and the ratio. Usage: python bench/filters.py [messages]
"""

from __future__ import annotations

import sys
from pathlib import Path

# This folder holds http.py, which would shadow the standard library's http package.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
sys.path.insert(0, str(_HERE.parent))

import asyncio  # noqa: E402
import random  # noqa: E402
import statistics  # noqa: E402
import string  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
import uuid  # noqa: E402

from messaging import service as rooms  # noqa: E402
from moderation.models import WatchedWord  # noqa: E402
from network.app import command_runtime  # noqa: E402
from network.core import crypto, db  # noqa: E402
from network.core.settings import Settings  # noqa: E402
from network.members.models import Member  # noqa: E402

SENTENCES = ["Thank you all for listening today", "I went to the clinic and they were kind to me",
             "Does anyone know how the travel stipend works", "We met in the afternoon and talked for hours",
             "My children are doing better at school now", "It is hard but this group helps me a lot"]


async def post_many(rt, member, room, count: int) -> list[float]:
    times = []
    for n in range(count):
        body = f"{random.choice(SENTENCES)} {n}"
        started = time.perf_counter()
        await rooms.post(rt, member, room.id, body)
        times.append((time.perf_counter() - started) * 1000)
        rt.counters._data.clear()  # measure the path, not the rate limit
    return times


async def main(count: int) -> None:
    crypto.configure("bench")
    url = f"sqlite://{tempfile.mkdtemp()}/filters.sqlite3"
    await db.migrate(url)
    await db.open_db(url)
    rt = command_runtime(Settings(hold_first_messages=0, argon2_memory_kib=1024, argon2_time_cost=1))
    staff = await Member.create(pseudonym="Bench Mod", pseudonym_key=str(uuid.uuid4()), skeleton=str(uuid.uuid4()),
                                passphrase_hash="!", role="moderator")
    member = await Member.create(pseudonym="Bench Member", pseudonym_key=str(uuid.uuid4()),
                                 skeleton=str(uuid.uuid4()), passphrase_hash="!")
    room = await rooms.create_room(staff, {"name": "Bench"})
    await rooms.join(member, room.id)
    random.seed(1)
    await WatchedWord.bulk_create([WatchedWord(locale=("en", "fr", "ar")[n % 3], action=("hold", "flag", "block")[n % 3],
                                               word="".join(random.choices(string.ascii_lowercase, k=random.randint(5, 10))))
                                   for n in range(1000)])
    registry = rt.registry
    saved = list(registry.message_filters), list(registry.send_checks)
    await post_many(rt, member, room, 50)  # warm up
    registry.message_filters[:], registry.send_checks[:] = [], []
    off = await post_many(rt, member, room, count)
    registry.message_filters[:], registry.send_checks[:] = saved
    on = await post_many(rt, member, room, count)
    await db.close_db()
    rt.hasher.close()
    for name, values in (("filters off", off), ("filters on ", on)):
        print(f"{name}: median {statistics.median(values):6.3f} ms  p99 {statistics.quantiles(values, n=100)[98]:6.3f} ms "
              f"per message ({count} messages)")
    print(f"with 1,000 watched words, filters on / off: median {statistics.median(on) / statistics.median(off):.2f}x, "
          f"p99 {statistics.quantiles(on, n=100)[98] / statistics.quantiles(off, n=100)[98]:.2f}x")


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000))
