"""Argon2id for passphrases (and recovery codes), computed in worker threads so the event loop never
waits on it.

One Argon2id computation per candidate passphrase yields a master secret, split with HKDF into
the verifier that is stored and a key that is not: the key wraps what only the member may open
(their participation key, network/members/vault.py), as password managers derive an
authentication hash and an encryption key from one master key. So a sign-in costs one Argon2id per
passphrase tried, as before, and the stored record alone opens nothing.

A record reads `$survnet-kdf$v=1$m=<KiB>,t=<passes>,p=<lanes>$<salt>$<verifier>`. Records made
before it (argon2-cffi's `$argon2id$...`) are still verified, and replaced at the next sign-in.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hmac
import os
import secrets
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from argon2.low_level import hash_secret_raw
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

# OWASP's minimum for Argon2id: m=19456 KiB, t=2, p=1.
MIN_MEMORY_KIB, MIN_TIME_COST = 19456, 2
PREFIX = "$survnet-kdf$v=1$"
# Recovery codes carry 60 random bits: 1 MiB and one pass make each guess cost a millisecond of a core,
# 2**60 of them out of reach, while registration (ten codes) stays quick.
LIGHT_MEMORY_KIB = 1024


def _lower_priority() -> None:
    """Hashing threads yield the CPU to the event loop, so other requests stay fast during logins."""
    with contextlib.suppress(AttributeError, OSError):
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 19)


def default_concurrency() -> int:
    # Leave a core for the event loop: each hash keeps one busy for tens of milliseconds.
    return max(1, (os.cpu_count() or 2) - 1)


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def split(master: bytes, purpose: bytes) -> bytes:
    """One of the independent keys HKDF draws from a master secret."""
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"survnet " + purpose).derive(master)


@dataclass(frozen=True)
class Opened:
    """A passphrase that matched its record; `key` is the key it opens (None for an older record)."""

    key: bytes | None


class Hasher:
    def __init__(self, memory_kib: int = MIN_MEMORY_KIB, time_cost: int = MIN_TIME_COST,
                 parallelism: int = 1, concurrency: int = 2):
        self.memory_kib, self.time_cost, self.parallelism = memory_kib, time_cost, parallelism
        self._legacy = PasswordHasher(time_cost=time_cost, memory_cost=memory_kib, parallelism=parallelism,
                                      type=Type.ID)
        # A bound on simultaneous hashes: each takes ~19 MiB and a core for tens of milliseconds.
        self._concurrency = concurrency
        self._pool: ThreadPoolExecutor | None = None
        # Unknown pseudonyms are checked against this, so they cost the same time as a known one.
        self._dummy = self._record(secrets.token_bytes(16), secrets.token_urlsafe(16))[0]

    async def _run(self, fn, *args):
        if self._pool is None:  # opened on first use, so an app can be started again after close()
            self._pool = ThreadPoolExecutor(max_workers=self._concurrency, thread_name_prefix="argon2",
                                            initializer=_lower_priority)
        return await asyncio.get_running_loop().run_in_executor(self._pool, fn, *args)

    # The work itself (in a pool thread) -------------------------------------------------------------

    def _master(self, passphrase: str, salt: bytes, m: int, t: int, p: int) -> bytes:
        return hash_secret_raw(passphrase.encode("utf-8", "surrogatepass"), salt, time_cost=t, memory_cost=m,
                               parallelism=p, hash_len=32, type=Type.ID)

    def _record(self, salt: bytes, passphrase: str, light: bool = False) -> tuple[str, bytes]:
        m, t, p = (LIGHT_MEMORY_KIB, 1, 1) if light else (self.memory_kib, self.time_cost, self.parallelism)
        master = self._master(passphrase, salt, m, t, p)
        record = f"{PREFIX}m={m},t={t},p={p}${_b64(salt)}${_b64(split(master, b'verifier'))}"
        return record, split(master, b"wrap")

    def _open(self, stored: str | None, passphrase: str) -> Opened | None:
        if stored and stored.startswith("$argon2"):
            try:
                return Opened(None) if self._legacy.verify(stored, passphrase) else None
            except (VerifyMismatchError, VerificationError, InvalidHashError):
                return None
        record = stored if stored and stored.startswith(PREFIX) else self._dummy
        try:
            params, salt, verifier = record[len(PREFIX):].split("$")
            m, t, p = (int(part.split("=")[1]) for part in params.split(","))
            master = self._master(passphrase, _unb64(salt), m, t, p)
        except (ValueError, IndexError):
            return None
        matched = hmac.compare_digest(split(master, b"verifier"), _unb64(verifier))
        return Opened(split(master, b"wrap")) if matched and record is stored else None

    # What the services call --------------------------------------------------------------------------

    async def hash(self, passphrase: str) -> str:
        return (await self.hash_with_key(passphrase))[0]

    async def hash_with_key(self, passphrase: str, light: bool = False) -> tuple[str, bytes]:
        """A new record for this passphrase, and the key it opens (never stored). `light`: for a random
        code of 60 bits or more, which needs no slow derivation to resist guessing, only some."""
        return await self._run(self._record, secrets.token_bytes(16), passphrase, light)

    async def open(self, stored: str | None, passphrase: str) -> Opened | None:
        """The passphrase's key when it matches; with stored=None it spends the same time and answers None."""
        return await self._run(self._open, stored, passphrase)

    async def verify(self, stored: str | None, passphrase: str) -> bool:
        return await self.open(stored, passphrase) is not None

    async def open_both(self, first: str | None, second: str | None, passphrase: str) -> tuple[Opened | None, ...]:
        """Two verifications in one trip to the pool, always both, so every sign-in costs the same."""
        return await self._run(lambda: (self._open(first, passphrase), self._open(second, passphrase)))

    def needs_rehash(self, stored: str) -> bool:
        return not stored.startswith(f"{PREFIX}m={self.memory_kib},t={self.time_cost},p={self.parallelism}$")

    def close(self) -> None:
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)
