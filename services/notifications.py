"""In-app notifications: a change tells the people concerned, in the change's transaction; each
person reads and marks their own."""

from collections.abc import Iterable

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.queryset import QuerySet

from models.notification import Notification
from services.actor import Actor
from services.permissions import require_authenticated
from services.tokens import utcnow


async def notify(
    user_ids: Iterable[int | None],
    *,
    message_key: str,
    subject_type: str,
    subject_id: int,
    connection: BaseDBAsyncClient,
    exclude: int | None = None,
    **params: object,
) -> None:
    """One notification per user (each once; ``exclude`` is whoever made the change)."""
    recipients = sorted({u for u in user_ids if u is not None and u != exclude})
    await Notification.bulk_create(
        [
            Notification(
                user_id=user_id,
                message_key=message_key,
                params=params,
                subject_type=subject_type,
                subject_id=subject_id,
            )
            for user_id in recipients
        ],
        using_db=connection,
    )


def visible_notifications(actor: Actor) -> QuerySet[Notification]:
    """A notification is for its recipient alone."""
    return _own(actor, unread_only=False)


def list_own(*, actor: Actor, unread_only: bool = False) -> QuerySet[Notification]:
    return _own(actor, unread_only).order_by("-created_at", "-id")


async def mark_read(*, actor: Actor, ids: list[int] | None) -> int:
    """Mark the actor's own notifications read (all unread ones when ``ids`` is None); returns
    how many changed."""
    queryset = _own(actor, unread_only=True)
    if ids is not None:
        queryset = queryset.filter(id__in=ids)
    return await queryset.update(read_at=utcnow())


def _own(actor: Actor, unread_only: bool) -> QuerySet[Notification]:
    require_authenticated(actor)
    queryset = Notification.filter(user_id=actor.user_id)
    return queryset.filter(read_at__isnull=True) if unread_only else queryset
