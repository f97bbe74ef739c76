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

import os
import random
import time
from typing import Any

from bench import harness
from bench.harness import timed

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


async def measure() -> dict[str, Any]:
    from services import works
    from services.actor import SYSTEM

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
                "first_page": await timed(page, runs=RUNS, warm_up=WARM_UP, keep_result=True),
                "total_count": await timed(count, runs=RUNS, warm_up=WARM_UP, keep_result=True),
            }
        )
    return {"data": data, "queries": rows}


def _server(db: harness.Database) -> str:
    """The server with the search index it uses."""
    if db.backend == "sqlite":
        return f"SQLite {db.version} (a file, FTS5 trigram)"
    return f"PostgreSQL {db.version} (pg_trgm GIN, LC_CTYPE {db.ctype})"


def print_table(figures: dict[str, Any]) -> None:
    harness.print_heading(figures, "works search")
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
    harness.main(
        module="bench.works_search",
        doc=__doc__,
        measure=measure,
        print_table=print_table,
        results_prefix="works-search",
        server=_server,
        timeout_s=1800,
    )


if __name__ == "__main__":
    main()
