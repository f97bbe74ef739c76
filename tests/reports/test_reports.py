"""DOC 4.0 progress reports and the final report (SOP steps 11 and 16): every row of both
transition tables, the bad inputs, the figures they are filled with, and the lessons the next
cycle sees."""

from datetime import date
from decimal import Decimal

import pytest

from models.audit import AuditEvent
from models.cycle import StepStatus
from models.kpi import FinalReportStatus, ReportRound, ReportStatus
from models.plan import PlanKind
from services import clock, cycles, reports
from services.actor import SYSTEM
from services.errors import DomainError, ErrorCode, Forbidden
from services.reports import FINAL_TRANSITIONS, PROGRESS_TRANSITIONS, FinalText, Lesson, LessonKind
from tests.cycles.test_kpi import finish
from tests.plans_world import actor, approved_plan
from tests.world import World, make_world

pytestmark = pytest.mark.usefixtures("database")


@pytest.fixture(autouse=True)
def _after_the_year(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clock, "today", lambda: date(2022, 10, 15))


async def _m5(world: World) -> reports.ProgressReport:
    assert world.cycle
    return await reports.create_progress_report(
        actor=actor(world, "MEMBER"), cycle_id=world.cycle.id, round_=ReportRound.M5
    )


async def test_a_progress_report_is_filled_submitted_and_reported() -> None:
    world = await make_world()
    await approved_plan(world, PlanKind.ACTION_PLAN)
    await finish(world, 1, 2, on=date(2021, 10, 20))
    report = await _m5(world)
    assert (report.period_start, report.period_end) == (date(2021, 10, 1), date(2022, 2, 28))
    assert report.status == ReportStatus.DRAFT
    assert report.achieved_level == 1 and report.target_level == 2
    assert report.budget_planned == Decimal("15000.00")
    assert [a["title_th"] for a in report.snapshot["activities"]] == ["กิจกรรมแลกเปลี่ยนเรียนรู้"]

    report = await reports.update_progress_report(
        actor=actor(world, "MEMBER"),
        report_id=report.id,
        version=report.version,
        changes={"narrative": " ดำเนินการตามแผน ", "budget_spent": Decimal("12000.50")},
    )
    assert report.narrative == "ดำเนินการตามแผน" and report.budget_spent == Decimal("12000.50")

    with pytest.raises(Forbidden):
        await reports.submit_progress_report(
            actor=actor(world, "MEMBER"), report_id=report.id, version=report.version
        )
    with pytest.raises(DomainError) as early_doc:
        await reports.record_doc(
            actor=actor(world, "CHAIR"),
            report_id=report.id,
            version=report.version,
            reference="DOC-1",
            reported_on=date(2022, 3, 5),
        )
    assert early_doc.value.problems[0].code == ErrorCode.INVALID_TRANSITION
    assert early_doc.value.problems[0].message_key == "doc_on_unsubmitted"

    report = await reports.submit_progress_report(
        actor=actor(world, "SECRETARY"),
        report_id=report.id,
        version=report.version,
        on=date(2022, 3, 3),
    )
    assert report.status == ReportStatus.SUBMITTED
    assert (await world.step(11)).status == StepStatus.DONE
    with pytest.raises(DomainError) as frozen:
        await reports.update_progress_report(
            actor=actor(world, "MEMBER"), report_id=report.id, version=report.version, changes={}
        )
    assert frozen.value.problems[0].code == ErrorCode.INVALID_TRANSITION

    report = await reports.record_doc(
        actor=actor(world, "CHAIR"),
        report_id=report.id,
        version=report.version,
        reference=" สลก. 0301/123 ",
        reported_on=date(2022, 3, 7),
    )
    assert report.status == ReportStatus.REPORTED and report.doc_reference == "สลก. 0301/123"
    actions = (
        await AuditEvent.filter(object_type="ProgressReport")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == [
        "progress_report.create",
        "progress_report.edit",
        "progress_report.submit",
        "progress_report.record_doc",
    ]
    assert len(PROGRESS_TRANSITIONS) == 3


async def test_bad_progress_report_input(monkeypatch: pytest.MonkeyPatch) -> None:
    world = await make_world()
    assert world.cycle
    monkeypatch.setattr(clock, "today", lambda: date(2022, 5, 1))
    with pytest.raises(DomainError) as not_ended:
        await reports.create_progress_report(
            actor=actor(world, "MEMBER"), cycle_id=world.cycle.id, round_=ReportRound.M10
        )
    assert not_ended.value.problems[0].message_key == "report_round_not_ended"
    with pytest.raises(DomainError) as no_month:
        await reports.create_progress_report(
            actor=actor(world, "MEMBER"), cycle_id=world.cycle.id, round_=ReportRound.MONTHLY
        )
    assert no_month.value.problems[0].message_key == "report_month_required"
    monthly = await reports.create_progress_report(
        actor=actor(world, "MEMBER"),
        cycle_id=world.cycle.id,
        round_=ReportRound.MONTHLY,
        month=3,
    )
    assert (monthly.period_start, monthly.period_end) == (date(2022, 3, 1), date(2022, 3, 31))
    await _m5(world)
    with pytest.raises(DomainError) as twice:
        await _m5(world)
    assert twice.value.problems[0].code == ErrorCode.DUPLICATE
    with pytest.raises(Forbidden):
        await reports.create_progress_report(
            actor=actor(world, "OUTSIDER"), cycle_id=world.cycle.id, round_=ReportRound.M5
        )


async def test_the_final_report_is_approved_by_the_unit_head_and_teaches_next_year() -> None:
    world = await make_world()
    assert world.cycle
    text = FinalText(
        results="บรรลุเป้าหมาย",
        lessons=(
            Lesson(kind=LessonKind.WORKED, text="แลกเปลี่ยนเรียนรู้ทุกเดือน"),
            Lesson(kind=LessonKind.CHANGE, text="เริ่มสำรวจให้เร็วขึ้น"),
        ),
    )
    report = await reports.create_final_report(
        actor=actor(world, "SECRETARY"), cycle_id=world.cycle.id, text=text
    )
    with pytest.raises(DomainError) as bad_lesson:
        await reports.update_final_report(
            actor=actor(world, "SECRETARY"),
            report_id=report.id,
            version=report.version,
            changes={"lessons": [{"kind": "MAYBE", "text": "x"}]},
        )
    assert bad_lesson.value.problems[0].code == ErrorCode.INVALID_INPUT
    with pytest.raises(Forbidden):
        await reports.approve_final_report(
            actor=actor(world, "CHAIR"), report_id=report.id, version=report.version
        )
    report = await reports.approve_final_report(
        actor=actor(world, "APPROVER"),
        report_id=report.id,
        version=report.version,
        on=date(2022, 9, 28),
    )
    assert report.status == FinalReportStatus.APPROVED and report.approved_on == date(2022, 9, 28)
    assert (await world.step(16)).status == StepStatus.DONE
    assert report.achieved_level == 0 and report.target_level == 5
    assert len(FINAL_TRANSITIONS) == 3

    next_cycle = await cycles.create_cycle(
        actor=SYSTEM, unit_id=world.unit.id, fiscal_year=2566, start_date=date(2022, 10, 12)
    )
    previous = await reports.previous_final_report(next_cycle)
    assert previous and previous.id == report.id
    assert [lesson.kind for lesson in reports.lessons_of(previous)] == [
        LessonKind.WORKED,
        LessonKind.CHANGE,
    ]


async def test_the_author_of_a_final_report_may_not_approve_it() -> None:
    world = await make_world()
    assert world.cycle
    report = await reports.create_final_report(actor=SYSTEM, cycle_id=world.cycle.id)
    report.created_by_id = world.users["APPROVER"].id
    await report.save()
    with pytest.raises(DomainError) as own:
        await reports.approve_final_report(
            actor=actor(world, "APPROVER"), report_id=report.id, version=report.version
        )
    assert own.value.problems[0].code == ErrorCode.CONFLICT_OF_INTEREST
