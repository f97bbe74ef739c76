"""Cycles (one unit, fiscal year and indicator) and the life of their steps.

Step transitions — state, action, next state, who:

| from                     | action   | to          | who                               |
|--------------------------|----------|-------------|-----------------------------------|
| NOT_STARTED              | START    | IN_PROGRESS | responsible person, unit lead     |
| NOT_STARTED, IN_PROGRESS | COMPLETE | DONE        | responsible person, unit lead (*) |
| NOT_STARTED, IN_PROGRESS | SKIP     | SKIPPED     | unit lead, with a reason          |
| DONE, SKIPPED            | REOPEN   | IN_PROGRESS | chair, with a reason              |

(*) every required document slot must hold a file, unless ``override_missing_documents`` is
given with a reason. "Responsible person" is anyone resolved for the step, or any member of the
current committee when the step belongs to the whole committee; "unit lead" is the chair or the
secretary of the unit's current committee (administrators may do everything).

The same rule reaches the work a step is done through (``CycleStanding.does_step``): whoever a
step names may do that step's actions elsewhere, as the unit leads always may; so the assistant
secretary, named by step 8 (ขออนุมัติจัดกิจกรรมโครงการตามแผน), submits the plans for approval.

Responsible entries are resolved against the committee order current when the cycle is made: a
role picks its holders, ``MEMBER:<duty>`` the members the order puts in charge of that duty. A seat
the order leaves empty (no assistant secretary, no member given the duty) falls to the
secretary, who keeps the committee's work and whom every order has; so a unit with a committee
has every step resolved. Only a first name no member bears stays unresolved for a lead to assign.

Each transition checks permission and state, writes the step and its audit event in one
transaction; a transition not allowed from the current state is an INVALID_TRANSITION error
naming the allowed actions. Rescheduling (unit lead) moves the steps that follow with it.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Any, Self, cast

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from models.committee import CommitteeRole, Membership
from models.cycle import Cycle, CycleStep, DocumentSlot, ScheduleKind, StepResponsible, StepStatus
from models.document import Document
from models.org import Person
from models.sop import SopTemplate
from services import audit, clock, notices
from services.actor import Actor
from services.calendar import load_calendar
from services.committee import current_order
from services.errors import (
    DomainError,
    ErrorCode,
    Forbidden,
    ForbiddenReason,
    check_version,
    invalid_transition,
    not_found,
)
from services.fiscal import BE_YEARS, FiscalYear
from services.messages import render
from services.org import get_unit
from services.permissions import (
    Standing,
    readable_by_anyone_signed_in,
    require_unit_lead,
    standing_in_unit,
)
from services.scheduling import Span, StepSchedule, plan, replan
from services.sop import DUTY_PREFIX, ROLE_TOKENS, TemplateStep, latest_template, parse_steps
from services.versioning import save_version


class StepAction(StrEnum):
    START = "START"
    COMPLETE = "COMPLETE"
    SKIP = "SKIP"
    REOPEN = "REOPEN"
    RESCHEDULE = "RESCHEDULE"


TRANSITIONS: dict[tuple[StepStatus, StepAction], StepStatus] = {
    (StepStatus.NOT_STARTED, StepAction.START): StepStatus.IN_PROGRESS,
    (StepStatus.NOT_STARTED, StepAction.COMPLETE): StepStatus.DONE,
    (StepStatus.IN_PROGRESS, StepAction.COMPLETE): StepStatus.DONE,
    (StepStatus.NOT_STARTED, StepAction.SKIP): StepStatus.SKIPPED,
    (StepStatus.IN_PROGRESS, StepAction.SKIP): StepStatus.SKIPPED,
    (StepStatus.DONE, StepAction.REOPEN): StepStatus.IN_PROGRESS,
    (StepStatus.SKIPPED, StepAction.REOPEN): StepStatus.IN_PROGRESS,
}
NEEDS_REASON = {StepAction.SKIP, StepAction.REOPEN}
# What those responsible are told.
NOTICES = {
    StepAction.START: notices.NoticeEvent.STEP_STARTED,
    StepAction.COMPLETE: notices.NoticeEvent.STEP_COMPLETED,
    StepAction.REOPEN: notices.NoticeEvent.STEP_REOPENED,
}
FINISHED = {StepStatus.DONE, StepStatus.SKIPPED}
# How far past the fiscal year the calendar is loaded, so a late step is reported, not crashed.
_CALENDAR_MARGIN = timedelta(days=120)


@dataclass(frozen=True)
class StepStanding:
    """What one actor is to one step: enough to decide every action without a query."""

    unit: Standing
    responsible: bool

    def may(self, action: StepAction) -> bool:
        if action in (StepAction.START, StepAction.COMPLETE):
            return self.unit.is_lead or self.responsible
        if action == StepAction.REOPEN:
            return self.unit.is_chair
        return self.unit.is_lead

    def refusal(self, action: StepAction) -> Forbidden:
        """Why ``may(action)`` said no."""
        if action in (StepAction.START, StepAction.COMPLETE):
            return self.unit.refusal(ForbiddenReason.RESPONSIBLE_REQUIRED)
        if action == StepAction.REOPEN:
            return self.unit.refusal(ForbiddenReason.CHAIR_REQUIRED)
        return self.unit.refusal(ForbiddenReason.UNIT_LEAD_REQUIRED)


def is_responsible(
    standing: Standing, responsible_ids: Iterable[int], whole_committee: bool
) -> bool:
    return bool(standing.person_ids & set(responsible_ids)) or (
        whole_committee and standing.is_member
    )


def named_steps(
    standing: Standing, steps: Iterable[tuple[CycleStep, Iterable[int]]]
) -> frozenset[int]:
    """The numbers of the steps, each given with its responsible people, that name the actor."""
    return frozenset(
        step.no for step, people in steps if is_responsible(standing, people, step.whole_committee)
    )


async def steps_naming(
    standing: Standing, cycle_id: int, connection: BaseDBAsyncClient | None = None
) -> frozenset[int]:
    """The numbers of the cycle's steps that name the actor (two statements)."""
    steps = await CycleStep.filter(cycle_id=cycle_id).using_db(connection)
    people: dict[int, list[int]] = defaultdict(list)
    for step_id, person_id in await (
        StepResponsible.filter(step__cycle_id=cycle_id)
        .using_db(connection)
        .values_list("step_id", "person_id")
    ):
        people[step_id].append(person_id)
    return named_steps(standing, [(step, people[step.id]) for step in steps])


@dataclass(frozen=True)
class CycleStanding:
    """What one actor is to one cycle: their standing in its unit and the steps naming them.
    The domains whose work is a step's (surveys, plans, reports) decide their actions from it."""

    unit: Standing
    user_id: int | None
    named: frozenset[int] = frozenset()

    def does_step(self, no: int) -> bool:
        """Whoever step ``no`` names may do its actions, as the unit leads always may."""
        return self.unit.is_lead or no in self.named

    @classmethod
    async def of(
        cls, actor: Actor, cycle_id: int, connection: BaseDBAsyncClient | None = None
    ) -> Self:
        unit_id = (
            await Cycle.filter(id=cycle_id)
            .using_db(connection)
            .first()
            .values_list("unit_id", flat=True)
        )
        unit = await standing_in_unit(actor, cast(int, unit_id))
        return cls(unit, actor.user_id, await steps_naming(unit, cycle_id, connection))


def allowed_actions(status: StepStatus) -> list[StepAction]:
    return [action for (state, action) in TRANSITIONS if state == status]


def viewer_can(step: CycleStep, standing: StepStanding, action: StepAction) -> bool:
    if not standing.may(action):
        return False
    return action == StepAction.RESCHEDULE or (step.status, action) in TRANSITIONS


def is_overdue(step: CycleStep, on: date) -> bool:
    return step.status not in FINISHED and on > step.planned_due


# -- read rules -----------------------------------------------------------------------------------


def visible_cycles(actor: Actor) -> QuerySet[Cycle]:
    """Cycles: anyone signed in (units follow one another's progress on the SOP)."""
    return readable_by_anyone_signed_in(actor, Cycle.all())


def visible_steps(actor: Actor) -> QuerySet[CycleStep]:
    """A cycle's steps: anyone signed in, as their cycle."""
    return readable_by_anyone_signed_in(actor, CycleStep.all())


notices.readable(CycleStep, visible_steps)


def visible_document_slots(actor: Actor) -> QuerySet[DocumentSlot]:
    """The evidence slots of steps: anyone signed in, as their cycle."""
    return readable_by_anyone_signed_in(actor, DocumentSlot.all())


def list_cycles(
    *,
    actor: Actor,
    unit_id: int | None = None,
    fiscal_year: int | None = None,
    indicator_code: str | None = None,
    ordering: list[str],
) -> QuerySet[Cycle]:
    conditions = {"unit_id": unit_id, "fiscal_year": fiscal_year, "indicator_code": indicator_code}
    return (
        visible_cycles(actor)
        .filter(**{k: v for k, v in conditions.items() if v is not None})
        .order_by(*ordering)
    )


async def create_cycle(
    *,
    actor: Actor,
    unit_id: int,
    fiscal_year: int,
    start_date: date,
    indicator_code: str = "2.4",
    template_id: int | None = None,
) -> Cycle:
    unit = await get_unit(unit_id)
    await require_unit_lead(actor, unit.id)
    if fiscal_year not in BE_YEARS:
        raise DomainError.of(ErrorCode.INVALID_INPUT, "fiscal_year_range", field=("fiscalYear",))
    year = FiscalYear(fiscal_year)
    _require_in_year(year, start_date, "startDate")
    if await Cycle.exists(unit_id=unit.id, fiscal_year=fiscal_year, indicator_code=indicator_code):
        raise DomainError.of(
            ErrorCode.DUPLICATE,
            "cycle_exists",
            field=("fiscalYear",),
            year=fiscal_year,
            indicator=indicator_code,
        )
    template = await _template_for(unit.id, indicator_code, template_id)
    steps = parse_steps(template.steps)
    calendar = await load_calendar(year.start, year.end + _CALENDAR_MARGIN)
    spans = plan(
        [_schedule_of(s) for s in steps],
        fiscal_year=year,
        cycle_start=start_date,
        calendar=calendar,
    )
    for span in spans.values():
        _require_in_year(year, span[1], "startDate")
    order = await current_order(unit.id)
    members = await Membership.filter(order_id=order.id).prefetch_related("person") if order else []
    async with in_transaction() as connection:
        cycle = await Cycle.create(
            unit_id=unit.id,
            fiscal_year=fiscal_year,
            indicator_code=indicator_code,
            template_id=template.id,
            committee_order_id=order.id if order else None,
            start_date=start_date,
            using_db=connection,
        )
        for step in steps:
            await _create_step(
                cycle, step, spans[step.no], members, template.name_variants, connection
            )
        await audit.record(
            actor=actor,
            action="cycle.create",
            object_type="Cycle",
            object_id=cycle.id,
            after={
                "unit": unit.code,
                "fiscalYear": fiscal_year,
                "indicator": indicator_code,
                "template": f"{template.family} v{template.version}",
                "startDate": start_date.isoformat(),
            },
            connection=connection,
        )
    return cycle


async def act_on_step(
    *,
    actor: Actor,
    step_id: int,
    action: StepAction,
    version: int | None = None,
    reason: str | None = None,
    override_missing_documents: bool = False,
    on: date | None = None,
) -> CycleStep:
    """Carry out one transition of the table above; ``on`` records when it really happened
    (today by default, never in the future)."""
    async with in_transaction() as connection:
        step = await _locked_step(step_id, connection)
        await transition(
            actor=actor,
            step=step,
            action=action,
            version=version,
            reason=reason,
            override_missing_documents=override_missing_documents,
            on=on,
            connection=connection,
        )
    return step


async def transition(
    *,
    actor: Actor,
    step: CycleStep,
    action: StepAction,
    connection: BaseDBAsyncClient,
    version: int | None = None,
    reason: str | None = None,
    override_missing_documents: bool = False,
    on: date | None = None,
) -> None:
    """The transition itself, inside the caller's transaction (meetings complete steps too)."""
    reason = (reason or "").strip() or None
    standing = await step_standing(actor, step, connection)
    if not standing.may(action):
        raise standing.refusal(action)
    check_version(step.version, version)
    target = TRANSITIONS.get((step.status, action))
    if target is None:
        raise invalid_transition(action, step.status, allowed_actions(step.status))
    if (action in NEEDS_REASON or override_missing_documents) and not reason:
        raise DomainError.of(ErrorCode.INVALID_INPUT, "reason_required", field=("reason",))
    if action == StepAction.COMPLETE and not override_missing_documents:
        await _require_documents(step, connection)
    if on is not None and on > clock.today():
        raise DomainError.of(ErrorCode.INVALID_INPUT, "date_in_future", field=("on",))
    before = _step_snapshot(step)
    _apply(step, action, target, reason, override_missing_documents, on or clock.today())
    await step.save(using_db=connection)
    await audit.record(
        actor=actor,
        action=f"cycleStep.{action.value.lower()}",
        object_type="CycleStep",
        object_id=step.id,
        before=before,
        after=_step_snapshot(step),
        reason=reason,
        connection=connection,
    )
    if action in NOTICES:
        await notices.tell(connection, NOTICES[action], step, actor=actor, reason=reason)


async def complete_step_done_here(
    *,
    actor: Actor,
    cycle_id: int,
    step_no: int,
    reason_key: str,
    connection: BaseDBAsyncClient,
    on: date | None = None,
) -> None:
    """Complete a step whose work was done in LO Hub (surveys, GAP, measures): its evidence is
    the data kept here, so missing document files are overridden, saying so. A finished step is
    left as it is."""
    step = (
        await CycleStep.filter(cycle_id=cycle_id, no=step_no)
        .select_for_update()
        .using_db(connection)
        .first()
    )
    if step is None or step.status in FINISHED:
        return
    await transition(
        actor=actor,
        step=step,
        action=StepAction.COMPLETE,
        override_missing_documents=True,
        reason=render(reason_key, "th"),
        on=on,
        connection=connection,
    )


async def reschedule_step(
    *,
    actor: Actor,
    step_id: int,
    version: int,
    planned_start: date | None = None,
    planned_due: date | None = None,
    reason: str | None = None,
) -> list[CycleStep]:
    """Change a step's planned dates; the DAYS steps after it move with it. Returns the steps
    whose dates changed."""
    async with in_transaction() as connection:
        step = await _locked_step(step_id, connection)
        cycle = await Cycle.get(id=step.cycle_id, using_db=connection)
        await require_unit_lead(actor, cycle.unit_id)
        check_version(step.version, version)
        year = FiscalYear(cycle.fiscal_year)
        calendar = await load_calendar(year.start, year.end + _CALENDAR_MARGIN)
        start = planned_start or step.planned_start
        _require_in_year(year, start, "plannedStart")
        due = planned_due or (
            calendar.span_end(start, step.days)
            if step.schedule_kind == ScheduleKind.DAYS and step.days
            else step.planned_due
        )
        _require_in_year(year, due, "plannedDue")
        if due < start:
            raise DomainError.of(ErrorCode.INVALID_INPUT, "due_before_start", field=("plannedDue",))
        steps = await CycleStep.filter(cycle_id=cycle.id).using_db(connection).order_by("no")
        current = {s.no: (s.planned_start, s.planned_due) for s in steps}
        spans = replan(
            [_schedule_of_step(s) for s in steps],
            current,
            moved_no=step.no,
            moved_to=(start, due),
            cycle_start=cycle.start_date,
            calendar=calendar,
        )
        changed = [s for s in steps if spans[s.no] != current[s.no]]
        for moved in changed:
            _require_in_year(year, spans[moved.no][1], "plannedStart")
            moved.planned_start, moved.planned_due = spans[moved.no]
            moved.version += 1
            await moved.save(
                using_db=connection, update_fields=["planned_start", "planned_due", "version"]
            )
        await audit.record(
            actor=actor,
            action="cycleStep.reschedule",
            object_type="CycleStep",
            object_id=step.id,
            before={str(s.no): _iso(current[s.no]) for s in changed},
            after={str(s.no): _iso(spans[s.no]) for s in changed},
            reason=reason,
            connection=connection,
        )
    return changed


async def assign_responsible(
    *,
    actor: Actor,
    step_id: int,
    version: int,
    person_ids: list[int],
    whole_committee: bool,
    reason: str | None = None,
) -> CycleStep:
    """Set who is responsible for a step (unit lead): the complete list of people, all of the
    cycle's unit. Names the SOP gave that matched nobody are settled by this."""
    async with in_transaction() as connection:
        step = await _locked_step(step_id, connection)
        cycle = await Cycle.get(id=step.cycle_id, using_db=connection)
        await require_unit_lead(actor, cycle.unit_id)
        check_version(step.version, version)
        people = set(person_ids)
        in_unit = (
            await Person.filter(id__in=people, unit_id=cycle.unit_id).using_db(connection).count()
        )
        if in_unit != len(people):
            raise DomainError.of(
                ErrorCode.INVALID_INPUT, "responsible_other_unit", field=("responsible",)
            )
        before = (
            await StepResponsible.filter(step_id=step.id)
            .using_db(connection)
            .values_list("person_id", flat=True)
        )
        await StepResponsible.filter(step_id=step.id).using_db(connection).delete()
        await StepResponsible.bulk_create(
            [StepResponsible(step_id=step.id, person_id=p) for p in sorted(people)],
            using_db=connection,
        )
        snapshot_before = {
            "people": sorted(cast(list[int], before)),
            "wholeCommittee": step.whole_committee,
            "unresolved": step.unresolved_responsible,
        }
        step.whole_committee = whole_committee
        step.unresolved_responsible = []
        await save_version(
            step,
            actor=actor,
            action="cycleStep.assign",
            before=snapshot_before,
            after={"people": sorted(people), "wholeCommittee": whole_committee, "unresolved": []},
            reason=reason,
            connection=connection,
            update_fields=["whole_committee", "unresolved_responsible", "version"],
        )
        await notices.tell(
            connection,
            notices.NoticeEvent.STEP_RESPONSIBLE,
            step,
            actor=actor,
            people=people - set(before),
        )
    return step


async def step_standing(
    actor: Actor, step: CycleStep, connection: BaseDBAsyncClient | None = None
) -> StepStanding:
    unit_id = (
        await Cycle.filter(id=step.cycle_id)
        .using_db(connection)
        .first()
        .values_list("unit_id", flat=True)
    )
    standing = await standing_in_unit(actor, cast(int, unit_id))
    responsible = (
        await StepResponsible.filter(step_id=step.id)
        .using_db(connection)
        .values_list("person_id", flat=True)
    )
    return StepStanding(
        standing, is_responsible(standing, cast(list[int], responsible), step.whole_committee)
    )


def resolve_responsible(
    entries: Iterable[str], members: Iterable[Membership], variants: dict[str, str]
) -> tuple[set[int], bool, list[str]]:
    """People for a step's responsible entries: (person ids, whole committee?, unresolved).
    Roles pick members by role, ``MEMBER:<duty>`` by duty, an empty seat falls to the secretary;
    names are Thai first names, corrected through ``variants``."""
    members = list(members)
    secretary = {m.person_id for m in members if m.role == CommitteeRole.SECRETARY}
    people: set[int] = set()
    whole = False
    unresolved = []
    for entry in entries:
        if entry == "COMMITTEE":
            whole = True
            people.update(m.person_id for m in members)
        elif entry in ROLE_TOKENS or entry.startswith(DUTY_PREFIX):
            seated = {m.person_id for m in members if _holds(m, entry)} or secretary
            people.update(seated)
            if not seated:
                unresolved.append(entry)
        else:
            name = variants.get(entry, entry)
            matches = [m.person_id for m in members if m.person.first_name_th == name]
            people.update(matches)
            if not matches:
                unresolved.append(entry)
    return people, whole, unresolved


def _holds(member: Membership, seat: str) -> bool:
    if seat.startswith(DUTY_PREFIX):
        return seat.removeprefix(DUTY_PREFIX) in (member.duties or [])
    return member.role.value == seat


async def _create_step(
    cycle: Cycle,
    template_step: TemplateStep,
    span: Span,
    members: list[Membership],
    variants: dict[str, str],
    connection: BaseDBAsyncClient,
) -> None:
    people, whole, unresolved = resolve_responsible(template_step.responsible, members, variants)
    schedule = template_step.schedule
    step = await CycleStep.create(
        cycle_id=cycle.id,
        no=template_step.no,
        phase=template_step.phase,
        title_th=template_step.title_th,
        title_en=template_step.title_en,
        schedule_kind=ScheduleKind(schedule.kind),
        days=getattr(schedule, "days", None),
        after=template_step.after,
        planned_start=span[0],
        planned_due=span[1],
        unresolved_responsible=unresolved,
        whole_committee=whole,
        using_db=connection,
    )
    await StepResponsible.bulk_create(
        [StepResponsible(step_id=step.id, person_id=p) for p in sorted(people)],
        using_db=connection,
    )
    await DocumentSlot.bulk_create(
        [
            DocumentSlot(
                step_id=step.id,
                position=position,
                name_th=document.name_th,
                name_en=document.name_en,
                required=document.required,
            )
            for position, document in enumerate(template_step.documents, start=1)
        ],
        using_db=connection,
    )


async def _template_for(unit_id: int, indicator_code: str, template_id: int | None) -> SopTemplate:
    if template_id is None:
        return await latest_template(unit_id, indicator_code)
    template = await SopTemplate.get_or_none(id=template_id)
    if template is None or template.unit_id not in (None, unit_id):
        raise not_found("template", "แม่แบบ", "Template")
    return template


async def _locked_step(step_id: int, connection: BaseDBAsyncClient) -> CycleStep:
    step = await CycleStep.filter(id=step_id).select_for_update().using_db(connection).first()
    if step is None:
        raise not_found("id", "ขั้นตอน", "Step")
    return step


async def _require_documents(step: CycleStep, connection: BaseDBAsyncClient) -> None:
    slots = await DocumentSlot.filter(step_id=step.id, required=True).using_db(connection)
    filled = set(
        await Document.filter(slot_id__in=[s.id for s in slots], deleted_at__isnull=True)
        .using_db(connection)
        .values_list("slot_id", flat=True)
    )
    missing = [s.name_th for s in slots if s.id not in filled]
    if missing:
        raise DomainError.of(
            ErrorCode.DOCUMENTS_MISSING, "documents_missing", names=", ".join(missing)
        )


def _apply(
    step: CycleStep,
    action: StepAction,
    target: StepStatus,
    reason: str | None,
    override: bool,
    on: date,
) -> None:
    step.status = target
    step.version += 1
    if action == StepAction.START:
        step.actual_start = on
    elif action == StepAction.COMPLETE:
        step.actual_start = step.actual_start or on
        step.actual_end = on
        step.status_reason = reason if override else None
    elif action == StepAction.SKIP:
        step.status_reason = reason
        step.actual_end = on
    elif action == StepAction.REOPEN:
        step.status_reason = reason
        step.actual_end = None


def _require_in_year(year: FiscalYear, day: date, field: str) -> None:
    if not year.contains(day):
        raise DomainError.of(
            ErrorCode.INVALID_INPUT,
            "outside_fiscal_year",
            field=(field,),
            day=day.isoformat(),
            year=year.be,
        )


def _schedule_of(step: TemplateStep) -> StepSchedule:
    schedule = step.schedule
    return StepSchedule(
        no=step.no,
        kind=ScheduleKind(schedule.kind),
        days=getattr(schedule, "days", None),
        from_month=getattr(schedule, "from_month", None),
        to_month=getattr(schedule, "to_month", None),
        after=tuple(step.after),
    )


def _schedule_of_step(step: CycleStep) -> StepSchedule:
    return StepSchedule(
        no=step.no, kind=step.schedule_kind, days=step.days, after=tuple(step.after)
    )


def _step_snapshot(step: CycleStep) -> dict[str, Any]:
    return {
        "status": step.status.value,
        "actualStart": step.actual_start.isoformat() if step.actual_start else None,
        "actualEnd": step.actual_end.isoformat() if step.actual_end else None,
        "reason": step.status_reason,
        "version": step.version,
    }


def _iso(span: Span) -> list[str]:
    return [span[0].isoformat(), span[1].isoformat()]
