"""KPI evaluation benchmark: ``services.kpi.evaluate_cycles`` over 50 units × 5 fiscal years (250
cycles, 4,000 steps, 500 works), against 10 cycles, on SQLite and optionally PostgreSQL.

    .venv/bin/python -m bench.kpi
    BENCH_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python -m bench.kpi

The claim measured: the number of SQL statements does not grow with the number of cycles. Each
backend runs in a process of its own on a fresh, migrated database (as bench/contest_results.py).
Prints a table and writes bench/results/kpi-<UTC timestamp>.json.
"""

import argparse
import asyncio
import json
import os
import random
import secrets
import sqlite3
import subprocess
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from bench.contest_results import _timed, environment

RESULTS_DIR = Path(__file__).parent / "results"
UNITS = 50
YEARS = (2563, 2564, 2565, 2566, 2567)
RUNS = 11


async def seed() -> list[int]:
    """The cycles through the service (their steps scheduled), then steps finished and works
    registered in bulk."""
    from models.cycle import CycleStep, StepStatus
    from models.work import Work, WorkKind, WorkStatus
    from services import cycles, org
    from services.actor import SYSTEM
    from services.fiscal import FiscalYear

    rng = random.Random(2565)
    ids: list[int] = []
    for n in range(UNITS):
        unit = await org.create_unit(
            actor=SYSTEM, data=org.NewUnit(code=f"K{n:02d}", name_th=f"หน่วยงาน {n}")
        )
        for year in YEARS:
            start = FiscalYear(year).start + timedelta(days=11)
            cycle = await cycles.create_cycle(
                actor=SYSTEM, unit_id=unit.id, fiscal_year=year, start_date=start
            )
            ids.append(cycle.id)
            last = rng.randint(0, 16)
            await CycleStep.filter(cycle_id=cycle.id, no__lte=last).update(
                status=StepStatus.DONE, actual_end=start + timedelta(days=30)
            )
            now = datetime.now(UTC)
            await Work.bulk_create(
                [
                    Work(
                        unit_id=unit.id,
                        fiscal_year=year,
                        kind=WorkKind.RESEARCH,
                        status=WorkStatus.REGISTERED,
                        title_th=f"ผลงาน {n}-{year}-{k}",
                        registered_at=now - timedelta(days=k),
                    )
                    for k in range(2)
                ]
            )
    return ids


async def measure(url: str) -> dict[str, Any]:
    from tortoise.migrations.api import migrate

    os.environ["LOHUB_DATABASE_URL"] = url
    from api.db import close_db, init_db, tortoise_config
    from api.settings import get_settings
    from services import kpi
    from services.fiscal import FiscalYear

    get_settings.cache_clear()
    await init_db(url)
    await migrate(config=tortoise_config(url))
    try:
        ids = await seed()
        on = FiscalYear(YEARS[-1]).end  # every cycle's year has ended
        result = await kpi.evaluate_cycles(ids, on)
        levels: dict[int, int] = {}
        for evaluation in result.values():
            levels[evaluation.level] = levels.get(evaluation.level, 0) + 1
        return {
            "data": {"cycles": len(ids), "units": UNITS, "years": len(YEARS), "levels": levels},
            "all": await _timed(lambda: kpi.evaluate_cycles(ids, on), RUNS),
            "ten": await _timed(lambda: kpi.evaluate_cycles(ids[:10], on), RUNS),
        }
    finally:
        await close_db()


async def _one_backend(backend: str, postgres_url: str | None) -> dict[str, Any]:
    if backend == "sqlite":
        with tempfile.TemporaryDirectory(prefix="lohub-bench-") as tmp:
            figures = await measure(f"sqlite://{Path(tmp) / 'bench.sqlite3'}")
        figures["server"] = f"SQLite {sqlite3.sqlite_version} (a file)"
        return figures
    import asyncpg

    assert postgres_url
    admin_url = postgres_url.replace("postgres://", "postgresql://", 1)
    name = f"lohub_bench_{os.getpid()}_{secrets.token_hex(4)}"
    admin = await asyncpg.connect(admin_url)
    try:
        await admin.execute(f"CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8'")
        version = await admin.fetchval("SHOW server_version")
    finally:
        await admin.close()
    try:
        figures = await measure(urlunsplit(urlsplit(postgres_url)._replace(path=f"/{name}")))
    finally:
        admin = await asyncpg.connect(admin_url)
        try:
            await admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        finally:
            await admin.close()
    figures["server"] = f"PostgreSQL {version}"
    return figures


def run_backend(backend: str, postgres_url: str | None) -> dict[str, Any]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LOHUB_")}
    env["LOHUB_LOG_LEVEL"] = "WARNING"
    if postgres_url:
        env["BENCH_POSTGRES_URL"] = postgres_url
    result = subprocess.run(
        [sys.executable, "-m", "bench.kpi", "--backend", backend],
        capture_output=True,
        text=True,
        env=env,
        timeout=900,
        cwd=Path(__file__).parent.parent,
    )
    if result.returncode != 0:
        raise RuntimeError(f"{backend} run failed:\n{result.stderr[-4000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=("sqlite", "postgres"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    postgres_url = os.environ.get("BENCH_POSTGRES_URL")
    if args.backend:
        print(json.dumps(asyncio.run(_one_backend(args.backend, postgres_url))))
        return
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    figures: dict[str, Any] = {"timestamp": stamp, "environment": environment(), "backends": {}}
    for backend in ("sqlite", "postgres") if postgres_url else ("sqlite",):
        figures["backends"][backend] = run_backend(backend, postgres_url)
    print(f"\nLO Hub KPI evaluation benchmark - {figures['environment']['cpus']} CPUs")
    print(f"{'':<44}{'median ms':>10}{'min ms':>10}{'max ms':>10}  statements")
    for result in figures["backends"].values():
        for name, label in (("all", "250 cycles"), ("ten", "10 cycles")):
            r = result[name]
            print(
                f"{result['server'][:30] + ', ' + label:<44}{r['median_ms']:>10.1f}"
                f"{r['min_ms']:>10.1f}{r['max_ms']:>10.1f}  {r['statements']}"
            )
        print(f"  cycles by level: {result['data']['levels']}")
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    path = RESULTS_DIR / f"kpi-{stamp}.json"
    path.write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\nwritten to {path}", file=sys.stderr)


if __name__ == "__main__":
    main()
