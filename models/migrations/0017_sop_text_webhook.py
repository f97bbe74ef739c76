from tortoise import fields, migrations
from tortoise.migrations import operations as ops

from models.publishing import Channel
from services.sop import add_sop_text

# Templates carry the SOP's text: sections 1-3 in a column of their own, each step's work
# detail inside ``steps``. Templates of the shipped SOP saved before get that text.
# Channels gain WEBHOOK: only the channel columns' description (their values) changes.


class AlterDescription(ops.AlterField):
    """A column whose description alone changes. SQLite would rebuild the table for it, and
    dropping the old table cascades to the rows that refer to it (the outbox), so there it is
    recorded in the migration state only."""

    async def database_forward(self, app_label, old_state, new_state, state_editor=None):
        if state_editor and state_editor.client.capabilities.dialect != "sqlite":
            await super().database_forward(app_label, old_state, new_state, state_editor)

    async def database_backward(self, app_label, old_state, new_state, state_editor=None):
        if state_editor and state_editor.client.capabilities.dialect != "sqlite":
            await super().database_backward(app_label, old_state, new_state, state_editor)


async def fill(apps, schema_editor):
    await add_sop_text(schema_editor.client)


async def nothing(apps, schema_editor):
    return None


class Migration(migrations.Migration):
    dependencies = [('models', '0016_committee_duties_final_doc')]

    initial = False

    operations = [
        ops.AddField(
            model_name="SopTemplate",
            name="sections",
            field=fields.JSONField(null=True),
        ),
        ops.RunPython(fill, nothing),
        AlterDescription(
            model_name='ChannelSettings',
            name='channel',
            field=fields.CharEnumField(description='WEBSITE: WEBSITE\nFACEBOOK: FACEBOOK\nLINE: LINE\nWEBHOOK: WEBHOOK', enum_type=Channel, max_length=16),
        ),
        AlterDescription(
            model_name='Publication',
            name='channel',
            field=fields.CharEnumField(description='WEBSITE: WEBSITE\nFACEBOOK: FACEBOOK\nLINE: LINE\nWEBHOOK: WEBHOOK', enum_type=Channel, max_length=16),
        ),
    ]
