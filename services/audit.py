"""The one helper every change goes through to leave its audit event."""

from datetime import datetime
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.queryset import QuerySet

from models.audit import AuditEvent
from models.user import Role
from services.actor import Actor
from services.permissions import require_role


async def record(
    *,
    actor: Actor,
    action: str,
    object_type: str,
    object_id: object,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str | None = None,
    connection: BaseDBAsyncClient | None = None,
) -> AuditEvent:
    """Append one audit event; pass the transaction's ``connection`` so it commits with the
    change it describes, or not at all."""
    return await AuditEvent.create(
        actor_id=actor.user_id,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        before=before,
        after=after,
        reason=reason,
        request_id=actor.request_id,
        using_db=connection,
    )


def visible_audit_events(actor: Actor) -> QuerySet[AuditEvent]:
    """The audit trail is for administrators."""
    require_role(actor, Role.ADMIN)
    return AuditEvent.all()


def list_events(
    *,
    actor: Actor,
    object_type: str | None = None,
    object_id: str | None = None,
    actor_id: int | None = None,
    action: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    ordering: list[str],
) -> QuerySet[AuditEvent]:
    conditions = {
        "object_type": object_type,
        "object_id": object_id,
        "actor_id": actor_id,
        "action": action,
        "at__gte": since,
        "at__lt": until,
    }
    return (
        visible_audit_events(actor)
        .filter(**{k: v for k, v in conditions.items() if v is not None})
        .order_by(*ordering)
    )
