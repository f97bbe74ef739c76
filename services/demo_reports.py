"""Demo reports of the FY 2565 example (SOP steps 10, 11 and 14–16): the works published and the
LIKE Talk Award entered, the DOC 4.0 progress reports of M5, M10 and M12 submitted by the
secretary and reported with their DOC reference, and the final report with its lessons learned
approved by the unit head and reported in DOC 4.0 — the cycle reaches level 5."""

from datetime import date, timedelta
from decimal import Decimal

from models.cycle import Cycle, CycleStep, StepStatus
from models.kpi import ProgressReport, ReportRound
from models.user import User
from services import cycles, reports
from services.actor import SYSTEM, Actor
from services.cycles import StepAction
from services.reports import FinalText, Lesson, LessonKind, ProgressText

# (step, day finished, why the evidence is the data kept in LO Hub)
STEPS = [
    (10, date(2022, 7, 29), "เผยแพร่ผลงานผ่านเว็บไซต์ Facebook และ LINE และจัดเก็บในทะเบียนผลงานแล้ว"),
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
        5,
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
    """The unit has a cycle for the year, without progress reports yet."""
    cycle = await Cycle.get_or_none(unit__code=unit_code, fiscal_year=fiscal_year)
    return cycle is not None and not await ProgressReport.exists(cycle_id=cycle.id)


async def load_reports(unit_code: str, fiscal_year: int) -> None:
    """Once (see ``reports_missing``): steps 10, 11, 14–16 and the year's reports."""
    cycle = await Cycle.get(unit__code=unit_code, fiscal_year=fiscal_year)
    secretary, chair = await _actor("osd.m8"), await _actor("osd.m1")
    head = await _actor("osd.head")
    steps = {s.no: s for s in await CycleStep.filter(cycle_id=cycle.id)}
    for no, on, reason in STEPS:
        if steps[no].status not in cycles.FINISHED:
            await cycles.act_on_step(
                actor=SYSTEM,
                step_id=steps[no].id,
                action=StepAction.COMPLETE,
                override_missing_documents=True,
                reason=reason,
                on=on,
            )
    for round_, narrative, problems, suggestions, spent, submitted, reference, lag in ROUNDS:
        report = await reports.create_progress_report(
            actor=secretary,
            cycle_id=cycle.id,
            round_=round_,
            text=ProgressText(
                narrative=narrative,
                problems=problems,
                suggestions=suggestions,
                budget_spent=Decimal(spent),
            ),
        )
        on = submitted or steps[11].planned_due
        report = await reports.submit_progress_report(
            actor=chair, report_id=report.id, version=report.version, on=on
        )
        await reports.record_doc(
            actor=secretary,
            report_id=report.id,
            version=report.version,
            reference=reference,
            reported_on=on + timedelta(days=lag),
        )
        if round_ == ReportRound.M10:
            await _final_report(cycle, secretary, head, steps[16])


async def _final_report(cycle: Cycle, secretary: Actor, head: Actor, step: CycleStep) -> None:
    final = await reports.create_final_report(
        actor=secretary,
        cycle_id=cycle.id,
        text=FinalText(
            results="ดำเนินการครบ 16 ขั้นตอนของ SOP ขึ้นทะเบียนและเผยแพร่ผลงาน ส่งผลงานเข้าประกวด "
            "LIKE Talk Award",
            evaluation="ระดับความสำเร็จรอบ 5 เดือน 2 (เป้าหมาย 2) รอบ 10 เดือน 4 (เป้าหมาย 4) "
            "รอบ 12 เดือน 5 (เป้าหมาย 5): บรรลุเป้าหมายทุกรอบ",
            lessons=tuple(Lesson(kind=kind, text=text) for kind, text in LESSONS),
        ),
    )
    day = max(step.planned_due, date(2022, 8, 10))
    if (await CycleStep.get(id=step.id)).status != StepStatus.DONE:
        approved = await reports.approve_final_report(
            actor=head, report_id=final.id, version=final.version, on=day
        )
        await reports.record_final_doc(
            actor=secretary,
            report_id=final.id,
            version=approved.version,
            reference="สลก. 0301/2565-สรุปผล",
            reported_on=day + timedelta(days=7),
        )
