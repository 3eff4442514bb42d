"""Seven languages: complete catalogs, locale choice, right-to-left, Babel formatting."""

import re
from datetime import date
from decimal import Decimal

import pytest
from babel.messages.pofile import read_po

from network.core import i18n
from network.core.settings import LOCALES, ROOT

PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")
TRANSLATED = [code for code in LOCALES if code != "en"]


def _catalog(locale):
    with (ROOT / "locales" / locale / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle, locale=locale)


def _template_ids():
    with (ROOT / "locales" / "messages.pot").open("rb") as handle:
        return {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id}


@pytest.mark.parametrize("locale", TRANSLATED)
def test_every_catalog_translates_every_message_with_the_same_placeholders(locale):
    catalog = _catalog(locale)
    ids = {m.id if isinstance(m.id, str) else m.id[0]: m for m in catalog if m.id}
    missing_from_catalog = _template_ids() - set(ids)
    assert not missing_from_catalog, f"{locale} lacks entries; run `make update-catalogs`"
    problems = []
    for key, message in ids.items():
        sources = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = sorted(set(PLACEHOLDER.findall(" ".join(sources))))
        for text in strings:
            if not text:
                problems.append(f"untranslated: {key!r}")
            elif sorted(set(PLACEHOLDER.findall(text))) != wanted:
                problems.append(f"placeholders differ: {key!r}")
            elif text == sources[0] and len(key.split()) > 2:
                problems.append(f"English copied: {key!r}")
        if message.fuzzy:
            problems.append(f"fuzzy: {key!r}")
    assert not problems, "\n".join(problems)


def test_every_source_string_is_in_the_template():
    """The .pot is current: extracting now finds nothing it lacks."""
    from babel.messages.extract import extract_from_dir

    found = set()
    method_map = [("**/templates/**.html", "jinja2"), ("**.py", "python")]
    keywords = {"_": None, "_l": None, "gettext": None, "ngettext": (1, 2)}
    for package in ("network", "consultations", "messaging", "moderation"):
        for _, _, message, _, _ in extract_from_dir(ROOT / package, method_map, keywords=keywords):
            found.add(message if isinstance(message, str) else message[0])
    assert found - _template_ids() == set(), "run `make update-catalogs`"


def test_locale_precedence():
    choose = i18n.choose_locale
    assert choose(saved="fr", query="ar", cookie="es", accept_language="uk", default="en") == "fr"
    assert choose(saved=None, query="ar", cookie="es", accept_language="uk", default="en") == "ar"
    assert choose(saved=None, query=None, cookie="es", accept_language="uk", default="en") == "es"
    assert choose(saved=None, query="xx", cookie=None, accept_language="de, uk;q=0.5", default="en") == "uk"
    assert choose(saved=None, query=None, cookie=None, accept_language="prs-AF", default="en") == "fa"
    assert choose(saved=None, query=None, cookie=None, accept_language="de, zz;q=0.1", default="sw") == "sw"
    assert i18n.parse_accept_language("fr;q=0.2, sw;q=0.9, ar;q=0") == ["sw", "fr"]


def test_formatting_follows_the_locale():
    day = date(2026, 3, 8)
    dates = {code: i18n.format_date(day, code) for code in LOCALES}
    assert len(set(dates.values())) == len(LOCALES)
    assert dates["en"] == "Mar 8, 2026" and dates["fr"] == "8 mars 2026" and "бер" in dates["uk"]
    assert i18n.format_number(1234567.5, "en") == "1,234,567.5"
    assert i18n.format_number(1234567.5, "fr").replace("\u202f", " ") == "1 234 567,5"
    assert i18n.format_number(1500.5, "fa") == "۱٬۵۰۰٫۵"  # Persian digits and separators
    assert i18n.format_money(Decimal("1500.50"), "EUR", "fr").replace("\u202f", " ").replace("\xa0", " ") == "1 500,50 €"
    assert "KSh" in i18n.format_money(Decimal("250"), "KES", "sw") or "Ksh" in i18n.format_money(Decimal("250"), "KES", "sw")


async def test_pages_come_in_every_language_with_the_right_direction(client):
    titles = set()
    for code in LOCALES:
        response = await client.get(f"/?lang={code}")
        assert response.status_code == 200
        html = response.text
        want_dir = "rtl" if code in ("ar", "fa") else "ltr"
        assert f'<html lang="{code}" dir="{want_dir}">' in html
        titles.add(re.search(r"<h1>(.*?)</h1>", html).group(1))
    assert len(titles) == len(LOCALES), "each language shows its own heading"


async def test_lang_query_is_remembered_in_a_cookie(client):
    response = await client.get("/?lang=ar")
    assert "lang=ar" in response.headers["set-cookie"]
    again = await client.get("/")
    assert 'lang="ar"' in again.text


async def test_accept_language_then_default(client):
    response = await client.get("/", headers={"accept-language": "uk-UA,uk;q=0.9,en;q=0.5"})
    assert 'lang="uk"' in response.text
    response = await client.get("/", headers={"accept-language": "de"})
    assert 'lang="en"' in response.text


async def test_the_switcher_links_every_language_and_keeps_the_page(client):
    response = await client.get("/nowhere?x=1")
    for code in LOCALES:
        assert f'href="/nowhere?x=1&amp;lang={code}"' in response.text or f'aria-current="true">{i18n.NATIVE_NAMES[code]}' in response.text
