"""Shared fixtures: settings on a temporary folder, SQLite or PostgreSQL, Redis, the app, a live server."""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx
import pytest
from tortoise import Tortoise, connections

from network.app import create_app
from network.core.settings import ROOT, load_settings
from network.library.search import create_index

IN_CI = os.environ.get("CI", "").lower() == "true"
POSTGRES_ADMIN_URL = os.environ.get("SURVNET_TEST_POSTGRES", "postgres://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("SURVNET_TEST_REDIS", "redis://127.0.0.1:6379/0")


def _reachable(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def need_service(name: str, host: str, port: int) -> None:
    """In CI a missing service fails the test; elsewhere the test is skipped, saying why."""
    if _reachable(host, port):
        return
    if IN_CI:
        pytest.fail(f"{name} at {host}:{port} is unreachable and CI=true requires it")
    pytest.skip(f"{name} at {host}:{port} is not running (CI runs this test)")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def base_env(var_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SURVNET_")}
    env.update({"SURVNET_VAR_DIR": str(var_dir)})
    env.update(extra)
    return env


async def _create_pg_database() -> str:
    import asyncpg

    name = f"survnet_t_{uuid.uuid4().hex[:12]}"
    conn = await asyncpg.connect(POSTGRES_ADMIN_URL.replace("postgres://", "postgresql://"))
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    return POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + "/" + name


async def _drop_pg_database(url: str) -> None:
    import asyncpg

    name = url.rsplit("/", 1)[1]
    conn = await asyncpg.connect(POSTGRES_ADMIN_URL.replace("postgres://", "postgresql://"))
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()


@pytest.fixture(autouse=True)
def _fresh_query_cache():
    """Tortoise caches insert SQL per connection name, not per dialect; tests switch dialects."""
    from tortoise.backends.base.executor import EXECUTOR_CACHE

    EXECUTOR_CACHE.clear()


@pytest.fixture
async def database_url(request, tmp_path):
    """An empty database: SQLite by default, PostgreSQL when parametrized with "postgres"."""
    kind = getattr(request, "param", "sqlite")
    if kind == "sqlite":
        yield f"sqlite://{tmp_path / 'test.sqlite3'}"
        return
    need_service("PostgreSQL", "127.0.0.1", 5432)
    url = await _create_pg_database()
    try:
        yield url
    finally:
        await Tortoise.close_connections()
        await _drop_pg_database(url)


both_databases = pytest.mark.parametrize("database_url", ["sqlite", "postgres"], indirect=True)


@pytest.fixture
def redis_url():
    need_service("Redis", "127.0.0.1", 6379)
    return REDIS_URL


@pytest.fixture
def settings(tmp_path, database_url):
    env = base_env(tmp_path / "var", SURVNET_DATABASE_URL=database_url, SURVNET_HOLD_FIRST_MESSAGES="0")
    # Fast hashing in tests; the production parameters are checked by their own test.
    return load_settings(env).with_(argon2_memory_kib=1024, argon2_time_cost=1)


@pytest.fixture
async def app(settings):
    application = create_app(settings)
    async with application.router.lifespan_context(application):
        await Tortoise.generate_schemas()
        # What a migration makes that models do not: the library's full-text index.
        await create_index(connections.get("default"))
        yield application


@pytest.fixture
async def client(app):
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http


class LiveServer:
    def __init__(self, url: str, process: subprocess.Popen, log_path: Path, env: dict):
        self.url, self.process, self.log_path, self.env = url, process, log_path, env

    @property
    def ws_url(self) -> str:
        return self.url.replace("http://", "ws://")

    def logs(self) -> str:
        return self.log_path.read_text(errors="replace")


_TEMPLATE: dict[str, Path] = {}


def _migrated_sqlite() -> Path:
    if "sqlite" not in _TEMPLATE:
        folder = Path(tempfile.mkdtemp(prefix="survnet-migrated-"))
        subprocess.run([sys.executable, "-m", "network.core.cli", "migrate"], env=base_env(folder), check=True,
                       capture_output=True, cwd=ROOT)
        _TEMPLATE["sqlite"] = folder / "survnet.sqlite3"
    return _TEMPLATE["sqlite"]


def start_server(tmp_path: Path, env_extra: dict | None = None, workers: int = 1,
                 migrate: bool = True, name: str = "server") -> LiveServer:
    var_dir = tmp_path / "var"
    # New members' first messages are held only where a test turns that on.
    # Light hashing, as in the in-process tests; the production parameters have their own test.
    env = base_env(var_dir, **{"SURVNET_HOLD_FIRST_MESSAGES": "0", "SURVNET_ARGON2_MEMORY_KIB": "1024",
                               "SURVNET_ARGON2_TIME_COST": "1", **(env_extra or {})})
    survnet = [sys.executable, "-m", "network.core.cli"]
    if migrate and "SURVNET_DATABASE_URL" not in env:
        # The default SQLite file, as `survnet migrate` leaves it: migrated once per run, then copied
        # (every migration runs on an empty and on a full database in their own tests).
        var_dir.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(_migrated_sqlite(), var_dir / "survnet.sqlite3")
    elif migrate:
        subprocess.run([*survnet, "migrate"], env=env, check=True, capture_output=True, cwd=ROOT)
    port = free_port()
    log_path = tmp_path / f"{name}-{port}.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [*survnet, "serve", "--port", str(port), "--workers", str(workers)],
            env=env, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT,
        )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited early:\n{log_path.read_text()}")
        try:
            if httpx.get(url + "/healthz", timeout=1).status_code in (200, 503):
                return LiveServer(url, process, log_path, env)
        except httpx.HTTPError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError(f"server did not start:\n{log_path.read_text()}")


def stop_server(server: LiveServer) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait()


@pytest.fixture
def live_server(tmp_path):
    server = start_server(tmp_path)
    yield server
    stop_server(server)


def _in_thread(coroutine):
    """Runs a coroutine to its end on a loop of its own (sync fixtures may sit beside a test's loop)."""
    import concurrent.futures

    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


@pytest.fixture
def postgres_url():
    """An empty PostgreSQL database of its own, for servers started by the test."""
    need_service("PostgreSQL", "127.0.0.1", 5432)
    url = _in_thread(_create_pg_database())
    yield url
    _in_thread(_drop_pg_database(url))


def worker_env(redis_url: str, database_url: str, **extra: str) -> dict:
    # A prefix of its own, so tests (and deployments) can share one Redis server.
    return {"SURVNET_REDIS_URL": redis_url, "SURVNET_DATABASE_URL": database_url,
            "SURVNET_REDIS_PREFIX": f"t{uuid.uuid4().hex[:10]}:", **extra}


@pytest.fixture
def two_workers(tmp_path, redis_url, postgres_url):
    """Two server processes sharing one PostgreSQL database and one Redis, as two workers would."""
    env = worker_env(redis_url, postgres_url)
    first = start_server(tmp_path, env, name="a")
    second = start_server(tmp_path, env, migrate=False, name="b")
    yield first, second
    stop_server(first)
    stop_server(second)


def redis_process(port: int) -> subprocess.Popen:
    """A private redis-server on this port, started and answering."""
    process = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                                "--appendonly", "no"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if _reachable("127.0.0.1", port):
            return process
        time.sleep(0.05)
    process.kill()
    raise RuntimeError("redis-server did not start")


@pytest.fixture
def private_redis():
    """A Redis server of the test's own, which it may stop and start again: {"process", "port", "url"}."""
    import shutil

    if not shutil.which("redis-server"):
        if IN_CI:
            pytest.fail("redis-server is not installed")
        pytest.skip("redis-server is not installed (CI has it)")
    port = free_port()
    holder = {"process": redis_process(port), "port": port, "url": f"redis://127.0.0.1:{port}/0"}
    yield holder
    holder["process"].kill()
    holder["process"].wait()


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = "/usr/bin/chromium"
    if not Path(path).exists():
        if IN_CI:
            pytest.fail("Debian's chromium is not installed; .ci/run installs it")
        pytest.skip("Debian's chromium is not installed (CI installs it)")
    return path


def launch_chromium(playwright, chromium_path: str):
    """Debian's Chromium, headless, with nothing that would reach out of this machine."""
    return playwright.chromium.launch(
        executable_path=chromium_path,
        headless=True,
        args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
              "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    )


@pytest.fixture
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = launch_chromium(playwright, chromium_path)
        try:
            yield instance
        finally:
            instance.close()
