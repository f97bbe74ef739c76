"""Probes, metrics, request ids, the audit trail query, settings and the CLI."""

import os
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from cryptography.fernet import Fernet
from fastapi import FastAPI
from pydantic import ValidationError
from tortoise import connections

from api import health
from api.settings import DEVELOPMENT_SECRET, Settings
from models.audit import AuditEvent
from tests.helpers import GraphQLClient, assert_forbidden, make_user

AUDIT = """
query Audit($filter: AuditEventFilter) {
  auditEvents(filter: $filter) {
    totalCount
    nodes { action objectType objectId before after reason requestId actor { username } }
  }
}"""


@pytest.fixture
async def http(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://lohub.test") as client:
        yield client


async def test_healthz_and_readyz_answer_when_all_is_well(http: httpx.AsyncClient) -> None:
    assert (await http.get("/healthz")).json() == {"status": "ok"}
    ready = await http.get("/readyz")
    assert (ready.status_code, ready.json()) == (200, {"status": "ready"})


async def test_readyz_names_pending_migrations(http: httpx.AsyncClient) -> None:
    connection = connections.get("default")
    rows = await connection.execute_query_dict(
        "SELECT app, name, applied_at FROM tortoise_migrations"
    )
    await connection.execute_script("DELETE FROM tortoise_migrations")
    try:
        ready = await http.get("/readyz")
    finally:
        for row in rows:
            await connection.execute_query(
                "INSERT INTO tortoise_migrations (app, name, applied_at) VALUES "
                + (
                    "($1, $2, $3)" if connection.capabilities.dialect == "postgres" else "(?, ?, ?)"
                ),
                [row["app"], row["name"], row["applied_at"]],
            )

    assert ready.status_code == 503
    assert ready.json()["reason"].startswith("migrations pending: models.0001_initial, ")


async def test_readyz_says_when_the_database_is_unreachable(
    http: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    class Unreachable:
        async def execute_query(self, *_: object) -> None:
            raise ConnectionRefusedError("connection refused")

    monkeypatch.setattr(health.connections, "get", lambda _name: Unreachable())

    ready = await http.get("/readyz")

    assert ready.status_code == 503
    assert ready.json()["reason"] == "database unreachable: ConnectionRefusedError"


async def test_metrics_are_prometheus_text(http: httpx.AsyncClient) -> None:
    await http.get("/healthz")

    metrics = await http.get("/metrics")

    assert metrics.headers["content-type"].startswith("text/plain")
    assert 'lohub_http_requests_total{method="GET",route="/healthz",status="200"}' in metrics.text


async def test_request_id_is_echoed_or_made(http: httpx.AsyncClient) -> None:
    given = await http.get("/healthz", headers={"x-request-id": "abc-123"})
    made = await http.get("/healthz", headers={"x-request-id": "bad id with spaces"})

    assert given.headers["x-request-id"] == "abc-123"
    assert len(made.headers["x-request-id"]) == 32


async def test_audit_trail_is_for_administrators_and_filters_by_object(
    admin: GraphQLClient, client: GraphQLClient
) -> None:
    manager = await make_user("boss", roles={"MANAGER"})
    await AuditEvent.create(action="user.update", object_type="User", object_id="7", reason="why")
    await AuditEvent.create(action="user.update", object_type="User", object_id="8")

    timeline = await admin.with_headers(**{"x-request-id": "req-1"}).data(
        AUDIT, {"filter": {"objectType": "User", "objectId": "7"}}
    )
    refused = await client.signed_in_as(manager).post(AUDIT)

    assert timeline["auditEvents"]["totalCount"] == 1
    assert timeline["auditEvents"]["nodes"][0]["reason"] == "why"
    assert_forbidden(refused)


async def test_audit_events_are_append_only() -> None:
    event = await AuditEvent.create(action="x", object_type="User", object_id="1")

    event.reason = "rewritten"
    with pytest.raises(PermissionError):
        await event.save()
    with pytest.raises(PermissionError):
        await event.delete()


def test_production_refuses_the_development_secret() -> None:
    with pytest.raises(ValidationError, match="LOHUB_SECRET_KEY"):
        Settings(env="production", secret_key=DEVELOPMENT_SECRET)

    production = Settings(
        env="production", secret_key="x" * 40, secret_keys=Fernet.generate_key().decode()
    )
    assert not production.graphiql_enabled
    assert not production.introspection_enabled
    assert not production.field_suggestions_enabled
    assert Settings(env="development").graphiql_enabled


def _lohub(*args: str, env: dict[str, str], stdin: str | None = None) -> str:
    result = subprocess.run(
        [sys.executable, "-c", "from api.cli import main; main()", *args],
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return result.stdout


def test_cli_migrates_loads_the_demo_idempotently_and_creates_users(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "LOHUB_DATABASE_URL": f"sqlite://{tmp_path / 'cli.sqlite3'}",
        "LOHUB_DEMO_ADMIN_PASSWORD": "demo-password-1",
    }

    assert "up to date" in _lohub("migrate", env=env)
    assert "password `demo-password-1`" in _lohub("demo", env=env)
    assert "already loaded" in _lohub("demo", env=env)
    assert "created" in _lohub(
        "create-user", "somsri", "--role", "MANAGER", env=env, stdin="pw-123456\n"
    )
    assert "already exists" in _lohub("create-user", "somsri", env=env, stdin="pw-123456\n")
    _lohub("export-schema", "--output", str(tmp_path / "s.graphql"), env=env)
    assert "type Query" in (tmp_path / "s.graphql").read_text()
