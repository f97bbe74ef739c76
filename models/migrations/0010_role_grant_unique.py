from tortoise import migrations
from tortoise.migrations import operations as ops

# SQLite rebuilds a table to alter a column, and 0007's AlterField of RoleGrant.role left the
# (user, role) uniqueness behind; PostgreSQL kept its constraint. Duplicate grants are harmless
# to remove (a role is held or not), so the oldest of each is kept.
SQLITE_RESTORE = (
    'DELETE FROM "role_grant" WHERE "id" NOT IN '
    '(SELECT MIN("id") FROM "role_grant" GROUP BY "user_id", "role")',
    'CREATE UNIQUE INDEX IF NOT EXISTS "uid_role_grant_user_id_role" '
    'ON "role_grant" ("user_id", "role")',
)


async def restore_uniqueness(apps, schema_editor):
    if schema_editor.client.capabilities.dialect == "sqlite":
        for sql in SQLITE_RESTORE:
            await schema_editor.client.execute_script(sql)


async def nothing(apps, schema_editor):
    return None


class Migration(migrations.Migration):
    dependencies = [('models', '0009_reminders')]

    initial = False

    operations = [
        ops.RunPython(restore_uniqueness, nothing),
    ]
