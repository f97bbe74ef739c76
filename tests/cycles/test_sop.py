"""SOP templates: the shipped default, a unit's copy, new versions, cycles remember theirs."""

from datetime import date

import pytest

from models.sop import SopTemplate
from services import cycles, sop
from services.actor import SYSTEM
from tests.helpers import GraphQLClient
from tests.world import gid, make_world

TEMPLATES = """
query Templates($filter: SopTemplateFilter) {
  sopTemplates(filter: $filter) {
    nodes {
      id family version unit { code }
      steps { no scheduleKind days fromMonth toMonth responsible documents { nameTh } }
    }
  }
}"""
COPY = """
mutation Copy($input: SopTemplateCopyInput!) {
  sopTemplateCopy(input: $input) { template { id family version } errors { code } }
}"""
REVISE = """
mutation Revise($input: SopTemplateReviseInput!) {
  sopTemplateRevise(input: $input) {
    template { id version steps { no titleTh after } }
    errors { code field message }
  }
}"""
TWO_STEPS = [
    {"titleTh": "แต่งตั้งคณะกรรมการ", "days": 2, "responsible": ["CHAIR"]},
    {"titleTh": "ดำเนินการตามแผน", "fromMonth": 10, "toMonth": 2, "after": [1]},
]


async def test_the_default_template_is_the_shipped_sop(client: GraphQLClient) -> None:
    world = await make_world(with_cycle=False)

    nodes = (await world.client(client, "MEMBER").data(TEMPLATES))["sopTemplates"]["nodes"]

    assert [(n["family"], n["version"], n["unit"]) for n in nodes] == [("lo-kpi-2.4", 1, None)]
    steps = nodes[0]["steps"]
    assert len(steps) == 16
    # The SOP's named people of สำนักงานเลขานุการกรม stand for their seats.
    assert steps[0]["days"] == 2 and steps[0]["responsible"] == ["CHAIR"]
    assert steps[2]["responsible"] == ["ASSISTANT_SECRETARY", "MEMBER:STAKEHOLDER_SURVEY"]
    assert steps[3]["responsible"] == ["SECRETARY", "MEMBER:STAFF_SELF_ASSESSMENT"]
    assert steps[7]["responsible"] == ["ASSISTANT_SECRETARY"]
    assert steps[15]["responsible"] == ["CHAIR", "ASSISTANT_SECRETARY", "SECRETARY"]
    assert (steps[8]["scheduleKind"], steps[8]["fromMonth"], steps[8]["toMonth"]) == (
        "PERIOD",
        10,
        2,
    )
    assert steps[4]["responsible"] == ["COMMITTEE"]
    assert steps[0]["documents"] == [{"nameTh": "คำสั่งแต่งตั้งคณะกรรมการฯ"}]


async def test_a_unit_copies_and_revises_and_old_cycles_keep_their_version(
    client: GraphQLClient,
) -> None:
    world = await make_world()
    chair = world.client(client, "CHAIR")
    default_id = (await chair.data(TEMPLATES))["sopTemplates"]["nodes"][0]["id"]

    copy = (
        await chair.data(
            COPY, {"input": {"template": default_id, "unit": gid("Unit", world.unit.id)}}
        )
    )["sopTemplateCopy"]["template"]
    revised = (await chair.data(REVISE, {"input": {"id": copy["id"], "steps": TWO_STEPS}}))[
        "sopTemplateRevise"
    ]
    stale = (await chair.data(REVISE, {"input": {"id": copy["id"], "steps": TWO_STEPS}}))[
        "sopTemplateRevise"
    ]
    latest = (
        await chair.data(
            TEMPLATES, {"filter": {"unit": gid("Unit", world.unit.id), "latestOnly": True}}
        )
    )["sopTemplates"]["nodes"]

    assert copy["family"] == "osd-2.4" and copy["version"] == 1
    assert revised["errors"] == [] and revised["template"]["version"] == 2
    assert [s["after"] for s in revised["template"]["steps"]] == [[], [1]]
    assert stale["errors"][0]["code"] == "STALE_VERSION"
    assert [n["version"] for n in latest] == [2]
    next_cycle = await cycles.create_cycle(
        actor=SYSTEM, unit_id=world.unit.id, fiscal_year=2566, start_date=date(2022, 10, 3)
    )
    assert await next_cycle.steps.all().count() == 2
    assert world.cycle and await world.cycle.steps.all().count() == 16


@pytest.mark.parametrize(
    ("steps", "fields"),
    [
        (
            [{"titleTh": " ", "days": 1}, {"titleTh": "ข", "fromMonth": 3, "toMonth": 1}],
            [["input", "steps", "0", "titleTh"], ["input", "steps", "1", "schedule", "PERIOD"]],
        ),
        (
            [{"titleTh": "ก", "days": 1, "after": [2]}, {"titleTh": "ข", "days": 1}],
            [["input", "steps"]],
        ),
    ],
)
async def test_invalid_steps_are_user_errors_with_paths(
    client: GraphQLClient, steps: list[dict], fields: list[list[str]]
) -> None:
    world = await make_world(with_cycle=False)
    default = await sop.ensure_default_template()
    own = await sop.copy_template(actor=SYSTEM, template_id=default.id, unit_id=world.unit.id)

    result = (
        await world.client(client, "CHAIR").data(
            REVISE, {"input": {"id": gid("SopTemplate", own.id), "steps": steps}}
        )
    )["sopTemplateRevise"]

    assert result["template"] is None
    assert [e["field"] for e in result["errors"]] == fields
    assert {e["code"] for e in result["errors"]} == {"INVALID_INPUT"}


async def test_the_shared_default_cannot_be_revised(client: GraphQLClient) -> None:
    world = await make_world(with_cycle=False)
    default = await sop.ensure_default_template()

    result = (
        await world.client(client, "CHAIR").data(
            REVISE, {"input": {"id": gid("SopTemplate", default.id), "steps": TWO_STEPS}}
        )
    )["sopTemplateRevise"]

    assert result["errors"][0]["code"] == "INVALID_INPUT"


async def test_a_default_saved_before_the_shipped_sop_changed_gets_its_next_version(
    client: GraphQLClient,
) -> None:
    world = await make_world(with_cycle=False)
    shipped = await sop.ensure_default_template()
    await SopTemplate.filter(id=shipped.id).update(
        steps=[{**step, "responsible": ["จุฑามาศ"]} for step in shipped.steps]
    )

    nodes = (await world.client(client, "MEMBER").data(TEMPLATES))["sopTemplates"]["nodes"]
    cycle = await cycles.create_cycle(
        actor=SYSTEM, unit_id=world.unit.id, fiscal_year=2565, start_date=date(2021, 10, 12)
    )
    again = await sop.ensure_default_template()

    assert [n["version"] for n in nodes] == [2, 1]
    assert nodes[0]["steps"][0]["responsible"] == ["CHAIR"]
    assert nodes[1]["steps"][0]["responsible"] == ["จุฑามาศ"]
    template = await cycle.template
    assert template.version == 2 and again.version == 2
