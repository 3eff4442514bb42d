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
# Look-alikes of the scripts the product ships (Latin, Cyrillic, Arabic and Persian) that the
# homoglyph data leaves apart. Single characters: one class each.
EXTRA_CHARACTERS = (
    "0oO",                       # digit zero and the letter o, in either case
    "\u064a\u06cc\u0649",        # Arabic yeh, Persian (Farsi) yeh, alef maksura: a final yeh has no dots
    "\u0643\u06a9\u06aa",        # Arabic kaf, keheh (the Persian kaf), swash kaf
    "\u0647\u06d5\u06c1",        # heh, ae, heh goal
    # Persian digits and Arabic-Indic digits: the same ten digits.
    *(chr(0x06F0 + n) + chr(0x0660 + n) for n in range(10)),
)
# Sequences of several characters that read as one (or as another sequence).
EXTRA_SEQUENCES = (("rn", "m"), ("vv", "w"), ("cl", "d"))
# Rounds of sequence folding at most: folding ends long before (names are ASCII or shorter), and a
# fixed bound keeps the skeleton the same whatever the data holds.
_ROUNDS = 8


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
def _pairs() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The homoglyph data as (single, single) and (sequence, sequence) pairs, direction marks removed."""
    data_path = Path(confusable_homoglyphs.__file__).parent / "confusables.json"
    data = json.loads(data_path.read_text(encoding="utf-8"))
    singles, sequences = [], []
    for char, glyphs in sorted(data.items()):
        char = char.translate(_MARKS)
        for glyph in glyphs:
            other = glyph["c"].translate(_MARKS)
            if len(char) == 1 and len(other) == 1:
                singles.append((char, other))
            elif char and other:
                sequences.append((char, other))
    return singles, sequences


def _find(parent: dict[str, str], c: str) -> str:
    parent.setdefault(c, c)
    while parent[c] != c:
        parent[c] = parent[parent[c]]
        c = parent[c]
    return c


@lru_cache(maxsize=1)
def _representatives() -> dict[str, str]:
    """Each character's class of look-alikes, named by its smallest member (ASCII when there is one)."""
    singles, _ = _pairs()
    extra = [(chars[0], other) for chars in EXTRA_CHARACTERS for other in chars[1:]]
    parent: dict[str, str] = {}
    for char, other in singles + extra:
        a, b = _find(parent, char), _find(parent, other)
        if a != b:
            parent[max(a, b)] = min(a, b)
    return {c: _find(parent, c) for c in parent}


def _characters(pseudonym: str) -> str:
    """The single-character skeleton: every character by its class, without marks and separators."""
    reps = _representatives()
    out = []
    # Case is kept until each letter is mapped: "I" looks like "l", while "i" does not.
    for char in unicodedata.normalize("NFKD", normalise(pseudonym)):
        if char in SEPARATORS or unicodedata.category(char) == "Mn":
            continue
        rep = reps.get(char, char)
        out.append(reps.get(rep.casefold(), rep.casefold()))
    return "".join(out)


def _readable(text: str) -> bool:
    """Letters and digits only: what a pseudonym can hold and the skeleton keeps. Pairs of the data
    that need a mark (Arabic letters told apart by their dots, written as marks there) or a sign
    (an apostrophe) are left out: the skeleton drops marks, so they would fold letters together
    that a reader tells apart (seen and sheen)."""
    return all(unicodedata.category(c)[0] == "L" or unicodedata.category(c) == "Nd" for c in text)


def _rank(text: str) -> tuple:
    # A class of look-alike sequences is named by its ASCII member when it has one (so "æ" becomes
    # "ae" rather than "ae" becoming "æ"), then by its shortest ("rn" becomes "m"), then the smallest.
    return (not text.isascii(), len(text), text)


@lru_cache(maxsize=1)
def _sequences() -> tuple[dict[str, str], int]:
    """Folding rules over single-character skeletons (each look-alike sequence -> its class's name),
    and the length of the longest sequence that has a rule."""
    _, sequences = _pairs()
    parent: dict[str, str] = {}
    for a, b in [*sequences, *EXTRA_SEQUENCES]:
        if not (_readable(a) and _readable(b)):
            continue
        a, b = _characters(a), _characters(b)
        if not a or not b or a == b:
            continue
        ra, rb = _find(parent, a), _find(parent, b)
        if ra != rb:
            if _rank(ra) < _rank(rb):
                ra, rb = rb, ra
            parent[ra] = rb  # the better name wins
    rules = {text: _find(parent, text) for text in parent}
    rules = {text: name for text, name in rules.items() if text != name}
    return rules, max(map(len, rules), default=0)


def _fold_once(text: str, rules: dict[str, str], longest: int) -> str:
    """One left-to-right pass: at each place the longest sequence that has a rule is replaced."""
    out, i = [], 0
    while i < len(text):
        for size in range(min(longest, len(text) - i), 0, -1):
            name = rules.get(text[i:i + size])
            if name is not None:
                out.append(name)
                i += size
                break
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def _fold(text: str) -> str:
    rules, longest = _sequences()
    for _ in range(_ROUNDS):
        folded = _fold_once(text, rules, longest)
        if folded == text:
            break
        text = folded
    return text


def skeleton(pseudonym: str) -> str:
    """Two pseudonyms that a reader could mistake for each other have the same skeleton: each
    character by its class of look-alikes (case, marks and separators aside), then look-alike
    sequences ("rn" and "m", "vv" and "w", "cl" and "d", "ы" and "bl") folded to one name, the
    longest first, again and again until nothing changes."""
    return _fold(_characters(pseudonym))
