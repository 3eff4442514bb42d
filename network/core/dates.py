"""The one reader of typed dates and times, the same from a form and from the API: ISO 8601, within
2000 to 2100 (a century the service plans in, and never past what a time zone's shift can carry).
Refused beside its field, in the member's language, never a server error."""

from __future__ import annotations

import re
from datetime import date, datetime

from network.core.i18n import lazy as _l
from network.core.refusal import Refused

EARLIEST, LATEST = date(2000, 1, 1), date(2100, 12, 31)
DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")  # year-month-day only: not a week date, not 20270331
DAY_WRITTEN = _l("Write the date as year-month-day, for example 2027-01-31.")
MOMENT_WRITTEN = _l("Give the date and time, for example 2027-03-31 14:00.")


def day(value, field: str) -> date:
    if isinstance(value, date) and not isinstance(value, datetime):
        found = value
    else:
        text = str(value or "").strip()
        try:
            found = date.fromisoformat(text) if DAY.match(text) else None
        except ValueError:
            found = None
    if found is None or not EARLIEST <= found <= LATEST:
        raise Refused("invalid_date", DAY_WRITTEN, field=field)
    return found


def moment(value, field: str) -> datetime:
    """A date and time, with its offset if it was written with one (else the caller's zone applies)."""
    if isinstance(value, datetime):
        found = value
    else:
        try:
            found = datetime.fromisoformat(str(value or "").strip())
        except ValueError:
            found = None
    if found is None or not EARLIEST.year <= found.year <= LATEST.year:
        raise Refused("invalid_date", MOMENT_WRITTEN, field=field)
    return found
