"""Demo accounts, one per role; the other packages' demo content is made with them."""

from __future__ import annotations

from network.members import accounts as account_rules
from network.members import invitations
from network.members.models import Member

# Demo passphrases are printed for people trying the product locally; never use them for real.
DEMO_ACCOUNTS = [
    ("admin", "Demo Admin", "demo admin passphrase 1"),
    ("moderator", "Demo Moderator", "demo moderator passphrase 1"),
    ("policymaker", "Demo Policymaker", "demo policymaker passphrase 1"),
    ("member", "Demo Member", "demo member passphrase 1"),
]


async def seed(rt, accounts: dict, only_if_empty: bool = False):
    """Fills `accounts` with {role: Member}; returns False when the database already had members."""
    if only_if_empty and await Member.exists():
        print("demo: the database already has members; nothing seeded")
        return False
    for role, pseudonym, passphrase in DEMO_ACCOUNTS:
        existing = await Member.get_or_none(pseudonym_key=pseudonym.casefold())
        if existing:
            accounts[role] = existing
            continue
        _, code = await invitations.create(rt, None, role=role, uses=1, days=1)
        accounts[role], _ = await account_rules.register(rt, code, pseudonym, passphrase)
    print("demo accounts (for trying the product locally only):")
    for role, pseudonym, passphrase in DEMO_ACCOUNTS:
        print(f"  {role:<12} pseudonym: {pseudonym!r:<22} passphrase: {passphrase!r}")
    return True
