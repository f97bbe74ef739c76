"""What the database benchmarks (survey_summary, contest_results, kpi, dashboard, works_search)
share: a throwaway database per backend, each backend in a child process of its own (Tortoise
caches SQL per dialect), timing with SQL statement counts, and the driver that runs the children,
prints the table and writes the JSON. Each script keeps its own data, measurements and table.
"""

import argparse
import asyncio
import json
import logging
import os
import platform
import secrets
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Sequence
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

RESULTS_DIR = Path(__file__).parent / "results"
PACKAGES = ("tortoise-orm", "aiosqlite", "asyncpg", "openpyxl", "strawberry-graphql")
POSTGRES_ENV = ("BENCH_POSTGRES_URL", "LOHUB_TEST_POSTGRES_URL")

Measure = Callable[[], Awaitable[dict[str, Any]]]


# --- in the child: one backend ------------------------------------------------------------------


class _StatementCounter(logging.Handler):
    """Counts the SQL statements Tortoise logs at DEBUG (as tests.helpers.count_queries does)."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        if not record.getMessage().startswith(("Created connection", "Closed connection")):
            self.count += 1


@contextmanager
def counting_statements() -> Iterator[_StatementCounter]:
    """Counts the statements run inside the block, keeping Tortoise's DEBUG log off the output."""
    logger = logging.getLogger("tortoise.db_client")
    counter = _StatementCounter()
    previous, propagate = logger.level, logger.propagate
    logger.addHandler(counter)
    logger.setLevel(logging.DEBUG)
    logger.propagate = False  # counted, not printed
    try:
        yield counter
    finally:
        logger.removeHandler(counter)
        logger.setLevel(previous)
        logger.propagate = propagate


async def timed(
    action: Callable[[], Awaitable[Any]], *, runs: int, warm_up: int, keep_result: bool = False
) -> dict[str, Any]:
    """Median, min and max ms of ``runs`` calls after ``warm_up`` untimed ones (caches filled),
    and the set of statement counts seen: a single number means every run ran the same SQL.
    With ``keep_result``, also the last call's result (a count worth printing)."""
    for _ in range(warm_up):
        await action()
    samples, cpu, statements = [], [], set()
    result = None
    for _ in range(runs):
        with counting_statements() as counter:
            started, started_cpu = time.perf_counter(), time.process_time()
            result = await action()
            samples.append(time.perf_counter() - started)
            cpu.append(time.process_time() - started_cpu)
        statements.add(counter.count)
    figures = {
        "median_ms": round(statistics.median(samples) * 1000, 2),
        # This process's CPU time (its threads included, a database server's not): steadier
        # than the wall clock on a busy machine.
        "cpu_median_ms": round(statistics.median(cpu) * 1000, 2),
        "min_ms": round(min(samples) * 1000, 2),
        "max_ms": round(max(samples) * 1000, 2),
        "runs": runs,
        "statements": sorted(statements),
    }
    if keep_result:
        figures["result"] = result
    return figures


@dataclass(frozen=True)
class Database:
    """A fresh database for one run, and what the table says about its server."""

    backend: str
    url: str
    version: str
    directory: Path  # throwaway, for files beside the database
    ctype: str | None = None  # PostgreSQL's LC_CTYPE: it decides what pg_trgm sees as a word


def describe(db: Database) -> str:
    """The server as the tables print it."""
    if db.backend == "sqlite":
        return f"SQLite {db.version} (a file)"
    return f"PostgreSQL {db.version}"


@asynccontextmanager
async def fresh_database(backend: str, postgres_url: str | None) -> AsyncIterator[Database]:
    """A temporary SQLite file, or a ``lohub_bench_*`` PostgreSQL database dropped afterwards
    (even if the run fails), so figures never depend on what an earlier run left behind."""
    with tempfile.TemporaryDirectory(prefix="lohub-bench-") as tmp:
        directory = Path(tmp)
        if backend == "sqlite":
            url = f"sqlite://{directory / 'bench.sqlite3'}"
            yield Database(backend, url, sqlite3.sqlite_version, directory)
            return
        import asyncpg

        assert postgres_url
        admin_url = postgres_url.replace("postgres://", "postgresql://", 1)
        name = f"lohub_bench_{os.getpid()}_{secrets.token_hex(4)}"
        admin = await asyncpg.connect(admin_url)
        try:
            await admin.execute(f"CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8'")
            version = await admin.fetchval("SHOW server_version")
            ctype = await admin.fetchval(
                "SELECT datctype FROM pg_database WHERE datname = current_database()"
            )
        finally:
            await admin.close()
        try:
            url = urlunsplit(urlsplit(postgres_url)._replace(path=f"/{name}"))
            yield Database(backend, url, version, directory, ctype)
        finally:
            admin = await asyncpg.connect(admin_url)
            try:
                await admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            finally:
                await admin.close()


@asynccontextmanager
async def migrated(url: str) -> AsyncIterator[None]:
    """Tortoise on ``url``, migrated to the latest schema; the settings follow it too (the app
    and the services read ``LOHUB_DATABASE_URL``), and the connections close afterwards."""
    from tortoise.migrations.api import migrate

    from api.db import close_db, init_db, tortoise_config
    from services.settings import get_settings

    os.environ["LOHUB_DATABASE_URL"] = url
    get_settings.cache_clear()
    await init_db(url)
    try:
        await migrate(config=tortoise_config(url))
        yield
    finally:
        await close_db()


async def measure_backend(
    backend: str,
    postgres_url: str | None,
    measure: Measure,
    *,
    server: Callable[[Database], str] = describe,
    storage: bool = False,
) -> dict[str, Any]:
    """``measure()`` on a fresh, migrated database, plus the server's description. With
    ``storage``, uploads and exports go to a throwaway directory (``LOHUB_STORAGE_DIR``), not
    ./data."""
    async with fresh_database(backend, postgres_url) as db:
        if storage:
            os.environ["LOHUB_STORAGE_DIR"] = str(db.directory / "files")
        async with migrated(db.url):
            figures = await measure()
    figures["server"] = server(db)
    return figures


# --- in the parent: the driver ------------------------------------------------------------------


def print_heading(figures: dict[str, Any], title: str) -> None:
    """The first line of a table: what a reader needs to weigh the figures."""
    env = figures["environment"]
    print(
        f"\nLO Hub {title} benchmark - {env['cpus']} CPUs, Python {env['python']}, "
        f"load average {env['load_average_1m_at_start']} at start"
    )


def print_timings(result: dict[str, Any], rows: Sequence[tuple[str, str]], *, width: int) -> None:
    """A header and, per (figure, label) in ``rows``, what ``timed`` measured."""
    print(f"{'':<{width}}{'median ms':>10}{'min ms':>10}{'max ms':>10}{'runs':>6}  statements")
    for name, label in rows:
        r = result[name]
        statements = ", ".join(str(s) for s in r["statements"])
        print(
            f"{label:<{width}}{r['median_ms']:>10.1f}{r['min_ms']:>10.1f}{r['max_ms']:>10.1f}"
            f"{r['runs']:>6}  {statements}"
        )


def environment() -> dict[str, Any]:
    """The machine, load, Python, commit and package versions: what a figure depends on."""
    versions: dict[str, str | None] = {}
    for package in PACKAGES:
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = None
    try:
        commit: str | None = subprocess.run(
            ["git", "rev-parse", "HEAD"], capture_output=True, text=True, timeout=10, check=True
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        commit = None
    return {
        "cpus": os.cpu_count(),
        "load_average_1m_at_start": round(os.getloadavg()[0], 2),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "git_commit": commit,
        "packages": versions,
    }


def run_backend(
    module: str, backend: str, postgres_url: str | None, *, timeout_s: int = 900
) -> dict[str, Any]:
    """One backend in a child process, without the shell's ``LOHUB_*`` settings; its figures are
    the last line of its output."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("LOHUB_")}
    env["LOHUB_LOG_LEVEL"] = "WARNING"
    if postgres_url:
        env["BENCH_POSTGRES_URL"] = postgres_url
    result = subprocess.run(
        [sys.executable, "-m", module, "--backend", backend],
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout_s,
        cwd=Path(__file__).parent.parent,
    )
    if result.returncode != 0:
        raise RuntimeError(f"{backend} run failed:\n{result.stderr[-4000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def main(
    *,
    module: str,
    doc: str | None,
    measure: Measure,
    print_table: Callable[[dict[str, Any]], None],
    results_prefix: str,
    server: Callable[[Database], str] = describe,
    storage: bool = False,
    postgres_env: Sequence[str] = POSTGRES_ENV,
    load_at_end: bool = True,
    timeout_s: int = 900,
) -> None:
    """The command line of a benchmark: as the parent, runs SQLite (and PostgreSQL when one of
    ``postgres_env`` is set) each in a child, prints the table and writes
    bench/results/<results_prefix>-<UTC timestamp>.json; as the child (``--backend``, hidden),
    measures one backend and prints its figures as one JSON line."""
    parser = argparse.ArgumentParser(description=(doc or "").splitlines()[0])
    parser.add_argument("--backend", choices=("sqlite", "postgres"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    postgres_url = next((os.environ[n] for n in postgres_env if os.environ.get(n)), None)
    if args.backend:  # the child
        figures = measure_backend(
            args.backend, postgres_url, measure, server=server, storage=storage
        )
        print(json.dumps(asyncio.run(figures), ensure_ascii=False))
        return
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    results: dict[str, Any] = {"timestamp": stamp, "environment": environment(), "backends": {}}
    for backend in ("sqlite", "postgres") if postgres_url else ("sqlite",):
        results["backends"][backend] = run_backend(
            module, backend, postgres_url, timeout_s=timeout_s
        )
    if load_at_end:
        results["environment"]["load_average_1m_at_end"] = round(os.getloadavg()[0], 2)
    print_table(results)
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    path = RESULTS_DIR / f"{results_prefix}-{stamp}.json"
    path.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\nwritten to {path}", file=sys.stderr)
