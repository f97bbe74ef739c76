"""Demo plans of the FY 2565 example (SOP steps 7–9, 11–14), on the story's clock: both plans
drafted by the committee, recommended on and approved by the unit head, progress reported at
each monthly meeting (whose minutes are step 11's document), the five-month review meeting and
the research/innovation plan's revision approved in March, and every activity of the plans in
force done by the end of July."""

from dataclasses import dataclass
from datetime import date

from models.cycle import Cycle, CycleStep, DocumentSlot
from models.meeting import MeetingKind
from models.org import Person, UnitRole
from models.plan import Activity, Plan, PlanAction, PlanKind, PlanStatus, Recommendation
from models.survey import GapRound, KnowledgeTopic, Measure
from models.user import User
from services import activities, clock, cycles, gap, meetings, plans, unit_roles
from services.actor import SYSTEM, Actor
from services.cycles import StepAction
from services.demo_files import attach_placeholder
from services.documents import AttachTo
from services.plans import Decision
from services.users import ensure_user

HEAD_USERNAME = "osd.head"


@dataclass(frozen=True)
class DemoActivity:
    title_th: str
    start: str
    end: str
    budget: str
    levers: tuple[str, ...]
    owners: tuple[int, ...]  # committee members, 1-based as in the SOP (m1 … m9)
    target_th: str
    weight: str = "1"
    # Progress at each of MONTH_ENDS (November to July); every activity is done by its end.
    progress: tuple[int, ...] = ()


# The last working day of each month the plans run, when the monthly meeting takes stock.
MONTH_ENDS = (
    date(2021, 11, 30),
    date(2021, 12, 30),
    date(2022, 1, 31),
    date(2022, 2, 28),
    date(2022, 3, 31),
    date(2022, 4, 29),
    date(2022, 5, 31),
    date(2022, 6, 30),
    date(2022, 7, 29),
)
FIVE_MONTHS_END = MONTH_ENDS[3]
ACTION_PLAN = [
    DemoActivity(
        "อบรมเชิงปฏิบัติการการจัดการความรู้ (KM) สำหรับบุคลากร",
        "2021-11",
        "2021-12",
        "25000",
        ("B",),
        (1, 2),
        "บุคลากรร้อยละ 80 ผ่านการอบรม",
        weight="2",
        progress=(40, 100),
    ),
    DemoActivity(
        "ชุมชนนักปฏิบัติ (CoP) แลกเปลี่ยนเรียนรู้ประจำเดือน",
        "2021-11",
        "2022-07",
        "12000",
        ("P", "A"),
        (8, 9),
        "จัดกิจกรรมแลกเปลี่ยนเรียนรู้ไม่น้อยกว่า 9 ครั้ง",
        progress=(10, 20, 30, 45, 55, 65, 75, 90, 100),
    ),
    DemoActivity(
        "คลังความรู้ออนไลน์บนเว็บไซต์หน่วยงาน",
        "2022-01",
        "2022-04",
        "8000",
        ("I",),
        (7,),
        "เผยแพร่องค์ความรู้ไม่น้อยกว่า 12 เรื่อง",
        progress=(0, 0, 15, 30, 60, 100),
    ),
]
RESEARCH_PLAN = [
    DemoActivity(
        "พัฒนานวัตกรรมระบบยืม-คืนหนังสือด้วย QR Code",
        "2021-12",
        "2022-05",
        "30000",
        ("I", "B"),
        (1, 9),
        "ระบบใช้งานได้จริง 1 ระบบ",
        weight="2",
        progress=(0, 10, 25, 40, 60, 80, 100),
    ),
    DemoActivity(
        "วิจัยความพึงพอใจของผู้รับบริการห้องสมุด",
        "2022-01",
        "2022-06",
        "10000",
        ("B",),
        (8,),
        "รายงานการวิจัย 1 เรื่อง",
        progress=(0, 0, 10, 20, 35, 50, 70, 85, 100),
    ),
]
# Added by the five-month review (step 13): the entry of step 15, from March.
CONTEST_ACTIVITY = DemoActivity(
    "ส่งผลงานนวัตกรรมเข้าประกวด LIKE Talk Award",
    "2022-03",
    "2022-07",
    "5000",
    ("A",),
    (7,),
    "ส่งผลงานเข้าประกวด 1 ผลงาน",
    progress=(0, 0, 0, 0, 20, 40, 60, 80, 100),
)


async def load_plans(
    cycle: Cycle, members: list[Person], accounts: list[Actor], password: str
) -> None:
    """Steps 7–9, on the story's clock through February. ``members`` and ``accounts`` are
    m1 … m9 in order; m1 chairs, m8 is secretary and m9 the assistant secretary, who requests
    the approval (step 8)."""
    steps = {s.no: s for s in await CycleStep.filter(cycle_id=cycle.id, no__in=[7, 8, 9, 11])}
    head = await unit_head(cycle.unit_id, password)
    secretary, assistant, recommender = accounts[7], accounts[8], accounts[1]
    clock.walk_to(steps[7].planned_start)
    made: list[tuple[Plan, list[tuple[Activity, DemoActivity]]]] = []
    for kind, title, owner, rows in (
        (
            PlanKind.ACTION_PLAN,
            "แผนปฏิบัติการเพื่อขับเคลื่อนหน่วยงานให้เป็นองค์กรแห่งการเรียนรู้ ปีงบประมาณ 2565",
            members[0],
            ACTION_PLAN,
        ),
        (
            PlanKind.RESEARCH_INNOVATION_PLAN,
            "แผนดำเนินการสร้างหรือพัฒนาผลงานวิจัย/นวัตกรรม ปีงบประมาณ 2565",
            members[7],
            RESEARCH_PLAN,
        ),
    ):
        plan = await plans.create_plan(
            actor=secretary,
            cycle_id=cycle.id,
            kind=kind,
            data=plans.PlanData(title_th=title, owner_id=owner.id),
            on=steps[7].planned_start,
        )
        pairs = [(await add_activity(cycle, plan, row, members, secretary), row) for row in rows]
        made.append((plan, pairs))
    clock.walk_to(steps[7].planned_due)
    submitted = [
        await decide(assistant, plan, PlanAction.SUBMIT, steps[7].planned_due) for plan, _ in made
    ]
    clock.walk_to(steps[8].planned_start)
    for plan in submitted:
        await plans.act(
            actor=recommender,
            decision=Decision(
                plan_id=plan.id,
                action=PlanAction.RECOMMEND,
                recommendation=Recommendation.APPROVE,
                comment="เห็นควรอนุมัติ กิจกรรมสอดคล้องกับผลการวิเคราะห์ GAP",
                on=steps[8].planned_start,
            ),
        )
    clock.walk_to(steps[8].planned_due)
    for plan in submitted:
        await decide(head, await Plan.get(id=plan.id), PlanAction.APPROVE, steps[8].planned_due)
    progressing = [pair for _, pairs in made for pair in pairs]
    for month, month_end in enumerate(MONTH_ENDS[:4]):
        await _month_end(cycle, steps[11], month, month_end, progressing, members, accounts)
    await cycles.act_on_step(
        actor=SYSTEM, step_id=steps[9].id, action=StepAction.COMPLETE, on=steps[9].planned_due
    )


async def carry_out_revised_plans(
    cycle: Cycle, members: list[Person], accounts: list[Actor]
) -> None:
    """Step 14: the plans in force (the action plan, revision 2 of the research plan) carried
    out month by month until every activity is done, by the end of July."""
    step = await CycleStep.get(cycle_id=cycle.id, no=11)
    in_force = await Plan.filter(cycle_id=cycle.id, status=PlanStatus.APPROVED).order_by("kind")
    rows = []
    for plan in in_force:
        for activity in await Activity.filter(plan_id=plan.id).order_by("position"):
            row = next(
                r
                for r in (*ACTION_PLAN, *RESEARCH_PLAN, CONTEST_ACTIVITY)
                if r.title_th == activity.title_th
            )
            rows.append((activity, row))
    for month in range(4, len(MONTH_ENDS)):
        await _month_end(cycle, step, month, MONTH_ENDS[month], rows, members, accounts)


async def unit_head(
    unit_id: int,
    password: str,
    username: str = HEAD_USERNAME,
    display_name: str = "ผู้อำนวยการสำนักงานเลขานุการกรม",
) -> Actor:
    """The unit's head, its approver."""
    await ensure_user(
        username=username, password=password, display_name=display_name, roles=frozenset()
    )
    head = await User.get(username=username)
    await unit_roles.grant(actor=SYSTEM, unit_id=unit_id, user_id=head.id, role=UnitRole.APPROVER)
    return Actor(user_id=head.id)


async def add_activity(
    cycle: Cycle, plan: Plan, row: DemoActivity, members: list[Person], actor: Actor
) -> Activity:
    measure = await Measure.filter(cycle_id=cycle.id).order_by("id").first()
    topic = await KnowledgeTopic.filter(cycle_id=cycle.id, status="SELECTED").order_by("id").first()
    return await activities.create_activity(
        actor=actor,
        plan_id=plan.id,
        data=activities.ActivityData.model_validate(
            {
                "title_th": row.title_th,
                "start_month": row.start,
                "end_month": row.end,
                "budget": row.budget,
                "weight": row.weight,
                "levers": list(row.levers),
                "target_th": row.target_th,
                "owner_ids": [members[n - 1].id for n in row.owners],
                "measure_id": measure.id if measure and "B" in row.levers else None,
                "knowledge_topic_id": topic.id if topic and "B" in row.levers else None,
            }
        ),
    )


async def decide(
    actor: Actor, plan: Plan, action: PlanAction, on: date, comment: str | None = None
) -> Plan:
    return await plans.act(
        actor=actor,
        decision=Decision(
            plan_id=plan.id, action=action, version=plan.version, comment=comment, on=on
        ),
    )


async def _month_end(
    cycle: Cycle,
    step: CycleStep,
    month: int,
    day: date,
    rows: list[tuple[Activity, DemoActivity]],
    members: list[Person],
    accounts: list[Actor],
) -> None:
    """The month's progress of each activity that moved, and the committee's monthly meeting,
    whose minutes are step 11's document."""
    clock.walk_to(day)
    for activity, row in rows:
        if month >= len(row.progress):
            continue
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
    label = f"{THAI_MONTHS[day.month - 1]} {day.year + 543}"
    meeting = await meetings.create_meeting(
        actor=SYSTEM,
        data=meetings.NewMeeting(
            cycle_id=cycle.id,
            kind=MeetingKind.MONTHLY,
            held_on=day,
            title_th=f"ประชุมคณะกรรมการขับเคลื่อนองค์กรแห่งการเรียนรู้ ประจำเดือน{label}",
            agenda=["ติดตามความก้าวหน้าการดำเนินงานตามแผน"],
            attendee_ids=[m.id for m in members],
            step_id=step.id,
        ),
    )
    # The minutes fill step 11's slot until the five-month report closes the step; later
    # ones stay with their meeting.
    slot = await DocumentSlot.filter(step_id=step.id).order_by("position").first()
    step = await CycleStep.get(id=step.id)
    target, target_id = (
        (AttachTo.SLOT, slot.id)
        if slot is not None and step.status not in cycles.FINISHED
        else (AttachTo.MEETING, meeting.id)
    )
    await attach_placeholder(target, target_id, f"รายงานการประชุมประจำเดือน{label}.pdf")


THAI_MONTHS = (
    "มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
    "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม",
)  # fmt: skip


async def review_and_revise(
    cycle: Cycle, members: list[Person], secretary: Actor, head: Actor
) -> None:
    """Step 12's meeting with its GAP review, then step 13: revision 2 of the research/innovation
    plan — the survey given a month and more budget, a LIKE Talk Award entry added — approved in
    March."""
    steps = {s.no: s for s in await CycleStep.filter(cycle_id=cycle.id, no__in=[12, 13])}
    clock.walk_to(steps[12].planned_due)
    for slot in await DocumentSlot.filter(step_id=steps[12].id):
        await attach_placeholder(AttachTo.SLOT, slot.id, f"{slot.name_th[:60]}.pdf")
    review = await meetings.create_meeting(
        actor=SYSTEM,
        data=meetings.NewMeeting(
            cycle_id=cycle.id,
            kind=MeetingKind.FIVE_MONTH_REVIEW,
            held_on=steps[12].planned_due,
            title_th="ประชุมคณะกรรมการ ทบทวนผลการดำเนินงานรอบ 5 เดือนแรก",
            agenda=["ผลการดำเนินงานตามแผน ต.ค. 64 – ก.พ. 65", "ทบทวนแผนวิจัย/นวัตกรรม"],
            decisions=["ขยายเวลาและงบประมาณงานวิจัยความพึงพอใจ", "ส่งผลงานเข้าประกวด LIKE Talk"],
            attendee_ids=[m.id for m in members],
            step_id=steps[12].id,
            completes_step=True,
        ),
    )
    # The meeting redoes the GAP analysis (step 12), kept beside the start of the year's.
    await gap.confirm(
        actor=SYSTEM, cycle_id=cycle.id, round=GapRound.FIVE_MONTH_REVIEW, meeting_id=review.id
    )
    clock.walk_to(steps[13].planned_start)
    research = await Plan.get(cycle_id=cycle.id, kind=PlanKind.RESEARCH_INNOVATION_PLAN)
    revision = await plans.revise(
        actor=secretary,
        plan_id=research.id,
        version=research.version,
        reason="ทบทวนแผนตามมติที่ประชุมรอบ 5 เดือน",
        on=steps[13].planned_start,
    )
    survey = await Activity.get(plan_id=revision.id, title_th=RESEARCH_PLAN[1].title_th)
    await activities.update_activity(
        actor=secretary,
        activity_id=survey.id,
        version=survey.version,
        changes={"end_month": "2022-07", "budget": "15000"},
    )
    await add_activity(cycle, revision, CONTEST_ACTIVITY, members, secretary)
    revision = await decide(secretary, revision, PlanAction.SUBMIT, steps[13].planned_start)
    clock.walk_to(steps[13].planned_due)
    await decide(head, revision, PlanAction.APPROVE, steps[13].planned_due, "อนุมัติแผนฉบับปรับปรุง")
