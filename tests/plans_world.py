"""Plans for tests, made through the services: an action plan and a research/innovation plan
with activities, driven to the state a test needs."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from models.plan import Activity, Plan, PlanAction, PlanKind
from services import activities, plans
from services.actor import Actor
from services.plans import Decision
from tests.world import World

SUBMITTED_ON = date(2021, 10, 25)


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
    )
    for title in activity_titles or ("กิจกรรมแลกเปลี่ยนเรียนรู้",):
        await activities.create_activity(
            actor=actor(world, "SECRETARY"),
            plan_id=plan.id,
            data=activity_data(title, owners=[world.people["กนกานต์"].id]),
        )
    return await Plan.get(id=plan.id)


async def step(world: World, plan: Plan, action: PlanAction, who: str, **extra: object) -> Plan:
    return await plans.act(
        actor=actor(world, who),
        decision=Decision(
            plan_id=plan.id,
            action=action,
            version=plan.version,
            on=SUBMITTED_ON,
            **extra,  # type: ignore[arg-type]
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
        actor=actor(world, "SECRETARY"), plan_id=approved.id, version=approved.version, reason=None
    )
    return PlanSet(
        submitted=submitted,
        approved=await Plan.get(id=approved.id),
        revision=revision,
        approved_activity=await Activity.get(plan_id=approved.id),
        draft_activity=await Activity.get(plan_id=revision.id),
    )
