"""Mutations on cycles and their steps: opening a cycle, the step transitions, assignment and
rescheduling."""

from datetime import date
from typing import Any

import strawberry
from strawberry import relay

from schema.cycles.types import CycleNode, CycleStepNode
from schema.errors import UserError, payload
from schema.inputs import Input, node_id
from schema.org import PersonNode, UnitNode
from schema.sop import SopTemplateNode
from schema.transitions import transition
from services import cycles
from services.cycles import StepAction


@strawberry.input(description="Open a unit's cycle for a fiscal year.")
class CycleCreateInput:
    unit: relay.GlobalID = strawberry.field(description="The unit.")
    fiscal_year: int = strawberry.field(description="BE year, e.g. 2565.")
    start_date: date = strawberry.field(description="First day of work, inside the fiscal year.")
    indicator_code: str = strawberry.field(default="2.4", description="The indicator.")
    template: relay.GlobalID | None = strawberry.field(
        default=None, description="Template version; the unit's newest (or the default) if omitted."
    )


@strawberry.type(description="Result of `cycleCreate`.")
class CycleCreatePayload:
    cycle: CycleNode | None = strawberry.field(default=None, description="The new cycle.")
    errors: list[UserError] = strawberry.field(description="Why nothing was created, if so.")


@strawberry.input(description="A status change of a step.")
class CycleStepActionInput:
    id: relay.GlobalID = strawberry.field(description="The step.")
    version: int | None = strawberry.field(
        default=None, description="When given, the change is refused if the step moved on."
    )
    reason: str | None = strawberry.field(
        default=None, description="Why; required to skip, reopen or override documents."
    )
    override_missing_documents: bool = strawberry.field(
        default=False,
        description="Complete although required documents are missing (with a reason).",
    )
    on: date | None = strawberry.field(
        default=None, description="When it really happened, if not today (never in the future)."
    )


@strawberry.type(description="Result of a step's status change.")
class CycleStepPayload:
    step: CycleStepNode | None = strawberry.field(default=None, description="The step as saved.")
    errors: list[UserError] = strawberry.field(description="Why nothing changed, if so.")


@strawberry.input(description="New planned dates for a step.")
class CycleStepRescheduleInput:
    id: relay.GlobalID = strawberry.field(description="The step.")
    version: int = strawberry.field(description="The version the change is based on.")
    planned_start: date | None = strawberry.field(default=None, description="New first day.")
    planned_due: date | None = strawberry.field(
        default=None, description="New last day; for DAYS steps computed from the start if omitted."
    )
    reason: str | None = strawberry.field(default=None, description="Why; kept in the audit.")


@strawberry.type(description="Result of `cycleStepReschedule`.")
class CycleStepReschedulePayload:
    moved: list[CycleStepNode] = strawberry.field(
        default_factory=list, description="Every step whose dates changed, in step order."
    )
    errors: list[UserError] = strawberry.field(description="Why nothing changed, if so.")


async def _step_action(
    info: strawberry.Info, input: CycleStepActionInput, action: StepAction
) -> CycleStepPayload:
    async def run() -> dict[str, Any]:
        step = await cycles.act_on_step(
            actor=info.context.actor,
            step_id=node_id(input.id, CycleStepNode),
            action=action,
            version=input.version,
            reason=input.reason,
            override_missing_documents=input.override_missing_documents,
            on=input.on,
        )
        return {"step": CycleStepNode.from_model(step)}

    return await payload(info, CycleStepPayload, run)


@strawberry.input(description="Who is responsible for a step: the complete list.")
class CycleStepAssignInput:
    id: relay.GlobalID = strawberry.field(description="The step.")
    version: int = strawberry.field(description="The version the change is based on.")
    responsible: list[relay.GlobalID] = strawberry.field(
        description="People of the cycle's unit; replaces the list."
    )
    whole_committee: bool = strawberry.field(
        default=False, description="Every member of the committee is responsible too."
    )
    reason: str | None = strawberry.field(default=None, description="Why; kept in the audit.")


@strawberry.type
class CycleMutations:
    @strawberry.mutation(description="Open a cycle from a template (unit chair or secretary).")
    async def cycle_create(
        self, info: strawberry.Info, input: Input[CycleCreateInput]
    ) -> CycleCreatePayload:
        async def run() -> dict[str, Any]:
            cycle = await cycles.create_cycle(
                actor=info.context.actor,
                unit_id=node_id(input.unit, UnitNode, "unit"),
                fiscal_year=input.fiscal_year,
                start_date=input.start_date,
                indicator_code=input.indicator_code,
                template_id=node_id(input.template, SopTemplateNode, "template")
                if input.template
                else None,
            )
            return {"cycle": CycleNode.from_model(cycle)}

        return await payload(info, CycleCreatePayload, run)

    cycle_step_start = transition(
        _step_action,
        StepAction.START,
        input_type=CycleStepActionInput,
        payload_type=CycleStepPayload,
        description="Start a step (NOT_STARTED → IN_PROGRESS).",
    )

    cycle_step_complete = transition(
        _step_action,
        StepAction.COMPLETE,
        input_type=CycleStepActionInput,
        payload_type=CycleStepPayload,
        description="Complete a step (→ DONE); its required documents must be attached.",
    )

    cycle_step_skip = transition(
        _step_action,
        StepAction.SKIP,
        input_type=CycleStepActionInput,
        payload_type=CycleStepPayload,
        description="Skip a step with a reason (→ SKIPPED; chair or secretary).",
    )

    cycle_step_reopen = transition(
        _step_action,
        StepAction.REOPEN,
        input_type=CycleStepActionInput,
        payload_type=CycleStepPayload,
        description="Reopen a finished step with a reason (→ IN_PROGRESS; chair).",
    )

    @strawberry.mutation(
        description="Set the people responsible for a step (unit chair or secretary); settles "
        "names the SOP gave that matched no one."
    )
    async def cycle_step_assign(
        self, info: strawberry.Info, input: Input[CycleStepAssignInput]
    ) -> CycleStepPayload:
        async def run() -> dict[str, Any]:
            step = await cycles.assign_responsible(
                actor=info.context.actor,
                step_id=node_id(input.id, CycleStepNode),
                version=input.version,
                person_ids=[
                    node_id(p, PersonNode, ("responsible", str(i)))
                    for i, p in enumerate(input.responsible)
                ],
                whole_committee=input.whole_committee,
                reason=input.reason,
            )
            return {"step": CycleStepNode.from_model(step)}

        return await payload(info, CycleStepPayload, run)

    @strawberry.mutation(
        description="Change a step's planned dates; the steps that follow it move with it."
    )
    async def cycle_step_reschedule(
        self, info: strawberry.Info, input: Input[CycleStepRescheduleInput]
    ) -> CycleStepReschedulePayload:
        async def run() -> dict[str, Any]:
            moved = await cycles.reschedule_step(
                actor=info.context.actor,
                step_id=node_id(input.id, CycleStepNode),
                version=input.version,
                planned_start=input.planned_start,
                planned_due=input.planned_due,
                reason=input.reason,
            )
            return {"moved": [CycleStepNode.from_model(s) for s in moved]}

        return await payload(info, CycleStepReschedulePayload, run)
