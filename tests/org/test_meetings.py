"""Committee meetings; a meeting can complete the step it serves."""

from datetime import date

import pytest

from services import clock
from tests.helpers import GraphQLClient
from tests.world import gid, make_world

MEETING_CREATE = """
mutation Meet($input: MeetingCreateInput!) {
  meetingCreate(input: $input) {
    meeting {
      kind heldOn heldOnTh agenda decisions
      attendees { firstNameTh }
      step { no status actualEnd }
    }
    errors { code field }
  }
}"""
CYCLE_MEETINGS = """
query Cycle($id: ID!) { node(id: $id) { ... on Cycle { meetings { titleTh kind } } } }"""


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clock, "today", lambda: date(2021, 12, 1))


async def test_the_planning_meeting_completes_step_2(client: GraphQLClient) -> None:
    world = await make_world()
    assert world.cycle
    step2 = await world.step(2)
    secretary = world.client(client, "SECRETARY")

    result = (
        await secretary.data(
            MEETING_CREATE,
            {
                "input": {
                    "cycle": gid("Cycle", world.cycle.id),
                    "kind": "PLANNING",
                    "heldOn": "2021-10-15",
                    "titleTh": "ประชุมกำหนดแนวทางวิเคราะห์ GAP",
                    "agenda": ["แนวทาง GAP", "แผนขับเคลื่อน"],
                    "decisions": ["มอบหมายผู้ออกแบบเครื่องมือ"],
                    "attendees": [gid("Person", world.people[n].id) for n in ("จุฑามาศ", "พิกุล")],
                    "step": gid("CycleStep", step2.id),
                    "completesStep": True,
                    "overrideMissingDocuments": True,
                    "reason": "รายงานการประชุมตามมา",
                }
            },
        )
    )["meetingCreate"]
    listed = await secretary.data(CYCLE_MEETINGS, {"id": gid("Cycle", world.cycle.id)})

    assert result["errors"] == []
    meeting = result["meeting"]
    assert meeting["heldOnTh"] == "15 ตุลาคม 2564"
    assert sorted(a["firstNameTh"] for a in meeting["attendees"]) == ["จุฑามาศ", "พิกุล"]
    assert meeting["step"] == {"no": 2, "status": "DONE", "actualEnd": "2021-10-15"}
    assert listed["node"]["meetings"] == [
        {"titleTh": "ประชุมกำหนดแนวทางวิเคราะห์ GAP", "kind": "PLANNING"}
    ]


async def test_a_meeting_that_cannot_complete_its_step_is_not_saved(client: GraphQLClient) -> None:
    world = await make_world()
    assert world.cycle
    step2 = await world.step(2)

    result = (
        await world.client(client, "CHAIR").data(
            MEETING_CREATE,
            {
                "input": {
                    "cycle": gid("Cycle", world.cycle.id),
                    "kind": "PLANNING",
                    "heldOn": "2021-10-15",
                    "titleTh": "ประชุม",
                    "step": gid("CycleStep", step2.id),
                    "completesStep": True,
                }
            },
        )
    )["meetingCreate"]
    listed = await world.client(client, "CHAIR").data(
        CYCLE_MEETINGS, {"id": gid("Cycle", world.cycle.id)}
    )

    assert result["errors"][0]["code"] == "DOCUMENTS_MISSING"
    assert listed["node"]["meetings"] == []


async def test_meeting_dates_belong_to_the_fiscal_year(client: GraphQLClient) -> None:
    world = await make_world()
    assert world.cycle

    result = (
        await world.client(client, "CHAIR").data(
            MEETING_CREATE,
            {
                "input": {
                    "cycle": gid("Cycle", world.cycle.id),
                    "kind": "MONTHLY",
                    "heldOn": "2020-01-01",
                    "titleTh": "ประชุมประจำเดือน",
                }
            },
        )
    )["meetingCreate"]

    assert result["errors"] == [{"code": "INVALID_INPUT", "field": ["input", "heldOn"]}]
