"""Activities of plans and their progress (SOP steps 9 and 14): what is refused, how status and
plan progress are computed, history across revisions, and the SQL a cycle's plans cost."""

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from models.cycle import StepStatus
from models.notification import Notification
from models.plan import Activity, ActivityStatus, PlanAction
from services import activities, plan_figures
from services.actor import SYSTEM
from tests.helpers import GraphQLClient, assert_forbidden, count_queries
from tests.plans_world import (
    activity_data,
    actor,
    approved_plan,
    draft_plan,
    make_plans,
    step,
    units_with_plans,
)
from tests.world import World, gid, make_world

CREATE = """mutation C($input: ActivityCreateInput!) { activityCreate(input: $input) {
    activity { titleTh startMonth endMonth startsOn endsOn budget weight
               levers { code } owners { firstNameTh } measure { titleTh } version }
    errors { code field } } }"""

REPORT = """mutation P($input: ActivityProgressReportInput!) {
    activityProgressReport(input: $input) {
    report { percent status statusSet reportedOn }
    activity { progressPercent status }
    errors { code field } } }"""


@pytest.fixture
async def world(database: str) -> World:
    return await make_world()


def _input(plan_id: int, **fields: Any) -> dict[str, Any]:
    return {
        "plan": gid("Plan", plan_id),
        "titleTh": "อบรมการจัดการความรู้",
        "startMonth": "2021-11",
        "endMonth": "2022-01",
        **fields,
    }


async def test_an_activity_is_added_with_everything_it_serves(
    client: GraphQLClient, world: World
) -> None:
    plan = await draft_plan(world)
    owner = world.people["กนกานต์"]

    body = await world.client(client, "MEMBER").data(
        CREATE,
        {
            "input": _input(
                plan.id,
                budget="12500.50",
                weight="2",
                levers=["b", "P"],
                owners=[gid("Person", owner.id)],
            )
        },
    )

    assert body["activityCreate"] == {
        "activity": {
            "titleTh": "อบรมการจัดการความรู้",
            "startMonth": "2021-11",
            "endMonth": "2022-01",
            "startsOn": "2021-11-01",
            "endsOn": "2022-01-31",
            "budget": "12500.50",
            "weight": "2.00",
            "levers": [{"code": "B"}, {"code": "P"}],
            "owners": [{"firstNameTh": "กนกานต์"}],
            "measure": None,
            "version": 1,
        },
        "errors": [],
    }


async def test_bad_activities_are_refused_with_every_reason(
    client: GraphQLClient, world: World
) -> None:
    plan = await draft_plan(world)
    outsider = world.people["outsider"]

    body = await world.client(client, "SECRETARY").data(
        CREATE,
        {
            "input": _input(
                plan.id,
                startMonth="2022-09",
                endMonth="2022-10",
                levers=["X"],
                owners=[gid("Person", outsider.id)],
            )
        },
    )
    negative = await world.client(client, "SECRETARY").data(
        CREATE, {"input": _input(plan.id, budget="-1", weight="0", startMonth="2021-13")}
    )

    assert body["activityCreate"]["activity"] is None
    assert sorted(tuple(e["field"]) for e in body["activityCreate"]["errors"]) == [
        ("input", "endMonth"),
        ("input", "levers", "0"),
        ("input", "owners"),
    ]
    assert sorted(tuple(e["field"]) for e in negative["activityCreate"]["errors"]) == [
        ("input", "budget"),
        ("input", "startMonth"),
        ("input", "weight"),
    ]
    assert await Activity.filter(plan_id=plan.id).count() == 1


async def test_an_activity_scheduled_backwards_is_refused(
    client: GraphQLClient, world: World
) -> None:
    plan = await draft_plan(world)

    body = await world.client(client, "SECRETARY").data(
        CREATE, {"input": _input(plan.id, startMonth="2022-03", endMonth="2021-12")}
    )

    assert body["activityCreate"]["errors"] == [
        {"code": "INVALID_INPUT", "field": ["input", "endMonth"]}
    ]


async def test_an_activity_serves_only_its_own_cycles_measures(
    client: GraphQLClient, world: World
) -> None:
    plan = await draft_plan(world)

    body = await world.client(client, "SECRETARY").data(
        CREATE, {"input": _input(plan.id, measure=gid("Measure", 999))}
    )

    assert body["activityCreate"]["errors"] == [
        {"code": "INVALID_INPUT", "field": ["input", "measure"]}
    ]


UPDATE = """mutation U($input: ActivityUpdateInput!) { activityUpdate(input: $input) {
    activity { titleTh budget endMonth version } errors { code field } } }"""


async def test_an_update_changes_only_what_is_given(client: GraphQLClient, world: World) -> None:
    plan = await draft_plan(world)
    activity = await Activity.get(plan_id=plan.id)

    body = await world.client(client, "MEMBER").data(
        UPDATE,
        {"input": {"id": gid("Activity", activity.id), "version": 1, "budget": "9000"}},
    )
    stale = await world.client(client, "MEMBER").data(
        UPDATE, {"input": {"id": gid("Activity", activity.id), "version": 1, "budget": "1"}}
    )

    assert body["activityUpdate"] == {
        "activity": {
            "titleTh": activity.title_th,
            "budget": "9000.00",
            "endMonth": "2022-02",
            "version": 2,
        },
        "errors": [],
    }
    assert [e["code"] for e in stale["activityUpdate"]["errors"]] == ["STALE_VERSION"]


async def test_activities_of_a_submitted_or_approved_plan_do_not_change(
    client: GraphQLClient, world: World
) -> None:
    plan = await approved_plan(world)
    activity = await Activity.get(plan_id=plan.id)

    update = await world.client(client, "SECRETARY").data(
        UPDATE, {"input": {"id": gid("Activity", activity.id), "version": 1, "budget": "1"}}
    )
    create = await world.client(client, "SECRETARY").data(CREATE, {"input": _input(plan.id)})

    assert [e["code"] for e in update["activityUpdate"]["errors"]] == ["INVALID_TRANSITION"]
    assert [e["code"] for e in create["activityCreate"]["errors"]] == ["INVALID_TRANSITION"]
    assert (await Activity.get(id=activity.id)).budget == Decimal("15000.00")


async def test_an_activity_is_removed_from_a_draft(client: GraphQLClient, world: World) -> None:
    plan = await draft_plan(world, activity_titles=("หนึ่ง", "สอง"))
    first = await Activity.get(plan_id=plan.id, title_th="หนึ่ง")

    body = await world.client(client, "SECRETARY").data(
        """mutation D($id: ID!) { activityDelete(input: {id: $id, version: 1}) {
            plan { activities { titleTh } } errors { code } } }""",
        {"id": gid("Activity", first.id)},
    )

    assert body["activityDelete"] == {
        "plan": {"activities": [{"titleTh": "สอง"}]},
        "errors": [],
    }


async def _report(
    client: GraphQLClient, world: World, who: str, activity: Activity, **fields: Any
) -> dict[str, Any]:
    body = await world.client(client, who).data(
        REPORT, {"input": {"activity": gid("Activity", activity.id), **fields}}
    )
    return body["activityProgressReport"]


async def test_owners_report_progress_and_the_status_is_derived(
    client: GraphQLClient, world: World
) -> None:
    plan = await approved_plan(world)
    activity = await Activity.get(plan_id=plan.id)  # Nov 2021 – Feb 2022

    result = await _report(client, world, "MEMBER", activity, percent=20, on="2021-12-31")

    # Two of four months gone: 50 % expected, 20 % done, 30 points behind.
    assert result == {
        "report": {
            "percent": 20,
            "status": "DELAYED",
            "statusSet": False,
            "reportedOn": "2021-12-31",
        },
        "activity": {"progressPercent": 20, "status": "DELAYED"},
        "errors": [],
    }
    assert await Notification.filter(
        user_id=world.users["CHAIR"].id, message_key="activity_behind_notice"
    ).exists()


async def test_a_reporter_may_set_the_status(client: GraphQLClient, world: World) -> None:
    plan = await approved_plan(world)
    activity = await Activity.get(plan_id=plan.id)

    result = await _report(
        client, world, "SECRETARY", activity, percent=20, on="2021-12-31", status="AT_RISK"
    )

    assert result["report"]["status"] == "AT_RISK"
    assert result["report"]["statusSet"] is True


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"percent": 101}, "percent"),
        ({"percent": -1}, "percent"),
        ({"percent": 50, "on": "2099-01-01"}, "on"),
        ({"percent": 50, "on": "2022-10-01"}, "on"),
        ({"percent": 80, "status": "DONE"}, "status"),
        ({"percent": 50, "narrative": "ก" * 10_001}, "narrative"),
    ],
)
async def test_bad_progress_is_refused(
    client: GraphQLClient, world: World, fields: dict[str, Any], field: str
) -> None:
    plan = await approved_plan(world)
    activity = await Activity.get(plan_id=plan.id)

    result = await _report(client, world, "MEMBER", activity, **{"on": "2021-12-01", **fields})

    assert [e["field"] for e in result["errors"]] == [["input", field]]
    assert result["report"] is None


async def test_progress_is_for_the_plan_in_force(client: GraphQLClient, world: World) -> None:
    plan = await draft_plan(world)
    activity = await Activity.get(plan_id=plan.id)

    result = await _report(client, world, "MEMBER", activity, percent=10, on="2021-12-01")

    assert [e["code"] for e in result["errors"]] == ["INVALID_TRANSITION"]


async def test_only_owners_and_the_unit_lead_report(client: GraphQLClient, world: World) -> None:
    plan = await approved_plan(world)
    activity = await Activity.get(plan_id=plan.id)

    for who in ("OUTSIDER", "APPROVER"):
        body = await world.client(client, who).post(
            REPORT,
            {"input": {"activity": gid("Activity", activity.id), "percent": 1, "on": "2021-12-01"}},
        )
        assert_forbidden(body)


async def test_a_report_in_the_execution_period_starts_step_9(
    client: GraphQLClient, world: World
) -> None:
    plan = await approved_plan(world)
    activity = await Activity.get(plan_id=plan.id)

    await _report(client, world, "MEMBER", activity, percent=10, on="2021-11-30")

    nine = await world.step(9)
    assert (nine.status, nine.actual_start) == (StepStatus.IN_PROGRESS, date(2021, 11, 30))


MARCH_1, MARCH_2 = date(2022, 3, 1), date(2022, 3, 2)
HISTORY = """query H($id: ID!) { node(id: $id) { ... on Activity {
    progressPercent latestReport { percent } progressReports { percent reportedOn }
    timeline { __typename ... on PlanEvent { action } ... on ActivityProgressReport { percent } }
    plan { revision progressPercent }
} } }"""


async def test_progress_carries_across_revisions(client: GraphQLClient, world: World) -> None:
    made = await make_plans(world)
    await _report(client, world, "MEMBER", made.approved_activity, percent=30, on="2021-12-01")
    revision = await step(world, made.revision, PlanAction.SUBMIT, "SECRETARY", on=MARCH_1)
    await step(world, revision, PlanAction.APPROVE, "APPROVER", on=MARCH_2)

    late = await _report(client, world, "MEMBER", made.approved_activity, percent=40)
    await _report(client, world, "MEMBER", made.draft_activity, percent=60, on="2022-03-15")
    body = await world.client(client, "MEMBER").data(
        HISTORY, {"id": gid("Activity", made.draft_activity.id)}
    )

    assert [e["code"] for e in late["errors"]] == ["INVALID_TRANSITION"]  # superseded
    node = body["node"]
    assert node["progressPercent"] == 60
    assert node["progressReports"] == [
        {"percent": 60, "reportedOn": "2022-03-15"},
        {"percent": 30, "reportedOn": "2021-12-01"},
    ]
    assert node["plan"] == {"revision": 2, "progressPercent": 60.0}
    assert [e.get("action", e.get("percent")) for e in node["timeline"]] == [
        "CREATE",
        "SUBMIT",
        "APPROVE",
        30,
        "REVISE",
        "SUBMIT",
        "APPROVE",
        "SUPERSEDE",
        60,
    ]


async def test_plan_progress_is_weighted(world: World) -> None:
    plan = await draft_plan(world, activity_titles=("หนัก",))
    heavy = await Activity.get(plan_id=plan.id)
    secretary = actor(world, "SECRETARY")
    await activities.update_activity(
        actor=secretary, activity_id=heavy.id, version=1, changes={"weight": "3"}
    )
    light = await activities.create_activity(
        actor=secretary,
        plan_id=plan.id,
        data=activity_data("เบา", owners=[world.people["กนกานต์"].id]),
    )
    plan = await step(world, plan, PlanAction.SUBMIT, "SECRETARY")
    await step(world, plan, PlanAction.APPROVE, "APPROVER")
    for activity_id, percent in ((heavy.id, 20), (light.id, 100)):
        await activities.report_progress(
            actor=SYSTEM,
            data=activities.ProgressData(
                activity_id=activity_id, percent=percent, on=date(2022, 1, 15)
            ),
        )

    assert plan_figures.plan_progress([(Decimal(3), 20), (Decimal(1), 100)]) == 40.0
    assert plan_figures.plan_progress([]) is None


@pytest.mark.parametrize(
    ("percent", "on", "expected"),
    [
        (0, date(2021, 10, 15), ActivityStatus.NOT_STARTED),  # before November
        (10, date(2021, 10, 15), ActivityStatus.ON_TRACK),
        (0, date(2021, 11, 3), ActivityStatus.NOT_STARTED),  # 2.5 % expected
        (41, date(2021, 12, 31), ActivityStatus.ON_TRACK),  # 61 of 120 days: 50.8 % expected
        (30, date(2021, 12, 31), ActivityStatus.AT_RISK),  # 20.8 behind
        (20, date(2021, 12, 31), ActivityStatus.DELAYED),  # 30.8 behind
        (90, date(2022, 3, 1), ActivityStatus.DELAYED),  # past the last month
        (100, date(2022, 3, 1), ActivityStatus.DONE),
    ],
)
def test_status_is_derived_from_the_schedule(
    percent: int, on: date, expected: ActivityStatus
) -> None:
    assert plan_figures.derived_status(percent, date(2021, 11, 1), date(2022, 2, 1), on) == expected


CYCLE_PLANS = """query Page($first: Int) { cycles(first: $first) { nodes { plans {
    kind status progressPercent budgetTotal owner { firstNameTh }
    activities { titleTh owners { firstNameTh } latestReport { percent reportedBy { id } }
                 status progressPercent measure { titleTh } levers { code }
                 viewerCanEdit viewerCanReportProgress }
    viewerCanApprove recommendations { comment }
} } } }"""


async def test_a_cycles_plans_read_in_fixed_sql(admin: GraphQLClient, database: str) -> None:
    """One unit's cycle with two plans and one activity each, then ten units whose plans have
    three activities each: the same statements."""
    await units_with_plans(1)
    with count_queries() as one:
        small = await admin.data(CYCLE_PLANS, {"first": 10})
    await units_with_plans(9, activities_each=3, start=1)
    with count_queries() as ten:
        large = await admin.data(CYCLE_PLANS, {"first": 10})

    assert len(small["cycles"]["nodes"]) == 1
    assert len(large["cycles"]["nodes"]) == 10
    assert len(large["cycles"]["nodes"][-1]["plans"][0]["activities"]) == 3
    assert len(one) == len(ten), "\n".join(ten)
