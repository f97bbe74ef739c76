from tortoise import migrations
from tortoise.migrations import operations as ops
from models.notice import NoticeEvent
from models.publishing import OutboxAction
from models.reminder import ReminderChannel, ReminderStatus
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0017_sop_text_webhook')]

    initial = False

    operations = [
        ops.CreateModel(
            name='Notice',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('key', fields.CharField(unique=True, max_length=191)),
                ('event', fields.CharEnumField(null=True, description='None: digest', enum_type=NoticeEvent, max_length=32)),
                ('user', fields.ForeignKeyField('models.User', source_field='user_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.CASCADE)),
                ('unit', fields.ForeignKeyField('models.Unit', source_field='unit_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.CASCADE)),
                ('channel', fields.CharEnumField(description='IN_APP: IN_APP\nLINE: LINE\nEMAIL: EMAIL', enum_type=ReminderChannel, max_length=16)),
                ('address', fields.CharField(description='E-mail or LINE user id', max_length=255)),
                ('subject_type', fields.CharField(max_length=64)),
                ('subject_id', fields.IntField()),
                ('text_th', fields.TextField(unique=False)),
                ('text_en', fields.TextField(unique=False)),
                ('digest', fields.BooleanField(default=False, description='Waits for the daily digest')),
                ('batch', fields.ForeignKeyField('models.Notice', source_field='batch_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.SET_NULL)),
                ('retry_key', fields.CharField(description='X-Line-Retry-Key, kept for retries', max_length=64)),
                ('status', fields.CharEnumField(default=ReminderStatus.PENDING, description='PENDING: PENDING\nSENT: SENT\nIN_DOUBT: IN_DOUBT\nDEAD: DEAD', enum_type=ReminderStatus, max_length=16)),
                ('external_id', fields.CharField(null=True, max_length=255)),
                ('sent_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'notice', 'app': 'models', 'indexes': [Index(fields=['digest', 'status'])], 'pk_attr': 'id', 'table_description': 'One message to one account through one channel (EMAIL or LINE), its text fixed when the'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='NotificationPreference',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('user', fields.OneToOneField('models.User', source_field='user_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.CASCADE)),
                ('channel', fields.CharEnumField(default=ReminderChannel.EMAIL, description='IN_APP: IN_APP\nLINE: LINE\nEMAIL: EMAIL', enum_type=ReminderChannel, max_length=16)),
                ('digest', fields.BooleanField(default=False)),
                ('version', fields.IntField(default=1)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'notification_preference', 'app': 'models', 'pk_attr': 'id', 'table_description': 'How one account wants to hear of changes: IN_APP (nothing more), EMAIL or LINE, at once'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='NotificationTemplate',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('event', fields.CharEnumField(unique=True, description='WORK_RETURNED: WORK_RETURNED\nWORK_REGISTERED: WORK_REGISTERED\nWORK_PUBLISHED: WORK_PUBLISHED\nWORK_RETRACTED: WORK_RETRACTED\nENTRY_SUBMITTED: ENTRY_SUBMITTED\nENTRY_SCREENED_OUT: ENTRY_SCREENED_OUT\nENTRY_RETURNED: ENTRY_RETURNED\nENTRY_SHORTLISTED: ENTRY_SHORTLISTED\nENTRY_PRESENTED: ENTRY_PRESENTED\nENTRY_AWARDED: ENTRY_AWARDED\nENTRY_NOT_AWARDED: ENTRY_NOT_AWARDED\nJUDGE_ASSIGNED: JUDGE_ASSIGNED\nSHEET_REOPENED: SHEET_REOPENED\nRESULTS_PUBLISHED: RESULTS_PUBLISHED\nSTEP_RESPONSIBLE: STEP_RESPONSIBLE\nSTEP_STARTED: STEP_STARTED\nSTEP_COMPLETED: STEP_COMPLETED\nSTEP_REOPENED: STEP_REOPENED\nREPORT_SUBMITTED: REPORT_SUBMITTED\nREPORT_RECORDED: REPORT_RECORDED', enum_type=NoticeEvent, max_length=32)),
                ('template_th', fields.TextField(unique=False)),
                ('template_en', fields.TextField(unique=False)),
                ('version', fields.IntField(default=1)),
                ('updated_by', fields.ForeignKeyField('models.User', source_field='updated_by_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.SET_NULL)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'notification_template', 'app': 'models', 'pk_attr': 'id', 'table_description': "An administrator's wording of one event, in Thai and English (the catalogue's default"},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='Notification',
            name='key',
            field=fields.CharField(null=True, unique=True, max_length=191),
        ),
        ops.AlterField(
            model_name='OutboxMessage',
            name='action',
            field=fields.CharEnumField(description='PUBLISH: PUBLISH\nRETRACT: RETRACT\nREMIND: REMIND\nNOTIFY: NOTIFY', enum_type=OutboxAction, max_length=16),
        ),
        ops.AddField(
            model_name='OutboxMessage',
            name='notice',
            field=fields.ForeignKeyField('models.Notice', source_field='notice_id', null=True, db_constraint=True, to_field='id', related_name='outbox', on_delete=OnDelete.CASCADE),
        ),
        # SQLite rebuilds the table for the changes above and leaves its index behind.
        ops.RunSQL(
            'CREATE INDEX IF NOT EXISTS "idx_outbox_mess_status_41b141" '
            'ON "outbox_message" ("status", "available_at")',
            reverse_sql=ops.RunSQL.noop,
        ),
    ]
