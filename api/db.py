"""Tortoise ORM configuration, start-up and the readiness probe."""

from pathlib import Path
from typing import Any

from tortoise import Tortoise, connections
from tortoise.migrations.executor import MigrationExecutor

from services.settings import get_settings

MODEL_MODULES = [
    "models.user",
    "models.audit",
    "models.org",
    "models.calendar",
    "models.committee",
    "models.sop",
    "models.cycle",
    "models.meeting",
    "models.document",
    "models.survey",
    "models.plan",
    "models.notification",
    "models.work",
    "models.publishing",
    "models.contest",
    "models.kpi",
    "models.reminder",
    "models.notice",
]
MIGRATIONS_MODULE = "models.migrations"


def tortoise_config(database_url: str) -> dict[str, Any]:
    """The one Tortoise config used by the app, the CLI, migrations and tests."""
    return {
        "connections": {"default": database_url},
        "apps": {
            "models": {
                "models": MODEL_MODULES,
                "default_connection": "default",
                "migrations": MIGRATIONS_MODULE,
            }
        },
        "use_tz": True,
        "timezone": "UTC",
    }


def _ensure_sqlite_folder(database_url: str) -> None:
    if database_url.startswith("sqlite://") and ":memory:" not in database_url:
        path = database_url.removeprefix("sqlite://").split("?", 1)[0]
        Path(path).parent.mkdir(parents=True, exist_ok=True)


async def init_db(database_url: str) -> None:
    """Open the ORM for this process; connections are made lazily on first use."""
    _ensure_sqlite_folder(database_url)
    await Tortoise.init(config=tortoise_config(database_url), _enable_global_fallback=True)


async def close_db() -> None:
    await Tortoise.close_connections()


async def pending_migrations() -> list[str]:
    """Names of migrations on disk that the database has not applied yet."""
    config = tortoise_config(get_settings().database_url)
    executor = MigrationExecutor(connections.get("default"), config["apps"])
    steps = await executor.plan()
    return [f"{step.migration.app_label}.{step.migration.name}" for step in steps]


def __getattr__(name: str) -> object:
    # For Tortoise's own CLI (`tortoise -c api.db.TORTOISE_ORM makemigrations`), computed on
    # access so importing this module does not read (and validate) the settings.
    if name == "TORTOISE_ORM":
        return tortoise_config(get_settings().database_url)
    raise AttributeError(name)
