"""The database out of reach (refused connections, as while PostgreSQL restarts): GraphQL and
the file routes answer a typed, retryable 503 at once, never a 500 with internals. The whole
deployment under a real restart is rehearsed in tests/test_deployment_rehearsal.py."""

from typing import Any

import asyncpg
import pytest
from tortoise import connections

from api import context
from services import signed_links
from services.actor import Actor
from services.errors import is_unavailable
from services.signed_links import LinkFor
from tests.helpers import GraphQLClient, make_user
from tests.world import gid

ME = "query { me { username } }"


def _caused_by(cause: Exception) -> Exception:
    try:
        raise RuntimeError("while talking to the database") from cause
    except RuntimeError as error:
        return error


def _database_away(monkeypatch: pytest.MonkeyPatch) -> None:
    async def refused(*_: Any, **__: Any) -> Any:
        raise ConnectionRefusedError(111, "Connect call failed ('127.0.0.1', 5432)")

    for method in ("execute_query", "execute_query_dict"):
        monkeypatch.setattr(type(connections.get("default")), method, refused)


UNAVAILABLE = {
    "message": "The service is temporarily unavailable; try again in 5 seconds",
    "extensions": {"code": "SERVICE_UNAVAILABLE", "retryAfter": 5},
}


async def test_graphql_answers_503_service_unavailable_with_retry_after(
    client: GraphQLClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = await make_user("somchai")
    bearer = client.signed_in_as(user).headers
    _database_away(monkeypatch)
    # Once while checking the bearer token (before GraphQL), once in a resolver.
    checked = [
        await client.http.post("/graphql", json={"query": ME}, headers={**bearer, "Accept": accept})
        for accept in ("application/json", "application/graphql-response+json")
    ]

    async def signed_in(*_: Any, **__: Any) -> Actor:
        return Actor(user_id=user.id)

    monkeypatch.setattr(context, "authenticate", signed_in)
    resolved = await client.http.post("/graphql", json={"query": ME}, headers=bearer)

    for response in [*checked, resolved]:
        assert response.status_code == 503
        assert response.headers["retry-after"] == "5"
        [error] = response.json()["errors"]
        assert error["extensions"] == {"code": "SERVICE_UNAVAILABLE", "retryAfter": 5}
        assert error["message"] == "ระบบไม่พร้อมให้บริการชั่วคราว กรุณาลองใหม่ในอีก 5 วินาที"
        assert "5432" not in response.text  # nothing of the cause leaks
    assert resolved.json()["data"] == {"me": None}


async def test_a_download_answers_503_service_unavailable_with_retry_after(
    client: GraphQLClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    _database_away(monkeypatch)
    link = f"/files/{gid('Document', 1)}?token={signed_links.sign(LinkFor.DOCUMENT, 1)}"

    response = await client.http.get(link, headers={"Accept-Language": "en"})

    assert response.status_code == 503
    assert response.headers["retry-after"] == "5"
    assert response.json() == {"errors": [UNAVAILABLE]}


@pytest.mark.parametrize(
    ("error", "unavailable"),
    [
        (ConnectionRefusedError(111, "Connect call failed"), True),
        (asyncpg.exceptions.CannotConnectNowError("the database system is starting up"), True),
        (asyncpg.exceptions.AdminShutdownError("terminating connection"), True),
        (asyncpg.exceptions.ConnectionDoesNotExistError("connection was closed"), True),
        (asyncpg.InterfaceError("connection is closed"), True),
        # What a connection cut mid-query was once left saying (seen in the rehearsal).
        (asyncpg.exceptions.InternalClientError("another operation (2) is in progress"), True),
        (_caused_by(OSError("connection reset")), True),
        (asyncpg.exceptions.UndefinedColumnError("no such column"), False),
        (ValueError("a bug"), False),
    ],
)
def test_which_errors_say_a_store_is_out_of_reach(error: Exception, unavailable: bool) -> None:
    assert is_unavailable(error) is unavailable
