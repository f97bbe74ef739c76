"""The SOP's words travel: each step's work detail and the SOP's sections 1–3, in Thai as the
SOP writes them (with English translations), on the template and on a cycle's steps."""

import re
from typing import Any

from tortoise import connections

from models.sop import SopTemplate
from services import sop
from services.actor import SYSTEM
from tests.helpers import GraphQLClient, count_queries
from tests.world import gid, make_world

SOURCE = (sop.SEED_FILE.parent / "lo-sop-kpi-2.4.th.txt").read_text(encoding="utf-8")
# The transcription's corrections of OCR slips (its `notes` and `about`), as the source has them.
SLIPS = {"เครื่องมือสำรวจ": "เครื่องมือสำรอง", "สรุปบทเรียน": "สรุปทเรียน"}

TEMPLATE = """query { sopTemplates { nodes {
    objectives { textTh textEn } scope { textTh textEn } definitions { termTh meaningTh meaningEn }
    steps { no details { textTh textEn } } } } }"""
CYCLE = """query Cycle($id: ID!) { node(id: $id) { ... on Cycle {
    steps { no titleTh details { textTh textEn } } } } }"""
REVISE = """mutation Revise($input: SopTemplateReviseInput!) { sopTemplateRevise(input: $input) {
    template { objectives { textTh } steps { details { textTh textEn } } } errors { code } } }"""


def _bare(text: str) -> str:
    """Without the spaces and line breaks the source's table cells wrap text with."""
    return re.sub(r"\s+", "", text)


def in_source(text: str) -> bool:
    for corrected, written in SLIPS.items():
        text = text.replace(corrected, written)
    return _bare(text) in _bare(SOURCE)


async def test_the_default_template_carries_the_sops_words_as_written(
    client: GraphQLClient,
) -> None:
    world = await make_world(with_cycle=False)

    [template] = (await world.client(client, "MEMBER").data(TEMPLATE))["sopTemplates"]["nodes"]

    steps = {s["no"]: s["details"] for s in template["steps"]}
    assert all(steps[no] for no in range(1, 17))
    assert [d["textTh"] for d in steps[10]] == [
        "ดำเนินการเผยแพร่ผลงานต่างๆ ทุกช่องทาง เช่น เว็บไซต์, Facebook, LINE ฯลฯ",
        "จัดเก็บในระบบหรือฐานข้อมูลที่เกี่ยวข้อง",
    ]
    assert steps[11][0]["textTh"] == "รายงานข้อมูลในระบบ DOC 4.0"
    assert steps[16][-1]["textTh"] == "รายงานข้อมูลในระบบ DOC 4.0"
    assert all(d["textEn"] for details in steps.values() for d in details)
    assert len(template["objectives"]) == 3
    assert template["scope"]["textTh"].startswith("เป็นการแสดงกระบวนการปฏิบัติงาน")
    [definition] = template["definitions"]
    assert definition["termTh"] == "องค์กรแห่งการเรียนรู้ (Learning Organization : LO)"
    assert definition["meaningEn"]
    thai = [
        *(d["textTh"] for details in steps.values() for d in details),
        *(o["textTh"] for o in template["objectives"]),
        template["scope"]["textTh"],
        definition["meaningTh"],
    ]
    assert [t for t in thai if not in_source(t)] == []


async def test_a_cycles_steps_show_the_detail_of_the_template_they_came_from(
    client: GraphQLClient,
) -> None:
    world = await make_world()
    assert world.cycle

    with count_queries() as statements:
        body = await world.client(client, "MEMBER").data(
            CYCLE, {"id": gid("Cycle", world.cycle.id)}
        )

    steps = {s["no"]: s for s in body["node"]["steps"]}
    assert len(steps) == 16
    assert steps[11]["details"] == [
        {"textTh": "รายงานข้อมูลในระบบ DOC 4.0", "textEn": "Report the figures in the DOC 4.0 system"}
    ]
    assert "เว็บไซต์, Facebook, LINE ฯลฯ" in steps[10]["details"][0]["textTh"]
    # The cycle, its steps, their cycles and template: each loaded once for all 16 steps.
    assert len(statements) <= 4


async def test_a_revision_keeps_the_sections_and_the_details_it_is_given(
    client: GraphQLClient,
) -> None:
    world = await make_world(with_cycle=False)
    default = await sop.ensure_default_template()
    own = await sop.copy_template(actor=SYSTEM, template_id=default.id, unit_id=world.unit.id)
    detail = {"textTh": "รายงานข้อมูลในระบบ DOC 4.0", "textEn": "Report in DOC 4.0"}

    body = await world.client(client, "CHAIR").data(
        REVISE,
        {
            "input": {
                "id": gid("SopTemplate", own.id),
                "steps": [{"titleTh": "รายงานความก้าวหน้า", "days": 1, "details": [detail]}],
            }
        },
    )

    revised = body["sopTemplateRevise"]
    assert revised["errors"] == []
    assert revised["template"]["steps"] == [{"details": [detail]}]
    assert len(revised["template"]["objectives"]) == 3


async def test_templates_saved_without_the_text_get_the_shipped_sops(
    client: GraphQLClient,
) -> None:
    await make_world(with_cycle=False)
    shipped = await sop.ensure_default_template()
    old_steps: list[dict[str, Any]] = [
        {k: v for k, v in step.items() if k != "details"} for step in shipped.steps[:2]
    ]
    old_steps[1]["title_th"] = "ประชุมคณะกรรมการ"
    old = await SopTemplate.create(
        family="old-2.4",
        version=1,
        indicator_code="2.4",
        name_th=shipped.name_th,
        steps=old_steps,
    )
    other = await SopTemplate.create(
        family="other-3.1", version=1, indicator_code="3.1", name_th="อื่น", steps=old_steps
    )

    await sop.add_sop_text(connections.get("default"))

    await old.refresh_from_db()
    assert [s["details"] for s in old.steps] == [shipped.steps[0]["details"], []]
    assert old.sections == shipped.sections
    await other.refresh_from_db()
    assert (other.steps, other.sections) == (old_steps, None)
    await shipped.refresh_from_db()
    assert sop.parse_sections(shipped.sections).scope is not None
