"""Plans for tests, made through the services: an action plan and a research/innovation plan
with activities, driven to the state a test needs."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from models.plan import Activity, Plan, PlanAction, PlanKind, PlanStatus
from services import activities, cycles, plans
from services.actor import SYSTEM, Actor
from services.plans import Decision
from tests.world import World, make_unit_with_committee

DRAFTED_ON = date(2021, 10, 22)
SUBMITTED_ON = date(2021, 10, 25)
REVISED_ON = date(2022, 2, 28)


def actor(world: World, who: str) -> Actor:
    return Actor(user_id=world.users[who].id)


def activity_data(
    title: str, *, owners: list[int], start: str = "2021-11", end: str = "2022-02", **extra: object
) -> activities.ActivityData:
    return activities.ActivityData.model_validate(
        {
            "title_th": title,
            "start_month": start,
            "end_month": end,
            "budget": Decimal("15000.00"),
            "owner_ids": owners,
            **extra,
        }
    )


async def draft_plan(
    world: World, kind: PlanKind = PlanKind.ACTION_PLAN, *, activity_titles: tuple[str, ...] = ()
) -> Plan:
    assert world.cycle
    plan = await plans.create_plan(
        actor=actor(world, "SECRETARY"),
        cycle_id=world.cycle.id,
        kind=kind,
        data=plans.PlanData(title_th=f"แผน {kind.value}", owner_id=world.people["พิกุล"].id),
        on=DRAFTED_ON,
    )
    for title in activity_titles or ("กิจกรรมแลกเปลี่ยนเรียนรู้",):
        await activities.create_activity(
            actor=actor(world, "SECRETARY"),
            plan_id=plan.id,
            data=activity_data(title, owners=[world.people["กนกานต์"].id]),
        )
    return await Plan.get(id=plan.id)


async def step(
    world: World,
    plan: Plan,
    action: PlanAction,
    who: str,
    *,
    on: date = SUBMITTED_ON,
    comment: str | None = None,
) -> Plan:
    return await plans.act(
        actor=actor(world, who),
        decision=Decision(
            plan_id=plan.id, action=action, version=plan.version, on=on, comment=comment
        ),
    )


async def approved_plan(world: World, kind: PlanKind = PlanKind.ACTION_PLAN) -> Plan:
    plan = await draft_plan(world, kind)
    plan = await step(world, plan, PlanAction.SUBMIT, "SECRETARY")
    return await step(world, plan, PlanAction.APPROVE, "APPROVER")


@dataclass
class PlanSet:
    """An action plan SUBMITTED, and a research/innovation plan APPROVED in revision 1 with its
    revision 2 in DRAFT; every activity is owned by the member กนกานต์."""

    submitted: Plan
    approved: Plan
    revision: Plan
    approved_activity: Activity
    draft_activity: Activity


async def make_plans(world: World) -> PlanSet:
    submitted = await step(world, await draft_plan(world), PlanAction.SUBMIT, "SECRETARY")
    approved = await approved_plan(world, PlanKind.RESEARCH_INNOVATION_PLAN)
    revision = await plans.revise(
        actor=actor(world, "SECRETARY"),
        plan_id=approved.id,
        version=approved.version,
        reason="ทบทวนรอบ 5 เดือน",
        on=REVISED_ON,
    )
    return PlanSet(
        submitted=submitted,
        approved=await Plan.get(id=approved.id),
        revision=revision,
        approved_activity=await Activity.get(plan_id=approved.id),
        draft_activity=await Activity.get(plan_id=revision.id),
    )


async def units_with_plans(count: int, *, activities_each: int = 1, start: int = 0) -> None:
    """``count`` units, each with a committee, a FY 2565 cycle and both plans approved, every
    activity owned and reported on, and the research plan's revision 2 in draft: for
    query-count tests."""
    for n in range(start, start + count):
        unit, chair, secretary = await make_unit_with_committee(f"P{n}", n)
        cycle = await cycles.create_cycle(
            actor=SYSTEM, unit_id=unit.id, fiscal_year=2565, start_date=date(2021, 10, 12)
        )
        for kind in PlanKind:
            plan = await plans.create_plan(
                actor=SYSTEM,
                cycle_id=cycle.id,
                kind=kind,
                data=plans.PlanData(title_th=f"แผน {n}", owner_id=chair.id),
            )
            for a in range(activities_each):
                activity = await activities.create_activity(
                    actor=SYSTEM,
                    plan_id=plan.id,
                    data=activity_data(f"กิจกรรม {a}", owners=[chair.id, secretary.id]),
                )
                await Plan.filter(id=plan.id).update(status=PlanStatus.APPROVED)
                await activities.report_progress(
                    actor=SYSTEM,
                    data=activities.ProgressData(
                        activity_id=activity.id, percent=10 * a, on=date(2021, 12, 1)
                    ),
                )
                await Plan.filter(id=plan.id).update(status=PlanStatus.DRAFT)
            await Plan.filter(id=plan.id).update(status=PlanStatus.APPROVED)
        # The research plan under revision, so lists show revisions and their changes.
        await plans.revise(actor=SYSTEM, plan_id=plan.id, version=None, reason="ทบทวน")
