"""One normaliser for everything a person types, applied at the edge (form fields, JSON bodies once
valid as sent, query strings and socket frames alike), so no text with a NUL, a control character,
a lone surrogate or a bidirectional override is ever stored, shown or sent to the database.

Each such character becomes U+FFFD (the replacement character): a reader sees that something was
there, and a text keeps its length, so what was valid as sent stays valid. Newlines are kept (as
\\n); `one_line` folds them for names. Joiners and marks that scripts need (ZWNJ and ZWJ in Dari
and Arabic, RLM and LRM) stay.
"""

from __future__ import annotations

import unicodedata

# Embeddings, overrides and isolates reorder what follows them: a reader sees other text than
# what was written (Trojan Source); BOM and the like are invisible noise.
_REORDERING = dict.fromkeys(map(ord, "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff\u206a\u206b"
                                     "\u206c\u206d\u206e\u206f"), "\ufffd")
_KEPT_CONTROLS = {"\n", "\t"}


def clean(value: str) -> str:
    """NFC, \\r\\n and other line breaks as \\n, tabs as spaces; any other control character, lone
    surrogate or character that reorders text as U+FFFD."""
    if value.isascii() and value.isprintable():
        return value  # the common case, and nothing to do
    text = value.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    text = text.translate(_REORDERING)
    text = "".join(ch if ch in _KEPT_CONTROLS or unicodedata.category(ch) not in ("Cc", "Cs") else "\ufffd"
                   for ch in text)
    return unicodedata.normalize("NFC", text.replace("\t", " "))


def one_line(value: str) -> str:
    """A name or a title: one line, single spaces, nothing at either end."""
    return " ".join(clean(value).split())


def clean_all(data):
    """Every string in decoded JSON (keys included) cleaned, without recursion: a body may be deep."""
    if isinstance(data, str):
        return clean(data)
    if not isinstance(data, (dict, list)):
        return data
    root = [data]
    stack = [(root, 0)]
    while stack:
        container, key = stack.pop()
        value = container[key]
        if isinstance(value, str):
            container[key] = clean(value)
        elif isinstance(value, list):
            stack.extend((value, n) for n in range(len(value)))
        elif isinstance(value, dict):
            cleaned = {clean(k) if isinstance(k, str) else k: v for k, v in value.items()}
            container[key] = cleaned
            stack.extend((cleaned, k) for k in cleaned)
    return root[0]
