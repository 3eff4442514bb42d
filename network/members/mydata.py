"""My data: an export of everything held about a member, and real erasure, both read from the
registry of personal data (network.core.personal)."""

from __future__ import annotations

from datetime import datetime, timezone

from tortoise import connections

from network.core import personal
from network.core.i18n import lazy as _l
from network.core.refusal import Refused
from network.core.runtime import Runtime
from network.members import erasure, profiles, pseudonyms, vault
from network.members.models import Member

MESSAGE_CHOICES = ("delete", "anonymise")


async def export(rt: Runtime, member: Member, key: bytes | None = None) -> dict:
    """Every row the registry says is the member's, by section: profile, sessions, messages, reports
    they made, actions and appeals about them, stipends with their history, consultation answers
    (found through their key)."""
    connection = connections.get("default")
    data: dict = {"exported_at": datetime.now(timezone.utc).isoformat()}
    for model in personal.models():
        for link in personal.privacy(model).links:
            if link.export is None:
                continue
            ids = await personal.rows_of(model, link, member.id, key, connection)
            rows = await model.filter(id__in=ids).order_by("id") if ids else []
            shown = {row.pop("id"): row for row in await model.filter(id__in=ids).values("id", **dict(link.shows))} \
                if rows and link.shows else {}
            data.setdefault(link.export, []).extend({**personal.exported(model, row), **shown.get(row.id, {})}
                                                    for row in rows)
    profile = data.pop("profile", [{}])
    # As the member sees themselves: a duress decoy reads like any account, from what it shows.
    data["profile"] = {**(profile[0] if profile else {}), **profiles.own_view(member),
                       "pseudonym_key": pseudonyms.key(member.pseudonym),
                       "skeleton": pseudonyms.skeleton(member.pseudonym),
                       "status": "active" if member.status == "decoy" else member.status}
    return data


async def erase(rt: Runtime, member: Member, passphrase: str | None, messages: str = "delete",
                check_passphrase: bool = True, key: bytes | None = None) -> None:
    """Erases the member (network.members.erasure). Their passphrase, when asked, also opens their
    participation key, so their consultation answers go too."""
    if messages not in MESSAGE_CHOICES:
        raise Refused("invalid_choice", _l("Choose what happens to your messages."), field="messages")
    if check_passphrase:
        from network.members.accounts import prove_passphrase

        # Throttled per member like a sign-in, so a session cannot guess the passphrase here.
        opened = await prove_passphrase(rt, member, passphrase or "", "passphrase")
        if key is None and opened.key:
            key = vault.unwrap(member.vault, opened.key, vault.member_binding(member.id))
    await erasure.erase(rt, member, key, keep_words=messages == "anonymise")
