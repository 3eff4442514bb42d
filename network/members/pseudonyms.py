"""Pseudonyms: NFKC normalisation, the allowed characters, and a look-alike skeleton."""

from __future__ import annotations

import json
import unicodedata
from functools import lru_cache
from pathlib import Path

import confusable_homoglyphs
from confusable_homoglyphs import confusables

MIN_LENGTH, MAX_LENGTH = 3, 32
SEPARATORS = frozenset(" -_.")
# Zero-width and direction marks that the homoglyph data wraps around right-to-left letters.
_MARKS = dict.fromkeys(map(ord, "\u200e\u200f\u200b\u200c\u200d\u2060\ufeff"))


def normalise(raw: str) -> str:
    text = unicodedata.normalize("NFKC", raw or "")
    return " ".join(text.split())


def problem(pseudonym: str) -> str | None:
    """Why this (already normalised) pseudonym is not allowed, or None."""
    if not MIN_LENGTH <= len(pseudonym) <= MAX_LENGTH:
        return "length"
    for char in pseudonym:
        if char in SEPARATORS:
            continue
        category = unicodedata.category(char)
        # Letters (any script), combining marks that letters need in some scripts, and digits.
        if not (category.startswith("L") or category in {"Mn", "Mc", "Nd"}):
            return "characters"
    if not any(unicodedata.category(c).startswith("L") for c in pseudonym):
        return "characters"
    if confusables.is_dangerous(pseudonym):
        return "mixed_scripts"
    return None


def key(pseudonym: str) -> str:
    return normalise(pseudonym).casefold()


@lru_cache(maxsize=1)
def _representatives() -> dict[str, str]:
    """Each character's class of look-alikes, named by its smallest member (ASCII when there is one)."""
    data_path = Path(confusable_homoglyphs.__file__).parent / "confusables.json"
    data = json.loads(data_path.read_text(encoding="utf-8"))
    parent: dict[str, str] = {}

    def find(c: str) -> str:
        parent.setdefault(c, c)
        while parent[c] != c:
            parent[c] = parent[parent[c]]
            c = parent[c]
        return c

    for char, glyphs in data.items():
        char = char.translate(_MARKS)
        for glyph in glyphs:
            other = glyph["c"].translate(_MARKS)
            if len(char) == 1 and len(other) == 1:
                a, b = find(char), find(other)
                if a != b:
                    parent[max(a, b)] = min(a, b)
    return {c: find(c) for c in parent}


def skeleton(pseudonym: str) -> str:
    """Two pseudonyms that a reader could mistake for each other have the same skeleton."""
    reps = _representatives()
    out = []
    # Case is kept until each letter is mapped: "I" looks like "l", while "i" does not.
    for char in unicodedata.normalize("NFKD", normalise(pseudonym)):
        if char in SEPARATORS or unicodedata.category(char) == "Mn":
            continue
        rep = reps.get(char, char)
        out.append(reps.get(rep.casefold(), rep.casefold()))
    return "".join(out)
