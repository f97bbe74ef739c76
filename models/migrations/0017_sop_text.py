from tortoise import fields, migrations
from tortoise.migrations import operations as ops

from services.sop import add_sop_text

# Templates carry the SOP's text: sections 1-3 in a column of their own, each step's work
# detail inside ``steps``. Templates of the shipped SOP saved before get that text.


async def fill(apps, schema_editor):
    await add_sop_text(schema_editor.client)


async def nothing(apps, schema_editor):
    return None


class Migration(migrations.Migration):
    dependencies = [('models', '0015_external_identities')]

    initial = False

    operations = [
        ops.AddField(
            model_name="SopTemplate",
            name="sections",
            field=fields.JSONField(null=True),
        ),
        ops.RunPython(fill, nothing),
    ]
