"""The participation key's life: made at registration, sealed under the passphrase and under each
recovery code, opened at sign-in and on recovery, sealed again when the passphrase changes.

Whoever opens it carries it on the member object as `opened_key` (transient, never stored) until
the session seals it under the cookie's key (members.sessions). A member made before keys gets one
at the next sign-in; a key that can no longer be opened is made anew, and the member is told that
answers given before are still counted but can no longer be reached.
"""

from __future__ import annotations

from network.core.hashing import Opened
from network.core.keys import clean_code, digest, new_code
from network.core.runtime import Runtime
from network.members import vault
from network.members.models import Member, RecoveryCode

RECOVERY_CODES = 10


async def sealed_recovery_codes(rt: Runtime, member: Member, key: bytes) -> tuple[list[str], list[RecoveryCode]]:
    """Ten new codes, each sealing the key under what the code itself opens (one Argon2id each)."""
    codes = [new_code(groups=3) for _ in range(RECOVERY_CODES)]
    rows = []
    for code in codes:
        record, wrapping = await rt.hasher.hash_with_key(clean_code(code), light=True)
        rows.append(RecoveryCode(member=member, code_hash=digest(rt.settings.secret_key, "recovery", code),
                                 record=record, vault=vault.wrap(key, wrapping, vault.code_binding(member.id))))
    return codes, rows


def seal_for_passphrase(member: Member, key: bytes, wrapping: bytes) -> None:
    member.vault = vault.wrap(key, wrapping, vault.member_binding(member.id))
    member.vault_version = 1


async def open_at_sign_in(rt: Runtime, member: Member, opened: Opened, passphrase: str) -> bytes:
    """The member's key, opened with what their passphrase opened. An older passphrase record (or a
    member made before keys) gets a new record and, if need be, a key; saved before returning."""
    key = vault.unwrap(member.vault, opened.key, vault.member_binding(member.id)) if opened.key else None
    changed = []
    if opened.key is None or rt.hasher.needs_rehash(member.passphrase_hash):
        key = key or (await _key_without_passphrase_record(member))
        member.passphrase_hash, wrapping = await rt.hasher.hash_with_key(passphrase)
        changed = ["passphrase_hash"]
    else:
        wrapping = opened.key
    if key is None:
        key = await renew(member)
        changed.append("vault_renewed")
    if changed or member.vault is None:
        seal_for_passphrase(member, key, wrapping)
        await member.save(update_fields=[*changed, "vault", "vault_version"])
    member.opened_key = key
    return key


async def _key_without_passphrase_record(member: Member) -> bytes | None:
    # A record from before keys opens nothing; a member made before keys has no key yet.
    return None if member.vault else vault.new_key()


async def renew(member: Member) -> bytes:
    """A new key, when the old one cannot be opened: what the codes sealed is of no use any more."""
    if member.vault_version:
        member.vault_renewed = True
    await RecoveryCode.filter(member=member).update(vault=None)
    return vault.new_key()


async def open_with_code(rt: Runtime, member: Member, row: RecoveryCode, code: str) -> bytes:
    opened = await rt.hasher.open(row.record, clean_code(code)) if row.record else None
    key = vault.unwrap(row.vault, opened.key if opened else None, vault.code_binding(member.id))
    return key or await renew(member)


async def reseal_under(rt: Runtime, member: Member, key: bytes, passphrase: str) -> None:
    """A new passphrase: a new record, and the same key sealed under what it opens."""
    member.passphrase_hash, wrapping = await rt.hasher.hash_with_key(passphrase)
    seal_for_passphrase(member, key, wrapping)
    await member.save(update_fields=["passphrase_hash", "vault", "vault_version", "vault_renewed"])
    member.opened_key = key
