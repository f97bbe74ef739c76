"""Mutations on plans and activities: drafting, the approval transitions, revision, progress."""

from collections.abc import Awaitable, Callable
from datetime import date
from decimal import Decimal
from enum import Enum
from typing import Any

import strawberry
from strawberry import relay

from models.plan import ActivityStatus, PlanAction, PlanKind, Recommendation
from schema.cycles.types import CycleNode
from schema.errors import UserError, payload, user_errors
from schema.inputs import Input, node_id
from schema.knowledge import KnowledgeTopicNode, MeasureNode
from schema.org import PersonNode
from schema.plans.types import (
    ActivityNode,
    ActivityProgressReportNode,
    PlanNode,
)
from schema.transitions import transition, with_current
from services import activities, clock, plans
from services.errors import DomainError, validated
from services.plans import Decision


def _given(value: Any, convert: Callable[[Any], Any] = lambda v: v) -> Any:
    return value if value is strawberry.UNSET or value is None else convert(value)


def _changes(**fields: Any) -> dict[str, Any]:
    """The fields an update input gave: omitted ones stay, null clears."""
    return {name: value for name, value in fields.items() if value is not strawberry.UNSET}


@strawberry.input(description="A new plan of a cycle (committee members).")
class PlanCreateInput:
    cycle: relay.GlobalID = strawberry.field(description="The cycle.")
    kind: PlanKind = strawberry.field(description="Which plan; a cycle has one of each.")
    title_th: str = strawberry.field(description="Title in Thai.")
    title_en: str | None = strawberry.field(default=None, description="Title in English.")
    objective_th: str = strawberry.field(default="", description="Objective.")
    owner: relay.GlobalID | None = strawberry.field(
        default=None, description="The person of the unit responsible for the plan."
    )


@strawberry.input(
    description="Changes to a DRAFT or RETURNED plan: omitted fields stay, null clears."
)
class PlanUpdateInput:
    id: relay.GlobalID = strawberry.field(description="The plan revision.")
    version: int = strawberry.field(description="The version the change is based on.")
    title_th: str | None = strawberry.field(default=strawberry.UNSET, description="Title in Thai.")
    title_en: str | None = strawberry.field(
        default=strawberry.UNSET, description="Title in English."
    )
    objective_th: str | None = strawberry.field(default=strawberry.UNSET, description="Objective.")
    owner: relay.GlobalID | None = strawberry.field(
        default=strawberry.UNSET, description="The person responsible."
    )


@strawberry.type(description="Result of a plan mutation.")
class PlanPayload:
    plan: PlanNode | None = strawberry.field(default=None, description="The plan as saved.")
    errors: list[UserError] = strawberry.field(description="Why nothing changed, if so.")


@strawberry.input(description="A transition of a plan: submit, approve, return or reject.")
class PlanTransitionInput:
    id: relay.GlobalID = strawberry.field(description="The plan revision.")
    version: int = strawberry.field(description="The version the decision is based on.")
    comment: str | None = strawberry.field(
        default=None, description="Comment; required to return or reject."
    )


@strawberry.input(description="A committee member's recommendation on a submitted plan.")
class PlanRecommendInput:
    id: relay.GlobalID = strawberry.field(description="The plan revision.")
    version: int | None = strawberry.field(
        default=None, description="When given, refused if the plan changed since."
    )
    recommendation: Recommendation = strawberry.field(description="The advice.")
    comment: str | None = strawberry.field(default=None, description="Why.")


@strawberry.input(description="Start the next revision of an approved or rejected plan.")
class PlanReviseInput:
    id: relay.GlobalID = strawberry.field(description="The newest revision.")
    version: int = strawberry.field(description="The version the revision is based on.")
    reason: str | None = strawberry.field(
        default=None, description="Why, e.g. the five-month review; kept in the timeline."
    )


@strawberry.enum(description="A decision of the approver.")
class PlanDecisionKind(Enum):
    APPROVE = "APPROVE"
    RETURN = "RETURN"
    REJECT = "REJECT"


@strawberry.input(description="One decision of a bulk call.")
class PlanDecisionInput(PlanTransitionInput):
    decision: PlanDecisionKind = strawberry.field(description="Approve, return or reject.")


@strawberry.input(description="Several decisions at once; each stands or fails on its own.")
class PlanDecideManyInput:
    decisions: list[PlanDecisionInput] = strawberry.field(
        description=f"At most {plans.MAX_BULK_DECISIONS}, carried out in order."
    )


@strawberry.type(description="The outcome of one decision of a bulk call.")
class PlanDecisionResult:
    plan: PlanNode | None = strawberry.field(default=None, description="The plan as saved.")
    errors: list[UserError] = strawberry.field(description="Why this decision failed, if so.")


@strawberry.type(description="Result of `planDecideMany`.")
class PlanDecideManyPayload:
    results: list[PlanDecisionResult] = strawberry.field(
        default_factory=list, description="One per decision, in the order given."
    )
    errors: list[UserError] = strawberry.field(description="Why nothing was tried, if so.")


@strawberry.input(description="An activity's fields.")
class ActivityInput:
    title_th: str = strawberry.field(description="Title in Thai.")
    title_en: str | None = strawberry.field(default=None, description="Title in English.")
    objective_th: str = strawberry.field(default="", description="Objective.")
    measure: relay.GlobalID | None = strawberry.field(
        default=None, description="The cycle's measure it serves."
    )
    knowledge_topic: relay.GlobalID | None = strawberry.field(
        default=None, description="The cycle's knowledge topic it builds."
    )
    levers: list[str] = strawberry.field(default_factory=list, description="PIRAB lever codes.")
    start_month: str = strawberry.field(description="First month, YYYY-MM, in the fiscal year.")
    end_month: str = strawberry.field(description="Last month, YYYY-MM, in the fiscal year.")
    budget: Decimal = strawberry.field(default=Decimal(0), description="THB, ≥ 0, 2 decimals.")
    target_th: str = strawberry.field(default="", description="Target.")
    weight: Decimal = strawberry.field(
        default=Decimal(1), description="Weight in the plan's progress, > 0."
    )
    owners: list[relay.GlobalID] = strawberry.field(
        default_factory=list, description="People of the unit who carry it out."
    )


@strawberry.input(description="A new activity at the end of a DRAFT or RETURNED plan.")
class ActivityCreateInput(ActivityInput):
    plan: relay.GlobalID = strawberry.field(description="The plan revision.")


@strawberry.input(description="Changes to an activity: omitted fields stay, null clears.")
class ActivityUpdateInput:
    id: relay.GlobalID = strawberry.field(description="The activity.")
    version: int = strawberry.field(description="The version the change is based on.")
    title_th: str | None = strawberry.field(default=strawberry.UNSET, description="Title in Thai.")
    title_en: str | None = strawberry.field(
        default=strawberry.UNSET, description="Title in English."
    )
    objective_th: str | None = strawberry.field(default=strawberry.UNSET, description="Objective.")
    measure: relay.GlobalID | None = strawberry.field(
        default=strawberry.UNSET, description="The measure it serves."
    )
    knowledge_topic: relay.GlobalID | None = strawberry.field(
        default=strawberry.UNSET, description="The knowledge topic it builds."
    )
    levers: list[str] | None = strawberry.field(
        default=strawberry.UNSET, description="PIRAB lever codes."
    )
    start_month: str | None = strawberry.field(default=strawberry.UNSET, description="YYYY-MM.")
    end_month: str | None = strawberry.field(default=strawberry.UNSET, description="YYYY-MM.")
    budget: Decimal | None = strawberry.field(default=strawberry.UNSET, description="THB.")
    target_th: str | None = strawberry.field(default=strawberry.UNSET, description="Target.")
    weight: Decimal | None = strawberry.field(default=strawberry.UNSET, description="Weight.")
    owners: list[relay.GlobalID] | None = strawberry.field(
        default=strawberry.UNSET, description="The complete list of owners."
    )


@strawberry.type(description="Result of an activity mutation.")
class ActivityPayload:
    activity: ActivityNode | None = strawberry.field(default=None, description="As saved.")
    errors: list[UserError] = strawberry.field(description="Why nothing changed, if so.")


@strawberry.input(description="Remove an activity from a DRAFT or RETURNED plan.")
class ActivityDeleteInput:
    id: relay.GlobalID = strawberry.field(description="The activity.")
    version: int = strawberry.field(description="The version the removal is based on.")


@strawberry.type(description="Result of `activityDelete`.")
class ActivityDeletePayload:
    plan: PlanNode | None = strawberry.field(default=None, description="The plan, without it.")
    errors: list[UserError] = strawberry.field(description="Why nothing changed, if so.")


@strawberry.input(description="A progress report of an activity of the plan in force.")
class ActivityProgressReportInput:
    activity: relay.GlobalID = strawberry.field(description="The activity.")
    percent: int = strawberry.field(description="Progress, 0–100.")
    narrative: str = strawberry.field(default="", description="What was done, problems, plans.")
    on: date | None = strawberry.field(
        default=None, description="The day the progress is as of: today if omitted, never later."
    )
    status: ActivityStatus | None = strawberry.field(
        default=None, description="Set the status; derived from the schedule when omitted."
    )


@strawberry.type(description="Result of `activityProgressReport`.")
class ActivityProgressReportPayload:
    report: ActivityProgressReportNode | None = strawberry.field(
        default=None, description="The report."
    )
    activity: ActivityNode | None = strawberry.field(default=None, description="The activity.")
    errors: list[UserError] = strawberry.field(description="Why nothing was saved, if so.")


def _activity_fields(input: Any, changes: bool) -> dict[str, Any]:
    """Service field names from an activity input; with ``changes``, only the fields given."""
    fields = {
        "title_th": input.title_th,
        "title_en": input.title_en,
        "objective_th": input.objective_th,
        "measure_id": _given(input.measure, lambda g: node_id(g, MeasureNode, "measure")),
        "knowledge_topic_id": _given(
            input.knowledge_topic, lambda g: node_id(g, KnowledgeTopicNode, "knowledgeTopic")
        ),
        "levers": input.levers,
        "start_month": input.start_month,
        "end_month": input.end_month,
        "budget": input.budget,
        "target_th": input.target_th,
        "weight": input.weight,
        "owner_ids": _given(
            input.owners,
            lambda ids: [node_id(p, PersonNode, ("owners", str(i))) for i, p in enumerate(ids)],
        ),
    }
    return _changes(**fields) if changes else fields


async def _transition(info: strawberry.Info, decision: Callable[[], Decision]) -> PlanPayload:
    async def run() -> dict[str, Any]:
        plan = await plans.act(actor=info.context.actor, decision=decision())
        return {"plan": PlanNode.from_model(plan)}

    return await payload(info, PlanPayload, run)


async def _act(
    info: strawberry.Info, input: PlanTransitionInput, action: PlanAction
) -> PlanPayload:
    return await _transition(info, _decision(input, action))


def _decision(input: PlanTransitionInput, action: PlanAction) -> Callable[[], Decision]:
    return lambda: Decision(
        plan_id=node_id(input.id, PlanNode),
        action=action,
        version=input.version,
        comment=input.comment,
    )


async def _plan_payload(info: strawberry.Info, work: Callable[[], Awaitable[Any]]) -> PlanPayload:
    async def run() -> dict[str, Any]:
        return {"plan": PlanNode.from_model(await work())}

    return await payload(info, PlanPayload, run)


def _result(info: strawberry.Info, index: int, outcome: Any) -> PlanDecisionResult:
    if not isinstance(outcome, DomainError):
        return PlanDecisionResult(plan=PlanNode.from_model(outcome), errors=[])
    errors = user_errors(outcome, info)
    for error in errors:
        if error.field:
            error.field = ["input", "decisions", str(index), *error.field[1:]]
    return PlanDecisionResult(errors=errors)


@strawberry.type
class PlanMutations:
    @strawberry.mutation(description="Start a cycle's plan of one kind (committee members).")
    async def plan_create(
        self, info: strawberry.Info, input: Input[PlanCreateInput]
    ) -> PlanPayload:
        def work() -> Awaitable[Any]:
            data = validated(
                plans.PlanData,
                {
                    "title_th": input.title_th,
                    "title_en": input.title_en,
                    "objective_th": input.objective_th,
                    "owner_id": _given(input.owner, lambda g: node_id(g, PersonNode, "owner")),
                },
            )
            return plans.create_plan(
                actor=info.context.actor,
                cycle_id=node_id(input.cycle, CycleNode, "cycle"),
                kind=input.kind,
                data=data,
            )

        return await _plan_payload(info, work)

    @strawberry.mutation(description="Change a DRAFT or RETURNED plan (committee members).")
    async def plan_update(
        self, info: strawberry.Info, input: Input[PlanUpdateInput]
    ) -> PlanPayload:
        def work() -> Awaitable[Any]:
            changes = _changes(
                title_th=input.title_th,
                title_en=input.title_en,
                objective_th=input.objective_th,
                owner_id=_given(input.owner, lambda g: node_id(g, PersonNode, "owner")),
            )
            return plans.update_plan(
                actor=info.context.actor,
                plan_id=node_id(input.id, PlanNode),
                version=input.version,
                changes=changes,
            )

        return await _plan_payload(info, work)

    plan_submit = transition(
        _act,
        PlanAction.SUBMIT,
        input_type=PlanTransitionInput,
        payload_type=PlanPayload,
        description="Submit a DRAFT or RETURNED plan for approval (unit chair or secretary); "
        "both plans submitted completes step 7.",
    )

    @strawberry.mutation(
        description="Record a recommendation on a submitted plan (committee members): advice "
        "kept beside, not instead of, the approver's decision."
    )
    async def plan_recommend(
        self, info: strawberry.Info, input: Input[PlanRecommendInput]
    ) -> PlanPayload:
        return await _transition(
            info,
            lambda: Decision(
                plan_id=node_id(input.id, PlanNode),
                action=PlanAction.RECOMMEND,
                version=input.version,
                recommendation=input.recommendation,
                comment=input.comment,
            ),
        )

    plan_approve = transition(
        _act,
        PlanAction.APPROVE,
        input_type=PlanTransitionInput,
        payload_type=PlanPayload,
        description="Approve a submitted plan (the unit's approver, not its author or "
        "submitter); both plans approved completes step 8.",
    )

    plan_return = transition(
        _act,
        PlanAction.RETURN,
        input_type=PlanTransitionInput,
        payload_type=PlanPayload,
        description="Return a submitted plan for changes, with a comment (the unit's approver).",
    )

    plan_reject = transition(
        _act,
        PlanAction.REJECT,
        input_type=PlanTransitionInput,
        payload_type=PlanPayload,
        description="Reject a submitted plan, with a comment (the unit's approver).",
    )

    @strawberry.mutation(
        description="Decide several submitted plans (the unit's approver): each decision is its "
        "own transition, and one that fails leaves the others done."
    )
    async def plan_decide_many(
        self, info: strawberry.Info, input: Input[PlanDecideManyInput]
    ) -> PlanDecideManyPayload:
        async def run() -> dict[str, Any]:
            decisions = [
                Decision(
                    plan_id=node_id(item.id, PlanNode, ("decisions", str(index), "id")),
                    action=PlanAction(item.decision.value),
                    version=item.version,
                    comment=item.comment,
                )
                for index, item in enumerate(input.decisions)
            ]
            outcomes = await plans.decide_many(actor=info.context.actor, decisions=decisions)
            return {"results": [_result(info, index, o) for index, o in enumerate(outcomes)]}

        return await payload(info, PlanDecideManyPayload, run)

    @strawberry.mutation(
        description="Start the next revision of the newest, approved or rejected, revision "
        "(unit chair or secretary): a DRAFT copy approved anew; the one before stays readable."
    )
    async def plan_revise(
        self, info: strawberry.Info, input: Input[PlanReviseInput]
    ) -> PlanPayload:
        revised = await _plan_payload(
            info,
            lambda: plans.revise(
                actor=info.context.actor,
                plan_id=node_id(input.id, PlanNode),
                version=input.version,
                reason=input.reason,
            ),
        )
        return await with_current(info, revised, input.id)

    @strawberry.mutation(description="Add an activity to a DRAFT or RETURNED plan.")
    async def activity_create(
        self, info: strawberry.Info, input: Input[ActivityCreateInput]
    ) -> ActivityPayload:
        async def run() -> dict[str, Any]:
            data = validated(activities.ActivityData, _activity_fields(input, changes=False))
            activity = await activities.create_activity(
                actor=info.context.actor, plan_id=node_id(input.plan, PlanNode, "plan"), data=data
            )
            return {"activity": ActivityNode.from_model(activity)}

        return await payload(info, ActivityPayload, run)

    @strawberry.mutation(description="Change an activity of a DRAFT or RETURNED plan.")
    async def activity_update(
        self, info: strawberry.Info, input: Input[ActivityUpdateInput]
    ) -> ActivityPayload:
        async def run() -> dict[str, Any]:
            activity = await activities.update_activity(
                actor=info.context.actor,
                activity_id=node_id(input.id, ActivityNode),
                version=input.version,
                changes=_activity_fields(input, changes=True),
            )
            return {"activity": ActivityNode.from_model(activity)}

        return await payload(info, ActivityPayload, run)

    @strawberry.mutation(description="Remove an activity from a DRAFT or RETURNED plan.")
    async def activity_delete(
        self, info: strawberry.Info, input: Input[ActivityDeleteInput]
    ) -> ActivityDeletePayload:
        async def run() -> dict[str, Any]:
            plan = await activities.delete_activity(
                actor=info.context.actor,
                activity_id=node_id(input.id, ActivityNode),
                version=input.version,
            )
            return {"plan": PlanNode.from_model(plan)}

        return await payload(info, ActivityDeletePayload, run)

    @strawberry.mutation(
        description="Report an activity's progress (its owners, or the unit chair or "
        "secretary); attach evidence with `documentUpload(activityReport:)`."
    )
    async def activity_progress_report(
        self, info: strawberry.Info, input: Input[ActivityProgressReportInput]
    ) -> ActivityProgressReportPayload:
        async def run() -> dict[str, Any]:
            data = validated(
                activities.ProgressData,
                {
                    "activity_id": node_id(input.activity, ActivityNode, "activity"),
                    "percent": input.percent,
                    "narrative": input.narrative,
                    "on": input.on or clock.today(),
                    "status": input.status,
                },
            )
            report = await activities.report_progress(actor=info.context.actor, data=data)
            activity = await info.context.loaders.activity.load(report.activity_id)
            return {
                "report": ActivityProgressReportNode.from_model(report),
                "activity": ActivityNode.from_model(activity),
            }

        return await payload(info, ActivityProgressReportPayload, run)
