"""Erasing a member: everything the registry of personal data (network.core.personal) says reaches
them goes or is scrubbed, in every package, in one transaction. "Erase my account", the panic wipe
and the duress "erase" all come here.

The rows are found first, then changed: unlinks and scrubs before deletes, the member's own row
last, so a delete's cascade never removes a row before it is accounted for. What others' open
screens must hear (messages gone, sockets closed) is published once the transaction commits.
"""

from __future__ import annotations

from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from network.core import db, personal
from network.core.personal import DELETE, ORDER, SCRUB
from network.core.runtime import Runtime
from network.members.models import Member


async def plan(member_id: int, key: bytes | None, keep_words: bool, connection) -> list[tuple]:
    """(model, link, how, row ids) for every row that reaches the member."""
    steps = []
    for model in personal.models():
        for link in personal.privacy(model).links:
            ids = await personal.rows_of(model, link, member_id, key, connection)
            if not ids:
                continue
            how = link.kept if keep_words and link.kept else link.erase
            if how == DELETE and link.keep:
                # `keep` is a filter: field lookups, or a Q where rows are kept for more than one reason.
                kept_rows = model.filter(link.keep, **{link.path: member_id}) if isinstance(link.keep, Q) \
                    else model.filter(**{link.path: member_id}, **link.keep)
                kept = set(await kept_rows.using_db(connection).values_list("id", flat=True))
                steps.append((model, link, SCRUB, [i for i in ids if i in kept]))
                ids = [i for i in ids if i not in kept]
            steps.append((model, link, how, ids))
    steps.sort(key=lambda step: (ORDER[step[2]], step[0] is Member))
    return [step for step in steps if step[3]]


async def erase(rt: Runtime, member: Member, key: bytes | None, keep_words: bool = False) -> None:
    """`key`: the member's participation key, which alone finds their consultation answers.
    `keep_words`: their messages stay, as from "a former member"."""
    after = []
    async with in_transaction() as connection:
        for model, link, how, ids in await plan(member.id, key, keep_words, connection):
            after += await personal.apply(rt, connection, model, ids, how, link)
    for job in after:
        await job()
    await db.compact()
