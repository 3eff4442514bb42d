"""GET /healthz: is the database (and Redis, when configured) answering?"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse

from network.core.db import ping_db


async def healthz(request: Request) -> JSONResponse:
    checks = {"database": "ok" if await ping_db() else "down"}
    broker = request.app.state.broker
    if broker.name == "redis":
        checks["redis"] = "ok" if await broker.ping() else "down"
    healthy = all(value == "ok" for value in checks.values())
    body = {"status": "ok" if healthy else "down", **checks}
    return JSONResponse(body, status_code=200 if healthy else 503, headers={"cache-control": "no-store"})
