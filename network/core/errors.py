"""Errors: localised HTML pages, and `{"error": {"code", "message"}}` under /api."""

from __future__ import annotations

import logging

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Match

from network.core import i18n
from network.core.i18n import lazy as _l
from network.core.templating import render, request_locale

log = logging.getLogger("survnet.errors")

# status: (code, title, explanation); titles and explanations are translated when shown.
STATUS = {
    400: ("bad_request", _l("That request could not be understood"), _l("Something in the request was not valid. Nothing was changed.")),
    401: ("unauthorized", _l("Please sign in"), _l("You need to sign in to see this page.")),
    403: ("forbidden", _l("Not allowed"), _l("You do not have permission to see this page.")),
    404: ("not_found", _l("Page not found"), _l("We could not find that page. It may have been removed.")),
    405: ("method_not_allowed", _l("That request could not be understood"), _l("Something in the request was not valid. Nothing was changed.")),
    409: ("conflict", _l("That could not be done"), _l("Something changed in the meantime. Nothing was lost; please try again.")),
    413: ("too_large", _l("That is too large"), _l("What you sent is larger than we accept. Nothing was changed.")),
    422: ("invalid", _l("Please check what you entered"), _l("Something in the request was not valid. Nothing was changed.")),
    429: ("too_many_requests", _l("Please wait a moment"), _l("There were too many attempts. Please wait a little and try again.")),
    500: ("server_error", _l("Something went wrong on our side"), _l("Nothing you did caused this. Please try again in a moment.")),
    503: ("unavailable", _l("Something went wrong on our side"), _l("Nothing you did caused this. Please try again in a moment.")),
}


class ApiError(Exception):
    """A refusal with a stable code and a message in the member's language."""

    def __init__(self, status: int, code: str, message: str, **params):
        super().__init__(message)
        self.status, self.code, self.message, self.params = status, code, message, params


def is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def api_error(request: Request, status: int, code: str, message: str, headers=None, **params) -> JSONResponse:
    text = i18n.gettext(request_locale(request), message, **params)
    return JSONResponse({"error": {"code": code, "message": text}}, status_code=status, headers=headers)


def error_response(request: Request, status: int, headers=None) -> Response:
    code, title, explanation = STATUS.get(status, STATUS[500] if status >= 500 else STATUS[400])
    if is_api(request):
        return api_error(request, status, code, title if status == 404 else explanation, headers)
    page = render(request, "error.html", {"status": status, "title": title, "explanation": explanation},
                  status_code=status, headers=headers)
    return page


def allowed_methods(request: Request) -> list[str]:
    """Every method some route of this path answers (each route here serves one method)."""
    methods: set[str] = set()
    for route in request.app.routes:
        match, _ = route.matches({**request.scope, "method": "GET", "type": "http"})
        if match != Match.NONE and getattr(route, "methods", None):
            methods |= set(route.methods)
    return sorted(methods)


async def http_exception(request: Request, exc: HTTPException) -> Response:
    headers = {k: v for k, v in (getattr(exc, "headers", None) or {}).items() if k.lower() != "allow"}
    if exc.status_code == 405:
        headers["allow"] = ", ".join(allowed_methods(request))
    return error_response(request, exc.status_code, headers or None)


async def api_exception(request: Request, exc: ApiError) -> Response:
    return api_error(request, exc.status, exc.code, exc.message, **exc.params)


async def server_error(request: Request, exc: Exception) -> Response:
    log.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return error_response(request, 500)


HANDLERS = {HTTPException: http_exception, ApiError: api_exception, Exception: server_error}
