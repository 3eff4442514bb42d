"""Room fan-out under load: two uvicorn workers sharing PostgreSQL and Redis, against a bare
`websockets` broadcast server run in a process of its own.

Steady load: N clients (500 by default) listen in one room while R messages a second (20 by
default) are sent for D seconds; prints p50/p95/p99 latency from send to each receiver,
deliveries per second, deliveries missing and delivered twice, for survnet and for the baseline
measured in the same run, and the p99 ratio. Racing load: 20 senders on both workers send 10
messages each at once, and every listener must get every acknowledged message once, in sequence
order. Then 1,000 idle connections to survnet give the resident memory per connection.
Targets on a 2-core machine (load generator included): 0 missing and 0 twice in every run; p99 <= 2x
the baseline; <= 64 KiB per idle connection.
Usage: python bench/rooms.py [clients] [rate] [seconds]
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
import statistics  # noqa: E402
import subprocess  # noqa: E402
import time  # noqa: E402
import uuid  # noqa: E402

import httpx  # noqa: E402
from websockets.asyncio.client import connect  # noqa: E402

from bench._serve import ROOT, free_port, start_survnet, stop, survnet_env  # noqa: E402

REDIS = os.environ.get("SURVNET_BENCH_REDIS", "redis://127.0.0.1:6379/0")
POSTGRES = os.environ.get("SURVNET_BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432/test")
PASSPHRASE = "benchmark rooms passphrase"
# Send times travel as letters: a run of digits would (rightly) trip the phone-number guard.
_TO_LETTERS = str.maketrans("0123456789.", "abcdefghijk")
_FROM_LETTERS = str.maketrans("abcdefghijk", "0123456789.")


def percentile(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100)[q - 1] if len(values) > 1 else (values[0] if values else 0.0)


class Tally:
    """What the listeners got: latencies, and how often each message came to each listener."""

    def __init__(self) -> None:
        self.latencies: list[float] = []
        self.got: dict[int, dict[str, int]] = {}
        self.out_of_order = 0

    def listener(self, index: int):
        seen = self.got.setdefault(index, {})
        last = [0]

        def take(frame: dict) -> None:
            body = frame.get("message", {}).get("body") if frame.get("type") == "message" else frame.get("body")
            if not body or not body.startswith("t="):
                return
            stamp, _, key = body[2:].partition(" ")
            self.latencies.append((time.monotonic() - float(stamp.translate(_FROM_LETTERS))) * 1000)
            seen[key] = seen.get(key, 0) + 1
            if "seq" in frame:
                self.out_of_order += frame["seq"] <= last[0]
                last[0] = frame["seq"]
        return take


async def run_load(open_socket, clients: int, sends: list, make_frame, seconds: float, tally: Tally,
                   acks: bool = True) -> dict:
    """`sends`: (sender index, due time from the start, message key). Returns the figures."""
    ready = asyncio.Event()
    connected = 0
    acked: set[str] = set()

    async def listen(index: int):
        nonlocal connected
        take = tally.listener(index)
        async with open_socket(index) as ws:
            connected += 1
            if connected == clients:
                ready.set()
            while True:
                try:
                    take(json.loads(await asyncio.wait_for(ws.recv(), timeout=seconds + 30)))
                except Exception:  # noqa: BLE001 - the end of the run
                    return

    listeners = [asyncio.create_task(listen(i)) for i in range(clients)]
    await asyncio.wait_for(ready.wait(), timeout=180)
    await asyncio.sleep(1)
    by_sender: dict[int, list] = {}
    for sender, due, key in sends:
        by_sender.setdefault(sender, []).append((due, key))

    async def send_loop(index: int, items: list):
        async with open_socket(index, sender=True) as ws:
            start = time.monotonic()
            for due, key in items:
                await asyncio.sleep(max(0.0, start + due - time.monotonic()))
                await ws.send(make_frame(f"t={str(time.monotonic()).translate(_TO_LETTERS)} {key}", key))
            deadline = time.monotonic() + (15 if acks else 0)
            while time.monotonic() < deadline and not all(k in acked for _, k in items):
                try:
                    frame = json.loads(await asyncio.wait_for(ws.recv(), timeout=1))
                except asyncio.TimeoutError:
                    continue
                if frame.get("type") == "ack":
                    acked.add(frame.get("client_id"))

    started = time.monotonic()
    await asyncio.gather(*(send_loop(i, items) for i, items in by_sender.items()))
    await asyncio.sleep(3)
    elapsed = time.monotonic() - started
    for task in listeners:
        task.cancel()
    await asyncio.gather(*listeners, return_exceptions=True)
    keys = acked or {key for _, _, key in sends}
    missing = sum(1 for seen in tally.got.values() for key in keys if key not in seen)
    twice = sum(count - 1 for seen in tally.got.values() for count in seen.values() if count > 1)
    received = sum(sum(seen.values()) for seen in tally.got.values())
    return {"sent": len(sends), "acked": len(keys), "expected": len(keys) * clients, "missing": missing,
            "twice": twice, "out_of_order": tally.out_of_order, "per_second": received / elapsed,
            "p50": percentile(tally.latencies, 50), "p95": percentile(tally.latencies, 95),
            "p99": percentile(tally.latencies, 99)}


def steady(senders: int, rate: int, seconds: int) -> list:
    interval = senders / rate
    count = int(seconds / interval)
    return [(s, interval * (n + s / senders), f"{s}-{n}") for s in range(senders) for n in range(count)]


def racing(senders: int, each: int) -> list:
    return [(s, 0.0, f"race-{s}-{n}") for s in range(senders) for n in range(each)]


def rss_kib(pids: list[int]) -> int:
    total = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except FileNotFoundError:
            pass
    return total


def worker_pids(parent: int) -> list[int]:
    children = Path(f"/proc/{parent}/task/{parent}/children")
    pids = [int(p) for p in children.read_text().split()] if children.exists() else []
    return [parent, *pids]


def postgres_database() -> str:
    """A fresh database for the run, so the figures are not of an old one."""
    name = f"survnet_bench_{uuid.uuid4().hex[:8]}"
    subprocess.run(["psql", POSTGRES.replace("postgres://", "postgresql://"), "-qc", f'CREATE DATABASE "{name}"'],
                   check=True, capture_output=True)
    return POSTGRES.rsplit("/", 1)[0] + "/" + name


def crowd(url: str, env: dict, count: int) -> tuple[httpx.Client, list[httpx.Client]]:
    code = subprocess.run([sys.executable, "-m", "network.core.cli", "invite", "--role", "admin", "--uses",
                           str(count + 1), "--days", "1"], env=env, cwd=ROOT, capture_output=True, text=True,
                          check=True).stdout.strip().splitlines()[-1]
    people = []
    for n in range(count + 1):
        client = httpx.Client(base_url=url, timeout=30)
        body = client.post("/api/v1/auth/register", json={"invite_code": code, "pseudonym": f"Bench Person {n}",
                                                          "passphrase": PASSPHRASE}).json()
        client.headers["x-csrf-token"] = body["csrf_token"]
        people.append(client)
    return people[0], people[1:]


async def survnet_run(clients: int, rate: int, seconds: int) -> tuple[dict, dict, float]:
    database = postgres_database()
    # The fan-out is measured, not the welcome hold on new members' first messages; the senders'
    # pace stays under the per-member limit.
    env = survnet_env(SURVNET_REDIS_URL=REDIS, SURVNET_DATABASE_URL=database, SURVNET_HOLD_FIRST_MESSAGES="0",
                      SURVNET_REDIS_PREFIX=f"bench{uuid.uuid4().hex[:6]}:")
    server, url = start_survnet(env, workers=2)
    try:
        senders = max(1, rate)
        admin, people = crowd(url, env, 10 + max(senders, 20))
        listeners, talkers = people[:10], people[10:]
        room = admin.post("/api/v1/rooms", json={"name": "Bench room"}).json()["room"]["id"]
        for person in people:
            person.post(f"/api/v1/rooms/{room}/join")
        ws_url = url.replace("http://", "ws://") + f"/rooms/{room}/ws"

        def open_socket(index: int, sender: bool = False):
            # Members are signed in on one worker or the other: uvicorn spreads the connections.
            person = (talkers if sender else listeners)[index % (len(talkers) if sender else len(listeners))]
            return connect(ws_url, origin=url, additional_headers={"Cookie": f"survnet={person.cookies['survnet']}"},
                           open_timeout=120, max_queue=None)

        def frame(body: str, client_id: str) -> str:
            return json.dumps({"type": "send", "body": body, "client_id": client_id})

        steady_figures = await run_load(open_socket, clients, steady(senders, rate, seconds), frame, seconds,
                                        Tally())
        race_figures = await run_load(open_socket, min(clients, 100), racing(20, 10), frame, 5, Tally())
        pids = worker_pids(server.pid)
        before = rss_kib(pids)
        idle = [await open_socket(n).__aenter__() for n in range(1000)]
        await asyncio.sleep(2)
        after = rss_kib(pids)
        for ws in idle:
            await ws.close()
        return steady_figures, race_figures, (after - before) / 1000
    finally:
        stop(server)
        name = database.rsplit("/", 1)[1]
        subprocess.run(["psql", POSTGRES.replace("postgres://", "postgresql://"), "-qc",
                        f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'], capture_output=True)


async def baseline_run(clients: int, rate: int, seconds: int) -> dict:
    port = free_port()
    server = subprocess.Popen([sys.executable, str(_HERE / "_broadcast.py"), str(port)], stdout=subprocess.PIPE,
                              text=True)
    try:
        server.stdout.readline()  # "ready"

        def open_socket(index: int, sender: bool = False):
            return connect(f"ws://127.0.0.1:{port}/", open_timeout=120, max_queue=None)

        def frame(body: str, client_id: str) -> str:
            return json.dumps({"type": "relay", "body": body})

        return await run_load(open_socket, clients, steady(max(1, rate), rate, seconds), frame, seconds, Tally(),
                              acks=False)
    finally:
        stop(server)


def show(name: str, f: dict) -> None:
    print(f"{name:9} p50 {f['p50']:7.1f} ms  p95 {f['p95']:7.1f} ms  p99 {f['p99']:7.1f} ms  "
          f"{f['per_second']:8.0f} deliveries/s  missing {f['missing']} of {f['expected']}  twice {f['twice']}  "
          f"out of order {f['out_of_order']}")


def main() -> None:
    import logging

    logging.getLogger("websockets").setLevel(logging.CRITICAL)
    clients = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    rate = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    seconds = int(sys.argv[3]) if len(sys.argv) > 3 else 10
    base = asyncio.run(baseline_run(clients, rate, seconds))
    ours, race, per_connection = asyncio.run(survnet_run(clients, rate, seconds))
    print(f"{clients} clients, {rate} messages/s for {seconds} s")
    show("baseline", base)
    show("survnet", ours)
    print(f"p99 ratio survnet / baseline: {ours['p99'] / max(base['p99'], 0.001):.2f}")
    print(f"racing: 20 senders x 10 messages at once, {race['acked']} acknowledged, to "
          f"{race['expected'] // max(race['acked'], 1)} listeners:")
    show("  racing", race)
    print(f"resident memory per idle connection (2 workers, 1,000 connections): {per_connection:.1f} KiB")


if __name__ == "__main__":
    main()
