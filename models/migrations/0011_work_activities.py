from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0010_role_grant_unique')]

    initial = False

    operations = [
        ops.AddField(
            model_name='Work',
            name='activities',
            field=fields.ManyToManyField('models.Activity', unique=True, db_constraint=True, through='work_activity', forward_key='activity_id', backward_key='work_id', related_name='works', on_delete=OnDelete.CASCADE),
        ),
    ]
