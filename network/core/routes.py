"""The network's own pages: home, health, the OpenAPI document and the favicon."""

from __future__ import annotations

from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import FileResponse

from network.core.access import page
from network.core.health import healthz
from network.core.openapi import openapi_json
from network.core.settings import ROOT
from network.core.templating import render
from network.core.text import clean


async def home(request: Request):
    return render(request, "home.html")


# Only these leave through the warning page as a link; anything else is shown as text, never followed.
_FOLLOWED = ("http", "https")
_LONGEST = 2000


async def leaving(request: Request):
    """The warning before another site: the address may be watched, on the connection or the phone.
    Only a plain web address is offered as a link, named by its host as the browser will read it; one
    with a name and password before the host (trusted.org@evil.example) or a backslash is not."""
    given = request.query_params.get("to", "")[:_LONGEST + 1]
    # Shown cleaned (core.text); followed only when nothing needed cleaning: a control or reordering
    # character in an address is a trick, and the cleaned address is not the one that was given.
    target = clean(given)
    host = None
    try:
        parts = urlsplit(target)
        if parts.scheme in _FOLLOWED and parts.hostname and "@" not in parts.netloc and "\\" not in target \
                and len(target) <= _LONGEST and target == given and target.isprintable():
            host = parts.hostname.encode("idna").decode("ascii")
    except (ValueError, UnicodeError):  # a broken address: shown, never followed
        host = None
    return render(request, "leaving.html", {"target": target[:_LONGEST], "followed": host is not None,
                                            "host": host or ""})


async def favicon(request: Request):
    return FileResponse(ROOT / "static" / "icons" / "favicon.svg", media_type="image/svg+xml")


routes = [
    page("/", home, access="public"),
    page("/healthz", healthz, access="public"),
    page("/favicon.ico", favicon, access="public"),
    page("/out", leaving, access="public"),
    page("/api/openapi.json", openapi_json, access="public", name="openapi"),
]
