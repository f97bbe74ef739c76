"""Managers' dashboard benchmark: 50 units × 5 fiscal years (250 cycles with their steps, plans,
activities and reports, works, publications, LIKE Talk entries), on SQLite and optionally
PostgreSQL.

    .venv/bin/python -m bench.dashboard
    BENCH_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/postgres \
        .venv/bin/python -m bench.dashboard

Each backend runs in a process of its own on a fresh, migrated database (a temporary SQLite file,
or a ``lohub_bench_*`` PostgreSQL database dropped afterwards). Times ``services.dashboard``
and the whole GraphQL request (in process, through the ASGI app) for one unit and for all 50,
counting SQL statements. Prints a table and writes bench/results/dashboard-<UTC timestamp>.json.
See bench/README.md.
"""

import random
import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from bench import harness
from bench.harness import timed

UNITS = 50
YEARS = (2561, 2562, 2563, 2564, 2565)
FISCAL_YEAR = 2565
ACTIVITIES_PER_PLAN = 5
REPORTS_PER_ACTIVITY = 3
WORKS_PER_YEAR = 4
RUNS = 11
WARM_UP = 2

QUERY = """query Dashboard($fy: Int!, $units: [ID!]) {
  dashboard(fiscalYear: $fy, unitIds: $units, years: 5) {
    fiscalYear on
    rows { ...figures units { code nameTh } }
    total { ...figures }
    trend { fiscalYear kpi { round target meanLevel reachedTarget } steps { done overdue }
            plans { inForce budgetTotal progressPercent } workCount
            contest { entryCount awardCount } }
  }
}
fragment figures on DashboardFigures {
  fiscalYear unitIds cycleIds
  kpi { round evaluatedOn target level evaluated reachedTarget reachedTargetCycleIds meanLevel
        levels { level count cycleIds } }
  steps { total notStarted inProgress done skipped overdue
          doneSteps { cycleId stepNos } overdueSteps { cycleId stepNos } }
  plans { inForce planIds kinds { kind count } activityCount budgetTotal progressPercent }
  works { kind status count filter { unitIds fiscalYear kinds statuses } }
  workCount
  publications { channel status count works { unitIds fiscalYear } }
  contest { contestId entryCount entries { status count } awardCount
            awards { level { code } count entryIds } }
}"""


async def seed() -> dict[str, Any]:
    """The units and, per unit and year, a cycle and everything the dashboard counts; in bulk."""
    from models.contest import Contest, ContestCategory, ContestForm, Entry, EntryStatus
    from models.cycle import Cycle, CycleStep, ScheduleKind, StepStatus
    from models.plan import Activity, ActivityProgressReport, Plan, PlanKind, PlanStatus
    from models.publishing import Channel, Publication, PublicationStatus
    from models.work import Work, WorkKind, WorkStatus
    from services import org, sop
    from services.actor import SYSTEM

    rng = random.Random(2565)
    template = await sop.ensure_default_template()
    units = [
        await org.create_unit(
            actor=SYSTEM, data=org.NewUnit(code=f"U{n:02d}", name_th=f"หน่วยงานที่ {n}")
        )
        for n in range(1, UNITS + 1)
    ]
    await Cycle.bulk_create(
        [
            Cycle(
                unit_id=u.id,
                fiscal_year=y,
                indicator_code="2.4",
                template_id=template.id,
                start_date=date(y - 544, 10, 12),
            )
            for u in units
            for y in YEARS
        ],
        batch_size=500,
    )
    cycles = await Cycle.all().order_by("id").values_list("id", "unit_id", "fiscal_year")
    steps = []
    for cycle_id, _, year in cycles:
        # Older years went further: a level from 0 to 5 spread across units.
        done_up_to = rng.randint(0, 16) if year == FISCAL_YEAR else rng.randint(8, 16)
        for no in range(1, 17):
            due = date(year - 544, 10, 12) + timedelta(days=20 * no)
            done = no <= done_up_to
            steps.append(
                CycleStep(
                    cycle_id=cycle_id,
                    no=no,
                    title_th=f"ขั้นตอนที่ {no}",
                    schedule_kind=ScheduleKind.DAYS,
                    days=10,
                    planned_start=due - timedelta(days=14),
                    planned_due=due,
                    status=StepStatus.DONE if done else StepStatus.NOT_STARTED,
                    actual_start=due - timedelta(days=14) if done else None,
                    actual_end=due if done else None,
                )
            )
    await CycleStep.bulk_create(steps, batch_size=1000)
    await Plan.bulk_create(
        [
            Plan(
                cycle_id=cycle_id,
                kind=kind,
                revision=1,
                status=PlanStatus.APPROVED,
                title_th=f"แผน {kind.value} {cycle_id}",
            )
            for cycle_id, _, _ in cycles
            for kind in PlanKind
        ],
        batch_size=500,
    )
    plans = await Plan.all().order_by("id").values_list("id", "cycle__fiscal_year")
    activities = [
        Activity(
            plan_id=plan_id,
            lineage=uuid.UUID(int=rng.getrandbits(128)),
            position=a,
            title_th=f"กิจกรรม {a}",
            start_month=date(year - 544, 11, 1),
            end_month=date(year - 543, 8, 1),
            budget=Decimal(rng.randrange(5_000, 200_000)),
            weight=Decimal(rng.randint(1, 3)),
        )
        for plan_id, year in plans
        for a in range(ACTIVITIES_PER_PLAN)
    ]
    await Activity.bulk_create(activities, batch_size=1000)
    reports = []
    for activity_row in await Activity.all().values_list("id", "lineage", "start_month"):
        activity_id, lineage, start = activity_row
        for r in range(REPORTS_PER_ACTIVITY):
            reports.append(
                ActivityProgressReport(
                    activity_id=activity_id,
                    lineage=lineage,
                    percent=min(100, 30 * (r + 1) + rng.randint(-10, 10)),
                    status="ON_TRACK",
                    reported_on=start + timedelta(days=60 * (r + 1)),
                )
            )
    await ActivityProgressReport.bulk_create(reports, batch_size=1000)
    statuses = list(WorkStatus)
    await Work.bulk_create(
        [
            Work(
                unit_id=u.id,
                fiscal_year=y,
                kind=rng.choice(list(WorkKind)),
                status=rng.choice(statuses),
                title_th=f"ผลงาน {u.code} {y} {w}",
            )
            for u in units
            for y in YEARS
            for w in range(WORKS_PER_YEAR)
        ],
        batch_size=1000,
    )
    published = await Work.filter(status=WorkStatus.PUBLISHED).values_list("id", flat=True)
    await Publication.bulk_create(
        [
            Publication(
                work_id=work_id,
                channel=channel,
                status=PublicationStatus.PUBLISHED,
                retry_key=uuid.UUID(int=rng.getrandbits(128)).hex,
            )
            for work_id in published
            for channel in Channel
        ],
        batch_size=1000,
    )
    entries = 0
    for y in YEARS:
        at = datetime(y - 543, 6, 1, tzinfo=UTC)
        contest = await Contest.create(
            fiscal_year=y,
            name_th=f"LIKE Talk Award {y}",
            opens_at=at,
            closes_at=at,
            changes_until=at,
            results_published_at=at + timedelta(days=60),
        )
        category = await ContestCategory.create(contest=contest, position=1, code="A", name_th="ก")
        form = await ContestForm.create(contest=contest, version=1, definition=[])
        works = await Work.filter(fiscal_year=y).order_by("id").values_list("id", "unit_id")
        rows = []
        for n, (work_id, unit_id) in enumerate(works[::WORKS_PER_YEAR]):
            awarded = n % 10 == 0
            rows.append(
                Entry(
                    contest_id=contest.id,
                    category_id=category.id,
                    work_id=work_id,
                    unit_id=unit_id,
                    form_id=form.id,
                    status=EntryStatus.AWARDED if awarded else EntryStatus.SCORED,
                    award_level="GOLD" if awarded else None,
                )
            )
        await Entry.bulk_create(rows, batch_size=500)
        entries += len(rows)
    return {
        "units": UNITS,
        "fiscal_years": len(YEARS),
        "cycles": len(cycles),
        "steps": len(steps),
        "plans": len(plans),
        "activities": len(activities),
        "progress_reports": len(reports),
        "works": UNITS * len(YEARS) * WORKS_PER_YEAR,
        "publications": len(published) * len(Channel),
        "entries": entries,
        "first_unit_id": units[0].id,
    }


async def measure() -> dict[str, Any]:
    import base64

    import httpx

    from api.app import create_app
    from models.user import Role, RoleGrant, User, UserSession
    from services import dashboard
    from services.actor import Actor
    from services.settings import get_settings
    from services.tokens import issue_access_token, new_token_family

    data = await seed()
    user = await User.create(username="manager", password_hash="!", display_name="ผู้บริหาร")
    await RoleGrant.create(user_id=user.id, role=Role.MANAGER)
    actor = Actor(user_id=user.id, roles=frozenset({Role.MANAGER}))
    result = await dashboard.dashboard(actor=actor, fiscal_year=FISCAL_YEAR)
    assert len(result.rows) == UNITS and len(result.total.cycle_ids) == UNITS
    assert len(result.trend) == len(YEARS) and all(len(t.cycle_ids) == UNITS for t in result.trend)
    assert result.total.kpi[2].evaluated == UNITS, result.total.kpi
    figures: dict[str, Any] = {"data": data}
    one_unit = [data["first_unit_id"]]
    figures["service_all"] = await timed(
        lambda: dashboard.dashboard(actor=actor, fiscal_year=FISCAL_YEAR),
        runs=RUNS,
        warm_up=WARM_UP,
    )
    figures["service_one"] = await timed(
        lambda: dashboard.dashboard(actor=actor, fiscal_year=FISCAL_YEAR, unit_ids=one_unit),
        runs=RUNS,
        warm_up=WARM_UP,
    )
    session = await UserSession.create(id=new_token_family(), user_id=user.id)
    token, _ = issue_access_token(user.id, session.id, datetime.now(UTC))
    app = create_app(get_settings(), manage_database=False)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(
        transport=transport,
        base_url="http://lohub.bench",
        headers={"authorization": f"Bearer {token}"},
    ) as http:

        async def request(units: list[str] | None) -> int:
            response = await http.post(
                "/graphql",
                json={"query": QUERY, "variables": {"fy": FISCAL_YEAR, "units": units}},
            )
            body = response.json()
            assert response.status_code == 200 and not body.get("errors"), body
            return len(response.content)

        unit_gid = base64.b64encode(f"Unit:{one_unit[0]}".encode()).decode()
        figures["graphql_all"] = await timed(lambda: request(None), runs=RUNS, warm_up=WARM_UP)
        figures["graphql_all"]["bytes"] = await request(None)
        figures["graphql_one"] = await timed(
            lambda: request([unit_gid]), runs=RUNS, warm_up=WARM_UP
        )
        figures["graphql_one"]["bytes"] = await request([unit_gid])
    return figures


def print_table(figures: dict[str, Any]) -> None:
    harness.print_heading(figures, "dashboard")
    for backend, result in figures["backends"].items():
        data = result["data"]
        print(
            f"\n{result['server']}: {data['units']} units × {data['fiscal_years']} fiscal years "
            f"= {data['cycles']} cycles, {data['steps']:,} steps, {data['activities']:,} "
            f"activities, {data['progress_reports']:,} reports, {data['works']:,} works, "
            f"{data['publications']:,} publications, {data['entries']} entries"
        )
        harness.print_timings(
            result,
            (
                ("service_one", "dashboard(), 1 unit"),
                ("service_all", "dashboard(), 50 units"),
                ("graphql_one", "GraphQL request, 1 unit"),
                ("graphql_all", "GraphQL request, 50 units"),
            ),
            width=34,
        )
        print(f"{'':<34}answer {result['graphql_all']['bytes']:,} bytes for 50 units ({backend})")


def main() -> None:
    harness.main(
        module="bench.dashboard",
        doc=__doc__,
        measure=measure,
        print_table=print_table,
        results_prefix="dashboard",
        storage=True,
    )


if __name__ == "__main__":
    main()
