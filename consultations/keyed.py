"""Rows found only through a member's participation key: participations, follows, proposals and
supports each carry a token the key makes from the row's consultation or proposal (members.vault),
so finding a member's rows means making the token of every candidate and looking them up. This
is the one way it is done, for pages, notices, export and erasure alike: in chunks, so a list
of candidates of any length stays within what a database accepts in one IN (...)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable

CHUNK = 500


async def found(tokens: Iterable[str], lookup: Callable[[list[str]], Awaitable[list]]) -> list:
    """Every row `lookup(chunk of tokens)` returns, for all the tokens."""
    tokens = list(tokens)
    rows: list = []
    for start in range(0, len(tokens), CHUNK):
        rows += await lookup(tokens[start:start + CHUNK])
    return rows
