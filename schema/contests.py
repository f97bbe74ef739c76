"""LIKE Talk Award (SOP step 15): editions, categories, rubric, application form and entries."""

from datetime import datetime
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from strawberry import relay
from strawberry.scalars import JSON

from models.contest import (
    Contest,
    ContestCategory,
    ContestForm,
    ContestStatus,
    Entry,
    EntryStatus,
    RankingMethod,
    RubricCriterion,
    TieBreak,
)
from schema.cost import ListSize
from schema.dates import FiscalYearNode
from schema.errors import UserError, payload
from schema.inputs import Input, node_id
from schema.org import PersonNode, UnitNode, person_nodes
from schema.relay import (
    After,
    Before,
    Connection,
    First,
    Last,
    ModelNode,
    OrderTerm,
    order_by_terms,
    paginate,
)
from schema.works import WorkNode
from services import contest_results, contests, judging
from services.contest_forms import FormFieldKind
from services.contests import ContestAction, EntryAction
from services.errors import validated
from services.fiscal import FiscalYear

if TYPE_CHECKING:
    from schema.judging import (
        ConflictDeclarationNode,
        ContestStatisticsType,
        EntryAggregate,
        JudgeAssignmentNode,
        ScoreSheetNode,
    )

ContestStatusEnum = strawberry.enum(
    ContestStatus, name="ContestStatus", description="Where an edition stands."
)
EntryStatusEnum = strawberry.enum(
    EntryStatus, name="EntryStatus", description="Where an entry stands."
)
RankingMethodEnum = strawberry.enum(
    RankingMethod,
    name="RankingMethod",
    description="How entries are ranked: mean or median weighted total, or normalised score.",
)
TieBreakEnum = strawberry.enum(
    TieBreak,
    name="TieBreak",
    description="A key that breaks ties, higher first (EARLIER_SUBMISSION: handed in first).",
)
FormFieldKindEnum = strawberry.enum(
    FormFieldKind, name="FormFieldKind", description="The kind of answer a form field takes."
)


@strawberry.type(description="A level of award (ระดับรางวัล), e.g. GOLD.")
class AwardLevel:
    code: str = strawberry.field(description="Stable code, e.g. GOLD.")
    label_th: str = strawberry.field(description="Name in Thai.")
    label_en: str | None = strawberry.field(description="Name in English.")

    @classmethod
    def of(cls, contest: Contest, code: str) -> "AwardLevel":
        """The level ``code`` as ``contest`` names it (its code alone if the edition no longer
        lists it)."""
        named = next((a for a in contest.award_levels if a["code"] == code), {"label_th": code})
        return cls(code=code, label_th=named["label_th"], label_en=named.get("label_en"))


@strawberry.type(name="ContestCategory", description="A category of an edition (ประเภทรางวัล).")
class ContestCategoryNode(ModelNode):
    model = ContestCategory

    id: relay.NodeID[int]
    code: str = strawberry.field(description="Short code, unique in the edition.")
    name_th: str = strawberry.field(description="Name in Thai.")
    name_en: str | None = strawberry.field(description="Name in English.")
    position: int = strawberry.field(description="Order in the edition, from 1.")

    @classmethod
    def visible(cls, info: strawberry.Info) -> Any:
        return contests.parts_visible_to(info.context.actor, ContestCategory)

    @classmethod
    def from_model(cls, obj: ContestCategory) -> "ContestCategoryNode":
        return cls(
            id=obj.id,
            code=obj.code,
            name_th=obj.name_th,
            name_en=obj.name_en,
            position=obj.position,
        )


@strawberry.type(description="What a score on a criterion means.")
class ScoreDescriptor:
    score: float = strawberry.field(description="The score described.")
    text_th: str = strawberry.field(description="In Thai.")
    text_en: str | None = strawberry.field(description="In English.")


@strawberry.type(name="RubricCriterion", description="A rubric criterion (เกณฑ์การให้คะแนน).")
class RubricCriterionNode(ModelNode):
    model = RubricCriterion

    id: relay.NodeID[int]
    position: int = strawberry.field(description="Order in the rubric, from 1.")
    name_th: str = strawberry.field(description="Name in Thai.")
    name_en: str | None = strawberry.field(description="Name in English.")
    scale_min: float = strawberry.field(description="Lowest score.")
    scale_max: float = strawberry.field(description="Highest score.")
    scale_step: float = strawberry.field(description="Scores go up in this step from the lowest.")
    weight: float = strawberry.field(description="Weight in the weighted total.")
    descriptors: list[ScoreDescriptor] = strawberry.field(
        description="What scores mean.", directives=[ListSize(assumed_size=11)]
    )
    category_id: strawberry.Private[int | None]

    @classmethod
    def visible(cls, info: strawberry.Info) -> Any:
        return contests.parts_visible_to(info.context.actor, RubricCriterion)

    @classmethod
    def from_model(cls, obj: RubricCriterion) -> "RubricCriterionNode":
        return cls(
            id=obj.id,
            position=obj.position,
            name_th=obj.name_th,
            name_en=obj.name_en,
            scale_min=obj.scale_min,
            scale_max=obj.scale_max,
            scale_step=obj.scale_step,
            weight=obj.weight,
            descriptors=[
                ScoreDescriptor(score=d["score"], text_th=d["text_th"], text_en=d.get("text_en"))
                for d in obj.descriptors
            ],
            category_id=obj.category_id,
        )

    @strawberry.field(description="The one category it applies to; null: every category.")
    async def category(self, info: strawberry.Info) -> ContestCategoryNode | None:
        if self.category_id is None:
            return None
        row = await info.context.loaders.contest_category.load(self.category_id)
        return ContestCategoryNode.from_model(row) if row else None


@strawberry.type(description="A choice of a CHOICE field.")
class FormChoiceType:
    value: str = strawberry.field(description="Stored value.")
    label_th: str = strawberry.field(description="Label in Thai.")
    label_en: str | None = strawberry.field(description="Label in English.")


@strawberry.type(description="A field of an application form, with its rules.")
class FormFieldType:
    key: str = strawberry.field(description="Key of the answer in `Entry.answers`.")
    kind: FormFieldKindEnum = strawberry.field(description="Kind of answer.")  # type: ignore[valid-type]
    label_th: str = strawberry.field(description="Label in Thai.")
    label_en: str | None = strawberry.field(description="Label in English.")
    required: bool = strawberry.field(description="Must be answered to submit.")
    min_length: int | None = strawberry.field(description="Fewest characters (text).")
    max_length: int | None = strawberry.field(description="Most characters (text).")
    minimum: float | None = strawberry.field(description="Lowest number.")
    maximum: float | None = strawberry.field(description="Highest number.")
    earliest: str | None = strawberry.field(description="Earliest date (ISO).")
    latest: str | None = strawberry.field(description="Latest date (ISO).")
    choices: list[FormChoiceType] = strawberry.field(description="Choices (CHOICE).")
    multiple: bool = strawberry.field(description="Several choices may be picked.")
    max_items: int | None = strawberry.field(description="Most items (lists).")


@strawberry.type(name="ContestForm", description="A version of an edition's application form.")
class ContestFormNode(ModelNode):
    model = ContestForm

    id: relay.NodeID[int]
    version: int = strawberry.field(description="Version, from 1; entries keep theirs.")
    created_at: datetime = strawberry.field(description="When this version was made (UTC).")
    fields: list[FormFieldType] = strawberry.field(
        description="The fields in order.", directives=[ListSize(assumed_size=20)]
    )

    @classmethod
    def visible(cls, info: strawberry.Info) -> Any:
        return contests.parts_visible_to(info.context.actor, ContestForm)

    @classmethod
    def from_model(cls, obj: ContestForm) -> "ContestFormNode":
        return cls(
            id=obj.id,
            version=obj.version,
            created_at=obj.created_at,
            fields=[
                FormFieldType(
                    key=f["key"],
                    kind=FormFieldKind(f["kind"]),
                    label_th=f["label_th"],
                    label_en=f.get("label_en"),
                    required=f.get("required", False),
                    min_length=f.get("min_length"),
                    max_length=f.get("max_length"),
                    minimum=f.get("minimum"),
                    maximum=f.get("maximum"),
                    earliest=f.get("earliest"),
                    latest=f.get("latest"),
                    choices=[
                        FormChoiceType(
                            value=c["value"], label_th=c["label_th"], label_en=c.get("label_en")
                        )
                        for c in f.get("choices", [])
                    ],
                    multiple=f.get("multiple", False),
                    max_items=f.get("max_items"),
                )
                for f in obj.definition
            ],
        )


@strawberry.enum(description="Fields entries can be ordered by.")
class EntryOrderField(Enum):
    ID = "id"
    SUBMITTED_AT = "submitted_at"
    STATUS = "status"
    FINAL_RANK = "final_rank"


@strawberry.input(description="One ordering term for entries.")
class EntryOrder(OrderTerm):
    field: EntryOrderField = strawberry.field(description="What to order by.")


@strawberry.input(description="Narrows the entries listed; all given conditions must hold.")
class EntryFilter:
    category: relay.GlobalID | None = strawberry.field(
        default=None, description="In this category."
    )
    status: EntryStatusEnum | None = strawberry.field(default=None, description="In this state.")  # type: ignore[valid-type]
    unit: relay.GlobalID | None = strawberry.field(default=None, description="From this unit.")
    assigned_to_me: bool = strawberry.field(
        default=False, description="Only entries the viewer is assigned to judge."
    )


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
    status: ContestStatusEnum = strawberry.field(description="Lifecycle state.")  # type: ignore[valid-type]
    ranking_method: RankingMethodEnum = strawberry.field(description="How entries are ranked.")  # type: ignore[valid-type]
    tie_breaks: list[TieBreakEnum] = strawberry.field(  # type: ignore[valid-type]
        description="Tie-breaks, applied in this order."
    )
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

    @classmethod
    def visible(cls, info: strawberry.Info) -> Any:
        return contests.list_contests(actor=info.context.actor)

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
        filter: Annotated[
            EntryFilter | None, strawberry.argument(description="Conditions.")
        ] = None,
        order_by: Annotated[
            list[EntryOrder] | None, strawberry.argument(description="Sort order.")
        ] = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection["EntryNode"]:
        filter = filter or EntryFilter()
        queryset = contests.list_entries(
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
            queryset, EntryNode.from_model, first=first, after=after, last=last, before=before
        )

    @strawberry.field(
        description="Live figures: entries by category, unit and status, judges' progress, "
        "per-criterion statistics (organisers and managers; null for anyone else)."
    )
    async def statistics(
        self, info: strawberry.Info
    ) -> Annotated["ContestStatisticsType", strawberry.lazy("schema.judging")] | None:
        from schema.judging import ContestStatisticsType

        if not contests.may_read_everything(info.context.actor):
            return None
        return ContestStatisticsType.of(await info.context.loaders.contest_statistics.load(self.id))

    @strawberry.field(description="The viewer may configure and run this edition.")
    def viewer_can_manage(self, info: strawberry.Info) -> bool:
        return contests.is_organiser(info.context.actor)

    @strawberry.field(description="The call is open now: the viewer may enter a work.")
    def viewer_can_enter(self, info: strawberry.Info) -> bool:
        return info.context.actor.user_id is not None and contests.window_open(self.row)


@strawberry.type(
    name="Entry", description="A registered work entered in a category (ผลงานที่ส่งประกวด)."
)
class EntryNode(ModelNode):
    model = Entry

    id: relay.NodeID[int]
    status: EntryStatusEnum = strawberry.field(description="Lifecycle state.")  # type: ignore[valid-type]
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

    @classmethod
    def visible(cls, info: strawberry.Info) -> Any:
        return contests.entries_visible_to(info.context.actor)

    @strawberry.field(
        description="Answers to the application form, by field key: for the entrant, its judges, "
        "organisers and managers; null for anyone else."
    )
    async def answers(self, info: strawberry.Info) -> JSON | None:
        standing = await self._standing(info)
        if (
            standing.entrant
            or standing.assigned
            or contests.may_read_everything(info.context.actor)
        ):
            return self.row.answers
        return None

    @strawberry.field(
        description="The organisers' screening comment (why returned or not shortlisted): for "
        "the entrant, organisers and managers."
    )
    async def screening_comment(self, info: strawberry.Info) -> str | None:
        standing = await self._standing(info)
        if standing.entrant or contests.may_read_everything(info.context.actor):
            return self.row.screening_comment
        return None

    async def _contest(self, info: strawberry.Info) -> Contest:
        return await info.context.loaders.contest.load(self.row.contest_id)

    @strawberry.field(description="The edition.")
    async def contest(self, info: strawberry.Info) -> ContestNode:
        return ContestNode.from_model(await self._contest(info))

    @strawberry.field(description="The category entered.")
    async def category(self, info: strawberry.Info) -> ContestCategoryNode:
        row = await info.context.loaders.contest_category.load(self.row.category_id)
        return ContestCategoryNode.from_model(row)

    @strawberry.field(description="The registered work.")
    async def work(self, info: strawberry.Info) -> WorkNode:
        return WorkNode.from_model(await info.context.loaders.work.load(self.row.work_id))

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
        return judging.results_visible(info.context.actor, await self._contest(info))

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
        return contest_results.stored_reason_text(self.row.rank_reason, info.context.language)

    async def _standing(self, info: strawberry.Info) -> Any:
        from schema.judging import entry_standing

        return await entry_standing(info, self.row)

    @strawberry.field(
        description="Judges assigned (organisers and managers; a judge sees only their own).",
        directives=[ListSize(assumed_size=10)],
    )
    async def judges(
        self, info: strawberry.Info
    ) -> list[Annotated["JudgeAssignmentNode", strawberry.lazy("schema.judging")]]:
        from schema.judging import JudgeAssignmentNode

        rows = await info.context.loaders.judges_of_entry.load(self.id)
        everything = contests.may_read_everything(info.context.actor)
        user = info.context.actor.user_id
        return [JudgeAssignmentNode.from_model(a) for a in rows if everything or a.judge_id == user]

    @strawberry.field(
        description="Declared conflicts of interest (organisers and managers; a judge sees their "
        "own).",
        directives=[ListSize(assumed_size=10)],
    )
    async def conflicts(
        self, info: strawberry.Info
    ) -> list[Annotated["ConflictDeclarationNode", strawberry.lazy("schema.judging")]]:
        from schema.judging import ConflictDeclarationNode

        rows = await info.context.loaders.conflicts_of_entry.load(self.id)
        everything = contests.may_read_everything(info.context.actor)
        user = info.context.actor.user_id
        return [
            ConflictDeclarationNode.from_model(c) for c in rows if everything or c.judge_id == user
        ]

    @strawberry.field(
        description="Raw score sheets: the viewer's own; every judge's once the viewer submitted "
        "theirs (organisers and managers always).",
        directives=[ListSize(assumed_size=10)],
    )
    async def score_sheets(
        self, info: strawberry.Info
    ) -> list[Annotated["ScoreSheetNode", strawberry.lazy("schema.judging")]]:
        from schema.judging import ScoreSheetNode

        standing = await self._standing(info)
        rows = await info.context.loaders.sheets_of_entry.load(self.id)
        user = info.context.actor.user_id
        return [
            ScoreSheetNode.from_model(s) for s in rows if standing.sees_scores or s.judge_id == user
        ]

    @strawberry.field(
        description="Aggregates and live rank: organisers, managers, and judges who submitted "
        "their sheet; everyone who sees the entry once results are published. Null otherwise."
    )
    async def aggregate(
        self, info: strawberry.Info
    ) -> Annotated["EntryAggregate", strawberry.lazy("schema.judging")] | None:
        from schema.judging import EntryAggregate

        standing = await self._standing(info)
        published = (await self._contest(info)).status == ContestStatus.RESULTS_PUBLISHED
        if not (standing.sees_scores or published):
            return None
        results = await info.context.loaders.contest_results.load(self.row.contest_id)
        result = results.by_entry.get(self.id)
        if result is None:
            return None
        return EntryAggregate.of(result, info.context.language, standing.sees_scores)

    @strawberry.field(description="The viewer may hand the entry in now.")
    async def viewer_can_submit(self, info: strawberry.Info) -> bool:
        standing = await self._standing(info)
        contest = await self._contest(info)
        return standing.entrant and contests.may_submit(contest, self.row)

    @strawberry.field(description="The viewer may withdraw the entry now.")
    async def viewer_can_withdraw(self, info: strawberry.Info) -> bool:
        standing = await self._standing(info)
        contest = await self._contest(info)
        return standing.entrant and contests.may_withdraw(contest, self.row)

    @strawberry.field(description="The viewer may screen the entry now.")
    async def viewer_can_screen(self, info: strawberry.Info) -> bool:
        contest = await self._contest(info)
        return contests.is_organiser(info.context.actor) and contests.may_screen(contest, self.row)

    @strawberry.field(description="The viewer is assigned, without conflict, and may score now.")
    async def viewer_can_score(self, info: strawberry.Info) -> bool:
        standing = await self._standing(info)
        contest = await self._contest(info)
        return standing.may_score and judging.scoring_open(contest, self.row)


@strawberry.input(description="A category of a new edition.")
class ContestCategoryInput:
    code: str = strawberry.field(description="Short code, e.g. INNOVATION.")
    name_th: str = strawberry.field(description="Name in Thai.")
    name_en: str | None = strawberry.field(default=None, description="Name in English.")


@strawberry.input(description="What a score means.")
class ScoreDescriptorInput:
    score: float = strawberry.field(description="The score described.")
    text_th: str = strawberry.field(description="In Thai.")
    text_en: str | None = strawberry.field(default=None, description="In English.")


@strawberry.input(description="A rubric criterion.")
class RubricCriterionInput:
    name_th: str = strawberry.field(description="Name in Thai.")
    name_en: str | None = strawberry.field(default=None, description="Name in English.")
    category_code: str | None = strawberry.field(
        default=None,
        description="Only for this category (a category with criteria of its own uses only "
        "those); every category when omitted.",
    )
    descriptors: list[ScoreDescriptorInput] = strawberry.field(
        default_factory=list, description="What scores mean."
    )
    scale_min: float = strawberry.field(default=0, description="Lowest score.")
    scale_max: float = strawberry.field(default=10, description="Highest score.")
    scale_step: float = strawberry.field(default=1, description="Step between scores.")
    weight: float = strawberry.field(default=1, description="Weight in the weighted total.")


@strawberry.input(description="A choice of a CHOICE field.")
class FormChoiceInput:
    value: str = strawberry.field(description="Stored value.")
    label_th: str = strawberry.field(description="Label in Thai.")
    label_en: str | None = strawberry.field(default=None, description="Label in English.")


@strawberry.input(description="A field of the application form.")
class FormFieldInput:
    key: str = strawberry.field(description="Answer key: lower case letters, digits, _.")
    kind: FormFieldKindEnum = strawberry.field(description="Kind of answer.")  # type: ignore[valid-type]
    label_th: str = strawberry.field(description="Label in Thai.")
    label_en: str | None = strawberry.field(default=None, description="Label in English.")
    required: bool = strawberry.field(default=False, description="Needed to submit.")
    min_length: int | None = strawberry.field(default=None, description="Fewest characters.")
    max_length: int | None = strawberry.field(default=None, description="Most characters.")
    minimum: float | None = strawberry.field(default=None, description="Lowest number.")
    maximum: float | None = strawberry.field(default=None, description="Highest number.")
    earliest: str | None = strawberry.field(default=None, description="Earliest date (ISO).")
    latest: str | None = strawberry.field(default=None, description="Latest date (ISO).")
    choices: list[FormChoiceInput] = strawberry.field(
        default_factory=list, description="Choices (CHOICE)."
    )
    multiple: bool = strawberry.field(default=False, description="Several choices allowed.")
    max_items: int | None = strawberry.field(default=None, description="Most items (lists).")


@strawberry.input(description="A level of award.")
class AwardLevelInput:
    code: str = strawberry.field(description="Stable code, e.g. GOLD.")
    label_th: str = strawberry.field(description="Name in Thai.")
    label_en: str | None = strawberry.field(default=None, description="Name in English.")


@strawberry.input(description="A new edition, in DRAFT.")
class ContestCreateInput:
    fiscal_year: int = strawberry.field(description="BE year, e.g. 2565; one edition per year.")
    name_th: str = strawberry.field(description="Name in Thai.")
    name_en: str | None = strawberry.field(default=None, description="Name in English.")
    opens_at: datetime = strawberry.field(description="The call opens.")
    closes_at: datetime = strawberry.field(description="The call closes.")
    changes_until: datetime = strawberry.field(description="Last moment for changes.")
    results_at: datetime | None = strawberry.field(default=None, description="Planned results.")
    ranking_method: RankingMethodEnum = strawberry.field(  # type: ignore[valid-type]
        default=RankingMethod.MEAN, description="How entries are ranked."
    )
    tie_breaks: list[TieBreakEnum] | None = strawberry.field(  # type: ignore[valid-type]
        default=None,
        description="Tie-breaks in order; MEDIAN, FIRST_CRITERION, EARLIER_SUBMISSION if omitted.",
    )
    disagreement_threshold: float = strawberry.field(
        default=15.0, description="Standard deviation (0–100 points) that flags disagreement."
    )
    judges_per_entry: int = strawberry.field(default=3, description="Judges per entry (k).")
    award_levels: list[AwardLevelInput] | None = strawberry.field(
        default=None,
        description="Award levels; GOLD, SILVER, BRONZE, HONOURABLE_MENTION if omitted.",
    )
    categories: list[ContestCategoryInput] = strawberry.field(description="Categories.")
    criteria: list[RubricCriterionInput] = strawberry.field(description="The rubric.")
    form: list[FormFieldInput] = strawberry.field(
        default_factory=list, description="Fields of the application form."
    )


def _form(fields: list[FormFieldInput]) -> list[dict[str, Any]]:
    out = []
    for f in fields:
        data = {k: v for k, v in vars(f).items() if v is not None}
        data["kind"] = FormFieldKind(f.kind)
        data["choices"] = [vars(c) for c in f.choices]
        out.append(data)
    return out


@strawberry.type(description="Result of a change to an edition.")
class ContestPayload:
    contest: ContestNode | None = strawberry.field(default=None, description="As saved.")
    errors: list[UserError] = strawberry.field(description="Why nothing changed, if so.")


@strawberry.input(description="A status change of an edition.")
class ContestActionInput:
    id: relay.GlobalID = strawberry.field(description="The edition.")
    version: int | None = strawberry.field(
        default=None, description="When given, refused if the edition changed since."
    )


@strawberry.input(description="A new version of an edition's application form.")
class ContestFormReviseInput:
    id: relay.GlobalID = strawberry.field(description="The edition.")
    version: int | None = strawberry.field(default=None, description="The edition's version.")
    form: list[FormFieldInput] = strawberry.field(description="Every field of the new version.")


@strawberry.type(description="Result of `contestFormRevise`.")
class ContestFormRevisePayload:
    form: ContestFormNode | None = strawberry.field(default=None, description="The new version.")
    errors: list[UserError] = strawberry.field(description="Why nothing changed, if so.")


@strawberry.input(description="Enter a registered work (a draft until submitted).")
class EntryCreateInput:
    contest: relay.GlobalID = strawberry.field(description="The edition.")
    work: relay.GlobalID = strawberry.field(description="A registered work.")
    category: relay.GlobalID = strawberry.field(description="The category entered.")
    presenters: list[relay.GlobalID] = strawberry.field(
        default_factory=list, description="People who present it."
    )
    answers: JSON | None = strawberry.field(
        default=None, description="Answers to the form, by field key (an object)."
    )


@strawberry.input(description="Change a draft or returned entry (until the last day for changes).")
class EntryUpdateInput:
    id: relay.GlobalID = strawberry.field(description="The entry.")
    version: int = strawberry.field(description="The version the change is based on.")
    category: relay.GlobalID = strawberry.field(description="The category.")
    presenters: list[relay.GlobalID] = strawberry.field(
        default_factory=list, description="People who present it; replaces the list."
    )
    answers: JSON | None = strawberry.field(
        default=None, description="Every answer (an object); replaces the answers."
    )


@strawberry.input(description="A status change of an entry.")
class EntryActionInput:
    id: relay.GlobalID = strawberry.field(description="The entry.")
    version: int | None = strawberry.field(
        default=None, description="When given, refused if the entry changed since."
    )
    comment: str | None = strawberry.field(default=None, description="Why; kept in the audit.")


@strawberry.enum(description="The screening committee's decision.")
class ScreeningDecision(Enum):
    SHORTLISTED = "SHORTLIST"
    NOT_SHORTLISTED = "NOT_SHORTLIST"
    RETURNED = "RETURN"


@strawberry.input(description="Screen a submitted entry.")
class EntryScreenInput:
    id: relay.GlobalID = strawberry.field(description="The entry.")
    decision: ScreeningDecision = strawberry.field(description="Shortlist, not, or return.")
    comment: str | None = strawberry.field(
        default=None, description="Required to return or not shortlist; shown to the entrant."
    )
    version: int | None = strawberry.field(default=None, description="The entry's version.")


@strawberry.type(description="Result of a change to an entry.")
class EntryPayload:
    entry: EntryNode | None = strawberry.field(default=None, description="As saved.")
    errors: list[UserError] = strawberry.field(description="Why nothing changed, if so.")


def _entry_data(category: relay.GlobalID, presenters: list[relay.GlobalID], answers: Any) -> Any:
    return validated(
        contests.EntryData,
        {
            "category_id": node_id(category, ContestCategoryNode, "category"),
            "presenter_ids": [
                node_id(p, PersonNode, ("presenters", str(i))) for i, p in enumerate(presenters)
            ],
            "answers": {} if answers is None else answers,
        },
    )


async def _contest_action(
    info: strawberry.Info, input: ContestActionInput, action: ContestAction
) -> ContestPayload:
    async def run() -> dict[str, Any]:
        contest = await contests.change_contest_status(
            actor=info.context.actor,
            contest_id=node_id(input.id, ContestNode),
            action=action,
            version=input.version,
        )
        return {"contest": ContestNode.from_model(contest)}

    return await payload(info, ContestPayload, run)


async def _entry_action(
    info: strawberry.Info,
    entry: relay.GlobalID,
    action: EntryAction,
    version: int | None,
    comment: str | None,
) -> EntryPayload:
    async def run() -> dict[str, Any]:
        row = await contests.act_on_entry(
            actor=info.context.actor,
            entry_id=node_id(entry, EntryNode),
            action=action,
            version=version,
            comment=comment,
        )
        return {"entry": EntryNode.from_model(row)}

    return await payload(info, EntryPayload, run)


@strawberry.input(description="Narrows the editions listed.")
class ContestFilter:
    fiscal_year: int | None = strawberry.field(default=None, description="BE year, e.g. 2565.")


@strawberry.type
class ContestQueries:
    @strawberry.field(description="LIKE Talk Award editions, newest first (drafts for organisers).")
    async def contests(
        self,
        info: strawberry.Info,
        filter: Annotated[
            ContestFilter | None, strawberry.argument(description="Conditions.")
        ] = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[ContestNode]:
        queryset = contests.list_contests(
            actor=info.context.actor, fiscal_year=filter.fiscal_year if filter else None
        )
        return await paginate(
            queryset, ContestNode.from_model, first=first, after=after, last=last, before=before
        )


@strawberry.type
class ContestMutations:
    @strawberry.mutation(description="Create an edition in DRAFT (contest organisers).")
    async def contest_create(
        self, info: strawberry.Info, input: Input[ContestCreateInput]
    ) -> ContestPayload:
        async def run() -> dict[str, Any]:
            data = validated(
                contests.ContestData,
                {
                    "fiscal_year": input.fiscal_year,
                    "name_th": input.name_th,
                    "name_en": input.name_en,
                    "opens_at": input.opens_at,
                    "closes_at": input.closes_at,
                    "changes_until": input.changes_until,
                    "results_at": input.results_at,
                    "ranking_method": input.ranking_method,
                    **({"tie_breaks": input.tie_breaks} if input.tie_breaks is not None else {}),
                    "disagreement_threshold": input.disagreement_threshold,
                    "judges_per_entry": input.judges_per_entry,
                    **(
                        {"award_levels": [vars(a) for a in input.award_levels]}
                        if input.award_levels is not None
                        else {}
                    ),
                    "categories": [vars(c) for c in input.categories],
                    "criteria": [
                        {**vars(c), "descriptors": [vars(d) for d in c.descriptors]}
                        for c in input.criteria
                    ],
                    "form": _form(input.form),
                },
            )
            contest = await contests.create_contest(actor=info.context.actor, data=data)
            return {"contest": ContestNode.from_model(contest)}

        return await payload(info, ContestPayload, run)

    @strawberry.mutation(description="Open the call (DRAFT → OPEN; organisers).")
    async def contest_open(
        self, info: strawberry.Info, input: Input[ContestActionInput]
    ) -> ContestPayload:
        return await _contest_action(info, input, ContestAction.OPEN)

    @strawberry.mutation(description="Close the call (OPEN → CLOSED; organisers).")
    async def contest_close(
        self, info: strawberry.Info, input: Input[ContestActionInput]
    ) -> ContestPayload:
        return await _contest_action(info, input, ContestAction.CLOSE)

    @strawberry.mutation(description="Start judging (CLOSED → JUDGING; organisers).")
    async def contest_judging_start(
        self, info: strawberry.Info, input: Input[ContestActionInput]
    ) -> ContestPayload:
        return await _contest_action(info, input, ContestAction.START_JUDGING)

    @strawberry.mutation(
        description="Save a new version of the application form (DRAFT or OPEN; organisers)."
    )
    async def contest_form_revise(
        self, info: strawberry.Info, input: Input[ContestFormReviseInput]
    ) -> ContestFormRevisePayload:
        async def run() -> dict[str, Any]:
            form = await contests.revise_form(
                actor=info.context.actor,
                contest_id=node_id(input.id, ContestNode),
                version=input.version,
                form=_form(input.form),
            )
            return {"form": ContestFormNode.from_model(form)}

        return await payload(info, ContestFormRevisePayload, run)

    @strawberry.mutation(
        description="Enter a registered work in a category while the call is open (its authors, "
        "organisers); answers are checked as a draft."
    )
    async def entry_create(
        self, info: strawberry.Info, input: Input[EntryCreateInput]
    ) -> EntryPayload:
        async def run() -> dict[str, Any]:
            entry = await contests.create_entry(
                actor=info.context.actor,
                contest_id=node_id(input.contest, ContestNode, "contest"),
                work_id=node_id(input.work, WorkNode, "work"),
                data=_entry_data(input.category, input.presenters, input.answers),
            )
            return {"entry": EntryNode.from_model(entry)}

        return await payload(info, EntryPayload, run)

    @strawberry.mutation(description="Change a draft or returned entry (its entrant).")
    async def entry_update(
        self, info: strawberry.Info, input: Input[EntryUpdateInput]
    ) -> EntryPayload:
        async def run() -> dict[str, Any]:
            entry = await contests.update_entry(
                actor=info.context.actor,
                entry_id=node_id(input.id, EntryNode),
                version=input.version,
                data=_entry_data(input.category, input.presenters, input.answers),
            )
            return {"entry": EntryNode.from_model(entry)}

        return await payload(info, EntryPayload, run)

    @strawberry.mutation(
        description="Hand an entry in (→ SUBMITTED); every answer must follow the form's rules."
    )
    async def entry_submit(
        self, info: strawberry.Info, input: Input[EntryActionInput]
    ) -> EntryPayload:
        return await _entry_action(info, input.id, EntryAction.SUBMIT, input.version, input.comment)

    @strawberry.mutation(description="Withdraw an entry before judging (→ WITHDRAWN; entrant).")
    async def entry_withdraw(
        self, info: strawberry.Info, input: Input[EntryActionInput]
    ) -> EntryPayload:
        return await _entry_action(
            info, input.id, EntryAction.WITHDRAW, input.version, input.comment
        )

    @strawberry.mutation(
        description="Screen a submitted entry: shortlist, not shortlist or return (organisers)."
    )
    async def entry_screen(
        self, info: strawberry.Info, input: Input[EntryScreenInput]
    ) -> EntryPayload:
        return await _entry_action(
            info, input.id, EntryAction(input.decision.value), input.version, input.comment
        )

    @strawberry.mutation(description="Record that a shortlisted entry was presented (organisers).")
    async def entry_present(
        self, info: strawberry.Info, input: Input[EntryActionInput]
    ) -> EntryPayload:
        return await _entry_action(
            info, input.id, EntryAction.PRESENT, input.version, input.comment
        )
