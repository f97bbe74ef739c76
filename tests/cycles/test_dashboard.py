"""The managers' dashboard: figures per unit and in total with the objects behind them, a fixed
number of SQL statements whatever the number of units, and who may see it."""

from datetime import UTC, date, datetime
from uuid import uuid4

from models.contest import Contest, ContestCategory, ContestForm, Entry, EntryStatus
from models.cycle import CycleStep, StepStatus
from models.org import Unit
from models.publishing import Channel, Publication, PublicationStatus
from models.work import Work, WorkKind, WorkStatus
from services.actor import SYSTEM
from services.dashboard import KpiRound, dashboard, round_day
from services.demo import load_demo
from tests.helpers import GraphQLClient, assert_forbidden, count_queries, error_codes, make_user
from tests.plans_world import units_with_plans
from tests.world import gid, make_world

DASHBOARD = """query Dashboard($fy: Int!, $units: [ID!], $years: Int! = 3) {
  dashboard(fiscalYear: $fy, unitIds: $units, years: $years) {
    fiscalYear on
    rows { ...figures units { code } }
    total { ...figures units { code } }
    trend { fiscalYear cycleIds kpi { round target evaluatedOn level meanLevel }
            steps { done overdue } plans { inForce budgetTotal } workCount
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
            awards { level { code labelTh } count entryIds } }
}"""

TODAY = date(2022, 1, 10)


async def _contest() -> tuple[Contest, ContestCategory, ContestForm]:
    at = datetime(2022, 1, 1, tzinfo=UTC)
    contest = await Contest.create(
        fiscal_year=2565,
        name_th="LIKE Talk Award 2565",
        opens_at=at,
        closes_at=at,
        changes_until=at,
    )
    category = await ContestCategory.create(contest=contest, position=1, code="A", name_th="ก")
    form = await ContestForm.create(contest=contest, version=1, definition=[])
    return contest, category, form


async def _works_and_entries(unit: Unit, n: int, contest_parts: tuple) -> list[Work]:
    """Two works a unit (one published on the website), each entered in the contest; the
    first unit's entry is awarded."""
    contest, category, form = contest_parts
    works = []
    for k, kind in enumerate((WorkKind.INNOVATION, WorkKind.RESEARCH)):
        work = await Work.create(
            unit=unit,
            fiscal_year=2565,
            kind=kind,
            status=WorkStatus.PUBLISHED if k == 0 else WorkStatus.REGISTERED,
            title_th=f"ผลงาน {n}-{k}",
        )
        works.append(work)
        entry = await Entry.create(
            contest=contest,
            category=category,
            work=work,
            unit=unit,
            form=form,
            status=EntryStatus.AWARDED if (n == 0 and k == 0) else EntryStatus.SUBMITTED,
            award_level="GOLD" if (n == 0 and k == 0) else None,
        )
        del entry
    await Publication.create(
        work=works[0],
        channel=Channel.WEBSITE,
        status=PublicationStatus.PUBLISHED,
        retry_key=uuid4().hex,
    )
    return works


async def _units(count: int) -> list[Unit]:
    await units_with_plans(count, activities_each=2)
    contest_parts = await _contest()
    units = await Unit.filter(code__startswith="P").order_by("code")
    for n, unit in enumerate(units):
        await _works_and_entries(unit, n, contest_parts)
    # Step 1 of every cycle is done; step 2 (due long before TODAY) is overdue.
    await CycleStep.all().update(planned_due=date(2022, 9, 30))
    await CycleStep.filter(no=1).update(status=StepStatus.DONE)
    await CycleStep.filter(no=2).update(planned_due=date(2021, 11, 1))
    return units


async def test_the_figures_link_to_the_objects_behind_them(admin: GraphQLClient) -> None:
    units = await _units(2)

    result = await dashboard(actor=SYSTEM, fiscal_year=2565, years=3, on=TODAY)

    assert [r.unit_ids for r in result.rows] == [[u.id] for u in units]
    first, total = result.rows[0], result.total
    assert first.step_counts[StepStatus.DONE] == 1
    assert list(first.done_steps.values()) == [[1]]
    assert list(first.overdue_steps.values()) == [[2]]
    assert total.steps_total == 32 and total.steps_overdue == 2
    assert len(first.plan_ids) == 2 and first.activities == 4
    # activities report 0 % and 10 % with equal weights, in both plans
    assert first.progress == 5.0
    assert sum(first.works.values()) == 2 and sum(total.works.values()) == 4
    assert total.publications[(Channel.WEBSITE, PublicationStatus.PUBLISHED)] == 2
    assert sum(total.entries.values()) == 4 and list(first.awards) == ["GOLD"]
    assert [t.fiscal_year for t in result.trend] == [2563, 2564, 2565]
    assert result.trend[0].cycle_ids == [] and result.trend[-1] is total

    data = await admin.data(DASHBOARD, {"fy": 2565})
    row = data["dashboard"]["rows"][0]
    assert row["unitIds"] == [gid("Unit", units[0].id)]
    assert row["units"] == [{"code": units[0].code}]
    assert [k["round"] for k in row["kpi"]] == ["M5", "M10", "M12"]
    assert [k["target"] for k in row["kpi"]] == [2, 4, 5]
    # step 1 done, step 2 not: below level 1 in every round
    assert [(k["level"], k["evaluatedOn"]) for k in row["kpi"]] == [
        (0, "2022-02-28"),
        (0, "2022-07-31"),
        (0, "2022-09-30"),
    ]
    assert data["dashboard"]["total"]["kpi"][2]["levels"] == [
        {"level": 0, "count": 2, "cycleIds": data["dashboard"]["total"]["cycleIds"]}
    ]
    assert row["steps"]["doneSteps"] == [{"cycleId": row["cycleIds"][0], "stepNos": [1]}]
    assert {w["kind"]: w["filter"]["kinds"] for w in row["works"]} == {
        "INNOVATION": ["INNOVATION"],
        "RESEARCH": ["RESEARCH"],
    }
    assert row["works"][0]["filter"]["unitIds"] == row["unitIds"]
    assert row["contest"]["awards"][0]["count"] == 1
    assert row["contest"]["awards"][0]["level"]["code"] == "GOLD"
    assert data["dashboard"]["total"]["workCount"] == 4
    assert len(data["dashboard"]["total"]["unitIds"]) == 2


async def test_the_dashboard_runs_fixed_sql_whatever_the_number_of_units(
    admin: GraphQLClient,
) -> None:
    units = await _units(4)

    with count_queries() as one:
        small = await admin.data(
            DASHBOARD, {"fy": 2565, "years": 5, "units": [gid("Unit", units[0].id)]}
        )
    with count_queries() as many:
        large = await admin.data(DASHBOARD, {"fy": 2565, "years": 5})

    assert len(small["dashboard"]["rows"]) == 1
    assert len(large["dashboard"]["rows"]) == 4
    assert len(one) == len(many), many


async def test_a_year_without_data_is_empty_and_well_formed(admin: GraphQLClient) -> None:
    await make_world()

    data = await admin.data(DASHBOARD, {"fy": 2570, "years": 1})

    total = data["dashboard"]["total"]
    assert total["cycleIds"] == [] and total["works"] == [] and total["workCount"] == 0
    assert total["steps"]["total"] == 0 and total["plans"]["progressPercent"] is None
    assert total["contest"] == {
        "contestId": None,
        "entryCount": 0,
        "entries": [],
        "awardCount": 0,
        "awards": [],
    }
    assert len(data["dashboard"]["rows"]) == 2  # both units, with nothing in them


async def test_bad_arguments_are_user_errors(admin: GraphQLClient) -> None:
    await make_world()

    for variables in (
        {"fy": 25655},
        {"fy": 2565, "years": 0},
        {"fy": 2565, "years": 11},
        {"fy": 2565, "units": [gid("Unit", 999999)]},
        {"fy": 2565, "units": [gid("Cycle", 1)]},
        {"fy": 2565, "units": ["not an id"]},
    ):
        body = await admin.post(DASHBOARD, variables)
        assert error_codes(body) == ["BAD_USER_INPUT"], (variables, body)


async def test_managers_see_every_unit_chairs_and_approvers_their_own(
    client: GraphQLClient,
) -> None:
    world = await make_world()
    manager = await make_user("manager", roles={"MANAGER"})
    own = [gid("Unit", world.unit.id)]
    other = [gid("Unit", world.other_unit.id)]

    everything = await client.signed_in_as(manager).data(DASHBOARD, {"fy": 2565})
    chair = await world.client(client, "CHAIR").data(DASHBOARD, {"fy": 2565})
    approver = await world.client(client, "APPROVER").data(DASHBOARD, {"fy": 2565, "units": own})

    assert len(everything["dashboard"]["rows"]) == 2
    assert [r["unitIds"] for r in chair["dashboard"]["rows"]] == [own]
    assert [r["unitIds"] for r in approver["dashboard"]["rows"]] == [own]
    assert_forbidden(
        await world.client(client, "CHAIR").post(DASHBOARD, {"fy": 2565, "units": other})
    )
    assert_forbidden(await world.client(client, "MEMBER").post(DASHBOARD, {"fy": 2565}))
    assert_forbidden(await world.client(client, "OUTSIDER").post(DASHBOARD, {"fy": 2565}))
    assert error_codes(await client.post(DASHBOARD, {"fy": 2565})) == ["UNAUTHENTICATED"]


def test_rounds_are_evaluated_on_their_last_day_or_today() -> None:
    assert round_day(2565, KpiRound.M5, date(2022, 6, 1)) == date(2022, 2, 28)
    assert round_day(2567, KpiRound.M5, date(2024, 6, 1)) == date(2024, 2, 29)
    assert round_day(2565, KpiRound.M10, date(2022, 6, 1)) == date(2022, 6, 1)
    assert round_day(2565, KpiRound.M12, date(2021, 9, 30)) is None


DEMO = """query Demo($fy: Int!) { dashboard(fiscalYear: $fy, years: 2) {
  rows { units { code } kpi { round level target } steps { done skipped overdue }
         plans { inForce } workCount contest { entryCount awardCount } }
  trend { fiscalYear cycleIds kpi { round meanLevel levels { level count } } }
} }"""


async def test_the_demo_units_side_by_side(admin: GraphQLClient) -> None:
    await load_demo(admin_password="demo-pass-123", reset_password=False)

    data = (await admin.data(DEMO, {"fy": 2565}))["dashboard"]
    later = (await admin.data(DEMO, {"fy": 2566}))["dashboard"]

    m12 = {
        r["units"][0]["code"]: r["kpi"][2]["level"] for r in data["rows"] if r["kpi"][2]["level"]
    }
    assert m12 == {"OSD": 5, "HPC01": 4, "HPC05": 3, "BHP": 2, "PLAN": 1}
    osd = next(r for r in data["rows"] if r["units"][0]["code"] == "OSD")
    assert osd["steps"]["done"] == 16 and osd["plans"]["inForce"] == 2
    assert osd["workCount"] > 0 and osd["contest"]["entryCount"] > 0
    hpc05 = next(r for r in data["rows"] if r["units"][0]["code"] == "HPC05")
    # Its works are registered: step 10 is done, not skipped.
    assert (hpc05["steps"]["done"], hpc05["steps"]["skipped"]) == (12, 0)
    assert [t["fiscalYear"] for t in later["trend"]] == [2565, 2566]
    assert later["trend"][0]["kpi"][0]["levels"] == [
        {"level": level, "count": 1} for level in (1, 2, 3, 4, 5)
    ]
    osd_2566 = next(r for r in later["rows"] if r["units"][0]["code"] == "OSD")
    assert osd_2566["kpi"][2]["level"] == 1
