from tortoise import migrations
from tortoise.migrations import operations as ops
from models.survey import GapRound
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0018_notices')]

    initial = False

    operations = [
        ops.AddField(
            model_name='GapSnapshot',
            name='round',
            field=fields.CharEnumField(default=GapRound.START_OF_YEAR, description='START_OF_YEAR: START_OF_YEAR\nFIVE_MONTH_REVIEW: FIVE_MONTH_REVIEW', enum_type=GapRound, max_length=32),
        ),
        ops.AddField(
            model_name='GapSnapshot',
            name='meeting',
            field=fields.ForeignKeyField('models.Meeting', source_field='meeting_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.SET_NULL),
        ),
    ]
