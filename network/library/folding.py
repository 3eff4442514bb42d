"""How library text is compared when searching: one folding for what is indexed and what is asked.

Folded text is lower case, without diacritics (é is e, ñ is n, ї is і), with Arabic and Persian
letter variants made one (ي ى ی are one yeh, ك ک one kaf, أ إ آ ٱ one alef, ة is ه), without
harakat and tatweel, with Eastern Arabic and Persian digits as 0-9, and with the zero-width
non-joiner that Persian writes inside words taken out, so a word typed with or without it is found.
"""

from __future__ import annotations

import re
import unicodedata

_LETTERS = str.maketrans({
    "\u0649": "\u064a", "\u06cc": "\u064a", "\u06d0": "\u064a",  # alef maksura, Persian yeh -> yeh
    "\u06a9": "\u0643", "\u06aa": "\u0643",                      # Persian kaf -> kaf
    "\u0629": "\u0647", "\u06c0": "\u0647", "\u06d5": "\u0647",  # teh marbuta, heh with yeh -> heh
    "\u0671": "\u0627",                                          # alef wasla -> alef
    "\u0640": None, "\u200c": None, "\u200d": None,              # tatweel, ZWNJ, ZWJ
    **{chr(0x0660 + n): str(n) for n in range(10)}, **{chr(0x06f0 + n): str(n) for n in range(10)},
    "ß": "ss", "ø": "o", "đ": "d", "ł": "l", "æ": "ae", "œ": "oe",
})
# A word is letters and digits: what SQLite's unicode61 tokenizer and PostgreSQL's parser both keep.
WORD = re.compile(r"[^\W_]+")


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", (text or "").casefold())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", stripped.translate(_LETTERS))


def words(text: str) -> list[str]:
    """The folded words of a text, in order."""
    return WORD.findall(fold(text))
