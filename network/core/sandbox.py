"""What a duress decoy does in the community: answered exactly as it would be, kept from everyone.

A decoy must look like a quiet new account to whoever holds the phone, so it reaches every page and
endpoint a new member does and gets the same answers. But nothing it does may reach anyone: the
coercer must not post, report, vouch, ask for money or answer a consultation through it. So each of
its community actions (a state-changing request to a `member` route, in network.core.access) runs
inside a transaction that is always rolled back, and while it runs nothing is published to the
broker and no background work is started. Routes whose effect stays within the decoy's own rows and
shows nothing to others (joining a room, so the room then reads as it does for a new member) say
`decoy="keep"` where they are declared.
"""

from __future__ import annotations

from contextvars import ContextVar

from tortoise.transactions import in_transaction

_active: ContextVar[bool] = ContextVar("survnet_sandbox", default=False)


def active() -> bool:
    return _active.get()


class _Undo(Exception):
    def __init__(self, result):
        super().__init__("sandboxed")
        self.result = result


async def run(call):
    """Runs `call()` and undoes every database change it made; returns its result."""
    token = _active.set(True)
    try:
        async with in_transaction():
            raise _Undo(await call())
    except _Undo as undo:
        return undo.result
    finally:
        _active.reset(token)
