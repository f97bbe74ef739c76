"""User accounts: creation and update by administrators, stale writes, permissions, audit."""

import pytest
from tortoise.exceptions import IntegrityError

from models.audit import AuditEvent
from models.user import Role, RoleGrant
from tests.helpers import GraphQLClient, assert_forbidden, make_user

USER_CREATE = """
mutation Create($input: UserCreateInput!) {
  userCreate(input: $input) {
    user { id username displayName roles version }
    errors { code field message }
  }
}"""
USER_UPDATE = """
mutation Update($input: UserUpdateInput!) {
  userUpdate(input: $input) {
    user { id displayName isActive roles version }
    errors { code field message }
  }
}"""
USERS = """
query Users($filter: UserFilter, $orderBy: [UserOrder!]) {
  users(filter: $filter, orderBy: $orderBy) { totalCount nodes { username } }
}"""

NEW_USER = {
    "username": "Wanida.K",
    "password": "a long enough password",
    "displayName": "วนิดา ก.",
    "roles": ["MANAGER"],
}


async def test_admin_creates_a_user_and_the_audit_trail_records_it(admin: GraphQLClient) -> None:
    result = (await admin.data(USER_CREATE, {"input": NEW_USER}))["userCreate"]

    assert result["errors"] == []
    assert result["user"]["username"] == "wanida.k"
    assert result["user"]["roles"] == ["MANAGER"]
    event = await AuditEvent.get(action="user.create")
    assert event.after["username"] == "wanida.k"
    assert "password" not in str(event.after)


async def test_created_user_can_log_in(admin: GraphQLClient, client: GraphQLClient) -> None:
    await admin.data(USER_CREATE, {"input": NEW_USER})

    login = await client.data(
        'mutation { login(input: {username: "wanida.k", password: "a long enough password"}) '
        "{ errors { code } } }"
    )

    assert login["login"]["errors"] == []


async def test_invalid_fields_come_back_as_user_errors_with_paths(admin: GraphQLClient) -> None:
    bad = {**NEW_USER, "username": "a b", "password": "short", "displayName": " "}

    result = (
        await admin.with_headers(**{"accept-language": "en"}).data(USER_CREATE, {"input": bad})
    )["userCreate"]

    assert result["user"] is None
    fields = {tuple(e["field"]): e for e in result["errors"]}
    assert set(fields) == {
        ("input", "username"),
        ("input", "password"),
        ("input", "displayName"),
    }
    assert all(e["code"] == "INVALID_INPUT" for e in result["errors"])
    assert fields[("input", "password")]["message"] == "Must be at least 8 characters long"


async def test_duplicate_username_is_refused(admin: GraphQLClient) -> None:
    await make_user("wanida.k")

    result = (await admin.data(USER_CREATE, {"input": NEW_USER}))["userCreate"]

    assert [(e["code"], e["field"]) for e in result["errors"]] == [
        ("DUPLICATE", ["input", "username"])
    ]


async def test_only_administrators_create_users(client: GraphQLClient) -> None:
    manager = await make_user("boss", roles={"MANAGER"})

    anonymous = await client.post(USER_CREATE, {"input": NEW_USER})
    as_manager = await client.signed_in_as(manager).post(USER_CREATE, {"input": NEW_USER})

    assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert_forbidden(as_manager)


async def test_update_bumps_version_and_a_stale_write_is_refused(admin: GraphQLClient) -> None:
    created = (await admin.data(USER_CREATE, {"input": NEW_USER}))["userCreate"]["user"]
    change = {"id": created["id"], "version": created["version"], "displayName": "วนิดา กล้าหาญ"}

    first = (await admin.data(USER_UPDATE, {"input": change}))["userUpdate"]
    stale = (await admin.data(USER_UPDATE, {"input": {**change, "displayName": "อื่น"}}))[
        "userUpdate"
    ]

    assert first["user"]["displayName"] == "วนิดา กล้าหาญ"
    assert first["user"]["version"] == created["version"] + 1
    assert stale["user"] is None
    assert [(e["code"], e["field"]) for e in stale["errors"]] == [
        ("STALE_VERSION", ["input", "version"])
    ]


async def test_update_roles_and_deactivate_with_reason_in_audit(admin: GraphQLClient) -> None:
    created = (await admin.data(USER_CREATE, {"input": NEW_USER}))["userCreate"]["user"]

    result = (
        await admin.data(
            USER_UPDATE,
            {
                "input": {
                    "id": created["id"],
                    "version": 1,
                    "roles": ["ADMIN", "MANAGER"],
                    "isActive": False,
                    "reason": "ย้ายหน่วยงาน",
                }
            },
        )
    )["userUpdate"]

    assert result["user"]["roles"] == ["ADMIN", "MANAGER"]
    assert result["user"]["isActive"] is False
    event = await AuditEvent.get(action="user.update")
    assert event.before["roles"] == ["MANAGER"]
    assert event.after["roles"] == ["ADMIN", "MANAGER"]
    assert event.reason == "ย้ายหน่วยงาน"


async def test_update_with_the_id_of_another_type_is_a_user_error(admin: GraphQLClient) -> None:
    result = (await admin.data(USER_UPDATE, {"input": {"id": "QXVkaXRFdmVudDox", "version": 1}}))[
        "userUpdate"
    ]

    assert [(e["code"], e["field"]) for e in result["errors"]] == [
        ("INVALID_INPUT", ["input", "id"])
    ]


async def test_unknown_user_is_not_found(admin: GraphQLClient) -> None:
    result = (await admin.data(USER_UPDATE, {"input": {"id": "VXNlcjo5OTk=", "version": 1}}))[
        "userUpdate"
    ]

    assert result["errors"][0]["code"] == "NOT_FOUND"


async def test_users_list_filters_and_orders(admin: GraphQLClient) -> None:
    await make_user("ann", roles={"MANAGER"}, display_name="Ann")
    await make_user("bob", display_name="Bob")
    await make_user("cid", roles={"MANAGER"}, display_name="Cid", is_active=False)

    managers = await admin.data(
        USERS,
        {"filter": {"role": "MANAGER"}, "orderBy": [{"field": "USERNAME", "direction": "DESC"}]},
    )
    active_search = await admin.data(USERS, {"filter": {"search": "b", "isActive": True}})

    assert [n["username"] for n in managers["users"]["nodes"]] == ["cid", "ann"]
    assert managers["users"]["totalCount"] == 2
    assert [n["username"] for n in active_search["users"]["nodes"]] == ["bob"]


async def test_a_user_without_a_role_sees_only_themselves(client: GraphQLClient) -> None:
    me = await make_user("ann")
    await make_user("bob")

    listed = await client.signed_in_as(me).data(USERS)

    assert listed["users"]["nodes"] == [{"username": "ann"}]


async def test_a_role_is_granted_once_on_every_database(database: str) -> None:
    """SQLite lost the (user, role) uniqueness when migration 0007 rebuilt the table; 0010
    restores it."""
    user = await make_user("once", roles={"MANAGER"})

    with pytest.raises(IntegrityError):
        await RoleGrant.create(user_id=user.id, role=Role.MANAGER)
