"""Start and stop uvicorn servers for benchmarks (shared by the bench scripts)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, process: subprocess.Popen, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        try:
            httpx.get(url, timeout=1)
            return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer")


def survnet_env(var_dir: Path | None = None, **extra: str) -> dict:
    var_dir = var_dir or Path(tempfile.mkdtemp(prefix="survnet-bench-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("SURVNET_")}
    env["SURVNET_VAR_DIR"] = str(var_dir)
    # BENCH_DATABASE_URL: an empty PostgreSQL database to run on instead of the SQLite default.
    if os.environ.get("BENCH_DATABASE_URL"):
        env["SURVNET_DATABASE_URL"] = os.environ["BENCH_DATABASE_URL"]
    env.update(extra)
    return env


def start_survnet(env: dict, workers: int = 1) -> tuple[subprocess.Popen, str]:
    subprocess.run([sys.executable, "-m", "network.core.cli", "migrate"], env=env, check=True,
                   capture_output=True, cwd=ROOT)
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "network.core.cli", "serve", "--port", str(port), "--workers", str(workers)],
        env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    wait_for(url + "/healthz", process)
    return process, url


def start_uvicorn_app(target: str, workers: int = 1) -> tuple[subprocess.Popen, str]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", target, "--port", str(port), "--workers", str(workers),
         "--no-access-log", "--log-level", "warning"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    wait_for(url + "/", process)
    return process, url


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
