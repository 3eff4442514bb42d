"""The application factory: the only module that knows every package."""

from __future__ import annotations

import asyncio
from contextlib import asynccontextmanager

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

from consultations import demo as consultations_demo
from consultations import routes as consultation_routes
from messaging import demo as messaging_demo
from messaging import routes as messaging_routes
from messaging import service as messaging
from messaging import hooks as messaging_hooks
from messaging.presence import Presence
from moderation import filters as moderation_filters
from moderation import routes as moderation_routes
from moderation import service as moderation
from consultations import review as consultation_review
from network import crypto, db, demo, jobs, mydata, profiles, routes_stipends, safety, stipends, stipends_demo, errors, routes_account, routes_me, routes_people, routes_safety
from network import routes as network_routes
from network.auth import Authenticate
from network.broker import make_broker
from network.middleware import AccessLog, BodyLimit, TooLarge, ForgetClientAddress, LanguageCookie, SecurityHeaders
from network.runtime import Runtime
from network.settings import ROOT, Settings, load_settings
from network.templating import add_template_dir


class CatchErrors:
    """Turns an unhandled error into the localised 500 page inside the security headers."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        started = False

        async def watch(message):
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, watch)
        except TooLarge:
            raise
        except Exception as exc:
            if started:
                raise
            response = await errors.server_error(Request(scope), exc)
            await response(scope, receive, send)


add_template_dir(ROOT / "consultations" / "templates")
add_template_dir(ROOT / "messaging" / "templates")
add_template_dir(ROOT / "moderation" / "templates")
messaging_hooks.message_filters += [moderation_filters.guard, moderation_filters.watched, moderation.new_member_hold]
messaging_hooks.send_checks.append(moderation.mute_refusal)
moderation_filters.on_flag = moderation.flag
moderation.queue_sources.append(consultation_review.queue_items)
mydata.erase_hooks += [moderation.erase_member, stipends.erase_member]
demo.demo_hooks += [consultations_demo.seed, messaging_demo.seed, stipends_demo.seed]
profiles.shares_room = messaging.shares_room
mydata.erase_hooks.append(messaging.erase_member)
mydata.export_hooks.append(messaging.export_member)
jobs.purge_jobs += [("expired messages", lambda settings: messaging.purge_expired()),
                    ("ended decoys", lambda settings: safety.purge_decoys()),
                    ("lifted sanctions", lambda settings: moderation.lift_expired()),
                    ("payout details", stipends.purge_payout_details)]


def create_app(settings: Settings | None = None) -> Starlette:
    settings = settings or load_settings()
    crypto.configure(settings.data_key, settings.previous_data_keys)
    moderation.hold_first = settings.hold_first_messages

    broker = make_broker(settings.redis_url)
    runtime = Runtime.create(settings, broker)

    @asynccontextmanager
    async def lifespan(app):
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

    static = StaticFiles(directory=ROOT / "static")
    routes = [
        *network_routes.routes,
        *routes_account.routes,
        *routes_me.routes,
        *routes_people.routes,
        *routes_safety.routes,
        *routes_stipends.routes,
        *consultation_routes.routes,
        *messaging_routes.routes,
        *moderation_routes.routes,
        Mount("/static", GZipMiddleware(static, minimum_size=500), name="static"),
    ]
    middleware = [
        Middleware(ForgetClientAddress, secret_key=settings.secret_key),
        Middleware(AccessLog),
        Middleware(SecurityHeaders, cookie_secure=settings.cookie_secure, exit_url=settings.quick_exit_url),
        Middleware(BodyLimit),
        Middleware(CatchErrors),
        Middleware(Authenticate, settings=settings),
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
