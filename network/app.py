"""The application factory: the only module that knows every package.

Each package fills the one registry of extension points in its `setup(registry, settings)`, in
dependency order; the app is then built from that registry alone, so two apps created in one
process share no routes, filters, hooks or settings.
"""

from __future__ import annotations

import asyncio
from contextlib import asynccontextmanager

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.routing import Mount

import consultations
import messaging
import moderation
from messaging.presence import Presence
from network import core, grants, library, meetings, members, organisations, safety, stipends
from network.core import assets, crypto, db, errors, jobs
from network.core.broker import Broker, make_broker
from network.core.hashing import Hasher
from network.core.middleware import (
    AccessLog,
    BodyLimit,
    CatchErrors,
    DiscreetFace,
    ForgetClientAddress,
    LanguageCookie,
    SecurityHeaders,
)
from network.core.registry import Registry
from network.core.runtime import Runtime
from network.core.settings import ROOT, Settings, load_settings
from network.members.auth import Authenticate

# Lower packages first: a package's setup may rely on what those before it registered.
PACKAGES = (core, members, safety, organisations, stipends, grants, meetings, library, consultations, messaging, moderation)


def build_registry(settings: Settings) -> Registry:
    registry = Registry()
    for package in PACKAGES:
        package.setup(registry, settings)
    return registry


def command_runtime(settings: Settings) -> Runtime:
    """A runtime for one command (`survnet demo`, `survnet purge`): no broker, one hashing thread."""
    return Runtime.create(settings, Broker(), build_registry(settings), hasher=Hasher(
        settings.argon2_memory_kib, settings.argon2_time_cost, settings.argon2_parallelism, concurrency=1))


def create_app(settings: Settings | None = None) -> Starlette:
    settings = settings or load_settings()
    broker = make_broker(settings.redis_url, settings.redis_prefix)
    runtime = Runtime.create(settings, broker, build_registry(settings))

    @asynccontextmanager
    async def lifespan(app):
        # The database connection and the data key are the process's (Tortoise is process-wide):
        # they belong to the app that is running, so they are taken here, not when it is built.
        crypto.configure(settings.data_key, settings.previous_data_keys)
        await db.open_db(settings.database_url)
        await broker.start()
        runtime.started()
        runtime.presence = Presence(broker)
        purger = asyncio.create_task(jobs.run_forever(runtime))
        try:
            yield
        finally:
            purger.cancel()
            await broker.close()
            await db.close_db()
            runtime.hasher.close()

    # Fingerprinted once here, at startup (network.core.assets); templates name files with asset().
    static = assets.StaticAssets(assets.assets_for(ROOT / "static"))
    routes = [*runtime.registry.routes, Mount(assets.PREFIX, GZipMiddleware(static, minimum_size=500), name="static")]
    middleware = [
        Middleware(ForgetClientAddress, secret_key=settings.secret_key),
        Middleware(DiscreetFace, prefix=settings.discreet_path, secure=settings.cookie_secure),
        Middleware(AccessLog, registry=runtime.registry),
        Middleware(SecurityHeaders, cookie_secure=settings.cookie_secure, exit_url=settings.quick_exit_url),
        Middleware(BodyLimit),
        Middleware(CatchErrors),
        Middleware(Authenticate, runtime=runtime),
        Middleware(LanguageCookie, secure=settings.cookie_secure),
    ]
    app = Starlette(routes=routes, middleware=middleware, exception_handlers=errors.HANDLERS,
                    lifespan=lifespan)
    app.state.settings = settings
    app.state.broker = broker
    app.state.runtime = runtime
    return app


def app_from_env() -> Starlette:
    """uvicorn's factory for `survnet serve`."""
    return create_app(load_settings())
