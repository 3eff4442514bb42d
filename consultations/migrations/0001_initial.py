import functools
from json import dumps, loads

from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.indexes import Index
from tortoise.migrations import operations as ops

from network.core.crypto import EncryptedTextField


class Migration(migrations.Migration):
    dependencies = [('network', '0001_initial')]

    initial = True

    operations = [
        ops.CreateModel(
            name='Consultation',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('owner', fields.ForeignKeyField('network.Member', source_field='owner_id', null=True, db_constraint=True, to_field='id', related_name='consultations', on_delete=OnDelete.SET_NULL)),
                ('status', fields.CharField(default='draft', max_length=12)),
                ('original_locale', fields.CharField(default='en', max_length=8)),
                ('title', fields.JSONField(default=dict, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('summary', fields.JSONField(default=dict, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('consent_text', fields.JSONField(default=dict, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('consent_version', fields.IntField(default=1)),
                ('version', fields.IntField(default=1)),
                ('audience', fields.JSONField(default=dict, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('k', fields.IntField(default=5)),
                ('opens_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('closes_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('outcome_heard', fields.JSONField(default=dict, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('outcome_will_do', fields.JSONField(default=dict, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'consultation', 'app': 'consultations', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Participation',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('consultation', fields.ForeignKeyField('consultations.Consultation', source_field='consultation_id', db_constraint=True, to_field='id', related_name='participations', on_delete=OnDelete.CASCADE)),
                ('token', fields.CharField(max_length=64)),
                ('consent_version', fields.IntField()),
                ('consented_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('submitted', fields.BooleanField(default=False)),
                ('submitted_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('read_version', fields.IntField(default=0)),
                ('outcome_seen', fields.BooleanField(default=False)),
                ('language', fields.CharField(null=True, max_length=8)),
                ('region', fields.CharField(null=True, max_length=8)),
                ('age_band', fields.CharField(null=True, max_length=8)),
            ],
            options={'table': 'consultation_participation', 'app': 'consultations', 'unique_together': (('consultation', 'token'),), 'pk_attr': 'id', 'table_description': "One member's part in one consultation, under an HMAC token: who it is cannot be read back."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Section',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('consultation', fields.ForeignKeyField('consultations.Consultation', source_field='consultation_id', db_constraint=True, to_field='id', related_name='sections', on_delete=OnDelete.CASCADE)),
                ('position', fields.IntField()),
                ('heading', fields.JSONField(default=dict, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('body', fields.JSONField(default=dict, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('changed_in_version', fields.IntField(default=1)),
            ],
            options={'table': 'consultation_section', 'app': 'consultations', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Question',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('consultation', fields.ForeignKeyField('consultations.Consultation', source_field='consultation_id', db_constraint=True, to_field='id', related_name='questions', on_delete=OnDelete.CASCADE)),
                ('position', fields.IntField()),
                ('kind', fields.CharField(max_length=10)),
                ('prompt', fields.JSONField(default=dict, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('required', fields.BooleanField(default=False)),
                ('options', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('max_choices', fields.IntField(null=True)),
                ('scale_min', fields.IntField(null=True)),
                ('scale_max', fields.IntField(null=True)),
                ('scale_labels', fields.JSONField(default=dict, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('max_length', fields.IntField(null=True)),
                ('section', fields.ForeignKeyField('consultations.Section', source_field='section_id', null=True, db_constraint=True, to_field='id', related_name='comment_questions', on_delete=OnDelete.SET_NULL)),
            ],
            options={'table': 'consultation_question', 'app': 'consultations', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Answer',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('participation', fields.ForeignKeyField('consultations.Participation', source_field='participation_id', db_constraint=True, to_field='id', related_name='answers', on_delete=OnDelete.CASCADE)),
                ('question', fields.ForeignKeyField('consultations.Question', source_field='question_id', db_constraint=True, to_field='id', related_name='answers', on_delete=OnDelete.CASCADE)),
                ('option', fields.IntField(null=True)),
                ('rank', fields.IntField(null=True)),
                ('value', fields.IntField(null=True)),
                ('text', EncryptedTextField(null=True, purpose='consultation_answer.text')),
                ('review', fields.CharField(null=True, max_length=10)),
                ('released_text', EncryptedTextField(null=True, purpose='consultation_answer.released')),
            ],
            options={'table': 'consultation_answer', 'app': 'consultations', 'indexes': [Index(fields=['question_id', 'option'])], 'pk_attr': 'id'},
            bases=['Model'],
        ),
    ]
