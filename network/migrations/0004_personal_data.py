from tortoise import fields, migrations
from tortoise.migrations import operations as ops

from network.core.crypto import EncryptedTextField
from network.core.resealing import reseal


async def seal_and_stop_copying_names(apps, schema_editor) -> None:
    """Every sealed value bound to its row; stipend purposes and references sealed; audit events
    keep who by id only; closed requests get the time they closed; decoys lose the real pseudonym."""
    client = schema_editor.client
    await reseal(schema_editor, "member", {"bio": "member.bio"})
    await reseal(schema_editor, "safety_alert", {"note": "safety_alert.note"})
    await reseal(schema_editor, "stipend", {"payout_details": "stipend.payout_details", "purpose": None,
                                            "paid_reference": None})
    await client.execute_query("UPDATE stipend_event SET system = TRUE WHERE actor_name = 'system'")
    await client.execute_query("UPDATE stipend SET closed_at = paid_at WHERE status = 'paid'")
    await client.execute_query(
        "UPDATE stipend SET closed_at = (SELECT MAX(e.created_at) FROM stipend_event e WHERE e.stipend_id = stipend.id) "
        "WHERE status IN ('rejected', 'cancelled')")
    await client.execute_query("UPDATE member SET pseudonym = '' WHERE role = 'decoy'")

class Migration(migrations.Migration):
    dependencies = [('network', '0001_initial'), ('network', '0002_stipends'), ('network', '0003_participation_keys')]

    initial = False

    operations = [
        ops.AddField(
            model_name='Member',
            name='duress_vault',
            field=fields.TextField(null=True, unique=False),
        ),
        ops.AlterField(
            model_name='Stipend',
            name='paid_reference',
            field=EncryptedTextField(default=''),
        ),
        ops.AlterField(
            model_name='Stipend',
            name='purpose',
            field=EncryptedTextField(),
        ),
        ops.AddField(
            model_name='Stipend',
            name='closed_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name='StipendEvent',
            name='system',
            field=fields.BooleanField(default=False, db_default=False),
        ),
        ops.RunPython(seal_and_stop_copying_names, reverse_code=ops.RunPython.noop),
        ops.RemoveField(model_name='StipendEvent', name='actor_name'),
    ]
