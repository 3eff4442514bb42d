"""Languages: catalogs, choosing a request's locale, and Babel formatting per locale."""

from __future__ import annotations

import io
from datetime import date, datetime
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


def gettext(locale: str, message: str, **params) -> str:
    text = translations(locale).gettext(message)
    return text % params if params else text


def ngettext(locale: str, singular: str, plural: str, n: int, **params) -> str:
    text = translations(locale).ngettext(singular, plural, n)
    return text % {"num": n, **params}


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


def babel_locale(locale: str) -> Locale:
    return Locale.parse(_BABEL_LOCALE.get(locale, locale))


def format_date(value: date | datetime, locale: str, format: str = "medium") -> str:
    if isinstance(value, datetime):
        value = value.date()
    return babel_dates.format_date(value, format=format, locale=babel_locale(locale))


def format_datetime(value: datetime, locale: str, format: str = "medium") -> str:
    return babel_dates.format_datetime(value, format=format, locale=babel_locale(locale))


def format_number(value: int | float | Decimal, locale: str) -> str:
    return babel_numbers.format_decimal(value, locale=babel_locale(locale), numbering_system="default")


def format_money(amount: Decimal, currency: str, locale: str) -> str:
    return babel_numbers.format_currency(
        amount, currency, locale=babel_locale(locale), numbering_system="default"
    )
