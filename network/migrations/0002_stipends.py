import functools
from json import dumps, loads

from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.migrations import operations as ops

from network.core.crypto import EncryptedTextField


class Migration(migrations.Migration):
    dependencies = [('network', '0001_initial')]

    initial = False

    operations = [
        ops.CreateModel(
            name='Fund',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('name', fields.CharField(max_length=100)),
                ('currency', fields.CharField(max_length=3)),
                ('donor_label', fields.CharField(default='', max_length=100)),
                ('receipt_threshold_minor', fields.BigIntField(default=0)),
                ('two_approver_threshold_minor', fields.BigIntField(default=0)),
                ('caps', fields.JSONField(default=dict, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'fund', 'app': 'network', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Budget',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('fund', fields.ForeignKeyField('network.Fund', source_field='fund_id', db_constraint=True, to_field='id', related_name='budgets', on_delete=OnDelete.CASCADE)),
                ('period_start', fields.DateField()),
                ('period_end', fields.DateField()),
                ('amount_minor', fields.BigIntField()),
                ('reserved_minor', fields.BigIntField(default=0)),
            ],
            options={'table': 'fund_budget', 'app': 'network', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Stipend',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('member', fields.ForeignKeyField('network.Member', source_field='member_id', null=True, db_constraint=True, to_field='id', related_name='stipends', on_delete=OnDelete.SET_NULL)),
                ('fund', fields.ForeignKeyField('network.Fund', source_field='fund_id', db_constraint=True, to_field='id', related_name='stipends', on_delete=OnDelete.RESTRICT)),
                ('budget', fields.ForeignKeyField('network.Budget', source_field='budget_id', null=True, db_constraint=True, to_field='id', related_name='stipends', on_delete=OnDelete.SET_NULL)),
                ('kind', fields.CharField(max_length=10)),
                ('amount_minor', fields.BigIntField()),
                ('currency', fields.CharField(max_length=3)),
                ('purpose', fields.CharField(max_length=500)),
                ('link', fields.CharField(default='', max_length=200)),
                ('payout_method', fields.CharField(max_length=14)),
                ('payout_details', EncryptedTextField(null=True, purpose='stipend.payout_details')),
                ('receipt_needed', fields.BooleanField(default=False)),
                ('region', fields.CharField(default='', max_length=8)),
                ('status', fields.CharField(default='pending', max_length=10)),
                ('reason', fields.TextField(default='', unique=False)),
                ('paid_reference', fields.CharField(default='', max_length=100)),
                ('paid_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'stipend', 'app': 'network', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='StipendApproval',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('stipend', fields.ForeignKeyField('network.Stipend', source_field='stipend_id', db_constraint=True, to_field='id', related_name='approvals', on_delete=OnDelete.CASCADE)),
                ('admin', fields.ForeignKeyField('network.Member', source_field='admin_id', null=True, db_constraint=True, to_field='id', related_name='stipend_approvals', on_delete=OnDelete.SET_NULL)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'stipend_approval', 'app': 'network', 'unique_together': (('stipend', 'admin'),), 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='StipendEvent',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('stipend', fields.ForeignKeyField('network.Stipend', source_field='stipend_id', db_constraint=True, to_field='id', related_name='events', on_delete=OnDelete.CASCADE)),
                ('actor', fields.ForeignKeyField('network.Member', source_field='actor_id', null=True, db_constraint=True, to_field='id', related_name='stipend_events', on_delete=OnDelete.SET_NULL)),
                ('actor_name', fields.CharField(max_length=64)),
                ('action', fields.CharField(max_length=20)),
                ('detail', fields.TextField(default='', unique=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'stipend_event', 'app': 'network', 'pk_attr': 'id', 'table_description': 'The audit trail: every change of a request, who made it and when.'},
            bases=['Model'],
        ),
    ]
