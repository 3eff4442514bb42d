"""What the library's pages and API show, in the reader's language: result cards with highlighted
snippets, entries, services (how to reach one as rules.reach says) and commitments."""

from __future__ import annotations

import re
from functools import lru_cache

from markupsafe import Markup, escape

from network.core.i18n import babel_locale
from network.core.markdown import markdown
from network.library import directory
from network.library.folding import fold
from network.library.rules import reach
from network.members.labels import region_label

SNIPPET_WORDS = 28
# A word as written: letters and digits with the marks, joiners and tatweel inside it (harakat, ZWNJ).
_PIECES = re.compile(r"((?:[^\W_]|[\u0300-\u036f\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640\u200c\u200d])+)")
_MARKUP = re.compile(r"!?\[([^\]]*)\]\([^)]*\)|[#*_`>|~]+")


def plain(text: str) -> str:
    """Markdown as the words a reader sees: link texts kept, markup dropped, one line."""
    return " ".join(_MARKUP.sub(lambda m: m.group(1) or " ", text or "").split())


@lru_cache(maxsize=50000)
def _folded(word: str) -> str:
    return fold(word)


def _matches(word: str, terms: list[str]) -> bool:
    folded = _folded(word)
    return any(folded.startswith(term) for term in terms)


def highlight(text: str, terms: list[str], window: int | None = None) -> Markup:
    """The text (or `window` words of it around the first match) with every matching word marked.
    Matching is on folded words, so a query without diacritics marks the word as it is written."""
    pieces = _PIECES.split(text or "")  # words at odd places
    lead = tail = ""
    if window is not None and len(pieces) > 2 * window + 1:
        first = next((n for n in range(1, len(pieces), 2) if _matches(pieces[n], terms)), 1) if terms else 1
        start = max(1, first - 2 * (window // 3))
        end = min(len(pieces) - 1, start + 2 * window - 1)
        lead, tail = ("… " if start > 1 else ""), (" …" if end < len(pieces) - 2 else "")
        pieces = ["", *pieces[start:end]]
    out, plain_run = [escape(lead)], []
    for n, piece in enumerate(pieces):
        if n % 2 and terms and _matches(piece, terms):
            out += [escape("".join(plain_run)), Markup("<mark>%s</mark>") % piece]
            plain_run = []
        else:
            plain_run.append(piece)
    out += [escape("".join(plain_run)), escape(tail)]
    return Markup("").join(out)


def language_name(code: str, locale: str) -> str:
    return babel_locale(locale).languages.get(code, code)


def country_names(codes: list[str], locale: str) -> list[str]:
    return [region_label(code, locale) for code in codes]


def result(text, entry, terms: list[str], locale: str) -> dict:
    return {"entry_id": entry.id, "text_id": text.id, "title": highlight(text.title, terms),
            "snippet": highlight(plain(f"{text.summary} {text.body}"), terms, SNIPPET_WORDS),
            "locale": text.locale, "language": language_name(text.locale, locale), "level": text.level,
            "kind": entry.kind, "visibility": entry.visibility, "topics": entry.topics,
            "countries": country_names(entry.countries, locale), "own_language": text.locale == locale}


def choose_text(texts: list, locale: str, level: str | None = None, wanted: str | None = None):
    """The text a reader opens: the language and level asked for, else the reader's language, else the
    entry's first; within a language the full version unless the easy read is asked for."""
    def rank(text):
        return (text.locale != (wanted or locale), text.locale != locale, text.level != (level or "full"))
    return min(texts, key=rank) if texts else None


def entry_view(entry, text, texts: list, locale: str, proposed_for=None) -> dict:
    """`proposed_for`: the organisation in whose name it was proposed, shown with it."""
    return {"id": entry.id, "kind": entry.kind, "audiences": entry.audiences,
            "proposed_for": proposed_for.name if proposed_for is not None else None,
            "countries": country_names(entry.countries, locale), "regions": entry.regions, "topics": entry.topics,
            "source": entry.source, "published_on": entry.published_on, "licence": entry.licence,
            "visibility": entry.visibility, "title": text.title, "summary": text.summary,
            "body": markdown(text.body), "locale": text.locale, "level": text.level, "revision": text.revision,
            "versions": [{"locale": t.locale, "level": t.level, "language": language_name(t.locale, locale),
                          "current": t.id == text.id} for t in texts]}


def entry_json(entry, texts: list, proposed_for=None) -> dict:
    return {"id": entry.id, "kind": entry.kind, "audiences": entry.audiences, "countries": entry.countries,
            "proposed_for": {"id": proposed_for.id, "name": proposed_for.name} if proposed_for is not None else None,
            "regions": entry.regions, "topics": entry.topics, "source": entry.source,
            "published_on": entry.published_on.isoformat() if entry.published_on else None,
            "licence": entry.licence, "visibility": entry.visibility,
            "texts": [{"locale": t.locale, "level": t.level, "revision": t.revision, "title": t.title,
                       "summary": t.summary, "body": t.body} for t in texts]}


def service_view(service, member, locale: str) -> dict:
    """A service as its reader may see it: how to reach it only for the community (rules.reach)."""
    view = {"id": service.id, "kind": service.kind, "name": service.name, "country": service.country,
            "country_name": country_names([service.country], locale)[0], "region": service.region,
            "languages": service.languages, "language_names": [language_name(c, locale) for c in service.languages],
            "hours": service.hours, "cost": service.cost, "summary": service.summary, "website": service.website,
            "visibility": service.visibility,
            "last_verified": service.last_verified.isoformat() if service.last_verified else None,
            "out_of_date": directory.out_of_date(service)}
    shown = reach(member)
    if shown == "shown":
        view.update({name: getattr(service, name) for name in directory.SENSITIVE})
    elif shown == "blank":
        view.update({name: None if name == "call_logged" else "" for name in directory.SENSITIVE})
    view["reach"] = shown
    return view


def commitment_view(commitment, linked: dict, locale: str) -> dict:
    return {"id": commitment.id, "country": commitment.country,
            "country_name": country_names([commitment.country], locale)[0], "instrument": commitment.instrument,
            "made_on": commitment.made_on.isoformat() if commitment.made_on else None,
            "promise": commitment.promise, "carried_by": commitment.carried_by, "status": commitment.status,
            "entries": [linked[i].id for i in commitment.entry_ids if i in linked]}
