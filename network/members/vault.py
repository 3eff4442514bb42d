"""What only the member can open: their participation key.

Each member has a random key from which the token of each of their participations is made (an
HMAC of the consultation), so answers are stored under tokens nobody else can compute. The key is
stored only wrapped (AES-GCM): under the key the member's passphrase opens (network.core.hashing)
and under the key each recovery code opens. At sign-in it is unwrapped into the server-side
session, sealed there under a key drawn from the session cookie, of which the server stores only
a hash. A copy of the database, even with every server secret, opens no key and so recomputes no
token. What a live, compromised server could still observe is in the README.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from network.core.hashing import split

KEY_BYTES = 32
TOKEN_PREFIX = "k1:"


def new_key() -> bytes:
    return secrets.token_bytes(KEY_BYTES)


def wrap(key: bytes, wrapping: bytes, bound_to: str) -> str:
    """The key sealed under `wrapping`; `bound_to` (the row it belongs to) must match to open it."""
    nonce = os.urandom(12)
    return base64.b64encode(nonce + AESGCM(wrapping).encrypt(nonce, key, bound_to.encode())).decode()


def unwrap(sealed: str | None, wrapping: bytes | None, bound_to: str) -> bytes | None:
    if not sealed or not wrapping:
        return None
    try:
        raw = base64.b64decode(sealed)
        return AESGCM(wrapping).decrypt(raw[:12], raw[12:], bound_to.encode())
    except (InvalidTag, ValueError):
        return None


def member_binding(member_id: int) -> str:
    return f"member:{member_id}"


def code_binding(member_id: int) -> str:
    return f"recovery:{member_id}"


def session_wrapping(cookie_token: str) -> bytes:
    """The key that seals the participation key in a session: only the cookie's holder can draw it."""
    return split(hashlib.sha256(b"session-vault:" + cookie_token.encode()).digest(), b"session vault")


def keyed_token(key: bytes, purpose: str, number: int) -> str:
    """A token only the key's holder can make, one per purpose and row: a participation, a follow,
    a support, the authorship of a proposal. The server holds no key that makes any of them."""
    digest = hmac.new(key, f"{purpose}:{number}".encode(), hashlib.sha256).digest()
    return TOKEN_PREFIX + base64.urlsafe_b64encode(digest).decode().rstrip("=")


def participation_token(key: bytes, consultation_id: int) -> str:
    return keyed_token(key, "participation", consultation_id)


def of_request(connection) -> bytes | None:
    """The signed-in member's participation key, opened from their session with their cookie."""
    state = connection.state
    cached = getattr(state, "participation_key", False)
    if cached is not False:
        return cached
    session, cookie = getattr(state, "session", None), getattr(state, "session_cookie", None)
    key = None
    if session is not None and session.member.role == "decoy":
        key = getattr(session.member, "decoy_key", None)  # its own, opened with its session (members.sessions)
    elif session is not None and cookie:
        key = unwrap(session.vault, session_wrapping(cookie), session.token_hash)
    state.participation_key = key
    return key
