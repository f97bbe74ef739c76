"""Editions and entries of the LIKE Talk Award in GraphQL. What the viewer may read of them is
asked of ``services.contests.access``."""

import asyncio
from datetime import datetime
from enum import Enum
from typing import Annotated, Any

import strawberry
from strawberry import relay
from strawberry.scalars import JSON

from models.contest import Contest, Entry
from schema.contests.enums import (
    ContestStatus,
    EntryStatus,
    RankingMethod,
    TieBreak,
)
from schema.contests.inputs import EntryFilter, EntryOrder
from schema.contests.judging import (
    ConflictDeclarationNode,
    EntryAggregate,
    JudgeAssignmentNode,
    ScoreSheetNode,
)
from schema.contests.parts import (
    AwardLevel,
    ContestCategoryNode,
    ContestFormNode,
    RubricCriterionNode,
)
from schema.contests.standing import entry_standing
from schema.contests.statistics import ContestStatisticsType
from schema.cost import ListSize
from schema.dates import FiscalYearNode
from schema.export_links import LIFETIME, ExportFormat, LinkLanguage, export_url
from schema.inputs import node_id
from schema.labels import Language
from schema.org import PersonNode, UnitNode, person_nodes
from schema.relay import (
    After,
    Before,
    Conditions,
    Connection,
    First,
    Last,
    ModelNode,
    SortOrder,
    order_by_terms,
    paginate,
    read_rule,
    when_loaded,
)
from schema.works.types import WorkNode
from services.contests import access, editions, entries, judging, results
from services.contests.results import Results
from services.fiscal import FiscalYear
from services.signed_links import LinkFor


@strawberry.enum(description="A table of an edition's results.")
class ContestExportTable(Enum):
    ENTRIES = "entries"
    JUDGES = "judges"


@strawberry.type(
    name="Contest", description="An edition of the LIKE Talk Award (การประกวด LIKE Talk Award)."
)
class ContestNode(ModelNode):
    model = Contest

    id: relay.NodeID[int]
    name_th: str = strawberry.field(description="Name in Thai.")
    name_en: str | None = strawberry.field(description="Name in English.")
    opens_at: datetime = strawberry.field(description="The call opens (UTC).")
    closes_at: datetime = strawberry.field(description="The call closes (UTC).")
    changes_until: datetime = strawberry.field(
        description="Last moment entries may change (returned ones resubmitted), UTC."
    )
    results_at: datetime | None = strawberry.field(description="Planned publication of results.")
    results_published_at: datetime | None = strawberry.field(
        description="When the results were published."
    )
    status: ContestStatus = strawberry.field(description="Lifecycle state.")
    ranking_method: RankingMethod = strawberry.field(description="How entries are ranked.")
    tie_breaks: list[TieBreak] = strawberry.field(description="Tie-breaks, applied in this order.")
    disagreement_threshold: float = strawberry.field(
        description="A standard deviation of judges' totals above this flags disagreement."
    )
    judges_per_entry: int = strawberry.field(description="Judges each entry gets (k).")
    award_levels: list[AwardLevel] = strawberry.field(description="Award levels, highest first.")
    version: int = strawberry.field(description="Pass back with changes; bumps on every change.")
    be_year: strawberry.Private[int]
    row: strawberry.Private[Contest]

    @classmethod
    def from_model(cls, obj: Contest) -> "ContestNode":
        return cls(
            id=obj.id,
            name_th=obj.name_th,
            name_en=obj.name_en,
            opens_at=obj.opens_at,
            closes_at=obj.closes_at,
            changes_until=obj.changes_until,
            results_at=obj.results_at,
            results_published_at=obj.results_published_at,
            status=obj.status,
            ranking_method=obj.ranking_method,
            tie_breaks=[TieBreak(t) for t in obj.tie_breaks],
            disagreement_threshold=obj.disagreement_threshold,
            judges_per_entry=obj.judges_per_entry,
            award_levels=[AwardLevel.of(obj, a["code"]) for a in obj.award_levels],
            version=obj.version,
            be_year=obj.fiscal_year,
            row=obj,
        )

    visible = read_rule(access.visible_contests)

    @strawberry.field(description="The fiscal year.")
    def fiscal_year(self) -> FiscalYearNode:
        return FiscalYearNode.of(FiscalYear(self.be_year))

    @strawberry.field(description="Categories in order.", directives=[ListSize(assumed_size=10)])
    async def categories(self, info: strawberry.Info) -> list[ContestCategoryNode]:
        rows = await info.context.loaders.categories_of_contest.load(self.id)
        return [ContestCategoryNode.from_model(c) for c in rows]

    @strawberry.field(
        description="Every rubric criterion, general and per category, in order.",
        directives=[ListSize(assumed_size=20)],
    )
    async def criteria(self, info: strawberry.Info) -> list[RubricCriterionNode]:
        rows = await info.context.loaders.criteria_of_contest.load(self.id)
        return [RubricCriterionNode.from_model(c) for c in rows]

    @strawberry.field(description="The current version of the application form.")
    async def form(self, info: strawberry.Info) -> ContestFormNode:
        rows = await info.context.loaders.forms_of_contest.load(self.id)
        return ContestFormNode.from_model(rows[0])

    @strawberry.field(description="Entries the viewer may see.")
    async def entries(
        self,
        info: strawberry.Info,
        filter: Conditions[EntryFilter] = None,
        order_by: SortOrder[EntryOrder] = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection["EntryNode"]:
        filter = filter or EntryFilter()
        queryset = entries.list_entries(
            actor=info.context.actor,
            contest_id=self.id,
            category_id=node_id(filter.category, ContestCategoryNode, "category")
            if filter.category
            else None,
            status=filter.status,
            unit_id=node_id(filter.unit, UnitNode, "unit") if filter.unit else None,
            judge_id=info.context.actor.user_id if filter.assigned_to_me else None,
            ordering=order_by_terms(order_by, ["id"]),
        )
        return await paginate(
            queryset,
            EntryNode.from_model,
            first=first,
            after=after,
            last=last,
            before=before,
            info=info,
        )

    @strawberry.field(
        description=f"Where to download a table of the results (by entry, or by judge with "
        f"every score): {LIFETIME}; for organisers and managers, null for anyone else. CSV is "
        "UTF-8 with a byte-order mark."
    )
    def export_url(
        self,
        info: strawberry.Info,
        table: Annotated[
            ContestExportTable, strawberry.argument(description="By entry or by judge.")
        ],
        format: Annotated[ExportFormat, strawberry.argument(description="XLSX or CSV.")],
        language: LinkLanguage = Language.TH,
    ) -> str | None:
        if not access.may_read_everything(info.context.actor):
            return None
        path = f"/exports/contests/{relay.to_base64(ContestNode, self.id)}/{table.value}"
        return export_url(info, f"{path}.{format.value}", LinkFor.CONTEST_EXPORT, self.id, language)

    @strawberry.field(
        description="Live figures: entries by category, unit and status, judges' progress, "
        "per-criterion statistics (organisers and managers; null for anyone else)."
    )
    async def statistics(self, info: strawberry.Info) -> ContestStatisticsType | None:
        if not access.may_read_everything(info.context.actor):
            return None
        return ContestStatisticsType.of(await info.context.loaders.contest_statistics.load(self.id))

    @strawberry.field(description="The viewer may configure and run this edition.")
    def viewer_can_manage(self, info: strawberry.Info) -> bool:
        return access.is_organiser(info.context.actor)

    @strawberry.field(description="The call is open now: the viewer may enter a work.")
    def viewer_can_enter(self, info: strawberry.Info) -> bool:
        return editions.may_enter(info.context.actor, self.row)


@strawberry.type(
    name="Entry", description="A registered work entered in a category (ผลงานที่ส่งประกวด)."
)
class EntryNode(ModelNode):
    model = Entry

    id: relay.NodeID[int]
    status: EntryStatus = strawberry.field(description="Lifecycle state.")
    submitted_at: datetime | None = strawberry.field(description="Last handed in (UTC).")
    created_at: datetime = strawberry.field(description="When the entry was made (UTC).")
    version: int = strawberry.field(description="Pass back with changes; bumps on every change.")
    row: strawberry.Private[Entry]

    @classmethod
    def from_model(cls, obj: Entry) -> "EntryNode":
        return cls(
            id=obj.id,
            status=obj.status,
            submitted_at=obj.submitted_at,
            created_at=obj.created_at,
            version=obj.version,
            row=obj,
        )

    visible = read_rule(access.visible_entries)

    @classmethod
    def prefetch(
        cls, info: strawberry.Info, nodes: list["EntryNode"], fields: set[str]
    ) -> list[Any]:
        loaders = info.context.loaders
        rows = [n.row for n in nodes]
        loads: list[Any] = []
        if "work" in fields:
            loads.append(loaders.work.load_many([r.work_id for r in rows]))
        if "category" in fields:
            loads.append(loaders.contest_category.load_many([r.category_id for r in rows]))
        if "aggregate" in fields:
            loads.append(_aggregate_sources(info, rows))
        return loads

    @strawberry.field(
        description="Answers to the application form, by field key: for the entrant, its judges, "
        "organisers and managers; null for anyone else."
    )
    async def answers(self, info: strawberry.Info) -> JSON | None:
        standing = await entry_standing(info, self.row)
        return self.row.answers if standing.sees_answers else None

    @strawberry.field(
        description="The organisers' screening comment (why returned or not shortlisted): for "
        "the entrant, organisers and managers."
    )
    async def screening_comment(self, info: strawberry.Info) -> str | None:
        standing = await entry_standing(info, self.row)
        return self.row.screening_comment if standing.sees_screening_comment else None

    async def _contest(self, info: strawberry.Info) -> Contest:
        return await info.context.loaders.contest.load(self.row.contest_id)

    @strawberry.field(description="The edition.")
    async def contest(self, info: strawberry.Info) -> ContestNode:
        return ContestNode.from_model(await self._contest(info))

    @strawberry.field(description="The category entered.")
    def category(self, info: strawberry.Info) -> ContestCategoryNode:
        row = info.context.loaders.contest_category.load(self.row.category_id)
        return when_loaded(row, ContestCategoryNode.from_model)

    @strawberry.field(description="The registered work.")
    def work(self, info: strawberry.Info) -> WorkNode:
        return when_loaded(info.context.loaders.work.load(self.row.work_id), WorkNode.from_model)

    @strawberry.field(description="The unit the work comes from.")
    async def unit(self, info: strawberry.Info) -> UnitNode:
        return UnitNode.from_model(await info.context.loaders.unit.load(self.row.unit_id))

    @strawberry.field(description="Version of the form the answers follow.")
    async def form_version(self, info: strawberry.Info) -> int:
        form = await info.context.loaders.contest_form.load(self.row.form_id)
        return int(form.version)

    @strawberry.field(
        description="Who presents it, in order.", directives=[ListSize(assumed_size=5)]
    )
    async def presenters(self, info: strawberry.Info) -> list[PersonNode]:
        rows = await info.context.loaders.presenters_of_entry.load(self.id)
        return await person_nodes(info, [p.person_id for p in rows])

    async def _published_or_organiser(self, info: strawberry.Info) -> bool:
        return access.results_visible(info.context.actor, await self._contest(info))

    @strawberry.field(
        description="Award level, once results are published; organisers and managers see "
        "the decision before."
    )
    async def award_level(self, info: strawberry.Info) -> AwardLevel | None:
        if not self.row.award_level or not await self._published_or_organiser(info):
            return None
        return AwardLevel.of(await self._contest(info), self.row.award_level)

    @strawberry.field(description="Rank in the category kept at publication.")
    async def final_rank(self, info: strawberry.Info) -> int | None:
        return self.row.final_rank if await self._published_or_organiser(info) else None

    @strawberry.field(description="Why it holds its published rank (tie-breaks used).")
    async def rank_reason(self, info: strawberry.Info) -> str | None:
        if not await self._published_or_organiser(info):
            return None
        return results.stored_reason_text(self.row.rank_reason, info.context.language)

    @strawberry.field(
        description="Judges assigned (organisers and managers; a judge sees only their own).",
        directives=[ListSize(assumed_size=10)],
    )
    async def judges(self, info: strawberry.Info) -> list[JudgeAssignmentNode]:
        rows = await info.context.loaders.judges_of_entry.load(self.id)
        actor = info.context.actor
        return [
            JudgeAssignmentNode.from_model(a)
            for a in rows
            if access.sees_judge_row(actor, a.judge_id)
        ]

    @strawberry.field(
        description="Declared conflicts of interest (organisers and managers; a judge sees their "
        "own).",
        directives=[ListSize(assumed_size=10)],
    )
    async def conflicts(self, info: strawberry.Info) -> list[ConflictDeclarationNode]:
        rows = await info.context.loaders.conflicts_of_entry.load(self.id)
        actor = info.context.actor
        return [
            ConflictDeclarationNode.from_model(c)
            for c in rows
            if access.sees_judge_row(actor, c.judge_id)
        ]

    @strawberry.field(
        description="Raw score sheets: the viewer's own; every judge's once the viewer submitted "
        "theirs (organisers and managers always).",
        directives=[ListSize(assumed_size=10)],
    )
    async def score_sheets(self, info: strawberry.Info) -> list[ScoreSheetNode]:
        standing = await entry_standing(info, self.row)
        rows = await info.context.loaders.sheets_of_entry.load(self.id)
        return [ScoreSheetNode.from_model(s) for s in rows if standing.sees_sheet(s)]

    @strawberry.field(
        description="Aggregates and live rank: organisers, managers, and judges who submitted "
        "their sheet; everyone who sees the entry once results are published. Null otherwise."
    )
    def aggregate(self, info: strawberry.Info) -> EntryAggregate | None:
        contest = info.context.loaders.contest.load(self.row.contest_id)
        return when_loaded(
            entry_standing(info, self.row),
            lambda standing: when_loaded(contest, lambda row: self._aggregate(info, standing, row)),
        )

    def _aggregate(
        self, info: strawberry.Info, standing: access.EntryStanding, contest: Contest
    ) -> Any:
        if not standing.sees_aggregate(contest):
            return None

        def of(ranked: Results) -> EntryAggregate | None:
            result = ranked.by_entry.get(self.id)
            if result is None:
                return None
            return EntryAggregate.of(result, info.context.language, standing.sees_scores)

        return when_loaded(info.context.loaders.contest_results.load(self.row.contest_id), of)

    @strawberry.field(description="The viewer may hand the entry in now.")
    async def viewer_can_submit(self, info: strawberry.Info) -> bool:
        standing = await entry_standing(info, self.row)
        return entries.viewer_may_submit(standing, await self._contest(info), self.row)

    @strawberry.field(description="The viewer may withdraw the entry now.")
    async def viewer_can_withdraw(self, info: strawberry.Info) -> bool:
        standing = await entry_standing(info, self.row)
        return entries.viewer_may_withdraw(standing, await self._contest(info), self.row)

    @strawberry.field(description="The viewer may screen the entry now.")
    async def viewer_can_screen(self, info: strawberry.Info) -> bool:
        contest = await self._contest(info)
        return entries.viewer_may_screen(info.context.actor, contest, self.row)

    @strawberry.field(description="The viewer is assigned, without conflict, and may score now.")
    async def viewer_can_score(self, info: strawberry.Info) -> bool:
        standing = await entry_standing(info, self.row)
        return judging.viewer_may_score(standing, await self._contest(info), self.row)


async def _aggregate_sources(info: strawberry.Info, entries: list[Entry]) -> None:
    """What ``EntryNode.aggregate`` reads for a page: the standings and editions, then the
    results of the editions whose aggregates the viewer sees (computed only for those, as the
    field does)."""
    loaders = info.context.loaders
    standings, contests = await asyncio.gather(
        loaders.entry_standing.load_many(entries),
        loaders.contest.load_many([e.contest_id for e in entries]),
    )
    seen = {
        contest.id
        for standing, contest in zip(standings, contests, strict=True)
        if standing.sees_aggregate(contest)
    }
    await loaders.contest_results.load_many(sorted(seen))
