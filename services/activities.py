"""Activities of a plan and their progress reports (SOP steps 9 and 14).

Activities change with their plan: only while it is DRAFT or RETURNED, by committee members
(see ``services.plans``). Progress is reported on the activities of the plan in force — the APPROVED
revision — by the activity's owners or the unit's chair or secretary; the history of an
activity is every report of its lineage, across revisions. A report dated inside step 9's or step
14's period starts that step if it has not started.
"""

import dataclasses
import re
import uuid
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from models.committee import Membership
from models.cycle import Cycle, CycleStep, StepStatus
from models.org import Person
from models.plan import (
    Activity,
    ActivityOwner,
    ActivityProgressReport,
    ActivityStatus,
    Plan,
    PlanStatus,
)
from models.survey import KnowledgeTopic, Measure
from services import audit, clock, notifications, plan_figures
from services.actor import SYSTEM, Actor
from services.cycles import StepAction, transition
from services.errors import (
    DomainError,
    ErrorCode,
    ForbiddenReason,
    Problem,
    check_version,
    not_found,
    validated,
)
from services.fiscal import FiscalYear
from services.knowledge import unknown_levers
from services.permissions import LEADS, Standing, readable_by_anyone_signed_in, standing_in_unit
from services.plans import LongText, OptionalTitle, Title, editable_plan

EXECUTION_STEPS = (9, 14)
CENT = Decimal("0.01")
MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])")


class ActivityData(BaseModel):
    model_config = ConfigDict(frozen=True)
    title_th: Title
    title_en: OptionalTitle | None = None
    objective_th: LongText = ""
    measure_id: int | None = None
    knowledge_topic_id: int | None = None
    levers: list[Annotated[str, StringConstraints(strip_whitespace=True, to_upper=True)]] = []
    start_month: date
    end_month: date
    budget: Decimal = Field(default=Decimal(0), ge=0, max_digits=14, decimal_places=2)
    target_th: LongText = ""
    weight: Decimal = Field(default=Decimal(1), gt=0, max_digits=7, decimal_places=2)
    owner_ids: list[int] = []

    @field_validator("budget", "weight")
    @classmethod
    def _cents(cls, value: Decimal) -> Decimal:
        return value.quantize(CENT)

    @field_validator("start_month", "end_month", mode="before")
    @classmethod
    def _month(cls, value: object) -> object:
        """``YYYY-MM`` (or a date) as the first day of that month."""
        if isinstance(value, date):
            return value.replace(day=1)
        text = str(value).strip()
        if not MONTH.fullmatch(text):
            raise ValueError("a month is written YYYY-MM, e.g. 2021-10")
        return date(int(text[:4]), int(text[5:7]), 1)


class ProgressData(BaseModel):
    model_config = ConfigDict(frozen=True)
    activity_id: int
    percent: int = Field(ge=0, le=100)
    narrative: LongText = ""
    on: date
    status: ActivityStatus | None = None


async def create_activity(*, actor: Actor, plan_id: int, data: ActivityData) -> Activity:
    async with in_transaction() as connection:
        plan, _ = await editable_plan(actor, plan_id, connection)
        await _check(plan, data, connection)
        position = await Activity.filter(plan_id=plan.id).using_db(connection).count() + 1
        fields = data.model_dump(exclude={"owner_ids"})
        activity = await Activity.create(
            plan_id=plan.id, lineage=uuid.uuid4(), position=position, **fields, using_db=connection
        )
        await _set_owners(activity, data.owner_ids, connection)
        await _audit(actor, "activity.create", activity, None, data, connection)
    return activity


async def update_activity(
    *, actor: Actor, activity_id: int, version: int, changes: dict[str, Any]
) -> Activity:
    """Change the given fields (by name; ``owner_ids`` replaces the owners)."""
    activity = await _activity(activity_id)
    async with in_transaction() as connection:
        plan, _ = await editable_plan(actor, activity.plan_id, connection)
        activity = await Activity.get(id=activity.id, using_db=connection)  # as of the lock
        check_version(activity.version, version)
        owners = await _owner_ids(activity, connection)
        before = _data_of(activity, owners)
        data = validated(ActivityData, {**before, **changes})
        await _check(plan, data, connection)
        for name, value in data.model_dump(exclude={"owner_ids"}).items():
            setattr(activity, name, value)
        activity.version += 1
        await activity.save(using_db=connection)
        await _set_owners(activity, data.owner_ids, connection)
        await _audit(actor, "activity.update", activity, before, data, connection)
    return activity


async def delete_activity(*, actor: Actor, activity_id: int, version: int) -> Plan:
    """Remove an activity from a DRAFT or RETURNED plan; returns the plan."""
    activity = await _activity(activity_id)
    async with in_transaction() as connection:
        plan, _ = await editable_plan(actor, activity.plan_id, connection)
        check_version(activity.version, version)
        before = _data_of(activity, await _owner_ids(activity, connection))
        await activity.delete(using_db=connection)
        await audit.record(
            actor=actor,
            action="activity.delete",
            object_type="Activity",
            object_id=activity.id,
            before=_jsonable(before),
            connection=connection,
        )
    return plan


async def report_progress(*, actor: Actor, data: ProgressData) -> ActivityProgressReport:
    activity = await _activity(data.activity_id)
    plan = await Plan.get(id=activity.plan_id)
    cycle = await Cycle.get(id=plan.cycle_id)
    standing = await standing_in_unit(actor, cycle.unit_id)
    if not may_report(standing, await _owner_ids(activity)):
        raise standing.refusal(ForbiddenReason.ACTIVITY_OWNER_REQUIRED)
    if not in_force(plan):
        raise DomainError.of(ErrorCode.INVALID_TRANSITION, "plan_not_in_force", field=("activity",))
    _check_progress(data, cycle)
    status = data.status or plan_figures.derived_status(
        data.percent, activity.start_month, activity.end_month, data.on
    )
    async with in_transaction() as connection:
        report = await ActivityProgressReport.create(
            activity_id=activity.id,
            lineage=activity.lineage,
            percent=data.percent,
            status=status,
            status_set=data.status is not None,
            narrative=data.narrative,
            reported_on=data.on,
            reported_by_id=actor.user_id,
            using_db=connection,
        )
        await audit.record(
            actor=actor,
            action="activity.progress",
            object_type="Activity",
            object_id=activity.id,
            after={"percent": data.percent, "status": status.value, "on": data.on.isoformat()},
            connection=connection,
        )
        if status in (ActivityStatus.AT_RISK, ActivityStatus.DELAYED):
            await notifications.notify(
                await _lead_users(cycle.unit_id, connection),
                message_key="activity_behind_notice",
                subject_type="Activity",
                subject_id=activity.id,
                connection=connection,
                exclude=actor.user_id,
                title=activity.title_th,
                percent=data.percent,
            )
        await _start_execution_step(actor, cycle, data.on, connection)
    return report


def in_force(plan: Plan) -> bool:
    """Progress is reported only against an approved plan."""
    return plan.status == PlanStatus.APPROVED


def may_report(standing: Standing, owner_ids: Iterable[int]) -> bool:
    """Owners report their activity's progress; the chair and secretary may for anyone."""
    return standing.is_lead or bool(standing.person_ids & set(owner_ids))


def _check_progress(data: ProgressData, cycle: Cycle) -> None:
    year = FiscalYear(cycle.fiscal_year)
    problems = []
    if data.on > clock.today():
        problems.append(Problem(ErrorCode.INVALID_INPUT, "date_in_future", ("on",)))
    elif not year.contains(data.on):
        problems.append(
            Problem(
                ErrorCode.INVALID_INPUT,
                "outside_fiscal_year",
                ("on",),
                {"day": data.on.isoformat(), "year": year.be},
            )
        )
    if (data.status == ActivityStatus.DONE) != (data.percent == 100) and data.status is not None:
        problems.append(Problem(ErrorCode.INVALID_INPUT, "done_means_complete", ("status",)))
    if problems:
        raise DomainError(*problems)


async def _check(plan: Plan, data: ActivityData, connection: BaseDBAsyncClient) -> None:
    cycle = await Cycle.get(id=plan.cycle_id, using_db=connection)
    year = FiscalYear(cycle.fiscal_year)
    problems = await unknown_levers(data.levers)
    for name, month in (("startMonth", data.start_month), ("endMonth", data.end_month)):
        if not year.contains(month):
            problems.append(
                Problem(
                    ErrorCode.INVALID_INPUT,
                    "month_outside_fiscal_year",
                    (name,),
                    {"month": month.isoformat()[:7], "year": year.be},
                )
            )
    if data.end_month < data.start_month:
        problems.append(Problem(ErrorCode.INVALID_INPUT, "end_before_start", ("endMonth",)))
    if data.measure_id is not None and not await Measure.exists(
        id=data.measure_id, cycle_id=cycle.id
    ):
        problems.append(Problem(ErrorCode.INVALID_INPUT, "not_of_cycle", ("measure",)))
    if data.knowledge_topic_id is not None and not await KnowledgeTopic.exists(
        id=data.knowledge_topic_id, cycle_id=cycle.id
    ):
        problems.append(Problem(ErrorCode.INVALID_INPUT, "not_of_cycle", ("knowledgeTopic",)))
    owners = set(data.owner_ids)
    if len(owners) != len(data.owner_ids) or await Person.filter(
        id__in=owners, unit_id=cycle.unit_id
    ).count() != len(owners):
        problems.append(Problem(ErrorCode.INVALID_INPUT, "owners_of_unit", ("owners",)))
    if problems:
        raise DomainError(*problems)


async def _start_execution_step(
    actor: Actor, cycle: Cycle, on: date, connection: BaseDBAsyncClient
) -> None:
    """Work reported inside step 9's or 14's period means the step is under way."""
    step = (
        await CycleStep.filter(
            cycle_id=cycle.id,
            no__in=EXECUTION_STEPS,
            status=StepStatus.NOT_STARTED,
            planned_start__lte=on,
            planned_due__gte=on,
        )
        .select_for_update()
        .using_db(connection)
        .first()
    )
    if step is not None:
        await transition(
            actor=dataclasses.replace(SYSTEM, request_id=actor.request_id),
            step=step,
            action=StepAction.START,
            on=on,
            connection=connection,
        )


async def _lead_users(unit_id: int, connection: BaseDBAsyncClient) -> list[int | None]:
    rows = (
        await Membership.filter(
            order__unit_id=unit_id, order__superseded_by_id__isnull=True, role__in=LEADS
        )
        .using_db(connection)
        .values_list("person__user_id", flat=True)
    )
    return list(rows)  # type: ignore[arg-type]


async def _set_owners(
    activity: Activity, owner_ids: list[int], connection: BaseDBAsyncClient
) -> None:
    await ActivityOwner.filter(activity_id=activity.id).using_db(connection).delete()
    await ActivityOwner.bulk_create(
        [ActivityOwner(activity_id=activity.id, person_id=p) for p in owner_ids],
        using_db=connection,
    )


async def _owner_ids(activity: Activity, connection: BaseDBAsyncClient | None = None) -> list[int]:
    rows = (
        await ActivityOwner.filter(activity_id=activity.id)
        .using_db(connection)
        .order_by("id")
        .values_list("person_id", flat=True)
    )
    return list(rows)  # type: ignore[arg-type]


def _data_of(activity: Activity, owner_ids: list[int]) -> dict[str, Any]:
    return {name: getattr(activity, name) for name in plan_figures.ACTIVITY_FIELDS} | {
        "owner_ids": owner_ids
    }


async def _audit(
    actor: Actor,
    action: str,
    activity: Activity,
    before: dict[str, Any] | None,
    data: ActivityData,
    connection: BaseDBAsyncClient,
) -> None:
    await audit.record(
        actor=actor,
        action=action,
        object_type="Activity",
        object_id=activity.id,
        before=_jsonable(before) if before else None,
        after=data.model_dump(mode="json") | {"version": activity.version},
        connection=connection,
    )


def _jsonable(data: dict[str, Any]) -> dict[str, Any]:
    return ActivityData.model_construct(**data).model_dump(mode="json")


async def _activity(activity_id: int) -> Activity:
    activity = await Activity.get_or_none(id=activity_id)
    if activity is None:
        raise not_found("id", "กิจกรรม", "Activity")
    return activity


# -- read rules -----------------------------------------------------------------------------------


def visible_activities(actor: Actor) -> QuerySet[Activity]:
    """Activities of plans: anyone signed in, as their plan."""
    return readable_by_anyone_signed_in(actor, Activity.all())


def visible_activity_reports(actor: Actor) -> QuerySet[ActivityProgressReport]:
    """Progress updates of activities: anyone signed in, as their plan."""
    return readable_by_anyone_signed_in(actor, ActivityProgressReport.all())
