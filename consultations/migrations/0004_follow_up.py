import functools
from json import dumps, loads

from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.migrations import operations as ops

from network.core.crypto import EncryptedTextField


class Migration(migrations.Migration):
    dependencies = [('consultations', '0003_sealed_to_rows'), ('network', '0007_library')]

    initial = False

    operations = [
        ops.CreateModel(
            name='Commitment',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('consultation', fields.ForeignKeyField('consultations.Consultation', source_field='consultation_id', db_constraint=True, to_field='id', related_name='commitments', on_delete=OnDelete.CASCADE)),
                ('position', fields.IntField(default=0)),
                ('what', fields.JSONField(default=dict, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('who', fields.CharField(max_length=200)),
                ('due_on', fields.DateField(null=True)),
                ('status', fields.CharField(default='planned', max_length=10)),
                ('reason', fields.JSONField(default=dict, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('changed_on', fields.DateField()),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'consultation_commitment', 'app': 'consultations', 'pk_attr': 'id', 'table_description': "What an outcome says will be done, by whom, by when: the policymaker's word, followed over time."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='CommitmentUpdate',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('consultation', fields.ForeignKeyField('consultations.Consultation', source_field='consultation_id', db_constraint=True, to_field='id', related_name='commitment_updates', on_delete=OnDelete.CASCADE)),
                ('commitment', fields.ForeignKeyField('consultations.Commitment', source_field='commitment_id', db_constraint=True, to_field='id', related_name='updates', on_delete=OnDelete.CASCADE)),
                ('status', fields.CharField(max_length=10)),
                ('note', fields.JSONField(default=dict, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('made_on', fields.DateField()),
            ],
            options={'table': 'consultation_commitment_update', 'app': 'consultations', 'pk_attr': 'id', 'table_description': 'One status update, written once: the followers of the consultation are told of each, in order.'},
            bases=['AppendOnlyModel'],
        ),
        ops.CreateModel(
            name='Follow',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('consultation', fields.ForeignKeyField('consultations.Consultation', source_field='consultation_id', db_constraint=True, to_field='id', related_name='follows', on_delete=OnDelete.CASCADE)),
                ('token', fields.CharField(max_length=64)),
            ],
            options={'table': 'consultation_follow', 'app': 'consultations', 'unique_together': (('consultation', 'token'),), 'pk_attr': 'id', 'table_description': "A member following a consultation's commitments, under a token only their key makes (as a"},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Proposal',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('author_token', fields.CharField(null=True, max_length=64)),
                ('kind', fields.CharField(max_length=10)),
                ('locale', fields.CharField(max_length=8)),
                ('text', EncryptedTextField(null=True, purpose='consultation_proposal.text')),
                ('shown_text', EncryptedTextField(null=True, purpose='consultation_proposal.shown')),
                ('status', fields.CharField(default='pending', max_length=10)),
                ('answer', fields.JSONField(default=dict, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('taken_up_in', fields.ForeignKeyField('consultations.Consultation', source_field='taken_up_in_id', null=True, db_constraint=True, to_field='id', related_name='proposals', on_delete=OnDelete.SET_NULL)),
                ('proposed_on', fields.DateField()),
                ('answered_on', fields.DateField(null=True)),
                ('answers', fields.IntField(default=0)),
            ],
            options={'table': 'consultation_proposal', 'app': 'consultations', 'pk_attr': 'id', 'table_description': "A member's proposal of a topic or question for a future consultation. Its author is found only"},
            bases=['EncryptedModel'],
        ),
        ops.CreateModel(
            name='Snapshot',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('month', fields.CharField(unique=True, max_length=7)),
                ('figures', fields.JSONField(encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
            ],
            options={'table': 'consultation_snapshot', 'app': 'consultations', 'pk_attr': 'id', 'table_description': 'The membership as counted for "who we heard from", once a month, small groups hidden and the'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Support',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('proposal', fields.ForeignKeyField('consultations.Proposal', source_field='proposal_id', db_constraint=True, to_field='id', related_name='supports', on_delete=OnDelete.CASCADE)),
                ('token', fields.CharField(max_length=64)),
            ],
            options={'table': 'consultation_support', 'app': 'consultations', 'unique_together': (('proposal', 'token'),), 'pk_attr': 'id', 'table_description': "One member's support of one proposal: a token of the proposal under the member's key, so each"},
            bases=['Model'],
        ),
        ops.AlterField(
            model_name='Answer',
            name='participation',
            field=fields.ForeignKeyField('consultations.Participation', source_field='participation_id', null=True, db_constraint=True, to_field='id', related_name='answers', on_delete=OnDelete.CASCADE),
        ),
        ops.AddField(
            model_name='Consultation',
            name='youth_consent_text',
            field=fields.JSONField(default=dict, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads),
        ),
        ops.AddField(
            model_name='Participation',
            name='share_scope',
            field=fields.IntField(default=1, db_default=1),
        ),
    ]
