"""The filters every new message passes (added to the registry by moderation's setup()).

The identifying-details guard holds a message that seems to carry a phone number, an e-mail
address, a street address, coordinates or an ID-like number, and tells the sender why and how to
rephrase. Digits in any script count as digits: Arabic-Indic ٠١٢ and Persian ۰۱۲ included.
Watched words, per language, block, hold or flag.
"""

from __future__ import annotations

import re
import secrets
import unicodedata

from messaging.hooks import ALLOW, Decision
from moderation.models import WatchedWord
from network.core.i18n import lazy as _l

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


WORDS_VERSION = "moderation:words-version"
YEAR = 365 * 24 * 3600


async def words_changed(rt) -> None:
    """Every app's word list reloads at its next message: the version lives in the shared counters
    (Redis when configured), so a word added on one worker applies on all of them."""
    await rt.counters.set(WORDS_VERSION, secrets.randbits(62), YEAR)


class WordList:
    """Watched words compiled into one pattern per language, rebuilt when the list changes."""

    def __init__(self) -> None:
        self._compiled: dict[str, list[tuple[str, re.Pattern]]] | None = None
        self._version: int | None = None

    async def load(self, rt) -> dict:
        version = await rt.counters.get(WORDS_VERSION)
        if self._compiled is None or version != self._version:
            self._version = version
            grouped: dict[str, dict[str, list[str]]] = {}
            for word in await WatchedWord.all():
                grouped.setdefault(word.locale, {}).setdefault(word.action, []).append(word.word.casefold())
            self._compiled = {
                locale: [(action, re.compile(r"(?<!\w)(?:" + "|".join(
                    re.escape(w) for w in sorted(words, key=len, reverse=True)) + r")(?!\w)"))
                         for action, words in by_action.items()]
                for locale, by_action in grouped.items()}
        return self._compiled

    async def match(self, rt, text: str, locales: set[str]) -> str | None:
        """The strictest action of any watched word in the text: block, then hold, then flag."""
        compiled = await self.load(rt)
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


async def guard(rt, member, room, body: str, content_warning: str) -> Decision:
    kind = identifying_details(f"{body}\n{content_warning}")
    if kind:
        return Decision("hold", GUARD_REASONS[kind], "identifying_details")
    return ALLOW


class Watched:
    """The watched-words filter of one app: its own compiled list, and what a "flag" word does."""

    def __init__(self, on_flag) -> None:
        self.words = WordList()
        self.on_flag = on_flag

    async def __call__(self, rt, member, room, body: str, content_warning: str) -> Decision:
        locales = {room.language, getattr(member, "locale", None) or room.language}
        action = await self.words.match(rt, f"{body}\n{content_warning}", locales)
        if action in ("block", "hold"):
            return Decision("reject" if action == "block" else "hold", WORD_REASONS[action], "watched_word")
        if action == "flag":
            return Decision(followups=(self.on_flag,))
        return ALLOW
