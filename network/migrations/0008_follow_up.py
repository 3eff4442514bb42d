from tortoise import migrations
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
    ]
