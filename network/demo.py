"""`survnet demo`: a small demo network to look around in, one account per role."""

from __future__ import annotations

from network import accounts, db, invitations
from network.models import Member
from network.passwords import Hasher
from network.runtime import Runtime
from network.broker import Broker
from network.settings import Settings

# Demo passphrases are printed for people trying the product locally; never use them for real.
DEMO_ACCOUNTS = [
    ("admin", "Demo Admin", "demo admin passphrase 1"),
    ("moderator", "Demo Moderator", "demo moderator passphrase 1"),
    ("policymaker", "Demo Policymaker", "demo policymaker passphrase 1"),
    ("member", "Demo Member", "demo member passphrase 1"),
]

# Domain packages add their own demo content (wired by network/app.py): called with the accounts.
demo_hooks: list = []


async def seed_demo(settings: Settings, only_if_empty: bool = False) -> int:
    await db.open_db(settings.database_url)
    rt = Runtime(settings=settings, broker=Broker(), hasher=Hasher(
        settings.argon2_memory_kib, settings.argon2_time_cost, settings.argon2_parallelism))
    try:
        if only_if_empty and await Member.exists():
            print("demo: the database already has members; nothing seeded")
            return 0
        made = {}
        for role, pseudonym, passphrase in DEMO_ACCOUNTS:
            existing = await Member.get_or_none(pseudonym_key=pseudonym.casefold())
            if existing:
                made[role] = existing
                continue
            _, code = await invitations.create(rt, None, role=role, uses=1, days=1)
            member, _ = await accounts.register(rt, code, pseudonym, passphrase)
            made[role] = member
        for hook in demo_hooks:
            await hook(rt, made)
        print("demo accounts (for trying the product locally only):")
        for role, pseudonym, passphrase in DEMO_ACCOUNTS:
            print(f"  {role:<12} pseudonym: {pseudonym!r:<22} passphrase: {passphrase!r}")
        return 0
    finally:
        rt.hasher.close()
        await db.close_db()
