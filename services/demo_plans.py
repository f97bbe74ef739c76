"""Demo plans of the FY 2565 example (SOP steps 7–9, 12–14): both plans drafted by the committee,
recommended on and approved by the unit head, progress reported monthly through February, the
five-month review meeting and the research/innovation plan's revision approved in March."""

from dataclasses import dataclass
from datetime import date

from models.cycle import Cycle, CycleStep, DocumentSlot
from models.meeting import MeetingKind
from models.org import Person, UnitRole
from models.plan import Activity, Plan, PlanAction, PlanKind, Recommendation
from models.survey import KnowledgeTopic, Measure
from models.user import User
from services import activities, cycles, meetings, plans, unit_roles
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
    # Progress at the end of November, December, January and February.
    progress: tuple[int, int, int, int] = (0, 0, 0, 0)


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
        progress=(40, 100, 100, 100),
    ),
    DemoActivity(
        "ชุมชนนักปฏิบัติ (CoP) แลกเปลี่ยนเรียนรู้ประจำเดือน",
        "2021-11",
        "2022-07",
        "12000",
        ("P", "A"),
        (8, 9),
        "จัดกิจกรรมแลกเปลี่ยนเรียนรู้ไม่น้อยกว่า 9 ครั้ง",
        progress=(10, 20, 30, 45),
    ),
    DemoActivity(
        "คลังความรู้ออนไลน์บนเว็บไซต์หน่วยงาน",
        "2022-01",
        "2022-04",
        "8000",
        ("I",),
        (7,),
        "เผยแพร่องค์ความรู้ไม่น้อยกว่า 12 เรื่อง",
        progress=(0, 0, 15, 30),
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
        progress=(0, 10, 25, 40),
    ),
    DemoActivity(
        "วิจัยความพึงพอใจของผู้รับบริการห้องสมุด",
        "2022-01",
        "2022-06",
        "10000",
        ("B",),
        (8,),
        "รายงานการวิจัย 1 เรื่อง",
        progress=(0, 0, 10, 20),
    ),
]
MONTH_ENDS = (date(2021, 11, 30), date(2021, 12, 30), date(2022, 1, 31), date(2022, 2, 28))


async def load_plans(
    cycle: Cycle, members: list[Person], accounts: list[Actor], password: str
) -> None:
    """``members`` and ``accounts`` are m1 … m9 in order; m1 chairs and m8 is secretary."""
    steps = {s.no: s for s in await CycleStep.filter(cycle_id=cycle.id, no__in=[7, 8, 12, 13])}
    head = await _unit_head(cycle.unit_id, password)
    secretary, recommender = accounts[7], accounts[1]
    made = {}
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
        made[kind] = [await _activity(cycle, plan, row, members, secretary) for row in rows]
        plan = await _decide(secretary, plan, PlanAction.SUBMIT, steps[7].planned_due)
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
        await _decide(head, plan, PlanAction.APPROVE, steps[8].planned_due, "อนุมัติ")
    for kind, rows in (
        (PlanKind.ACTION_PLAN, ACTION_PLAN),
        (PlanKind.RESEARCH_INNOVATION_PLAN, RESEARCH_PLAN),
    ):
        for activity, row in zip(made[kind], rows, strict=True):
            await _report_monthly(activity, row, accounts)
    nine = await CycleStep.get(cycle_id=cycle.id, no=9)
    await cycles.act_on_step(
        actor=SYSTEM, step_id=nine.id, action=StepAction.COMPLETE, on=nine.planned_due
    )
    await _five_month_review(cycle, steps, members, secretary, head, made)
    # Work goes on under the revised plans: March's first report starts step 14.
    await activities.report_progress(
        actor=accounts[7],
        data=activities.ProgressData(
            activity_id=made[PlanKind.ACTION_PLAN][1].id,
            percent=55,
            on=date(2022, 3, 31),
            narrative="จัดกิจกรรม CoP ครั้งที่ 5 หัวข้อการเขียนผลงานนวัตกรรม",
        ),
    )


async def _unit_head(unit_id: int, password: str) -> Actor:
    await ensure_user(
        username=HEAD_USERNAME,
        password=password,
        display_name="ผู้อำนวยการสำนักงานเลขานุการกรม",
        roles=frozenset(),
    )
    head = await User.get(username=HEAD_USERNAME)
    await unit_roles.grant(actor=SYSTEM, unit_id=unit_id, user_id=head.id, role=UnitRole.APPROVER)
    return Actor(user_id=head.id)


async def _activity(
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


async def _decide(
    actor: Actor, plan: Plan, action: PlanAction, on: date, comment: str | None = None
) -> Plan:
    return await plans.act(
        actor=actor,
        decision=Decision(
            plan_id=plan.id, action=action, version=plan.version, comment=comment, on=on
        ),
    )


async def _report_monthly(activity: Activity, row: DemoActivity, accounts: list[Actor]) -> None:
    reporter = accounts[row.owners[0] - 1]
    previous = -1
    for month_end, percent in zip(MONTH_ENDS, row.progress, strict=True):
        if percent == previous or (percent == 0 and previous <= 0):
            continue
        await activities.report_progress(
            actor=reporter,
            data=activities.ProgressData(
                activity_id=activity.id,
                percent=percent,
                on=month_end,
                narrative=f"ดำเนินการแล้วร้อยละ {percent}",
            ),
        )
        previous = percent


async def _five_month_review(
    cycle: Cycle,
    steps: dict[int, CycleStep],
    members: list[Person],
    secretary: Actor,
    head: Actor,
    made: dict[PlanKind, list[Activity]],
) -> None:
    """Step 12's meeting, then step 13: revision 2 of the research/innovation plan — the
    survey extended and given more budget, a LIKE Talk Award entry added — approved in March."""
    for slot in await DocumentSlot.filter(step_id=steps[12].id):
        await attach_placeholder(AttachTo.SLOT, slot.id, f"{slot.name_th[:60]}.pdf")
    await meetings.create_meeting(
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
    research = await Plan.get(cycle_id=cycle.id, kind=PlanKind.RESEARCH_INNOVATION_PLAN)
    revision = await plans.revise(
        actor=secretary,
        plan_id=research.id,
        version=research.version,
        reason="ทบทวนแผนตามมติที่ประชุมรอบ 5 เดือน",
        on=steps[13].planned_start,
    )
    survey = await Activity.get(
        plan_id=revision.id, lineage=made[PlanKind.RESEARCH_INNOVATION_PLAN][1].lineage
    )
    await activities.update_activity(
        actor=secretary,
        activity_id=survey.id,
        version=survey.version,
        changes={"end_month": "2022-08", "budget": "15000"},
    )
    await _activity(
        cycle,
        revision,
        DemoActivity(
            "ส่งผลงานนวัตกรรมเข้าประกวด LIKE Talk Award",
            "2022-03",
            "2022-07",
            "5000",
            ("A",),
            (7,),
            "ส่งผลงานเข้าประกวด 1 ผลงาน",
        ),
        members,
        secretary,
    )
    revision = await _decide(secretary, revision, PlanAction.SUBMIT, steps[13].planned_start)
    await _decide(head, revision, PlanAction.APPROVE, steps[13].planned_due, "อนุมัติแผนฉบับปรับปรุง")
