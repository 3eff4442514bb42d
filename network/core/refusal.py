"""The one exception services raise to refuse something; routes turn it into a page or JSON."""

from __future__ import annotations

from network.core.i18n import lazy as _l


class Refused(Exception):
    """kind is one of: invalid, unauthorized, forbidden, not_found, conflict, throttled, unavailable."""

    def __init__(self, code: str, message: str, *, kind: str = "invalid", field: str | None = None,
                 **params):
        super().__init__(message)
        self.code, self.message, self.kind, self.field, self.params = code, message, kind, field, params


TOO_LONG = _l("A text is longer than allowed (%(max)s characters).")


def within(text: str | None, limit: int, field: str) -> str:
    """Typed text, trimmed, refused beside its field when longer than the limit: never shortened
    quietly, which would keep a text cut short as if it were what was written."""
    text = (text or "").strip()
    if len(text) > limit:
        raise Refused("too_long", TOO_LONG, field=field, max=limit)
    return text


MISSING = _l("Please fill this in.")


def needed(text: str | None, limit: int, field: str) -> str:
    """Typed text that must be there: trimmed, within its limit, and not empty."""
    text = within(text, limit, field)
    if not text:
        raise Refused("missing_text", MISSING, field=field)
    return text


STATUS_BY_KIND = {"invalid": 422, "unauthorized": 401, "forbidden": 403, "not_found": 404, "conflict": 409, "throttled": 429,
                 "unavailable": 503}
