"""Argon2id cost, and how much continuous logins slow everything else down.

Prints milliseconds per hash at the configured parameters, then the latency of a /healthz probe
(p50, p99) against a live server when idle and while logins run two at a time, and their ratio.
Target: p99 under login load at most 1.5 times idle. Usage: python bench/login.py [seconds]
"""

from __future__ import annotations

import sys
from pathlib import Path

# This folder holds http.py, which would shadow the standard library's http package.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
sys.path.insert(0, str(_HERE.parent))

import asyncio
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx

from bench._serve import ROOT, start_survnet, stop, survnet_env  # noqa: E402
from network.core.hashing import Hasher  # noqa: E402
from network.core.settings import Settings  # noqa: E402

PASSPHRASE = "benchmark passphrase here"


def hash_ms(rounds: int = 20) -> float:
    settings = Settings()
    hasher = Hasher(settings.argon2_memory_kib, settings.argon2_time_cost, settings.argon2_parallelism, 1)
    started = time.perf_counter()
    for _ in range(rounds):
        hasher._hasher.hash(PASSPHRASE)
    hasher.close()
    return (time.perf_counter() - started) * 1000 / rounds


async def probe(http: httpx.AsyncClient, seconds: float) -> list[float]:
    samples = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        started = time.perf_counter()
        await http.get("/healthz")
        samples.append((time.perf_counter() - started) * 1000)
        await asyncio.sleep(0.01)
    return samples


async def login_loop(url: str, pseudonym: str, stop_at: float, counter: list[int]) -> None:
    async with httpx.AsyncClient(base_url=url) as http:
        while time.monotonic() < stop_at:
            http.cookies.clear()  # each login a fresh visitor, as members signing in would be
            response = await http.post("/api/v1/auth/login", json={"pseudonym": pseudonym, "passphrase": PASSPHRASE})
            response.raise_for_status()
            counter[0] += 1


def pct(samples: list[float], q: float) -> float:
    return statistics.quantiles(samples, n=100)[int(q) - 1]


async def measure(url: str, pseudonyms: list[str], seconds: float) -> None:
    async with httpx.AsyncClient(base_url=url) as http:
        idle = await probe(http, seconds)
        counter = [0]
        stop_at = time.monotonic() + seconds + 0.5
        loops = [asyncio.create_task(login_loop(url, p, stop_at, counter)) for p in pseudonyms]
        await asyncio.sleep(0.5)
        loaded = await probe(http, seconds)
        await asyncio.gather(*loops)
    print(f"/healthz idle         : p50 {pct(idle, 50):6.2f} ms  p99 {pct(idle, 99):6.2f} ms  ({len(idle)} probes)")
    print(f"/healthz under logins : p50 {pct(loaded, 50):6.2f} ms  p99 {pct(loaded, 99):6.2f} ms  "
          f"({len(loaded)} probes, {counter[0]} logins)")
    print(f"p99 ratio under load / idle: {pct(loaded, 99) / pct(idle, 99):.2f} (target <= 1.5)")


def main() -> None:
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 10
    print(f"Argon2id at m={Settings().argon2_memory_kib} KiB, t={Settings().argon2_time_cost}, "
          f"p={Settings().argon2_parallelism}: {hash_ms():.1f} ms per hash")
    env = survnet_env()
    server, url = start_survnet(env)
    try:
        pseudonyms = []
        for n in range(2):
            code = subprocess.run([sys.executable, "-m", "network.core.cli", "invite"], env=env, cwd=ROOT,
                                  capture_output=True, text=True, check=True).stdout.strip().splitlines()[-1]
            name = f"Bench Person {n}"
            httpx.post(url + "/api/v1/auth/register", json={"invite_code": code, "pseudonym": name,
                                                          "passphrase": PASSPHRASE}).raise_for_status()
            pseudonyms.append(name)
        asyncio.run(measure(url, pseudonyms, seconds))
    finally:
        stop(server)


if __name__ == "__main__":
    main()
