"""Input a user can send that once crashed the server: each is now a typed error."""

import base64

import pytest

from models.cycle import Cycle
from services import sop
from services.actor import SYSTEM
from tests.helpers import GraphQLClient, error_codes
from tests.plans_world import draft_plan
from tests.world import gid, make_world

LONG = "ก" * 600
MEETING = """
mutation M($input: MeetingCreateInput!) {
  meetingCreate(input: $input) { errors { code field } }
}"""
TOPIC = """
mutation T($input: KnowledgeTopicCreateInput!) {
  knowledgeTopicCreate(input: $input) { errors { code field } }
}"""
CYCLE = """
mutation C($input: CycleCreateInput!) { cycleCreate(input: $input) { errors { code field } } }"""
OVERRIDE = """
mutation O($input: CalendarOverrideSetInput!) {
  calendarOverrideSet(input: $input) { errors { code field } }
}"""
REVISE = """
mutation R($input: SopTemplateReviseInput!) {
  sopTemplateRevise(input: $input) { errors { code field } }
}"""


async def test_over_long_texts_are_user_errors(client: GraphQLClient, admin: GraphQLClient) -> None:
    world = await make_world()
    assert world.cycle
    chair = world.client(client, "CHAIR")
    cycle = gid("Cycle", world.cycle.id)

    meeting = await chair.data(
        MEETING,
        {"input": {"cycle": cycle, "kind": "OTHER", "heldOn": "2021-11-01", "titleTh": LONG}},
    )
    topic = await chair.data(TOPIC, {"input": {"cycle": cycle, "titleTh": LONG}})
    override = await admin.data(
        OVERRIDE, {"input": {"day": "2022-01-04", "isWorkingDay": False, "reasonTh": LONG}}
    )

    assert meeting["meetingCreate"]["errors"][0]["field"] == ["input", "titleTh"]
    assert topic["knowledgeTopicCreate"]["errors"][0]["field"] == ["input", "titleTh"]
    assert override["calendarOverrideSet"]["errors"][0]["field"] == ["input", "reasonTh"]


async def test_a_long_phase_is_refused_before_it_can_break_a_cycle(client: GraphQLClient) -> None:
    world = await make_world(with_cycle=False)
    default = await sop.ensure_default_template()
    own = await sop.copy_template(actor=SYSTEM, template_id=default.id, unit_id=world.unit.id)
    steps = [{"titleTh": "ขั้นเดียว", "days": 1, "phase": "การเตรียมการ" * 5}]

    result = await world.client(client, "CHAIR").data(
        REVISE, {"input": {"id": gid("SopTemplate", own.id), "steps": steps}}
    )

    assert result["sopTemplateRevise"]["errors"][0]["field"] == ["input", "steps", "0", "phase"]


@pytest.mark.parametrize("year", [25655, 3000, 0])
async def test_a_fiscal_year_typo_is_a_user_error(client: GraphQLClient, year: int) -> None:
    world = await make_world(with_cycle=False)

    result = await world.client(client, "CHAIR").data(
        CYCLE,
        {
            "input": {
                "unit": gid("Unit", world.unit.id),
                "fiscalYear": year,
                "startDate": "2021-10-12",
            }
        },
    )

    assert result["cycleCreate"]["errors"][0]["field"] == ["input", "fiscalYear"]
    assert await Cycle.all().count() == 0


async def test_far_dates_and_huge_cursors_are_client_errors(admin: GraphQLClient) -> None:
    calendar = await admin.post(
        '{ workingCalendar(first: "9999-12-01", last: "9999-12-31") { workingDayCount } }'
    )
    cursor = await admin.post(
        '{ users(after: "b2Zmc2V0Ojk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5") { totalCount } }'
    )

    assert "errors" not in calendar or error_codes(calendar) == ["BAD_USER_INPUT"]
    assert error_codes(cursor) == ["BAD_USER_INPUT"]


ACTIVITY = """
mutation A($input: ActivityCreateInput!) {
  activityCreate(input: $input) { errors { code field } }
}"""


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"budget": "NaN"}, "budget"),
        ({"budget": "Infinity"}, "budget"),
        ({"budget": "1e400"}, "budget"),
        ({"budget": "0.001"}, "budget"),
        ({"weight": "-0.5"}, "weight"),
        ({"startMonth": "2021-1"}, "startMonth"),
        ({"endMonth": "ตุลาคม"}, "endMonth"),
        ({"titleTh": LONG}, "titleTh"),
        ({"titleTh": "   "}, "titleTh"),
        ({"objectiveTh": "ก" * 10_001}, "objectiveTh"),
    ],
)
async def test_odd_activity_numbers_and_months_are_user_errors(
    client: GraphQLClient, fields: dict[str, str], field: str
) -> None:
    world = await make_world()
    plan = await draft_plan(world)

    result = await world.client(client, "SECRETARY").data(
        ACTIVITY,
        {
            "input": {
                "plan": gid("Plan", plan.id),
                "titleTh": "กิจกรรม",
                "startMonth": "2021-11",
                "endMonth": "2021-12",
                **fields,
            }
        },
    )

    assert [e["field"] for e in result["activityCreate"]["errors"]] == [["input", field]]


async def test_a_budget_that_is_not_a_number_is_a_request_error(client: GraphQLClient) -> None:
    world = await make_world()
    plan = await draft_plan(world)

    body = await world.client(client, "SECRETARY").post(
        ACTIVITY,
        {
            "input": {
                "plan": gid("Plan", plan.id),
                "titleTh": "กิจกรรม",
                "startMonth": "2021-11",
                "endMonth": "2021-12",
                "budget": "หนึ่งหมื่น",
            }
        },
    )

    assert error_codes(body) in (["BAD_USER_INPUT"], ["GRAPHQL_VALIDATION_FAILED"])


@pytest.mark.parametrize("raw", ["Document:²", "Document:99999999999999999999999"])
async def test_strange_ids_are_not_found_not_crashes(
    client: GraphQLClient, admin: GraphQLClient, raw: str
) -> None:
    encoded = base64.b64encode(raw.encode()).decode()

    download = await client.http.get(f"/files/{encoded}", headers=admin.headers)
    node = await admin.post("query N($id: ID!) { node(id: $id) { id } }", {"id": encoded})

    assert download.status_code == 404
    assert node["data"]["node"] is None and not error_codes(node)
