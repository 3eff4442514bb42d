"""What comes in with an API request, read in one place: path numbers within what the database holds,
the query string and the JSON body validated by their pydantic models (which the OpenAPI document is
made from, so the document states the rules the service applies), refusals as JSON errors in the
caller's language."""

from __future__ import annotations

from pydantic import BaseModel, ValidationError
from starlette.requests import HTTPConnection, Request
from starlette.responses import JSONResponse, Response

from network.core import bodies, i18n
from network.core.bounds import PATH
from network.core.errors import api_error
from network.core.i18n import lazy as _l
from network.core.refusal import STATUS_BY_KIND, Refused
from network.core.templating import request_locale

VALIDATION_MESSAGES = {
    "missing": _l("This is required."),
    "string_too_short": _l("This is too short."),
    "string_too_long": _l("This is too long."),
    "too_long": _l("There are too many items."),
    "too_short": _l("There are too few items."),
    "literal_error": _l("Choose one of the allowed values."),
    "enum": _l("Choose one of the allowed values."),
    "extra_forbidden": _l("This field is not accepted."),
    "greater_than_equal": _l("This number is too small."),
    "greater_than": _l("This number is too small."),
    "less_than_equal": _l("This number is too large."),
    "less_than": _l("This number is too large."),
    "string_pattern_mismatch": _l("This is not written the way it should be."),
    "int_type": _l("Give a whole number."),
    "string_type": _l("Give a text."),
    "bool_type": _l("Give true or false."),
}
BODY_ERRORS = {"malformed_json": _l("The request is not valid JSON."),
               "too_deep": _l("The request is nested too deeply.")}


def path_numbers_ok(connection: HTTPConnection) -> bool:
    """Every {name:int} in the path is a number the database can hold (else: not found)."""
    return all(PATH.read(value) is not None for value in connection.path_params.values() if isinstance(value, int))


def refused_response(request: Request, exc: Refused) -> JSONResponse:
    status = STATUS_BY_KIND.get(exc.kind, 422)
    locale = request_locale(request)
    body = {"code": exc.code, "message": i18n.gettext(locale, exc.message, **exc.params)}
    if exc.field:
        body["fields"] = {exc.field: body["message"]}
    headers = {"retry-after": str(exc.params["seconds"])} if "seconds" in exc.params else None
    return JSONResponse({"error": body}, status_code=status, headers=headers)


def validation_response(request: Request, exc: ValidationError) -> JSONResponse:
    locale = request_locale(request)
    fields = {}
    for error in exc.errors(include_url=False):
        name = ".".join(str(part) for part in error["loc"]) or "body"
        message = VALIDATION_MESSAGES.get(error["type"], _l("This value is not valid."))
        fields.setdefault(name, i18n.gettext(locale, message))
    message = i18n.gettext(locale, _l("Some of what you sent is not valid. Nothing was changed."))
    return JSONResponse({"error": {"code": "invalid", "message": message, "fields": fields}}, status_code=422)


async def read_body(request: Request, model: type[BaseModel]) -> BaseModel | Response:
    if request.headers.get("content-type", "").split(";")[0].strip().lower() != "application/json":
        return api_error(request, 415, "unsupported_media_type", _l("Send the request as JSON."))
    try:
        data = bodies.loads(await request.body())
    except bodies.Unreadable as exc:
        return api_error(request, 400, exc.code, BODY_ERRORS[exc.code])
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        return validation_response(request, exc)


async def read_query(request: Request, model: type[BaseModel]) -> BaseModel | Response:
    """The query string as its model: the last value of each name, cleaned; others are ignored."""
    names = model.model_fields
    values = {name: value for name, value in request.query_params.items() if name in names}
    try:
        return model.model_validate(values)
    except ValidationError as exc:
        return validation_response(request, exc)
