"""In-app notifications (การแจ้งเตือน): what a change tells the people concerned. Written in the
change's transaction; the text is rendered in the reader's language when read."""

from datetime import datetime
from typing import Any

from tortoise import fields
from tortoise.models import Model

from models.user import User


class Notification(Model):
    id = fields.IntField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="notifications", on_delete=fields.CASCADE
    )
    user_id: int
    message_key = fields.CharField(max_length=64)
    params: Any = fields.JSONField(default=dict)
    # The object it is about, as a GraphQL type name and database id.
    subject_type = fields.CharField(max_length=64)
    subject_id = fields.IntField()
    created_at = fields.DatetimeField(auto_now_add=True)
    read_at: datetime | None = fields.DatetimeField(null=True)
    # A status-change notice's once-only key (event, subject, change, recipient); None otherwise.
    key = fields.CharField(max_length=191, null=True, unique=True)

    class Meta:
        table = "notification"
        indexes = (("user_id", "read_at"),)
