import functools
from json import dumps, loads

from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [('network', '0009_meetings')]

    initial = False

    operations = [
        ops.CreateModel(
            name='Organisation',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('name', fields.CharField(unique=True, max_length=120)),
                ('kind', fields.CharField(default='other', max_length=14)),
                ('country', fields.CharField(max_length=2)),
                ('languages', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('profile', fields.TextField(default='', unique=False)),
                ('active', fields.BooleanField(default=True)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'organisation', 'app': 'network', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Grant',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('stipend', fields.OneToOneField('network.Stipend', source_field='stipend_id', db_constraint=True, to_field='id', related_name='grant', on_delete=OnDelete.CASCADE)),
                ('organisation', fields.ForeignKeyField('network.Organisation', source_field='organisation_id', db_constraint=True, to_field='id', related_name='grants', on_delete=OnDelete.RESTRICT)),
                ('applied_by', fields.ForeignKeyField('network.Member', source_field='applied_by_id', null=True, db_constraint=True, to_field='id', related_name='grants_applied', on_delete=OnDelete.SET_NULL)),
                ('title', fields.CharField(max_length=200)),
                ('for_whom', fields.TextField(unique=False)),
                ('starts_on', fields.DateField()),
                ('ends_on', fields.DateField()),
                ('light', fields.BooleanField()),
                ('cluster', fields.BooleanField(default=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'org_grant', 'app': 'network', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ClusterProject',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('grant', fields.ForeignKeyField('network.Grant', source_field='grant_id', db_constraint=True, to_field='id', related_name='projects', on_delete=OnDelete.CASCADE)),
                ('name', fields.CharField(max_length=120)),
                ('what', fields.TextField(unique=False)),
                ('amount_minor', fields.BigIntField()),
            ],
            options={'table': 'org_grant_cluster_project', 'app': 'network', 'pk_attr': 'id', 'table_description': 'One small, grassroots project funded under a cluster grant, which reports once for all of them.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='GrantLine',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('grant', fields.ForeignKeyField('network.Grant', source_field='grant_id', db_constraint=True, to_field='id', related_name='lines', on_delete=OnDelete.CASCADE)),
                ('item', fields.CharField(max_length=200)),
                ('amount_minor', fields.BigIntField()),
                ('spent_minor', fields.BigIntField(null=True)),
                ('receipt', fields.CharField(default='', max_length=200)),
            ],
            options={'table': 'org_grant_line', 'app': 'network', 'pk_attr': 'id', 'table_description': 'A line of the budget table a grant above the threshold gives, and at its report what was spent'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='GrantReport',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('grant', fields.OneToOneField('network.Grant', source_field='grant_id', db_constraint=True, to_field='id', related_name='report', on_delete=OnDelete.CASCADE)),
                ('did', fields.TextField(unique=False)),
                ('reached', fields.TextField(unique=False)),
                ('learned', fields.TextField(unique=False)),
                ('written_by', fields.ForeignKeyField('network.Member', source_field='written_by_id', null=True, db_constraint=True, to_field='id', related_name='grant_reports', on_delete=OnDelete.SET_NULL)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'org_grant_report', 'app': 'network', 'pk_attr': 'id', 'table_description': "The one report at a grant's end (one per grant, a cluster's included: the database holds it to one)."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Mentoring',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('organisation', fields.ForeignKeyField('network.Organisation', source_field='organisation_id', db_constraint=True, to_field='id', related_name='mentoring', on_delete=OnDelete.CASCADE)),
                ('grant', fields.ForeignKeyField('network.Grant', source_field='grant_id', null=True, db_constraint=True, to_field='id', related_name='mentoring', on_delete=OnDelete.SET_NULL)),
                ('topic', fields.CharField(max_length=16)),
                ('note', fields.TextField(default='', unique=False)),
                ('status', fields.CharField(default='asked', max_length=8)),
                ('asked_by', fields.ForeignKeyField('network.Member', source_field='asked_by_id', null=True, db_constraint=True, to_field='id', related_name='mentoring_asked', on_delete=OnDelete.SET_NULL)),
                ('mentor', fields.ForeignKeyField('network.Member', source_field='mentor_id', null=True, db_constraint=True, to_field='id', related_name='mentoring_given', on_delete=OnDelete.SET_NULL)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('matched_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'org_grant_mentoring', 'app': 'network', 'pk_attr': 'id', 'table_description': "An organisation's request for mentoring on a topic, the mentor administrators matched, and the"},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='MentoringSession',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('mentoring', fields.ForeignKeyField('network.Mentoring', source_field='mentoring_id', db_constraint=True, to_field='id', related_name='sessions', on_delete=OnDelete.CASCADE)),
                ('held_on', fields.DateField()),
                ('notes', fields.TextField(default='', unique=False)),
                ('written_by', fields.ForeignKeyField('network.Member', source_field='written_by_id', null=True, db_constraint=True, to_field='id', related_name='mentoring_notes', on_delete=OnDelete.SET_NULL)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'org_grant_mentoring_session', 'app': 'network', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Representative',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('organisation', fields.ForeignKeyField('network.Organisation', source_field='organisation_id', db_constraint=True, to_field='id', related_name='representatives', on_delete=OnDelete.CASCADE)),
                ('member', fields.ForeignKeyField('network.Member', source_field='member_id', db_constraint=True, to_field='id', related_name='representing', on_delete=OnDelete.CASCADE)),
                ('added_by', fields.ForeignKeyField('network.Member', source_field='added_by_id', null=True, db_constraint=True, to_field='id', related_name='representatives_added', on_delete=OnDelete.SET_NULL)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'organisation_representative', 'app': 'network', 'unique_together': (('organisation', 'member'),), 'pk_attr': 'id', 'table_description': 'A member who acts for an organisation: answers consultations on its behalf, applies for its'},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='Entry',
            name='proposed_for',
            field=fields.ForeignKeyField('network.Organisation', source_field='proposed_for_id', null=True, db_constraint=True, to_field='id', related_name='library_entries', on_delete=OnDelete.SET_NULL),
        ),
        ops.AddField(
            model_name='Fund',
            name='small_grant_minor',
            field=fields.BigIntField(default=0, db_default=0),
        ),
        ops.AddField(
            model_name='Meeting',
            name='organisation',
            field=fields.ForeignKeyField('network.Organisation', source_field='organisation_id', null=True, db_constraint=True, to_field='id', related_name='meetings', on_delete=OnDelete.SET_NULL),
        ),
        ops.AddField(
            model_name='Member',
            name='time_zone',
            field=fields.CharField(default='', db_default='', max_length=40),
        ),
        ops.AddField(
            model_name='Stipend',
            name='organisation',
            field=fields.ForeignKeyField('network.Organisation', source_field='organisation_id', null=True, db_constraint=True, to_field='id', related_name='stipends', on_delete=OnDelete.RESTRICT),
        ),
    ]
