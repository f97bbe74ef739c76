from tortoise import fields, migrations
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [('models', '0013_search_nfkc')]

    initial = False

    operations = [
        ops.AddField(
            model_name="Unit",
            name="public_file_kinds",
            field=fields.JSONField(null=True),
        ),
    ]
