"""Consultation results and CSV export at 1,000, 10,000 and 100,000 answers (10 questions).

For each size and database: seconds and peak Python memory to compute the results and to stream
the export, and the SQL queries each made (which must not grow with the answers). The baseline,
measured in the same run, is one `SELECT COUNT(*)` over the answers table: results time is also
printed as a ratio of it. Target: results for 100,000 answers in under a second on PostgreSQL.
Usage: python bench/results.py [sqlite|postgres|both] [max answers]
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
import tempfile  # noqa: E402
import time  # noqa: E402
import tracemalloc  # noqa: E402
import uuid  # noqa: E402

from tortoise import Tortoise, connections  # noqa: E402

from consultations import export, results, service  # noqa: E402
from consultations.models import Answer, Participation, SharedAnswer  # noqa: E402
from consultations.schemas import ConsultationIn  # noqa: E402
from network.core import (
    crypto,
    db,  # noqa: E402
)
from network.members.models import Member  # noqa: E402

QUESTIONS = [
    {"kind": "single", "prompt": {"en": f"single {n}"}, "options": [{"en": "a"}, {"en": "b"}, {"en": "c"}]}
    for n in range(3)
] + [
    {"kind": "multiple", "prompt": {"en": f"multiple {n}"}, "max_choices": 2,
     "options": [{"en": "a"}, {"en": "b"}, {"en": "c"}, {"en": "d"}]} for n in range(2)
] + [
    {"kind": "scale", "prompt": {"en": f"scale {n}"}, "scale_min": 1, "scale_max": 5} for n in range(2)
] + [
    {"kind": "ranking", "prompt": {"en": "ranking"}, "options": [{"en": "x"}, {"en": "y"}, {"en": "z"}]},
] + [{"kind": "text", "prompt": {"en": f"text {n}"}} for n in range(2)]


class QueryCounter:
    def __init__(self):
        self.count = 0
        self.client = type(connections.get("default"))
        self.originals = {}

    def __enter__(self):
        for name in ("execute_query", "execute_query_dict", "execute_insert", "execute_many", "execute_script"):
            original = getattr(self.client, name, None)
            if original is None:
                continue
            self.originals[name] = original

            def counted(this, *args, _original=original, **kwargs):
                self.count += 1
                return _original(this, *args, **kwargs)

            setattr(self.client, name, counted)
        return self

    def __exit__(self, *exc):
        for name, original in self.originals.items():
            setattr(self.client, name, original)


async def seed(answers: int):
    owner = await Member.create(pseudonym="Bench Owner", pseudonym_key=str(uuid.uuid4()), skeleton=str(uuid.uuid4()),
                                passphrase_hash="!", role="policymaker")
    consultation = await service.create(owner, ConsultationIn(
        title={"en": "Bench"}, consent_text={"en": "c"}, questions=QUESTIONS, k=5))
    questions = await service.questions_of(consultation)
    people = answers // len(QUESTIONS)
    today = service.now().date()
    # Random ids as the service draws them, distinct here so a bulk load never meets itself.
    fresh = iter(random.sample(range(1, 2**31 - 1), people * (len(QUESTIONS) + 2)))
    parts = [Participation(id=next(fresh), consultation=consultation, token=uuid.uuid4().hex,
                           consent_version=1, consented_on=today, submitted=True, submitted_on=today)
             for i in range(people)]
    for start in range(0, len(parts), 5000):
        await Participation.bulk_create(parts[start:start + 5000])
    ids = await Participation.filter(consultation=consultation).values_list("id", flat=True)
    # A third share their language: the breakdown copies point at no participation.
    shared = [SharedAnswer(id=next(fresh), consultation=consultation, attribute="language",
                           value=("fa", "ar", "sw")[i % 3]) for i in range(0, people, 3)]
    for start in range(0, len(shared), 5000):
        await SharedAnswer.bulk_create(shared[start:start + 5000])
    batch = []
    for n, pid in enumerate(ids):
        for q in questions:
            if q.kind == "single":
                batch.append(Answer(id=next(fresh), participation_id=pid, question_id=q.id, option=n % 3))
            elif q.kind == "multiple":
                batch.append(Answer(id=next(fresh), participation_id=pid, question_id=q.id, option=n % 4))
            elif q.kind == "scale":
                batch.append(Answer(id=next(fresh), participation_id=pid, question_id=q.id, value=1 + n % 5))
            elif q.kind == "ranking":
                batch.append(Answer(id=next(fresh), participation_id=pid, question_id=q.id, option=n % 3, rank=1))
            else:
                batch.append(Answer(id=next(fresh), participation_id=pid, question_id=q.id, text=f"answer {n}",
                                    review="released", released_text=f"answer {n}"))
        if len(batch) >= 5000:
            await Answer.bulk_create(batch)
            batch = []
    if batch:
        await Answer.bulk_create(batch)
    return consultation


async def measure(consultation) -> dict:
    started = time.perf_counter()
    await connections.get("default").execute_query("SELECT COUNT(*) FROM consultation_answer")
    baseline = time.perf_counter() - started

    tracemalloc.start()
    with QueryCounter() as counter:
        started = time.perf_counter()
        release = await results.figures(consultation)
        compute_s = time.perf_counter() - started
    compute_peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()

    tracemalloc.start()
    with QueryCounter() as export_counter:
        started = time.perf_counter()
        size = 0
        shown = results.view(release, await service.questions_of(consultation), "en", "en")
        async for line in export.csv_rows(consultation, shown, "fewer than 5"):
            size += len(line)
        export_s = time.perf_counter() - started
    export_peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return {"baseline": baseline, "compute": compute_s, "compute_peak": compute_peak, "compute_queries": counter.count,
            "export": export_s, "export_peak": export_peak, "export_queries": export_counter.count, "csv": size}


async def run(kind: str, sizes: list[int]) -> None:
    crypto.configure("bench-key")
    for answers in sizes:
        if kind == "sqlite":
            url = f"sqlite://{tempfile.mkdtemp()}/bench.sqlite3"
        else:
            import asyncpg

            name = f"survnet_bench_{uuid.uuid4().hex[:8]}"
            admin = await asyncpg.connect("postgresql://postgres@127.0.0.1:5432/test")
            await admin.execute(f'CREATE DATABASE "{name}"')
            await admin.close()
            url = f"postgres://postgres@127.0.0.1:5432/{name}"
        from tortoise.backends.base.executor import EXECUTOR_CACHE

        EXECUTOR_CACHE.clear()  # Tortoise caches SQL per connection name, not per dialect
        await db.migrate(url)
        await db.open_db(url)
        try:
            consultation = await seed(answers)
            # As autovacuum would after a bulk load: fresh statistics for the planner.
            await connections.get("default").execute_script("ANALYZE")
            figures = await measure(consultation)
        finally:
            await Tortoise.close_connections()
            if kind == "postgres":
                admin = await asyncpg.connect("postgresql://postgres@127.0.0.1:5432/test")
                await admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
                await admin.close()
        print(f"{kind:8} {answers:>7} answers | results {figures['compute'] * 1000:8.1f} ms "
              f"({figures['compute'] / figures['baseline']:6.1f}x a COUNT(*)), peak {figures['compute_peak'] / 1024:7.0f} KiB, "
              f"{figures['compute_queries']} queries | export {figures['export'] * 1000:8.1f} ms, "
              f"peak {figures['export_peak'] / 1024:7.0f} KiB, {figures['export_queries']} queries, "
              f"{figures['csv'] / 1024:.0f} KiB of CSV")


def main() -> None:
    which = sys.argv[1] if len(sys.argv) > 1 else "both"
    largest = int(sys.argv[2]) if len(sys.argv) > 2 else 100_000
    sizes = [n for n in (1_000, 10_000, 100_000) if n <= largest]
    for kind in (["sqlite", "postgres"] if which == "both" else [which]):
        asyncio.run(run(kind, sizes))


if __name__ == "__main__":
    main()
