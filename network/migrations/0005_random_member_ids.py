from tortoise import fields, migrations
from tortoise.migrations import operations as ops

from network.core.keys import random_id


class InStateOnly:
    """The column stays as it is: the application now draws every new member's id (the column's
    own default, a counter, is simply never used again). Rebuilding the member table to drop it
    would gain nothing and rewrite every reference to it."""

    async def database_forward(self, *args, **kwargs) -> None:
        return None

    async def database_backward(self, *args, **kwargs) -> None:
        return None


class AlterFieldInState(InStateOnly, ops.AlterField):
    pass


class Migration(migrations.Migration):
    dependencies = [('network', '0004_personal_data')]

    initial = False

    operations = [
        AlterFieldInState(
            model_name='Member',
            name='id',
            field=fields.IntField(primary_key=True, generated=False, default=random_id, unique=True, db_index=True),
        ),
    ]
