from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from decimal import Decimal
from json import dumps, loads
from models.org import UnitRole
from models.plan import ActivityStatus, PlanAction, PlanKind, PlanStatus, Recommendation
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0004_answer_response_index')]

    initial = False

    operations = [
        ops.CreateModel(
            name='Notification',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('user', fields.ForeignKeyField('models.User', source_field='user_id', db_constraint=True, to_field='id', related_name='notifications', on_delete=OnDelete.CASCADE)),
                ('message_key', fields.CharField(max_length=64)),
                ('params', fields.JSONField(default=dict, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('subject_type', fields.CharField(max_length=64)),
                ('subject_id', fields.IntField()),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('read_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'notification', 'app': 'models', 'indexes': [Index(fields=['user_id', 'read_at'])], 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Plan',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('cycle', fields.ForeignKeyField('models.Cycle', source_field='cycle_id', db_constraint=True, to_field='id', related_name='plans', on_delete=OnDelete.CASCADE)),
                ('kind', fields.CharEnumField(description='ACTION_PLAN: ACTION_PLAN\nRESEARCH_INNOVATION_PLAN: RESEARCH_INNOVATION_PLAN', enum_type=PlanKind, max_length=32)),
                ('revision', fields.IntField(description='1 for the first plan, n+1 for each revision')),
                ('previous', fields.ForeignKeyField('models.Plan', source_field='previous_id', null=True, db_constraint=True, to_field='id', related_name='next_revisions', on_delete=OnDelete.RESTRICT)),
                ('is_latest', fields.BooleanField(default=True)),
                ('status', fields.CharEnumField(default=PlanStatus.DRAFT, description='DRAFT: DRAFT\nSUBMITTED: SUBMITTED\nAPPROVED: APPROVED\nRETURNED: RETURNED\nREJECTED: REJECTED\nSUPERSEDED: SUPERSEDED', enum_type=PlanStatus, max_length=16)),
                ('title_th', fields.CharField(max_length=500)),
                ('title_en', fields.CharField(null=True, max_length=500)),
                ('objective_th', fields.TextField(default='', unique=False)),
                ('owner', fields.ForeignKeyField('models.Person', source_field='owner_id', null=True, db_constraint=True, to_field='id', related_name='plans_owned', on_delete=OnDelete.RESTRICT)),
                ('created_by', fields.ForeignKeyField('models.User', source_field='created_by_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.SET_NULL)),
                ('submitted_by', fields.ForeignKeyField('models.User', source_field='submitted_by_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.SET_NULL)),
                ('version', fields.IntField(default=1)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'plan', 'app': 'models', 'unique_together': (('cycle', 'kind', 'revision'),), 'pk_attr': 'id', 'table_description': "One revision of a cycle's plan of one kind."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Activity',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('plan', fields.ForeignKeyField('models.Plan', source_field='plan_id', db_constraint=True, to_field='id', related_name='activities', on_delete=OnDelete.CASCADE)),
                ('lineage', fields.UUIDField(db_index=True)),
                ('position', fields.IntField()),
                ('title_th', fields.CharField(max_length=500)),
                ('title_en', fields.CharField(null=True, max_length=500)),
                ('objective_th', fields.TextField(default='', unique=False)),
                ('measure', fields.ForeignKeyField('models.Measure', source_field='measure_id', null=True, db_constraint=True, to_field='id', related_name='activities', on_delete=OnDelete.SET_NULL)),
                ('knowledge_topic', fields.ForeignKeyField('models.KnowledgeTopic', source_field='knowledge_topic_id', null=True, db_constraint=True, to_field='id', related_name='activities', on_delete=OnDelete.SET_NULL)),
                ('levers', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('start_month', fields.DateField(description='First day of the first month')),
                ('end_month', fields.DateField(description='First day of the last month')),
                ('budget', fields.DecimalField(default=Decimal('0'), max_digits=14, decimal_places=2)),
                ('target_th', fields.TextField(default='', unique=False)),
                ('weight', fields.DecimalField(default=Decimal('1'), max_digits=7, decimal_places=2)),
                ('version', fields.IntField(default=1)),
            ],
            options={'table': 'activity', 'app': 'models', 'pk_attr': 'id', 'table_description': 'An activity or project of a plan (กิจกรรม/โครงการ).'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ActivityOwner',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('activity', fields.ForeignKeyField('models.Activity', source_field='activity_id', db_constraint=True, to_field='id', related_name='owners', on_delete=OnDelete.CASCADE)),
                ('person', fields.ForeignKeyField('models.Person', source_field='person_id', db_constraint=True, to_field='id', related_name='activities_owned', on_delete=OnDelete.RESTRICT)),
            ],
            options={'table': 'activity_owner', 'app': 'models', 'unique_together': (('activity', 'person'),), 'pk_attr': 'id', 'table_description': 'A person who carries out an activity and reports its progress.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ActivityProgressReport',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('activity', fields.ForeignKeyField('models.Activity', source_field='activity_id', db_constraint=True, to_field='id', related_name='progress_reports', on_delete=OnDelete.CASCADE)),
                ('lineage', fields.UUIDField(db_index=True)),
                ('percent', fields.IntField()),
                ('status', fields.CharEnumField(description='NOT_STARTED: NOT_STARTED\nON_TRACK: ON_TRACK\nAT_RISK: AT_RISK\nDELAYED: DELAYED\nDONE: DONE', enum_type=ActivityStatus, max_length=16)),
                ('status_set', fields.BooleanField(default=False)),
                ('narrative', fields.TextField(default='', unique=False)),
                ('reported_on', fields.DateField()),
                ('reported_by', fields.ForeignKeyField('models.User', source_field='reported_by_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.SET_NULL)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'activity_progress_report', 'app': 'models', 'pk_attr': 'id', 'table_description': 'One progress report of an activity (รายงานความก้าวหน้า).'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='PlanEvent',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('plan', fields.ForeignKeyField('models.Plan', source_field='plan_id', db_constraint=True, to_field='id', related_name='events', on_delete=OnDelete.CASCADE)),
                ('action', fields.CharEnumField(description='CREATE: CREATE\nEDIT: EDIT\nSUBMIT: SUBMIT\nRECOMMEND: RECOMMEND\nAPPROVE: APPROVE\nRETURN: RETURN\nREJECT: REJECT\nREVISE: REVISE\nSUPERSEDE: SUPERSEDE', enum_type=PlanAction, max_length=16)),
                ('from_status', fields.CharEnumField(null=True, description='DRAFT: DRAFT\nSUBMITTED: SUBMITTED\nAPPROVED: APPROVED\nRETURNED: RETURNED\nREJECTED: REJECTED\nSUPERSEDED: SUPERSEDED', enum_type=PlanStatus, max_length=16)),
                ('to_status', fields.CharEnumField(null=True, description='DRAFT: DRAFT\nSUBMITTED: SUBMITTED\nAPPROVED: APPROVED\nRETURNED: RETURNED\nREJECTED: REJECTED\nSUPERSEDED: SUPERSEDED', enum_type=PlanStatus, max_length=16)),
                ('recommendation', fields.CharEnumField(null=True, description='APPROVE: APPROVE\nRETURN: RETURN\nREJECT: REJECT', enum_type=Recommendation, max_length=16)),
                ('comment', fields.TextField(null=True, unique=False)),
                ('actor', fields.ForeignKeyField('models.User', source_field='actor_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.SET_NULL)),
                ('on', fields.DateField(description='The day it happened (Thai time)')),
                ('at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'plan_event', 'app': 'models', 'pk_attr': 'id', 'table_description': "An entry of a plan's timeline: a transition, recommendation or decision with its comment."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='UnitRoleGrant',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('unit', fields.ForeignKeyField('models.Unit', source_field='unit_id', db_constraint=True, to_field='id', related_name='role_grants', on_delete=OnDelete.CASCADE)),
                ('user', fields.ForeignKeyField('models.User', source_field='user_id', db_constraint=True, to_field='id', related_name='unit_role_grants', on_delete=OnDelete.CASCADE)),
                ('role', fields.CharEnumField(description='APPROVER: APPROVER', enum_type=UnitRole, max_length=32)),
                ('granted_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'unit_role_grant', 'app': 'models', 'unique_together': (('unit', 'user', 'role'),), 'pk_attr': 'id', 'table_description': 'A unit role held by one user account.'},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='Document',
            name='activity_report',
            field=fields.ForeignKeyField('models.ActivityProgressReport', source_field='activity_report_id', null=True, db_constraint=True, to_field='id', related_name='evidence', on_delete=OnDelete.CASCADE),
        ),
    ]
