"""What a member's notices cost when everything they hear of is found through their participation key.

The network holds `consultations` published outcomes, each with 5 commitments and 3 updates per
commitment, 20 participations per consultation under tokens of other keys, and `proposals` answered
proposals with 4 supports each; the measured member took part in one consultation in four, follows
one in ten, supports one proposal in five and has not yet been told of anything. Timed: the news
the notices page lists (outcomes, commitment updates, answers to proposals: every token made from
the key, then the lookups), against a baseline in the same process of one participation fetched by
its primary key. Each database is filled and measured in a process of its own; PostgreSQL is used
when it answers at 127.0.0.1:5432 (BENCH_POSTGRES_URL to choose another).

Usage: python bench/notices.py [consultations] [proposals] [rounds]
"""

from __future__ import annotations

import sys
from pathlib import Path

# This folder holds http.py, which would shadow the standard library's http package.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
sys.path.insert(0, str(_HERE.parent))

import asyncio  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import secrets  # noqa: E402
import socket  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
import uuid  # noqa: E402
from datetime import date  # noqa: E402

POSTGRES = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/test")


async def _fill(consultations: int, proposals: int) -> tuple[bytes, int, object]:
    from consultations import commitments
    from consultations import proposals as proposing
    from consultations.models import (
        Commitment,
        CommitmentUpdate,
        Consultation,
        Follow,
        Participation,
        Proposal,
        Support,
    )
    from consultations.participation import token_for
    from network.core.keys import random_id
    from network.members.models import Member

    key, today = secrets.token_bytes(32), date.today()
    member = await Member.create(pseudonym="Bench Reader", pseudonym_key=uuid.uuid4().hex, skeleton=uuid.uuid4().hex,
                                 passphrase_hash="!")
    made = await Consultation.bulk_create([Consultation(status="published", title={"en": f"C{n}"},
                                                        consent_text={"en": "c"}) for n in range(consultations)])
    ids = await Consultation.all().values_list("id", flat=True)
    rows, updates, parts, follows = [], [], [], []
    for n, cid in enumerate(ids):
        rows += [Commitment(consultation_id=cid, position=p, what={"en": "w"}, who="Office", changed_on=today)
                 for p in range(5)]
        parts += [Participation(id=random_id(), consultation_id=cid, token=uuid.uuid4().hex, consent_version=1,
                                submitted=True) for _ in range(20)]
        if n % 4 == 0:
            parts.append(Participation(id=random_id(), consultation_id=cid, token=token_for(key, cid),
                                       consent_version=1, submitted=True, outcome_seen=True))
        if n % 10 == 0:
            follows.append(Follow(id=random_id(), consultation_id=cid, token=commitments.follow_token(key, cid)))
    await Commitment.bulk_create(rows, batch_size=1000)
    for c in await Commitment.all():
        updates += [CommitmentUpdate(consultation_id=c.consultation_id, commitment_id=c.id, status="under_way",
                                     made_on=today) for _ in range(3)]
    await CommitmentUpdate.bulk_create(updates, batch_size=1000)
    await Participation.bulk_create(parts, batch_size=1000)
    await Follow.bulk_create(follows, batch_size=1000)
    asked = [Proposal(id=random_id(), kind="topic", locale="en", text="t", shown_text="t", status="declined",
                      answer={"en": "r"}, proposed_on=today, answered_on=today) for _ in range(proposals)]
    await Proposal.bulk_create(asked, batch_size=1000)
    supports = []
    for n, proposal in enumerate(asked):
        supports += [Support(id=random_id(), proposal_id=proposal.id, token=uuid.uuid4().hex) for _ in range(4)]
        if n % 5 == 0:
            supports.append(Support(id=random_id(), proposal_id=proposal.id,
                                    token=proposing.support_token(key, proposal.id)))
    await Support.bulk_create(supports, batch_size=1000)
    del made
    return key, (await Participation.first()).id, member


async def _measure(url: str, consultations: int, proposals: int, rounds: int) -> dict:
    from consultations import commitments, participation
    from consultations import proposals as proposing
    from consultations.models import Participation
    from network.core import crypto, db

    crypto.configure(secrets.token_hex(32), [])
    await db.migrate(url)  # the schema as a deployment has it, from the committed migrations
    await db.open_db(url)
    try:
        key, some_id, member = await _fill(consultations, proposals)

        async def news():
            found = []
            for source in (participation.outcome_notices, commitments.notice_items, proposing.notice_items):
                found += await source(None, member, key, "en")
            return found

        told = len(await news())
        timed: dict[str, list[float]] = {"baseline": [], "news": []}
        for _ in range(rounds):
            for name, work in (("baseline", lambda: Participation.get(id=some_id)), ("news", news)):
                started = time.perf_counter()
                await work()
                timed[name].append((time.perf_counter() - started) * 1000)
        return {"told": told, **{name: [statistics.median(v), statistics.quantiles(v, n=100)[98]]
                                 for name, v in timed.items()}}
    finally:
        await db.close_db()


async def _postgres_database(statement: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(POSTGRES.replace("postgres://", "postgresql://"))
    try:
        await conn.execute(statement)
    finally:
        await conn.close()


def _postgres_answers() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 5432), timeout=1).close()
        return True
    except OSError:
        return False


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--one":
        url, counts = sys.argv[2], [int(v) for v in sys.argv[3:6]]
        print(json.dumps(asyncio.run(_measure(url, *counts))))
        return
    counts = [int(v) for v in sys.argv[1:4]] + [400, 1000, 200][len(sys.argv) - 1:]
    print(f"notices of one member: {counts[0]} consultations with updates, {counts[1]} answered proposals, "
          f"{counts[2]} rounds")
    database = f"bench_notices_{uuid.uuid4().hex[:8]}"
    with tempfile.TemporaryDirectory() as folder:
        targets = [("SQLite", f"sqlite://{folder}/bench.db")]
        if _postgres_answers():
            asyncio.run(_postgres_database(f'CREATE DATABASE "{database}"'))
            targets.append(("PostgreSQL", POSTGRES.rsplit("/", 1)[0] + "/" + database))
        try:
            results = {name: subprocess.run([sys.executable, __file__, "--one", url, *map(str, counts)],
                                             capture_output=True, text=True) for name, url in targets}
        finally:
            if len(targets) > 1:
                asyncio.run(_postgres_database(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
        for name, run in results.items():
            if run.returncode:
                print(f"{name}: failed\n{run.stderr[-2000:]}")
                continue
            r = json.loads(run.stdout.strip().splitlines()[-1])
            base, news = r["baseline"], r["news"]
            print(f"{name}: {r['told']} notices; news p50 {news[0]:.2f} ms / p99 {news[1]:.2f} ms "
                  f"({news[0] / base[0]:.1f}x / {news[1] / base[1]:.1f}x the lookup's "
                  f"{base[0]:.2f} / {base[1]:.2f} ms)")


if __name__ == "__main__":
    main()
