from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0003_surveys_gap_measures')]

    initial = False

    operations = [
        ops.AddIndex(
            model_name='SurveyAnswer',
            index=Index(fields=['response_id', 'question_id']),
        ),
    ]
