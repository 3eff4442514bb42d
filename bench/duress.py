"""Whether a duress sign-in can be told from a normal one by its time.

Against a live server (SQLite, production Argon2id parameters), one account signs in alternately
with its passphrase and with its duress passphrase (which opens a decoy), each time as a fresh
visitor, signing out in between (outside the timing). Prints the paired median of (duress / normal)
over the pairs, the medians of each, and the share of pairs in which duress was the slower: within
noise, the ratio is near 1.00 and that share near 50 %. Usage: python bench/duress.py [pairs]
"""

from __future__ import annotations

import sys
from pathlib import Path

_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
sys.path.insert(0, str(_HERE.parent))

import statistics  # noqa: E402
import subprocess  # noqa: E402
import time  # noqa: E402

import httpx  # noqa: E402

from bench._serve import ROOT, start_survnet, stop, survnet_env  # noqa: E402

PASSPHRASE = "benchmark passphrase here"
DURESS = "a different duress passphrase"
NAME = "Bench Duress"


def sign_in(url: str, passphrase: str) -> float:
    with httpx.Client(base_url=url) as http:
        started = time.perf_counter()
        response = http.post("/api/v1/auth/login", json={"pseudonym": NAME, "passphrase": passphrase})
        took = time.perf_counter() - started
        response.raise_for_status()
        http.post("/api/v1/auth/logout", headers={"x-csrf-token": response.json()["csrf_token"]})
    return took


def main() -> None:
    pairs = int(sys.argv[1]) if len(sys.argv) > 1 else 60
    env = survnet_env()
    server, url = start_survnet(env)
    try:
        code = subprocess.run([sys.executable, "-m", "network.core.cli", "invite"], env=env, cwd=ROOT,
                              capture_output=True, text=True, check=True).stdout.strip().splitlines()[-1]
        with httpx.Client(base_url=url) as http:
            body = http.post("/api/v1/auth/register", json={"invite_code": code, "pseudonym": NAME,
                                                          "passphrase": PASSPHRASE}).json()
            http.put("/api/v1/me/duress", headers={"x-csrf-token": body["csrf_token"]},
                     json={"passphrase": DURESS, "action": "none",
                           "current_passphrase": PASSPHRASE}).raise_for_status()
        for _ in range(5):  # warm both paths
            sign_in(url, PASSPHRASE), sign_in(url, DURESS)
        normal, duress = [], []
        for n in range(pairs):
            first, second = (PASSPHRASE, DURESS) if n % 2 == 0 else (DURESS, PASSPHRASE)  # order alternates
            times = {first: sign_in(url, first), second: sign_in(url, second)}
            normal.append(times[PASSPHRASE])
            duress.append(times[DURESS])
    finally:
        stop(server)
    ratios = [d / n for n, d in zip(normal, duress)]
    slower = sum(r > 1 for r in ratios) / len(ratios)
    print(f"{pairs} pairs; normal sign-in median {statistics.median(normal) * 1000:.1f} ms, "
          f"duress {statistics.median(duress) * 1000:.1f} ms")
    print(f"paired median duress / normal: {statistics.median(ratios):.3f}; duress slower in {slower:.0%} of pairs")


if __name__ == "__main__":
    main()
