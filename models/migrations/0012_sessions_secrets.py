from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

# Every refresh-token family becomes a session, ended when all its tokens were revoked, so
# refresh tokens issued before sessions existed keep working.
SESSIONS_FROM_FAMILIES = (
    'INSERT INTO "user_session" ("id", "user_id", "created_at", "ended_at", "end_reason") '
    'SELECT "family", "user_id", MIN("created_at"), '
    'CASE WHEN COUNT(*) = COUNT("revoked_at") THEN MAX("revoked_at") END, '
    "CASE WHEN COUNT(*) = COUNT(\"revoked_at\") THEN 'LOGOUT' END "
    'FROM "refresh_token" GROUP BY "family", "user_id"'
)


async def sessions_and_encrypted_credentials(apps, schema_editor):
    from services.encryption import encrypt

    client = schema_editor.client
    await client.execute_script(SESSIONS_FROM_FAMILIES)
    placeholders = ("$1", "$2") if client.capabilities.dialect == "postgres" else ("?", "?")
    update = 'UPDATE "channel_settings" SET "credential" = {} WHERE "id" = {}'.format(*placeholders)
    rows = await client.execute_query_dict(
        'SELECT "id", "credential" FROM "channel_settings" WHERE "credential" <> \'\''
    )
    for row in rows:
        await client.execute_query(update, [encrypt(row["credential"]), row["id"]])


async def decrypted_credentials(apps, schema_editor):
    from services.encryption import decrypt

    client = schema_editor.client
    placeholders = ("$1", "$2") if client.capabilities.dialect == "postgres" else ("?", "?")
    update = 'UPDATE "channel_settings" SET "credential" = {} WHERE "id" = {}'.format(*placeholders)
    rows = await client.execute_query_dict(
        'SELECT "id", "credential" FROM "channel_settings" WHERE "credential" <> \'\''
    )
    for row in rows:
        await client.execute_query(update, [decrypt(row["credential"]), row["id"]])


class Migration(migrations.Migration):
    dependencies = [('models', '0011_work_activities')]

    initial = False

    operations = [
        ops.CreateModel(
            name='UserSession',
            fields=[
                ('id', fields.CharField(primary_key=True, unique=True, db_index=True, max_length=32)),
                ('user', fields.ForeignKeyField('models.User', source_field='user_id', db_constraint=True, to_field='id', related_name='sessions', on_delete=OnDelete.CASCADE)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('ended_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('end_reason', fields.CharField(null=True, max_length=32)),
            ],
            options={'table': 'user_session', 'app': 'models', 'pk_attr': 'id', 'table_description': 'One sign-in (เซสชัน): every refresh token rotated from one login, and every access token'},
            bases=['Model'],
        ),
        ops.AddIndex(
            model_name='LoginAttempt',
            index=Index(fields=['username', 'client_address', 'at']),
        ),
        ops.RunPython(sessions_and_encrypted_credentials, decrypted_credentials),
    ]
