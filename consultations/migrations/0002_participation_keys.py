import functools
from json import dumps, loads

from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.migrations import operations as ops


async def move_to_days_and_unlinked_copies(apps, schema_editor) -> None:
    """Dates become days; attributes shared for breakdowns become copies that point at no participation."""
    import secrets
    from datetime import datetime

    client = schema_editor.client
    mark = (lambda n: f"${n}") if client.capabilities.dialect == "postgres" else (lambda n: "?")

    def day(value):
        if value is None:
            return None
        return (value if isinstance(value, datetime) else datetime.fromisoformat(str(value))).date().isoformat() \
            if client.capabilities.dialect != "postgres" else (value.date() if isinstance(value, datetime) else value)

    rows = await client.execute_query_dict(
        "SELECT id, consultation_id, consented_at, submitted, submitted_at, language, region, age_band "
        "FROM consultation_participation")
    for row in rows:
        shared = any(row[name] for name in ("language", "region", "age_band"))
        await client.execute_query(
            f"UPDATE consultation_participation SET consented_on = {mark(1)}, submitted_on = {mark(2)}, "
            f"share_profile = {mark(3)} WHERE id = {mark(4)}",
            [day(row["consented_at"]), day(row["submitted_at"]), shared, row["id"]])
        if not (shared and row["submitted"]):
            continue
        answers = await client.execute_query_dict(
            f"SELECT question_id, option, value FROM consultation_answer WHERE participation_id = {mark(1)} "
            f"AND text IS NULL AND rank IS NULL", [row["id"]])
        for group in ("language", "region", "age_band"):
            if not row[group]:
                continue
            for answer in [{"question_id": None, "option": None, "value": None}, *answers]:
                await client.execute_query(
                    "INSERT INTO consultation_shared_answer (id, consultation_id, attribute, value, question_id, "
                    f"option, scale) VALUES ({', '.join(mark(n) for n in range(1, 8))})",
                    [secrets.randbelow(2**31 - 1) + 1, row["consultation_id"], group, row[group],
                     answer["question_id"], answer["option"], answer["value"]])


class Migration(migrations.Migration):
    dependencies = [('consultations', '0001_initial'), ('network', '0003_participation_keys')]

    initial = False

    operations = [
        ops.CreateModel(
            name='Release',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('consultation', fields.ForeignKeyField('consultations.Consultation', source_field='consultation_id', db_constraint=True, to_field='id', related_name='releases', on_delete=OnDelete.CASCADE)),
                ('number', fields.IntField()),
                ('final', fields.BooleanField(default=False)),
                ('respondents', fields.IntField()),
                ('figures', fields.JSONField(encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('released_on', fields.DateField()),
            ],
            options={'table': 'consultation_release', 'app': 'consultations', 'unique_together': (('consultation', 'number'),), 'pk_attr': 'id', 'table_description': 'Figures as they were released: at the close, or an interim release at least k new respondents'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='SharedAnswer',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('consultation', fields.ForeignKeyField('consultations.Consultation', source_field='consultation_id', db_constraint=True, to_field='id', related_name='shared_answers', on_delete=OnDelete.CASCADE)),
                ('attribute', fields.CharField(max_length=10)),
                ('value', fields.CharField(max_length=8)),
                ('question', fields.ForeignKeyField('consultations.Question', source_field='question_id', null=True, db_constraint=True, to_field='id', related_name='shared_answers', on_delete=OnDelete.CASCADE)),
                ('option', fields.IntField(null=True)),
                ('scale', fields.IntField(null=True)),
            ],
            options={'table': 'consultation_shared_answer', 'app': 'consultations', 'pk_attr': 'id', 'table_description': "A submitted answer's copy under one attribute its author agreed to share (their language,"},
            bases=['Model'],
        ),
        ops.AlterModelOptions(
            name='Participation',
            options={'table': 'consultation_participation', 'app': 'consultations', 'unique_together': (('consultation', 'token'),), 'pk_attr': 'id', 'table_description': "One member's part in one consultation, under a token only the member's own key can make."},
        ),
        ops.AddField(
            model_name='Participation',
            name='consented_on',
            field=fields.DateField(null=True),
        ),
        ops.AddField(
            model_name='Participation',
            name='share_profile',
            field=fields.BooleanField(default=False),
        ),
        ops.AddField(
            model_name='Participation',
            name='shared',
            field=fields.TextField(null=True, unique=False),
        ),
        ops.AddField(
            model_name='Participation',
            name='submitted_on',
            field=fields.DateField(null=True),
        ),
        ops.AddField(
            model_name='Consultation',
            name='consent_previous',
            field=fields.JSONField(default=dict, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads),
        ),
        ops.RunPython(move_to_days_and_unlinked_copies, reverse_code=ops.RunPython.noop),
        ops.RemoveField(model_name='Participation', name='age_band'),
        ops.RemoveField(model_name='Participation', name='consented_at'),
        ops.RemoveField(model_name='Participation', name='language'),
        ops.RemoveField(model_name='Participation', name='region'),
        ops.RemoveField(model_name='Participation', name='submitted_at'),
    ]
