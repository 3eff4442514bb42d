from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [('messaging', '0003_personal_data'), ('network', '0010_organisations')]

    initial = False

    operations = [
        ops.AddField(
            model_name='Room',
            name='organisation',
            field=fields.ForeignKeyField('network.Organisation', source_field='organisation_id', null=True, db_constraint=True, to_field='id', related_name='rooms', on_delete=OnDelete.SET_NULL),
        ),
    ]
