"""Argon2id for passphrases, computed in worker threads so the event loop never waits on it."""

from __future__ import annotations

import asyncio
import contextlib
import os
import secrets
import threading
from concurrent.futures import ThreadPoolExecutor

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

# OWASP's minimum for Argon2id: m=19456 KiB, t=2, p=1.
MIN_MEMORY_KIB, MIN_TIME_COST = 19456, 2


def _lower_priority() -> None:
    """Hashing threads yield the CPU to the event loop, so other requests stay fast during logins."""
    with contextlib.suppress(AttributeError, OSError):
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 19)


def default_concurrency() -> int:
    # Leave a core for the event loop: each hash keeps one busy for tens of milliseconds.
    return max(1, (os.cpu_count() or 2) - 1)


class Hasher:
    def __init__(self, memory_kib: int = MIN_MEMORY_KIB, time_cost: int = MIN_TIME_COST,
                 parallelism: int = 1, concurrency: int = 2):
        self._hasher = PasswordHasher(time_cost=time_cost, memory_cost=memory_kib,
                                      parallelism=parallelism, type=Type.ID)
        # A bound on simultaneous hashes: each takes ~19 MiB and a core for tens of milliseconds.
        self._concurrency = concurrency
        self._pool: ThreadPoolExecutor | None = None
        # Unknown pseudonyms are checked against this, so they cost the same time as a known one.
        self._dummy = self._hasher.hash(secrets.token_urlsafe(16))

    async def _run(self, fn, *args):
        if self._pool is None:  # opened on first use, so an app can be started again after close()
            self._pool = ThreadPoolExecutor(max_workers=self._concurrency, thread_name_prefix="argon2",
                                            initializer=_lower_priority)
        return await asyncio.get_running_loop().run_in_executor(self._pool, fn, *args)

    async def hash(self, passphrase: str) -> str:
        return await self._run(self._hasher.hash, passphrase)

    def _verify(self, stored: str | None, passphrase: str) -> bool:
        try:
            return self._hasher.verify(stored or self._dummy, passphrase) and stored is not None
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    async def verify(self, stored: str | None, passphrase: str) -> bool:
        """True when it matches; with stored=None it spends the same time and answers False."""
        return await self._run(self._verify, stored, passphrase)

    async def verify_both(self, first: str | None, second: str | None, passphrase: str) -> tuple[bool, bool]:
        """Two verifications in one trip to the pool, always both, so every login costs the same."""
        return await self._run(lambda: (self._verify(first, passphrase), self._verify(second, passphrase)))

    def needs_rehash(self, stored: str) -> bool:
        try:
            return self._hasher.check_needs_rehash(stored)
        except InvalidHashError:
            return True

    def close(self) -> None:
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)
