"""Reading HTML forms safely, and where a form may send the browser next."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from network.core.bounds import PATH, Bounded
from network.core.refusal import STATUS_BY_KIND, Refused
from network.core.text import clean

# Nothing is cut here: a value shortened on the way in would be stored as if it were whole (a
# policy draft of many sections is one field). The body's own limit (network.core.middleware.BodyLimit)
# bounds every field, and each field's limit is checked where it is used, with the error beside the
# field and what was typed shown again.


async def form_data(request: Request) -> dict[str, str]:
    """Each field's last value as cleaned text (files are ignored)."""
    form = await request.form(max_files=0, max_fields=200)
    return {clean(key): clean(value) for key, value in form.multi_items() if not isinstance(value, UploadFile)}


async def form_list(request: Request, name: str) -> list[str]:
    form = await request.form(max_files=0, max_fields=200)
    return [clean(v) for v in form.getlist(name) if isinstance(v, str)]


def to_int(value, default: int | None = None, bounds: Bounded = PATH) -> int | None:
    """A whole number from a form field or query string within what the database holds (by default
    0 to the largest id), or the default when it is anything else."""
    number = bounds.read(value) if value not in (None, "") else None
    return default if number is None else number


def safe_next(target: str | None, default: str = "/") -> str:
    """Only a path on this site: never another host (//evil.example) or a scheme."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    return target


async def submitted(act: Callable[[], Awaitable], again: Callable[[Refused, int], Awaitable[Response]],
                    done: Callable[[object], str]) -> Response:
    """A form's change: done, the browser is sent on (`done(result)` is where); refused, the form's
    page again with the refusal beside its field and what was typed (`again(refusal, status)`). A
    thing not found is not found, whatever form asked for it: the error page says so."""
    try:
        result = await act()
    except Refused as exc:
        if exc.kind == "not_found":
            raise
        return await again(exc, STATUS_BY_KIND[exc.kind])
    return RedirectResponse(done(result), status_code=303)
