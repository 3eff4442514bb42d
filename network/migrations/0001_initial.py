import functools
from json import dumps, loads

from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.migrations import operations as ops

from network.core.crypto import EncryptedTextField


class Migration(migrations.Migration):
    initial = True

    operations = [
        ops.CreateModel(
            name='Member',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('pseudonym', fields.CharField(max_length=64)),
                ('pseudonym_key', fields.CharField(unique=True, max_length=128)),
                ('skeleton', fields.CharField(unique=True, max_length=128)),
                ('passphrase_hash', fields.CharField(max_length=255)),
                ('role', fields.CharField(default='member', max_length=16)),
                ('status', fields.CharField(default='active', max_length=16)),
                ('avatar', fields.CharField(default='leaf', max_length=32)),
                ('languages', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('region', fields.CharField(default='', max_length=8)),
                ('age_band', fields.CharField(default='unsaid', max_length=8)),
                ('bio', EncryptedTextField(default='', purpose='member.bio')),
                ('locale', fields.CharField(null=True, max_length=8)),
                ('visibility', fields.CharField(default='nobody', max_length=8)),
                ('invited_by', fields.ForeignKeyField('network.Member', source_field='invited_by_id', null=True, db_constraint=True, to_field='id', related_name='invitees', on_delete=OnDelete.SET_NULL)),
                ('discreet', fields.BooleanField(default=False)),
                ('duress_hash', fields.CharField(null=True, max_length=255)),
                ('duress_action', fields.CharField(default='none', max_length=8)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'member', 'app': 'network', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Invitation',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('code_hash', fields.CharField(unique=True, max_length=64)),
                ('role', fields.CharField(default='member', max_length=16)),
                ('max_uses', fields.IntField(default=1)),
                ('uses', fields.IntField(default=0)),
                ('expires_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('revoked_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('created_by', fields.ForeignKeyField('network.Member', source_field='created_by_id', null=True, db_constraint=True, to_field='id', related_name='invitations', on_delete=OnDelete.CASCADE)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'invitation', 'app': 'network', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='RecoveryCode',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('member', fields.ForeignKeyField('network.Member', source_field='member_id', db_constraint=True, to_field='id', related_name='recovery_codes', on_delete=OnDelete.CASCADE)),
                ('code_hash', fields.CharField(unique=True, max_length=64)),
                ('used_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'recovery_code', 'app': 'network', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='SafetyAlert',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('member', fields.ForeignKeyField('network.Member', source_field='member_id', null=True, db_constraint=True, to_field='id', related_name='safety_alerts', on_delete=OnDelete.SET_NULL)),
                ('kind', fields.CharField(default='duress', max_length=16)),
                ('note', EncryptedTextField(default='', purpose='safety_alert.note')),
                ('status', fields.CharField(default='open', max_length=16)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'safety_alert', 'app': 'network', 'pk_attr': 'id', 'table_description': "A private alert for the moderators' queue, e.g. raised silently by a duress login."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Session',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('token_hash', fields.CharField(unique=True, max_length=64)),
                ('member', fields.ForeignKeyField('network.Member', source_field='member_id', db_constraint=True, to_field='id', related_name='sessions', on_delete=OnDelete.CASCADE)),
                ('csrf_token', fields.CharField(max_length=64)),
                ('device', fields.CharField(default='', max_length=64)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('last_seen_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'session', 'app': 'network', 'pk_attr': 'id'},
            bases=['Model'],
        ),
    ]
