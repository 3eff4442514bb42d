from tortoise import migrations
from tortoise.migrations import operations as ops

from network.core.crypto import EncryptedTextField
from network.core.resealing import reseal


async def seal_messages(apps, schema_editor) -> None:
    """Room messages were stored as plain text: each is sealed to its row."""
    await reseal(schema_editor, "room_message", {"body": None, "content_warning": None})


class Migration(migrations.Migration):
    dependencies = [('messaging', '0002_room_event_log'), ('network', '0001_initial'), ('network', '0002_stipends'),
                    ('network', '0003_participation_keys')]

    initial = False

    operations = [
        ops.AlterField(
            model_name='Message',
            name='body',
            field=EncryptedTextField(),
        ),
        ops.AlterField(
            model_name='Message',
            name='content_warning',
            field=EncryptedTextField(default=''),
        ),
        ops.RunPython(seal_messages, reverse_code=ops.RunPython.noop),
    ]
