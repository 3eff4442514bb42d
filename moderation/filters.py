"""The filters every new message passes (plugged into messaging.hooks by network/app.py).

The identifying-details guard holds a message that seems to carry a phone number, an e-mail
address, a street address, coordinates or an ID-like number, and tells the sender why and how to
rephrase. Digits in any script count as digits: Arabic-Indic ٠١٢ and Persian ۰۱۲ included.
Watched words, per language, block, hold or flag.
"""

from __future__ import annotations

import re
import unicodedata

from messaging.hooks import ALLOW, Decision
from moderation.models import WatchedWord
from network.i18n import lazy as _l

GUARD_REASONS = {
    "phone": _l("Your message seems to contain a phone number. A moderator will look at it first. To share contact details safely, ask a moderator for help instead."),
    "email": _l("Your message seems to contain an e-mail address. A moderator will look at it first. Please leave out e-mail addresses."),
    "address": _l("Your message seems to contain an address. A moderator will look at it first. Try describing the place without its street or number."),
    "coordinates": _l("Your message seems to contain map coordinates. A moderator will look at it first. Please leave out exact locations."),
    "id_number": _l("Your message seems to contain an ID or card number. A moderator will look at it first. Please leave out document numbers."),
}
WORD_REASONS = {
    "block": _l("This message cannot be sent: it contains words that are not allowed here."),
    "hold": _l("A moderator will look at your message before others can see it."),
}

_STREET_WORDS = (
    r"street|st\.|road|rd\.|avenue|ave\.|lane|boulevard|blvd|"
    r"rue|chemin|allée|"
    r"calle|avenida|carrera|calzada|"
    r"вулиця|вул\.|проспект|провулок|"
    r"شارع|زقاق|خیابان|کوچه|جاده|"
    r"mtaa|barabara|njia"
)
_PATTERNS = [
    ("email", re.compile(r"[\w.+-]+\s*(?:@|\(at\)|\[at\])\s*[\w-]+(?:\s*\.\s*[\w-]+)+", re.I)),
    ("coordinates", re.compile(r"-?\d{1,2}[.,]\d{3,}\s*[,;/ ]\s*-?\d{1,3}[.,]\d{3,}|\d{1,3}\s*°\s*\d{1,2}\s*['′]")),
    ("address", re.compile(rf"\b\d{{1,5}}\s*,?\s*(?:{_STREET_WORDS})(?=\W|$)|(?:{_STREET_WORDS})\s+[^\d\n]{{0,40}}?\s*\d{{1,5}}\b", re.I)),
    ("id_number", re.compile(r"\b[A-Z]{1,3}\d{6,}\b")),
    ("phone", re.compile(r"(?:\+|\b00)?\d(?:[\s().-]*\d){6,}")),
]


def ascii_digits(text: str) -> str:
    """Every decimal digit, in any script, as 0-9; everything else as it was."""
    return "".join(str(unicodedata.digit(c)) if unicodedata.category(c) == "Nd" else c for c in text)


def identifying_details(text: str) -> str | None:
    """The kind of identifying detail the text seems to contain, or None."""
    normal = ascii_digits(unicodedata.normalize("NFKC", text))
    for kind, pattern in _PATTERNS:
        if pattern.search(normal):
            return kind
    return None


class WordList:
    """Watched words compiled into one pattern per language, rebuilt when the list changes."""

    def __init__(self) -> None:
        self._compiled: dict[str, list[tuple[str, re.Pattern]]] | None = None

    def invalidate(self) -> None:
        self._compiled = None

    async def load(self) -> dict:
        if self._compiled is None:
            grouped: dict[str, dict[str, list[str]]] = {}
            for word in await WatchedWord.all():
                grouped.setdefault(word.locale, {}).setdefault(word.action, []).append(word.word.casefold())
            self._compiled = {
                locale: [(action, re.compile(r"(?<!\w)(?:" + "|".join(
                    re.escape(w) for w in sorted(words, key=len, reverse=True)) + r")(?!\w)"))
                         for action, words in by_action.items()]
                for locale, by_action in grouped.items()}
        return self._compiled

    async def match(self, text: str, locales: set[str]) -> str | None:
        """The strictest action of any watched word in the text: block, then hold, then flag."""
        compiled = await self.load()
        folded = unicodedata.normalize("NFKC", text).casefold()
        found = set()
        for locale in locales:
            for action, pattern in compiled.get(locale, ()):
                if pattern.search(folded):
                    found.add(action)
        for action in ("block", "hold", "flag"):
            if action in found:
                return action
        return None


words = WordList()
# Called when a watched word flags a message: creates a report for the queue (set by service.py).
on_flag = None


async def guard(member, room, body: str, content_warning: str) -> Decision:
    kind = identifying_details(f"{body}\n{content_warning}")
    if kind:
        return Decision("hold", GUARD_REASONS[kind], "identifying_details")
    return ALLOW


async def watched(member, room, body: str, content_warning: str) -> Decision:
    locales = {room.language, getattr(member, "locale", None) or room.language}
    action = await words.match(f"{body}\n{content_warning}", locales)
    if action in ("block", "hold"):
        return Decision("reject" if action == "block" else "hold", WORD_REASONS[action], "watched_word")
    if action == "flag" and on_flag is not None:
        await on_flag(member, room, body)
    return ALLOW
