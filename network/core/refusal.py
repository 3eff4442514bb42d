"""The one exception services raise to refuse something; routes turn it into a page or JSON."""

from __future__ import annotations


class Refused(Exception):
    """kind is one of: invalid, unauthorized, forbidden, not_found, conflict, throttled, unavailable."""

    def __init__(self, code: str, message: str, *, kind: str = "invalid", field: str | None = None,
                 **params):
        super().__init__(message)
        self.code, self.message, self.kind, self.field, self.params = code, message, kind, field, params


STATUS_BY_KIND = {"invalid": 422, "unauthorized": 401, "forbidden": 403, "not_found": 404, "conflict": 409, "throttled": 429,
                 "unavailable": 503}
