from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from json import dumps, loads
from models.kpi import FinalReportStatus, ReportRound, ReportStatus
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0007_like_talk_award')]

    initial = False

    operations = [
        ops.CreateModel(
            name='FinalReport',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('cycle', fields.OneToOneField('models.Cycle', source_field='cycle_id', db_constraint=True, to_field='id', related_name='final_report', on_delete=OnDelete.CASCADE)),
                ('status', fields.CharEnumField(default=FinalReportStatus.DRAFT, description='DRAFT: DRAFT\nAPPROVED: APPROVED', enum_type=FinalReportStatus, max_length=16)),
                ('results', fields.TextField(default='', unique=False)),
                ('evaluation', fields.TextField(default='', unique=False)),
                ('lessons', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('achieved_level', fields.IntField(null=True, description='Snapshot at approval')),
                ('target_level', fields.IntField(null=True, description='Snapshot at approval')),
                ('created_by', fields.ForeignKeyField('models.User', source_field='created_by_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.SET_NULL)),
                ('approved_by', fields.ForeignKeyField('models.User', source_field='approved_by_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.SET_NULL)),
                ('approved_on', fields.DateField(null=True)),
                ('version', fields.IntField(default=1)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'final_report', 'app': 'models', 'pk_attr': 'id', 'table_description': 'The final report of a cycle with its lessons learned (รายงานผลและสรุปบทเรียน, step 16).'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='KpiDefinition',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('fiscal_year', fields.IntField(unique=True, description='Buddhist Era, e.g. 2565')),
                ('levels', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('targets', fields.JSONField(default=dict, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('version', fields.IntField(default=1)),
                ('updated_by', fields.ForeignKeyField('models.User', source_field='updated_by_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.SET_NULL)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'kpi_definition', 'app': 'models', 'pk_attr': 'id', 'table_description': 'The success levels and round targets of indicator 2.4 for one fiscal year.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ProgressReport',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('cycle', fields.ForeignKeyField('models.Cycle', source_field='cycle_id', db_constraint=True, to_field='id', related_name='progress_reports', on_delete=OnDelete.CASCADE)),
                ('round', fields.CharEnumField(description='M5: M5\nM10: M10\nM12: M12\nMONTHLY: MONTHLY', enum_type=ReportRound, max_length=16)),
                ('period_start', fields.DateField()),
                ('period_end', fields.DateField()),
                ('status', fields.CharEnumField(default=ReportStatus.DRAFT, description='DRAFT: DRAFT\nSUBMITTED: SUBMITTED\nREPORTED: REPORTED', enum_type=ReportStatus, max_length=16)),
                ('achieved_level', fields.IntField(null=True, description='Snapshot at submission')),
                ('target_level', fields.IntField(null=True, description='Snapshot at submission')),
                ('narrative', fields.TextField(default='', unique=False)),
                ('problems', fields.TextField(default='', unique=False)),
                ('suggestions', fields.TextField(default='', unique=False)),
                ('budget_planned', fields.DecimalField(default=0, max_digits=14, decimal_places=2)),
                ('budget_spent', fields.DecimalField(null=True, max_digits=14, decimal_places=2)),
                ('snapshot', fields.JSONField(default=dict, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('doc_reference', fields.CharField(null=True, max_length=100)),
                ('doc_date', fields.DateField(null=True)),
                ('created_by', fields.ForeignKeyField('models.User', source_field='created_by_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.SET_NULL)),
                ('submitted_by', fields.ForeignKeyField('models.User', source_field='submitted_by_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.SET_NULL)),
                ('submitted_on', fields.DateField(null=True)),
                ('reported_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('version', fields.IntField(default=1)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'progress_report', 'app': 'models', 'unique_together': (('cycle', 'round', 'period_start'),), 'pk_attr': 'id', 'table_description': 'A progress report of a cycle for one DOC 4.0 round (รายงานความก้าวหน้า DOC 4.0).'},
            bases=['Model'],
        ),
    ]
