from tortoise import migrations
from tortoise.migrations import operations as ops

from services.search import rebuild_search_text

# The search normaliser went from NFC to NFKC (full-width Latin and digits fold to ASCII):
# every work's indexed text is written again so old rows match new queries.


async def rebuild(apps, schema_editor):
    await rebuild_search_text(schema_editor.client)


async def nothing(apps, schema_editor):
    return None


class Migration(migrations.Migration):
    dependencies = [('models', '0012_sessions_secrets')]

    initial = False

    operations = [
        ops.RunPython(rebuild, nothing),
    ]
