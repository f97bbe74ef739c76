"""Unit roles: administrators make a user the unit's plan approver, and take it back."""

import pytest

from tests.helpers import GraphQLClient, make_user
from tests.world import World, gid, make_world

GRANT = """mutation G($unit: ID!, $user: ID!) { unitRoleGrant(input: {unit: $unit, user: $user}) {
    unit { approvers { username } } errors { code field } } }"""
REVOKE = """mutation R($unit: ID!, $user: ID!) { unitRoleRevoke(input: {unit: $unit, user: $user})
    { unit { approvers { username } } errors { code field } } }"""
VIEWER = """query V($id: ID!) { node(id: $id) { ... on Unit { viewerIsApprover } } }"""


@pytest.fixture
async def world(database: str) -> World:
    return await make_world()


async def test_an_administrator_grants_and_revokes_the_approver_role(
    admin: GraphQLClient, client: GraphQLClient, world: World
) -> None:
    head = await make_user("unit.head")
    ids = {"unit": gid("Unit", world.unit.id), "user": gid("User", head.id)}

    granted = await admin.data(GRANT, ids)
    again = await admin.data(GRANT, ids)
    as_head = await client.signed_in_as(head).data(VIEWER, {"id": ids["unit"]})
    revoked = await admin.data(REVOKE, ids)
    twice = await admin.data(REVOKE, ids)

    assert granted["unitRoleGrant"] == {
        "unit": {"approvers": [{"username": "approver"}, {"username": "unit.head"}]},
        "errors": [],
    }
    assert again["unitRoleGrant"]["errors"] == [{"code": "DUPLICATE", "field": ["input", "user"]}]
    assert as_head["node"] == {"viewerIsApprover": True}
    assert revoked["unitRoleRevoke"] == {
        "unit": {"approvers": [{"username": "approver"}]},
        "errors": [],
    }
    assert twice["unitRoleRevoke"]["errors"][0]["code"] == "NOT_FOUND"


async def test_granting_to_someone_unknown_is_a_user_error(
    admin: GraphQLClient, world: World
) -> None:
    body = await admin.data(GRANT, {"unit": gid("Unit", world.unit.id), "user": gid("User", 999)})

    assert body["unitRoleGrant"]["errors"] == [{"code": "NOT_FOUND", "field": ["input", "user"]}]
