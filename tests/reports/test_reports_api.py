"""The KPI level, progress reports and the final report through GraphQL, as a front end uses
them: typed user errors for bad input, the evidence as global ids, the lessons next year."""

from datetime import date

import pytest

from models.kpi import ProgressReport
from services import clock, cycles
from services.actor import SYSTEM
from tests.cycles.test_kpi import finish
from tests.helpers import GraphQLClient
from tests.world import gid, make_world

pytestmark = pytest.mark.usefixtures("database")

KPI = """query Kpi($id: ID!, $on: Date, $round: ReportRound) { node(id: $id) { ... on Cycle {
    kpi(on: $on, round: $round) { on level round target targetMet isDefaultDefinition nextLevel
        missingForNextLevel
        levels { level met reached criteria { kind met description missing
            evidence { typeName id label } criterion { steps } } } }
} } }"""

CREATE = """mutation Create($input: ProgressReportCreateInput!) {
    progressReportCreate(input: $input) {
    progressReport { id version status round periodStart periodEnd achievedLevel targetLevel
        budgetPlanned budgetSpent narrative activities { titleTh percent activity { titleTh } }
        works { titleTh } evidence { filename } plans { kind } viewerCanSubmit xlsxUrl }
    errors { code field message } } }"""

SUBMIT = """mutation Submit($input: ProgressReportSubmitInput!) {
    progressReportSubmit(input: $input) {
    progressReport { id version status submittedOn } errors { code field message } } }"""

RECORD = """mutation Record($input: ProgressReportRecordDocInput!) {
    progressReportRecordDoc(input: $input) {
    progressReport { status docReference docDate } errors { code field message } } }"""

DEFINE = """mutation Define($input: KpiDefinitionUpdateInput!) {
    kpiDefinitionUpdate(input: $input) {
    definition { fiscalYear isDefault version levels { level criteria { kind steps } } }
    errors { code field message } } }"""

FINAL = """mutation Final($input: FinalReportCreateInput!) { finalReportCreate(input: $input) {
    finalReport { id version status lessons { kind text } viewerCanApprove }
    errors { code field message } } }"""

APPROVE = """mutation Approve($input: FinalReportApproveInput!) {
    finalReportApprove(input: $input) {
    finalReport { status approvedOn achievedLevel targetLevel } errors { code message } } }"""

LESSONS = """query Lessons($id: ID!) { node(id: $id) { ... on Cycle {
    previousLessons { kind text } previousFinalReport { results }
    finalReport { id } progressReports { round } } } }"""


async def test_kpi_and_a_progress_report_through_graphql(
    client: GraphQLClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(clock, "today", lambda: date(2022, 3, 10))
    world = await make_world()
    assert world.cycle
    await finish(world, 1, 2, on=date(2021, 10, 20))
    cycle_id = gid("Cycle", world.cycle.id)
    chair = world.client(client, "CHAIR")

    data = await chair.data(KPI, {"id": cycle_id, "on": "2021-10-25"})
    evaluation = data["node"]["kpi"]
    assert evaluation["level"] == 1 and evaluation["round"] == "M5" and evaluation["target"] == 2
    assert evaluation["nextLevel"] == 2 and not evaluation["targetMet"]
    assert evaluation["missingForNextLevel"][0] == "ขั้นตอนที่ 3 ยังไม่เสร็จ"
    first = evaluation["levels"][0]["criteria"][0]
    assert first["met"] and [e["typeName"] for e in first["evidence"]] == ["CycleStep"] * 2
    assert first["evidence"][0]["id"] == gid("CycleStep", (await world.step(1)).id)
    at_year_end = await chair.data(KPI, {"id": cycle_id, "on": "2021-10-25", "round": "M12"})
    assert at_year_end["node"]["kpi"]["target"] == 5

    not_ended = await chair.data(CREATE, {"input": {"cycle": cycle_id, "round": "M10"}})
    error = not_ended["progressReportCreate"]["errors"][0]
    assert error["code"] == "INVALID_INPUT" and error["field"] == ["input", "round"]

    made = await chair.data(
        CREATE, {"input": {"cycle": cycle_id, "round": "M5", "budgetSpent": "1500.25"}}
    )
    report = made["progressReportCreate"]["progressReport"]
    assert report["achievedLevel"] == 1 and report["targetLevel"] == 2
    assert report["periodEnd"] == "2022-02-28" and report["budgetSpent"] == "1500.25"
    assert report["viewerCanSubmit"] and ".xlsx?lang=th&token=" in report["xlsxUrl"]

    doc_first = await chair.data(
        RECORD,
        {"input": {"id": report["id"], "version": 1, "reference": "X", "docDate": "2022-03-09"}},
    )
    assert doc_first["progressReportRecordDoc"]["errors"][0]["code"] == "INVALID_TRANSITION"

    submitted = await chair.data(SUBMIT, {"input": {"id": report["id"], "version": 1}})
    assert submitted["progressReportSubmit"]["progressReport"]["status"] == "SUBMITTED"
    recorded = await chair.data(
        RECORD,
        {
            "input": {
                "id": report["id"],
                "version": 2,
                "reference": "DOC-7",
                "docDate": "2022-03-10",
            }
        },
    )
    assert recorded["progressReportRecordDoc"]["progressReport"] == {
        "status": "REPORTED",
        "docReference": "DOC-7",
        "docDate": "2022-03-10",
    }
    assert await ProgressReport.filter(status="REPORTED").count() == 1


async def test_kpi_definitions_through_graphql(client: GraphQLClient, admin: GraphQLClient) -> None:
    levels = [{"level": n, "criteria": [{"kind": "STEPS_DONE", "steps": [n]}]} for n in range(1, 6)]
    unknown = [{"level": 1, "criteria": [{"kind": "DANCING"}]}, *levels[1:]]
    refused = await admin.data(
        DEFINE, {"input": {"fiscalYear": 2565, "version": 0, "levels": unknown, "targets": []}}
    )
    assert refused["kpiDefinitionUpdate"]["errors"][0]["code"] == "INVALID_INPUT"
    no_step = [{"level": 1, "criteria": [{"kind": "STEPS_DONE", "steps": [42]}]}, *levels[1:]]
    refused = await admin.data(
        DEFINE, {"input": {"fiscalYear": 2565, "version": 0, "levels": no_step, "targets": []}}
    )
    error = refused["kpiDefinitionUpdate"]["errors"][0]
    assert error["field"] == ["input", "levels", "0", "criteria", "0", "steps"]
    assert "42" in error["message"]
    saved = await admin.data(
        DEFINE,
        {
            "input": {
                "fiscalYear": 2565,
                "version": 0,
                "levels": levels,
                "targets": [{"round": "M5", "level": 1}],
            }
        },
    )
    definition = saved["kpiDefinitionUpdate"]["definition"]
    assert definition["version"] == 1 and not definition["isDefault"]
    shown = await admin.data(
        "{ kpiDefinition(fiscalYear: 2566) { isDefault version targets { round level } "
        "levels { level criteria { kind steps description } } } }"
    )
    assert shown["kpiDefinition"]["isDefault"]
    assert shown["kpiDefinition"]["levels"][4]["criteria"][0]["steps"] == [15, 16]


async def test_the_final_report_and_next_years_lessons(client: GraphQLClient) -> None:
    world = await make_world()
    assert world.cycle
    cycle_id = gid("Cycle", world.cycle.id)
    made = await world.client(client, "SECRETARY").data(
        FINAL,
        {
            "input": {
                "cycle": cycle_id,
                "results": "ผลการดำเนินงาน",
                "lessons": [
                    {"kind": "WORKED", "text": "ชุมชนนักปฏิบัติ"},
                    {"kind": "DID_NOT_WORK", "text": "ประชุมออนไลน์"},
                ],
            }
        },
    )
    report = made["finalReportCreate"]["finalReport"]
    assert not report["viewerCanApprove"]
    approver = world.client(client, "APPROVER")
    approved = await approver.data(APPROVE, {"input": {"id": report["id"], "version": 1}})
    assert approved["finalReportApprove"]["finalReport"]["status"] == "APPROVED"

    following = await cycles.create_cycle(
        actor=SYSTEM, unit_id=world.unit.id, fiscal_year=2566, start_date=date(2022, 10, 12)
    )
    data = await approver.data(LESSONS, {"id": gid("Cycle", following.id)})
    assert data["node"]["previousLessons"] == [
        {"kind": "WORKED", "text": "ชุมชนนักปฏิบัติ"},
        {"kind": "DID_NOT_WORK", "text": "ประชุมออนไลน์"},
    ]
    assert data["node"]["finalReport"] is None
