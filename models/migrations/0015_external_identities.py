from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields


class Migration(migrations.Migration):
    dependencies = [('models', '0014_public_file_kinds')]

    initial = False

    operations = [
        ops.CreateModel(
            name='ExternalIdentity',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('user', fields.ForeignKeyField('models.User', source_field='user_id', db_constraint=True, to_field='id', related_name='external_identities', on_delete=OnDelete.CASCADE)),
                ('provider', fields.CharField(max_length=64)),
                ('subject', fields.CharField(max_length=255)),
                ('email', fields.CharField(null=True, max_length=255)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('last_sign_in_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'external_identity', 'app': 'models', 'unique_together': (('provider', 'subject'),), 'pk_attr': 'id', 'table_description': "An account's sign-in at an identity provider of the department (OpenID Connect): the"},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='Person',
            name='employee_id',
            field=fields.CharField(null=True, unique=True, max_length=64),
        ),
    ]
