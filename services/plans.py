"""Plans (SOP steps 7, 8 and 13): a cycle's LO action plan and research/innovation plan, their
approval by the unit head and their five-month revision.

Plan transitions — state, action, next state, who:

| from               | action    | to                   | who                                 |
|--------------------|-----------|----------------------|-------------------------------------|
| DRAFT, RETURNED    | EDIT      | (unchanged)          | committee member                    |
| DRAFT, RETURNED    | SUBMIT    | SUBMITTED            | whoever step 8 names (***)          |
| SUBMITTED          | RECOMMEND | (unchanged)          | committee member                    |
| SUBMITTED          | APPROVE   | APPROVED             | unit approver (*)                   |
| SUBMITTED          | RETURN    | RETURNED             | unit approver, with a comment       |
| SUBMITTED          | REJECT    | REJECTED             | unit approver, with a comment       |
| APPROVED, REJECTED | REVISE    | new revision n+1 in DRAFT | whoever step 13 names (**)(***) |
| APPROVED           | SUPERSEDE | SUPERSEDED           | the approval of a later revision    |

(*) not the revision's author nor whoever submitted it (CONFLICT_OF_INTEREST).
(**) only the newest revision; the one revised stays as it was, readable.
(***) an action that is a step's work: whoever the cycle's step names may do it, as the chair and
the secretary always may (``services.cycles.CycleStanding``). Step 8 (ขออนุมัติ, requesting
approval) names the assistant secretary, step 13 (reviewing the plan) the whole committee.

Invariants: a cycle has one plan of each kind (with its revisions), and at most one revision of
it is APPROVED — the plan in force, whose activities report progress; only the newest revision
changes, and only while DRAFT or RETURNED; a recommendation is advice recorded beside the
approver's decision, never instead of it. Each transition locks the plan row, checks permission,
state and version, then writes the plan, its ``PlanEvent``, its audit event and its notifications
in one transaction: of two people deciding at once, one wins and the other gets a typed error.

On the cycle: both plans submitted completes step 7 (drafting), both approved step 8 (approval),
an approved revision of the research/innovation plan step 13 (the five-month review).
"""

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any, cast

from pydantic import BaseModel, ConfigDict, StringConstraints
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.exceptions import IntegrityError
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from models.cycle import Cycle
from models.org import Person, UnitRole
from models.plan import (
    Activity,
    ActivityOwner,
    Plan,
    PlanAction,
    PlanEvent,
    PlanKind,
    PlanStatus,
    Recommendation,
)
from models.survey import KnowledgeTopic, Measure
from services import audit, clock, notifications, plan_figures, unit_roles
from services.actor import SYSTEM, Actor
from services.cycles import CycleStanding, complete_step_done_here
from services.errors import (
    DomainError,
    ErrorCode,
    Forbidden,
    ForbiddenReason,
    check_version,
    invalid_transition,
    not_found,
    validated,
)
from services.labels import words
from services.permissions import readable_by_anyone_signed_in, require_authenticated

DRAFTING_STEP, APPROVAL_STEP, REVIEW_STEP = 7, 8, 13
MAX_BULK_DECISIONS = 100
LONG_TEXT = 10_000
Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
OptionalTitle = Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)]
LongText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=LONG_TEXT)]

# (from, action) → to; None keeps the state (EDIT, RECOMMEND). REVISE leaves the revised plan as
# it is and starts the next revision in DRAFT.
TRANSITIONS: dict[tuple[PlanStatus, PlanAction], PlanStatus | None] = {
    (PlanStatus.DRAFT, PlanAction.EDIT): None,
    (PlanStatus.RETURNED, PlanAction.EDIT): None,
    (PlanStatus.DRAFT, PlanAction.SUBMIT): PlanStatus.SUBMITTED,
    (PlanStatus.RETURNED, PlanAction.SUBMIT): PlanStatus.SUBMITTED,
    (PlanStatus.SUBMITTED, PlanAction.RECOMMEND): None,
    (PlanStatus.SUBMITTED, PlanAction.APPROVE): PlanStatus.APPROVED,
    (PlanStatus.SUBMITTED, PlanAction.RETURN): PlanStatus.RETURNED,
    (PlanStatus.SUBMITTED, PlanAction.REJECT): PlanStatus.REJECTED,
    (PlanStatus.APPROVED, PlanAction.REVISE): PlanStatus.DRAFT,
    (PlanStatus.REJECTED, PlanAction.REVISE): PlanStatus.DRAFT,
    (PlanStatus.APPROVED, PlanAction.SUPERSEDE): PlanStatus.SUPERSEDED,
}
DECISIONS = (PlanAction.APPROVE, PlanAction.RETURN, PlanAction.REJECT)
# The actions that are a step's work, done by whoever the step names (see the table).
STEP_OF = {PlanAction.SUBMIT: APPROVAL_STEP, PlanAction.REVISE: REVIEW_STEP}
NEEDS_COMMENT = {PlanAction.RETURN, PlanAction.REJECT}
# Who hears of a transition: the approvers, or the plan's people (author, submitter, owner).
_NOTIFY_APPROVERS = {PlanAction.SUBMIT, PlanAction.RECOMMEND}


class PlanData(BaseModel):
    model_config = ConfigDict(frozen=True)
    title_th: Title
    title_en: OptionalTitle | None = None
    objective_th: LongText = ""
    owner_id: int | None = None


@dataclass(frozen=True)
class PlanStanding(CycleStanding):
    """What one actor is to one plan's cycle: enough to decide every action without a query."""

    def may(self, action: PlanAction) -> bool:
        if action in (PlanAction.EDIT, PlanAction.RECOMMEND, PlanAction.CREATE):
            return self.unit.is_member
        if action in DECISIONS:
            return self.unit.is_approver
        return action in STEP_OF and self.does_step(STEP_OF[action])

    def refusal(self, action: PlanAction) -> Forbidden:
        """Why ``may(action)`` said no."""
        if action in (PlanAction.EDIT, PlanAction.RECOMMEND, PlanAction.CREATE):
            return self.unit.refusal(ForbiddenReason.COMMITTEE_MEMBER_REQUIRED)
        if action in DECISIONS:
            return self.unit.refusal(ForbiddenReason.APPROVER_REQUIRED)
        return self.unit.refusal(ForbiddenReason.RESPONSIBLE_REQUIRED)

    def is_author(self, plan: Plan) -> bool:
        return self.user_id is not None and self.user_id in (
            plan.created_by_id,
            plan.submitted_by_id,
        )


def allowed_actions(plan: Plan) -> list[PlanAction]:
    """What people may do to the plan in its state (superseding is the system's)."""
    return [
        action
        for (state, action) in TRANSITIONS
        if state == plan.status
        and action != PlanAction.SUPERSEDE
        and (plan.is_latest or action != PlanAction.REVISE)
    ]


def viewer_can(plan: Plan, standing: PlanStanding, action: PlanAction) -> bool:
    if not standing.may(action) or action not in allowed_actions(plan):
        return False
    return not (action == PlanAction.APPROVE and standing.is_author(plan))


# -- read rules -----------------------------------------------------------------------------------


def visible_plans(actor: Actor) -> QuerySet[Plan]:
    """Plans and every revision: anyone signed in (plans are shared within the department)."""
    return readable_by_anyone_signed_in(actor, Plan.all())


def visible_plan_events(actor: Actor) -> QuerySet[PlanEvent]:
    """Recommendations and decisions on plans: anyone signed in, as their plan."""
    return readable_by_anyone_signed_in(actor, PlanEvent.all())


def list_plans(
    *,
    actor: Actor,
    cycle_id: int | None = None,
    unit_id: int | None = None,
    fiscal_year: int | None = None,
    kind: PlanKind | None = None,
    status: PlanStatus | None = None,
    latest_only: bool = True,
    ordering: list[str],
) -> QuerySet[Plan]:
    conditions = {
        "cycle_id": cycle_id,
        "cycle__unit_id": unit_id,
        "cycle__fiscal_year": fiscal_year,
        "kind": kind,
        "status": status,
        "is_latest": True if latest_only else None,
    }
    return (
        visible_plans(actor)
        .filter(**{k: v for k, v in conditions.items() if v is not None})
        .order_by(*ordering)
    )


async def create_plan(
    *, actor: Actor, cycle_id: int, kind: PlanKind, data: PlanData, on: date | None = None
) -> Plan:
    cycle = await _cycle(cycle_id)
    standing = await PlanStanding.of(actor, cycle.id)
    if not standing.may(PlanAction.CREATE):
        raise standing.refusal(PlanAction.CREATE)
    await _check_owner(cycle, data.owner_id)
    if await Plan.exists(cycle_id=cycle.id, kind=kind):
        raise DomainError.of(ErrorCode.DUPLICATE, "plan_exists", field=("kind",), kind=words(kind))
    try:
        async with in_transaction() as connection:
            plan = await Plan.create(
                cycle_id=cycle.id,
                kind=kind,
                revision=1,
                created_by_id=actor.user_id,
                **data.model_dump(),
                using_db=connection,
            )
            event = Decision(plan_id=plan.id, action=PlanAction.CREATE, on=on)
            await _record(actor, plan, PlanAction.CREATE, None, event, connection)
    except IntegrityError:
        raise DomainError.of(
            ErrorCode.DUPLICATE, "plan_exists", field=("kind",), kind=words(kind)
        ) from None
    return plan


async def update_plan(*, actor: Actor, plan_id: int, version: int, changes: dict[str, Any]) -> Plan:
    """Change the given fields of a DRAFT or RETURNED plan (``changes`` by field name)."""
    async with in_transaction() as connection:
        plan, _ = await editable_plan(actor, plan_id, connection)
        check_version(plan.version, version)
        data = validated(PlanData, {**_plan_data(plan), **changes})
        await _check_owner(await _cycle(plan.cycle_id), data.owner_id)
        before = _plan_data(plan)
        for name, value in data.model_dump().items():
            setattr(plan, name, value)
        plan.version += 1
        await plan.save(using_db=connection)
        await _record(actor, plan, PlanAction.EDIT, None, None, connection, before=before)
    return plan


@dataclass(frozen=True)
class Decision:
    """One transition asked of a plan: submit, recommend, approve, return or reject."""

    plan_id: int
    action: PlanAction
    version: int | None = None
    comment: str | None = None
    recommendation: Recommendation | None = None
    on: date | None = None


async def act(*, actor: Actor, decision: Decision) -> Plan:
    """Carry out one transition of the table above (REVISE is ``revise``)."""
    comment = _comment(decision.comment, "comment")
    async with in_transaction() as connection:
        plan = await _locked_plan(decision.plan_id, connection)
        standing = await PlanStanding.of(actor, plan.cycle_id, connection)
        if not standing.may(decision.action):
            raise standing.refusal(decision.action)
        _check_transition(plan, decision.action)
        check_version(plan.version, decision.version)
        if decision.action in NEEDS_COMMENT and not comment:
            raise DomainError.of(ErrorCode.INVALID_INPUT, "comment_required", field=("comment",))
        if decision.action == PlanAction.RECOMMEND and decision.recommendation is None:
            raise DomainError.of(ErrorCode.INVALID_INPUT, "required", field=("recommendation",))
        if decision.action == PlanAction.APPROVE and standing.is_author(plan):
            raise DomainError.of(ErrorCode.CONFLICT_OF_INTEREST, "plan_own_approval")
        if decision.action == PlanAction.SUBMIT and not await Activity.exists(plan_id=plan.id):
            raise DomainError.of(ErrorCode.INVALID_INPUT, "plan_without_activities")
        from_status = plan.status
        target = TRANSITIONS[(plan.status, decision.action)]
        if target is not None:
            plan.status = target
            plan.version += 1
            if decision.action == PlanAction.SUBMIT:
                plan.submitted_by_id = actor.user_id
            await plan.save(
                using_db=connection, update_fields=["status", "version", "submitted_by_id"]
            )
        event = dataclasses.replace(decision, comment=comment)
        await _record(actor, plan, decision.action, from_status, event, connection)
        if decision.action == PlanAction.APPROVE:
            await _supersede_earlier(actor, plan, decision.on, connection)
        await _notify(plan, decision.action, actor, connection)
        await _complete_cycle_steps(actor, plan, decision.action, decision.on, connection)
    return plan


async def decide_many(*, actor: Actor, decisions: list[Decision]) -> list[Plan | DomainError]:
    """Each decision in its own transaction, in order: the outcome of each is the plan as saved
    or why it was refused (a plan the actor may not decide is NOT_PERMITTED, not a failure of
    the whole call)."""
    require_authenticated(actor)
    if len(decisions) > MAX_BULK_DECISIONS:
        raise DomainError.of(
            ErrorCode.INVALID_INPUT, "too_many", field=("decisions",), max=MAX_BULK_DECISIONS
        )
    outcomes: list[Plan | DomainError] = []
    for decision in decisions:
        if decision.action not in DECISIONS:
            raise ValueError(f"{decision.action} is not a decision")
        try:
            outcomes.append(await act(actor=actor, decision=decision))
        except DomainError as error:
            outcomes.append(error)
        except Forbidden:
            outcomes.append(DomainError.of(ErrorCode.NOT_PERMITTED, "not_permitted"))
    return outcomes


async def revise(
    *, actor: Actor, plan_id: int, version: int | None, reason: str | None, on: date | None = None
) -> Plan:
    """Start revision n+1 of an approved (or rejected) newest revision: a DRAFT copy with the
    same activities (same lineages, so their progress carries over) that is approved anew."""
    reason = _comment(reason, "reason")
    async with in_transaction() as connection:
        plan = await _locked_plan(plan_id, connection)
        standing = await PlanStanding.of(actor, plan.cycle_id, connection)
        if not standing.may(PlanAction.REVISE):
            raise standing.refusal(PlanAction.REVISE)
        _check_transition(plan, PlanAction.REVISE)
        check_version(plan.version, version)
        plan.is_latest = False
        await plan.save(using_db=connection, update_fields=["is_latest"])
        revision = await Plan.create(
            cycle_id=plan.cycle_id,
            kind=plan.kind,
            revision=plan.revision + 1,
            previous_id=plan.id,
            created_by_id=actor.user_id,
            **_plan_data(plan),
            using_db=connection,
        )
        await _copy_activities(plan, revision, connection)
        event = Decision(plan_id=revision.id, action=PlanAction.REVISE, comment=reason, on=on)
        await _record(actor, revision, PlanAction.REVISE, None, event, connection)
    return revision


async def compare_revisions(
    *, actor: Actor, requests: list[tuple[int, int | None]]
) -> list[plan_figures.PlanDiff | None]:
    """For each (plan id, other revision) what changed from the other revision (the previous
    one when None) to the plan; None where there is no such revision. Seven statements for any
    number of requests, so a list of plans can ask for its changes."""
    require_authenticated(actor)
    plans = {p.id: p for p in await Plan.filter(id__in={pk for pk, _ in requests})}
    families = await Plan.filter(
        cycle_id__in={p.cycle_id for p in plans.values()}, kind__in={p.kind for p in plans.values()}
    )
    by_revision = {(p.cycle_id, p.kind, p.revision): p for p in families}
    pairs: list[tuple[Plan, Plan] | None] = []
    for pk, other_revision in requests:
        plan = plans.get(pk)
        other = None
        if plan is not None:
            wanted = plan.revision - 1 if other_revision is None else other_revision
            other = by_revision.get((plan.cycle_id, plan.kind, wanted))
        if plan is None or other is None or other.id == plan.id:
            pairs.append(None)
        else:
            pairs.append((other, plan) if other.revision < plan.revision else (plan, other))
    involved = {p.id for pair in pairs if pair for p in pair}
    activities: dict[int, list[Activity]] = {pk: [] for pk in involved}
    for activity in await Activity.filter(plan_id__in=involved).order_by("position"):
        activities[activity.plan_id].append(activity)
    owners: dict[int, list[str]] = {}
    links = await ActivityOwner.filter(
        activity_id__in=[a.id for rows in activities.values() for a in rows]
    ).prefetch_related("person")
    for link in links:
        owners.setdefault(link.activity_id, []).append(link.person.full_name_th)
    labels = await _labels(activities)
    return [
        plan_figures.compare(pair[0], pair[1], activities, owners, labels) if pair else None
        for pair in pairs
    ]


async def editable_plan(
    actor: Actor, plan_id: int, connection: BaseDBAsyncClient
) -> tuple[Plan, PlanStanding]:
    """The plan, locked, once the actor may EDIT it in its current state (activities too)."""
    plan = await _locked_plan(plan_id, connection)
    standing = await PlanStanding.of(actor, plan.cycle_id, connection)
    if not standing.may(PlanAction.EDIT):
        raise standing.refusal(PlanAction.EDIT)
    _check_transition(plan, PlanAction.EDIT)
    return plan, standing


def _comment(text: str | None, field: str) -> str | None:
    comment = (text or "").strip() or None
    if comment and len(comment) > LONG_TEXT:
        raise DomainError.of(ErrorCode.INVALID_INPUT, "too_long", field=(field,), max=LONG_TEXT)
    return comment


def _check_transition(plan: Plan, action: PlanAction) -> None:
    allowed = allowed_actions(plan)
    if action not in allowed:
        raise invalid_transition(action, plan.status, allowed)


async def _copy_activities(plan: Plan, revision: Plan, connection: BaseDBAsyncClient) -> None:
    activities = await Activity.filter(plan_id=plan.id).using_db(connection).order_by("position")
    owners = await ActivityOwner.filter(activity_id__in=[a.id for a in activities]).using_db(
        connection
    )
    for activity in activities:
        copy = await Activity.create(
            plan_id=revision.id,
            **{
                name: getattr(activity, name)
                for name in ("lineage", "position", *plan_figures.ACTIVITY_FIELDS)
            },
            using_db=connection,
        )
        await ActivityOwner.bulk_create(
            [
                ActivityOwner(activity_id=copy.id, person_id=o.person_id)
                for o in owners
                if o.activity_id == activity.id
            ],
            using_db=connection,
        )


async def _supersede_earlier(
    actor: Actor, plan: Plan, on: date | None, connection: BaseDBAsyncClient
) -> None:
    """The revision approved before this one is no longer in force."""
    earlier = (
        await Plan.filter(
            cycle_id=plan.cycle_id,
            kind=plan.kind,
            status=PlanStatus.APPROVED,
            revision__lt=plan.revision,
        )
        .select_for_update()
        .using_db(connection)
    )
    for old in earlier:
        old.status = PlanStatus.SUPERSEDED
        old.version += 1
        await old.save(using_db=connection, update_fields=["status", "version"])
        event = Decision(plan_id=old.id, action=PlanAction.SUPERSEDE, on=on)
        await _record(actor, old, PlanAction.SUPERSEDE, PlanStatus.APPROVED, event, connection)


async def _complete_cycle_steps(
    actor: Actor,
    plan: Plan,
    action: PlanAction,
    on: date | None,
    connection: BaseDBAsyncClient,
) -> None:
    """The steps this transition finishes. The system completes them on the actor's behalf:
    the approver need not be responsible for the steps."""
    by_system = dataclasses.replace(SYSTEM, request_id=actor.request_id)
    done: list[tuple[int, str]] = []
    if action == PlanAction.SUBMIT and await _both_kinds(
        plan.cycle_id, [PlanStatus.SUBMITTED, PlanStatus.APPROVED], connection
    ):
        done.append((DRAFTING_STEP, "plans_submitted_reason"))
    if action == PlanAction.APPROVE:
        if await _both_kinds(
            plan.cycle_id, [PlanStatus.APPROVED, PlanStatus.SUPERSEDED], connection
        ):
            done.append((APPROVAL_STEP, "plans_approved_reason"))
        if plan.kind == PlanKind.RESEARCH_INNOVATION_PLAN and plan.revision > 1:
            done.append((REVIEW_STEP, "plan_revised_reason"))
    for step_no, reason_key in done:
        await complete_step_done_here(
            actor=by_system,
            cycle_id=plan.cycle_id,
            step_no=step_no,
            reason_key=reason_key,
            connection=connection,
            on=on,
        )


async def _both_kinds(
    cycle_id: int, statuses: list[PlanStatus], connection: BaseDBAsyncClient
) -> bool:
    kinds = (
        await Plan.filter(cycle_id=cycle_id, status__in=statuses)
        .using_db(connection)
        .distinct()
        .values_list("kind", flat=True)
    )
    return set(kinds) == set(PlanKind)


async def _notify(
    plan: Plan, action: PlanAction, actor: Actor, connection: BaseDBAsyncClient
) -> None:
    if action in _NOTIFY_APPROVERS:
        unit_id = await _unit_of(plan, connection)
        recipients: Iterable[int | None] = await unit_roles.holders(
            unit_id, UnitRole.APPROVER, connection
        )
    else:
        owner_user = (
            await Person.filter(id=plan.owner_id)
            .using_db(connection)
            .first()
            .values_list("user_id", flat=True)
            if plan.owner_id
            else None
        )
        recipients = [plan.created_by_id, plan.submitted_by_id, owner_user]  # type: ignore[list-item]
    await notifications.notify(
        recipients,
        message_key=f"plan_{action.value.lower()}_notice",
        subject_type="Plan",
        subject_id=plan.id,
        connection=connection,
        exclude=actor.user_id,
        title=plan.title_th,
        revision=plan.revision,
    )


async def _record(
    actor: Actor,
    plan: Plan,
    action: PlanAction,
    from_status: PlanStatus | None,
    decision: Decision | None,
    connection: BaseDBAsyncClient,
    before: dict[str, Any] | None = None,
) -> None:
    """The plan's timeline entry and the audit event of one change."""
    comment = decision.comment if decision else None
    recommendation = decision.recommendation if decision else None
    await PlanEvent.create(
        plan_id=plan.id,
        action=action,
        from_status=from_status,
        to_status=plan.status,
        recommendation=recommendation,
        comment=comment,
        actor_id=actor.user_id,
        on=(decision.on if decision else None) or clock.today(),
        using_db=connection,
    )
    after: dict[str, Any] = {"status": plan.status.value, "version": plan.version}
    if action in (PlanAction.CREATE, PlanAction.EDIT, PlanAction.REVISE):
        after |= _plan_data(plan) | {"revision": plan.revision}
    if recommendation:
        after["recommendation"] = recommendation.value
    await audit.record(
        actor=actor,
        action=f"plan.{action.value.lower()}",
        object_type="Plan",
        object_id=plan.id,
        before=before or ({"status": from_status.value} if from_status else None),
        after=after,
        reason=comment,
        connection=connection,
    )


def _plan_data(plan: Plan) -> dict[str, Any]:
    return {
        "title_th": plan.title_th,
        "title_en": plan.title_en,
        "objective_th": plan.objective_th,
        "owner_id": plan.owner_id,
    }


async def _labels(activities: dict[int, list[Activity]]) -> dict[str, dict[int, str]]:
    rows = [a for group in activities.values() for a in group]
    measures = await Measure.filter(id__in={a.measure_id for a in rows if a.measure_id})
    topics = await KnowledgeTopic.filter(
        id__in={a.knowledge_topic_id for a in rows if a.knowledge_topic_id}
    )
    return {
        "measure_id": {m.id: m.title_th for m in measures},
        "knowledge_topic_id": {t.id: t.title_th for t in topics},
    }


async def _check_owner(cycle: Cycle, owner_id: int | None) -> None:
    if owner_id is not None and not await Person.exists(id=owner_id, unit_id=cycle.unit_id):
        raise DomainError.of(ErrorCode.INVALID_INPUT, "responsible_other_unit", field=("owner",))


async def _locked_plan(plan_id: int, connection: BaseDBAsyncClient) -> Plan:
    plan = await Plan.filter(id=plan_id).select_for_update().using_db(connection).first()
    if plan is None:
        raise not_found("id", "แผน", "Plan")
    return plan


async def _unit_of(plan: Plan, connection: BaseDBAsyncClient | None = None) -> int:
    unit_id = (
        await Cycle.filter(id=plan.cycle_id)
        .using_db(connection)
        .first()
        .values_list("unit_id", flat=True)
    )
    return cast(int, unit_id)


async def _cycle(cycle_id: int) -> Cycle:
    cycle = await Cycle.get_or_none(id=cycle_id)
    if cycle is None:
        raise not_found("cycle", "รอบ", "Cycle")
    return cycle
