"""The database out of reach (refused connections, as while PostgreSQL restarts): GraphQL and
the file routes answer a typed, retryable 503 at once, never a 500 with internals. The whole
deployment under a real restart is rehearsed in tests/test_deployment_rehearsal.py."""

from typing import Any

import pytest
from tortoise import connections

from services import signed_links
from services.signed_links import LinkFor
from tests.helpers import GraphQLClient, make_user
from tests.world import gid

ME = "query { me { username } }"


def _database_away(monkeypatch: pytest.MonkeyPatch) -> None:
    async def refused(*_: Any, **__: Any) -> Any:
        raise ConnectionRefusedError(111, "Connect call failed ('127.0.0.1', 5432)")

    for method in ("execute_query", "execute_query_dict"):
        monkeypatch.setattr(type(connections.get("default")), method, refused)


async def test_graphql_answers_503_service_unavailable_with_retry_after(
    client: GraphQLClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = client.signed_in_as(await make_user("somchai"))
    _database_away(monkeypatch)

    answers = {
        accept: await client.http.post(
            "/graphql", json={"query": ME}, headers={**user.headers, "Accept": accept}
        )
        for accept in ("application/json", "application/graphql-response+json")
    }

    for response in answers.values():
        assert response.status_code == 503
        assert response.headers["retry-after"] == "5"
        [error] = response.json()["errors"]
        assert error["extensions"] == {"code": "SERVICE_UNAVAILABLE", "retryAfter": 5}
        assert error["message"] == "ระบบไม่พร้อมให้บริการชั่วคราว กรุณาลองใหม่ในอีก 5 วินาที"
        assert "5432" not in response.text  # nothing of the cause leaks


async def test_a_download_answers_503_service_unavailable_with_retry_after(
    client: GraphQLClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    _database_away(monkeypatch)
    link = f"/files/{gid('Document', 1)}?token={signed_links.sign(LinkFor.DOCUMENT, 1)}"

    response = await client.http.get(link, headers={"Accept-Language": "en"})

    assert response.status_code == 503
    assert response.headers["retry-after"] == "5"
    assert response.json() == {
        "errors": [
            {
                "message": "The service is temporarily unavailable; try again in 5 seconds",
                "extensions": {"code": "SERVICE_UNAVAILABLE"},
            }
        ]
    }
