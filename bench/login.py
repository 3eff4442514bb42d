"""Argon2id cost, and how much continuous sign-ins slow everything else down.

Prints milliseconds per hash at the configured parameters, then the latency of /healthz probes
(p50, p99) against a live server, idle and while sign-ins run two at a time, and their ratio.
The probe is a bare keep-alive HTTP/1.1 client on its own socket, and the sign-ins come from a
second process, so the figures are the server's and not the benchmark's own work. Idle and
loaded phases alternate for several rounds, so the machine's drift falls on both.
Target: p99 under sign-ins at most 1.5 times idle. Usage: python bench/login.py [seconds] [rounds]
"""

from __future__ import annotations

import sys
from pathlib import Path

# This folder holds http.py, which would shadow the standard library's http package.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
sys.path.insert(0, str(_HERE.parent))

import asyncio  # noqa: E402
import multiprocessing  # noqa: E402
import os  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import time  # noqa: E402
from urllib.parse import urlsplit  # noqa: E402

import httpx  # noqa: E402

from bench._serve import ROOT, start_survnet, stop, survnet_env  # noqa: E402
from network.core.hashing import Hasher  # noqa: E402
from network.core.settings import Settings  # noqa: E402

PASSPHRASE = "benchmark passphrase here"


def hash_ms(rounds: int = 20) -> float:
    settings = Settings()
    hasher = Hasher(settings.argon2_memory_kib, settings.argon2_time_cost, settings.argon2_parallelism, 1)
    started = time.perf_counter()
    for _ in range(rounds):
        hasher._record(os.urandom(16), PASSPHRASE)
    hasher.close()
    return (time.perf_counter() - started) * 1000 / rounds


async def probe(url: str, seconds: float) -> list[float]:
    """Milliseconds per GET /healthz, one at a time every 10 ms, over one kept-alive connection."""
    parts = urlsplit(url)
    reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
    request = f"GET /healthz HTTP/1.1\r\nHost: {parts.netloc}\r\n\r\n".encode()
    samples = []
    deadline = time.monotonic() + seconds
    try:
        while time.monotonic() < deadline:
            started = time.perf_counter()
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            length = int(next(line.split(b":")[1] for line in head.lower().split(b"\r\n")
                              if line.startswith(b"content-length:")))
            await reader.readexactly(length)
            samples.append((time.perf_counter() - started) * 1000)
            await asyncio.sleep(0.01)
    finally:
        writer.close()
    return samples


def sign_ins(url: str, pseudonyms: list[str], done) -> None:
    """In its own process: each pseudonym signs in again and again, as a fresh visitor each time."""
    async def one(pseudonym: str) -> None:
        async with httpx.AsyncClient(base_url=url, timeout=30) as http:
            while not done.is_set():
                http.cookies.clear()
                response = await http.post("/api/v1/auth/login", json={"pseudonym": pseudonym,
                                                                        "passphrase": PASSPHRASE})
                response.raise_for_status()
                done.count.value += 1

    async def all_of_them() -> None:
        await asyncio.gather(*(one(p) for p in pseudonyms))

    asyncio.run(all_of_them())


class Load:
    def __init__(self, url: str, pseudonyms: list[str]):
        self.done = multiprocessing.Event()
        self.done.count = multiprocessing.Value("i", 0)
        self.process = multiprocessing.Process(target=sign_ins, args=(url, pseudonyms, self.done))

    def __enter__(self):
        self.process.start()
        time.sleep(0.5)  # the first sign-ins under way before probing
        return self

    def __exit__(self, *exc):
        self.done.set()
        self.process.join(30)


def pct(samples: list[float], q: int) -> float:
    return statistics.quantiles(samples, n=100)[q - 1]


def main() -> None:
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 5
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 4
    settings = Settings()
    print(f"Argon2id at m={settings.argon2_memory_kib} KiB, t={settings.argon2_time_cost}, "
          f"p={settings.argon2_parallelism}: {hash_ms():.1f} ms per hash; each sign-in runs two")
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
        idle, loaded, logins = [], [], 0
        for _ in range(rounds):
            idle += asyncio.run(probe(url, seconds))
            with Load(url, pseudonyms) as load:
                loaded += asyncio.run(probe(url, seconds))
            logins += load.done.count.value
    finally:
        stop(server)
    print(f"/healthz idle           : p50 {pct(idle, 50):6.2f} ms  p99 {pct(idle, 99):6.2f} ms  ({len(idle)} probes)")
    print(f"/healthz under sign-ins : p50 {pct(loaded, 50):6.2f} ms  p99 {pct(loaded, 99):6.2f} ms  "
          f"({len(loaded)} probes, {logins} sign-ins)")
    print(f"p99 ratio under sign-ins / idle: {pct(loaded, 99) / pct(idle, 99):.2f} (target <= 1.5)")


if __name__ == "__main__":
    main()
