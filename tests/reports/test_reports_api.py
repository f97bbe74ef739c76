"""The KPI level, progress reports and the final report through GraphQL, as a front end uses
them: typed user errors for bad input, the evidence as global ids, the lessons next year."""

from datetime import date

import pytest

from models.audit import AuditEvent
from models.kpi import ProgressReport
from services import clock, cycles, kpi
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


RECORD_FINAL = """mutation Record($input: FinalReportRecordDocInput!) {
    finalReportRecordDoc(input: $input) {
    finalReport { status version docReference docDate achievedLevel viewerCanRecordDoc }
    errors { code field message } } }"""
CAN_RECORD = (
    """query Can($id: ID!) { node(id: $id) { ... on FinalReport { viewerCanRecordDoc } } }"""
)


async def test_the_final_report_is_recorded_in_doc_40_by_whoever_step_16_names(
    client: GraphQLClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(clock, "today", lambda: date(2022, 8, 20))
    world = await make_world()
    assert world.cycle
    await finish(world, *range(1, 16), on=date(2022, 8, 1))
    made = await world.client(client, "SECRETARY").data(
        FINAL, {"input": {"cycle": gid("Cycle", world.cycle.id), "results": "บรรลุ"}}
    )
    report = made["finalReportCreate"]["finalReport"]
    assistant = world.client(client, "ASSISTANT_SECRETARY")

    def record(version: int, reference: str, day: str) -> dict:
        return {
            "input": {
                "id": report["id"],
                "version": version,
                "reference": reference,
                "docDate": day,
            }
        }

    too_soon = await assistant.data(RECORD_FINAL, record(1, "DOC-16", "2022-08-18"))
    approved = (
        await world.client(client, "APPROVER").data(
            APPROVE, {"input": {"id": report["id"], "version": 1}}
        )
    )["finalReportApprove"]["finalReport"]
    before = await kpi.evaluate_cycle(world.cycle.id, date(2022, 8, 20))
    can = {
        who: (await world.client(client, who).data(CAN_RECORD, {"id": report["id"]}))["node"][
            "viewerCanRecordDoc"
        ]
        for who in ("ASSISTANT_SECRETARY", "CHAIR", "MEMBER", "APPROVER")
    }
    refused = await world.client(client, "MEMBER").post(
        RECORD_FINAL, record(2, "DOC-16", "2022-08-20")
    )
    early = await assistant.data(RECORD_FINAL, record(2, "DOC-16", "2022-08-19"))
    future = await assistant.data(RECORD_FINAL, record(2, "DOC-16", "2022-08-21"))
    blank = await assistant.data(RECORD_FINAL, record(2, "  ", "2022-08-20"))

    recorded = await assistant.data(RECORD_FINAL, record(2, "สลก. 0301/2565-สรุปผล", "2022-08-20"))
    again = await assistant.data(RECORD_FINAL, record(3, "DOC-17", "2022-08-20"))
    after = await kpi.evaluate_cycle(world.cycle.id, date(2022, 8, 20))
    following = await cycles.create_cycle(
        actor=SYSTEM, unit_id=world.unit.id, fiscal_year=2566, start_date=date(2022, 10, 12)
    )
    lessons = await assistant.data(LESSONS, {"id": gid("Cycle", following.id)})

    assert too_soon["finalReportRecordDoc"]["errors"][0]["code"] == "INVALID_TRANSITION"
    assert approved["status"] == "APPROVED" and approved["achievedLevel"] == 4
    assert before.level == 4
    assert before.levels[4].criteria[1].missing[0].en == (
        "The final report is not reported in DOC 4.0"
    )
    assert can == {"ASSISTANT_SECRETARY": True, "CHAIR": True, "MEMBER": False, "APPROVER": False}
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert [e["field"] for e in early["finalReportRecordDoc"]["errors"]] == [["input", "date"]]
    assert [e["code"] for e in future["finalReportRecordDoc"]["errors"]] == ["INVALID_INPUT"]
    assert [e["code"] for e in blank["finalReportRecordDoc"]["errors"]] == ["INVALID_INPUT"]
    assert recorded["finalReportRecordDoc"] == {
        "finalReport": {
            "status": "REPORTED",
            "version": 3,
            "docReference": "สลก. 0301/2565-สรุปผล",
            "docDate": "2022-08-20",
            "achievedLevel": 5,
            "viewerCanRecordDoc": False,
        },
        "errors": [],
    }
    assert again["finalReportRecordDoc"]["errors"][0]["code"] == "INVALID_TRANSITION"
    assert after.level == 5
    assert after.levels[4].criteria[1].evidence[0].label == "DOC 4.0 สลก. 0301/2565-สรุปผล"
    assert lessons["node"]["previousFinalReport"] == {"results": "บรรลุ"}
    audit = await AuditEvent.get(action="final_report.record_doc")
    assert audit.after["docReference"] == "สลก. 0301/2565-สรุปผล"
