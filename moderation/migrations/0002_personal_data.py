import re

from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.migrations import operations as ops

from network.core.crypto import EncryptedTextField
from network.core.resealing import marks, reseal


async def seal_and_stop_copying_names(apps, schema_editor) -> None:
    """Texts sealed to their rows; log entries keep who acted by id only and learn whom they were about."""
    client = schema_editor.client
    mark = marks(client)
    await reseal(schema_editor, "mod_report", {"note": "report.note"})
    await reseal(schema_editor, "mod_appeal", {"text": "appeal.text"})
    await reseal(schema_editor, "mod_note", {"text": "moderator_note.text"})
    await reseal(schema_editor, "mod_sanction", {"reason": None})
    await reseal(schema_editor, "mod_notice", {"reason": None})
    await client.execute_query("UPDATE mod_log SET system = TRUE WHERE actor_name = 'system'")
    rows = await client.execute_query_dict("SELECT id, target FROM mod_log")
    for row in rows:
        about = re.search(r"\bmember (\d+)", row["target"])
        if about:
            await client.execute_query(
                f"UPDATE mod_log SET subject_id = (SELECT id FROM member WHERE id = {mark(1)}) WHERE id = {mark(2)}",
                [int(about.group(1)), row["id"]])


class Migration(migrations.Migration):
    dependencies = [('messaging', '0002_room_event_log'), ('moderation', '0001_initial'), ('network', '0001_initial'),
                    ('network', '0002_stipends'), ('network', '0003_participation_keys')]

    initial = False

    operations = [
        ops.AddField(
            model_name='LogEntry',
            name='subject',
            field=fields.ForeignKeyField('network.Member', source_field='subject_id', null=True, db_constraint=True,
                                         to_field='id', related_name='log_entries_about',
                                         on_delete=OnDelete.SET_NULL),
        ),
        ops.AddField(
            model_name='LogEntry',
            name='system',
            field=fields.BooleanField(default=False, db_default=False),
        ),
        ops.AlterField(
            model_name='Notice',
            name='reason',
            field=EncryptedTextField(default=''),
        ),
        ops.AlterField(
            model_name='Sanction',
            name='reason',
            field=EncryptedTextField(),
        ),
        ops.RunPython(seal_and_stop_copying_names, reverse_code=ops.RunPython.noop),
        ops.RemoveField(model_name='LogEntry', name='actor_name'),
    ]
