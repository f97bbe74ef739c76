"""Probes, metrics, request ids, the audit trail query, settings and the CLI."""

import os
import re
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
import yaml
from cryptography.fernet import Fernet
from fastapi import FastAPI
from pydantic import ValidationError
from tortoise import connections

from api import health
from api.app import create_app
from models.audit import AuditEvent
from services.settings import DEVELOPMENT_SECRET, Settings
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


async def test_metrics_in_production_need_the_configured_bearer_token(database: str) -> None:
    production = {
        "env": "production",
        "secret_key": "s" * 40,
        "secret_keys": Fernet.generate_key().decode(),
    }
    guarded = create_app(Settings(**production, metrics_token="scrape-me"), manage_database=False)
    unguarded = create_app(Settings(**production), manage_database=False)

    async def get(app: FastAPI, **headers: str) -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://lohub.test") as http:
            return await http.get("/metrics", headers=headers)

    assert (await get(guarded)).status_code == 401
    assert (await get(guarded, authorization="Bearer wrong")).status_code == 401
    assert (await get(guarded, authorization="Bearer scrape-me")).status_code == 200
    assert (await get(unguarded)).status_code == 404


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
        # A bound, not a speed claim: migrating from scratch takes seconds alone, a minute or
        # more on a machine shared with other test runs.
        timeout=300,
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
    # A role in either case: compose.yaml's example writes `--role admin`.
    assert "created" in _lohub(
        "create-user", "somsri", "--role", "manager", env=env, stdin="pw-123456\n"
    )
    assert "already exists" in _lohub("create-user", "somsri", env=env, stdin="pw-123456\n")
    _lohub("export-schema", "--output", str(tmp_path / "s.graphql"), env=env)
    assert "type Query" in (tmp_path / "s.graphql").read_text()


def test_compose_builds_lohub_once_and_sets_public_links_and_cors(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    compose = Path(__file__).parents[2] / "compose.yaml"
    services = yaml.safe_load(compose.read_text())["services"]
    lohub = {name: s for name, s in services.items() if s.get("image") == "lohub:latest"}
    for name, value in lohub["api-1"]["environment"].items():
        if value.startswith("${"):  # ${NAME:-default}, or ${NAME:?required}: a secret
            default = re.fullmatch(r"\$\{\w+:-(.*)\}", value)
            secret = Fernet.generate_key().decode() if name == "LOHUB_SECRET_KEYS" else "x" * 40
            value = default.group(1) if default else secret
        monkeypatch.setenv(name, value)

    settings = Settings()

    assert {"api-1", "api-2", "worker", "migrate"} <= set(lohub)
    assert [name for name, s in lohub.items() if s.get("build") == "."] == ["migrate"]
    assert lohub["worker"]["environment"]["LOHUB_PUBLIC_BASE_URL"].endswith(":8000}")
    assert settings.cors_origins == ["http://localhost:5173"]
    assert settings.public_base_url == "http://127.0.0.1:8000"
