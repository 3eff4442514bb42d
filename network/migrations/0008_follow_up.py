from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.migrations import operations as ops
from tortoise.migrations.constraints import UniqueConstraint

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
        ops.AddField(
            model_name='Stipend',
            name='month',
            field=fields.CharField(null=True, max_length=7),
        ),
        ops.AddField(
            model_name='Stipend',
            name='months',
            field=fields.IntField(default=1, db_default=1),
        ),
        ops.AddField(
            model_name='Stipend',
            name='renewal_of',
            field=fields.ForeignKeyField('network.Stipend', source_field='renewal_of_id', null=True, db_constraint=True, to_field='id', related_name='renewals', on_delete=OnDelete.CASCADE),
        ),
        ops.AddField(
            model_name='Stipend',
            name='stopped_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddConstraint(
            model_name='Stipend',
            constraint=UniqueConstraint(fields=('renewal_of', 'month'), name=None),
        ),
    ]
