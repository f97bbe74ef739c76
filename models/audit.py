"""The append-only audit trail (บันทึกการตรวจสอบ)."""

from typing import Any

from tortoise import fields
from tortoise.models import Model

from models.user import User


class AuditEvent(Model):
    """Who changed what, when, from what to what, and why. Rows are never updated or deleted."""

    id = fields.BigIntField(primary_key=True)
    at = fields.DatetimeField(auto_now_add=True, db_index=True)
    actor: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name=False, null=True, on_delete=fields.SET_NULL
    )
    actor_id: int | None
    action = fields.CharField(max_length=64, db_index=True)
    object_type = fields.CharField(max_length=64)
    object_id = fields.CharField(max_length=64)
    before: Any = fields.JSONField(null=True)
    after: Any = fields.JSONField(null=True)
    reason = fields.TextField(null=True)
    request_id = fields.CharField(max_length=64, null=True)

    class Meta:
        table = "audit_event"
        indexes = (("object_type", "object_id"),)

    async def save(self, *args: Any, **kwargs: Any) -> None:
        if self._saved_in_db:
            raise PermissionError("audit events are append-only")
        await super().save(*args, **kwargs)

    async def delete(self, *args: Any, **kwargs: Any) -> None:
        raise PermissionError("audit events are append-only")
