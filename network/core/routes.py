"""The network's own pages: home, health, the OpenAPI document and the favicon."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import FileResponse

from network.core.access import page
from network.core.health import healthz
from network.core.openapi import openapi_json
from network.core.settings import ROOT
from network.core.templating import render


async def home(request: Request):
    return render(request, "home.html")


async def favicon(request: Request):
    return FileResponse(ROOT / "static" / "icons" / "favicon.svg", media_type="image/svg+xml")


routes = [
    page("/", home, access="public"),
    page("/healthz", healthz, access="public"),
    page("/favicon.ico", favicon, access="public"),
    page("/api/openapi.json", openapi_json, access="public", name="openapi"),
]
