"""One rule for digits per language: numbers, money, dates, times, counts in sentences and charts
all use the locale's default numbering system, never a mix."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, time
from decimal import Decimal

import pytest

from network.core import i18n
from network.core.charts import bar_chart
from network.core.settings import LOCALES

LATIN = set("0123456789")
EXPECTED = {"en": LATIN, "fr": LATIN, "ar": LATIN, "es": LATIN, "uk": LATIN, "sw": LATIN,
            "fa": set("۰۱۲۳۴۵۶۷۸۹")}

MOMENT = datetime(2026, 3, 14, 15, 47, 9)
FORMATTERS = {
    "number": lambda loc: i18n.format_number(1234567.89, loc),
    "integer": lambda loc: i18n.format_number(500, loc),
    "decimal": lambda loc: i18n.format_number(Decimal("4500.25"), loc),
    "money": lambda loc: i18n.format_money(Decimal("4500"), "KES", loc),
    "money_usd": lambda loc: i18n.format_money(Decimal("12.5"), "USD", loc),
    "date": lambda loc: i18n.format_date(date(2026, 3, 14), loc),
    "date_short": lambda loc: i18n.format_date(MOMENT, loc, format="short"),
    "datetime": lambda loc: i18n.format_datetime(MOMENT, loc),
    "time": lambda loc: i18n.format_time(time(15, 47), loc),
    "percent": lambda loc: i18n.format_percent(0.2567, loc),
    "gettext": lambda loc: i18n.gettext(loc, "fewer than %(k)s", k=5),
    "ngettext": lambda loc: i18n.ngettext(loc, "%(num)d person has sent answers.",
                                          "%(num)d people have sent answers.", 1207),
    # What the chart shows, not its coordinates.
    "chart": lambda loc: " ".join(re.findall(r">([^<]+)</tspan>", bar_chart(
        [{"label": "3", "count": 1250}, {"label": "x", "count": 98}], "hidden", locale=loc))),
}


def _digits(text: str) -> set[str]:
    return {c for c in text if unicodedata.category(c) == "Nd"}


def test_the_table_covers_every_locale():
    assert set(EXPECTED) == set(LOCALES)


@pytest.mark.parametrize("name", FORMATTERS)
@pytest.mark.parametrize("locale", LOCALES)
def test_only_the_locales_digits_appear(locale, name):
    text = FORMATTERS[name](locale)
    found = _digits(text)
    assert found, (locale, name, text)
    assert found <= EXPECTED[locale], (locale, name, text, found - EXPECTED[locale])


def test_persian_money_and_counts_agree():
    """The case that was seen: KES 4٬500٫00 (Latin digits, Persian separators) beside ۵۰۰."""
    assert i18n.format_money(Decimal("4500"), "KES", "fa").endswith("۴٬۵۰۰٫۰۰")
    assert i18n.format_number(500, "fa") == "۵۰۰"
    assert "۱۴" in i18n.format_date(date(2026, 3, 14), "fa") and "۲۰۲۶" in i18n.format_date(date(2026, 3, 14), "fa")
    assert i18n.ngettext("fa", "%(num)d person", "%(num)d people", 3).startswith("۳")
    assert i18n.format_percent(0.25, "fa") == "۲۵٪" and i18n.format_percent(0.257, "en") == "25.7%"


def test_latin_locales_are_unchanged():
    assert i18n.format_money(Decimal("4500"), "KES", "en") == "KES4,500.00"
    assert i18n.format_number(1234.5, "fr") == "1\u202f234,5"
    assert i18n.ngettext("en", "%(num)d person", "%(num)d people", 1207) == "1207 people"
    assert i18n.gettext("en", "fewer than %(k)s", k=5) == "fewer than 5"


def test_only_whole_numbers_in_sentences_change():
    """Text placeholders, flags and numbers already formatted stay as they were given."""
    assert i18n.gettext("fa", "%(a)s %(b)s %(c)s", a="R2D2", b=True, c="۵") == "R2D2 True ۵"
    assert i18n.gettext("fa", "%(n)d / %(m)s", n=12, m=3) == "۱۲ / ۳"
