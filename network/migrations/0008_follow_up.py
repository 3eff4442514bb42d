from tortoise import fields, migrations
from tortoise.migrations import operations as ops

from network.core.crypto import EncryptedTextField


class Migration(migrations.Migration):
    dependencies = [('network', '0007_library')]

    initial = False

    operations = [
        ops.AddField(
            model_name='Member',
            name='counted_as',
            field=EncryptedTextField(null=True, purpose='member.counted_as'),
        ),
        ops.AddField(
            model_name='Member',
            name='notice_cursor',
            field=fields.TextField(null=True, unique=False),
        ),
    ]
