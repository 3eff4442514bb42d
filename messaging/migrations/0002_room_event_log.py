from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.indexes import Index
from tortoise.migrations import operations as ops

# Messages already shown become the first events of their room's log, in the order they were posted.
NUMBER_SHOWN_MESSAGES = [
    "UPDATE room_message SET seq = (SELECT COUNT(*) FROM room_message earlier WHERE earlier.room_id = room_message.room_id"
    " AND earlier.status IN ('visible', 'deleted') AND earlier.id <= room_message.id)"
    " WHERE status IN ('visible', 'deleted')",
    "UPDATE room SET last_seq = (SELECT COUNT(*) FROM room_message WHERE room_message.room_id = room.id"
    " AND room_message.seq IS NOT NULL)",
    "INSERT INTO room_event (room_id, seq, kind, message_id, created_at)"
    " SELECT room_id, seq, 'message', id, created_at FROM room_message WHERE seq IS NOT NULL",
]


class Migration(migrations.Migration):
    dependencies = [('messaging', '0001_initial'), ('network', '0002_stipends')]

    initial = False

    operations = [
        ops.CreateModel(
            name='RoomEvent',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('room', fields.ForeignKeyField('messaging.Room', source_field='room_id', db_constraint=True, to_field='id', related_name='events', on_delete=OnDelete.CASCADE)),
                ('seq', fields.BigIntField()),
                ('kind', fields.CharField(max_length=8)),
                ('message_id', fields.BigIntField()),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'room_event', 'app': 'messaging', 'unique_together': (('room', 'seq'),), 'pk_attr': 'id', 'table_description': 'One change others can see in a room: a message shown, edited, hidden, deleted or redacted.'},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='Message',
            name='seq',
            field=fields.BigIntField(null=True),
        ),
        ops.AddIndex(
            model_name='Message',
            index=Index(fields=['room_id', 'seq']),
        ),
        ops.AddField(
            model_name='Room',
            name='last_seq',
            field=fields.BigIntField(default=0),
        ),
        ops.RunSQL(NUMBER_SHOWN_MESSAGES, reverse_sql=ops.RunSQL.noop),
    ]
