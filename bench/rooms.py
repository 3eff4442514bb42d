"""Room fan-out under load: two uvicorn workers sharing Redis, against a bare websockets broadcast server.

N clients (500 by default) listen in one room while R messages a second (20 by default) are sent
for D seconds; prints p50/p95/p99 latency from send to each receiver, deliveries per second and
deliveries missing, for survnet and for the baseline measured in the same run, and the ratio.
Then 1,000 idle connections to survnet give the resident memory per connection.
Targets on a 2-core machine (load generator included): nothing missing; p99 <= 100 ms and <= 2x
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

import httpx  # noqa: E402
from websockets.asyncio.client import connect  # noqa: E402
from websockets.asyncio.server import broadcast, serve  # noqa: E402

from bench._serve import ROOT, free_port, start_survnet, stop, survnet_env  # noqa: E402

REDIS = os.environ.get("SURVNET_BENCH_REDIS", "redis://127.0.0.1:6379/0")
PASSPHRASE = "benchmark rooms passphrase"
# Send times travel as letters: a run of digits would (rightly) trip the phone-number guard.
_TO_LETTERS = str.maketrans("0123456789.", "abcdefghijk")
_FROM_LETTERS = str.maketrans("abcdefghijk", "0123456789.")


def register(url: str, env: dict, name: str, role: str = "member") -> httpx.Client:
    code = subprocess.run([sys.executable, "-m", "network.core.cli", "invite", "--role", role], env=env, cwd=ROOT,
                          capture_output=True, text=True, check=True).stdout.strip().splitlines()[-1]
    client = httpx.Client(base_url=url)
    body = client.post("/api/v1/auth/register", json={"invite_code": code, "pseudonym": name,
                                                      "passphrase": PASSPHRASE}).json()
    client.headers["x-csrf-token"] = body["csrf_token"]
    return client


def percentile(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100)[q - 1] if len(values) > 1 else (values[0] if values else 0.0)


async def run_load(open_socket, clients: int, senders: int, rate: int, seconds: int, make_frame) -> dict:
    latencies: list[float] = []
    received = 0
    ready = asyncio.Event()
    connected = 0

    async def listen(index: int):
        nonlocal received, connected
        async with open_socket(index) as ws:
            connected += 1
            if connected == clients:
                ready.set()
            while True:
                try:
                    raw = await asyncio.wait_for(ws.recv(), timeout=seconds + 10)
                except (asyncio.TimeoutError, Exception):
                    return
                frame = json.loads(raw)
                body = frame.get("message", {}).get("body") if frame.get("type") == "message" else frame.get("body")
                if body and body.startswith("t="):
                    latencies.append((time.monotonic() - float(body[2:].translate(_FROM_LETTERS))) * 1000)
                    received += 1

    listeners = [asyncio.create_task(listen(i)) for i in range(clients)]
    await asyncio.wait_for(ready.wait(), timeout=120)
    await asyncio.sleep(1)
    sent = 0

    async def send_loop(index: int):
        nonlocal sent
        async with open_socket(index, sender=True) as ws:
            interval = senders / rate
            deadline = time.monotonic() + seconds
            await asyncio.sleep(interval * index / senders)
            while time.monotonic() < deadline:
                await ws.send(make_frame("t=" + str(time.monotonic()).translate(_TO_LETTERS), f"{index}-{sent}"))
                sent += 1
                await asyncio.sleep(interval)

    started = time.monotonic()
    await asyncio.gather(*(send_loop(i) for i in range(senders)))
    await asyncio.sleep(3)
    elapsed = time.monotonic() - started
    for task in listeners:
        task.cancel()
    await asyncio.gather(*listeners, return_exceptions=True)
    expected = sent * clients
    return {"sent": sent, "expected": expected, "received": received, "missing": expected - received,
            "per_second": received / elapsed, "p50": percentile(latencies, 50), "p95": percentile(latencies, 95),
            "p99": percentile(latencies, 99)}


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


async def survnet_load(clients: int, rate: int, seconds: int) -> tuple[dict, int]:
    import redis

    redis.from_url(REDIS).flushdb()
    # The fan-out is measured, not the welcome hold on new members' first messages.
    env = survnet_env(SURVNET_REDIS_URL=REDIS, SURVNET_HOLD_FIRST_MESSAGES="0")
    server, url = start_survnet(env, workers=2)
    try:
        moderator = register(url, env, "Bench Moderator", "moderator")
        room = moderator.post("/api/v1/rooms", json={"name": "Bench room"}).json()["room"]["id"]
        senders = max(1, rate)  # each sender stays at one message a second, under the per-member limit
        listeners = [register(url, env, f"Bench Listener {n}") for n in range(10)]
        talkers = [register(url, env, f"Bench Talker {n}") for n in range(senders)]
        for person in listeners + talkers:
            person.post(f"/api/v1/rooms/{room}/join")
        ws_url = url.replace("http://", "ws://") + f"/rooms/{room}/ws"

        def open_socket(index: int, sender: bool = False):
            person = (talkers if sender else listeners)[index % (len(talkers) if sender else len(listeners))]
            return connect(ws_url, origin=url, additional_headers={"Cookie": f"survnet={person.cookies['survnet']}"},
                           open_timeout=60, max_queue=None)

        def frame(body: str, client_id: str) -> str:
            return json.dumps({"type": "send", "body": body, "client_id": client_id})

        figures = await run_load(open_socket, clients, senders, rate, seconds, frame)
        # Memory per idle connection.
        pids = worker_pids(server.pid)
        before = rss_kib(pids)
        idle = []
        for n in range(1000):
            ws = await open_socket(n).__aenter__()
            idle.append(ws)
        await asyncio.sleep(2)
        after = rss_kib(pids)
        for ws in idle:
            await ws.close()
        return figures, (after - before) / 1000
    finally:
        stop(server)


async def baseline_load(clients: int, rate: int, seconds: int) -> dict:
    connections = set()

    async def handler(ws):
        connections.add(ws)
        try:
            async for raw in ws:
                broadcast(list(connections), raw)
        finally:
            connections.discard(ws)

    port = free_port()
    async with serve(handler, "127.0.0.1", port, max_queue=None):
        def open_socket(index: int, sender: bool = False):
            return connect(f"ws://127.0.0.1:{port}/", open_timeout=60, max_queue=None)

        def frame(body: str, client_id: str) -> str:
            return json.dumps({"type": "relay", "body": body})

        return await run_load(open_socket, clients, max(1, rate), rate, seconds, frame)


def show(name: str, f: dict) -> None:
    print(f"{name:9} p50 {f['p50']:7.1f} ms  p95 {f['p95']:7.1f} ms  p99 {f['p99']:7.1f} ms  "
          f"{f['per_second']:8.0f} deliveries/s  missing {f['missing']} of {f['expected']}")


def main() -> None:
    import logging

    # The baseline server logs every connection the load generator drops at the end; noise only.
    logging.getLogger("websockets").setLevel(logging.CRITICAL)
    clients = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    rate = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    seconds = int(sys.argv[3]) if len(sys.argv) > 3 else 10
    base = asyncio.run(baseline_load(clients, rate, seconds))
    ours, per_connection = asyncio.run(survnet_load(clients, rate, seconds))
    print(f"{clients} clients, {rate} messages/s for {seconds} s")
    show("baseline", base)
    show("survnet", ours)
    print(f"p99 ratio survnet / baseline: {ours['p99'] / max(base['p99'], 0.001):.2f}")
    print(f"resident memory per idle connection (2 workers, 1,000 connections): {per_connection:.1f} KiB")


if __name__ == "__main__":
    main()
