"""The OpenAPI document at /api/openapi.json, generated from the routes built by network.core.access."""

from __future__ import annotations

import re

from pydantic.json_schema import models_json_schema
from starlette.requests import Request
from starlette.responses import JSONResponse

from network.core.access import ApiSpec

ERROR_SCHEMA = {
    "type": "object",
    "required": ["error"],
    "properties": {"error": {"type": "object", "required": ["code", "message"], "properties": {
        "code": {"type": "string"}, "message": {"type": "string"},
        "fields": {"type": "object", "additionalProperties": {"type": "string"}},
    }}},
}
ACCESS_TEXT = {
    "public": "Anyone.", "self": "Any signed-in account, for itself.", "member": "Any signed-in member.", "moderator": "Moderators and administrators.",
    "policymaker": "Policymakers and administrators.", "admin": "Administrators.",
}


def api_specs(routes) -> list[ApiSpec]:
    return [spec for route in routes if (spec := getattr(getattr(route, "endpoint", None), "spec", None))]


def document(routes) -> dict:
    specs = api_specs(routes)
    models = {spec.body for spec in specs if spec.body is not None}
    refs, defs = models_json_schema([(m, "validation") for m in models],
                                    ref_template="#/components/schemas/{model}")
    paths: dict = {}
    for spec in specs:
        operation = {
            "operationId": spec.name,
            "summary": spec.summary,
            "description": f"Who may call it: {ACCESS_TEXT[spec.access]}",
            "tags": [spec.tag],
            "responses": {
                str(spec.status): {"description": "Success",
                                   "content": {"application/json": {"schema": spec.response or {"type": "object"}}}},
                "default": {"description": "An error",
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
            },
        }
        parameters = [{"name": name, "in": "path", "required": True, "schema": {"type": "integer"}}
                      for name in re.findall(r"{(\w+)(?::\w+)?}", spec.path)]
        parameters += [{"name": name, "in": "query", "required": False, "schema": {"type": kind}}
                       for name, kind in spec.query.items()]
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
        "info": {"title": "Survivors' network API", "version": "1"},
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
