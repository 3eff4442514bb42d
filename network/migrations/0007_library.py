import functools
from json import dumps, loads

from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.indexes import Index
from tortoise.migrations import operations as ops

from network.core.crypto import EncryptedTextField
from network.library.search import create_index


async def create_search_index(apps, schema_editor) -> None:
    """The database's own full-text index of the library (FTS5 on SQLite, tsvector and trigrams on PostgreSQL)."""
    await create_index(schema_editor.client)

class Migration(migrations.Migration):
    dependencies = [('network', '0006_invitation_slots')]

    initial = False

    operations = [
        ops.CreateModel(
            name='Commitment',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('country', fields.CharField(max_length=2)),
                ('instrument', fields.CharField(max_length=200)),
                ('made_on', fields.DateField(null=True)),
                ('promise', fields.TextField(default='', unique=False)),
                ('carried_by', fields.CharField(default='', max_length=300)),
                ('status', fields.CharField(default='promised', max_length=12)),
                ('entry_ids', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'library_commitment', 'app': 'network', 'indexes': [Index(fields=['country'])], 'pk_attr': 'id', 'table_description': 'What a State promised on conflict-related sexual violence, and what carries it into law.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Entry',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('kind', fields.CharField(max_length=10)),
                ('audiences', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('countries', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('regions', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('topics', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('source', fields.CharField(default='', max_length=200)),
                ('published_on', fields.DateField(null=True)),
                ('licence', fields.CharField(default='', max_length=100)),
                ('visibility', fields.CharField(default='public', max_length=8)),
                ('status', fields.CharField(default='draft', max_length=10)),
                ('proposed_by', fields.ForeignKeyField('network.Member', source_field='proposed_by_id', null=True, db_constraint=True, to_field='id', related_name='library_proposals', on_delete=OnDelete.SET_NULL)),
                ('submitted_by', fields.ForeignKeyField('network.Member', source_field='submitted_by_id', null=True, db_constraint=True, to_field='id', related_name='library_submissions', on_delete=OnDelete.SET_NULL)),
                ('published_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('pending', fields.JSONField(null=True, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'library_entry', 'app': 'network', 'indexes': [Index(fields=['status', 'visibility'])], 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='EntryText',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('entry', fields.ForeignKeyField('network.Entry', source_field='entry_id', db_constraint=True, to_field='id', related_name='texts', on_delete=OnDelete.CASCADE)),
                ('locale', fields.CharField(max_length=8)),
                ('level', fields.CharField(default='full', max_length=4)),
                ('revision', fields.IntField()),
                ('title', fields.CharField(max_length=200)),
                ('summary', fields.TextField(default='', unique=False)),
                ('body', fields.TextField(default='', unique=False)),
                ('what_changed', fields.CharField(default='', max_length=300)),
                ('author', fields.ForeignKeyField('network.Member', source_field='author_id', null=True, db_constraint=True, to_field='id', related_name='library_texts', on_delete=OnDelete.SET_NULL)),
                ('published', fields.BooleanField(default=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'library_text', 'app': 'network', 'unique_together': (('entry', 'locale', 'level', 'revision'),), 'pk_attr': 'id', 'table_description': "One version of an entry's text in one language and reading level. Never changed once written,"},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='LibraryEvent',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('subject', fields.CharField(max_length=12)),
                ('subject_id', fields.IntField()),
                ('action', fields.CharField(max_length=20)),
                ('actor', fields.ForeignKeyField('network.Member', source_field='actor_id', null=True, db_constraint=True, to_field='id', related_name='library_events', on_delete=OnDelete.SET_NULL)),
                ('detail', fields.TextField(default='', unique=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'library_event', 'app': 'network', 'indexes': [Index(fields=['subject', 'subject_id'])], 'pk_attr': 'id', 'table_description': "The curators' log: every change to the library, who made it and when. Rows are added, never"},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Service',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('kind', fields.CharField(max_length=12)),
                ('name', fields.CharField(max_length=200)),
                ('country', fields.CharField(max_length=2)),
                ('region', fields.CharField(default='', max_length=100)),
                ('languages', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('hours', fields.CharField(default='', max_length=200)),
                ('cost', fields.CharField(default='free', max_length=8)),
                ('summary', fields.TextField(default='', unique=False)),
                ('website', fields.CharField(default='', max_length=300)),
                ('visibility', fields.CharField(default='public', max_length=8)),
                ('last_verified', fields.DateField(null=True)),
                ('address', EncryptedTextField(default='', purpose='library_service.address')),
                ('phone', EncryptedTextField(default='', purpose='library_service.phone')),
                ('how_to_reach', EncryptedTextField(default='', purpose='library_service.how_to_reach')),
                ('call_logged', fields.BooleanField(null=True)),
                ('active', fields.BooleanField(default=True)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'library_service', 'app': 'network', 'indexes': [Index(fields=['country', 'kind'])], 'pk_attr': 'id', 'table_description': 'A support service members can be referred to. How to reach it is sealed at rest and shown'},
            bases=['EncryptedModel'],
        ),
        ops.CreateModel(
            name='ServiceSuggestion',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('service', fields.ForeignKeyField('network.Service', source_field='service_id', null=True, db_constraint=True, to_field='id', related_name='suggestions', on_delete=OnDelete.CASCADE)),
                ('member', fields.ForeignKeyField('network.Member', source_field='member_id', null=True, db_constraint=True, to_field='id', related_name='library_suggestions', on_delete=OnDelete.SET_NULL)),
                ('proposal', EncryptedTextField(default='{}', purpose='library_suggestion.proposal')),
                ('note', EncryptedTextField(default='', purpose='library_suggestion.note')),
                ('status', fields.CharField(default='open', max_length=10)),
                ('reason', fields.TextField(default='', unique=False)),
                ('decided_by', fields.ForeignKeyField('network.Member', source_field='decided_by_id', null=True, db_constraint=True, to_field='id', related_name='library_decisions', on_delete=OnDelete.SET_NULL)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('decided_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'library_suggestion', 'app': 'network', 'pk_attr': 'id', 'table_description': "A member's correction to a service, or a new one, until a curator decides."},
            bases=['EncryptedModel'],
        ),
        ops.RunPython(create_search_index, reverse_code=ops.RunPython.noop),
    ]
