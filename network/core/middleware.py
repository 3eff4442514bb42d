"""ASGI middleware: security headers, no client address past the edge, access log, language cookie."""

from __future__ import annotations

import hashlib
import hmac
import logging
import time
from urllib.parse import parse_qs

from network.core import i18n

access_log = logging.getLogger("survnet.access")

def content_security_policy(exit_url: str = "") -> str:
    """No inline script or style, nothing from other sites. Forms may only lead back here, or to
    the neutral site that the panic wipe's redirect ends on."""
    from urllib.parse import urlsplit

    parts = urlsplit(exit_url)
    exit_origin = f" {parts.scheme}://{parts.netloc}" if parts.scheme in ("http", "https") and parts.netloc else ""
    return "; ".join([
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self'",
        "font-src 'self'",
        "connect-src 'self'",
        "manifest-src 'self'",
        f"form-action 'self'{exit_origin}",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    ])



SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), interest-cohort=()"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
]


class SecurityHeaders:
    """Adds the security headers to every HTTP response, errors included."""

    def __init__(self, app, cookie_secure: bool = False, exit_url: str = ""):
        self.app = app
        self.headers = [(b"content-security-policy", content_security_policy(exit_url).encode()),
                        *SECURITY_HEADERS]
        if cookie_secure:
            self.headers.append((b"strict-transport-security", b"max-age=63072000; includeSubDomains"))

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                existing = {name.lower() for name, _ in message.get("headers", [])}
                extra = [(n, v) for n, v in self.headers if n not in existing]
                message["headers"] = list(message.get("headers", [])) + extra
            await send(message)

        await self.app(scope, receive, send_with_headers)


class ForgetClientAddress:
    """Replaces the client address with a keyed hash before anything else can see it.

    Throttling needs to tell clients apart; nothing needs to know who they are. The hash is
    keyed by the secret key, so it cannot be reversed by trying every address without it.
    """

    def __init__(self, app, secret_key: str):
        self.app = app
        self.key = hashlib.sha256(("client-address:" + secret_key).encode()).digest()

    async def __call__(self, scope, receive, send):
        if scope["type"] in ("http", "websocket"):
            client = scope.get("client")
            address = client[0] if client else ""
            digest = hmac.new(self.key, address.encode(), hashlib.sha256).hexdigest()[:32]
            scope = dict(scope)
            scope["client"] = None
            scope.setdefault("state", {})
            scope["state"] = dict(scope["state"], client_key=digest)
        await self.app(scope, receive, send)


class AccessLog:
    """Method, path (no query string: it may hold codes), status and time. Never an address, and
    nothing at all for a request whose time must not be kept (the registry's quiet paths)."""

    def __init__(self, app, registry=None):
        self.app = app
        self.registry = registry

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or (self.registry and self.registry.is_quiet(scope["method"], scope["path"])):
            return await self.app(scope, receive, send)
        started = time.perf_counter()
        status = {"code": 500}

        async def record(message):
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, record)
        finally:
            access_log.info("%s %s %s %.1fms", scope["method"], scope["path"], status["code"],
                            (time.perf_counter() - started) * 1000)


class LanguageCookie:
    """`?lang=xx` also remembers the choice in a cookie, so the switcher works without JavaScript."""

    def __init__(self, app, secure: bool = False):
        self.app = app
        self.secure = secure

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or b"lang=" not in scope.get("query_string", b""):
            return await self.app(scope, receive, send)
        values = parse_qs(scope["query_string"].decode("latin-1")).get("lang", [])
        locale = i18n.normalise(values[-1]) if values else None
        if locale is None:
            return await self.app(scope, receive, send)
        cookie = f"{i18n.LANG_COOKIE}={locale}; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly"
        if self.secure:
            cookie += "; Secure"

        async def with_cookie(message):
            if message["type"] == "http.response.start":
                message["headers"] = list(message.get("headers", [])) + [(b"set-cookie", cookie.encode())]
            await send(message)

        await self.app(scope, receive, with_cookie)


class BodyLimit:
    """Refuses request bodies over the limit with 413 before anything reads them."""

    def __init__(self, app, limit: int = 256 * 1024):
        self.app = app
        self.limit = limit

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    too_big = int(value) > self.limit
                except ValueError:
                    too_big = True
                if too_big:
                    return await self._refuse(scope, receive, send)
        received = 0

        async def counted():
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    raise TooLarge()
            return message

        try:
            await self.app(scope, counted, send)
        except TooLarge:
            await self._refuse(scope, receive, send)

    async def _refuse(self, scope, receive, send):
        from starlette.requests import Request

        from network.core.errors import error_response

        response = error_response(Request(scope), 413)
        await response(scope, receive, send)


class TooLarge(Exception):
    pass


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
            from starlette.requests import Request

            from network.core.errors import server_error

            response = await server_error(Request(scope), exc)
            await response(scope, receive, send)


class DiscreetFace:
    """A neutral entry address (SURVNET_DISCREET_PATH, e.g. /notes) that needs no cookie.

    Every page is also reached under that prefix, always with the neutral title, icon, manifest
    and words (network.core.templating.is_discreet), signed in or not, and after a quick exit has
    cleared every cookie: a member bookmarks it and the bookmark alone keeps the face. Pages reached
    through it also set the device's discreet cookie, so links that leave the prefix stay neutral."""

    def __init__(self, app, prefix: str, secure: bool = False):
        self.app, self.prefix = app, prefix.rstrip("/")
        self.cookie = f"discreet=1; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly{'; Secure' if secure else ''}"

    async def __call__(self, scope, receive, send):
        path = scope.get("path", "")
        if scope["type"] not in ("http", "websocket") or not self.prefix or \
                not (path == self.prefix or path.startswith(self.prefix + "/")):
            return await self.app(scope, receive, send)
        scope = dict(scope, path=path[len(self.prefix):] or "/",
                     raw_path=(path[len(self.prefix):] or "/").encode())
        scope["state"] = dict(scope.get("state", {}), discreet_face=True)

        async def neutral(message):
            if message["type"] == "http.response.start":
                message["headers"] = list(message.get("headers", [])) + [(b"set-cookie", self.cookie.encode())]
            await send(message)

        await self.app(scope, receive, neutral if scope["type"] == "http" else send)
