from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from json import dumps, loads
from models.publishing import Channel, OutboxAction, OutboxStatus, PublicationStatus
from models.work import WorkFileKind, WorkKind, WorkStatus
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

SQLITE_SEARCH = [
    # Thai has no spaces: the trigram tokenizer matches any run of 3+ code points.
    "CREATE VIRTUAL TABLE work_search USING fts5(search_text, content='work', content_rowid='id', tokenize='trigram')",
    "CREATE TRIGGER work_search_insert AFTER INSERT ON work BEGIN "
    "INSERT INTO work_search(rowid, search_text) VALUES (new.id, new.search_text); END",
    "CREATE TRIGGER work_search_delete AFTER DELETE ON work BEGIN "
    "INSERT INTO work_search(work_search, rowid, search_text) VALUES ('delete', old.id, old.search_text); END",
    "CREATE TRIGGER work_search_update AFTER UPDATE OF search_text ON work BEGIN "
    "INSERT INTO work_search(work_search, rowid, search_text) VALUES ('delete', old.id, old.search_text); "
    "INSERT INTO work_search(rowid, search_text) VALUES (new.id, new.search_text); END",
]
POSTGRES_SEARCH = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX work_search_trgm ON work USING gin (search_text gin_trgm_ops)",
]


async def create_search_index(apps, schema_editor):
    """The search index is dialect-specific: FTS5 on SQLite, pg_trgm on PostgreSQL."""
    dialect = schema_editor.client.capabilities.dialect
    statements = SQLITE_SEARCH if dialect == "sqlite" else POSTGRES_SEARCH
    for sql in statements:
        await schema_editor.client.execute_script(sql)


async def drop_search_index(apps, schema_editor):
    dialect = schema_editor.client.capabilities.dialect
    sql = "DROP TABLE IF EXISTS work_search" if dialect == "sqlite" else "DROP INDEX IF EXISTS work_search_trgm"
    await schema_editor.client.execute_script(sql)


class Migration(migrations.Migration):
    dependencies = [('models', '0005_plans_approval_notifications')]

    initial = False

    operations = [
        ops.CreateModel(
            name='ChannelSettings',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('unit', fields.ForeignKeyField('models.Unit', source_field='unit_id', db_constraint=True, to_field='id', related_name='channel_settings', on_delete=OnDelete.CASCADE)),
                ('channel', fields.CharEnumField(description='WEBSITE: WEBSITE\nFACEBOOK: FACEBOOK\nLINE: LINE', enum_type=Channel, max_length=16)),
                ('enabled', fields.BooleanField(default=True)),
                ('base_url', fields.CharField(max_length=500)),
                ('account', fields.CharField(default='', max_length=255)),
                ('credential', fields.TextField(default='', unique=False)),
                ('template_th', fields.TextField(default='', unique=False)),
                ('credential_problem', fields.TextField(null=True, unique=False)),
                ('version', fields.IntField(default=1)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'channel_settings', 'app': 'models', 'unique_together': (('unit', 'channel'),), 'pk_attr': 'id', 'table_description': 'How a unit publishes to one channel. ``credential`` (application password, page access'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='RegistryCounter',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('fiscal_year', fields.IntField(unique=True)),
                ('last_number', fields.IntField(default=0)),
            ],
            options={'table': 'work_registry_counter', 'app': 'models', 'pk_attr': 'id', 'table_description': 'The last registry number given in a BE year: numbers only ever go up.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Work',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('unit', fields.ForeignKeyField('models.Unit', source_field='unit_id', db_constraint=True, to_field='id', related_name='works', on_delete=OnDelete.RESTRICT)),
                ('fiscal_year', fields.IntField(description='Buddhist Era, e.g. 2565')),
                ('kind', fields.CharEnumField(description='RESEARCH: RESEARCH\nACADEMIC: ACADEMIC\nINNOVATION: INNOVATION', enum_type=WorkKind, max_length=16)),
                ('status', fields.CharEnumField(default=WorkStatus.DRAFT, description='DRAFT: DRAFT\nIN_REVIEW: IN_REVIEW\nRETURNED: RETURNED\nREGISTERED: REGISTERED\nPUBLISHED: PUBLISHED\nARCHIVED: ARCHIVED', enum_type=WorkStatus, max_length=16)),
                ('title_th', fields.CharField(max_length=500)),
                ('title_en', fields.CharField(null=True, max_length=500)),
                ('abstract_th', fields.TextField(default='', unique=False)),
                ('abstract_en', fields.TextField(null=True, unique=False)),
                ('keywords', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('registry_number', fields.CharField(null=True, unique=True, max_length=16)),
                ('search_text', fields.TextField(default='', unique=False)),
                ('status_reason', fields.TextField(null=True, unique=False)),
                ('created_by', fields.ForeignKeyField('models.User', source_field='created_by_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.SET_NULL)),
                ('submitted_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('registered_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('published_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('version', fields.IntField(default=1)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
                ('knowledge_topics', fields.ManyToManyField('models.KnowledgeTopic', unique=True, db_constraint=True, through='work_knowledge_topic', forward_key='knowledgetopic_id', backward_key='work_id', related_name='works', on_delete=OnDelete.CASCADE)),
            ],
            options={'table': 'work', 'app': 'models', 'indexes': [Index(fields=['status', 'fiscal_year']), Index(fields=['unit_id', 'fiscal_year'])], 'pk_attr': 'id', 'table_description': "A work of a unit's staff. The registry number (``LO-<BE year>-<4 digits>``) is given on"},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Publication',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('work', fields.ForeignKeyField('models.Work', source_field='work_id', db_constraint=True, to_field='id', related_name='publications', on_delete=OnDelete.CASCADE)),
                ('channel', fields.CharEnumField(description='WEBSITE: WEBSITE\nFACEBOOK: FACEBOOK\nLINE: LINE', enum_type=Channel, max_length=16)),
                ('status', fields.CharEnumField(default=PublicationStatus.QUEUED, description='QUEUED: QUEUED\nSENDING: SENDING\nPUBLISHED: PUBLISHED\nFAILED: FAILED\nRETRACTED: RETRACTED', enum_type=PublicationStatus, max_length=16)),
                ('external_id', fields.CharField(null=True, max_length=255)),
                ('external_url', fields.CharField(null=True, max_length=2000)),
                ('retry_key', fields.CharField(max_length=64)),
                ('attempts', fields.IntField(default=0)),
                ('last_error', fields.TextField(null=True, unique=False)),
                ('published_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('version', fields.IntField(default=1)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'publication', 'app': 'models', 'unique_together': (('work', 'channel'),), 'pk_attr': 'id', 'table_description': "A work on one channel. ``retry_key`` is this publication's idempotency key (LINE's"},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='OutboxMessage',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('publication', fields.ForeignKeyField('models.Publication', source_field='publication_id', db_constraint=True, to_field='id', related_name='outbox', on_delete=OnDelete.CASCADE)),
                ('action', fields.CharEnumField(description='PUBLISH: PUBLISH\nRETRACT: RETRACT', enum_type=OutboxAction, max_length=16)),
                ('status', fields.CharEnumField(default=OutboxStatus.PENDING, description='PENDING: PENDING\nDONE: DONE\nDEAD: DEAD', enum_type=OutboxStatus, max_length=16)),
                ('attempts', fields.IntField(default=0)),
                ('available_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('lease_until', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('leased_by', fields.CharField(null=True, max_length=64)),
                ('in_doubt', fields.BooleanField(default=False)),
                ('last_error', fields.TextField(null=True, unique=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('done_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'outbox_message', 'app': 'models', 'indexes': [Index(fields=['status', 'available_at'])], 'pk_attr': 'id', 'table_description': 'Something for the worker to do, written in the transaction that decided it. A worker'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='WorkAuthor',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('work', fields.ForeignKeyField('models.Work', source_field='work_id', db_constraint=True, to_field='id', related_name='authors', on_delete=OnDelete.CASCADE)),
                ('position', fields.IntField()),
                ('person', fields.ForeignKeyField('models.Person', source_field='person_id', null=True, db_constraint=True, to_field='id', related_name='works_authored', on_delete=OnDelete.RESTRICT)),
                ('name_th', fields.CharField(default='', max_length=255)),
                ('name_en', fields.CharField(null=True, max_length=255)),
                ('affiliation', fields.CharField(default='', max_length=255)),
                ('corresponding', fields.BooleanField(default=False)),
            ],
            options={'table': 'work_author', 'app': 'models', 'unique_together': (('work', 'position'),), 'pk_attr': 'id', 'table_description': 'An author of a work, in order: a person of the department or an outside co-author.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='WorkFile',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('work', fields.ForeignKeyField('models.Work', source_field='work_id', db_constraint=True, to_field='id', related_name='files', on_delete=OnDelete.CASCADE)),
                ('kind', fields.CharEnumField(description='FULL_TEXT: FULL_TEXT\nSLIDES: SLIDES\nPOSTER: POSTER\nVIDEO_LINK: VIDEO_LINK\nCOVER_IMAGE: COVER_IMAGE', enum_type=WorkFileKind, max_length=16)),
                ('version', fields.IntField()),
                ('filename', fields.CharField(default='', max_length=255)),
                ('content_type', fields.CharField(default='', max_length=128)),
                ('size', fields.BigIntField(default=0)),
                ('sha256', fields.CharField(default='', max_length=64)),
                ('storage_key', fields.CharField(null=True, unique=True, max_length=255)),
                ('url', fields.CharField(null=True, max_length=2000)),
                ('uploaded_by', fields.ForeignKeyField('models.User', source_field='uploaded_by_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.SET_NULL)),
                ('uploaded_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'work_file', 'app': 'models', 'unique_together': (('work', 'kind', 'version'),), 'pk_attr': 'id', 'table_description': 'A file of a work, versioned per kind: a new upload of the same kind is the next version.'},
            bases=['Model'],
        ),
        ops.RunPython(create_search_index, drop_search_index),
    ]
