from tortoise import migrations
from tortoise.migrations import operations as ops

from network.core.resealing import reseal


async def seal_answers_to_rows(apps, schema_editor) -> None:
    """Answer texts were bound only to their column's purpose: each is sealed to its row."""
    await reseal(schema_editor, "consultation_answer",
                 {"text": "consultation_answer.text", "released_text": "consultation_answer.released"})


class Migration(migrations.Migration):
    dependencies = [('consultations', '0002_participation_keys')]

    initial = False

    operations = [
        ops.RunPython(seal_answers_to_rows, reverse_code=ops.RunPython.noop),
    ]
