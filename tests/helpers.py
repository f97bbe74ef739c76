"""Test helpers: a GraphQL client over HTTP, users, and a counter of SQL statements."""

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import httpx
from argon2 import PasswordHasher

from models.user import Role, RoleGrant, User, UserSession
from services.tokens import issue_access_token, new_token_family

PASSWORD = "correct horse battery"
# Hashed once: argon2 is deliberately slow and most tests need users, not logins.
_PASSWORD_HASH = PasswordHasher().hash(PASSWORD)


async def make_user(username: str, *, roles: set[str] = frozenset(), **fields: Any) -> User:  # type: ignore[assignment]
    user = await User.create(
        username=username,
        password_hash=_PASSWORD_HASH,
        display_name=fields.pop("display_name", username.title()),
        **fields,
    )
    await RoleGrant.bulk_create([RoleGrant(user_id=user.id, role=Role(r)) for r in roles])
    user.roles = frozenset(Role(r) for r in roles)  # type: ignore[attr-defined]
    return await with_session(user)


async def with_session(user: User) -> User:
    """The user, signed in: a session of its own that ``token_for`` issues tokens for."""
    session = await UserSession.create(id=new_token_family(), user_id=user.id)
    user.session_id = session.id  # type: ignore[attr-defined]
    return user


def token_for(user: User) -> str:
    """An access token for a user from ``make_user`` or ``with_session``."""
    session_id = getattr(user, "session_id", None)
    assert session_id, f"{user.username} has no session: use make_user or await with_session"
    token, _ = issue_access_token(user.id, session_id, datetime.now(UTC))
    return token


@dataclass
class GraphQLClient:
    """Posts GraphQL documents over HTTP, as a front end would."""

    http: httpx.AsyncClient
    headers: dict[str, str] = field(default_factory=dict)

    def signed_in_as(self, user: User) -> "GraphQLClient":
        return GraphQLClient(
            self.http, {**self.headers, "authorization": f"Bearer {token_for(user)}"}
        )

    def with_headers(self, **headers: str) -> "GraphQLClient":
        return GraphQLClient(self.http, {**self.headers, **headers})

    async def post(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """The whole response body; the HTTP status must be 200."""
        response = await self.http.post(
            "/graphql", json={"query": query, "variables": variables or {}}, headers=self.headers
        )
        assert response.status_code == 200, response.text
        return response.json()

    async def data(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """The response's ``data``; fails on any top-level error."""
        body = await self.post(query, variables)
        assert not body.get("errors"), body["errors"]
        return body["data"]


def error_codes(body: dict[str, Any]) -> list[str]:
    return [e.get("extensions", {}).get("code") for e in body.get("errors", [])]


def assert_forbidden(body: dict[str, Any]) -> None:
    assert error_codes(body) == ["FORBIDDEN"], body


def assert_unauthenticated(body: dict[str, Any]) -> None:
    assert error_codes(body) == ["UNAUTHENTICATED"], body


# The one statement that authenticates a bearer token (services.auth.authenticate) reads the
# session table; every request with a token runs it once, whatever it asks.
_AUTHENTICATION = ' FROM "user_session" '


class _Counter(logging.Handler):
    def __init__(self, with_authentication: bool) -> None:
        super().__init__(logging.DEBUG)
        self.with_authentication = with_authentication
        self.statements: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if message.startswith(("Created connection", "Closed connection")):
            return
        if self.with_authentication or _AUTHENTICATION not in message:
            self.statements.append(message)


@contextmanager
def count_queries(*, with_authentication: bool = False) -> Iterator[list[str]]:
    """Collects the SQL statements run inside the block (Tortoise logs each one at DEBUG),
    leaving out the request's authentication unless asked: tests count what a request does
    beyond the fixed cost of signing in (tests/test_sessions.py counts that)."""
    logger = logging.getLogger("tortoise.db_client")
    counter = _Counter(with_authentication)
    previous = logger.level
    logger.addHandler(counter)
    logger.setLevel(logging.DEBUG)
    try:
        yield counter.statements
    finally:
        logger.removeHandler(counter)
        logger.setLevel(previous)
