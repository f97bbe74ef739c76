"""Works search benchmark: Thai search over 100,000 works on SQLite (FTS5 trigram) and,
optionally, PostgreSQL (pg_trgm).

    .venv/bin/python -m bench.works_search
    BENCH_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/postgres \
        .venv/bin/python -m bench.works_search

Each backend runs in a process of its own on a fresh, migrated database (a temporary SQLite
file, or a ``lohub_bench_*`` PostgreSQL database dropped afterwards). It seeds 100,000 registered
works with Thai titles, abstracts and keywords made from a seeded vocabulary, then times what
``works(search:)`` runs: the first page (20 rows) and ``totalCount`` for a few queries. Prints a
table and writes the figures to bench/results/works-search-<UTC timestamp>.json.
"""

import argparse
import asyncio
import json
import os
import random
import secrets
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from bench.survey_summary import RESULTS_DIR, counting_statements, environment

WORKS = int(os.environ.get("BENCH_WORKS", "100000"))
RUNS = 21
WARM_UP = 3
PAGE = 20
SUBJECTS = [
    "การเรียนรู้",
    "องค์กรแห่งการเรียนรู้",
    "สุขภาพชุมชน",
    "งบประมาณ",
    "สารบรรณอิเล็กทรอนิกส์",
    "การจัดการความรู้",
    "บุคลากรภาครัฐ",
    "การบริการประชาชน",
    "ความปลอดภัยของข้อมูล",
    "การประเมินผล",
    "ผู้สูงอายุ",
    "อาหารปลอดภัย",
    "อนามัยแม่และเด็ก",
    "สิ่งแวดล้อม",
    "การสื่อสารองค์กร",
]
FORMS = ["การศึกษา", "การพัฒนา", "แนวทาง", "ระบบ", "คู่มือ", "ผลของ", "ปัจจัยที่มีผลต่อ"]
PLACES = ["ของกรมอนามัย", "ในสำนักงานเลขานุการกรม", "ของศูนย์อนามัยที่ 1", "ในเขตสุขภาพที่ 5", ""]
QUERIES = [
    ("อนามัย", {}),  # inside กรมอนามัย / ศูนย์อนามัย / อนามัยแม่และเด็ก
    ("เรียนรู้", {}),  # inside การเรียนรู้
    ("นวัตกรรมดิจิทัลเพื่อผู้สูงอายุ", {}),  # rare: a few hand-made works
    ("งบ", {}),  # two code points: LIKE, not the index
    ("อนามัย", {"kinds": ["RESEARCH"], "fiscal_year": 2566}),
]


async def seed() -> dict[str, Any]:
    from models.org import Unit
    from models.work import Work, WorkKind, WorkStatus
    from services import org
    from services.actor import SYSTEM
    from services.search import index_text

    rng = random.Random(6)
    unit = await org.create_unit(
        actor=SYSTEM, data=org.NewUnit(code="BENCH", name_th="หน่วยงานทดสอบ")
    )
    assert await Unit.exists(id=unit.id)
    kinds = list(WorkKind)
    started = time.perf_counter()
    batch: list[Work] = []
    for n in range(1, WORKS + 1):
        subject, other = rng.sample(SUBJECTS, 2)
        title = f"{rng.choice(FORMS)}{subject}{rng.choice(PLACES)}"
        if n % 20_000 == 0:
            title = "นวัตกรรมดิจิทัลเพื่อผู้สูงอายุ"
        abstract = (
            f"งานนี้ศึกษา{subject}และ{other} โดยเก็บข้อมูลจากบุคลากร {rng.randint(20, 400)} คน "
            f"ผลการศึกษาพบว่า{other}มีความสัมพันธ์กับ{subject}อย่างมีนัยสำคัญ"
        )
        keywords = [subject, other]
        year = 2560 + n % 8
        batch.append(
            Work(
                unit_id=unit.id,
                fiscal_year=year,
                kind=kinds[n % 3],
                status=WorkStatus.REGISTERED,
                title_th=title,
                abstract_th=abstract,
                keywords=keywords,
                registry_number=f"LO-{year}-{n:06d}",
                search_text=index_text(title, None, abstract, None, keywords=keywords),
            )
        )
        if len(batch) == 2000:
            await Work.bulk_create(batch)
            batch = []
    if batch:
        await Work.bulk_create(batch)
    return {"works": await Work.all().count(), "seed_s": round(time.perf_counter() - started, 1)}


async def _timed(action: Any) -> dict[str, Any]:
    for _ in range(WARM_UP):
        await action()
    times = []
    statements = set()
    for _ in range(RUNS):
        with counting_statements() as counter:
            start = time.perf_counter()
            result = await action()
            times.append((time.perf_counter() - start) * 1000)
        statements.add(counter.count)
    return {
        "median_ms": round(statistics.median(times), 2),
        "min_ms": round(min(times), 2),
        "max_ms": round(max(times), 2),
        "runs": RUNS,
        "statements": sorted(statements),
        "result": result,
    }


async def measure(url: str) -> dict[str, Any]:
    from tortoise.migrations.api import migrate

    from api.db import close_db, init_db, tortoise_config
    from services import works
    from services.actor import SYSTEM

    await init_db(url)
    try:
        await migrate(config=tortoise_config(url))
        data = await seed()
        rows = []
        for text, filters in QUERIES:

            def queryset(text: str = text, filters: dict[str, Any] = filters) -> Any:
                return works.list_works(actor=SYSTEM, search_text=text, ordering=[], **filters)

            async def page(queryset: Any = queryset) -> int:
                return len(await queryset().offset(0).limit(PAGE + 1))

            async def count(queryset: Any = queryset) -> int:
                return int(await queryset().count())

            rows.append(
                {
                    "query": text,
                    "filters": filters,
                    "first_page": await _timed(page),
                    "total_count": await _timed(count),
                }
            )
        return {"data": data, "queries": rows}
    finally:
        await close_db()


async def _one_backend(backend: str, postgres_url: str | None) -> dict[str, Any]:
    if backend == "sqlite":
        with tempfile.TemporaryDirectory(prefix="lohub-bench-") as tmp:
            figures = await measure(f"sqlite://{Path(tmp) / 'bench.sqlite3'}")
        figures["server"] = f"SQLite {sqlite3.sqlite_version} (a file, FTS5 trigram)"
        return figures
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
        figures = await measure(urlunsplit(urlsplit(postgres_url)._replace(path=f"/{name}")))
    finally:
        admin = await asyncpg.connect(admin_url)
        try:
            await admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        finally:
            await admin.close()
    figures["server"] = f"PostgreSQL {version} (pg_trgm GIN, LC_CTYPE {ctype})"
    return figures


def run_backend(backend: str, postgres_url: str | None) -> dict[str, Any]:
    import subprocess

    env = {k: v for k, v in os.environ.items() if not k.startswith("LOHUB_")}
    env["LOHUB_LOG_LEVEL"] = "WARNING"
    if postgres_url:
        env["BENCH_POSTGRES_URL"] = postgres_url
    result = subprocess.run(
        [sys.executable, "-m", "bench.works_search", "--backend", backend],
        capture_output=True,
        text=True,
        env=env,
        timeout=1800,
        cwd=Path(__file__).parent.parent,
    )
    if result.returncode != 0:
        raise RuntimeError(f"{backend} run failed:\n{result.stderr[-4000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def print_table(figures: dict[str, Any]) -> None:
    env = figures["environment"]
    print(
        f"\nLO Hub works search benchmark - {env['cpus']} CPUs, Python {env['python']}, "
        f"load average {env['load_average_1m_at_start']} at start"
    )
    for result in figures["backends"].values():
        print(f"\n{result['server']}: {result['data']['works']:,} works")
        print(f"{'query':<40}{'page ms':>9}{'count ms':>10}{'matches':>9}  statements")
        for row in result["queries"]:
            label = row["query"] + (" + filters" if row["filters"] else "")
            print(
                f"{label:<40}{row['first_page']['median_ms']:>9.1f}"
                f"{row['total_count']['median_ms']:>10.1f}{row['total_count']['result']:>9,}  "
                f"{row['first_page']['statements']}"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=("sqlite", "postgres"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    postgres_url = os.environ.get("BENCH_POSTGRES_URL") or os.environ.get("LOHUB_TEST_POSTGRES_URL")
    if args.backend:
        print(json.dumps(asyncio.run(_one_backend(args.backend, postgres_url)), ensure_ascii=False))
        return
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    figures: dict[str, Any] = {"timestamp": stamp, "environment": environment(), "backends": {}}
    for backend in ("sqlite", "postgres") if postgres_url else ("sqlite",):
        figures["backends"][backend] = run_backend(backend, postgres_url)
    figures["environment"]["load_average_1m_at_end"] = round(os.getloadavg()[0], 2)
    print_table(figures)
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    path = RESULTS_DIR / f"works-search-{stamp}.json"
    path.write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\nwritten to {path}", file=sys.stderr)


if __name__ == "__main__":
    main()
