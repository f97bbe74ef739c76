from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from json import dumps, loads
from models.kpi import FinalReportStatus
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0015_external_identities')]

    initial = False

    operations = [
        ops.AlterField(
            model_name='FinalReport',
            name='status',
            field=fields.CharEnumField(default=FinalReportStatus.DRAFT, description='DRAFT: DRAFT\nAPPROVED: APPROVED\nREPORTED: REPORTED', enum_type=FinalReportStatus, max_length=16),
        ),
        ops.AddField(
            model_name='FinalReport',
            name='doc_date',
            field=fields.DateField(null=True),
        ),
        ops.AddField(
            model_name='FinalReport',
            name='doc_reference',
            field=fields.CharField(null=True, max_length=100),
        ),
        ops.AlterModelOptions(
            name='Membership',
            options={'table': 'committee_membership', 'app': 'models', 'unique_together': (('order', 'person'),), 'pk_attr': 'id', 'table_description': "A person's seat on the committee of one order, with the position held at the time and"},
        ),
        ops.AddField(
            model_name='Membership',
            name='duties',
            field=fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads),
        ),
    ]
