from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from json import dumps, loads
from models.publishing import OutboxAction
from models.reminder import ReminderChannel, ReminderItem, ReminderStatus
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0008_kpi_reports')]

    initial = False

    operations = [
        ops.CreateModel(
            name='Reminder',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('item_type', fields.CharEnumField(description='STEP: STEP\nACTIVITY: ACTIVITY\nSURVEY: SURVEY\nJUDGING: JUDGING', enum_type=ReminderItem, max_length=16)),
                ('item_id', fields.IntField()),
                ('threshold', fields.CharField(max_length=16)),
                ('recipient', fields.CharField(max_length=32)),
                ('channel', fields.CharEnumField(description='IN_APP: IN_APP\nLINE: LINE\nEMAIL: EMAIL', enum_type=ReminderChannel, max_length=16)),
                ('due_on', fields.DateField()),
                ('person', fields.ForeignKeyField('models.Person', source_field='person_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.CASCADE)),
                ('user', fields.ForeignKeyField('models.User', source_field='user_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.CASCADE)),
                ('unit', fields.ForeignKeyField('models.Unit', source_field='unit_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.CASCADE)),
                ('address', fields.CharField(default='', description='E-mail or LINE user id', max_length=255)),
                ('message_key', fields.CharField(max_length=64)),
                ('params', fields.JSONField(default=dict, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('retry_key', fields.CharField(description='X-Line-Retry-Key, kept for retries', max_length=64)),
                ('status', fields.CharEnumField(default=ReminderStatus.PENDING, description='PENDING: PENDING\nSENT: SENT\nIN_DOUBT: IN_DOUBT\nDEAD: DEAD', enum_type=ReminderStatus, max_length=16)),
                ('external_id', fields.CharField(null=True, max_length=255)),
                ('sent_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'reminder', 'app': 'models', 'unique_together': (('item_type', 'item_id', 'threshold', 'recipient', 'channel'),), 'pk_attr': 'id', 'table_description': 'One reminder of one item at one threshold to one recipient through one channel'},
            bases=['Model'],
        ),
        ops.AlterField(
            model_name='OutboxMessage',
            name='action',
            field=fields.CharEnumField(description='PUBLISH: PUBLISH\nRETRACT: RETRACT\nREMIND: REMIND', enum_type=OutboxAction, max_length=16),
        ),
        ops.AlterField(
            model_name='OutboxMessage',
            name='publication',
            field=fields.ForeignKeyField('models.Publication', source_field='publication_id', null=True, db_constraint=True, to_field='id', related_name='outbox', on_delete=OnDelete.CASCADE),
        ),
        # SQLite rebuilds the table for the AlterField above and leaves its index behind.
        ops.RunSQL(
            'CREATE INDEX IF NOT EXISTS "idx_outbox_mess_status_41b141" '
            'ON "outbox_message" ("status", "available_at")',
            reverse_sql=ops.RunSQL.noop,
        ),
        ops.AddField(
            model_name='OutboxMessage',
            name='reminder',
            field=fields.ForeignKeyField('models.Reminder', source_field='reminder_id', null=True, db_constraint=True, to_field='id', related_name='outbox', on_delete=OnDelete.CASCADE),
        ),
        ops.AddField(
            model_name='Person',
            name='line_user_id',
            field=fields.CharField(null=True, max_length=64),
        ),
    ]
