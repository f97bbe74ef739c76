"""Sessions end at once: after logout, a password change, deactivation or the user's deletion the
old access token is refused at the next request; roles come from the database, not the token;
a request costs one SQL statement to authenticate, an anonymous one none."""

import asyncio
import time

import jwt

from models.user import RefreshToken, User
from services import users
from services.actor import SYSTEM, Actor
from services.settings import get_settings
from tests.helpers import PASSWORD, GraphQLClient, assert_forbidden, count_queries, make_user
from tests.world import gid

LOGIN = """
mutation Login($username: String!, $password: String!) {
  login(input: {username: $username, password: $password}) {
    session { accessToken refreshToken } errors { code }
  }
}"""
REFRESH = """
mutation Refresh($token: String!) {
  tokenRefresh(input: {refreshToken: $token}) {
    session { accessToken refreshToken } errors { code }
  }
}"""
LOGOUT = """
mutation Logout($token: String!) { logout(input: {refreshToken: $token}) { errors { code } } }"""
USER_UPDATE = """
mutation Update($input: UserUpdateInput!) {
  userUpdate(input: $input) { user { version } errors { code } }
}"""
ME = "{ me { username roles } }"
ADMIN_ONLY = 'mutation { unitCreate(input: {code: "NEW", nameTh: "ใหม่"}) { errors { code } } }'


async def signed_in(client: GraphQLClient, username: str) -> tuple[GraphQLClient, str]:
    """A client holding a real session's access token, and the session's refresh token."""
    result = (await client.data(LOGIN, {"username": username, "password": PASSWORD}))["login"]
    assert result["errors"] == [], result
    session = result["session"]
    bearer = client.with_headers(authorization=f"Bearer {session['accessToken']}")
    return bearer.with_headers(**{"accept-language": "en"}), session["refreshToken"]


async def refused(client: GraphQLClient) -> str:
    body = await client.post(ME)
    assert [e["extensions"]["code"] for e in body["errors"]] == ["UNAUTHENTICATED"], body
    return body["errors"][0]["message"]


async def test_logout_ends_the_access_token_at_the_next_request(client: GraphQLClient) -> None:
    await make_user("somchai")
    session, refresh_token = await signed_in(client, "somchai")
    other_device, _ = await signed_in(client, "somchai")
    assert (await session.data(ME))["me"]["username"] == "somchai"

    await client.data(LOGOUT, {"token": refresh_token})

    assert await refused(session) == "This session has ended; log in again"
    assert (await other_device.data(ME))["me"]["username"] == "somchai"


async def test_refresh_keeps_the_session_and_logout_ends_every_token_of_it(
    client: GraphQLClient,
) -> None:
    await make_user("somchai")
    first, refresh_token = await signed_in(client, "somchai")
    rotated = (await client.data(REFRESH, {"token": refresh_token}))["tokenRefresh"]["session"]
    second = client.with_headers(authorization=f"Bearer {rotated['accessToken']}")

    await client.data(LOGOUT, {"token": rotated["refreshToken"]})

    await refused(first)
    await refused(second)


async def test_password_change_and_deactivation_end_every_session(
    client: GraphQLClient, admin: GraphQLClient
) -> None:
    user = await make_user("somchai")
    by_password, refresh_token = await signed_in(client, "somchai")
    update = {"id": gid("User", user.id), "version": 1, "password": "a brand new password"}

    assert (await admin.data(USER_UPDATE, {"input": update}))["userUpdate"]["errors"] == []

    await refused(by_password)
    again = (await client.data(REFRESH, {"token": refresh_token}))["tokenRefresh"]
    assert again["errors"] == [{"code": "TOKEN_INVALID"}]

    by_new_password = (
        await client.data(LOGIN, {"username": "somchai", "password": "a brand new password"})
    )["login"]["session"]["accessToken"]
    session = client.with_headers(authorization=f"Bearer {by_new_password}")
    deactivate = {"id": gid("User", user.id), "version": 2, "isActive": False}
    assert (await admin.data(USER_UPDATE, {"input": deactivate}))["userUpdate"]["errors"] == []

    await refused(session)
    reactivate = {"id": gid("User", user.id), "version": 3, "isActive": True}
    await admin.data(USER_UPDATE, {"input": reactivate})
    await refused(session)  # an ended session never comes back


async def test_roles_come_from_the_database_at_each_request(
    client: GraphQLClient, admin: GraphQLClient
) -> None:
    user = await make_user("somchai", roles={"ADMIN"})
    session = client.signed_in_as(user)
    assert (await session.data(ADMIN_ONLY))["unitCreate"]["errors"] == []

    removal = {"id": gid("User", user.id), "version": 1, "roles": ["MANAGER"]}
    await admin.data(USER_UPDATE, {"input": removal})

    assert_forbidden(await session.post(ADMIN_ONLY))
    assert (await session.data(ME))["me"]["roles"] == ["MANAGER"]


async def test_a_token_for_a_deleted_user_is_refused(client: GraphQLClient) -> None:
    user = await make_user("somchai", roles={"ADMIN"})
    session = client.signed_in_as(user).with_headers(**{"accept-language": "en"})

    await User.filter(id=user.id).delete()

    assert await refused(session) == "This session has ended; log in again"


async def test_a_token_without_a_session_is_invalid(client: GraphQLClient) -> None:
    """A correctly signed token of the old shape (roles inside, no session) is not accepted."""
    user = await make_user("somchai", roles={"ADMIN"})
    forged = jwt.encode(
        {"sub": str(user.id), "roles": ["ADMIN"], "exp": 4102444800, "typ": "access"},
        get_settings().secret_key.get_secret_value(),
        algorithm="HS256",
    )

    body = await client.with_headers(
        authorization=f"Bearer {forged}", **{"accept-language": "en"}
    ).post(ME)

    assert body["errors"][0]["message"] == "The token is invalid or revoked"


async def test_a_token_accepted_before_is_refused_once_it_expires(client: GraphQLClient) -> None:
    user = await make_user("somchai")
    expires = int(time.time()) + 2
    token = jwt.encode(
        {"sub": str(user.id), "sid": user.session_id, "exp": expires, "typ": "access"},
        get_settings().secret_key.get_secret_value(),
        algorithm="HS256",
    )
    session = client.with_headers(authorization=f"Bearer {token}", **{"accept-language": "en"})
    assert (await session.data(ME))["me"]["username"] == "somchai"

    await asyncio.sleep(expires - time.time() + 0.1)

    assert await refused(session) == "The token has expired; log in again"


async def test_authentication_costs_one_statement_and_anonymous_requests_none(
    client: GraphQLClient,
) -> None:
    user = await make_user("somchai", roles={"ADMIN", "MANAGER"})
    session = client.signed_in_as(user)

    with count_queries(with_authentication=True) as anonymous:
        await client.data("{ __typename }")
    with count_queries(with_authentication=True) as authenticated:
        await session.data("{ __typename }")

    assert anonymous == []
    assert len(authenticated) == 1, authenticated


async def test_a_new_password_ends_the_old_sessions(client: GraphQLClient) -> None:
    user = await make_user("somchai")
    await client.data(LOGIN, {"username": "somchai", "password": PASSWORD})
    admin = Actor(user_id=None, is_system=True, roles=SYSTEM.roles)

    await users.update_user(
        actor=admin,
        user_id=user.id,
        version=1,
        changes=users.UserChanges(password="a brand new password"),
        reason="รั่วไหล",
    )

    assert await RefreshToken.filter(user_id=user.id, revoked_at__isnull=True).count() == 0
