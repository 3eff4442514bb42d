"""Requests per second and p99 latency of the pages people use most, signed in, as ratios against
a bare Starlette hello-world served the same way in the same run.

The network is the demo grown through the API (bench/_network.py): a room with 60 messages (the
page shows the latest 50), the demo consultation with its questions and 20 answers, a moderation
queue of 60 reports (50 shown). Each target is loaded by wrk from its own process for a few
seconds, in interleaved rounds so the machine's drift falls on every target alike; the best
round counts. Usage: python bench/http.py [seconds per run] [rounds]
"""

from __future__ import annotations

import sys
from pathlib import Path

# This folder holds http.py, which would shadow the standard library's http package.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
sys.path.insert(0, str(_HERE.parent))

import re  # noqa: E402
import shutil  # noqa: E402
import subprocess  # noqa: E402

from bench._network import populate, seed_demo  # noqa: E402
from bench._serve import start_survnet, start_uvicorn_app, stop, survnet_env  # noqa: E402

UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def load(url: str, seconds: int, cookie: str | None = None, connections: int = 32) -> tuple[float, float]:
    """(requests per second, p99 in ms); a run with any non-2xx answer is refused, not counted."""
    command = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", url]
    if cookie:
        command[1:1] = ["-H", f"Cookie: {cookie}"]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    if "Non-2xx" in out:
        raise SystemExit(f"{url} answered errors under load:\n{out}")
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)\b", out)
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)), float(p99.group(1)) * UNITS[p99.group(2)]


def targets(network) -> list[tuple[str, str, str | None]]:
    """(name, url, who): the pages, each as the person who uses it."""
    url, room, consultation = network.url, network.room_id, network.consultation_id
    return [
        ("/healthz", f"{url}/healthz", None),
        ("home, signed out", f"{url}/", None),
        ("home", f"{url}/", "member"),
        ("rooms list", f"{url}/rooms", "member"),
        ("room, 50 messages", f"{url}/rooms/{room}", "member"),
        ("consultation", f"{url}/consultations/{consultation}", "member"),
        ("results", f"{url}/consultations/{consultation}/results", "policymaker"),
        ("moderation queue, 50", f"{url}/moderation", "moderator"),
        # The demo's library: 34 entries in seven languages; one word found in several of them.
        ("library search", f"{url}/library?q=safety", None),
        ("library search, member", f"{url}/library?q=rights&country=UA", "member"),
    ]


def main() -> None:
    if not shutil.which("wrk"):
        sys.exit("bench/http.py needs wrk: apt-get install wrk")
    seconds = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 2
    # Newcomers' first messages are held by default; here they are shown, so the room has 50.
    env = survnet_env(SURVNET_HOLD_FIRST_MESSAGES="0")
    seed_demo(env)
    app, app_url = start_survnet(env)
    base, base_url = start_uvicorn_app("bench.hello_app:app")
    try:
        network = populate(app_url, env)
        plan = [("bare Starlette", base_url + "/", None), *targets(network)]
        results: dict[str, list[tuple[float, float]]] = {name: [] for name, _, _ in plan}
        for _ in range(rounds):
            for name, url, who in plan:
                results[name].append(load(url, seconds, network.cookies.get(who)))
    finally:
        stop(app)
        stop(base)
    best = {name: (max(r for r, _ in runs), min(p for _, p in runs)) for name, runs in results.items()}
    base_rps, base_p99 = best["bare Starlette"]
    print(f"{'target':<24}{'who':<13}{'req/s':>9}{'ratio':>8}{'p99 ms':>9}{'p99 ratio':>11}")
    for name, _, who in plan:
        rps, p99 = best[name]
        print(f"{name:<24}{who or '-':<13}{rps:9.0f}{rps / base_rps:8.2f}{p99:9.2f}{p99 / base_p99:11.1f}")
    print("target: every page >= 0.25 of bare Starlette's requests per second")


if __name__ == "__main__":
    main()
