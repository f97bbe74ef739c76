"""LO cycles and their steps as shown: schedule, status, responsible people, evidence; the
queries."""

from datetime import date
from typing import TYPE_CHECKING, Annotated, TypeVar

import strawberry
from strawberry import relay

from models.cycle import Cycle, CycleStep, DocumentSlot, ScheduleKind, StepStatus
from models.kpi import ReportRound
from schema.committee import AppointmentOrderNode
from schema.cost import ListSize
from schema.dates import FiscalYearNode, Style, thai
from schema.documents import DocumentNode, document_nodes
from schema.gap import GapAnalysisNode, GapReviewNode, GapReviewTopicNode, GapRowNode
from schema.inputs import node_id
from schema.kpi import KpiEvaluationNode
from schema.lessons import LessonNode, lesson_nodes
from schema.org import PersonNode, UnitNode, person_nodes
from schema.relay import (
    After,
    Before,
    Conditions,
    Connection,
    First,
    Last,
    ModelNode,
    node_of,
    nodes_of,
    paginate,
    read_rule,
)
from schema.sop import SopTemplateNode, SopTextNode, sop_texts
from services import clock, cycles, gap, kpi, sop
from services.cycles import CycleStanding, StepAction, StepStanding
from services.fiscal import FiscalYear, ThaiDateStyle

if TYPE_CHECKING:
    from schema.knowledge import KnowledgeTopicNode, MeasureNode
    from schema.meetings import MeetingNode
    from schema.plans.types import PlanNode
    from schema.reports.types import FinalReportNode, ProgressReportNode
    from schema.surveys import SurveyNode


StandingT = TypeVar("StandingT", bound=CycleStanding)


async def standing_in_cycle(
    info: strawberry.Info, cycle_id: int, kind: type[StandingT]
) -> StandingT:
    """The viewer's standing in a cycle (its unit and the steps naming them), through the
    loaders, for the ``viewerCan…`` fields of the domains whose work is a step's."""
    cycle = await info.context.loaders.cycle.load(cycle_id)
    unit = await info.context.loaders.standing_in_unit.load(cycle.unit_id)
    steps = await info.context.loaders.steps_of_cycle.load(cycle_id)
    people = await info.context.loaders.responsible_of_step.load_many([s.id for s in steps])
    named = cycles.named_steps(unit, zip(steps, people, strict=True))
    return kind(unit, info.context.actor.user_id, named)


@strawberry.type(name="DocumentSlot", description="A document a step needs, with the files given.")
class DocumentSlotNode(ModelNode):
    model = DocumentSlot

    visible = read_rule(cycles.visible_document_slots)

    id: relay.NodeID[int]
    name_th: str = strawberry.field(description="What the document is, in Thai.")
    name_en: str | None = strawberry.field(description="What the document is, in English.")
    required: bool = strawberry.field(description="Completing the step needs a file here.")
    position: strawberry.Private[int]

    @strawberry.field(
        description="Files attached, oldest first.", directives=[ListSize(assumed_size=5)]
    )
    async def files(self, info: strawberry.Info) -> list[DocumentNode]:
        return document_nodes(await info.context.loaders.documents_of_slot.load(self.id))

    @classmethod
    def from_model(cls, obj: DocumentSlot) -> "DocumentSlotNode":
        return cls(
            id=obj.id,
            name_th=obj.name_th,
            name_en=obj.name_en,
            required=obj.required,
            position=obj.position,
        )


@strawberry.type(name="CycleStep", description="A step of a cycle (ขั้นตอน), as scheduled.")
class CycleStepNode(ModelNode):
    model = CycleStep

    visible = read_rule(cycles.visible_steps)

    id: relay.NodeID[int]
    no: int = strawberry.field(description="Step number in the SOP, from 1.")
    phase: str = strawberry.field(description="Phase of the SOP, e.g. setup, assess.")
    title_th: str = strawberry.field(description="What is done, in Thai.")
    title_en: str | None = strawberry.field(description="What is done, in English.")
    schedule_kind: ScheduleKind = strawberry.field(description="How it is scheduled.")
    days: int | None = strawberry.field(description="Working days, for DAYS steps.")
    after: list[int] = strawberry.field(description="Numbers of the steps it follows.")
    planned_start: date = strawberry.field(description="Planned first day.")
    planned_due: date = strawberry.field(description="Planned last day.")
    status: StepStatus = strawberry.field(description="Current status.")
    actual_start: date | None = strawberry.field(description="When work started.")
    actual_end: date | None = strawberry.field(description="When it was done or skipped.")
    status_reason: str | None = strawberry.field(
        description="Why it was skipped, reopened or completed without its documents."
    )
    whole_committee: bool = strawberry.field(description="The whole committee is responsible.")
    unresolved_responsible: list[str] = strawberry.field(
        description="Names in the SOP that match no member of the committee: to assign by hand."
    )
    version: int = strawberry.field(description="Pass back with changes; bumps on every change.")
    cycle_id: strawberry.Private[int]
    model_row: strawberry.Private[CycleStep]

    @classmethod
    def from_model(cls, obj: CycleStep) -> "CycleStepNode":
        return cls(
            id=obj.id,
            no=obj.no,
            phase=obj.phase,
            title_th=obj.title_th,
            title_en=obj.title_en,
            schedule_kind=obj.schedule_kind,
            days=obj.days,
            after=list(obj.after),
            planned_start=obj.planned_start,
            planned_due=obj.planned_due,
            status=obj.status,
            actual_start=obj.actual_start,
            actual_end=obj.actual_end,
            status_reason=obj.status_reason,
            whole_committee=obj.whole_committee,
            unresolved_responsible=list(obj.unresolved_responsible),
            version=obj.version,
            cycle_id=obj.cycle_id,
            model_row=obj,
        )

    @strawberry.field(description="The cycle the step belongs to.")
    async def cycle(self, info: strawberry.Info) -> "CycleNode":
        return CycleNode.from_model(await info.context.loaders.cycle.load(self.cycle_id))

    @strawberry.field(
        description="What the step does, item by item, as the SOP's work-detail column "
        "(รายละเอียดงาน) writes it, from the template version the cycle was made from; empty "
        "when that version has none.",
        directives=[ListSize(assumed_size=5)],
    )
    async def details(self, info: strawberry.Info) -> list[SopTextNode]:
        cycle = await info.context.loaders.cycle.load(self.cycle_id)
        template = await info.context.loaders.template.load(cycle.template_id)
        return sop_texts(sop.step_details(template.steps, self.no))

    @strawberry.field(
        description="Required documents with no file yet: what completing the step still needs "
        "(unless overridden with a reason).",
        directives=[ListSize(assumed_size=5)],
    )
    async def missing_documents(self, info: strawberry.Info) -> list[DocumentSlotNode]:
        slots = [s for s in await info.context.loaders.slots_of_step.load(self.id) if s.required]
        files = await info.context.loaders.documents_of_slot.load_many([s.id for s in slots])
        return [DocumentSlotNode.from_model(s) for s, f in zip(slots, files, strict=True) if not f]

    @strawberry.field(description="Not finished and past its planned due date (Thai time).")
    def overdue(self) -> bool:
        return cycles.is_overdue(self.model_row, clock.today())

    @strawberry.field(description="Planned first day in Thai.")
    def planned_start_th(self, style: Style = ThaiDateStyle.SHORT) -> str:
        return thai(self.planned_start, style) or ""

    @strawberry.field(description="Planned last day in Thai.")
    def planned_due_th(self, style: Style = ThaiDateStyle.SHORT) -> str:
        return thai(self.planned_due, style) or ""

    @strawberry.field(
        description="People responsible (ผู้รับผิดชอบ).", directives=[ListSize(assumed_size=10)]
    )
    async def responsible(self, info: strawberry.Info) -> list[PersonNode]:
        return await person_nodes(
            info, await info.context.loaders.responsible_of_step.load(self.id)
        )

    @strawberry.field(
        description="Documents the step needs (เอกสารที่เกี่ยวข้อง), with files.",
        directives=[ListSize(assumed_size=5)],
    )
    async def documents(self, info: strawberry.Info) -> list[DocumentSlotNode]:
        slots = await info.context.loaders.slots_of_step.load(self.id)
        return [DocumentSlotNode.from_model(s) for s in slots]

    async def _standing(self, info: strawberry.Info) -> StepStanding:
        cycle = await info.context.loaders.cycle.load(self.cycle_id)
        unit = await info.context.loaders.standing_in_unit.load(cycle.unit_id)
        responsible = await info.context.loaders.responsible_of_step.load(self.id)
        return StepStanding(
            unit, cycles.is_responsible(unit, responsible, self.model_row.whole_committee)
        )

    async def _viewer_can(self, info: strawberry.Info, action: StepAction) -> bool:
        if info.context.actor.user_id is None:
            return False
        return cycles.viewer_can(self.model_row, await self._standing(info), action)

    @strawberry.field(description="The viewer may start the step now.")
    async def viewer_can_start(self, info: strawberry.Info) -> bool:
        return await self._viewer_can(info, StepAction.START)

    @strawberry.field(description="The viewer may complete the step now.")
    async def viewer_can_complete(self, info: strawberry.Info) -> bool:
        return await self._viewer_can(info, StepAction.COMPLETE)

    @strawberry.field(description="The viewer may skip the step now.")
    async def viewer_can_skip(self, info: strawberry.Info) -> bool:
        return await self._viewer_can(info, StepAction.SKIP)

    @strawberry.field(description="The viewer may reopen the step now.")
    async def viewer_can_reopen(self, info: strawberry.Info) -> bool:
        return await self._viewer_can(info, StepAction.REOPEN)

    @strawberry.field(description="The viewer may change the planned dates.")
    async def viewer_can_reschedule(self, info: strawberry.Info) -> bool:
        return await self._viewer_can(info, StepAction.RESCHEDULE)


@strawberry.type(
    name="Cycle", description="A unit's LO programme for one fiscal year and indicator (รอบ)."
)
class CycleNode(ModelNode):
    model = Cycle

    visible = read_rule(cycles.visible_cycles)

    id: relay.NodeID[int]
    indicator_code: str = strawberry.field(description="Indicator, e.g. 2.4.")
    start_date: date = strawberry.field(description="The day the cycle started.")
    version: int = strawberry.field(description="Bumps on every change to the cycle itself.")
    unit_id: strawberry.Private[int]
    be_year: strawberry.Private[int]
    template_id: strawberry.Private[int]
    committee_order_id: strawberry.Private[int | None]

    @classmethod
    def from_model(cls, obj: Cycle) -> "CycleNode":
        return cls(
            id=obj.id,
            indicator_code=obj.indicator_code,
            start_date=obj.start_date,
            version=obj.version,
            unit_id=obj.unit_id,
            be_year=obj.fiscal_year,
            template_id=obj.template_id,
            committee_order_id=obj.committee_order_id,
        )

    @strawberry.field(description="The fiscal year.")
    def fiscal_year(self) -> FiscalYearNode:
        return FiscalYearNode.of(FiscalYear(self.be_year))

    @strawberry.field(description="The unit.")
    async def unit(self, info: strawberry.Info) -> UnitNode:
        return UnitNode.from_model(await info.context.loaders.unit.load(self.unit_id))

    @strawberry.field(description="The template version the steps came from.")
    async def template(self, info: strawberry.Info) -> SopTemplateNode:
        return SopTemplateNode.from_model(
            await info.context.loaders.template.load(self.template_id)
        )

    @strawberry.field(description="The committee order used to resolve responsible people.")
    async def committee(self, info: strawberry.Info) -> AppointmentOrderNode | None:
        if self.committee_order_id is None:
            return None
        order = await info.context.loaders.order.load(self.committee_order_id)
        return AppointmentOrderNode.from_model(order) if order else None

    @strawberry.field(
        description="Every step in order (templates allow 100; SOPs have about 16).",
        directives=[ListSize(assumed_size=30)],
    )
    async def steps(self, info: strawberry.Info) -> list[CycleStepNode]:
        rows = await info.context.loaders.steps_of_cycle.load(self.id)
        return [CycleStepNode.from_model(s) for s in rows]

    @strawberry.field(
        description="The committee's meetings in this cycle, newest first.",
        directives=[ListSize(assumed_size=30)],
    )
    async def meetings(
        self, info: strawberry.Info
    ) -> list[Annotated["MeetingNode", strawberry.lazy("schema.meetings")]]:
        rows = await info.context.loaders.meetings_of_cycle.load(self.id)
        return nodes_of(rows)

    @strawberry.field(description="The cycle's surveys.", directives=[ListSize(assumed_size=4)])
    async def surveys(
        self, info: strawberry.Info
    ) -> list[Annotated["SurveyNode", strawberry.lazy("schema.surveys")]]:
        rows = await info.context.loaders.surveys_of_cycle.load(self.id)
        return nodes_of(rows)

    @strawberry.field(
        description="The GAP analysis the committee confirmed last, of either round; the live "
        "one from the "
        "answers so far when none was confirmed, or when `live` is true."
    )
    async def gap_analysis(
        self,
        info: strawberry.Info,
        live: Annotated[bool, strawberry.argument(description="Ignore the confirmed one.")] = False,
    ) -> GapAnalysisNode:
        snapshots = [] if live else await info.context.loaders.gap_snapshots_of_cycle.load(self.id)
        if snapshots:
            return GapAnalysisNode.of_snapshot(snapshots[0])
        rows = await info.context.loaders.live_gap_of_cycle.load(self.id)
        return GapAnalysisNode(
            rows=[GapRowNode.of(r) for r in rows], confirmed_at=None, confirmed_by_id=None
        )

    @strawberry.field(
        description="Every GAP analysis the committee confirmed, of both rounds, newest first.",
        directives=[ListSize(assumed_size=4)],
    )
    async def gap_analyses(self, info: strawberry.Info) -> list[GapAnalysisNode]:
        snapshots = await info.context.loaders.gap_snapshots_of_cycle.load(self.id)
        return [GapAnalysisNode.of_snapshot(s) for s in snapshots]

    @strawberry.field(
        description="The five-month review of the GAP analysis (step 12); null until both the "
        "START_OF_YEAR and the FIVE_MONTH_REVIEW rounds are confirmed."
    )
    async def gap_review(self, info: strawberry.Info) -> GapReviewNode | None:
        topics = gap.review(await info.context.loaders.gap_snapshots_of_cycle.load(self.id))
        if topics is None:
            return None
        return GapReviewNode(topics=[GapReviewTopicNode.of(t) for t in topics])

    @strawberry.field(
        description="Knowledge topics of the cycle (ประเด็นความรู้).",
        directives=[ListSize(assumed_size=30)],
    )
    async def knowledge_topics(
        self, info: strawberry.Info
    ) -> list[Annotated["KnowledgeTopicNode", strawberry.lazy("schema.knowledge")]]:
        rows = await info.context.loaders.topics_of_cycle.load(self.id)
        return nodes_of(rows)

    @strawberry.field(description="Measures (มาตรการ).", directives=[ListSize(assumed_size=20)])
    async def measures(
        self, info: strawberry.Info
    ) -> list[Annotated["MeasureNode", strawberry.lazy("schema.knowledge")]]:
        rows = await info.context.loaders.measures_of_cycle.load(self.id)
        return nodes_of(rows)

    @strawberry.field(
        description="The cycle's plans, newest revision of each kind (earlier ones through "
        "`Plan.revisions`).",
        directives=[ListSize(assumed_size=2)],
    )
    async def plans(
        self, info: strawberry.Info
    ) -> list[Annotated["PlanNode", strawberry.lazy("schema.plans.types")]]:
        rows = await info.context.loaders.latest_plans_of_cycle.load(self.id)
        return nodes_of(rows)

    @strawberry.field(description="Steps done or skipped.")
    async def finished_step_count(self, info: strawberry.Info) -> int:
        rows = await info.context.loaders.steps_of_cycle.load(self.id)
        return sum(s.status in cycles.FINISHED for s in rows)

    @strawberry.field(description="Steps past their due date and not finished.")
    async def overdue_step_count(self, info: strawberry.Info) -> int:
        on = clock.today()
        rows = await info.context.loaders.steps_of_cycle.load(self.id)
        return sum(cycles.is_overdue(s, on) for s in rows)

    @strawberry.field(
        description="The KPI success level on a day (today by default, Thai time): each level's "
        "criteria met or not, their evidence and what the next level still needs."
    )
    async def kpi(
        self,
        info: strawberry.Info,
        on: Annotated[
            date | None, strawberry.argument(description="The day it is as of; today if null.")
        ] = None,
        round: Annotated[
            ReportRound | None,
            strawberry.argument(
                description="The round whose target to compare with (default: the day's round)."
            ),
        ] = None,
    ) -> KpiEvaluationNode:
        evaluation = await info.context.loaders.kpi_of_cycle.load((self.id, on or clock.today()))
        return KpiEvaluationNode.of(kpi.for_round(evaluation, round), info.context.language)

    @strawberry.field(
        description="The cycle's DOC 4.0 progress reports, by period.",
        directives=[ListSize(assumed_size=16)],
    )
    async def progress_reports(
        self, info: strawberry.Info
    ) -> list[Annotated["ProgressReportNode", strawberry.lazy("schema.reports.types")]]:
        rows = await info.context.loaders.progress_reports_of_cycle.load(self.id)
        return nodes_of(rows)

    @strawberry.field(description="The cycle's final report and lessons learned (step 16).")
    async def final_report(
        self, info: strawberry.Info
    ) -> Annotated["FinalReportNode", strawberry.lazy("schema.reports.types")] | None:
        rows = await info.context.loaders.final_report_of_cycle.load(self.id)
        return node_of(rows[0]) if rows else None

    @strawberry.field(
        description="The approved final report of the unit's cycle of the year before."
    )
    async def previous_final_report(
        self, info: strawberry.Info
    ) -> Annotated["FinalReportNode", strawberry.lazy("schema.reports.types")] | None:
        row = await info.context.loaders.approved_final_report_of_unit_year.load(
            (self.unit_id, self.be_year - 1, self.indicator_code)
        )
        return node_of(row) if row else None

    @strawberry.field(
        description="The lessons learned of the unit's cycle of the year before (its approved "
        "final report): what worked, what did not, what to change this year.",
        directives=[ListSize(assumed_size=20)],
    )
    async def previous_lessons(self, info: strawberry.Info) -> list[LessonNode]:
        row = await info.context.loaders.approved_final_report_of_unit_year.load(
            (self.unit_id, self.be_year - 1, self.indicator_code)
        )
        return lesson_nodes(row) if row else []


@strawberry.input(description="Narrows the cycles listed; all given conditions must hold.")
class CycleFilter:
    unit: relay.GlobalID | None = strawberry.field(default=None, description="Of this unit.")
    fiscal_year: int | None = strawberry.field(default=None, description="BE year, e.g. 2565.")
    indicator_code: str | None = strawberry.field(default=None, description="e.g. 2.4.")


@strawberry.type
class CycleQueries:
    @strawberry.field(description="Cycles, newest fiscal year first.")
    async def cycles(
        self,
        info: strawberry.Info,
        filter: Conditions[CycleFilter] = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[CycleNode]:
        filter = filter or CycleFilter()
        queryset = cycles.list_cycles(
            actor=info.context.actor,
            unit_id=node_id(filter.unit, UnitNode, "unit") if filter.unit else None,
            fiscal_year=filter.fiscal_year,
            indicator_code=filter.indicator_code,
            ordering=["-fiscal_year", "unit_id"],
        )
        return await paginate(
            queryset, CycleNode.from_model, first=first, after=after, last=last, before=before
        )
