from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from json import dumps, loads
from models.survey import KnowledgeTopicStatus, QuestionKind, ResponseStatus, StakeholderGroup, SurveyKind, SurveyStatus
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0002_organisation_committee_cycles')]

    initial = False

    operations = [
        ops.CreateModel(
            name='GapSnapshot',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('cycle', fields.ForeignKeyField('models.Cycle', source_field='cycle_id', db_constraint=True, to_field='id', related_name='gap_snapshots', on_delete=OnDelete.CASCADE)),
                ('rows', fields.JSONField(encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('confirmed_by', fields.ForeignKeyField('models.User', source_field='confirmed_by_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.SET_NULL)),
                ('confirmed_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'gap_snapshot', 'app': 'models', 'pk_attr': 'id', 'table_description': 'The GAP analysis as the committee confirmed it: later answers do not change it.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='KnowledgeTopic',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('cycle', fields.ForeignKeyField('models.Cycle', source_field='cycle_id', db_constraint=True, to_field='id', related_name='knowledge_topics', on_delete=OnDelete.CASCADE)),
                ('title_th', fields.CharField(max_length=500)),
                ('title_en', fields.CharField(null=True, max_length=500)),
                ('status', fields.CharEnumField(default=KnowledgeTopicStatus.CANDIDATE, description='CANDIDATE: CANDIDATE\nSELECTED: SELECTED', enum_type=KnowledgeTopicStatus, max_length=16)),
                ('version', fields.IntField(default=1)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'knowledge_topic', 'app': 'models', 'unique_together': (('cycle', 'title_th'),), 'pk_attr': 'id', 'table_description': 'An area of knowledge (ประเด็นความรู้) of a cycle: rating questions measure it, the GAP'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Measure',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('cycle', fields.ForeignKeyField('models.Cycle', source_field='cycle_id', db_constraint=True, to_field='id', related_name='measures', on_delete=OnDelete.CASCADE)),
                ('title_th', fields.CharField(max_length=500)),
                ('title_en', fields.CharField(null=True, max_length=500)),
                ('description_th', fields.TextField(default='', unique=False)),
                ('levers', fields.JSONField(encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('topics', fields.ManyToManyField('models.KnowledgeTopic', unique=True, db_constraint=True, through='measure_topic', forward_key='knowledgetopic_id', backward_key='measure_id', related_name='measures', on_delete=OnDelete.CASCADE)),
                ('version', fields.IntField(default=1)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'measure', 'app': 'models', 'pk_attr': 'id', 'table_description': 'A measure (มาตรการ) to drive the unit to learn, tagged with PIRAB levers and linked to the'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='PirabLever',
            fields=[
                ('code', fields.CharField(primary_key=True, unique=True, db_index=True, max_length=1)),
                ('label_th', fields.CharField(max_length=255)),
                ('label_en', fields.CharField(max_length=255)),
                ('position', fields.IntField()),
            ],
            options={'table': 'pirab_lever', 'app': 'models', 'pk_attr': 'code', 'table_description': 'A lever of the PIRAB strategy: P Partner, I Invest, R Regulate and legislate, A Advocate,'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Stakeholder',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('unit', fields.ForeignKeyField('models.Unit', source_field='unit_id', db_constraint=True, to_field='id', related_name='stakeholders', on_delete=OnDelete.RESTRICT)),
                ('name', fields.CharField(max_length=255)),
                ('organisation', fields.CharField(default='', max_length=255)),
                ('group', fields.CharEnumField(description='SERVICE_RECIPIENT: SERVICE_RECIPIENT\nSTAKEHOLDER: STAKEHOLDER\nPARTNER: PARTNER\nOTHER: OTHER', enum_type=StakeholderGroup, max_length=32)),
                ('email', fields.CharField(null=True, max_length=255)),
                ('line_id', fields.CharField(null=True, max_length=64)),
                ('phone', fields.CharField(null=True, max_length=32)),
                ('active', fields.BooleanField(default=True)),
                ('version', fields.IntField(default=1)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'stakeholder', 'app': 'models', 'unique_together': (('unit', 'name', 'organisation'),), 'pk_attr': 'id', 'table_description': "An entry of a unit's directory of service recipients and stakeholders (ทำเนียบ)."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Survey',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('cycle', fields.ForeignKeyField('models.Cycle', source_field='cycle_id', db_constraint=True, to_field='id', related_name='surveys', on_delete=OnDelete.CASCADE)),
                ('kind', fields.CharEnumField(description='STAKEHOLDER_NEEDS: STAKEHOLDER_NEEDS\nSTAFF_SELF_ASSESSMENT: STAFF_SELF_ASSESSMENT', enum_type=SurveyKind, max_length=32)),
                ('title_th', fields.CharField(max_length=500)),
                ('title_en', fields.CharField(null=True, max_length=500)),
                ('status', fields.CharEnumField(default=SurveyStatus.DRAFT, description='DRAFT: DRAFT\nOPEN: OPEN\nCLOSED: CLOSED', enum_type=SurveyStatus, max_length=16)),
                ('replaces', fields.ForeignKeyField('models.Survey', source_field='replaces_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.SET_NULL)),
                ('opened_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('closed_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('version', fields.IntField(default=1)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'survey', 'app': 'models', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='SurveyInvitation',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('survey', fields.ForeignKeyField('models.Survey', source_field='survey_id', db_constraint=True, to_field='id', related_name='invitations', on_delete=OnDelete.CASCADE)),
                ('stakeholder', fields.ForeignKeyField('models.Stakeholder', source_field='stakeholder_id', db_constraint=True, to_field='id', related_name='invitations', on_delete=OnDelete.RESTRICT)),
                ('token_hash', fields.CharField(unique=True, max_length=64)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'survey_invitation', 'app': 'models', 'unique_together': (('survey', 'stakeholder'),), 'pk_attr': 'id', 'table_description': "A stakeholder's personal link: the token itself is shown once, only its hash is kept."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='SurveyQuestion',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('survey', fields.ForeignKeyField('models.Survey', source_field='survey_id', db_constraint=True, to_field='id', related_name='questions', on_delete=OnDelete.CASCADE)),
                ('position', fields.IntField()),
                ('kind', fields.CharEnumField(description='RATING: RATING\nSINGLE_CHOICE: SINGLE_CHOICE\nMULTI_CHOICE: MULTI_CHOICE\nTEXT: TEXT', enum_type=QuestionKind, max_length=16)),
                ('text_th', fields.TextField(unique=False)),
                ('text_en', fields.TextField(null=True, unique=False)),
                ('required', fields.BooleanField(default=True)),
                ('scale_min', fields.IntField(null=True)),
                ('scale_max', fields.IntField(null=True)),
                ('scale_labels', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('choices', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('topic', fields.ForeignKeyField('models.KnowledgeTopic', source_field='topic_id', null=True, db_constraint=True, to_field='id', related_name='questions', on_delete=OnDelete.SET_NULL)),
            ],
            options={'table': 'survey_question', 'app': 'models', 'unique_together': (('survey', 'position'),), 'pk_attr': 'id', 'table_description': 'A question. RATING questions have a labelled scale and may measure a knowledge topic.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='SurveyResponse',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('survey', fields.ForeignKeyField('models.Survey', source_field='survey_id', db_constraint=True, to_field='id', related_name='responses', on_delete=OnDelete.CASCADE)),
                ('invitation', fields.OneToOneField('models.SurveyInvitation', source_field='invitation_id', null=True, db_constraint=True, to_field='id', related_name='response', on_delete=OnDelete.CASCADE)),
                ('respondent', fields.ForeignKeyField('models.Person', source_field='respondent_id', null=True, db_constraint=True, to_field='id', related_name='survey_responses', on_delete=OnDelete.RESTRICT)),
                ('group', fields.CharEnumField(null=True, description='SERVICE_RECIPIENT: SERVICE_RECIPIENT\nSTAKEHOLDER: STAKEHOLDER\nPARTNER: PARTNER\nOTHER: OTHER', enum_type=StakeholderGroup, max_length=32)),
                ('status', fields.CharEnumField(default=ResponseStatus.DRAFT, description='DRAFT: DRAFT\nSUBMITTED: SUBMITTED', enum_type=ResponseStatus, max_length=16)),
                ('submitted_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
                ('version', fields.IntField(default=1)),
            ],
            options={'table': 'survey_response', 'app': 'models', 'unique_together': (('survey', 'respondent'),), 'pk_attr': 'id', 'table_description': "One respondent's answers: a stakeholder through an invitation, or a signed-in member of"},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='SurveyAnswer',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('response', fields.ForeignKeyField('models.SurveyResponse', source_field='response_id', db_constraint=True, to_field='id', related_name='answers', on_delete=OnDelete.CASCADE)),
                ('question', fields.ForeignKeyField('models.SurveyQuestion', source_field='question_id', db_constraint=True, to_field='id', related_name='answers', on_delete=OnDelete.CASCADE)),
                ('rating', fields.IntField(null=True)),
                ('choice', fields.CharField(null=True, max_length=64)),
                ('text', fields.TextField(null=True, unique=False)),
            ],
            options={'table': 'survey_answer', 'app': 'models', 'indexes': [Index(fields=['question_id', 'rating']), Index(fields=['question_id', 'choice'])], 'pk_attr': 'id', 'table_description': 'One answer. A rating fills ``rating``, a single choice ``choice``, a multiple choice one'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='TopicAssignment',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('topic', fields.ForeignKeyField('models.KnowledgeTopic', source_field='topic_id', db_constraint=True, to_field='id', related_name='assignments', on_delete=OnDelete.CASCADE)),
                ('person', fields.ForeignKeyField('models.Person', source_field='person_id', db_constraint=True, to_field='id', related_name='topic_assignments', on_delete=OnDelete.RESTRICT)),
                ('target_date', fields.DateField()),
            ],
            options={'table': 'topic_assignment', 'app': 'models', 'unique_together': (('topic', 'person'),), 'pk_attr': 'id', 'table_description': 'A selected topic given to a member of staff to build knowledge in, by a target date.'},
            bases=['Model'],
        ),
    ]
