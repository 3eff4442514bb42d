"""What every change to the library shares: reading what is typed, the curator's right, the log."""

from __future__ import annotations

from datetime import date, datetime, timezone

from tortoise.transactions import in_transaction

from network.core.access import allowed
from network.core.i18n import babel_locale
from network.core.i18n import lazy as _l
from network.core.refusal import Refused, within
from network.core.text import one_line
from network.library.models import LibraryEvent

NOT_FOUND = Refused("not_found", _l("That was not found."), kind="not_found")
CHOOSE = _l("Choose one of the allowed values.")
REQUIRED = _l("This is required.")
BAD_DATE = _l("Write the date as year-month-day, for example 2027-01-31.")
BAD_COUNTRY = _l("Give a country as its two-letter code, for example KE.")
BAD_LINK = _l("Give a web address that starts with https://.")
TOO_MANY = _l("There are too many items.")
LIMITS = {"title": 200, "summary": 1000, "body": 50000, "what_changed": 300, "source": 200, "licence": 100,
          "region": 100, "name": 200, "hours": 200, "website": 300, "address": 300, "phone": 50,
          "how_to_reach": 1000, "instrument": 200, "promise": 1000, "carried_by": 300, "note": 1000,
          "reason": 500}


# Who reads what of the library. Members-only entries and services are for the community of
# survivors and its staff, and for a duress decoy (which must read as a new member does). How to
# reach a service (an address, a phone line) is for the community only: a decoy is shown it as not
# given, so a coercer holding a duress passphrase learns no shelter's address; policymakers, who are
# not of the community, and visitors are shown neither.
COMMUNITY = ("member", "moderator", "admin")


def reads_members_only(member) -> bool:
    return member is not None and (member.role in COMMUNITY or member.role == "decoy")


def reach(member) -> str:
    """What this reader is shown of how to reach a service: "shown", "blank" (a decoy) or "hidden"."""
    if member is not None and member.role in COMMUNITY:
        return "shown"
    return "blank" if member is not None and member.role == "decoy" else "hidden"


def is_curator(member) -> bool:
    return member is not None and allowed(member.role, "curator")


def require_curator(member) -> None:
    if not is_curator(member):
        raise Refused("forbidden", _l("You do not have permission to do this."), kind="forbidden")


def on(query, connection=None):
    """A query on the caller's connection (its transaction), or on the default one."""
    return query.using_db(connection) if connection is not None else query


def now() -> datetime:
    return datetime.now(timezone.utc)


async def save(model, subject: str, curator, details: dict, row_id: int | None = None, connection=None):
    """A curator's new row, or new values of one, and its line in the log, in one transaction."""
    require_curator(curator)
    async with in_transaction() as own:
        connection = connection or own
        if row_id is None:
            row = await model.create(**details, using_db=connection)
            await record(connection, curator, subject, row.id, "created")
            return row
        row = await model.filter(id=row_id).using_db(connection).select_for_update().first()
        if row is None:
            raise NOT_FOUND
        for name, value in details.items():
            setattr(row, name, value)
        await row.save(using_db=connection)
        await record(connection, curator, subject, row.id, "changed")
        return row


async def record(connection, actor, subject: str, subject_id: int, action: str, detail: str = "") -> None:
    await LibraryEvent.create(subject=subject, subject_id=subject_id, action=action, actor=actor,
                              detail=detail, using_db=connection)


# Reading what is typed -------------------------------------------------------------------------

def typed(data: dict, name: str, required: bool = False, line: bool = False) -> str:
    value = data.get(name)
    value = "" if value is None else str(value)
    value = within(one_line(value) if line else value, LIMITS[name], name)
    if required and not value:
        raise Refused("required", REQUIRED, field=name)
    return value


def choice(value, choices, name: str, default: str | None = None) -> str:
    value = value if value not in (None, "") else default
    if value not in choices:
        raise Refused("invalid_choice", CHOOSE, field=name)
    return value


def listed(values, name: str) -> list:
    """A list as typed or sent: one text is a list of one; anything else but a list is refused."""
    if values in (None, ""):
        return []
    if isinstance(values, str):
        return [values]
    if not isinstance(values, (list, tuple)):
        raise Refused("invalid_choice", CHOOSE, field=name)
    return list(values)


def choices(values, choices, name: str, required: bool = False) -> list[str]:
    values = listed(values, name)
    if any(v not in choices for v in values) or (required and not values):
        raise Refused("invalid_choice", CHOOSE, field=name)
    return [c for c in choices if c in values]  # one order, each once


def countries(values, name: str = "countries") -> list[str]:
    values = listed(values, name)
    codes = []
    for value in values:
        code = str(value).strip().upper()
        if len(code) != 2 or code not in babel_locale("en").territories:
            raise Refused("invalid_country", BAD_COUNTRY, field=name)
        if code not in codes:
            codes.append(code)
    return codes


def day(value, name: str) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise Refused("invalid_date", BAD_DATE, field=name) from None


def website(value) -> str:
    value = within(one_line(str(value or "")), LIMITS["website"], "website")
    if value and not value.startswith("https://"):
        raise Refused("invalid_link", BAD_LINK, field="website")
    return value


# The log --------------------------------------------------------------------------------------------

LOG_PAGE = 100


async def events(limit: int = LOG_PAGE, before: int | None = None) -> list[LibraryEvent]:
    query = LibraryEvent.filter(id__lt=before) if before else LibraryEvent.all()
    return await query.order_by("-id").limit(limit)
