from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.indexes import Index
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [('network', '0001_initial')]

    initial = True

    operations = [
        ops.CreateModel(
            name='Room',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('name', fields.CharField(max_length=80)),
                ('description', fields.CharField(default='', max_length=500)),
                ('language', fields.CharField(default='en', max_length=8)),
                ('region', fields.CharField(null=True, max_length=8)),
                ('kind', fields.CharField(default='open', max_length=8)),
                ('retention', fields.CharField(default='keep', max_length=4)),
                ('slow_mode_seconds', fields.IntField(default=0)),
                ('age_group', fields.CharField(default='adults', max_length=8)),
                ('support_member', fields.ForeignKeyField('network.Member', source_field='support_member_id', null=True, db_constraint=True, to_field='id', related_name='support_rooms', on_delete=OnDelete.CASCADE)),
                ('created_by', fields.ForeignKeyField('network.Member', source_field='created_by_id', null=True, db_constraint=True, to_field='id', related_name='rooms_created', on_delete=OnDelete.SET_NULL)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'room', 'app': 'messaging', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Membership',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('room', fields.ForeignKeyField('messaging.Room', source_field='room_id', db_constraint=True, to_field='id', related_name='memberships', on_delete=OnDelete.CASCADE)),
                ('member', fields.ForeignKeyField('network.Member', source_field='member_id', db_constraint=True, to_field='id', related_name='memberships', on_delete=OnDelete.CASCADE)),
                ('joined_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'room_membership', 'app': 'messaging', 'unique_together': (('room', 'member'),), 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Message',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('room', fields.ForeignKeyField('messaging.Room', source_field='room_id', db_constraint=True, to_field='id', related_name='messages', on_delete=OnDelete.CASCADE)),
                ('author', fields.ForeignKeyField('network.Member', source_field='author_id', null=True, db_constraint=True, to_field='id', related_name='messages', on_delete=OnDelete.SET_NULL)),
                ('body', fields.TextField(unique=False)),
                ('content_warning', fields.CharField(default='', max_length=200)),
                ('reply_to', fields.ForeignKeyField('messaging.Message', source_field='reply_to_id', null=True, db_constraint=True, to_field='id', related_name='replies', on_delete=OnDelete.SET_NULL)),
                ('client_id', fields.CharField(null=True, max_length=64)),
                ('status', fields.CharField(default='visible', max_length=8)),
                ('held_reason', fields.CharField(default='', max_length=200)),
                ('edited_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('expires_at', fields.DatetimeField(null=True, db_index=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'room_message', 'app': 'messaging', 'unique_together': (('room', 'author', 'client_id'),), 'indexes': [Index(fields=['room_id', 'id'])], 'pk_attr': 'id'},
            bases=['Model'],
        ),
    ]
