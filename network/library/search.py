"""Library search: one query interface over the database's own full-text engine.

SQLite: an FTS5 table over folded text (network.library.folding), ranked by bm25, title words
weighing more. PostgreSQL: a tsvector per text built with its language's configuration where
PostgreSQL has one (English, French, Spanish, Arabic), else `simple`, with trigram matching for
those languages (Ukrainian, Swahili, Dari): each word searched for also finds the indexed words
whose trigrams are near it, so near spellings are found too. Both index the same
rows: the newest published text of each language and reading level of every entry in the library,
with its filters as tags, and both answer the same question the same way: the matching texts, the
reader's language first, then the best ranked, with how many there are.

The index holds only what every reader of a row may see: filters for members-only entries are
tags like the others, and the caller says whether the reader is a member.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tortoise import connections

from network.library.folding import fold, words

# PostgreSQL's own configurations for the shipped languages; the others are `simple` and trigrams.
PG_CONFIGS = {"en": "english", "fr": "french", "es": "spanish", "ar": "arabic"}
SIMPLE = "simple"
MOST_WORDS = 8
LONGEST_WORD = 40
ANY_COUNTRY = "all"  # an entry for no country in particular is for every country

SQLITE_INDEX = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS library_search USING fts5("
    "title, body, tags, entry_id UNINDEXED, locale UNINDEXED, tokenize = 'unicode61 remove_diacritics 2')",
)
POSTGRES_INDEX = (
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE TABLE IF NOT EXISTS library_search (text_id INT PRIMARY KEY REFERENCES library_text (id) "
    "ON DELETE CASCADE, entry_id INT NOT NULL, locale VARCHAR(8) NOT NULL, config REGCONFIG NOT NULL, "
    "tsv TSVECTOR NOT NULL, tags TEXT[] NOT NULL)",
    "CREATE INDEX IF NOT EXISTS library_search_tsv ON library_search USING GIN (tsv)",
    "CREATE INDEX IF NOT EXISTS library_search_tags ON library_search USING GIN (tags)",
    "CREATE INDEX IF NOT EXISTS library_search_entry ON library_search (entry_id)",
    # The words of the languages without a configuration, matched by their trigrams: a near spelling
    # is found as the words it is near, which the tsvector then finds (short words, so it is quick).
    "CREATE TABLE IF NOT EXISTS library_words (word TEXT PRIMARY KEY)",
    "CREATE INDEX IF NOT EXISTS library_words_trgm ON library_words USING GIN (word gin_trgm_ops)",
)
NEAR_WORDS = 5  # near spellings tried for each word searched for
SHORTEST_NEAR = 4  # shorter words are only found as written: their trigrams say little


async def create_index(client) -> None:
    """The index's table: run by the library's migration (and by tests on a generated schema)."""
    for statement in POSTGRES_INDEX if _postgres(client) else SQLITE_INDEX:
        await client.execute_script(statement)


def _postgres(client) -> bool:
    return client.capabilities.dialect == "postgres"


@dataclass(frozen=True)
class Filters:
    country: str | None = None
    topic: str | None = None
    audience: str | None = None
    language: str | None = None
    level: str | None = None
    kind: str | None = None


@dataclass
class Found:
    """One page of results: the texts' ids in order, and how many match in all."""

    text_ids: list[int] = field(default_factory=list)
    total: int = 0
    terms: list[str] = field(default_factory=list)


def tag(name: str, value: str) -> str:
    # Letters only: both engines keep such a word whole.
    return name + "".join(ch for ch in value.lower() if ch.isalnum())


def tags_of(entry, locale: str, level: str) -> list[str]:
    countries = entry.countries or [ANY_COUNTRY]
    return ["all", tag("lang", locale), tag("level", level), tag("kind", entry.kind), tag("vis", entry.visibility),
            *(tag("country", c) for c in countries), *(tag("topic", t) for t in entry.topics),
            *(tag("aud", a) for a in entry.audiences)]


def _wanted(filters: Filters, members: bool) -> list[list[str]]:
    """Every group must match one of its tags."""
    groups = [["all"]] if members else [[tag("vis", "public")]]
    if filters.country:
        groups.append([tag("country", filters.country), tag("country", ANY_COUNTRY)])
    for name, value in (("topic", filters.topic), ("aud", filters.audience), ("lang", filters.language),
                        ("level", filters.level), ("kind", filters.kind)):
        if value:
            groups.append([tag(name, value)])
    return groups


def terms_of(query: str) -> list[str]:
    return [w[:LONGEST_WORD] for w in words(query)][:MOST_WORDS]


async def reindex(entry, texts, connection=None) -> None:
    """The entry's rows in the index, as `texts` (what readers see of it now; none to take it out)."""
    client = connection or connections.get("default")
    if _postgres(client):
        await client.execute_query("DELETE FROM library_search WHERE entry_id = $1", [entry.id])
    else:  # by rowid, the texts' ids: FTS5 finds a row by its rowid, not by an unindexed column
        await client.execute_query("DELETE FROM library_search WHERE rowid IN (SELECT id FROM library_text "
                                   "WHERE entry_id = ?)", [entry.id])
    for text in texts:
        title, body = fold(text.title), fold(f"{text.summary}\n{text.body}")
        tags = tags_of(entry, text.locale, text.level)
        if _postgres(client):
            config = PG_CONFIGS.get(text.locale, SIMPLE)
            await client.execute_query(
                "INSERT INTO library_search (text_id, entry_id, locale, config, tsv, tags) VALUES "
                "($1, $2, $3, $4::regconfig, setweight(to_tsvector($4::regconfig, $5), 'A') || "
                "setweight(to_tsvector($4::regconfig, $6), 'B'), $7::text[])",
                [text.id, entry.id, text.locale, config, title, body, tags])
            if config == SIMPLE:
                known = sorted({w for w in words(f"{title} {body}") if len(w) >= SHORTEST_NEAR})
                await client.execute_query("INSERT INTO library_words (word) SELECT unnest($1::text[]) "
                                           "ON CONFLICT DO NOTHING", [known])
        else:
            await client.execute_query(
                "INSERT INTO library_search (rowid, title, body, tags, entry_id, locale) VALUES (?, ?, ?, ?, ?, ?)",
                [text.id, title, body, " ".join(tags), entry.id, text.locale])


async def forget_removed(connection=None) -> None:
    """After an entry leaves the library (archived, perhaps because it named someone): no word of it
    stays in the index. PostgreSQL's list of words is made again from what is indexed; SQLite's
    FTS5 index is merged, which drops what deleted rows left in its segments."""
    client = connection or connections.get("default")
    if _postgres(client):
        await client.execute_script("DELETE FROM library_words")
        await client.execute_query(
            "INSERT INTO library_words (word) SELECT word FROM ts_stat('SELECT tsv FROM library_search "
            f"WHERE config = ''{SIMPLE}''::regconfig') WHERE length(word) >= {SHORTEST_NEAR} ON CONFLICT DO NOTHING")
    else:
        await client.execute_script("INSERT INTO library_search (library_search) VALUES ('optimize')")


async def search(query: str, filters: Filters, locale: str, members: bool, limit: int, offset: int) -> Found:
    """The texts that match every word (as a word or the start of one) and every filter."""
    client = connections.get("default")
    terms = terms_of(query)
    run = _postgres_search if _postgres(client) else _sqlite_search
    rows = await run(client, terms, _wanted(filters, members), locale, limit, offset)
    total = rows[0]["total"] if rows else 0
    return Found([r["text_id"] for r in rows], total, terms)


async def _sqlite_search(client, terms, groups, locale, limit, offset):
    parts = ["tags : (" + " OR ".join(group) + ")" for group in groups]
    if terms:
        parts.insert(0, "{title body} : (" + " AND ".join(f'"{t}"*' for t in terms) + ")")
    # bm25 (lower is better) is only computed where the match is; the count is taken around it.
    score = "bm25(library_search, 4.0, 1.0, 0.0)" if terms else "0"
    return await client.execute_query_dict(
        f"SELECT text_id, count(*) OVER () AS total FROM (SELECT rowid AS text_id, "
        f"locale, {score} AS score FROM library_search WHERE library_search MATCH ?) "
        f"ORDER BY locale = ? DESC, score, text_id DESC LIMIT ? OFFSET ?",
        [" AND ".join(parts), locale, limit, offset])


async def _near(client, terms: list[str]) -> dict[str, list[str]]:
    long_enough = [t for t in terms if len(t) >= SHORTEST_NEAR]
    if not long_enough:
        return {}
    rows = await client.execute_query_dict(
        "SELECT t.term, w.word FROM unnest($1::text[]) AS t(term) CROSS JOIN LATERAL (SELECT word FROM library_words "
        f"WHERE word % t.term AND word <> t.term ORDER BY similarity(word, t.term) DESC LIMIT {NEAR_WORDS}) AS w",
        [long_enough])
    near: dict[str, list[str]] = {}
    for row in rows:
        near.setdefault(row["term"], []).append(row["word"])
    return near


async def _postgres_search(client, terms, groups, locale, limit, offset):
    values: list = [locale, limit, offset]

    def param(value) -> str:
        values.append(value)
        return f"${len(values)}"

    # Every reader may see every row ("all"): that group filters nothing, and would only mislead the planner.
    where = [f"tags && {param(group)}::text[]" for group in groups if group != ["all"]]
    rank = ""
    if terms:
        near = await _near(client, terms)
        stemmed = param(" & ".join(f"{t}:*" for t in terms))
        spelled = param(" & ".join("(" + " | ".join([f"{t}:*", *near.get(t, [])]) + ")" for t in terms))
        matches = [f"(config = '{config}'::regconfig AND tsv @@ to_tsquery('{config}', {stemmed}))"
                   for config in PG_CONFIGS.values()]
        matches.append(f"(config = '{SIMPLE}'::regconfig AND tsv @@ to_tsquery('{SIMPLE}', {spelled}))")
        where.append("(" + " OR ".join(matches) + ")")
        rank = (f"CASE WHEN config = '{SIMPLE}'::regconfig THEN ts_rank(tsv, to_tsquery('{SIMPLE}', {spelled})) "
                f"ELSE ts_rank(tsv, to_tsquery(config, {stemmed})) END DESC, ")
    return await client.execute_query_dict(
        f"SELECT text_id, count(*) OVER () AS total FROM library_search "
        f"WHERE {' AND '.join(where) or 'TRUE'} ORDER BY locale = $1 DESC, {rank}text_id DESC LIMIT $2 OFFSET $3",
        values)
