"""Test set-up: one pytest run per database backend, chosen by LOHUB_TEST_BACKEND (`sqlite`, the
default, or `postgres` on LOHUB_TEST_POSTGRES_URL); each run gets a database of its own, migrated
from scratch. Backends run in separate processes because Tortoise caches SQL per dialect."""

import os
import secrets
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import httpx
import pytest
from fastapi import FastAPI
from tortoise import Tortoise, connections
from tortoise.migrations.api import migrate

from api.app import create_app
from api.db import close_db, init_db, tortoise_config
from services.settings import get_settings
from tests.helpers import GraphQLClient, make_user
from tests.object_storage import s3_endpoint  # noqa: F401 - a fixture for every module

POSTGRES_URL = os.environ.get("LOHUB_TEST_POSTGRES_URL")
BACKEND = os.environ.get("LOHUB_TEST_BACKEND", "sqlite")
if BACKEND not in ("sqlite", "postgres") or (BACKEND == "postgres" and not POSTGRES_URL):
    raise pytest.UsageError("LOHUB_TEST_BACKEND=postgres needs LOHUB_TEST_POSTGRES_URL")


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


async def _create_postgres_database() -> tuple[str, str]:
    assert POSTGRES_URL
    name = f"lohub_test_{os.getpid()}_{secrets.token_hex(4)}"
    admin = await asyncpg.connect(POSTGRES_URL.replace("postgres://", "postgresql://", 1))
    try:
        await admin.execute(f"CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8'")
    finally:
        await admin.close()
    return name, _with_database(POSTGRES_URL, name)


async def _drop_postgres_database(name: str) -> None:
    assert POSTGRES_URL
    admin = await asyncpg.connect(POSTGRES_URL.replace("postgres://", "postgresql://", 1))
    try:
        await admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    finally:
        await admin.close()


@pytest.fixture(scope="session", params=[BACKEND])
async def database(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[str]:
    """A fresh, migrated database for this run on one backend; yields the backend's name."""
    backend = request.param
    pg_name = None
    if backend == "sqlite":
        url = f"sqlite://{Path(tmp_path_factory.mktemp('db')) / 'lohub.sqlite3'}"
    else:
        pg_name, url = await _create_postgres_database()
    os.environ["LOHUB_DATABASE_URL"] = url
    os.environ["LOHUB_STORAGE_DIR"] = str(tmp_path_factory.mktemp("files"))
    get_settings.cache_clear()
    try:
        await init_db(url)
        await migrate(config=tortoise_config(url))
        yield backend
    finally:
        await close_db()
        if pg_name:
            await _drop_postgres_database(pg_name)
        get_settings.cache_clear()


@pytest.fixture(scope="session")
def app(database: str) -> FastAPI:
    return create_app(get_settings(), manage_database=False)


@pytest.fixture(autouse=True)
async def _clean_tables(request: pytest.FixtureRequest) -> AsyncIterator[None]:
    """Each test starts from empty tables."""
    yield
    if "database" not in request.fixturenames:
        return
    models = [model for app_models in Tortoise.apps.values() for model in app_models.values()]
    # Many-to-many link tables have no model of their own but must be emptied too.
    links = {
        model._meta.fields_map[name].through  # type: ignore[attr-defined]
        for model in models
        for name in model._meta.m2m_fields
    }
    tables = [model._meta.db_table for model in models] + sorted(links)
    connection = connections.get("default")
    if connection.capabilities.dialect == "postgres":
        # DELETE with foreign-key triggers off, then every sequence back to 1: for tables of a
        # few rows this is many times faster than TRUNCATE, which makes new files per table.
        await connection.execute_script(
            "SET session_replication_role = replica;"
            + "".join(f'DELETE FROM "{t}";' for t in tables)
            + "SET session_replication_role = DEFAULT;"
            "SELECT setval(c.oid::regclass, 1, false) FROM pg_class c"
            " WHERE c.relkind = 'S' AND c.relnamespace = 'public'::regnamespace;"
        )
    else:
        await connection.execute_script(
            "PRAGMA foreign_keys=OFF;"
            + "".join(f"DELETE FROM {t};" for t in tables)
            + "DELETE FROM sqlite_sequence;PRAGMA foreign_keys=ON;"
        )


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[GraphQLClient]:
    transport = httpx.ASGITransport(app=app, client=("203.0.113.7", 40000))
    async with httpx.AsyncClient(transport=transport, base_url="http://lohub.test") as http:
        yield GraphQLClient(http)


@pytest.fixture
async def admin(client: GraphQLClient) -> GraphQLClient:
    """A client signed in as an administrator."""
    user = await make_user("root", roles={"ADMIN"})
    return client.signed_in_as(user)
