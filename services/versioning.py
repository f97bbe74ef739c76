"""Optimistic concurrency: objects people edit carry a ``version``; a write based on an older
version is refused instead of overwriting someone else's work."""

from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.models import Model

from services import audit
from services.actor import Actor
from services.errors import DomainError, ErrorCode


async def update_if_current(
    model: type[Model],
    *,
    pk: int,
    version: int,
    current: int,
    connection: BaseDBAsyncClient,
    **changes: Any,
) -> None:
    """Write ``changes`` and bump the version, only if the row is still at ``version``
    (``current`` is the version last read, reported when it is not)."""
    changed = (
        await model.filter(pk=pk, version=version)
        .using_db(connection)
        .update(version=version + 1, **changes)
    )
    if not changed:
        raise DomainError.of(
            ErrorCode.STALE_VERSION, "stale_version", field=("version",), current=current
        )


async def save_version(
    row: Any,
    *,
    actor: Actor,
    action: str,
    connection: BaseDBAsyncClient,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str | None = None,
    update_fields: list[str] | None = None,
) -> None:
    """Save an edited row (its version checked by the caller) as its next version, with the
    audit event that says what changed, in the caller's transaction."""
    row.version += 1
    await row.save(using_db=connection, update_fields=update_fields)
    await audit.record(
        actor=actor,
        action=action,
        object_type=type(row).__name__,
        object_id=row.pk,
        before=before,
        after=after,
        reason=reason,
        connection=connection,
    )
