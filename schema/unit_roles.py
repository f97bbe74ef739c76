"""Unit roles (the APPROVER, the unit head), granted and revoked by administrators."""

from typing import Any

import strawberry
from strawberry import relay

from models.org import UnitRole
from schema.errors import UserError, payload
from schema.inputs import Input, node_id
from schema.org import UnitNode
from schema.users import UserNode
from services import unit_roles
from services.org import get_unit


@strawberry.input(description="A unit role and who holds it.")
class UnitRoleInput:
    unit: relay.GlobalID = strawberry.field(description="The unit.")
    user: relay.GlobalID = strawberry.field(description="The user account.")
    role: UnitRole = strawberry.field(default=UnitRole.APPROVER, description="The role.")


@strawberry.type(description="Result of `unitRoleGrant` and `unitRoleRevoke`.")
class UnitRolePayload:
    unit: UnitNode | None = strawberry.field(default=None, description="The unit.")
    errors: list[UserError] = strawberry.field(description="Why nothing changed, if so.")


def _ids(input: UnitRoleInput) -> dict[str, Any]:
    return {
        "unit_id": node_id(input.unit, UnitNode, "unit"),
        "user_id": node_id(input.user, UserNode, "user"),
        "role": input.role,
    }


@strawberry.type
class UnitRoleMutations:
    @strawberry.mutation(description="Give a user a role in a unit (administrators).")
    async def unit_role_grant(
        self, info: strawberry.Info, input: Input[UnitRoleInput]
    ) -> UnitRolePayload:
        async def run() -> dict[str, Any]:
            held = await unit_roles.grant(actor=info.context.actor, **_ids(input))
            return {"unit": UnitNode.from_model(await get_unit(held.unit_id))}

        return await payload(info, UnitRolePayload, run)

    @strawberry.mutation(description="Take a unit role away from a user (administrators).")
    async def unit_role_revoke(
        self, info: strawberry.Info, input: Input[UnitRoleInput]
    ) -> UnitRolePayload:
        async def run() -> dict[str, Any]:
            ids = _ids(input)
            await unit_roles.revoke(actor=info.context.actor, **ids)
            return {"unit": UnitNode.from_model(await get_unit(ids["unit_id"]))}

        return await payload(info, UnitRolePayload, run)
