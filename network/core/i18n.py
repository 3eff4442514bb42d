"""Languages: catalogs, choosing a request's locale, and Babel formatting per locale."""

from __future__ import annotations

import io
import re
from datetime import date, datetime, time
from decimal import Decimal
from functools import lru_cache

from babel import Locale
from babel import dates as babel_dates
from babel import numbers as babel_numbers
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

from network.core.settings import LOCALES, ROOT, RTL_LOCALES

LOCALE_DIR = ROOT / "locales"
DOMAIN = "messages"
LANG_COOKIE = "lang"

# Babel's locale for formatting: Dari is Persian as written in Afghanistan.
_BABEL_LOCALE = {"fa": "fa_AF"}
# Accept-Language tags that mean one of our catalogs.
_ALIASES = {"prs": "fa", "per": "fa", "swa": "sw", "ara": "ar", "ukr": "uk"}

NATIVE_NAMES = {
    "en": "English",
    "fr": "Français",
    "ar": "العربية",
    "es": "Español",
    "uk": "Українська",
    "sw": "Kiswahili",
    "fa": "دری",
}


@lru_cache(maxsize=None)
def translations(locale: str) -> Translations:
    """The catalog for a locale; the compiled .mo when it is current, else the .po compiled now."""
    if locale not in LOCALES:
        locale = "en"
    folder = LOCALE_DIR / locale / "LC_MESSAGES"
    po_path, mo_path = folder / f"{DOMAIN}.po", folder / f"{DOMAIN}.mo"
    if mo_path.exists() and (not po_path.exists() or mo_path.stat().st_mtime >= po_path.stat().st_mtime):
        with mo_path.open("rb") as handle:
            return Translations(handle, domain=DOMAIN)
    if not po_path.exists():
        return Translations()
    with po_path.open("rb") as handle:
        catalog = read_po(handle, locale=locale)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(buffer, domain=DOMAIN)


def _with_digits(text: str, params: dict, locale: str) -> str:
    """Fills the placeholders, whole numbers written in the locale's digits like every other number
    on the page (a `%(n)d` becomes `%(n)s` for them, as "۵" is not an int)."""
    numbers = {k for k, v in params.items() if isinstance(v, int) and not isinstance(v, bool)}
    if numbers and _digit_table(locale) is not None:
        text = re.sub(r"%\((\w+)\)d", lambda m: f"%({m.group(1)})s" if m.group(1) in numbers else m.group(0), text)
        params = {k: localise_digits(str(v), locale) if k in numbers else v for k, v in params.items()}
    return text % params


def gettext(locale: str, message: str, **params) -> str:
    text = translations(locale).gettext(message)
    return _with_digits(text, params, locale) if params else text


def ngettext(locale: str, singular: str, plural: str, n: int, **params) -> str:
    text = translations(locale).ngettext(singular, plural, n)
    return _with_digits(text, {"num": n, **params}, locale)


def lazy(message: str) -> str:
    """Marks a string for extraction; it is translated where it is shown."""
    return message


def normalise(tag: str | None) -> str | None:
    if not tag:
        return None
    primary = tag.strip().replace("_", "-").split("-")[0].lower()
    primary = _ALIASES.get(primary, primary)
    return primary if primary in LOCALES else None


def parse_accept_language(header: str | None) -> list[str]:
    """Our locales named in an Accept-Language header, best first."""
    if not header:
        return []
    ranked: list[tuple[float, int, str]] = []
    for index, part in enumerate(header.split(",")[:20]):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        locale = normalise(tag)
        if locale and quality > 0:
            ranked.append((-quality, index, locale))
    seen: list[str] = []
    for _, _, locale in sorted(ranked):
        if locale not in seen:
            seen.append(locale)
    return seen


def choose_locale(*, saved: str | None, query: str | None, cookie: str | None,
                  accept_language: str | None, default: str) -> str:
    """The member's saved choice, then ?lang=, then the cookie, then the browser, then the default."""
    for candidate in (saved, query, cookie):
        locale = normalise(candidate)
        if locale:
            return locale
    preferred = parse_accept_language(accept_language)
    return preferred[0] if preferred else default


def direction(locale: str) -> str:
    return "rtl" if locale in RTL_LOCALES else "ltr"


@lru_cache(maxsize=None)
def babel_locale(locale: str) -> Locale:
    return Locale.parse(_BABEL_LOCALE.get(locale, locale))


# The digits of the CLDR numbering systems our locales' defaults can be (Babel has the separators
# of each system, not its digits).
_DIGITS = {
    "latn": "0123456789",
    "arab": "٠١٢٣٤٥٦٧٨٩",
    "arabext": "۰۱۲۳۴۵۶۷۸۹",
}


@lru_cache(maxsize=None)
def numbering_system(locale: str) -> str:
    """The locale's default numbering system, the one rule for all its numbers, dates and money;
    Latin when it is one we have no digits for, so separators and digits never disagree."""
    system = babel_locale(locale).default_numbering_system
    return system if system in _DIGITS else "latn"


@lru_cache(maxsize=None)
def _digit_table(locale: str) -> dict | None:
    system = numbering_system(locale)
    return None if system == "latn" else str.maketrans("0123456789", _DIGITS[system])


def localise_digits(text: str, locale: str) -> str:
    """ASCII digits in text written in the locale's digits: Babel's dates and times have none but Latin."""
    table = _digit_table(locale)
    return text.translate(table) if table else text


# Babel parses its pattern and walks the locale's data for every date it writes; a page lists
# dozens and many pages list the same ones, so each written form is kept. The time zone is part of
# the key: two equal instants in different zones are written differently.
@lru_cache(maxsize=8192)
def _format(kind: str, value, zone: str, locale: str, format: str) -> str:
    writer = {"date": babel_dates.format_date, "datetime": babel_dates.format_datetime,
              "time": babel_dates.format_time}[kind]
    return localise_digits(writer(value, format=format, locale=babel_locale(locale)), locale)


def format_date(value: date | datetime, locale: str, format: str = "medium") -> str:
    if isinstance(value, datetime):
        value = value.date()
    return _format("date", value, "", locale, format)


def format_datetime(value: datetime, locale: str, format: str = "medium") -> str:
    return _format("datetime", value, repr(value.tzinfo), locale, format)


def format_time(value: time | datetime, locale: str, format: str = "short") -> str:
    return _format("time", value, repr(value.tzinfo), locale, format)


def format_number(value: int | float | Decimal, locale: str) -> str:
    text = babel_numbers.format_decimal(value, locale=babel_locale(locale), numbering_system=numbering_system(locale))
    return localise_digits(text, locale)


def format_percent(share: int | float | Decimal, locale: str, digits: int = 1) -> str:
    """A share (0.25) as the locale writes a percentage: "25 %", "25%", "۲۵٪"."""
    pattern = babel_locale(locale).percent_formats[None].pattern
    if digits:
        pattern = pattern.replace("0", "0." + "#" * digits, 1) if "." not in pattern else pattern
    system = numbering_system(locale)
    text = babel_numbers.format_percent(share, format=pattern, locale=babel_locale(locale), numbering_system=system)
    # Babel writes the Latin sign whatever the numbering system ("۲۵%" where Dari writes "۲۵٪").
    sign = babel_locale(locale).number_symbols.get(system, {}).get("percentSign") or "%"
    return localise_digits(text.replace("%", sign), locale)


def format_money(amount: Decimal, currency: str, locale: str) -> str:
    text = babel_numbers.format_currency(
        amount, currency, locale=babel_locale(locale), numbering_system=numbering_system(locale)
    )
    return localise_digits(text, locale)
