from tortoise import fields, migrations
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [('network', '0001_initial'), ('network', '0002_stipends')]

    initial = False

    operations = [
        ops.AddField(
            model_name='Member',
            name='vault',
            field=fields.TextField(null=True, unique=False),
        ),
        ops.AddField(
            model_name='Member',
            name='vault_renewed',
            field=fields.BooleanField(default=False),
        ),
        ops.AddField(
            model_name='Member',
            name='vault_version',
            field=fields.IntField(default=0),
        ),
        ops.AddField(
            model_name='RecoveryCode',
            name='record',
            field=fields.CharField(null=True, max_length=255),
        ),
        ops.AddField(
            model_name='RecoveryCode',
            name='vault',
            field=fields.TextField(null=True, unique=False),
        ),
        ops.AddField(
            model_name='Session',
            name='vault',
            field=fields.TextField(null=True, unique=False),
        ),
    ]
