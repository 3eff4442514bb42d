"""Library search at 10,000 entries, on SQLite and on PostgreSQL, against a plain indexed lookup.

Each database is filled in a process of its own and measured in another: the library holds `entries` published
entries (texts in the seven languages, made from the demo's words, with filters spread over the
six countries, topics, audiences and reading levels), then searches (one or two words, with and
without filters, in every language, plus a browse by filter alone) and plain lookups by primary
key (an entry's texts by its indexed entry id) are timed in interleaved rounds. Each search is
what the search page asks: the matching page of results with their texts and highlighted snippets,
after one untimed round that warms the caches a running server has warm.
Prints p50 and p99 in milliseconds and their ratio to the lookup; the target is search p99 under
50 ms. PostgreSQL is used when it answers at 127.0.0.1:5432 (BENCH_POSTGRES_URL to choose another),
and its tables are vacuumed and analysed once filled, as autovacuum soon would.

Usage: python bench/library.py [entries] [searches per round] [rounds]
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
import random  # noqa: E402
import socket  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
import traceback  # noqa: E402
import uuid  # noqa: E402
from types import SimpleNamespace  # noqa: E402

POSTGRES = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/test")
CHUNK = 500


def _words_by_locale() -> dict[str, list[str]]:
    from network.library.demo import DEMO_FILE
    from network.library.folding import WORD

    words: dict[str, set[str]] = {}
    for entry in json.loads(DEMO_FILE.read_text(encoding="utf-8"))["entries"]:
        for text in entry["texts"]:
            words.setdefault(text["locale"], set()).update(
                w for w in WORD.findall(f"{text['title']} {text['body']}") if len(w) > 3)
    return {locale: sorted(found) for locale, found in words.items()}


def _document(count: int, words: dict[str, list[str]], rng: random.Random) -> dict:
    from network.library import models

    locales = sorted(words)
    entries = []
    for n in range(count):
        locale = locales[n % len(locales)]
        vocabulary = words[locale]

        def sentence(length: int) -> str:
            return " ".join(rng.choice(vocabulary) for _ in range(length))

        texts = [{"locale": locale, "level": "full", "title": sentence(6), "summary": sentence(20),
                  "body": "\n\n".join(sentence(40) for _ in range(4))}]
        if n % 3 == 0:
            texts.append({"locale": locale, "level": "easy", "title": sentence(5), "summary": sentence(10),
                          "body": sentence(60)})
        entries.append({"kind": rng.choice(models.ENTRY_KINDS), "audiences": [rng.choice(models.AUDIENCES)],
                        "countries": rng.sample(["AF", "CD", "CO", "IQ", "KE", "UA"], rng.choice([0, 1, 2])),
                        "topics": rng.sample(models.TOPICS, 2), "visibility": "members" if n % 5 == 0 else "public",
                        "texts": texts})
    return {"format": "survnet-library/1", "entries": entries}


def _queries(words: dict[str, list[str]], rng: random.Random, count: int):
    from network.library import models
    from network.library.search import Filters

    found = []
    for n in range(count):
        locale = rng.choice(sorted(words))
        vocabulary = words[locale]
        shape = n % 5
        if shape == 0:
            found.append((rng.choice(vocabulary), Filters(), locale))
        elif shape == 1:
            found.append((" ".join(rng.sample(vocabulary, 2)), Filters(), locale))
        elif shape == 2:
            found.append((rng.choice(vocabulary), Filters(country=rng.choice(["KE", "UA", "AF"]),
                                                          topic=rng.choice(models.TOPICS)), locale))
        elif shape == 3:
            found.append((rng.choice(vocabulary)[:4], Filters(level="easy", language=locale), locale))
        else:
            found.append(("", Filters(country="CD", audience=rng.choice(models.AUDIENCES)), locale))
    return found


async def _fill(url: str, count: int) -> None:
    from network.core import db
    from network.library import exchange

    await db.migrate(url)
    await db.open_db(url)
    words, rng = _words_by_locale(), random.Random(7)
    document = _document(count, words, rng)
    started = time.perf_counter()
    for start in range(0, count, CHUNK):
        await exchange.load(None, {**document, "entries": document["entries"][start:start + CHUNK]}, publish=True)
    print(f"  filled {count} entries in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    if url.startswith("postgres"):
        # What autovacuum does soon after a bulk load: statistics for the planner, the GIN indexes'
        # pending entries merged. Measured without it, the first minute after an import is slower.
        from tortoise import connections

        for table in ("library_search", "library_words", "library_text", "library_entry"):
            await connections.get("default").execute_script(f"VACUUM ANALYZE {table}")
    await db.close_db()


async def _measure(url: str, per_round: int, rounds: int) -> dict:
    from network.core import crypto, db
    from network.library import service, views
    from network.library.models import EntryText

    crypto.configure("bench")
    await db.open_db(url)
    words, rng = _words_by_locale(), random.Random(11)
    ids = list(await EntryText.all().values_list("entry_id", flat=True))
    member = SimpleNamespace(role="member")  # a signed-in reader: members-only entries too
    searched, looked_up, hits = [], [], []
    # One round untimed first: a running server has its caches warm (locale data, folded words).
    for query, filters, locale in _queries(words, random.Random(5), per_round):
        found, _, terms = await service.find(query, filters, locale, member)
        [views.result(text, entry, terms, locale) for text, entry in found]
    for _ in range(rounds):
        for query, filters, locale in _queries(words, rng, per_round):
            started = time.perf_counter()
            found, total, terms = await service.find(query, filters, locale, member)
            [views.result(text, entry, terms, locale) for text, entry in found]
            searched.append((time.perf_counter() - started) * 1000)
            hits.append(total)
            started = time.perf_counter()
            await EntryText.filter(entry_id=rng.choice(ids)).first()
            looked_up.append((time.perf_counter() - started) * 1000)
    await db.close_db()

    def p(values, q):
        return statistics.quantiles(values, n=100)[q - 1]

    return {"search_p50": statistics.median(searched), "search_p99": p(searched, 99),
            "lookup_p50": statistics.median(looked_up), "lookup_p99": p(looked_up, 99),
            "median_hits": statistics.median(hits), "searches": len(searched)}


def _child(*args: str) -> str:
    out = subprocess.run([sys.executable, __file__, *args], check=True, capture_output=True, text=True)
    sys.stderr.write(out.stderr)
    return out.stdout.strip().splitlines()[-1] if out.stdout.strip() else ""


async def _postgres_database(create: bool, name: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(POSTGRES.replace("postgres://", "postgresql://"))
    try:
        await conn.execute(f'CREATE DATABASE "{name}"' if create else f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()


def _run(kind: str, count: int, per_round: int, rounds: int) -> dict:
    """Filled in one process, measured in a fresh one: as a server reads what an import wrote."""
    if kind == "sqlite":
        url = f"sqlite://{tempfile.mkdtemp()}/library.sqlite3"
        _child("--fill", url, str(count))
        return json.loads(_child("--measure", url, str(per_round), str(rounds)))
    name = f"bench_library_{uuid.uuid4().hex[:8]}"
    asyncio.run(_postgres_database(True, name))
    try:
        url = POSTGRES.rsplit("/", 1)[0] + "/" + name
        _child("--fill", url, str(count))
        return json.loads(_child("--measure", url, str(per_round), str(rounds)))
    finally:
        asyncio.run(_postgres_database(False, name))


def _postgres_answers() -> bool:
    host_port = POSTGRES.split("@", 1)[-1].split("/", 1)[0]
    host, _, port = host_port.partition(":")
    try:
        with socket.create_connection((host, int(port or 5432)), timeout=1):
            return True
    except OSError:
        return False


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--fill":
        from network.core import crypto

        crypto.configure("bench")
        asyncio.run(_fill(sys.argv[2], int(sys.argv[3])))
        return
    if len(sys.argv) > 1 and sys.argv[1] == "--measure":
        try:
            print(json.dumps(asyncio.run(_measure(sys.argv[2], int(sys.argv[3]), int(sys.argv[4])))))
        except BaseException:
            # Said and ended: the database's thread, left open by the failure, would keep the process alive.
            traceback.print_exc()
            sys.stderr.flush()
            os._exit(1)
        return
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10000
    per_round = int(sys.argv[2]) if len(sys.argv) > 2 else 200
    rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    kinds = ["sqlite"] + (["postgres"] if _postgres_answers() else [])
    print(f"library search, {count} entries, {per_round * rounds} searches and lookups per database")
    print(f"{'database':<10} {'search p50':>11} {'search p99':>11} {'lookup p50':>11} {'lookup p99':>11} "
          f"{'p50 ratio':>10} {'p99 ratio':>10} {'hits p50':>9}  target p99 < 50 ms")
    for kind in kinds:
        r = _run(kind, count, per_round, rounds)
        print(f"{kind:<10} {r['search_p50']:>9.2f}ms {r['search_p99']:>9.2f}ms {r['lookup_p50']:>9.2f}ms "
              f"{r['lookup_p99']:>9.2f}ms {r['search_p50'] / r['lookup_p50']:>9.1f}x "
              f"{r['search_p99'] / r['lookup_p99']:>9.1f}x {r['median_hits']:>9.0f}  "
              f"{'met' if r['search_p99'] < 50 else 'NOT met'}")
    if "postgres" not in kinds:
        print("PostgreSQL did not answer: only SQLite was measured")


if __name__ == "__main__":
    main()
