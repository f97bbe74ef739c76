"""Files (เอกสารหลักฐาน): the bytes live in a storage backend, the facts about them here."""

from datetime import datetime

from tortoise import fields
from tortoise.models import Model

from models.committee import AppointmentOrder
from models.cycle import DocumentSlot
from models.meeting import Meeting
from models.plan import ActivityProgressReport
from models.user import User


class Document(Model):
    """An uploaded file attached to exactly one of: a step's document slot, an appointment order
    (its signed copy), a meeting (minutes) or a progress report (its evidence). Deleting keeps
    the row, marked, for the audit."""

    id = fields.IntField(primary_key=True)
    slot: fields.ForeignKeyNullableRelation[DocumentSlot] = fields.ForeignKeyField(
        "models.DocumentSlot", related_name="documents", null=True, on_delete=fields.CASCADE
    )
    slot_id: int | None
    order: fields.ForeignKeyNullableRelation[AppointmentOrder] = fields.ForeignKeyField(
        "models.AppointmentOrder", related_name="documents", null=True, on_delete=fields.CASCADE
    )
    order_id: int | None
    meeting: fields.ForeignKeyNullableRelation[Meeting] = fields.ForeignKeyField(
        "models.Meeting", related_name="documents", null=True, on_delete=fields.CASCADE
    )
    meeting_id: int | None
    activity_report: fields.ForeignKeyNullableRelation[ActivityProgressReport] = (
        fields.ForeignKeyField(
            "models.ActivityProgressReport",
            related_name="evidence",
            null=True,
            on_delete=fields.CASCADE,
        )
    )
    activity_report_id: int | None
    filename = fields.CharField(max_length=255)
    content_type = fields.CharField(max_length=128)
    size = fields.BigIntField()
    sha256 = fields.CharField(max_length=64, db_index=True)
    storage_key = fields.CharField(max_length=255, unique=True)
    uploaded_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name=False, null=True, on_delete=fields.SET_NULL
    )
    uploaded_by_id: int | None
    uploaded_at = fields.DatetimeField(auto_now_add=True)
    deleted_at: datetime | None = fields.DatetimeField(null=True)

    class Meta:
        table = "document"
