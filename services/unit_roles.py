"""Unit roles granted by administrators: today the APPROVER, the unit head who decides plans."""

from typing import cast

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from models.org import UnitRole, UnitRoleGrant
from models.user import Role, User
from services import audit
from services.actor import Actor
from services.errors import DomainError, ErrorCode, not_found
from services.org import get_unit
from services.permissions import require_role


async def grant(*, actor: Actor, unit_id: int, user_id: int, role: UnitRole) -> UnitRoleGrant:
    require_role(actor, Role.ADMIN)
    unit = await get_unit(unit_id)
    if not await User.exists(id=user_id):
        raise not_found("user", "ผู้ใช้", "User")
    if await UnitRoleGrant.exists(unit_id=unit.id, user_id=user_id, role=role):
        raise DomainError.of(ErrorCode.DUPLICATE, "unit_role_held", field=("user",))
    try:
        async with in_transaction() as connection:
            held = await UnitRoleGrant.create(
                unit_id=unit.id, user_id=user_id, role=role, using_db=connection
            )
            await _audit(actor, "unitRole.grant", held, connection)
    except IntegrityError:
        raise DomainError.of(ErrorCode.DUPLICATE, "unit_role_held", field=("user",)) from None
    return held


async def revoke(*, actor: Actor, unit_id: int, user_id: int, role: UnitRole) -> None:
    require_role(actor, Role.ADMIN)
    async with in_transaction() as connection:
        held = (
            await UnitRoleGrant.filter(unit_id=unit_id, user_id=user_id, role=role)
            .using_db(connection)
            .first()
        )
        if held is None:
            raise not_found("user", "สิทธิ์ในหน่วยงาน", "Unit role")
        await held.delete(using_db=connection)
        await _audit(actor, "unitRole.revoke", held, connection)


async def holders(
    unit_id: int, role: UnitRole, connection: BaseDBAsyncClient | None = None
) -> list[int]:
    """The user ids holding ``role`` in the unit."""
    rows = (
        await UnitRoleGrant.filter(unit_id=unit_id, role=role)
        .using_db(connection)
        .order_by("user_id")
        .values_list("user_id", flat=True)
    )
    return cast(list[int], rows)


async def _audit(
    actor: Actor, action: str, held: UnitRoleGrant, connection: BaseDBAsyncClient
) -> None:
    await audit.record(
        actor=actor,
        action=action,
        object_type="Unit",
        object_id=held.unit_id,
        after={"user": held.user_id, "role": held.role.value},
        connection=connection,
    )
