"""Encryption at rest: AES-GCM keyed by SURVNET_DATA_KEY, with the key's version beside each value.

A stored value reads `enc:1:<key version>:<base64 of nonce and ciphertext>`. The version is a short
fingerprint of the key, so after a rotation values under the previous key can still be read while
`survnet rotate-data-key` re-encrypts them. The field's purpose is bound in as associated data, so a
value copied into another column does not decrypt.
"""

from __future__ import annotations

import base64
import hashlib
import os
from typing import Any

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from tortoise.fields import TextField

PREFIX = "enc:1:"


class Keyring:
    def __init__(self, data_key: str, previous: list[str] | tuple[str, ...] = ()):
        self.current_version, current = self._derive(data_key)
        self.keys = {self.current_version: AESGCM(current)}
        for old in previous:
            version, key = self._derive(old)
            self.keys.setdefault(version, AESGCM(key))

    @staticmethod
    def _derive(secret: str) -> tuple[str, bytes]:
        key = hashlib.sha256(("survnet-data-key:" + secret).encode()).digest()
        return hashlib.sha256(b"version:" + key).hexdigest()[:8], key

    def encrypt(self, plaintext: str, purpose: str) -> str:
        nonce = os.urandom(12)
        sealed = self.keys[self.current_version].encrypt(nonce, plaintext.encode(), purpose.encode())
        return f"{PREFIX}{self.current_version}:{base64.b64encode(nonce + sealed).decode()}"

    def decrypt(self, stored: str, purpose: str) -> str:
        version, _, payload = stored[len(PREFIX):].partition(":")
        cipher = self.keys.get(version)
        if cipher is None:
            raise LookupError(f"no data key with version {version}; set SURVNET_PREVIOUS_DATA_KEYS")
        raw = base64.b64decode(payload)
        return cipher.decrypt(raw[:12], raw[12:], purpose.encode()).decode()


_keyring: Keyring | None = None


def configure(data_key: str, previous: list[str] | tuple[str, ...] = ()) -> Keyring:
    global _keyring
    _keyring = Keyring(data_key, previous)
    return _keyring


def keyring() -> Keyring:
    if _keyring is None:
        raise RuntimeError("network.core.crypto.configure() was not called")
    return _keyring


class EncryptedTextField(TextField):
    """Text kept encrypted in the database and plain in Python. Empty text stays empty."""

    def __init__(self, purpose: str, **kwargs: Any) -> None:
        self.purpose = purpose
        super().__init__(**kwargs)

    def to_db_value(self, value: Any, instance: Any) -> str | None:
        if value is None or value == "":
            return value
        if isinstance(value, str) and value.startswith(PREFIX):
            return value  # already sealed (re-saving a row read raw)
        return keyring().encrypt(str(value), self.purpose)

    def to_python_value(self, value: Any) -> str | None:
        if isinstance(value, str) and value.startswith(PREFIX):
            return keyring().decrypt(value, self.purpose)
        return value
