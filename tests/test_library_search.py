"""Library search finds entries by their words in every shipped language, with or without diacritics,
with Arabic and Persian letter variants as one; filters combine; the reader's language comes first;
members-only entries reach members only. On SQLite (FTS5) and PostgreSQL (tsvector and trigrams)."""

from __future__ import annotations

import re

import pytest

from network.library import exchange
from tests.conftest import both_databases
from tests.helpers import make_member, signed_in


def _entry(ref, locale, title, body, *, countries=(), topics=("justice",), audiences=("survivors",),
           level="full", kind="guide", visibility="public", more=()):
    return {"ref": ref, "kind": kind, "audiences": list(audiences), "countries": list(countries),
            "topics": list(topics), "visibility": visibility,
            "texts": [{"locale": locale, "level": level, "title": title, "summary": "", "body": body}, *more]}


LIBRARY = {"format": exchange.FORMAT, "entries": [
    _entry("en", "en", "Preparing to give testimony", "What to expect from the reparations programme."),
    _entry("fr", "fr", "Les réparations pour les survivantes", "Un programme d'indemnisation à l'échelle nationale."),
    _entry("es", "es", "Cómo solicitar la reparación", "Los niños nacidos de la violencia tienen derechos."),
    _entry("uk", "uk", "Правосуддя для постраждалих", "Їхні права захищає закон про статус постраждалих."),
    _entry("sw", "sw", "Haki za waathirika", "Msaada wa kisheria unapatikana bila malipo."),
    _entry("ar", "ar", "المساعدة القانونية للناجيات", "تُقَدِّمُ الإغاثة مُسَاعَدَة مجانية في كل محافظة."),
    _entry("fa", "fa", "کمک حقوقی برای بازماندگان", "شما می‌توانید بدون هزینه مشاوره بگیرید."),
]}

# (the entry, words to search for): as written, and as people also type them.
FOUND = [
    ("en", "reparations"), ("en", "Testimony"), ("en", "REPARATION"),
    ("fr", "réparations"), ("fr", "reparations"), ("fr", "echelle"), ("fr", "indemnisation nationale"),
    ("es", "reparación"), ("es", "reparacion"), ("es", "ninos"), ("es", "niños"),
    ("uk", "правосуддя"), ("uk", "Їхні"), ("uk", "іхні"), ("uk", "постраждалих"),
    ("sw", "haki"), ("sw", "WAATHIRIKA"), ("sw", "msaada kisheria"),
    # Arabic: without harakat, teh marbuta as heh, hamza on alef or not.
    ("ar", "مساعدة"), ("ar", "مُسَاعَدَة"), ("ar", "المساعده"), ("ar", "الإغاثة"), ("ar", "الاغاثة"),
    ("ar", "القانونية"),
    # Persian written with Arabic kaf and yeh, and without the zero-width non-joiner.
    ("fa", "کمک"), ("fa", "كمك"), ("fa", "براي"), ("fa", "برای"), ("fa", "میتوانید"), ("fa", "می‌توانید"),
]


async def _search(http, **params) -> dict:
    response = await http.get("/api/v1/library/search", params=params)
    assert response.status_code == 200, response.text
    return response.json()


def _unmarked(html: str) -> str:
    return re.sub(r"</?mark>", "", html)


async def _ids(app, document) -> dict[str, int]:
    await exchange.load(None, document, publish=True)
    from network.library.models import EntryText

    return {t.title: t.entry_id for t in await EntryText.all()}


@both_databases
async def test_every_language_is_found_by_its_words_with_and_without_diacritics(app, client, database_url):
    titles = await _ids(app, LIBRARY)
    by_ref = {entry["ref"]: titles[entry["texts"][0]["title"]] for entry in LIBRARY["entries"]}
    missing = []
    for ref, words in FOUND:
        found = await _search(client, q=words)
        if by_ref[ref] not in [r["entry_id"] for r in found["results"]]:
            missing.append((ref, words))
    assert missing == []
    # A word that is in none of them finds none.
    assert (await _search(client, q="hospital"))["total"] == 0


@both_databases
async def test_the_words_found_are_marked_as_they_are_written(app, client, database_url):
    await _ids(app, LIBRARY)
    result = (await _search(client, q="reparations echelle"))["results"][0]
    assert "<mark>réparations</mark>" in result["title"]
    assert "<mark>échelle</mark>" in result["snippet"]
    arabic = (await _search(client, q="مساعدة"))["results"][0]
    assert "<mark>مُسَاعَدَة</mark>" in arabic["snippet"]
    assert result["language"] == "French" and result["locale"] == "fr"


@both_databases
async def test_filters_combine(app, client, database_url):
    document = {"format": exchange.FORMAT, "entries": [
        _entry("a", "en", "Water point safety", "Safety at the water point.", countries=["KE"],
               topics=["safety", "health"], audiences=["survivors"], kind="tool",
               more=[{"locale": "en", "level": "easy", "title": "Safe at the water point", "body": "Go together."}]),
        _entry("b", "en", "Water rights in court", "Safety in court.", countries=["UA"], topics=["justice", "safety"],
               audiences=["practitioners"], kind="guide"),
        _entry("c", "en", "Water and health everywhere", "Safety for everyone.", topics=["health"],
               audiences=["survivors", "policymakers"], kind="guide"),
        _entry("d", "uk", "Вода і безпека", "Безпека біля води.", countries=["UA"], topics=["safety"]),
    ]}
    titles = await _ids(app, document)

    async def found(**params):
        return sorted(_unmarked(r["title"]) for r in (await _search(client, **params))["results"])

    assert await found(country="KE") == ["Safe at the water point", "Water and health everywhere", "Water point safety"]
    assert await found(country="ke", topic="safety") == ["Safe at the water point", "Water point safety"]
    assert await found(country="KE", topic="safety", level="easy") == ["Safe at the water point"]
    assert await found(q="water", audience="practitioners") == ["Water rights in court"]
    assert await found(q="water", kind="guide", topic="health") == ["Water and health everywhere"]
    assert await found(country="UA", language="uk") == ["Вода і безпека"]
    assert await found(q="safety", country="UA", topic="justice", audience="practitioners", kind="guide",
                       language="en", level="full") == ["Water rights in court"]
    assert await found(q="water", country="AF", topic="justice") == []
    assert len(titles) == 5


@both_databases
async def test_the_readers_language_comes_first_and_each_result_says_its_language(app, database_url):
    document = {"format": exchange.FORMAT, "entries": [
        _entry("en", "en", "Resolution 2467 explained", "What resolution 2467 asks of States."),
        _entry("fr", "fr", "La résolution 2467 expliquée", "Ce que la résolution 2467 demande aux États."),
    ]}
    await _ids(app, document)
    for locale, first in (("fr", "fr"), ("en", "en"), ("sw", None)):
        member = await make_member(app)
        async with signed_in(app, member) as http:
            if locale != "en":
                await http.patch("/api/v1/me", json={"locale": locale})
            results = (await _search(http, q="2467"))["results"]
        assert len(results) == 2
        if first:
            assert results[0]["locale"] == first and results[0]["own_language"] is True
            assert results[1]["own_language"] is False
        assert {r["locale"] for r in results} == {"en", "fr"}


@both_databases
async def test_members_only_entries_reach_members_only(app, client, database_url):
    document = {"format": exchange.FORMAT, "entries": [
        _entry("open", "en", "Safe shelter rules", "Everyone may read this."),
        _entry("closed", "en", "Shelter intake steps", "Members only.", visibility="members"),
    ]}
    titles = await _ids(app, document)
    assert [_unmarked(r["title"]) for r in (await _search(client, q="shelter"))["results"]] == ["Safe shelter rules"]
    closed = titles["Shelter intake steps"]
    assert (await client.get(f"/api/v1/library/entries/{closed}")).status_code == 404
    assert (await client.get(f"/library/entries/{closed}")).status_code == 404
    assert "Shelter intake" not in (await client.get("/library?q=shelter")).text
    async with signed_in(app, await make_member(app)) as http:
        assert sorted(_unmarked(r["title"]) for r in (await _search(http, q="shelter"))["results"]) == \
            ["Safe shelter rules", "Shelter intake steps"]
        assert (await http.get(f"/library/entries/{closed}")).status_code == 200


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
async def test_postgres_finds_near_spellings_where_no_configuration_stems_the_language(app, client, database_url):
    """Swahili, Ukrainian and Dari have no PostgreSQL configuration: trigrams find a near spelling."""
    await _ids(app, LIBRARY)
    assert (await _search(client, q="kisherya"))["total"] == 1
    assert (await _search(client, q="постраждалого"))["total"] == 1


@both_databases
async def test_results_come_in_pages_with_a_total(app, client, database_url):
    document = {"format": exchange.FORMAT, "entries": [
        _entry(f"n{n}", "en", f"Guide number {n} on documentation", "Documentation basics.") for n in range(45)]}
    await _ids(app, document)
    pages = [await _search(client, q="documentation", page=n) for n in (1, 2, 3)]
    assert [p["total"] for p in pages] == [45, 45, 45]
    assert [len(p["results"]) for p in pages] == [20, 20, 5]
    assert len({r["entry_id"] for p in pages for r in p["results"]}) == 45
    bad = await client.get("/api/v1/library/search", params={"page": "0", "country": "Kenya"})
    assert bad.status_code == 422 and set(bad.json()["error"]["fields"]) == {"page", "country"}
