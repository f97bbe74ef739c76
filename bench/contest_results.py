"""LIKE Talk Award results benchmark: an edition with 1,000 entries × 10 judges (10,000 submitted
score sheets × 4 criteria = 40,000 scores) in three categories, aggregated and ranked, on SQLite
and optionally PostgreSQL.

    .venv/bin/python -m bench.contest_results
    BENCH_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/postgres \
        .venv/bin/python -m bench.contest_results

Each backend runs in a process of its own (Tortoise caches SQL per dialect) on a fresh, migrated
database: a temporary SQLite file, or a ``lohub_bench_*`` PostgreSQL database dropped afterwards.
Prints a table and writes the figures to bench/results/contest-results-<UTC timestamp>.json. See
bench/README.md.
"""

import random
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from bench import harness
from bench.harness import timed

ENTRIES = 1000
JUDGES = 10  # every judge scores every entry
CATEGORIES = ("INNOVATION", "SERVICE", "KM")
RUNS = 11  # timed runs (median reported), after WARM_UP untimed ones
WARM_UP = 2
EXPORT_RUNS = 3
RESULTS_QUERY = """query($id: ID!) { contestResults(contestId: $id) { entries {
    entry { id } count mean median stdDev normalised disagreement rank rankReason decidedBy
    criteria { mean count } } flaggedJudges { flag } } }"""


async def seed() -> dict[str, Any]:
    """Twenty units, a registered work per entry, and the edition's judging."""
    from models.work import Work, WorkKind, WorkStatus
    from services import org
    from services.actor import SYSTEM

    units = [
        await org.create_unit(actor=SYSTEM, data=org.NewUnit(code=f"U{n:02d}", name_th=f"หน่วย {n}"))
        for n in range(20)
    ]
    await Work.bulk_create(
        [
            Work(
                unit_id=units[n % len(units)].id,
                fiscal_year=2565,
                kind=WorkKind.INNOVATION,
                status=WorkStatus.REGISTERED,
                title_th=f"ผลงาน {n:04d}",
                registry_number=f"LO-2565-{n + 1:04d}",
            )
            for n in range(ENTRIES)
        ],
        batch_size=500,
    )
    works = await Work.all().order_by("id").values_list("id", "unit_id")
    return await seed_edition(2565, works, judges=JUDGES)


async def seed_edition(
    fiscal_year: int, works: Sequence[tuple[int, int]], *, judges: int
) -> dict[str, Any]:
    """An edition in judging with an entry per (work id, unit id) in ``works``, every entry
    scored by each of ``judges`` judges; written in bulk (the services would take minutes)."""
    from models.contest import (
        ContestCategory,
        ContestForm,
        ContestStatus,
        Entry,
        EntryStatus,
        JudgeAssignment,
        RubricCriterion,
        Score,
        ScoreSheet,
        SheetStatus,
    )
    from models.user import User
    from services.actor import SYSTEM
    from services.contests import editions

    rng = random.Random(fiscal_year)
    now = datetime.now(UTC)
    contest = await editions.create_contest(
        actor=SYSTEM,
        data=editions.ContestData.model_validate(
            {
                "fiscal_year": fiscal_year,
                "name_th": f"LIKE Talk Award {fiscal_year}",
                "opens_at": now - timedelta(days=30),
                "closes_at": now - timedelta(days=20),
                "changes_until": now - timedelta(days=19),
                "ranking_method": "NORMALISED",
                "categories": [{"code": c, "name_th": c} for c in CATEGORIES],
                "criteria": [
                    {"name_th": "ความคิดสร้างสรรค์", "scale_max": 10, "scale_step": 0.5, "weight": 3},
                    {"name_th": "ผลลัพธ์", "scale_max": 10, "scale_step": 0.5, "weight": 3},
                    {"name_th": "การขยายผล", "scale_min": 1, "scale_max": 5, "weight": 2},
                    {"name_th": "การนำเสนอ", "scale_min": 1, "scale_max": 5, "weight": 2},
                ],
            }
        ),
    )
    await type(contest).filter(id=contest.id).update(status=ContestStatus.JUDGING)
    categories = await ContestCategory.filter(contest_id=contest.id).order_by("position")
    criteria = await RubricCriterion.filter(contest_id=contest.id).order_by("position")
    form = await ContestForm.get(contest_id=contest.id)
    prefix = f"bench.judge.{fiscal_year}."
    await User.bulk_create(
        [
            User(username=f"{prefix}{n}", password_hash="x", display_name=f"กรรมการ {n}")
            for n in range(judges)
        ]
    )
    judge_ids = list(await User.filter(username__startswith=prefix).values_list("id", flat=True))
    start = now - timedelta(days=25)
    await Entry.bulk_create(
        [
            Entry(
                contest_id=contest.id,
                category_id=categories[n % len(categories)].id,
                work_id=work_id,
                unit_id=unit_id,
                form_id=form.id,
                status=EntryStatus.SCORED,
                submitted_at=start + timedelta(minutes=n),
            )
            for n, (work_id, unit_id) in enumerate(works)
        ],
        batch_size=500,
    )
    entries = list(
        await Entry.filter(contest_id=contest.id).order_by("id").values_list("id", flat=True)
    )
    await JudgeAssignment.bulk_create(
        [
            JudgeAssignment(contest_id=contest.id, entry_id=e, judge_id=j)
            for e in entries
            for j in judge_ids
        ],
        batch_size=1000,
    )
    await ScoreSheet.bulk_create(
        [
            ScoreSheet(
                contest_id=contest.id,
                entry_id=e,
                judge_id=j,
                status=SheetStatus.SUBMITTED,
                submitted_at=now,
                comment="ดี" if rng.random() < 0.2 else None,
            )
            for e in entries
            for j in judge_ids
        ],
        batch_size=1000,
    )
    sheets = await ScoreSheet.filter(contest_id=contest.id).values_list("id", "judge_id")
    severity = {j: rng.uniform(-0.15, 0.15) for j in judge_ids}
    scores = []
    for sheet_id, judge_id in sheets:
        for c in criteria:
            steps = round((c.scale_max - c.scale_min) / c.scale_step)
            share = min(max(rng.uniform(0.2, 1.0) - severity[judge_id], 0.0), 1.0)
            value = c.scale_min + round(share * steps) * c.scale_step
            scores.append(Score(sheet_id=sheet_id, criterion_id=c.id, value=value))
    await Score.bulk_create(scores, batch_size=2000)
    return {
        "contest_id": contest.id,
        "entries": len(entries),
        "judges_per_entry": judges,
        "sheets": len(sheets),
        "scores": len(scores),
        "categories": len(categories),
        "criteria": len(criteria),
    }


async def measure() -> dict[str, Any]:
    import httpx

    from api.app import create_app
    from models.contest import Contest
    from models.user import Role
    from services.actor import Actor
    from services.contests import exports, results
    from services.settings import get_settings
    from tests.helpers import make_user, token_for

    data = await seed()
    contest = await Contest.get(id=data["contest_id"])
    ranked = await results.compute(contest)
    assert len(ranked.entries) == ENTRIES and all(r.count == JUDGES for r in ranked.entries)
    figures: dict[str, Any] = {"data": data}
    figures["compute"] = await timed(lambda: results.compute(contest), runs=RUNS, warm_up=WARM_UP)
    manager = await make_user("bench.manager", roles={"MANAGER"})
    app = create_app(get_settings(), manage_database=False)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://bench") as http:
        headers = {"authorization": f"Bearer {token_for(manager)}"}
        contest_gid = __import__("base64").b64encode(f"Contest:{contest.id}".encode()).decode()

        async def query() -> None:
            response = await http.post(
                "/graphql",
                json={"query": RESULTS_QUERY, "variables": {"id": contest_gid}},
                headers=headers,
            )
            body = response.json()
            assert (
                "errors" not in body and len(body["data"]["contestResults"]["entries"]) == ENTRIES
            ), body

        figures["graphql"] = await timed(query, runs=RUNS, warm_up=WARM_UP)
        actor = Actor(user_id=manager.id, roles=frozenset({Role.MANAGER}))

        async def export() -> int:
            from api.contest_exports import table_workbook

            tables = await exports.tables(actor=actor, contest=contest, language="th")
            return sum(len(table_workbook(t)) for t in tables)

        figures["export_xlsx"] = await timed(export, runs=EXPORT_RUNS, warm_up=WARM_UP)
        figures["export_xlsx"]["bytes"] = await export()
    return figures


def print_table(figures: dict[str, Any]) -> None:
    harness.print_heading(figures, "contest results")
    for backend, result in figures["backends"].items():
        data = result["data"]
        print(
            f"\n{result['server']}: {data['entries']:,} entries × {data['judges_per_entry']} "
            f"judges = {data['sheets']:,} sheets, {data['scores']:,} scores, "
            f"{data['categories']} categories"
        )
        harness.print_timings(
            result,
            (
                ("compute", "results.compute()"),
                ("graphql", "contestResults over HTTP (ASGI)"),
                ("export_xlsx", "XLSX exports (by entry + by judge)"),
            ),
            width=40,
        )
        print(f"{'':<40}XLSX size {result['export_xlsx']['bytes']:,} bytes  ({backend})")


def main() -> None:
    harness.main(
        module="bench.contest_results",
        doc=__doc__,
        measure=measure,
        print_table=print_table,
        results_prefix="contest-results",
    )


if __name__ == "__main__":
    main()
