"""Requests per second of /healthz and the home page, as ratios against a bare Starlette app.

Both servers run in this same run, one uvicorn worker each, loaded in turn by wrk from a second
process (Debian's `wrk`), so the machine's noise falls on both. Usage: python bench/http.py [seconds]
"""

from __future__ import annotations

import sys
from pathlib import Path

# This folder holds http.py, which would shadow the standard library's http package.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
sys.path.insert(0, str(_HERE.parent))

import re
import shutil
import subprocess
import sys
from pathlib import Path

from bench._serve import start_survnet, start_uvicorn_app, stop, survnet_env  # noqa: E402


def requests_per_second(url: str, seconds: int, connections: int = 32) -> float:
    out = subprocess.run(["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", url],
                         capture_output=True, text=True, check=True).stdout
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))


def main() -> None:
    if not shutil.which("wrk"):
        sys.exit("bench/http.py needs wrk: apt-get install wrk")
    seconds = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    app, app_url = start_survnet(survnet_env())
    base, base_url = start_uvicorn_app("bench.hello_app:app")
    try:
        results: dict[str, list[float]] = {"baseline": [], "healthz": [], "home": []}
        for _ in range(2):  # interleaved rounds, so drift hits every target alike
            results["baseline"].append(requests_per_second(base_url + "/", seconds))
            results["healthz"].append(requests_per_second(app_url + "/healthz", seconds))
            results["home"].append(requests_per_second(app_url + "/", seconds))
    finally:
        stop(app)
        stop(base)
    best = {name: max(values) for name, values in results.items()}
    print(f"baseline hello-world : {best['baseline']:9.0f} req/s")
    for name in ("healthz", "home"):
        print(f"/{'' if name == 'home' else name:<20}: {best[name]:9.0f} req/s  "
              f"ratio {best[name] / best['baseline']:.2f} of baseline")


if __name__ == "__main__":
    main()
