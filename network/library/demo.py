"""Demo content: the library's entries, services and commitments, loaded through the import format."""

from __future__ import annotations

from pathlib import Path

from network.library import exchange
from network.library.models import Entry

DEMO_FILE = Path(__file__).parent / "data" / "demo.json"


async def seed(rt, accounts: dict, only_if_empty: bool = False) -> None:
    if await Entry.exists():
        return
    await exchange.load(None, DEMO_FILE.read_text(encoding="utf-8"), publish=True)
