"""Login, token refresh with rotation, logout and `me` (throttling: test_login_throttle.py)."""

from datetime import UTC, datetime, timedelta

import pytest

from models.user import RefreshToken
from services.tokens import issue_access_token
from tests.helpers import PASSWORD, GraphQLClient, assert_unauthenticated, make_user

LOGIN = """
mutation Login($username: String!, $password: String!) {
  login(input: {username: $username, password: $password}) {
    session { accessToken refreshToken accessTokenExpiresAt user { username roles } }
    errors { code field message }
  }
}"""
REFRESH = """
mutation Refresh($token: String!) {
  tokenRefresh(input: {refreshToken: $token}) {
    session { accessToken refreshToken }
    errors { code message }
  }
}"""
LOGOUT = """
mutation Logout($token: String!) {
  logout(input: {refreshToken: $token}) { loggedOut errors { code } }
}"""
ME = "{ me { username roles } }"


async def login(client: GraphQLClient, username: str, password: str = PASSWORD) -> dict:
    data = await client.data(LOGIN, {"username": username, "password": password})
    return data["login"]


async def test_login_returns_tokens_that_work_for_me(client: GraphQLClient) -> None:
    await make_user("somchai", roles={"MANAGER"})

    result = await login(client, "Somchai ")

    assert result["errors"] == []
    session = result["session"]
    assert session["user"] == {"username": "somchai", "roles": ["MANAGER"]}
    me = await client.with_headers(authorization=f"Bearer {session['accessToken']}").data(ME)
    assert me["me"] == {"username": "somchai", "roles": ["MANAGER"]}


async def test_wrong_password_is_a_typed_error_in_the_requested_language(
    client: GraphQLClient,
) -> None:
    await make_user("somchai")

    thai = await login(client, "somchai", "wrong password")
    english = await login(
        client.with_headers(**{"accept-language": "en-GB,en;q=0.9"}), "somchai", "nope"
    )

    assert thai["session"] is None
    assert thai["errors"][0]["code"] == "INVALID_CREDENTIALS"
    assert thai["errors"][0]["message"] == "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง"
    assert english["errors"][0]["message"] == "The username or password is not correct"


async def test_unknown_user_and_disabled_user_get_the_same_answer(client: GraphQLClient) -> None:
    await make_user("ghost", is_active=False)

    for username in ("nobody", "ghost"):
        result = await login(client, username)
        assert [e["code"] for e in result["errors"]] == ["INVALID_CREDENTIALS"]


async def test_refresh_rotates_and_reuse_revokes_the_family(client: GraphQLClient) -> None:
    await make_user("somchai")
    first = (await login(client, "somchai"))["session"]["refreshToken"]

    rotated = (await client.data(REFRESH, {"token": first}))["tokenRefresh"]
    second = rotated["session"]["refreshToken"]
    reused = (await client.data(REFRESH, {"token": first}))["tokenRefresh"]
    after_reuse = (await client.data(REFRESH, {"token": second}))["tokenRefresh"]

    assert rotated["errors"] == [] and second != first
    assert reused["errors"][0]["code"] == "TOKEN_INVALID"
    assert after_reuse["errors"][0]["code"] == "TOKEN_INVALID"


async def test_refresh_token_is_stored_hashed(client: GraphQLClient) -> None:
    await make_user("somchai")
    token = (await login(client, "somchai"))["session"]["refreshToken"]

    stored = await RefreshToken.all().values_list("token_hash", flat=True)

    assert token not in stored and len(stored) == 1


async def test_expired_refresh_token(client: GraphQLClient) -> None:
    await make_user("somchai")
    token = (await login(client, "somchai"))["session"]["refreshToken"]
    await RefreshToken.all().update(expires_at=datetime(2000, 1, 1, tzinfo=UTC))

    result = (await client.data(REFRESH, {"token": token}))["tokenRefresh"]

    assert result["errors"][0]["code"] == "TOKEN_EXPIRED"


async def test_logout_revokes_the_session(client: GraphQLClient) -> None:
    await make_user("somchai")
    token = (await login(client, "somchai"))["session"]["refreshToken"]

    out = (await client.data(LOGOUT, {"token": token}))["logout"]
    refreshed = (await client.data(REFRESH, {"token": token}))["tokenRefresh"]
    again = (await client.data(LOGOUT, {"token": "not-a-token"}))["logout"]

    assert out == {"loggedOut": True, "errors": []}
    assert refreshed["errors"][0]["code"] == "TOKEN_INVALID"
    assert again["errors"][0]["code"] == "TOKEN_INVALID"


async def test_me_is_null_when_anonymous(client: GraphQLClient) -> None:
    assert (await client.data(ME))["me"] is None


@pytest.mark.parametrize(
    ("authorization", "message"),
    [
        ("Bearer not.a.jwt", "The token is invalid or revoked"),
        ("Basic dXNlcjpwYXNz", "The token is invalid or revoked"),
    ],
)
async def test_bad_bearer_token_is_unauthenticated(
    client: GraphQLClient, authorization: str, message: str
) -> None:
    body = await client.with_headers(authorization=authorization, **{"accept-language": "en"}).post(
        ME
    )

    assert_unauthenticated(body)
    assert body["errors"][0]["message"] == message


async def test_expired_access_token_says_so(client: GraphQLClient) -> None:
    user = await make_user("somchai")
    token, _ = issue_access_token(user.id, user.session_id, datetime.now(UTC) - timedelta(days=1))

    body = await client.with_headers(
        authorization=f"Bearer {token}", **{"accept-language": "en"}
    ).post(ME)

    assert_unauthenticated(body)
    assert "expired" in body["errors"][0]["message"]
