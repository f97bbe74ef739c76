"""Reminders (การแจ้งเตือนกำหนดส่ง): what is due soon or overdue — cycle steps, plan activities,
survey closings, judging assignments — told to the people responsible through their channels,
at most once per item, threshold, recipient and channel."""

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from tortoise import fields
from tortoise.models import Model

from models.org import Person, Unit
from models.user import User


class ReminderItem(StrEnum):
    STEP = "STEP"  # a cycle step (ขั้นตอน)
    ACTIVITY = "ACTIVITY"  # an activity of a plan in force (กิจกรรม)
    SURVEY = "SURVEY"  # an open survey, due to close with its step
    JUDGING = "JUDGING"  # a judge's assigned entry not scored yet


class ReminderChannel(StrEnum):
    IN_APP = "IN_APP"  # a notification in LO Hub
    LINE = "LINE"  # a LINE push message from the unit's Official Account
    EMAIL = "EMAIL"  # an e-mail through the installation's SMTP server


class ReminderStatus(StrEnum):
    PENDING = "PENDING"  # its outbox message waits for the worker
    SENT = "SENT"
    IN_DOUBT = "IN_DOUBT"  # an e-mail that may have gone out before a crash: never sent twice
    DEAD = "DEAD"  # attempts used up or refused


class Reminder(Model):
    """One reminder of one item at one threshold to one recipient through one channel

    The unique key is what makes a reminder go out at most once, however often the scan runs and
    however many workers restart."""

    id = fields.IntField(primary_key=True)
    item_type = fields.CharEnumField(ReminderItem, max_length=16)
    item_id = fields.IntField()
    # "BEFORE_<n>": due in n working days or fewer; "OVERDUE": past its due day.
    threshold = fields.CharField(max_length=16)
    # "person:<id>" or "user:<id>": who it is for, whichever record the item names.
    recipient = fields.CharField(max_length=32)
    channel = fields.CharEnumField(ReminderChannel, max_length=16)
    due_on: date = fields.DateField()
    person: fields.ForeignKeyNullableRelation[Person] = fields.ForeignKeyField(
        "models.Person", related_name=False, null=True, on_delete=fields.CASCADE
    )
    person_id: int | None
    user: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name=False, null=True, on_delete=fields.CASCADE
    )
    user_id: int | None
    # The unit whose LINE Official Account sends the push.
    unit: fields.ForeignKeyNullableRelation[Unit] = fields.ForeignKeyField(
        "models.Unit", related_name=False, null=True, on_delete=fields.CASCADE
    )
    unit_id: int | None
    address = fields.CharField(max_length=255, default="", description="E-mail or LINE user id")
    message_key = fields.CharField(max_length=64)
    params: Any = fields.JSONField(default=dict)
    retry_key = fields.CharField(max_length=64, description="X-Line-Retry-Key, kept for retries")
    status = fields.CharEnumField(ReminderStatus, max_length=16, default=ReminderStatus.PENDING)
    external_id = fields.CharField(max_length=255, null=True)
    sent_at: datetime | None = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "reminder"
        unique_together = (("item_type", "item_id", "threshold", "recipient", "channel"),)
