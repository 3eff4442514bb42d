"""Safety for members where speaking out is unsafe: duress passphrase and decoy, hiding, panic wipe,
discreet mode. The domain rules only; pages live in routes.py."""

from __future__ import annotations

import logging

from network.core.i18n import lazy as _l
from network.core.keys import new_token
from network.core.refusal import Refused
from network.core.runtime import Runtime
from network.members import accounts, mydata, sessions
from network.members.models import DURESS_ACTIONS, Member, Session
from network.safety.models import SafetyAlert

log = logging.getLogger("survnet.safety")
DECOY = "decoy"


async def set_duress(rt: Runtime, member: Member, passphrase: str, action: str) -> None:
    if action not in DURESS_ACTIONS:
        raise Refused("invalid_action", _l("Choose what the second passphrase does."), field="action")
    accounts.check_passphrase(passphrase, "passphrase")
    if await rt.hasher.verify(member.passphrase_hash, passphrase):
        raise Refused("same_passphrase", _l("The second passphrase must be different from your usual one."),
                      field="passphrase")
    member.duress_hash = await rt.hasher.hash(passphrase)
    member.duress_action = action
    await member.save(update_fields=["duress_hash", "duress_action"])


async def clear_duress(member: Member) -> None:
    member.duress_hash, member.duress_action = None, "none"
    await member.save(update_fields=["duress_hash", "duress_action"])


async def open_decoy(real: Member) -> Member:
    """A throwaway account that shows the same pseudonym and picture and nothing else.

    It is a separate row: nothing done in it can read or change the real account, and it is
    deleted when its session ends."""
    marker = "~decoy~" + new_token()[:24]
    decoy = await Member.create(
        pseudonym=real.pseudonym, pseudonym_key=marker, skeleton=marker, passphrase_hash="!",
        role=DECOY, status=DECOY, avatar=real.avatar, locale=real.locale, discreet=real.discreet,
    )
    await Member.filter(id=decoy.id).update(created_at=real.created_at)
    decoy.created_at = real.created_at
    return decoy


async def duress_login(rt: Runtime, member: Member) -> Member:
    """A duress passphrase signed in: the decoy opens, and the member's chosen action runs once
    the answer has gone, so the answer looks and takes the same."""
    rt.spawn(carry_out(rt, member.id, member.duress_action))
    return await open_decoy(member)


async def carry_out(rt: Runtime, member_id: int, action: str) -> None:
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
            await mydata.erase(rt, member, None, "delete", check_passphrase=False)
        elif action == "alert":
            await SafetyAlert.create(member=member, kind="duress",
                                     note="A duress passphrase was used to sign in.")
    except Exception:  # noqa: BLE001 - never let a failure show on the decoy's screen
        log.exception("duress action %s failed", action)


async def purge_decoys() -> int:
    """Decoy accounts whose session has ended go too."""
    live = await Session.filter(member__role=DECOY).values_list("member_id", flat=True)
    return await Member.filter(role=DECOY).exclude(id__in=list(live)).delete()


async def show_again(member: Member) -> None:
    if member.status == "hidden":
        member.status = "active"
        await member.save(update_fields=["status"])


async def set_discreet(member: Member, on: bool) -> None:
    member.discreet = on
    await member.save(update_fields=["discreet"])


async def panic_wipe(rt: Runtime, member: Member) -> None:
    """Erase the account at once: the member confirmed once; no passphrase is asked."""
    if member.role == DECOY:
        await sessions.end_all(rt, member)
        await member.delete()
        return
    await mydata.erase(rt, member, None, "delete", check_passphrase=False)
