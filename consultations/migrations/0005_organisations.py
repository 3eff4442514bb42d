import functools
from json import dumps, loads

from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [('consultations', '0004_follow_up'), ('network', '0010_organisations')]

    initial = False

    operations = [
        ops.CreateModel(
            name='OrganisationResponse',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('consultation', fields.ForeignKeyField('consultations.Consultation', source_field='consultation_id', db_constraint=True, to_field='id', related_name='organisation_responses', on_delete=OnDelete.CASCADE)),
                ('organisation', fields.ForeignKeyField('network.Organisation', source_field='organisation_id', db_constraint=True, to_field='id', related_name='consultation_responses', on_delete=OnDelete.CASCADE)),
                ('representative', fields.ForeignKeyField('network.Member', source_field='representative_id', null=True, db_constraint=True, to_field='id', related_name='organisation_responses', on_delete=OnDelete.SET_NULL)),
                ('answers', fields.JSONField(default=dict, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('status', fields.CharField(default='draft', max_length=10)),
                ('submitted_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'consultation_organisation_response', 'app': 'consultations', 'unique_together': (('consultation', 'organisation'),), 'pk_attr': 'id', 'table_description': "A partner organisation's answer to a consultation, in its own name: one per organisation, kept"},
            bases=['Model'],
        ),
    ]
