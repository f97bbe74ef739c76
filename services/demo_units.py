"""More demo units' cycles, at other KPI levels, so the managers' dashboard has something to
compare. The units are the LIKE Talk Award's (services/demo_contest.py):

| unit  | fiscal year | steps finished                  | level | reports                    |
|-------|-------------|---------------------------------|-------|----------------------------|
| HPC01 | 2565        | 1–14                            | 4     | M5 reported, M10 submitted |
| HPC05 | 2565        | 1–12 (step 10 skipped, reason)  | 3     | M5 submitted               |
| BHP   | 2565        | 1–8                             | 2     | M5 draft                   |
| PLAN  | 2565        | 1–2                             | 1     | –                          |
| OSD   | 2566        | 1–2                             | 1     | – (sees 2565's lessons)    |

Steps are finished on their planned due dates by the system, with a reason (the evidence is
kept in each unit).
"""

from datetime import date, timedelta

from models.cycle import Cycle, CycleStep
from models.kpi import ReportRound
from models.org import Unit
from services import cycles, reports
from services.actor import SYSTEM
from services.cycles import StepAction
from services.fiscal import FiscalYear

# unit code, fiscal year, start, last step finished, skipped steps, reports (round, stage)
UNITS: list[tuple[str, int, date, int, tuple[int, ...], tuple[tuple[ReportRound, str], ...]]] = [
    (
        "HPC01",
        2565,
        date(2021, 10, 12),
        14,
        (),
        ((ReportRound.M5, "REPORTED"), (ReportRound.M10, "SUBMITTED")),
    ),
    ("HPC05", 2565, date(2021, 10, 18), 12, (10,), ((ReportRound.M5, "SUBMITTED"),)),
    ("BHP", 2565, date(2021, 11, 1), 8, (), ((ReportRound.M5, "DRAFT"),)),
    ("PLAN", 2565, date(2021, 11, 15), 2, (), ()),
    ("OSD", 2566, date(2022, 10, 12), 2, (), ()),
]
REASON = "ดำเนินการแล้ว หลักฐานจัดเก็บที่หน่วยงาน"
SKIP_REASON = "ยังไม่มีผลงานพร้อมเผยแพร่ในปีนี้"


async def load_units() -> None:
    """Once per unit and year: when the unit exists and has no cycle for the year yet."""
    for code, year, start, last, skipped, rounds in UNITS:
        unit = await Unit.get_or_none(code=code)
        if unit is None or await Cycle.exists(unit_id=unit.id, fiscal_year=year):
            continue
        cycle = await cycles.create_cycle(
            actor=SYSTEM, unit_id=unit.id, fiscal_year=year, start_date=start
        )
        end = FiscalYear(year).end
        for step in await CycleStep.filter(cycle_id=cycle.id, no__lte=last).order_by("no"):
            skip = step.no in skipped
            await cycles.act_on_step(
                actor=SYSTEM,
                step_id=step.id,
                action=StepAction.SKIP if skip else StepAction.COMPLETE,
                override_missing_documents=not skip,
                reason=SKIP_REASON if skip else REASON,
                on=min(step.planned_due, end),
            )
        for round_, stage in rounds:
            report = await reports.create_progress_report(
                actor=SYSTEM, cycle_id=cycle.id, round_=round_
            )
            if stage == "DRAFT":
                continue
            submitted = report.period_end + timedelta(days=5)
            report = await reports.submit_progress_report(
                actor=SYSTEM, report_id=report.id, version=report.version, on=submitted
            )
            if stage == "REPORTED":
                await reports.record_doc(
                    actor=SYSTEM,
                    report_id=report.id,
                    version=report.version,
                    reference=f"{code}-{year}-{round_.value}",
                    reported_on=submitted + timedelta(days=3),
                )
