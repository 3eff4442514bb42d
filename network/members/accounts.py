"""Registration, login, recovery and passphrase changes: the domain rules, no HTTP."""

from __future__ import annotations

import unicodedata
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path

from tortoise.exceptions import IntegrityError
from tortoise.expressions import F
from tortoise.transactions import in_transaction

from network.core.i18n import lazy as _l
from network.core.keys import clean_code, digest
from network.core.refusal import Refused, within
from network.core.runtime import Runtime
from network.members import keyring, live, pseudonyms, throttle, vault
from network.members.models import Invitation, Member, RecoveryCode

PASSPHRASE_MIN, PASSPHRASE_MAX = 12, 128

PSEUDONYM_PROBLEMS = {
    "length": _l("A pseudonym has 3 to 32 characters."),
    "characters": _l("A pseudonym may use letters, digits, spaces, hyphens, underscores and full stops."),
    "mixed_scripts": _l("This pseudonym mixes alphabets in a way that could be mistaken for another name. Please use one alphabet."),
}
INVALID_INVITATION = _l("This invitation code is not valid or has expired.")
WRONG_LOGIN = _l("The pseudonym or passphrase is not right.")
PASSPHRASES_DIFFER = _l("The two passphrases are not the same.")


def now() -> datetime:
    return datetime.now(timezone.utc)


@lru_cache(maxsize=1)
def _common_passphrases() -> frozenset[str]:
    path = Path(__file__).parent / "data" / "common-passphrases.txt"
    return frozenset(line.strip() for line in path.read_text().splitlines() if line and line[0] != "#")


def passphrase_problem(passphrase: str) -> str | None:
    length = len(passphrase or "")
    if length < PASSPHRASE_MIN:
        return _l("A passphrase needs at least 12 characters. A few words you can remember work well.")
    if length > PASSPHRASE_MAX:
        return _l("A passphrase can have at most 128 characters.")
    lowered = unicodedata.normalize("NFKC", passphrase).lower()
    stem = lowered.rstrip("0123456789!@#$%^&*?._- ")
    if lowered in _common_passphrases() or stem in _common_passphrases() or len(set(lowered)) < 4:
        return _l("This passphrase is too common and easy to guess. Please choose another.")
    return None


def check_passphrase(passphrase: str, field: str = "passphrase") -> None:
    problem = passphrase_problem(passphrase)
    if problem:
        raise Refused("weak_passphrase", problem, field=field)


def check_pseudonym(raw: str) -> str:
    pseudonym = pseudonyms.normalise(raw)
    problem = pseudonyms.problem(pseudonym)
    if problem:
        raise Refused("invalid_pseudonym", PSEUDONYM_PROBLEMS[problem], field="pseudonym")
    return pseudonym


async def _pseudonym_free(pseudonym: str) -> None:
    taken = await Member.filter(pseudonym_key=pseudonyms.key(pseudonym)).exists() or \
        await Member.filter(skeleton=pseudonyms.skeleton(pseudonym)).exists()
    if taken:
        raise Refused("pseudonym_taken", _l("This pseudonym, or one that looks just like it, is already in use. Please choose another."),
                      kind="conflict", field="pseudonym")


async def register(rt: Runtime, invite_code: str, pseudonym: str, passphrase: str) -> tuple[Member, list[str]]:
    """A new member from an invitation, with their participation key (`member.opened_key`); returns
    the member and their ten recovery codes."""
    pseudonym = check_pseudonym(pseudonym)
    check_passphrase(passphrase)
    code_hash = digest(rt.settings.secret_key, "invitation", clean_code(invite_code))
    invitation = await Invitation.get_or_none(code_hash=code_hash)
    if invitation is None:
        raise Refused("invalid_invitation", INVALID_INVITATION, field="invite_code")
    await _pseudonym_free(pseudonym)
    passphrase_hash, wrapping = await rt.hasher.hash_with_key(passphrase)
    key = vault.new_key()
    try:
        async with in_transaction() as connection:
            # The database decides whether a use is left, so two registrations cannot share the last one.
            taken = await Invitation.filter(
                id=invitation.id, uses__lt=F("max_uses"), revoked_at=None, expires_at__gt=now()
            ).using_db(connection).update(uses=F("uses") + 1)
            if not taken:
                raise Refused("invalid_invitation", INVALID_INVITATION, field="invite_code")
            member = await Member.create(
                pseudonym=pseudonym, pseudonym_key=pseudonyms.key(pseudonym),
                skeleton=pseudonyms.skeleton(pseudonym), passphrase_hash=passphrase_hash,
                role=invitation.role, invited_by_id=invitation.created_by_id, using_db=connection,
            )
            keyring.seal_for_passphrase(member, key, wrapping)
            await member.save(update_fields=["vault", "vault_version"], using_db=connection)
            codes, rows = await keyring.sealed_recovery_codes(rt, member, key)
            await RecoveryCode.bulk_create(rows, using_db=connection)
    except IntegrityError:
        await _pseudonym_free(pseudonym)
        raise
    member.opened_key = key
    return member, codes


THROTTLED = _l("Too many attempts. Please wait %(seconds)s seconds and try again.")
WRONG_CURRENT = _l("Your current passphrase is not right.")
WRONG_PASSPHRASE = _l("Your passphrase is not right.")


def _throttled(seconds: int) -> Refused:
    return Refused("throttled", THROTTLED, kind="throttled", seconds=seconds)


async def authenticate(rt: Runtime, pseudonym: str, passphrase: str, client_key: str,
                       device_cookie: str | None = None) -> tuple[Member, bool]:
    """The member whose passphrase this is, and whether it was their duress passphrase; the member
    carries their opened participation key (`opened_key`, None after a duress passphrase).

    Every attempt runs two verifications (the passphrase and the duress passphrase, or a dummy
    for either), so neither an unknown pseudonym nor a duress login takes a different time.
    `device_cookie`: what the browser sent; a valid one for this pseudonym is counted against its
    own allowance, not the pseudonym's (network.members.throttle)."""
    key = pseudonyms.key(pseudonym)[:128]
    device = throttle.trusted_device(rt, key, device_cookie)
    wait = await throttle.wait_seconds(rt, key, client_key, device)
    if wait:
        raise _throttled(wait)
    member = await Member.get_or_none(pseudonym_key=key) if key else None
    passphrase = (passphrase or "")[:PASSPHRASE_MAX * 4]
    opened, duress = await rt.hasher.open_both(member.passphrase_hash if member else None,
                                               member.duress_hash if member else None, passphrase)
    # Attempts sent together all pass the first check: those answered after a delay began say
    # only that, whatever their passphrase, so a burst learns no more than one attempt at a time.
    wait = await throttle.wait_seconds(rt, key, client_key, device)
    if wait:
        raise _throttled(wait)
    if not (opened or duress) or member.status not in ("active", "hidden"):
        await throttle.failed(rt, key, client_key, device)
        raise Refused("wrong_login", WRONG_LOGIN, kind="unauthorized")
    await throttle.succeeded(rt, key, device)
    if opened:
        await keyring.open_at_sign_in(rt, member, opened, passphrase)
        for hook in rt.registry.sign_in_hooks:
            await hook(rt, member, member.opened_key)
    else:
        member.opened_key = None
        # What the duress passphrase opened: the key of its erasure, if it erases (safety.service).
        member.duress_opened = duress.key if duress else None
    return member, duress is not None and opened is None


def device_cookie_for(rt: Runtime, member: Member) -> str:
    """A new device cookie value for the member who just signed in (after a duress passphrase too,
    so the device keeps nothing that tells the two apart)."""
    return throttle.device_token(rt, member.pseudonym_key)


async def prove_passphrase(rt: Runtime, member: Member, passphrase: str, field: str = "passphrase"):
    """A passphrase asked again inside a session, throttled per member like sign-ins (growing
    delays, never a lock-out); every wrong guess gets the same answer. Returns what it opened."""
    wait = await throttle.member_wait(rt, member.id)
    if wait:
        raise _throttled(wait)
    opened = await rt.hasher.open(member.passphrase_hash, (passphrase or "")[:PASSPHRASE_MAX * 4])
    wait = await throttle.member_wait(rt, member.id)
    if wait:
        raise _throttled(wait)
    if opened is None:
        await throttle.member_failed(rt, member.id)
        raise Refused("wrong_passphrase", WRONG_CURRENT if field == "current_passphrase" else WRONG_PASSPHRASE,
                      field=field)
    await throttle.member_succeeded(rt, member.id)
    return opened


async def recover(rt: Runtime, pseudonym: str, code: str, new_passphrase: str, client_key: str,
                  device_cookie: str | None = None) -> Member:
    """A recovery code sets a new passphrase and opens the participation key, sealed again under the
    new passphrase; every session of the member ends."""
    from network.members.sessions import end_all

    check_passphrase(new_passphrase, "new_passphrase")
    key = pseudonyms.key(pseudonym)[:128]
    device = throttle.trusted_device(rt, key, device_cookie)
    wait = await throttle.wait_seconds(rt, key, client_key, device)
    if wait:
        raise _throttled(wait)
    member = await Member.get_or_none(pseudonym_key=key) if key else None
    code_hash = digest(rt.settings.secret_key, "recovery", clean_code(code))
    row = await RecoveryCode.get_or_none(member=member, code_hash=code_hash, used_at=None) if member else None
    used = row is not None and await RecoveryCode.filter(id=row.id, used_at=None).update(used_at=now())
    if not used:
        await throttle.failed(rt, key, client_key, device)
        raise Refused("wrong_recovery", _l("The pseudonym or recovery code is not right."), kind="unauthorized")
    await throttle.succeeded(rt, key, device)
    participation_key = await keyring.open_with_code(rt, member, row, code)
    await keyring.reseal_under(rt, member, participation_key, new_passphrase)
    await end_all(rt, member)
    return member


async def change_passphrase(rt: Runtime, member: Member, current: str, new: str, keep_session_id: int | None) -> None:
    from network.members.sessions import end_others

    opened = await prove_passphrase(rt, member, current, "current_passphrase")
    check_passphrase(new, "new_passphrase")
    participation_key = await keyring.open_at_sign_in(rt, member, opened, current)
    await keyring.reseal_under(rt, member, participation_key, new)
    await end_others(rt, member, keep_session_id)


async def remaining_recovery_codes(member: Member) -> int:
    return await RecoveryCode.filter(member=member, used_at=None).count()


async def new_recovery_codes(rt: Runtime, member: Member, passphrase: str) -> list[str]:
    """Ten new codes, after the passphrase is asked again (it opens the key they seal)."""
    opened = await prove_passphrase(rt, member, passphrase, "passphrase")
    participation_key = await keyring.open_at_sign_in(rt, member, opened, passphrase)
    codes, rows = await keyring.sealed_recovery_codes(rt, member, participation_key)
    async with in_transaction() as connection:
        await RecoveryCode.filter(member=member).using_db(connection).delete()
        await RecoveryCode.bulk_create(rows, using_db=connection)
    return codes


async def active_named(pseudonym: str | None, field: str = "pseudonym") -> Member:
    """The active member an administrator names by pseudonym (any case, as sign-in reads it): never a
    decoy account, which carries the pseudonym it stands in for."""
    key = pseudonyms.key(within(pseudonym, 64, field))
    member = await Member.get_or_none(pseudonym_key=key, status="active") if key else None
    if member is None or member.role == "decoy":
        raise Refused("no_such_member", _l("No active member has this pseudonym."), field=field)
    return member


async def search(query: str, limit: int = 50) -> list[Member]:
    people = Member.exclude(role="decoy")
    if not query:
        return await people.order_by("-id").limit(limit)
    return await people.filter(pseudonym_key__contains=pseudonyms.key(query)).order_by("pseudonym_key").limit(limit)


async def set_role(rt: Runtime, member_id: int, role: str, actor: Member) -> Member:
    """A new role takes effect everywhere at once: the member's open sockets close and reconnect
    with what the new role allows."""
    from network.members.models import ROLES

    member = await Member.get_or_none(id=member_id)
    if member is None:
        raise Refused("not_found", _l("That member was not found."), kind="not_found")
    if role not in ROLES:
        raise Refused("invalid_role", _l("Choose one of the roles offered."), field="role")
    if member.id == actor.id and role != "admin":
        raise Refused("own_role", _l("You cannot remove your own administrator role."), kind="conflict")
    if member.role != role:
        member.role = role
        await member.save(update_fields=["role"])
        await live.revoke(rt, member.id, None, code="role_changed")
    return member
