"""Who is asking: the session behind the cookie, its member, and the CSRF token for this request."""

from __future__ import annotations

from starlette.requests import cookie_parser
from starlette.responses import Response

from network.core.assets import PREFIX as STATIC_PREFIX
from network.core.keys import new_token
from network.core.settings import Settings
from network.members import sessions


def csrf_cookie_name(settings: Settings) -> str:
    return "__Host-csrf" if settings.cookie_secure else "csrf"


def _cookie_header(name: str, value: str, settings: Settings, max_age: int | None = None) -> str:
    parts = [f"{name}={value}", "Path=/", "HttpOnly", "SameSite=Lax"]
    if settings.cookie_secure:
        parts.append("Secure")
    if max_age is not None:
        parts.append(f"Max-Age={max_age}")
    return "; ".join(parts)


def set_session_cookie(response: Response, settings: Settings, token: str) -> None:
    # A session cookie (no Max-Age): the browser forgets it when closed; the server enforces expiry.
    response.headers.append("set-cookie", _cookie_header(settings.cookie_name, token, settings))


DISCREET_COOKIE = "discreet"


def set_discreet_cookie(response: Response, settings: Settings, on: bool) -> None:
    """Discreet mode per device: it must hold on the sign-in page, before anyone is known."""
    value, max_age = ("1", 31536000) if on else ("", 0)
    response.headers.append("set-cookie", _cookie_header(DISCREET_COOKIE, value, settings, max_age=max_age))


# The device cookie (OWASP's device cookies, network.members.throttle): a known device signs in at
# once while its pseudonym is under attack. A neutral name; its value names no one.
DEVICE_MAX_AGE = 31536000  # a year; each sign-in renews it


def device_cookie_name(settings: Settings) -> str:
    return "__Host-device" if settings.cookie_secure else "device"


def set_device_cookie(response: Response, settings: Settings, token: str) -> None:
    response.headers.append("set-cookie", _cookie_header(device_cookie_name(settings), token, settings,
                                                         max_age=DEVICE_MAX_AGE))


def device_cookie(request) -> str | None:
    """The device cookie this request carries, if any (checked by network.members.throttle)."""
    return request.cookies.get(device_cookie_name(request.app.state.runtime.settings))


def clear_session_cookie(response: Response, settings: Settings) -> None:
    response.headers.append("set-cookie", _cookie_header(settings.cookie_name, "", settings, max_age=0))


class Authenticate:
    """Sets scope state: member, session, csrf_token. Anonymous visitors get a CSRF cookie."""

    def __init__(self, app, runtime):
        self.app = app
        self.runtime = runtime
        self.settings = runtime.settings
        self.csrf_cookie = csrf_cookie_name(runtime.settings)

    async def __call__(self, scope, receive, send):
        if scope["type"] not in ("http", "websocket"):
            return await self.app(scope, receive, send)
        cookies = {}
        for name, value in scope.get("headers", []):
            if name == b"cookie":
                cookies.update(cookie_parser(value.decode("latin-1")))
        # Saving an answer leaves no trace of when: the session is not touched for it.
        quiet = scope["type"] == "http" and self.runtime.registry.is_quiet(scope["method"], scope["path"])
        session = await sessions.load(self.runtime, cookies.get(self.settings.cookie_name), touch=not quiet)
        state = scope.setdefault("state", {})
        state["session"] = session
        state["member"] = session.member if session else None
        # What opens the participation key sealed in the session (members.vault); never stored.
        state["session_cookie"] = cookies.get(self.settings.cookie_name) if session else None
        new_cookie = None
        if session is not None:
            state["csrf_token"] = session.csrf_token
        else:
            token = cookies.get(self.csrf_cookie, "")
            if not (20 <= len(token) <= 100):
                token = new_token()
                new_cookie = _cookie_header(self.csrf_cookie, token, self.settings)
            state["csrf_token"] = token
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        # Static files are the same public files for everyone and carry their own cache lifetime
        # (network.core.assets); no-store there would download CSS and JS again on every page.
        static = scope["path"] == STATIC_PREFIX or scope["path"].startswith(STATIC_PREFIX + "/")

        async def with_headers(message):
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                if session is not None and not static:
                    # Pages for a signed-in member must never be kept by the browser or a proxy.
                    headers = [(n, v) for n, v in headers if n.lower() != b"cache-control"]
                    headers.append((b"cache-control", b"no-store"))
                elif new_cookie and any(n.lower() == b"content-type" and v.startswith(b"text/html")
                                        for n, v in headers):
                    # Only pages carry forms; JSON, health checks and files need no CSRF cookie.
                    headers.append((b"set-cookie", new_cookie.encode()))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, with_headers)
