from datetime import datetime, timezone

from tortoise import fields, migrations
from tortoise.migrations import operations as ops
from tortoise.migrations.constraints import UniqueConstraint

from network.core.resealing import marks


def _moment(value) -> datetime:
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


async def number_the_vouches(apps, schema_editor) -> None:
    """Vouches made before the slots take theirs: each month's vouches of a member numbered 1, 2...
    in the order they were made, so what was already made this month still counts. (Some months may
    hold more than today's limit, from before the database held it: their rows keep every number.)
    Administrators' invitations take none."""
    client = schema_editor.client
    mark = marks(client)
    rows = await client.execute_query_dict(
        "SELECT i.id, i.created_by_id, i.created_at FROM invitation i JOIN member m ON m.id = i.created_by_id "
        "WHERE m.role <> 'admin' ORDER BY i.created_at, i.id")
    counts: dict[tuple[int, int], int] = {}
    for row in rows:
        moment = _moment(row["created_at"]).astimezone(timezone.utc)
        month = moment.year * 12 + moment.month - 1  # network.members.invitations.period
        slot = counts[(row["created_by_id"], month)] = counts.get((row["created_by_id"], month), 0) + 1
        await client.execute_query(
            f"UPDATE invitation SET vouch_period = {mark(1)}, vouch_slot = {mark(2)} WHERE id = {mark(3)}",
            [month, slot, row["id"]])


async def fold_look_alike_sequences(apps, schema_editor) -> None:
    """Every member's skeleton by today's rule (members.pseudonyms: "rn" folds to "m", "0" to "o"...).

    Two members whose pseudonyms were told apart before and now share a skeleton both stay, as they
    are: the one who joined first takes the new skeleton (and with it refuses every new look-alike
    of both), and the later one keeps its old skeleton and is left so. Should that old skeleton be
    some other member's new one (a look-alike of them too, then), it is kept apart by a value no
    pseudonym folds to. Decoys hold a marker, not a skeleton, and are left alone."""
    from network.members.pseudonyms import skeleton  # today's rule, as registration uses it

    client = schema_editor.client
    mark = marks(client)
    rows = await client.execute_query_dict(
        "SELECT id, pseudonym, skeleton FROM member WHERE role <> 'decoy' AND pseudonym <> '' "
        "ORDER BY created_at, id")
    others = await client.execute_query_dict(
        "SELECT skeleton FROM member WHERE role = 'decoy' OR pseudonym = ''")
    used = {row["skeleton"] for row in others}
    final: dict[int, str | None] = {}
    for row in rows:
        wanted = skeleton(row["pseudonym"])
        if wanted in used:
            final[row["id"]] = None  # a look-alike of someone who joined earlier
        else:
            final[row["id"]] = wanted
            used.add(wanted)
    for row in rows:
        if final[row["id"]] is None:
            old = row["skeleton"]
            final[row["id"]] = old if old not in used else f"~kept~{row['id']}"
            used.add(final[row["id"]])
    moving = [row for row in rows if final[row["id"]] != row["skeleton"]]
    # In two steps, so that no row takes a skeleton another still holds (it is unique).
    for row in moving:
        await client.execute_query(f"UPDATE member SET skeleton = {mark(1)} WHERE id = {mark(2)}",
                                   [f"~moving~{row['id']}", row["id"]])
    for row in moving:
        await client.execute_query(f"UPDATE member SET skeleton = {mark(1)} WHERE id = {mark(2)}",
                                   [final[row["id"]], row["id"]])


class Migration(migrations.Migration):
    dependencies = [('network', '0005_random_member_ids')]

    initial = False

    operations = [
        ops.AddField(
            model_name='Invitation',
            name='vouch_period',
            field=fields.IntField(null=True),
        ),
        ops.AddField(
            model_name='Invitation',
            name='vouch_slot',
            field=fields.IntField(null=True),
        ),
        ops.RunPython(number_the_vouches, reverse_code=ops.RunPython.noop),
        ops.AddConstraint(
            model_name='Invitation',
            constraint=UniqueConstraint(fields=('created_by', 'vouch_period', 'vouch_slot'), name=None),
        ),
        ops.RunPython(fold_look_alike_sequences, reverse_code=ops.RunPython.noop),
    ]
