"""Safety for members where speaking out is unsafe: duress passphrase and decoy, hiding, panic wipe,
discreet mode. The domain rules only; pages live in routes.py."""

from __future__ import annotations

import logging

from network.core.i18n import lazy as _l
from network.core.keys import new_token
from network.core.refusal import Refused
from network.core.runtime import Runtime
from network.members import accounts, mydata, sessions, vault
from network.members.models import DURESS_ACTIONS, Member
from network.safety.models import SafetyAlert

log = logging.getLogger("survnet.safety")
DECOY = "decoy"


def _duress_binding(member_id: int) -> str:
    return f"duress:{member_id}"


async def set_duress(rt: Runtime, member: Member, passphrase: str, action: str, key: bytes | None = None) -> None:
    """A second passphrase. When it erases, the participation key (`key`, from the session) is also
    sealed under it, so the erasure it sets off finds the member's answers; otherwise it opens nothing."""
    if action not in DURESS_ACTIONS:
        raise Refused("invalid_action", _l("Choose what the second passphrase does."), field="action")
    accounts.check_passphrase(passphrase, "passphrase")
    if await rt.hasher.verify(member.passphrase_hash, passphrase):
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
    """A throwaway account that shows the same pseudonym and picture and nothing else.

    It is a separate row: nothing done in it can read or change the real account, and it is
    deleted when its session ends. The row never holds the real pseudonym (it would tell who used
    a duress passphrase): the name is sealed in the decoy's session under its cookie's key, and
    shown from there (members.sessions)."""
    marker = "~decoy~" + new_token()[:24]
    decoy = await Member.create(
        pseudonym="", pseudonym_key=marker, skeleton=marker, passphrase_hash="!",
        role=DECOY, status=DECOY, avatar=real.avatar, locale=real.locale, discreet=real.discreet,
    )
    await Member.filter(id=decoy.id).update(created_at=real.created_at)
    decoy.created_at = real.created_at
    decoy.pseudonym = real.pseudonym  # in memory only: every save names its fields
    return decoy


async def duress_login(rt: Runtime, member: Member) -> Member:
    """A duress passphrase signed in: the decoy opens, and the member's chosen action runs once
    the answer has gone, so the answer looks and takes the same."""
    opened = getattr(member, "duress_opened", None)
    key = vault.unwrap(member.duress_vault, opened, _duress_binding(member.id)) if opened else None
    rt.spawn(carry_out(rt, member.id, member.duress_action, key))
    return await open_decoy(member)


async def carry_out(rt: Runtime, member_id: int, action: str, key: bytes | None = None) -> None:
    """What the member chose a duress login to do, done quietly after the decoy has opened."""
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
            await SafetyAlert.create(member=member, kind="duress",
                                     note="A duress passphrase was used to sign in.")
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
