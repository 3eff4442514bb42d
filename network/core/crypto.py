"""Encryption at rest: a field type whose every value is sealed to its own table, column and row.

A stored value reads `enc:2:<key version>:<base64 of nonce and ciphertext>`, sealed with AES-GCM
under SURVNET_DATA_KEY. The version is a short fingerprint of the key, so after a rotation values
under the previous key can still be read while `survnet rotate-data-key` re-seals them. The
associated data names the table, the column and the row's id: a value copied into another column,
or swapped with another row's, does not open.

Every value is sealed, whatever it looks like (text that happens to begin with `enc:` included), so
no stored value is ever taken for plain text. A value that does not open (corrupted, moved, under a
key no longer configured) is one field shown as unavailable: the row still reads, the listing still
renders, and the value itself is never logged.

A new row's id is only known once it is inserted, so an `EncryptedModel` inserts its sealed fields
empty and seals them to the new id in the same transaction; rows are opened after they are read
(`_init_from_db`), when the id is known.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import logging
import os
from contextlib import asynccontextmanager
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from tortoise.fields import TextField
from tortoise.models import Model
from tortoise.transactions import in_transaction

PREFIX = "enc:2:"
LEGACY_PREFIX = "enc:1:"  # bound only to the column's purpose; read until re-sealed by a migration
log = logging.getLogger("survnet.crypto")


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

    def seal(self, plaintext: str, binding: str) -> str:
        nonce = os.urandom(12)
        sealed = self.keys[self.current_version].encrypt(nonce, plaintext.encode(), binding.encode())
        return f"{PREFIX}{self.current_version}:{base64.b64encode(nonce + sealed).decode()}"

    def open(self, stored: str, binding: str, legacy_purpose: str | None = None) -> str:
        """The plain text; raises ValueError when it does not open under this binding."""
        if stored.startswith(PREFIX):
            rest, aad = stored[len(PREFIX):], binding
        elif stored.startswith(LEGACY_PREFIX) and legacy_purpose:
            rest, aad = stored[len(LEGACY_PREFIX):], legacy_purpose
        else:
            raise ValueError("not a sealed value")
        version, _, payload = rest.partition(":")
        cipher = self.keys.get(version)
        if cipher is None:
            raise ValueError(f"no data key with version {version}; set SURVNET_PREVIOUS_DATA_KEYS")
        try:
            raw = base64.b64decode(payload, validate=True)
            return cipher.decrypt(raw[:12], raw[12:], aad.encode()).decode()
        except (InvalidTag, binascii.Error, UnicodeDecodeError, ValueError) as exc:
            raise ValueError("the value does not open") from exc

    def is_current(self, stored: str) -> bool:
        return stored.startswith(f"{PREFIX}{self.current_version}:")


_keyring: Keyring | None = None


def configure(data_key: str, previous: list[str] | tuple[str, ...] = ()) -> Keyring:
    global _keyring
    _keyring = Keyring(data_key, previous)
    return _keyring


def keyring() -> Keyring:
    if _keyring is None:
        raise RuntimeError("network.core.crypto.configure() was not called")
    return _keyring


def binding(table: str, column: str, row_id: Any) -> str:
    return f"survnet:{table}.{column}:{row_id}"


class Ciphertext(str):
    """A value already sealed to its row, written as it is (re-sealing, rotation)."""


class Stored:
    """A value as read from the database, before its row's id is known to open it."""

    __slots__ = ("raw",)

    def __init__(self, raw: str):
        self.raw = raw

    def __repr__(self) -> str:
        return "<sealed value>"


class Unavailable(str):
    """A value that did not open: empty to code and JSON, "(unavailable)" on a page (the templates'
    finalize), and written back as it was stored, so saving the row's other fields never destroys it."""

    raw: str = ""

    def __new__(cls, raw: str) -> Unavailable:
        self = super().__new__(cls, "")
        self.raw = raw
        return self

    def __bool__(self) -> bool:
        return True  # a value is there, only unreadable: pages show that it is unavailable


class EncryptedTextField(TextField):
    """Text kept sealed in the database and plain in Python. Empty text stays empty.

    `purpose` names the binding of values written before rows were bound (`enc:1:`), read until
    a migration re-seals them; new fields need none."""

    def __init__(self, purpose: str | None = None, **kwargs: Any) -> None:
        self.purpose = purpose
        super().__init__(**kwargs)

    @property
    def column(self) -> str:
        return self.source_field or self.model_field_name

    def to_db_value(self, value: Any, instance: Any) -> str | None:
        if value is None or value == "" and not isinstance(value, Unavailable):
            return value
        if isinstance(value, Unavailable):
            return value.raw
        if isinstance(value, Ciphertext):
            return str(value)
        if not isinstance(instance, EncryptedModel):
            raise TypeError(f"{self.model_field_name} is sealed to its row: save the row, or pass a Ciphertext")
        if instance.pk is None:
            instance._unsealed = True  # inserted empty, sealed to the new id before the transaction ends
            return None if self.null else ""
        return keyring().seal(str(value), binding(self.model._meta.db_table, self.column, instance.pk))

    def to_python_value(self, value: Any) -> Any:
        if isinstance(value, str) and value:
            return Stored(value)
        return value

    def open(self, value: Any, row_id: Any) -> Any:
        if not isinstance(value, Stored):
            return value
        try:
            return keyring().open(value.raw, binding(self.model._meta.db_table, self.column, row_id), self.purpose)
        except ValueError as exc:
            # Never the value itself: it may be someone's payout details.
            log.warning("%s.%s of row %s is unavailable: %s", self.model._meta.db_table, self.column, row_id, exc)
            return Unavailable(value.raw)

    def seal(self, value: str, row_id: Any) -> Ciphertext:
        return Ciphertext(keyring().seal(value, binding(self.model._meta.db_table, self.column, row_id)))


def sealed(model: type[Model], name: str, row_id: Any, value: str) -> Ciphertext:
    """A value sealed to one row's column, for a conditional UPDATE that writes it."""
    return model._meta.fields_map[name].seal(value, row_id)


def sealed_fields(model: type[Model]) -> list[EncryptedTextField]:
    return [f for f in model._meta.fields_map.values() if isinstance(f, EncryptedTextField)]


@asynccontextmanager
async def _transaction(using_db):
    if using_db is not None:
        yield using_db
    else:
        async with in_transaction() as connection:
            yield connection


class EncryptedModel(Model):
    """A model with sealed fields: opened when read, sealed to the row's id when written."""

    class Meta:
        abstract = True

    def _set_kwargs(self, kwargs: dict) -> set[str]:
        # Tortoise converts constructor values as if read from the database: a value given here is
        # plain text to seal, never a stored one to open.
        passed = super()._set_kwargs(kwargs)
        for field in sealed_fields(type(self)):
            name = field.model_field_name
            if isinstance(kwargs.get(name), str):
                object.__setattr__(self, name, kwargs[name])
        return passed

    @classmethod
    def _init_from_db(cls, **kwargs: Any):
        self = super()._init_from_db(**kwargs)
        for field in sealed_fields(cls):
            name = field.model_field_name
            value = self.__dict__.get(name)
            if isinstance(value, Stored):
                object.__setattr__(self, name, field.open(value, self.pk))
        return self

    async def save(self, using_db=None, update_fields=None, force_create=False, force_update=False) -> None:
        if self.pk is not None:
            return await super().save(using_db, update_fields, force_create, force_update)
        async with _transaction(using_db) as connection:
            self._unsealed = False
            await super().save(connection, update_fields, force_create, force_update)
            if self._unsealed:
                sealed = {f.model_field_name: f.seal(str(getattr(self, f.model_field_name)), self.pk)
                          for f in sealed_fields(type(self)) if getattr(self, f.model_field_name) not in (None, "")}
                await type(self).filter(pk=self.pk).using_db(connection).update(**sealed)
