import functools
from json import dumps, loads

from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.migrations import operations as ops

from network.core.crypto import EncryptedTextField


class Migration(migrations.Migration):
    dependencies = [('network', '0008_follow_up')]

    initial = False

    operations = [
        ops.CreateModel(
            name='Meeting',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('organiser', fields.ForeignKeyField('network.Member', source_field='organiser_id', null=True, db_constraint=True, to_field='id', related_name='meetings_organised', on_delete=OnDelete.SET_NULL)),
                ('kind', fields.CharField(max_length=12)),
                ('title', fields.CharField(max_length=200)),
                ('summary', fields.TextField(default='', unique=False)),
                ('agenda', fields.TextField(default='', unique=False)),
                ('outcome', fields.TextField(default='', unique=False)),
                ('online', fields.BooleanField(default=False)),
                ('city', fields.CharField(default='', max_length=80)),
                ('address', EncryptedTextField(null=True, purpose='meeting.address')),
                ('starts_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('ends_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('time_zone', fields.CharField(default='UTC', max_length=40)),
                ('languages', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('interpretation', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('capacity', fields.IntField()),
                ('accepted', fields.IntField(default=0)),
                ('fund', fields.ForeignKeyField('network.Fund', source_field='fund_id', null=True, db_constraint=True, to_field='id', related_name='meetings', on_delete=OnDelete.SET_NULL)),
                ('travel_minor', fields.BigIntField(default=0)),
                ('time_off_minor', fields.BigIntField(default=0)),
                ('status', fields.CharField(default='planned', max_length=10)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'meeting', 'app': 'network', 'pk_attr': 'id'},
            bases=['EncryptedModel'],
        ),
        ops.CreateModel(
            name='Place',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('meeting', fields.ForeignKeyField('network.Meeting', source_field='meeting_id', db_constraint=True, to_field='id', related_name='places', on_delete=OnDelete.CASCADE)),
                ('member', fields.ForeignKeyField('network.Member', source_field='member_id', db_constraint=True, to_field='id', related_name='places', on_delete=OnDelete.CASCADE)),
                ('status', fields.CharField(default='asked', max_length=10)),
                ('waiting_since', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('attended', fields.BooleanField(null=True)),
                ('stipend', fields.ForeignKeyField('network.Stipend', source_field='stipend_id', null=True, db_constraint=True, to_field='id', related_name='places', on_delete=OnDelete.SET_NULL)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'meeting_place', 'app': 'network', 'unique_together': (('meeting', 'member'),), 'pk_attr': 'id', 'table_description': "A member's place in a meeting: asked, accepted, on the waiting list (in the order they came),"},
            bases=['Model'],
        ),
    ]
