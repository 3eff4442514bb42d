"""Safety for members where speaking out is unsafe: duress passphrase and decoy, hiding, panic wipe,
discreet mode. The domain rules only; pages live in routes.py."""

from __future__ import annotations

import hmac
import logging

from tortoise import connections

from network.core import db
from network.core.i18n import lazy as _l
from network.core.keys import new_token
from network.core.refusal import Refused
from network.core.runtime import Runtime
from network.members import accounts, mydata, sessions, vault
from network.members.keyring import RECOVERY_CODES
from network.members.labels import SAFETY_ALERT_NOTES
from network.members.models import DURESS_ACTIONS, Member
from network.safety.models import SafetyAlert

log = logging.getLogger("survnet.safety")
DECOY = "decoy"


def _duress_binding(member_id: int) -> str:
    return f"duress:{member_id}"


async def set_duress(rt: Runtime, member: Member, passphrase: str, action: str, key: bytes | None = None,
                     current: str = "") -> None:
    """A second passphrase. When it erases, the participation key (`key`, from the session) is also
    sealed under it, so the erasure it sets off finds the member's answers; otherwise it opens nothing.

    The current passphrase is asked first (throttled like a sign-in, accounts.prove_passphrase):
    until it is proven nothing is said about the second one, so no answer tells whether a guess
    is the usual passphrase."""
    if action not in DURESS_ACTIONS:
        raise Refused("invalid_action", _l("Choose what the second passphrase does."), field="action")
    await accounts.prove_passphrase(rt, member, current, "current_passphrase")
    accounts.check_passphrase(passphrase, "passphrase")
    if hmac.compare_digest((passphrase or "").encode(errors="replace"), (current or "").encode(errors="replace")):
        raise Refused("same_passphrase", _l("The second passphrase must be different from your usual one."),
                      field="passphrase")
    member.duress_hash, wrapping = await rt.hasher.hash_with_key(passphrase)
    member.duress_action = action
    member.duress_vault = vault.wrap(key, wrapping, _duress_binding(member.id)) if key and action == "erase" else None
    await member.save(update_fields=["duress_hash", "duress_action", "duress_vault"])


async def clear_duress(member: Member) -> None:
    member.duress_hash, member.duress_action, member.duress_vault = None, "none", None
    await member.save(update_fields=["duress_hash", "duress_action", "duress_vault"])


async def open_decoy(real: Member) -> Member:
    """A throwaway account that reads like a quiet new member's, under the same pseudonym and picture.

    It is a separate row: nothing done in it can read or change the real account; what it does in
    the community is undone (network.core.sandbox); it is deleted once its session ends. The row
    holds nothing that ties it to the real account (no name, no date, no hash in common): what it
    shows of the real account (the pseudonym, the "member since" date, a passphrase check) is sealed
    in its session under the cookie's key (members.sessions) and exists in memory only."""
    marker = "~decoy~" + new_token()[:24]
    decoy = await Member.create(
        pseudonym="", pseudonym_key=marker, skeleton=marker, passphrase_hash="!",
        role=DECOY, status=DECOY, avatar=real.avatar, locale=real.locale, discreet=real.discreet, vault_version=1,
    )
    # In memory only, sealed into the session: every save names its fields.
    decoy.pseudonym, decoy.created_at, decoy.passphrase_hash = real.pseudonym, real.created_at, real.duress_hash
    decoy.hides = real.id  # the real account's own traces are kept out of its decoy's sight
    return decoy


async def duress_login(rt: Runtime, member: Member) -> Member:
    """A duress passphrase signed in: the decoy opens, and the member's chosen action runs once
    the answer has gone, so the answer looks and takes the same."""
    opened = getattr(member, "duress_opened", None)
    key = vault.unwrap(member.duress_vault, opened, _duress_binding(member.id)) if opened else None
    rt.spawn(carry_out(rt, member.id, member.duress_action, key))
    decoy = await open_decoy(member)
    await _recovery_codes(decoy.id)
    return decoy


async def _recovery_codes(decoy_id: int) -> None:
    """Ten recovery codes that open nothing, as every new account has ten: one statement, so a
    duress sign-in takes no longer than a normal one (bench/duress.py)."""
    connection = connections.get("default")
    mark = db.placeholders(connection)
    rows = ", ".join(f"({mark(2 * n + 1)}, {mark(2 * n + 2)})" for n in range(RECOVERY_CODES))
    values = [v for _ in range(RECOVERY_CODES) for v in (decoy_id, new_token()[:64])]
    await connection.execute_query(f"INSERT INTO recovery_code (member_id, code_hash) VALUES {rows}", values)


async def carry_out(rt: Runtime, member_id: int, action: str, key: bytes | None = None) -> None:
    """What the member chose a duress login to do, done quietly after the decoy has opened."""
    if action not in ("hide", "erase", "alert"):
        return
    member = await Member.get_or_none(id=member_id)
    if member is None:
        return
    try:
        if action == "hide":
            member.status = "hidden"
            await member.save(update_fields=["status"])
            await sessions.end_all(rt, member)
        elif action == "erase":
            await mydata.erase(rt, member, None, "delete", check_passphrase=False, key=key)
        elif action == "alert":
            # Stored as the label's English msgid: the moderators' queue shows it translated.
            await SafetyAlert.create(member=member, kind="duress", note=SAFETY_ALERT_NOTES["duress"])
    except Exception:  # noqa: BLE001 - never let a failure show on the decoy's screen
        log.exception("duress action %s failed", action)


async def show_again(member: Member) -> None:
    if member.status == "hidden":
        member.status = "active"
        await member.save(update_fields=["status"])


async def set_discreet(member: Member, on: bool) -> None:
    member.discreet = on
    await member.save(update_fields=["discreet"])


async def panic_wipe(rt: Runtime, member: Member, key: bytes | None) -> None:
    """Erase the account at once: the member confirmed once; no passphrase is asked. `key`: their
    participation key, from the session, so their answers go too."""
    await mydata.erase(rt, member, None, "delete", check_passphrase=False, key=key)
