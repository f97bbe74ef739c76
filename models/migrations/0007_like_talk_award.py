from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from json import dumps, loads
from models.contest import ContestStatus, EntryStatus, RankingMethod, SheetStatus
from models.user import Role
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0006_works_publishing')]

    initial = False

    operations = [
        ops.CreateModel(
            name='Contest',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('fiscal_year', fields.IntField(unique=True, description='Buddhist Era, e.g. 2565')),
                ('name_th', fields.CharField(max_length=255)),
                ('name_en', fields.CharField(null=True, max_length=255)),
                ('opens_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('closes_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('changes_until', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('results_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('results_published_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('status', fields.CharEnumField(default=ContestStatus.DRAFT, description='DRAFT: DRAFT\nOPEN: OPEN\nCLOSED: CLOSED\nJUDGING: JUDGING\nRESULTS_PUBLISHED: RESULTS_PUBLISHED', enum_type=ContestStatus, max_length=20)),
                ('ranking_method', fields.CharEnumField(default=RankingMethod.MEAN, description='MEAN: MEAN\nMEDIAN: MEDIAN\nNORMALISED: NORMALISED', enum_type=RankingMethod, max_length=16)),
                ('tie_breaks', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('disagreement_threshold', fields.FloatField(default=15.0)),
                ('judges_per_entry', fields.IntField(default=3)),
                ('award_levels', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('version', fields.IntField(default=1)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'contest', 'app': 'models', 'pk_attr': 'id', 'table_description': "One edition of the LIKE Talk Award (a fiscal year's call, judging and results)."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ContestCategory',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('contest', fields.ForeignKeyField('models.Contest', source_field='contest_id', db_constraint=True, to_field='id', related_name='categories', on_delete=OnDelete.CASCADE)),
                ('position', fields.IntField()),
                ('code', fields.CharField(max_length=32)),
                ('name_th', fields.CharField(max_length=255)),
                ('name_en', fields.CharField(null=True, max_length=255)),
            ],
            options={'table': 'contest_category', 'app': 'models', 'unique_together': (('contest', 'code'),), 'pk_attr': 'id', 'table_description': 'A category of an edition (ประเภทรางวัล).'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ContestForm',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('contest', fields.ForeignKeyField('models.Contest', source_field='contest_id', db_constraint=True, to_field='id', related_name='forms', on_delete=OnDelete.CASCADE)),
                ('version', fields.IntField()),
                ('definition', fields.JSONField(description="The form's fields, as configured", encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'contest_form', 'app': 'models', 'unique_together': (('contest', 'version'),), 'pk_attr': 'id', 'table_description': "One version of an edition's application form (versions are never changed)."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Entry',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('contest', fields.ForeignKeyField('models.Contest', source_field='contest_id', db_constraint=True, to_field='id', related_name='entries', on_delete=OnDelete.RESTRICT)),
                ('category', fields.ForeignKeyField('models.ContestCategory', source_field='category_id', db_constraint=True, to_field='id', related_name='entries', on_delete=OnDelete.RESTRICT)),
                ('work', fields.ForeignKeyField('models.Work', source_field='work_id', db_constraint=True, to_field='id', related_name='contest_entries', on_delete=OnDelete.RESTRICT)),
                ('unit', fields.ForeignKeyField('models.Unit', source_field='unit_id', db_constraint=True, to_field='id', related_name='contest_entries', on_delete=OnDelete.RESTRICT)),
                ('form', fields.ForeignKeyField('models.ContestForm', source_field='form_id', db_constraint=True, to_field='id', related_name='entries', on_delete=OnDelete.RESTRICT)),
                ('answers', fields.JSONField(default=dict, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('status', fields.CharEnumField(default=EntryStatus.DRAFT, description='DRAFT: DRAFT\nSUBMITTED: SUBMITTED\nSHORTLISTED: SHORTLISTED\nNOT_SHORTLISTED: NOT_SHORTLISTED\nRETURNED: RETURNED\nPRESENTED: PRESENTED\nSCORED: SCORED\nAWARDED: AWARDED\nNOT_AWARDED: NOT_AWARDED\nWITHDRAWN: WITHDRAWN', enum_type=EntryStatus, max_length=20)),
                ('screening_comment', fields.TextField(null=True, unique=False)),
                ('submitted_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('award_level', fields.CharField(null=True, max_length=32)),
                ('award_note', fields.TextField(null=True, unique=False)),
                ('final_rank', fields.IntField(null=True)),
                ('rank_reason', fields.TextField(null=True, unique=False)),
                ('created_by', fields.ForeignKeyField('models.User', source_field='created_by_id', null=True, db_constraint=True, to_field='id', related_name='contest_entries', on_delete=OnDelete.SET_NULL)),
                ('version', fields.IntField(default=1)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'contest_entry', 'app': 'models', 'unique_together': (('contest', 'work'),), 'indexes': [Index(fields=['contest_id', 'category_id', 'status'])], 'pk_attr': 'id', 'table_description': 'A registered work entered in one category of an edition (ผลงานที่ส่งประกวด).'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ConflictDeclaration',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('contest', fields.ForeignKeyField('models.Contest', source_field='contest_id', db_constraint=True, to_field='id', related_name='conflicts', on_delete=OnDelete.CASCADE)),
                ('entry', fields.ForeignKeyField('models.Entry', source_field='entry_id', db_constraint=True, to_field='id', related_name='conflicts', on_delete=OnDelete.CASCADE)),
                ('judge', fields.ForeignKeyField('models.User', source_field='judge_id', db_constraint=True, to_field='id', related_name='declared_conflicts', on_delete=OnDelete.RESTRICT)),
                ('reason', fields.TextField(unique=False)),
                ('declared_by', fields.ForeignKeyField('models.User', source_field='declared_by_id', null=True, db_constraint=True, to_field='id', related_name='+', on_delete=OnDelete.SET_NULL)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'conflict_declaration', 'app': 'models', 'unique_together': (('entry', 'judge'),), 'pk_attr': 'id', 'table_description': "A judge's declared conflict of interest with an entry (ผลประโยชน์ทับซ้อน)."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='EntryPresenter',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('entry', fields.ForeignKeyField('models.Entry', source_field='entry_id', db_constraint=True, to_field='id', related_name='presenters', on_delete=OnDelete.CASCADE)),
                ('person', fields.ForeignKeyField('models.Person', source_field='person_id', db_constraint=True, to_field='id', related_name='presenting', on_delete=OnDelete.RESTRICT)),
                ('position', fields.IntField()),
            ],
            options={'table': 'contest_entry_presenter', 'app': 'models', 'unique_together': (('entry', 'person'),), 'pk_attr': 'id', 'table_description': 'A person who presents an entry on presentation day.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='JudgeAssignment',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('contest', fields.ForeignKeyField('models.Contest', source_field='contest_id', db_constraint=True, to_field='id', related_name='assignments', on_delete=OnDelete.CASCADE)),
                ('entry', fields.ForeignKeyField('models.Entry', source_field='entry_id', db_constraint=True, to_field='id', related_name='assignments', on_delete=OnDelete.CASCADE)),
                ('judge', fields.ForeignKeyField('models.User', source_field='judge_id', db_constraint=True, to_field='id', related_name='judge_assignments', on_delete=OnDelete.RESTRICT)),
                ('automatic', fields.BooleanField(default=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'judge_assignment', 'app': 'models', 'unique_together': (('entry', 'judge'),), 'pk_attr': 'id', 'table_description': 'A judge (กรรมการ) assigned to score an entry.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='RubricCriterion',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('contest', fields.ForeignKeyField('models.Contest', source_field='contest_id', db_constraint=True, to_field='id', related_name='criteria', on_delete=OnDelete.CASCADE)),
                ('category', fields.ForeignKeyField('models.ContestCategory', source_field='category_id', null=True, db_constraint=True, to_field='id', related_name='criteria', on_delete=OnDelete.CASCADE)),
                ('position', fields.IntField()),
                ('name_th', fields.CharField(max_length=255)),
                ('name_en', fields.CharField(null=True, max_length=255)),
                ('descriptors', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('scale_min', fields.FloatField()),
                ('scale_max', fields.FloatField()),
                ('scale_step', fields.FloatField()),
                ('weight', fields.FloatField()),
            ],
            options={'table': 'rubric_criterion', 'app': 'models', 'pk_attr': 'id', 'table_description': "A criterion of an edition's rubric (เกณฑ์การให้คะแนน), for every category or one."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ScoreSheet',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('contest', fields.ForeignKeyField('models.Contest', source_field='contest_id', db_constraint=True, to_field='id', related_name='score_sheets', on_delete=OnDelete.CASCADE)),
                ('entry', fields.ForeignKeyField('models.Entry', source_field='entry_id', db_constraint=True, to_field='id', related_name='score_sheets', on_delete=OnDelete.CASCADE)),
                ('judge', fields.ForeignKeyField('models.User', source_field='judge_id', db_constraint=True, to_field='id', related_name='score_sheets', on_delete=OnDelete.RESTRICT)),
                ('status', fields.CharEnumField(default=SheetStatus.DRAFT, description='DRAFT: DRAFT\nSUBMITTED: SUBMITTED', enum_type=SheetStatus, max_length=16)),
                ('comment', fields.TextField(null=True, unique=False)),
                ('submitted_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('version', fields.IntField(default=1)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'score_sheet', 'app': 'models', 'unique_together': (('entry', 'judge'),), 'indexes': [Index(fields=['contest_id', 'status'])], 'pk_attr': 'id', 'table_description': "One judge's scores for one entry (ใบให้คะแนน): a draft until submitted."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Score',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('sheet', fields.ForeignKeyField('models.ScoreSheet', source_field='sheet_id', db_constraint=True, to_field='id', related_name='scores', on_delete=OnDelete.CASCADE)),
                ('criterion', fields.ForeignKeyField('models.RubricCriterion', source_field='criterion_id', db_constraint=True, to_field='id', related_name='scores', on_delete=OnDelete.RESTRICT)),
                ('value', fields.FloatField(null=True)),
                ('comment', fields.TextField(null=True, unique=False)),
            ],
            options={'table': 'score', 'app': 'models', 'unique_together': (('sheet', 'criterion'),), 'pk_attr': 'id', 'table_description': "One criterion's score on a sheet, with the judge's comment."},
            bases=['Model'],
        ),
        ops.AlterField(
            model_name='RoleGrant',
            name='role',
            field=fields.CharEnumField(description='ADMIN: ADMIN\nMANAGER: MANAGER\nCONTEST_ORGANISER: CONTEST_ORGANISER', enum_type=Role, max_length=32),
        ),
    ]
