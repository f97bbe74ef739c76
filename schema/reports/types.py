"""DOC 4.0 progress reports (SOP step 11) and the final report with its lessons learned (step 16):
types and queries."""

from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

import strawberry
from strawberry import relay

from models.kpi import FinalReport, FinalReportStatus, ProgressReport, ReportRound, ReportStatus
from models.plan import ActivityStatus
from schema.cost import ListSize
from schema.cycles.types import CycleNode, standing_in_cycle
from schema.documents import DocumentNode, document_nodes
from schema.export_links import LIFETIME, LinkLanguage, export_url
from schema.inputs import node_id
from schema.labels import Language
from schema.lessons import LessonNode, lesson_nodes
from schema.org import UnitNode
from schema.plans.types import ActivityNode, PlanNode
from schema.publishing import PublicationNode
from schema.relay import (
    After,
    Before,
    Conditions,
    Connection,
    First,
    Last,
    ModelNode,
    OrderTerm,
    SortOrder,
    order_by_terms,
    paginate,
    read_rule,
)
from schema.users import UserNode, user_node
from schema.works.types import WorkNode
from services import reports
from services.reports import ReportAction, ReportStanding
from services.signed_links import LinkFor


async def _standing(info: strawberry.Info, cycle_id: int) -> ReportStanding:
    return await standing_in_cycle(info, cycle_id, ReportStanding)


@strawberry.type(
    name="ProgressReportActivity",
    description="An activity of the plans in force and its progress at the period's end.",
)
class ProgressReportActivity:
    title_th: str = strawberry.field(description="Its title.")
    budget: Decimal = strawberry.field(description="Its budget, THB.")
    percent: int = strawberry.field(description="Progress, 0–100, from its latest report then.")
    status: ActivityStatus = strawberry.field(description="Status in that report.")
    activity_id: strawberry.Private[int]

    @strawberry.field(description="The activity.")
    async def activity(self, info: strawberry.Info) -> ActivityNode | None:
        row = await info.context.loaders.activity.load(self.activity_id)
        return ActivityNode.from_model(row) if row else None


XLSX_URL = f"Where to download it as XLSX: {LIFETIME}."
PRINT_URL = (
    "Where to open it as a printable page (a Thai official memo, บันทึกข้อความ, A4; the "
    "browser's Save as PDF makes the PDF): signed like `xlsxUrl`."
)


@strawberry.type(name="ProgressReport", description="A DOC 4.0 progress report of a cycle's round.")
class ProgressReportNode(ModelNode):
    model = ProgressReport

    visible = read_rule(reports.visible_progress_reports)

    id: relay.NodeID[int]
    round: ReportRound = strawberry.field(description="The round.")
    period_start: date = strawberry.field(description="First day covered.")
    period_end: date = strawberry.field(description="Last day covered.")
    status: ReportStatus = strawberry.field(description="Where it stands.")
    achieved_level: int | None = strawberry.field(
        description="KPI level at the period's end (frozen on submission)."
    )
    target_level: int | None = strawberry.field(description="The round's target level.")
    narrative: str = strawberry.field(description="What was done (ผลการดำเนินงาน).")
    problems: str = strawberry.field(description="Problems and obstacles (ปัญหาอุปสรรค).")
    suggestions: str = strawberry.field(description="Suggestions (ข้อเสนอแนะ).")
    budget_planned: Decimal = strawberry.field(
        description="Σ activity budgets of the plans in force at the period's end, THB."
    )
    budget_spent: Decimal | None = strawberry.field(
        description="Budget used so far, THB, as the unit reports it."
    )
    doc_reference: str | None = strawberry.field(description="DOC 4.0 reference number.")
    doc_date: date | None = strawberry.field(description="The day it was reported in DOC 4.0.")
    submitted_on: date | None = strawberry.field(description="The day it was submitted.")
    version: int = strawberry.field(description="Pass back with changes; bumps on every change.")
    created_at: datetime = strawberry.field(description="When it was made (UTC).")
    row: strawberry.Private[ProgressReport]

    @classmethod
    def from_model(cls, obj: ProgressReport) -> "ProgressReportNode":
        return cls(
            id=obj.id,
            round=obj.round,
            period_start=obj.period_start,
            period_end=obj.period_end,
            status=obj.status,
            achieved_level=obj.achieved_level,
            target_level=obj.target_level,
            narrative=obj.narrative,
            problems=obj.problems,
            suggestions=obj.suggestions,
            budget_planned=obj.budget_planned,
            budget_spent=obj.budget_spent,
            doc_reference=obj.doc_reference,
            doc_date=obj.doc_date,
            submitted_on=obj.submitted_on,
            version=obj.version,
            created_at=obj.created_at,
            row=obj,
        )

    def _snapshot(self, name: str) -> list[Any]:
        return list((self.row.snapshot or {}).get(name, []))

    @strawberry.field(description="The level reaches the target.")
    def target_met(self) -> bool:
        return self.target_level is None or (self.achieved_level or 0) >= self.target_level

    @strawberry.field(description="The cycle.")
    async def cycle(self, info: strawberry.Info) -> CycleNode:
        return CycleNode.from_model(await info.context.loaders.cycle.load(self.row.cycle_id))

    @strawberry.field(description="Who made it.")
    async def created_by(self, info: strawberry.Info) -> UserNode | None:
        return await user_node(info, self.row.created_by_id)

    @strawberry.field(description="Who submitted it.")
    async def submitted_by(self, info: strawberry.Info) -> UserNode | None:
        return await user_node(info, self.row.submitted_by_id)

    @strawberry.field(
        description="The plans in force at the period's end.", directives=[ListSize(assumed_size=2)]
    )
    async def plans(self, info: strawberry.Info) -> list[PlanNode]:
        rows = await info.context.loaders.plan.load_many(self._snapshot("plan_ids"))
        return [PlanNode.from_model(p) for p in rows if p]

    @strawberry.field(
        description="Their activities' progress.", directives=[ListSize(assumed_size=30)]
    )
    def activities(self) -> list[ProgressReportActivity]:
        return [
            ProgressReportActivity(
                title_th=a["title_th"],
                budget=Decimal(a["budget"]),
                percent=a["percent"],
                status=a["status"],
                activity_id=a["activity_id"],
            )
            for a in self._snapshot("activities")
        ]

    @strawberry.field(
        description="Works of the unit and year registered or published within the period.",
        directives=[ListSize(assumed_size=20)],
    )
    async def works(self, info: strawberry.Info) -> list[WorkNode]:
        rows = await info.context.loaders.work.load_many(self._snapshot("work_ids"))
        return [WorkNode.from_model(w) for w in rows if w]

    @strawberry.field(
        description="Publications made within the period.", directives=[ListSize(assumed_size=20)]
    )
    async def publications(self, info: strawberry.Info) -> list[PublicationNode]:
        rows = await info.context.loaders.publication.load_many(self._snapshot("publication_ids"))
        return [PublicationNode.from_model(p) for p in rows if p]

    @strawberry.field(
        description="Evidence files (of the steps and activity reports) uploaded within the "
        "period.",
        directives=[ListSize(assumed_size=20)],
    )
    async def evidence(self, info: strawberry.Info) -> list[DocumentNode]:
        rows = await info.context.loaders.document.load_many(self._snapshot("document_ids"))
        return document_nodes(d for d in rows if d and d.deleted_at is None)

    async def _can(self, info: strawberry.Info, action: ReportAction) -> bool:
        if info.context.actor.user_id is None:
            return False
        standing = await _standing(info, self.row.cycle_id)
        return reports.viewer_can_progress(self.row, standing, action)

    @strawberry.field(description="The viewer may change it now.")
    async def viewer_can_edit(self, info: strawberry.Info) -> bool:
        return await self._can(info, ReportAction.EDIT)

    @strawberry.field(description="The viewer may submit it now.")
    async def viewer_can_submit(self, info: strawberry.Info) -> bool:
        return await self._can(info, ReportAction.SUBMIT)

    @strawberry.field(description="The viewer may record its DOC 4.0 reference now.")
    async def viewer_can_record_doc(self, info: strawberry.Info) -> bool:
        return await self._can(info, ReportAction.RECORD_DOC)

    @strawberry.field(description=XLSX_URL)
    def xlsx_url(self, info: strawberry.Info, language: LinkLanguage = Language.TH) -> str:
        path = f"/exports/progress-reports/{relay.to_base64(ProgressReportNode, self.id)}.xlsx"
        return export_url(info, path, LinkFor.PROGRESS_REPORT, self.id, language)

    @strawberry.field(description=PRINT_URL)
    def print_url(self, info: strawberry.Info, language: LinkLanguage = Language.TH) -> str:
        path = f"/exports/progress-reports/{relay.to_base64(ProgressReportNode, self.id)}.html"
        return export_url(info, path, LinkFor.PROGRESS_REPORT, self.id, language)


@strawberry.type(
    name="FinalReport",
    description="A cycle's final report and lessons learned (รายงานผลและสรุปบทเรียน, step 16).",
)
class FinalReportNode(ModelNode):
    model = FinalReport

    visible = read_rule(reports.visible_final_reports)

    id: relay.NodeID[int]
    status: FinalReportStatus = strawberry.field(description="Where it stands.")
    results: str = strawberry.field(description="Results (ผลการดำเนินงาน).")
    evaluation: str = strawberry.field(description="Evaluation against the targets (การประเมินผล).")
    achieved_level: int | None = strawberry.field(
        description="KPI level (today while DRAFT; frozen on approval and on its DOC 4.0 record)."
    )
    target_level: int | None = strawberry.field(description="The M12 target level.")
    approved_on: date | None = strawberry.field(description="The day it was approved.")
    doc_reference: str | None = strawberry.field(
        description="DOC 4.0 reference number, once reported there (step 16)."
    )
    doc_date: date | None = strawberry.field(description="The day it was reported in DOC 4.0.")
    version: int = strawberry.field(description="Pass back with changes; bumps on every change.")
    created_at: datetime = strawberry.field(description="When it was made (UTC).")
    row: strawberry.Private[FinalReport]

    @classmethod
    def from_model(cls, obj: FinalReport) -> "FinalReportNode":
        return cls(
            id=obj.id,
            status=obj.status,
            results=obj.results,
            evaluation=obj.evaluation,
            achieved_level=obj.achieved_level,
            target_level=obj.target_level,
            approved_on=obj.approved_on,
            doc_reference=obj.doc_reference,
            doc_date=obj.doc_date,
            version=obj.version,
            created_at=obj.created_at,
            row=obj,
        )

    @strawberry.field(
        description="Lessons learned, in order.", directives=[ListSize(assumed_size=20)]
    )
    def lessons(self) -> list[LessonNode]:
        return lesson_nodes(self.row)

    @strawberry.field(description="The level reaches the target.")
    def target_met(self) -> bool:
        return self.target_level is None or (self.achieved_level or 0) >= self.target_level

    @strawberry.field(description="The cycle.")
    async def cycle(self, info: strawberry.Info) -> CycleNode:
        return CycleNode.from_model(await info.context.loaders.cycle.load(self.row.cycle_id))

    @strawberry.field(description="Who made it.")
    async def created_by(self, info: strawberry.Info) -> UserNode | None:
        return await user_node(info, self.row.created_by_id)

    @strawberry.field(description="Who approved it.")
    async def approved_by(self, info: strawberry.Info) -> UserNode | None:
        return await user_node(info, self.row.approved_by_id)

    @strawberry.field(
        description="The cycle's progress reports, by period.",
        directives=[ListSize(assumed_size=16)],
    )
    async def progress_reports(self, info: strawberry.Info) -> list[ProgressReportNode]:
        rows = await info.context.loaders.progress_reports_of_cycle.load(self.row.cycle_id)
        return [ProgressReportNode.from_model(r) for r in rows]

    async def _can(self, info: strawberry.Info, action: ReportAction) -> bool:
        if info.context.actor.user_id is None:
            return False
        standing = await _standing(info, self.row.cycle_id)
        return reports.viewer_can_final(self.row, standing, action)

    @strawberry.field(description="The viewer may change it now.")
    async def viewer_can_edit(self, info: strawberry.Info) -> bool:
        return await self._can(info, ReportAction.EDIT)

    @strawberry.field(description="The viewer may approve it now (the unit head, not its author).")
    async def viewer_can_approve(self, info: strawberry.Info) -> bool:
        return await self._can(info, ReportAction.APPROVE)

    @strawberry.field(
        description="The viewer may record its DOC 4.0 reference now (approved; whoever step 16 "
        "names)."
    )
    async def viewer_can_record_doc(self, info: strawberry.Info) -> bool:
        return await self._can(info, ReportAction.RECORD_DOC)

    @strawberry.field(description=XLSX_URL)
    def xlsx_url(self, info: strawberry.Info, language: LinkLanguage = Language.TH) -> str:
        path = f"/exports/final-reports/{relay.to_base64(FinalReportNode, self.id)}.xlsx"
        return export_url(info, path, LinkFor.FINAL_REPORT, self.id, language)

    @strawberry.field(description=PRINT_URL)
    def print_url(self, info: strawberry.Info, language: LinkLanguage = Language.TH) -> str:
        path = f"/exports/final-reports/{relay.to_base64(FinalReportNode, self.id)}.html"
        return export_url(info, path, LinkFor.FINAL_REPORT, self.id, language)


# -- queries ----------------------------------------------------------------------------------


@strawberry.enum(description="Fields progress reports can be ordered by.")
class ProgressReportOrderField(Enum):
    PERIOD_START = "period_start"
    PERIOD_END = "period_end"
    CREATED_AT = "created_at"


@strawberry.input(description="One ordering term for progress reports.")
class ProgressReportOrder(OrderTerm):
    field: ProgressReportOrderField = strawberry.field(description="Field to order by.")


@strawberry.input(description="Narrows the progress reports listed; all conditions must hold.")
class ProgressReportFilter:
    cycle: relay.GlobalID | None = strawberry.field(default=None, description="Of this cycle.")
    unit: relay.GlobalID | None = strawberry.field(default=None, description="Of this unit.")
    fiscal_year: int | None = strawberry.field(default=None, description="BE year, e.g. 2565.")
    round: ReportRound | None = strawberry.field(default=None, description="Of this round.")
    status: ReportStatus | None = strawberry.field(default=None, description="In this status.")


@strawberry.enum(description="Fields final reports can be ordered by.")
class FinalReportOrderField(Enum):
    CREATED_AT = "created_at"
    APPROVED_ON = "approved_on"


@strawberry.input(description="One ordering term for final reports.")
class FinalReportOrder(OrderTerm):
    field: FinalReportOrderField = strawberry.field(description="Field to order by.")


@strawberry.input(description="Narrows the final reports listed; all conditions must hold.")
class FinalReportFilter:
    unit: relay.GlobalID | None = strawberry.field(default=None, description="Of this unit.")
    fiscal_year: int | None = strawberry.field(default=None, description="BE year, e.g. 2565.")
    status: FinalReportStatus | None = strawberry.field(default=None, description="In this status.")


@strawberry.type
class ReportQueries:
    @strawberry.field(description="DOC 4.0 progress reports, for anyone signed in.")
    async def progress_reports(
        self,
        info: strawberry.Info,
        filter: Conditions[ProgressReportFilter] = None,
        order_by: SortOrder[ProgressReportOrder] = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[ProgressReportNode]:
        filter = filter or ProgressReportFilter()
        queryset = reports.list_progress_reports(
            actor=info.context.actor,
            cycle_id=node_id(filter.cycle, CycleNode, "cycle") if filter.cycle else None,
            unit_id=node_id(filter.unit, UnitNode, "unit") if filter.unit else None,
            fiscal_year=filter.fiscal_year,
            round_=filter.round,
            status=filter.status,
            ordering=order_by_terms(order_by, default=["cycle_id", "period_end", "period_start"]),
        )
        return await paginate(
            queryset,
            ProgressReportNode.from_model,
            first=first,
            after=after,
            last=last,
            before=before,
        )

    @strawberry.field(description="Final reports, for anyone signed in.")
    async def final_reports(
        self,
        info: strawberry.Info,
        filter: Conditions[FinalReportFilter] = None,
        order_by: SortOrder[FinalReportOrder] = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[FinalReportNode]:
        filter = filter or FinalReportFilter()
        queryset = reports.list_final_reports(
            actor=info.context.actor,
            unit_id=node_id(filter.unit, UnitNode, "unit") if filter.unit else None,
            fiscal_year=filter.fiscal_year,
            status=filter.status,
            ordering=order_by_terms(order_by, default=["cycle_id"]),
        )
        return await paginate(
            queryset, FinalReportNode.from_model, first=first, after=after, last=last, before=before
        )


# -- mutations --------------------------------------------------------------------------------
