"""What sealing room messages at rest costs per message.

Writes and then reads the same messages through two models that differ only in the body column: a
sealed one (an EncryptedTextField on an EncryptedModel, like `Message`: an insert, then the sealed
value written to the new id, in the one transaction the message path already opens) and a plain one
(a TextField). Same run, same SQLite file, each in its own table; prints the median per message for
writing and for reading a page of 50, and the ratios.
Also the bare AES-GCM seal and open of one message. Usage: python bench/sealing.py [messages]
"""

from __future__ import annotations

import sys
from pathlib import Path

_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
sys.path.insert(0, str(_HERE.parent))

import asyncio  # noqa: E402
import statistics  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402

from tortoise import Tortoise, fields  # noqa: E402
from tortoise.models import Model  # noqa: E402
from tortoise.transactions import in_transaction  # noqa: E402

from network.core import crypto, db  # noqa: E402

BODY = "I went to the clinic and they were kind to me; does anyone know how the travel stipend works? " * 2


class SealedNote(crypto.EncryptedModel):
    id = fields.IntField(primary_key=True)
    room_id = fields.IntField()
    body = crypto.EncryptedTextField()

    class Meta:
        table = "bench_sealed"


class PlainNote(Model):
    id = fields.IntField(primary_key=True)
    room_id = fields.IntField()
    body = fields.TextField()

    class Meta:
        table = "bench_plain"


async def _writes(model, count: int) -> list[float]:
    times = []
    for _ in range(count):
        start = time.perf_counter()
        async with in_transaction() as connection:  # as the message path writes (messaging.events)
            await model(room_id=1, body=BODY).save(using_db=connection)
        times.append(time.perf_counter() - start)
    return times


async def _reads(model, pages: int) -> list[float]:
    times = []
    for _ in range(pages):
        start = time.perf_counter()
        rows = await model.filter(room_id=1).order_by("-id").limit(50)
        assert rows and rows[0].body == BODY
        times.append((time.perf_counter() - start) / len(rows))
    return times


async def main(count: int) -> None:
    crypto.configure("bench-data-key-" + "0" * 30)
    folder = tempfile.mkdtemp()
    url = f"sqlite://{folder}/bench.sqlite3"
    await Tortoise.init(config={**db.tortoise_config(url, apps={"bench": ["__main__"]})})
    # Two throwaway tables of this bench's own (the app's schema comes only from migrations).
    for table in ("bench_sealed", "bench_plain"):
        await Tortoise.get_connection("default").execute_script(
            f'CREATE TABLE "{table}" (id INTEGER PRIMARY KEY AUTOINCREMENT, room_id INT NOT NULL, body TEXT NOT NULL)')
    ring = crypto.keyring()
    binding = crypto.binding("room_message", "body", 12345)
    seals, opens = [], []
    for _ in range(2000):
        start = time.perf_counter()
        sealed = ring.seal(BODY, binding)
        seals.append(time.perf_counter() - start)
        start = time.perf_counter()
        ring.open(sealed, binding)
        opens.append(time.perf_counter() - start)
    results = {}
    for round_ in range(2):  # alternate, so drift on a shared machine falls on both
        for model in (PlainNote, SealedNote):
            results.setdefault((model.__name__, "write"), []).extend(await _writes(model, count // 2))
            results.setdefault((model.__name__, "read"), []).extend(await _reads(model, 100))
    await Tortoise.close_connections()

    def us(values):
        return statistics.median(values) * 1e6

    print(f"messages: {count}, body {len(BODY)} characters, SQLite file")
    print(f"AES-GCM seal {us(seals):.1f} us, open {us(opens):.1f} us per message")
    for kind in ("write", "read"):
        plain, sealed = us(results[("PlainNote", kind)]), us(results[("SealedNote", kind)])
        print(f"{kind:5}: plain {plain:8.1f} us, sealed {sealed:8.1f} us per message, ratio {sealed / plain:.2f}x")


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000))
