"""Keyed digests and random codes: what is stored of invitation codes, recovery codes and session ids."""

from __future__ import annotations

import hashlib
import hmac
import secrets

# Crockford's base32 without I, L, O, U: codes are read aloud and typed on phones.
_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def digest(secret_key: str, purpose: str, value: str) -> str:
    """HMAC-SHA256 of value, separated by purpose, so one digest is useless for another."""
    key = hashlib.sha256(f"{purpose}:{secret_key}".encode()).digest()
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()


def new_code(groups: int = 4, size: int = 4) -> str:
    """A human-typable code, e.g. 7K2M-QX9D-...: 20 random bits per group of four."""
    chars = [secrets.choice(_ALPHABET) for _ in range(groups * size)]
    return "-".join("".join(chars[i:i + size]) for i in range(0, len(chars), size))


def clean_code(raw: str) -> str:
    """What a member typed, in the canonical form of new_code (case, spaces and dashes forgiven)."""
    text = "".join(ch for ch in (raw or "").upper() if ch.isalnum())
    text = text.translate(str.maketrans({"I": "1", "L": "1", "O": "0"}))
    return "-".join(text[i:i + 4] for i in range(0, len(text), 4))


def new_token() -> str:
    return secrets.token_urlsafe(32)  # 256 bits


def same(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())


ID_RANGE = 2**31 - 2  # what an IntField holds


def random_id() -> int:
    """An id that tells nothing of when its row was made (drawn, not counted)."""
    return secrets.randbelow(ID_RANGE) + 1
