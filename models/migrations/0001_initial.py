from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from json import dumps, loads
from models.user import Role
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    initial = True

    operations = [
        ops.CreateModel(
            name='LoginAttempt',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('username', fields.CharField(db_index=True, max_length=150)),
                ('client_address', fields.CharField(db_index=True, max_length=64)),
                ('succeeded', fields.BooleanField()),
                ('at', fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'login_attempt', 'app': 'models', 'pk_attr': 'id', 'table_description': 'Every login attempt, so throttling holds across API processes.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='User',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('username', fields.CharField(unique=True, max_length=150)),
                ('password_hash', fields.CharField(max_length=255)),
                ('display_name', fields.CharField(max_length=255)),
                ('email', fields.CharField(null=True, max_length=255)),
                ('is_active', fields.BooleanField(default=True)),
                ('version', fields.IntField(default=1)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'user_account', 'app': 'models', 'pk_attr': 'id', 'table_description': "A person's login account (บัญชีผู้ใช้)."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='AuditEvent',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('at', fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=True)),
                ('actor', fields.ForeignKeyField('models.User', source_field='actor_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.SET_NULL)),
                ('action', fields.CharField(db_index=True, max_length=64)),
                ('object_type', fields.CharField(max_length=64)),
                ('object_id', fields.CharField(max_length=64)),
                ('before', fields.JSONField(null=True, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('after', fields.JSONField(null=True, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('reason', fields.TextField(null=True, unique=False)),
                ('request_id', fields.CharField(null=True, max_length=64)),
            ],
            options={'table': 'audit_event', 'app': 'models', 'indexes': [Index(fields=['object_type', 'object_id'])], 'pk_attr': 'id', 'table_description': 'Who changed what, when, from what to what, and why. Rows are never updated or deleted.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='RefreshToken',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('user', fields.ForeignKeyField('models.User', source_field='user_id', db_constraint=True, to_field='id', related_name='refresh_tokens', on_delete=OnDelete.CASCADE)),
                ('token_hash', fields.CharField(unique=True, max_length=64)),
                ('family', fields.CharField(db_index=True, max_length=32)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('expires_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('used_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('revoked_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'refresh_token', 'app': 'models', 'pk_attr': 'id', 'table_description': 'A refresh token, stored as its SHA-256 only. Tokens rotated from one login share a'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='RoleGrant',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('user', fields.ForeignKeyField('models.User', source_field='user_id', db_constraint=True, to_field='id', related_name='role_grants', on_delete=OnDelete.CASCADE)),
                ('role', fields.CharEnumField(description='ADMIN: ADMIN\nMANAGER: MANAGER', enum_type=Role, max_length=32)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'role_grant', 'app': 'models', 'unique_together': (('user', 'role'),), 'pk_attr': 'id', 'table_description': 'One role held by one user.'},
            bases=['Model'],
        ),
    ]
