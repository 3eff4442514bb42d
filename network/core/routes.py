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


async def home(request: Request):
    return render(request, "home.html")


# Only these leave through the warning page as a link; anything else is shown as text, never followed.
_FOLLOWED = ("http", "https")
_LONGEST = 2000


async def leaving(request: Request):
    """The warning before another site: the address may be watched, on the connection or the phone."""
    target = request.query_params.get("to", "")
    parts = urlsplit(target)
    followed = len(target) <= _LONGEST and parts.scheme in _FOLLOWED and bool(parts.netloc)
    return render(request, "leaving.html", {"target": target[:_LONGEST], "followed": followed,
                                            "host": parts.netloc if followed else ""})


async def favicon(request: Request):
    return FileResponse(ROOT / "static" / "icons" / "favicon.svg", media_type="image/svg+xml")


routes = [
    page("/", home, access="public"),
    page("/healthz", healthz, access="public"),
    page("/favicon.ico", favicon, access="public"),
    page("/out", leaving, access="public"),
    page("/api/openapi.json", openapi_json, access="public", name="openapi"),
]
