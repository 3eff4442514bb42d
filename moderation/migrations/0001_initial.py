from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.migrations import operations as ops

from network.core.crypto import EncryptedTextField


class Migration(migrations.Migration):
    dependencies = [('messaging', '0001_initial'), ('network', '0001_initial')]

    initial = True

    operations = [
        ops.CreateModel(
            name='Claim',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('kind', fields.CharField(max_length=8)),
                ('item_id', fields.IntField()),
                ('moderator', fields.ForeignKeyField('network.Member', source_field='moderator_id', db_constraint=True, to_field='id', related_name='claims', on_delete=OnDelete.CASCADE)),
                ('escalated', fields.BooleanField(default=False)),
                ('claimed_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'mod_claim', 'app': 'moderation', 'unique_together': (('kind', 'item_id'),), 'pk_attr': 'id', 'table_description': 'A moderator working on a queue item, so others see it is taken.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='LogEntry',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('actor', fields.ForeignKeyField('network.Member', source_field='actor_id', null=True, db_constraint=True, to_field='id', related_name='log_entries', on_delete=OnDelete.SET_NULL)),
                ('actor_name', fields.CharField(max_length=64)),
                ('action', fields.CharField(max_length=24)),
                ('target', fields.CharField(max_length=200)),
                ('reason', fields.TextField(default='', unique=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'mod_log', 'app': 'moderation', 'pk_attr': 'id', 'table_description': 'The moderator log: written once, never changed or deleted by the application.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Note',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('member', fields.ForeignKeyField('network.Member', source_field='member_id', db_constraint=True, to_field='id', related_name='mod_notes', on_delete=OnDelete.CASCADE)),
                ('author', fields.ForeignKeyField('network.Member', source_field='author_id', null=True, db_constraint=True, to_field='id', related_name='mod_notes_written', on_delete=OnDelete.SET_NULL)),
                ('text', EncryptedTextField(purpose='moderator_note.text')),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'mod_note', 'app': 'moderation', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Report',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('reporter', fields.ForeignKeyField('network.Member', source_field='reporter_id', null=True, db_constraint=True, to_field='id', related_name='reports_made', on_delete=OnDelete.SET_NULL)),
                ('target', fields.CharField(max_length=8)),
                ('message', fields.ForeignKeyField('messaging.Message', source_field='message_id', null=True, db_constraint=True, to_field='id', related_name='reports', on_delete=OnDelete.SET_NULL)),
                ('member', fields.ForeignKeyField('network.Member', source_field='member_id', null=True, db_constraint=True, to_field='id', related_name='reports_about', on_delete=OnDelete.SET_NULL)),
                ('text_id', fields.IntField(null=True)),
                ('reason', fields.CharField(max_length=12)),
                ('note', EncryptedTextField(default='', purpose='report.note')),
                ('priority', fields.IntField(default=2)),
                ('status', fields.CharField(default='open', max_length=10)),
                ('outcome', fields.CharField(null=True, max_length=12)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('resolved_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'mod_report', 'app': 'moderation', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Sanction',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('member', fields.ForeignKeyField('network.Member', source_field='member_id', db_constraint=True, to_field='id', related_name='sanctions', on_delete=OnDelete.CASCADE)),
                ('kind', fields.CharField(max_length=8)),
                ('room', fields.ForeignKeyField('messaging.Room', source_field='room_id', null=True, db_constraint=True, to_field='id', related_name='sanctions', on_delete=OnDelete.CASCADE)),
                ('until', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('reason', fields.TextField(unique=False)),
                ('by', fields.ForeignKeyField('network.Member', source_field='by_id', null=True, db_constraint=True, to_field='id', related_name='sanctions_given', on_delete=OnDelete.SET_NULL)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('lifted_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'mod_sanction', 'app': 'moderation', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Appeal',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('sanction', fields.OneToOneField('moderation.Sanction', source_field='sanction_id', db_constraint=True, to_field='id', related_name='appeal', on_delete=OnDelete.CASCADE)),
                ('text', EncryptedTextField(default='', purpose='appeal.text')),
                ('status', fields.CharField(default='open', max_length=10)),
                ('decided_by', fields.ForeignKeyField('network.Member', source_field='decided_by_id', null=True, db_constraint=True, to_field='id', related_name='appeals_decided', on_delete=OnDelete.SET_NULL)),
                ('decision_reason', fields.TextField(default='', unique=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('decided_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'mod_appeal', 'app': 'moderation', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Notice',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('member', fields.ForeignKeyField('network.Member', source_field='member_id', db_constraint=True, to_field='id', related_name='notices', on_delete=OnDelete.CASCADE)),
                ('kind', fields.CharField(max_length=24)),
                ('reason', fields.TextField(default='', unique=False)),
                ('sanction', fields.ForeignKeyField('moderation.Sanction', source_field='sanction_id', null=True, db_constraint=True, to_field='id', related_name='notices', on_delete=OnDelete.SET_NULL)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('read_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'mod_notice', 'app': 'moderation', 'pk_attr': 'id', 'table_description': 'What a member is told: an action about them and its reason, or the outcome of their report.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='WatchedWord',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('locale', fields.CharField(max_length=8)),
                ('word', fields.CharField(max_length=100)),
                ('action', fields.CharField(default='hold', max_length=6)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'mod_watched_word', 'app': 'moderation', 'unique_together': (('locale', 'word'),), 'pk_attr': 'id'},
            bases=['Model'],
        ),
    ]
