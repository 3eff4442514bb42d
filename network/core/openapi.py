"""The OpenAPI document at /api/openapi.json, read off the app's own routes (network.core.access).

Bodies and query strings are described by the same pydantic models that validate them, path
numbers by the same bounds that check them, so the document states the rules the service applies.
Every status an operation can answer is listed with its meaning.
"""

from __future__ import annotations

import re

from pydantic.json_schema import models_json_schema
from starlette.requests import Request
from starlette.responses import JSONResponse

from network.core.access import ApiSpec
from network.core.bounds import PATH

ERROR_SCHEMA = {
    "type": "object",
    "required": ["error"],
    "properties": {"error": {"type": "object", "required": ["code", "message"], "properties": {
        "code": {"type": "string"}, "message": {"type": "string"},
        "fields": {"type": "object", "additionalProperties": {"type": "string"}},
    }}},
}
ACCESS_TEXT = {
    "public": "Anyone.", "self": "Any signed-in account, for itself.", "member": "Any signed-in member.",
    "vouch": "Members, moderators and administrators (not policymakers).",
    "curator": "Library curators: moderators and administrators.",
    "moderator": "Moderators and administrators.", "policymaker": "Policymakers and administrators.",
    "admin": "Administrators.",
}
ERRORS = {
    400: "The body is not JSON, or nests deeper than 32 levels.",
    401: "Not signed in (or the session has ended).",
    403: "Signed in without the right to do this, or the X-CSRF-Token header is missing or wrong.",
    404: "Not found, or not visible to the caller (a number in the path beyond what is stored included).",
    409: "The current state does not allow it (taken, decided already, a budget exhausted).",
    413: "The body is larger than 256 KiB.",
    415: "The body is not sent as application/json.",
    422: "Something sent is not valid; `fields` says what, in the caller's language. Nothing was changed.",
    429: "Too many attempts or too fast: the Retry-After header says how many seconds to wait.",
    503: "A part of the service is away for a moment (the database or Redis). Nothing was changed.",
}
SAFE = {"GET", "HEAD", "OPTIONS"}


def api_specs(routes) -> list[ApiSpec]:
    return [spec for route in routes if (spec := getattr(getattr(route, "endpoint", None), "spec", None))]


def _statuses(spec: ApiSpec) -> list[int]:
    codes = {401, 404, 409, 422, 429, 503}  # 401: signed out, or (signing in) a wrong passphrase
    if spec.body is not None:
        codes |= {400, 413, 415}
    if spec.access != "public" or spec.method not in SAFE:
        codes.add(403)  # the wrong role, or a signed-in caller without the CSRF header
    return sorted(codes)


def _success(spec: ApiSpec, media_type: str) -> dict:
    if media_type == "application/json":
        return {"application/json": {"schema": spec.response or {"type": "object"}}}
    return {media_type: {"schema": {"type": "string"}}}


def _parameters(spec: ApiSpec, query_schemas: dict) -> list[dict]:
    parameters = [{"name": name, "in": "path", "required": True, "schema": PATH.schema()}
                  for name in re.findall(r"{(\w+)(?::\w+)?}", spec.path)]
    if spec.query is not None:
        schema = query_schemas[spec.query]
        required = set(schema.get("required", ()))
        for name, prop in schema.get("properties", {}).items():
            prop = dict(prop)
            description = prop.pop("description", None)
            parameter = {"name": name, "in": "query", "required": name in required, "schema": prop}
            if description:
                parameter["description"] = description
            parameters.append(parameter)
    return parameters


def _query_schema(model) -> dict:
    """A query model's schema with optional values as plain types: a query string has no null."""
    schema = model.model_json_schema()
    for prop in schema.get("properties", {}).values():
        options = prop.pop("anyOf", None)
        if options:
            prop.update(next(o for o in options if o.get("type") != "null"))
    return schema


def document(routes) -> dict:
    specs = api_specs(routes)
    models = {spec.body for spec in specs if spec.body is not None}
    refs, defs = models_json_schema([(m, "validation") for m in models],
                                    ref_template="#/components/schemas/{model}")
    query_schemas = {spec.query: _query_schema(spec.query) for spec in specs if spec.query is not None}
    paths: dict = {}
    for spec in specs:
        responses = {str(spec.status): {"description": "Success", "content": _success(spec, spec.media_type)}}
        for status, media_type in (spec.also or {}).items():
            content = _success(spec, media_type)
            if str(status) in responses:
                responses[str(status)]["content"].update(content)
            else:
                responses[str(status)] = {"description": "Success", "content": content}
        for status in _statuses(spec):
            responses.setdefault(str(status), {"description": ERRORS[status], "content": {
                "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}})
        operation = {
            "operationId": spec.name,
            "summary": spec.summary,
            "description": f"Who may call it: {ACCESS_TEXT[spec.access]}" + (
                f" Only representatives of the organisation named by `{spec.acts_for}`." if spec.acts_for else ""),
            "tags": [spec.tag],
            "responses": responses,
        }
        parameters = _parameters(spec, query_schemas)
        if parameters:
            operation["parameters"] = parameters
        if spec.body is not None:
            operation["requestBody"] = {"required": True, "content": {
                "application/json": {"schema": refs[(spec.body, "validation")]}}}
        if spec.access != "public":
            operation["security"] = [{"session": []}]
        path = re.sub(r"{(\w+):\w+}", r"{\1}", spec.path)
        paths.setdefault(path, {})[spec.method.lower()] = operation
    schemas = dict(defs.get("$defs", {}))
    schemas["Error"] = ERROR_SCHEMA
    return {
        "openapi": "3.1.0",
        "info": {"title": "Survivors' network API", "version": "1",
                 "description": "Errors are {\"error\": {\"code\", \"message\", \"fields\"?}} in the caller's "
                                "language. Room sockets (/rooms/{room_id}/ws) close with 4401 (signed out), "
                                "4403 (not allowed here), 4404 (no such room), 4400 (a bad cursor), 4008 (too "
                                "slow to keep up) or 1009 (a frame over 1 MiB); frames over 16 KiB get a "
                                "too_large error frame."},
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {"session": {"type": "apiKey", "in": "cookie", "name": "survnet",
                                            "description": "The session cookie; state-changing calls "
                                                           "also send its X-CSRF-Token header."}},
        },
    }


async def openapi_json(request: Request) -> JSONResponse:
    return JSONResponse(document(request.app.routes))
