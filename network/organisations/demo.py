"""Demo content: two partner organisations, the demo member representing the first."""

from __future__ import annotations

from network.organisations import service
from network.organisations.models import Organisation


async def seed(rt, accounts: dict, only_if_empty: bool = False) -> None:
    if await Organisation.exists():
        return
    first = await service.create({
        "name": "Tujiunge Goma", "kind": "survivor_led", "country": "CD", "languages": ["fr", "sw"],
        "profile": "Un groupe de survivantes à Goma : écoute entre pairs, accompagnement vers les soins, "
                   "plaidoyer pour les réparations."})
    await service.create({
        "name": "Коло жінок", "kind": "womens_rights", "country": "UA", "languages": ["uk", "en"],
        "profile": "Правозахисна організація: юридичний супровід і документування."})
    await service.add_representative(accounts["admin"], first.id, accounts["member"].pseudonym)
