"""More demo units' cycles, at other KPI levels, so the managers' dashboard has something to
compare. The units are the LIKE Talk Award's (services/demo_contest.py):

| unit  | fiscal year | steps finished | level | reports                    |
|-------|-------------|----------------|-------|----------------------------|
| HPC01 | 2565        | 1–14           | 4     | M5 reported, M10 submitted |
| HPC05 | 2565        | 1–12           | 3     | M5 submitted               |
| BHP   | 2565        | 1–8            | 2     | M5 draft                   |
| PLAN  | 2565        | 1–2            | 1     | –                          |
| OSD   | 2566        | 1–2            | 1     | – (sees 2565's lessons)    |

Each is told on the story's clock from its cycle's start, as far as its last step, the way the
example unit's year is (services/demo.py): a committee appointed by an order whose signed file
is step 1's evidence, the planning meeting (step 2), the two surveys, the GAP analysis and the
measures (steps 3–6, services/demo_surveys.py), both plans approved by the unit's head (7–8),
their progress each month, the works the unit entered in the LIKE Talk Award registered (10),
the five-month report (11), review meeting (12) and plan revision (13), and every activity done
by the end of July (14). A step is finished on the day its evidence is there.
"""

from dataclasses import dataclass
from datetime import date

from models.committee import AppointmentOrder, CommitteeRole, Membership
from models.cycle import Cycle, CycleStep, DocumentSlot
from models.kpi import ReportRound
from models.meeting import MeetingKind
from models.org import Person, Unit
from models.plan import Activity, Plan, PlanAction, PlanKind
from models.survey import StakeholderGroup
from models.user import User
from services import activities, clock, committee, cycles, meetings, org, plans, reports
from services.actor import SYSTEM, Actor
from services.cycles import StepAction
from services.demo_files import attach_placeholder
from services.demo_plans import MONTH_ENDS, DemoActivity, add_activity, decide, unit_head
from services.demo_surveys import load_surveys
from services.documents import AttachTo
from services.users import ensure_user


@dataclass(frozen=True)
class UnitStory:
    code: str
    fiscal_year: int
    start: date
    last_step: int
    reports: tuple[tuple[ReportRound, str], ...] = ()  # (round, DRAFT/SUBMITTED/REPORTED)


UNITS = [
    UnitStory(
        "HPC01",
        2565,
        date(2021, 10, 12),
        14,
        ((ReportRound.M5, "REPORTED"), (ReportRound.M10, "SUBMITTED")),
    ),
    UnitStory("HPC05", 2565, date(2021, 10, 18), 12, ((ReportRound.M5, "SUBMITTED"),)),
    UnitStory("BHP", 2565, date(2021, 11, 1), 8, ((ReportRound.M5, "DRAFT"),)),
    UnitStory("PLAN", 2565, date(2021, 11, 15), 2),
    UnitStory("OSD", 2566, date(2022, 10, 12), 2),
]
# chair, secretary, assistant secretary, member: (title, first name, position)
COMMITTEE = [
    (CommitteeRole.CHAIR, "นาง", "ประธานคณะทำงาน", "ผู้อำนวยการ"),
    (CommitteeRole.SECRETARY, "นาย", "เลขานุการ", "นักวิเคราะห์นโยบายและแผน"),
    (CommitteeRole.ASSISTANT_SECRETARY, "นางสาว", "ผู้ช่วยเลขานุการ", "นักวิชาการสาธารณสุข"),
    (CommitteeRole.MEMBER, "นาย", "กรรมการ", "นักวิชาการคอมพิวเตอร์"),
]
# One activity a plan, done step by step at each of MONTH_ENDS (done by July).
PLANS = [
    (
        PlanKind.ACTION_PLAN,
        "แผนปฏิบัติการเพื่อขับเคลื่อนองค์กรแห่งการเรียนรู้",
        DemoActivity(
            "เวทีแลกเปลี่ยนเรียนรู้ประจำเดือน",
            "2021-11",
            "2022-07",
            "10000",
            ("P", "B"),
            (3,),
            "จัดเวทีไม่น้อยกว่า 9 ครั้ง",
            progress=(10, 20, 35, 45, 55, 70, 80, 90, 100),
        ),
    ),
    (
        PlanKind.RESEARCH_INNOVATION_PLAN,
        "แผนดำเนินการสร้างหรือพัฒนาผลงานวิจัย/นวัตกรรม",
        DemoActivity(
            "พัฒนานวัตกรรมบริการของหน่วยงาน",
            "2021-12",
            "2022-07",
            "20000",
            ("I",),
            (4,),
            "นวัตกรรม 1 ผลงาน",
            progress=(0, 10, 25, 40, 55, 70, 80, 90, 100),
        ),
    ),
]
# The units' stakeholders, fewer than the example unit's.
DIRECTORY = [
    (StakeholderGroup.SERVICE_RECIPIENT, "โรงพยาบาลส่งเสริมสุขภาพตำบลในเขตรับผิดชอบ", 4),
    (StakeholderGroup.PARTNER, "สำนักงานสาธารณสุขจังหวัด", 2),
]
WORKS_REGISTERED_REASON = "ขึ้นทะเบียนผลงานของหน่วยงานในทะเบียนผลงาน LO Hub แล้ว"
ACTIVITIES_DONE_REASON = "ดำเนินการตามแผนฉบับปรับปรุงครบทุกกิจกรรมแล้ว"
STEPS_DONE_BY = date(2022, 7, 29)


async def load_units(password: str) -> None:
    """Once per unit and year: when the unit exists and has no cycle for the year yet."""
    for story in UNITS:
        unit = await Unit.get_or_none(code=story.code)
        if unit is None or await Cycle.exists(unit_id=unit.id, fiscal_year=story.fiscal_year):
            continue
        with clock.story(story.start):
            await _tell(story, unit, password)


async def _tell(story: UnitStory, unit: Unit, password: str) -> None:
    members, accounts = await _committee(story, unit, password)
    cycle = await cycles.create_cycle(
        actor=SYSTEM, unit_id=unit.id, fiscal_year=story.fiscal_year, start_date=story.start
    )
    steps = {s.no: s for s in await CycleStep.filter(cycle_id=cycle.id)}
    await _with_evidence(steps[1])
    await cycles.act_on_step(
        actor=SYSTEM, step_id=steps[1].id, action=StepAction.COMPLETE, on=steps[1].planned_due
    )
    await _with_evidence(steps[2])
    await _meeting(cycle, steps[2], MeetingKind.PLANNING, "ประชุมกำหนดแนวทางวิเคราะห์ GAP", members)
    if story.last_step < 3:
        return
    await load_surveys(cycle, members, accounts, DIRECTORY)
    made = await _plans(cycle, steps, members, accounts, password)
    for month, day in enumerate(MONTH_ENDS[:4]):
        await _progress(made, month, day, accounts)
    if story.last_step >= 9:
        await cycles.act_on_step(
            actor=SYSTEM, step_id=steps[9].id, action=StepAction.COMPLETE, on=steps[9].planned_due
        )
    rounds = dict(story.reports)
    if ReportRound.M5 in rounds:
        clock.walk_to(steps[11].planned_due)
        await _report(cycle, ReportRound.M5, rounds[ReportRound.M5])
    if story.last_step >= 12:
        await _with_evidence(steps[12])
        await _meeting(
            cycle, steps[12], MeetingKind.FIVE_MONTH_REVIEW, "ทบทวนผลการดำเนินงานรอบ 5 เดือน", members
        )
    if story.last_step >= 13:
        made = await _revise(cycle, steps, accounts)
    if story.last_step >= 14:
        for month in range(4, len(MONTH_ENDS)):
            await _progress(made, month, MONTH_ENDS[month], accounts)
        await _finish(steps[14], ACTIVITIES_DONE_REASON)
    if story.last_step >= 10:
        await _finish(steps[10], WORKS_REGISTERED_REASON)
    if ReportRound.M10 in rounds:
        clock.walk_to(date(2022, 8, 5))
        await _report(cycle, ReportRound.M10, rounds[ReportRound.M10])


async def _committee(
    story: UnitStory, unit: Unit, password: str
) -> tuple[list[Person], list[Actor]]:
    """The unit's committee: its current order's, or one appointed on the cycle's first day
    (with accounts when the unit goes on to the staff survey)."""
    current = await AppointmentOrder.filter(unit_id=unit.id).order_by("-order_date").first()
    if current is not None:
        memberships = await Membership.filter(order_id=current.id).order_by("seat")
        people = [await Person.get(id=m.person_id) for m in memberships]
        return people, [Actor(user_id=p.user_id) for p in people if p.user_id]
    people, accounts, seats = [], [], []
    for number, (role, title, first, position) in enumerate(COMMITTEE, start=1):
        user_id = None
        if story.last_step >= 3:
            username = f"{unit.code.lower()}.m{number}"
            await ensure_user(
                username=username,
                password=password,
                display_name=f"{first} {unit.code}",
                roles=frozenset(),
            )
            user_id = (await User.get(username=username)).id
            accounts.append(Actor(user_id=user_id))
        person = await org.create_person(
            actor=SYSTEM,
            data=org.PersonData(
                unit_id=unit.id,
                title_th=title,
                first_name_th=first,
                last_name_th=unit.code,
                position_th=position,
                user_id=user_id,
            ),
        )
        people.append(person)
        seats.append(committee.Seat(person_id=person.id, role=role))
    order = await committee.create_order(
        actor=SYSTEM,
        data=committee.NewOrder(
            unit_id=unit.id,
            number=f"{story.start.day}/{story.fiscal_year - 1}",
            order_date=story.start,
            subject_th=f"แต่งตั้งคณะทำงานขับเคลื่อนองค์กรแห่งการเรียนรู้ของ{unit.name_th}",
            issuer_th=f"ผู้อำนวยการ{unit.name_th}",
            members=seats,
        ),
    )
    await attach_placeholder(AttachTo.ORDER, order.id, f"คำสั่ง-{order.number}.pdf")
    return people, accounts


async def _with_evidence(step: CycleStep) -> None:
    """On the step's last day, its documents in their slots."""
    clock.walk_to(step.planned_due)
    for slot in await DocumentSlot.filter(step_id=step.id):
        await attach_placeholder(AttachTo.SLOT, slot.id, f"{slot.name_th[:60]}.pdf")


async def _meeting(
    cycle: Cycle, step: CycleStep, kind: MeetingKind, title: str, members: list[Person]
) -> None:
    await meetings.create_meeting(
        actor=SYSTEM,
        data=meetings.NewMeeting(
            cycle_id=cycle.id,
            kind=kind,
            held_on=step.planned_due,
            title_th=title,
            attendee_ids=[m.id for m in members],
            step_id=step.id,
            completes_step=True,
        ),
    )


async def _plans(
    cycle: Cycle,
    steps: dict[int, CycleStep],
    members: list[Person],
    accounts: list[Actor],
    password: str,
) -> list[tuple[Activity, DemoActivity]]:
    """Steps 7–8: both plans drafted by the secretary, approved by the unit's head."""
    unit = await Unit.get(id=cycle.unit_id)
    head = await unit_head(
        unit.id, password, f"{unit.code.lower()}.head", f"ผู้อำนวยการ{unit.name_th}"
    )
    secretary = accounts[1]
    clock.walk_to(steps[7].planned_start)
    made, drafted = [], []
    for kind, title, row in PLANS:
        plan = await plans.create_plan(
            actor=secretary,
            cycle_id=cycle.id,
            kind=kind,
            data=plans.PlanData(title_th=f"{title} ปีงบประมาณ {cycle.fiscal_year}"),
            on=steps[7].planned_start,
        )
        made.append((await add_activity(cycle, plan, row, members, secretary), row))
        drafted.append(plan)
    clock.walk_to(steps[7].planned_due)
    submitted = [
        await decide(secretary, plan, PlanAction.SUBMIT, steps[7].planned_due) for plan in drafted
    ]
    clock.walk_to(steps[8].planned_due)
    for plan in submitted:
        await decide(head, plan, PlanAction.APPROVE, steps[8].planned_due, "อนุมัติ")
    return made


async def _revise(
    cycle: Cycle, steps: dict[int, CycleStep], accounts: list[Actor]
) -> list[tuple[Activity, DemoActivity]]:
    """Step 13: revision 2 of the research plan (its activities as they were), approved."""
    clock.walk_to(steps[13].planned_start)
    research = await Plan.get(cycle_id=cycle.id, kind=PlanKind.RESEARCH_INNOVATION_PLAN)
    revision = await plans.revise(
        actor=accounts[1],
        plan_id=research.id,
        version=research.version,
        reason="ทบทวนแผนตามมติที่ประชุมรอบ 5 เดือน",
        on=steps[13].planned_start,
    )
    revision = await decide(accounts[1], revision, PlanAction.SUBMIT, steps[13].planned_start)
    clock.walk_to(steps[13].planned_due)
    unit = await Unit.get(id=cycle.unit_id)
    head = await User.get(username=f"{unit.code.lower()}.head")
    await decide(Actor(user_id=head.id), revision, PlanAction.APPROVE, steps[13].planned_due)
    in_force = await Activity.filter(plan__cycle_id=cycle.id, plan__status="APPROVED").order_by(
        "plan_id", "position"
    )
    rows = {row.title_th: row for _, _, row in PLANS}
    return [(activity, rows[activity.title_th]) for activity in in_force]


async def _progress(
    made: list[tuple[Activity, DemoActivity]], month: int, day: date, accounts: list[Actor]
) -> None:
    clock.walk_to(day)
    for activity, row in made:
        percent, previous = row.progress[month], row.progress[month - 1] if month else 0
        if percent > previous:
            await activities.report_progress(
                actor=accounts[row.owners[0] - 1],
                data=activities.ProgressData(
                    activity_id=activity.id,
                    percent=percent,
                    on=day,
                    narrative=f"ดำเนินการแล้วร้อยละ {percent}",
                ),
            )


async def _finish(step: CycleStep, reason: str) -> None:
    """A step whose evidence is the data kept in LO Hub (the reason says which)."""
    clock.walk_to(STEPS_DONE_BY)
    await cycles.act_on_step(
        actor=SYSTEM,
        step_id=step.id,
        action=StepAction.COMPLETE,
        override_missing_documents=True,
        reason=reason,
        on=STEPS_DONE_BY,
    )


async def _report(cycle: Cycle, round_: ReportRound, stage: str) -> None:
    """The round's report, after the round (submitted and entered in DOC 4.0 the same day
    unless a draft)."""
    report = await reports.create_progress_report(actor=SYSTEM, cycle_id=cycle.id, round_=round_)
    if stage == "DRAFT":
        return
    report = await reports.submit_progress_report(
        actor=SYSTEM, report_id=report.id, version=report.version
    )
    if stage == "REPORTED":
        unit = await Unit.get(id=cycle.unit_id)
        await reports.record_doc(
            actor=SYSTEM,
            report_id=report.id,
            version=report.version,
            reference=f"{unit.code}-{cycle.fiscal_year}-{round_.value}",
            reported_on=clock.today(),
        )
