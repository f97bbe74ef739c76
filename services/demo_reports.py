"""Demo reports of the FY 2565 example (SOP steps 10, 11 and 14–16): the works published and the
LIKE Talk Award entered, the DOC 4.0 progress reports of M5, M10 and M12 submitted by the
secretary and reported with their DOC reference, and the final report with its lessons learned
approved by the unit head and reported in DOC 4.0 — the cycle reaches level 5."""

from datetime import date, timedelta
from decimal import Decimal

from models.cycle import Cycle, CycleStep, StepStatus
from models.kpi import FinalReport, ProgressReport, ReportRound
from models.user import User
from services import clock, cycles, reports
from services.actor import SYSTEM, Actor
from services.cycles import StepAction
from services.reports import FinalText, Lesson, LessonKind, ProgressText

WORKS_PUBLISHED_REASON = (
    "ขึ้นทะเบียนผลงานในทะเบียนผลงาน LO Hub และเผยแพร่ผ่านเว็บไซต์ Facebook และ LINE แล้ว"
)
# (step, day finished, why the evidence is the data kept in LO Hub)
STEPS = [
    (10, date(2022, 7, 29), WORKS_PUBLISHED_REASON),
    (14, date(2022, 7, 29), "ดำเนินการตามแผนฉบับปรับปรุงครบทุกกิจกรรมแล้ว"),
    (15, date(2022, 7, 29), "ส่งผลงานและนำเสนอในเวที LIKE Talk Award ปีงบประมาณ 2565 แล้ว"),
]
# round, narrative, problems, suggestions, budget spent, submitted, DOC reference, reported
ROUNDS = [
    (
        ReportRound.M5,
        "จัดอบรม KM ครบตามแผน จัดกิจกรรม CoP 5 ครั้ง วิเคราะห์ GAP และกำหนดมาตรการตาม PIRAB แล้ว",
        "บุคลากรบางส่วนติดภารกิจเข้าร่วมกิจกรรมไม่ครบ",
        "จัดกิจกรรมแบบผสมผสาน (ออนไลน์และในห้องประชุม)",
        "31500.00",
        None,  # the day step 11 is due
        "สลก. 0301/2565-05",
        7,
    ),
    (
        ReportRound.M10,
        "ดำเนินการตามแผนฉบับปรับปรุง เผยแพร่ผลงานทุกช่องทาง ส่งผลงานเข้าประกวด LIKE Talk Award",
        "ระยะเวลาจัดทำผลงานนวัตกรรมค่อนข้างจำกัด",
        "เริ่มพัฒนาผลงานตั้งแต่ไตรมาสแรก",
        "68250.00",
        date(2022, 8, 5),
        "สลก. 0301/2565-10",
        3,
    ),
    (
        ReportRound.M12,
        "ดำเนินการครบทุกขั้นตอนของ SOP ได้ระดับความสำเร็จ 5 ตามเป้าหมาย",
        "-",
        "ขยายผลชุมชนนักปฏิบัติไปยังหน่วยงานอื่น",
        "84900.00",
        date(2022, 10, 7),
        "สลก. 0301/2565-12",
        4,
    ),
]
LESSONS = [
    (LessonKind.WORKED, "ชุมชนนักปฏิบัติ (CoP) ประจำเดือนทำให้บุคลากรแลกเปลี่ยนเรียนรู้อย่างต่อเนื่อง"),
    (LessonKind.WORKED, "ทะเบียนผลงานใน LO Hub ช่วยให้ติดตามและเผยแพร่ผลงานได้ครบทุกช่องทาง"),
    (LessonKind.DID_NOT_WORK, "การสำรวจความต้องการผ่านแบบสอบถามกระดาษได้อัตราตอบกลับต่ำ"),
    (LessonKind.CHANGE, "เริ่มพัฒนาผลงานนวัตกรรมตั้งแต่ไตรมาสแรกของปีงบประมาณ"),
    (LessonKind.CHANGE, "กำหนดผู้รับผิดชอบรายงาน DOC 4.0 ล่วงหน้าทุกรอบ"),
]


async def _actor(username: str) -> Actor:
    return Actor(user_id=(await User.get(username=username)).id)


async def reports_missing(unit_code: str, fiscal_year: int) -> bool:
    """The unit has a cycle for the year, without its twelve-month report yet."""
    cycle = await Cycle.get_or_none(unit__code=unit_code, fiscal_year=fiscal_year)
    return cycle is not None and not await ProgressReport.exists(
        cycle_id=cycle.id, round=ReportRound.M12
    )


async def report_round(cycle: Cycle, round_: ReportRound) -> ProgressReport:
    """The round's report drafted by the secretary and submitted by the chair, on the story's
    day (M5's submission completes step 11)."""
    _, narrative, problems, suggestions, spent, _, _, _ = _round(round_)
    report = await reports.create_progress_report(
        actor=await _actor("osd.m8"),
        cycle_id=cycle.id,
        round_=round_,
        text=ProgressText(
            narrative=narrative,
            problems=problems,
            suggestions=suggestions,
            budget_spent=Decimal(spent),
        ),
    )
    return await reports.submit_progress_report(
        actor=await _actor("osd.m1"), report_id=report.id, version=report.version
    )


async def record_in_doc(report: ProgressReport) -> None:
    """The secretary enters the report in DOC 4.0 a few days after its submission."""
    *_, reference, lag = _round(report.round)
    assert report.submitted_on is not None
    reported_on = report.submitted_on + timedelta(days=lag)
    clock.walk_to(reported_on)
    await reports.record_doc(
        actor=await _actor("osd.m8"),
        report_id=report.id,
        version=report.version,
        reference=reference,
        reported_on=reported_on,
    )


def _round(round_: ReportRound) -> tuple[ReportRound, str, str, str, str, date | None, str, int]:
    return next(row for row in ROUNDS if row[0] == round_)


async def load_reports(unit_code: str, fiscal_year: int) -> None:
    """Once (see ``reports_missing``), on the story's clock from the end of July: steps 10, 14
    and 15 done, the M10 report, the final report (step 16) and the M12 report."""
    cycle = await Cycle.get(unit__code=unit_code, fiscal_year=fiscal_year)
    steps = {s.no: s for s in await CycleStep.filter(cycle_id=cycle.id)}
    for no, on, reason in STEPS:
        clock.walk_to(on)
        if steps[no].status not in cycles.FINISHED:
            await cycles.act_on_step(
                actor=SYSTEM,
                step_id=steps[no].id,
                action=StepAction.COMPLETE,
                override_missing_documents=True,
                reason=reason,
                on=on,
            )
    for round_ in (ReportRound.M10, ReportRound.M12):
        submitted = _round(round_)[5]
        assert submitted is not None
        clock.walk_to(submitted)
        report = await report_round(cycle, round_)
        if round_ == ReportRound.M10:
            final = await _final_report(cycle)
        await record_in_doc(report)
        if round_ == ReportRound.M10:
            await _approve(final, steps[16])


async def _final_report(cycle: Cycle) -> FinalReport:
    return await reports.create_final_report(
        actor=await _actor("osd.m8"),
        cycle_id=cycle.id,
        text=FinalText(
            results="ดำเนินการครบ 16 ขั้นตอนของ SOP ขึ้นทะเบียนและเผยแพร่ผลงาน ส่งผลงานเข้าประกวด "
            "LIKE Talk Award",
            evaluation="ระดับความสำเร็จรอบ 5 เดือน 2 (เป้าหมาย 2) รอบ 10 เดือน 4 (เป้าหมาย 4) "
            "ดำเนินการครบทุกขั้นตอนเพื่อให้ได้ระดับ 5 ตามเป้าหมายรอบ 12 เดือน",
            lessons=tuple(Lesson(kind=kind, text=text) for kind, text in LESSONS),
        ),
    )


async def _approve(final: FinalReport, step: CycleStep) -> None:
    day = max(step.planned_due, clock.today())
    clock.walk_to(day)
    if (await CycleStep.get(id=step.id)).status != StepStatus.DONE:
        approved = await reports.approve_final_report(
            actor=await _actor("osd.head"), report_id=final.id, version=final.version, on=day
        )
        clock.walk_to(day + timedelta(days=7))
        await reports.record_final_doc(
            actor=await _actor("osd.m8"),
            report_id=final.id,
            version=approved.version,
            reference="สลก. 0301/2565-สรุปผล",
            reported_on=clock.today(),
        )
