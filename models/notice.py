"""Status-change notices (การแจ้งการเปลี่ยนสถานะ): what a change tells the people concerned by
e-mail or LINE, each person's choice of channel, and the administrators' wording per event.
The in-app side of a notice is a ``Notification``; the rules are in ``services/notices/``."""

from datetime import datetime
from enum import StrEnum

from tortoise import fields
from tortoise.models import Model

from models.org import Unit
from models.reminder import ReminderChannel, ReminderStatus
from models.user import User


class NoticeEvent(StrEnum):
    WORK_RETURNED = "WORK_RETURNED"
    WORK_REGISTERED = "WORK_REGISTERED"
    WORK_PUBLISHED = "WORK_PUBLISHED"
    WORK_RETRACTED = "WORK_RETRACTED"
    ENTRY_SUBMITTED = "ENTRY_SUBMITTED"
    ENTRY_SCREENED_OUT = "ENTRY_SCREENED_OUT"
    ENTRY_RETURNED = "ENTRY_RETURNED"
    ENTRY_SHORTLISTED = "ENTRY_SHORTLISTED"
    ENTRY_PRESENTED = "ENTRY_PRESENTED"
    ENTRY_AWARDED = "ENTRY_AWARDED"
    ENTRY_NOT_AWARDED = "ENTRY_NOT_AWARDED"
    JUDGE_ASSIGNED = "JUDGE_ASSIGNED"
    SHEET_REOPENED = "SHEET_REOPENED"
    RESULTS_PUBLISHED = "RESULTS_PUBLISHED"
    STEP_RESPONSIBLE = "STEP_RESPONSIBLE"
    STEP_STARTED = "STEP_STARTED"
    STEP_COMPLETED = "STEP_COMPLETED"
    STEP_REOPENED = "STEP_REOPENED"
    REPORT_SUBMITTED = "REPORT_SUBMITTED"
    REPORT_RECORDED = "REPORT_RECORDED"


class NotificationPreference(Model):
    """How one account wants to hear of changes: IN_APP (nothing more), EMAIL or LINE, at once
    or in a daily digest. An account without a row has the defaults (e-mail, at once)."""

    id = fields.IntField(primary_key=True)
    user: fields.OneToOneRelation[User] = fields.OneToOneField(
        "models.User", related_name=False, on_delete=fields.CASCADE
    )
    user_id: int
    channel = fields.CharEnumField(ReminderChannel, max_length=16, default=ReminderChannel.EMAIL)
    digest = fields.BooleanField(default=False)
    version = fields.IntField(default=1)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "notification_preference"


class NotificationTemplate(Model):
    """An administrator's wording of one event, in Thai and English (the catalogue's default
    when there is no row)."""

    id = fields.IntField(primary_key=True)
    event = fields.CharEnumField(NoticeEvent, max_length=32, unique=True)
    template_th = fields.TextField()
    template_en = fields.TextField()
    version = fields.IntField(default=1)
    updated_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name=False, null=True, on_delete=fields.SET_NULL
    )
    updated_by_id: int | None
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "notification_template"


class Notice(Model):
    """One message to one account through one channel (EMAIL or LINE), its text fixed when the
    change was made. ``key`` (event, subject, change, recipient, channel) is unique: the same
    change never makes two. A digest notice gathers the waiting notices of one account
    (``batch``) into one message a day."""

    id = fields.IntField(primary_key=True)
    key = fields.CharField(max_length=191, unique=True)
    event = fields.CharEnumField(NoticeEvent, max_length=32, null=True, description="None: digest")
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name=False, on_delete=fields.CASCADE
    )
    user_id: int
    # The unit whose LINE Official Account pushes it.
    unit: fields.ForeignKeyNullableRelation[Unit] = fields.ForeignKeyField(
        "models.Unit", related_name=False, null=True, on_delete=fields.CASCADE
    )
    unit_id: int | None
    channel = fields.CharEnumField(ReminderChannel, max_length=16)
    address = fields.CharField(max_length=255, description="E-mail or LINE user id")
    subject_type = fields.CharField(max_length=64)
    subject_id = fields.IntField()
    text_th = fields.TextField()
    text_en = fields.TextField()
    digest = fields.BooleanField(default=False, description="Waits for the daily digest")
    batch: fields.ForeignKeyNullableRelation["Notice"] = fields.ForeignKeyField(
        "models.Notice", related_name=False, null=True, on_delete=fields.SET_NULL
    )
    batch_id: int | None
    retry_key = fields.CharField(max_length=64, description="X-Line-Retry-Key, kept for retries")
    status = fields.CharEnumField(ReminderStatus, max_length=16, default=ReminderStatus.PENDING)
    external_id = fields.CharField(max_length=255, null=True)
    sent_at: datetime | None = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "notice"
        indexes = (("digest", "status"),)
