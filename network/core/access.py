"""Authorization in one place: every route is built here, declares what it needs, and is checked here.

Levels a route can require, and the roles that have each:
    public       everyone, signed in or not
    self         any signed-in account, its own settings only (a duress decoy included)
    member       any signed-in member of the community (a duress decoy too: what it changes at
                 this level or above is undone, network.core.sandbox, unless the route says
                 decoy="keep")
    vouch        members, moderators and administrators: invite a new member on one's word
                 (policymakers do not vouch; administrators also invite any role)
    curator      moderators and administrators: review, edit and publish the library
    moderator    moderators and administrators
    policymaker  policymakers and administrators
    admin        administrators
State-changing requests also pass the CSRF check here: a form field for pages, the
X-CSRF-Token header for JSON requests that carry the session cookie.

A route that acts for a partner organisation names the path parameter that holds its id
(`acts_for="org_id"`): only the organisation's own representatives pass, whatever their role (an
administrator manages organisations but does not speak for one). Who represents whom is asked of the
registry's `represents`, which the organisations package fills.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from urllib.parse import quote

from pydantic import BaseModel
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route, WebSocketRoute
from tortoise.exceptions import ValidationError as StoredValueRefused

from network.core import sandbox
from network.core.errors import api_error, error_response
from network.core.i18n import lazy as _l
from network.core.inputs import path_numbers_ok, read_body, read_query, refused_response
from network.core.keys import same
from network.core.refusal import STATUS_BY_KIND, Refused
from network.core.templating import render

log = logging.getLogger("survnet.access")

LEVELS = ("public", "self", "member", "vouch", "curator", "moderator", "policymaker", "admin")
ROLE_LEVELS = {
    None: {"public"},
    "member": {"public", "self", "member", "vouch"},
    "moderator": {"public", "self", "member", "vouch", "curator", "moderator"},
    # No "vouch": a policymaker's invitee would read the rooms on the word of someone outside them.
    "policymaker": {"public", "self", "member", "policymaker"},
    "admin": set(LEVELS),
}
# The account a duress passphrase opens reaches what a new member reaches, with the same answers;
# what it changes in the community is undone (network.core.sandbox).
ROLE_LEVELS["decoy"] = ROLE_LEVELS["member"]
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
OWN_LEVELS = {"public", "self"}  # what an account does to itself: a decoy's stays, as anyone's
DECOY_CHOICES = ("undo", "keep")
CSRF_FAILED = _l("This form has expired. Please go back, reload the page and try again.")
# A value the database's own rules refuse (a text longer than its column, say) that a service let
# through: refused like any invalid input, nothing stored, and logged (without the value) to be fixed.
NOT_STORED = Refused("invalid", _l("Some of what you sent is not valid. Nothing was changed."))


def allowed(role: str | None, level: str) -> bool:
    return level in ROLE_LEVELS.get(role, set())


async def _acts_ok(request: Request, acts_for: str | None) -> bool:
    if acts_for is None:
        return True
    member = request.state.member
    represents = request.app.state.runtime.registry.represents
    return member is not None and represents is not None and \
        await represents(member, request.path_params[acts_for])


def member_role(request: Request) -> str | None:
    member = request.state.member
    return member.role if member is not None else None


@dataclass
class ApiSpec:
    """What the OpenAPI document says of one JSON endpoint."""

    path: str
    method: str
    name: str
    summary: str
    access: str
    tag: str
    body: type[BaseModel] | None = None
    status: int = 200
    query: type[BaseModel] | None = None
    response: dict | None = None
    # Other answers than `status` that succeed (a repeated client_id answers 200), by status.
    also: dict[int, str] | None = None
    # The media type of a success, when it is not JSON (a CSV export).
    media_type: str = "application/json"
    # The path parameter naming the organisation it acts for: only its representatives may call it.
    acts_for: str | None = None


async def _csrf_ok(request: Request, api: bool) -> bool:
    expected = request.state.csrf_token
    if api:
        if request.state.session is None:
            return True  # no session cookie, nothing to forge; JSON content type is still required
        supplied = request.headers.get("x-csrf-token", "")
    else:
        form = await request.form(max_files=0, max_fields=200)
        supplied = form.get("csrf_token", "")
    return isinstance(supplied, str) and bool(expected) and same(supplied, expected)


def _refusal(request: Request, api: bool):
    """Anonymous visitors are sent to sign in; signed-in members without the right get 403."""
    if request.state.member is None:
        if api:
            return api_error(request, 401, "unauthorized", _l("Please sign in first."))
        target = request.url.path if request.method not in SAFE_METHODS else \
            request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(target)}", status_code=303)
    if api:
        return api_error(request, 403, "forbidden", _l("You do not have permission to do this."))
    return error_response(request, 403)


def _undone(request: Request, access: str, decoy: str) -> bool:
    """Whether this request is a decoy's community action, to be answered and undone."""
    member = request.state.member
    return member is not None and member.role == "decoy" and request.method not in SAFE_METHODS \
        and access not in OWN_LEVELS and decoy != "keep"


def page(path: str, endpoint, *, access: str, methods=("GET",), name: str | None = None,
         decoy: str = "undo", acts_for: str | None = None) -> Route:
    """An HTML page. Forms that change something must carry the CSRF token."""
    assert access in LEVELS and decoy in DECOY_CHOICES, (access, decoy)
    assert acts_for is None or "{" + acts_for + ":int}" in path, (path, acts_for)

    async def guarded(request: Request) -> Response:
        if not path_numbers_ok(request):
            return error_response(request, 404)
        if not allowed(member_role(request), access) or not await _acts_ok(request, acts_for):
            return _refusal(request, api=False)
        if request.method not in SAFE_METHODS and not await _csrf_ok(request, api=False):
            return error_response_with(request, 403, CSRF_FAILED)
        try:
            if _undone(request, access, decoy):
                return await sandbox.run(lambda: endpoint(request))
            return await endpoint(request)
        except StoredValueRefused:
            log.warning("%s %s: a value the database refused reached it", request.method, path)
            return error_response_with(request, 422, NOT_STORED.message)
        except Refused as exc:
            return error_response_with(request, STATUS_BY_KIND.get(exc.kind, 422), exc.message, **exc.params)

    guarded.access = access
    guarded.acts_for = acts_for
    guarded.__name__ = endpoint.__name__
    return Route(path, guarded, methods=list(methods), name=name or endpoint.__name__)


def error_response_with(request: Request, status: int, message: str, **params) -> Response:
    return render(request, "error.html", {"status": status, "title": _l("That could not be done"),
                                          "explanation": message, "params": params}, status_code=status)


def api(path: str, endpoint, *, access: str, method: str, summary: str, tag: str,
        body: type[BaseModel] | None = None, status: int = 200, query: type[BaseModel] | None = None,
        response: dict | None = None, name: str | None = None, also: dict[int, str] | None = None,
        media_type: str = "application/json", decoy: str = "undo", acts_for: str | None = None) -> Route:
    """A JSON endpoint under /api/v1, recorded for the OpenAPI document. The endpoint is called with
    the request, then the parsed body (if `body`), then the parsed query (if `query`)."""
    assert access in LEVELS and decoy in DECOY_CHOICES, (access, decoy)
    assert acts_for is None or "{" + acts_for + ":int}" in path, (path, acts_for)
    # Unique across packages (several have an api_report): the OpenAPI operationId.
    route_name = name or f"{tag}_{endpoint.__name__.removeprefix('api_')}"

    async def guarded(request: Request) -> Response:
        if not path_numbers_ok(request):
            return api_error(request, 404, "not_found", _l("That was not found."))
        if not allowed(member_role(request), access) or not await _acts_ok(request, acts_for):
            return _refusal(request, api=True)
        if request.method not in SAFE_METHODS and not await _csrf_ok(request, api=True):
            return api_error(request, 403, "csrf", _l("The X-CSRF-Token header is missing or wrong."))
        args = []
        for model, reader in ((body, read_body), (query, read_query)):
            if model is not None:
                parsed = await reader(request, model)
                if isinstance(parsed, Response):
                    return parsed
                args.append(parsed)
        try:
            if _undone(request, access, decoy):
                result = await sandbox.run(lambda: endpoint(request, *args))
            else:
                result = await endpoint(request, *args)
        except StoredValueRefused:
            log.warning("%s %s: a value the database refused reached it", method, path)
            return refused_response(request, NOT_STORED)
        except Refused as exc:
            return refused_response(request, exc)
        if isinstance(result, Response):
            return result
        return JSONResponse(result, status_code=status)

    guarded.access = access
    guarded.acts_for = acts_for
    guarded.__name__ = endpoint.__name__
    # The OpenAPI document is read off the app's routes, so it lists exactly what is mounted.
    guarded.spec = ApiSpec(path=path, method=method, name=route_name, summary=summary, access=access,
                           tag=tag, body=body, status=status, query=query, response=response, also=also,
                           media_type=media_type, acts_for=acts_for)
    return Route(path, guarded, methods=[method], name=route_name)


def socket(path: str, endpoint, *, access: str, name: str | None = None) -> WebSocketRoute:
    """A WebSocket, authenticated by the session cookie: refused before the handshake completes."""
    assert access in LEVELS, access

    async def guarded(websocket) -> None:
        if not path_numbers_ok(websocket):
            await websocket.close(code=4404)
            return
        if not allowed(member_role(websocket), access):
            await websocket.close(code=4401 if websocket.state.member is None else 4403)
            return
        await endpoint(websocket)

    guarded.access = access
    guarded.__name__ = endpoint.__name__
    return WebSocketRoute(path, guarded, name=name or endpoint.__name__)
