"""Mutations on progress reports and final reports: drafting, submitting, approving, recording DOC
4.0."""

from datetime import date
from decimal import Decimal
from typing import Any

import strawberry
from strawberry import relay

from models.kpi import ReportRound
from schema.cycles.types import CycleNode
from schema.errors import UserError, payload
from schema.inputs import Input, node_id
from schema.reports.types import FinalReportNode, ProgressReportNode
from schema.transitions import with_current
from services import reports
from services.errors import validated
from services.reports import LessonKind


def _changes(**fields: Any) -> dict[str, Any]:
    """The fields an update input gave: omitted ones stay."""
    return {name: value for name, value in fields.items() if value is not strawberry.UNSET}


@strawberry.input(description="A new progress report of a round that has ended.")
class ProgressReportCreateInput:
    cycle: relay.GlobalID = strawberry.field(description="The cycle.")
    round: ReportRound = strawberry.field(description="The round.")
    month: int | None = strawberry.field(
        default=None, description="MONTHLY: the calendar month, 1–12."
    )
    narrative: str = strawberry.field(default="", description="What was done.")
    problems: str = strawberry.field(default="", description="Problems and obstacles.")
    suggestions: str = strawberry.field(default="", description="Suggestions.")
    budget_spent: Decimal | None = strawberry.field(default=None, description="Budget used, THB.")


@strawberry.input(description="Changes to a DRAFT progress report: omitted fields stay.")
class ProgressReportUpdateInput:
    id: relay.GlobalID = strawberry.field(description="The report.")
    version: int = strawberry.field(description="The version the change is based on.")
    narrative: str | None = strawberry.field(default=strawberry.UNSET, description="Narrative.")
    problems: str | None = strawberry.field(default=strawberry.UNSET, description="Problems.")
    suggestions: str | None = strawberry.field(default=strawberry.UNSET, description="Suggestions.")
    budget_spent: Decimal | None = strawberry.field(
        default=strawberry.UNSET, description="Budget used, THB; null clears."
    )


@strawberry.input(description="Submit a DRAFT progress report: its figures are frozen.")
class ProgressReportSubmitInput:
    id: relay.GlobalID = strawberry.field(description="The report.")
    version: int = strawberry.field(description="The version the submission is based on.")


@strawberry.input(description="Record that a submitted report was entered in DOC 4.0.")
class ProgressReportRecordDocInput:
    id: relay.GlobalID = strawberry.field(description="The report.")
    version: int = strawberry.field(description="The version the record is based on.")
    reference: str = strawberry.field(description="The DOC 4.0 reference number.")
    doc_date: date = strawberry.field(description="The day it was reported in DOC 4.0.")


@strawberry.type(description="Result of a progress report mutation.")
class ProgressReportPayload:
    progress_report: ProgressReportNode | None = strawberry.field(
        default=None, description="The report as saved."
    )
    errors: list[UserError] = strawberry.field(description="Why nothing changed, if so.")


@strawberry.input(description="A lesson learned.")
class LessonInput:
    kind: LessonKind = strawberry.field(description="What kind.")
    text: str = strawberry.field(description="The lesson.")


@strawberry.input(description="A cycle's final report (one per cycle).")
class FinalReportCreateInput:
    cycle: relay.GlobalID = strawberry.field(description="The cycle.")
    results: str = strawberry.field(default="", description="Results.")
    evaluation: str = strawberry.field(default="", description="Evaluation against the targets.")
    lessons: list[LessonInput] = strawberry.field(
        default_factory=list, description="Lessons learned."
    )


@strawberry.input(description="Changes to a DRAFT final report: omitted fields stay.")
class FinalReportUpdateInput:
    id: relay.GlobalID = strawberry.field(description="The report.")
    version: int = strawberry.field(description="The version the change is based on.")
    results: str | None = strawberry.field(default=strawberry.UNSET, description="Results.")
    evaluation: str | None = strawberry.field(default=strawberry.UNSET, description="Evaluation.")
    lessons: list[LessonInput] | None = strawberry.field(
        default=strawberry.UNSET, description="Lessons learned, replacing the list."
    )


@strawberry.input(description="The unit head approves a final report (completes step 16).")
class FinalReportApproveInput:
    id: relay.GlobalID = strawberry.field(description="The report.")
    version: int = strawberry.field(description="The version the approval is based on.")


@strawberry.input(
    description="Record that an approved final report was entered in DOC 4.0 (step 16's last task)."
)
class FinalReportRecordDocInput:
    id: relay.GlobalID = strawberry.field(description="The report.")
    version: int = strawberry.field(description="The version the record is based on.")
    reference: str = strawberry.field(description="The DOC 4.0 reference number.")
    doc_date: date = strawberry.field(
        description="The day it was reported in DOC 4.0 (not before its approval)."
    )


@strawberry.type(description="Result of a final report mutation.")
class FinalReportPayload:
    final_report: FinalReportNode | None = strawberry.field(
        default=None, description="The report as saved."
    )
    errors: list[UserError] = strawberry.field(description="Why nothing changed, if so.")


def _lessons(items: list[LessonInput]) -> list[dict[str, Any]]:
    return [{"kind": str(i.kind), "text": i.text} for i in items]


def _text(value: str | None) -> str:
    return value or ""


@strawberry.type
class ReportMutations:
    @strawberry.mutation(
        description="Make a cycle's progress report for a round that has ended, pre-filled "
        "from the data (committee members)."
    )
    async def progress_report_create(
        self, info: strawberry.Info, input: Input[ProgressReportCreateInput]
    ) -> ProgressReportPayload:
        async def run() -> dict[str, Any]:
            text = validated(
                reports.ProgressText,
                {
                    "narrative": input.narrative,
                    "problems": input.problems,
                    "suggestions": input.suggestions,
                    "budget_spent": input.budget_spent,
                },
            )
            report = await reports.create_progress_report(
                actor=info.context.actor,
                cycle_id=node_id(input.cycle, CycleNode, "cycle"),
                round_=input.round,
                month=input.month,
                text=text,
            )
            return {"progress_report": ProgressReportNode.from_model(report)}

        return await payload(info, ProgressReportPayload, run)

    @strawberry.mutation(
        description="Change a DRAFT progress report's narrative, problems, suggestions or budget "
        "used; its figures are refreshed from the data (committee members)."
    )
    async def progress_report_update(
        self, info: strawberry.Info, input: Input[ProgressReportUpdateInput]
    ) -> ProgressReportPayload:
        async def run() -> dict[str, Any]:
            changes = _changes(
                narrative=input.narrative,
                problems=input.problems,
                suggestions=input.suggestions,
                budget_spent=input.budget_spent,
            )
            for name in ("narrative", "problems", "suggestions"):
                if name in changes:
                    changes[name] = _text(changes[name])
            report = await reports.update_progress_report(
                actor=info.context.actor,
                report_id=node_id(input.id, ProgressReportNode),
                version=input.version,
                changes=changes,
            )
            return {"progress_report": ProgressReportNode.from_model(report)}

        return await payload(info, ProgressReportPayload, run)

    @strawberry.mutation(
        description="Submit a DRAFT progress report, freezing its figures (chair or secretary); "
        "the M5 report completes step 11."
    )
    async def progress_report_submit(
        self, info: strawberry.Info, input: Input[ProgressReportSubmitInput]
    ) -> ProgressReportPayload:
        async def run() -> dict[str, Any]:
            report = await reports.submit_progress_report(
                actor=info.context.actor,
                report_id=node_id(input.id, ProgressReportNode),
                version=input.version,
            )
            return {"progress_report": ProgressReportNode.from_model(report)}

        return await with_current(info, await payload(info, ProgressReportPayload, run), input.id)

    @strawberry.mutation(
        description="Record the DOC 4.0 reference number and date of a submitted report "
        "(whoever step 11 names, and the chair and the secretary)."
    )
    async def progress_report_record_doc(
        self, info: strawberry.Info, input: Input[ProgressReportRecordDocInput]
    ) -> ProgressReportPayload:
        async def run() -> dict[str, Any]:
            report = await reports.record_doc(
                actor=info.context.actor,
                report_id=node_id(input.id, ProgressReportNode),
                version=input.version,
                reference=input.reference,
                reported_on=input.doc_date,
            )
            return {"progress_report": ProgressReportNode.from_model(report)}

        return await with_current(info, await payload(info, ProgressReportPayload, run), input.id)

    @strawberry.mutation(
        description="Make a cycle's final report and lessons learned (committee members)."
    )
    async def final_report_create(
        self, info: strawberry.Info, input: Input[FinalReportCreateInput]
    ) -> FinalReportPayload:
        async def run() -> dict[str, Any]:
            text = validated(
                reports.FinalText,
                {
                    "results": input.results,
                    "evaluation": input.evaluation,
                    "lessons": _lessons(input.lessons),
                },
            )
            report = await reports.create_final_report(
                actor=info.context.actor,
                cycle_id=node_id(input.cycle, CycleNode, "cycle"),
                text=text,
            )
            return {"final_report": FinalReportNode.from_model(report)}

        return await payload(info, FinalReportPayload, run)

    @strawberry.mutation(description="Change a DRAFT final report (committee members).")
    async def final_report_update(
        self, info: strawberry.Info, input: Input[FinalReportUpdateInput]
    ) -> FinalReportPayload:
        async def run() -> dict[str, Any]:
            changes = _changes(
                results=input.results, evaluation=input.evaluation, lessons=input.lessons
            )
            for name in ("results", "evaluation"):
                if name in changes:
                    changes[name] = _text(changes[name])
            if "lessons" in changes:
                changes["lessons"] = _lessons(changes["lessons"] or [])
            report = await reports.update_final_report(
                actor=info.context.actor,
                report_id=node_id(input.id, FinalReportNode),
                version=input.version,
                changes=changes,
            )
            return {"final_report": FinalReportNode.from_model(report)}

        return await payload(info, FinalReportPayload, run)

    @strawberry.mutation(
        description="Approve a DRAFT final report (the unit head, not its author); completes "
        "step 16."
    )
    async def final_report_approve(
        self, info: strawberry.Info, input: Input[FinalReportApproveInput]
    ) -> FinalReportPayload:
        async def run() -> dict[str, Any]:
            report = await reports.approve_final_report(
                actor=info.context.actor,
                report_id=node_id(input.id, FinalReportNode),
                version=input.version,
            )
            return {"final_report": FinalReportNode.from_model(report)}

        return await with_current(info, await payload(info, FinalReportPayload, run), input.id)

    @strawberry.mutation(
        description="Record the DOC 4.0 reference number and date of an approved final report "
        "(whoever step 16 names: the chair, the secretary, the assistant secretary)."
    )
    async def final_report_record_doc(
        self, info: strawberry.Info, input: Input[FinalReportRecordDocInput]
    ) -> FinalReportPayload:
        async def run() -> dict[str, Any]:
            report = await reports.record_final_doc(
                actor=info.context.actor,
                report_id=node_id(input.id, FinalReportNode),
                version=input.version,
                reference=input.reference,
                reported_on=input.doc_date,
            )
            return {"final_report": FinalReportNode.from_model(report)}

        return await with_current(info, await payload(info, FinalReportPayload, run), input.id)
