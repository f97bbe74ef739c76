"""The judges' rows of the LIKE Talk Award in GraphQL — assignments, declared conflicts, score
sheets — and an entry's aggregates. Each shows its entry through ``node_of``, its type named
lazily: ``types`` (the entry) shows these rows."""

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry import relay

from models.contest import ConflictDeclaration, JudgeAssignment, ScoreSheet
from schema.contests.enums import JudgeFlag, SheetStatus, TieBreak
from schema.contests.parts import RubricCriterionNode
from schema.cost import ListSize
from schema.relay import ModelNode, node_of, read_rule
from schema.users import UserNode
from services.contests import access, judging, results
from services.contests.results import EntryResult
from services.messages import Language

if TYPE_CHECKING:
    from schema.contests.types import EntryNode

EntryRef = Annotated["EntryNode", strawberry.lazy("schema.contests.types")]


@strawberry.type(name="JudgeAssignment", description="A judge assigned to an entry.")
class JudgeAssignmentNode(ModelNode):
    model = JudgeAssignment

    id: relay.NodeID[int]
    automatic: bool = strawberry.field(description="Made by automatic balancing.")
    created_at: datetime = strawberry.field(description="When assigned (UTC).")
    entry_id: strawberry.Private[int]
    judge_id: strawberry.Private[int]

    @classmethod
    def from_model(cls, obj: JudgeAssignment) -> "JudgeAssignmentNode":
        return cls(
            id=obj.id,
            automatic=obj.automatic,
            created_at=obj.created_at,
            entry_id=obj.entry_id,
            judge_id=obj.judge_id,
        )

    visible = read_rule(access.visible_assignments)

    @strawberry.field(description="The entry.")
    async def entry(self, info: strawberry.Info) -> EntryRef:
        return node_of(await info.context.loaders.entry.load(self.entry_id))

    @strawberry.field(description="The judge's account.")
    async def judge(self, info: strawberry.Info) -> UserNode:
        return UserNode.from_model(await info.context.loaders.user.load(self.judge_id))


@strawberry.type(
    name="ConflictDeclaration", description="A declared conflict of interest (ผลประโยชน์ทับซ้อน)."
)
class ConflictDeclarationNode(ModelNode):
    model = ConflictDeclaration

    id: relay.NodeID[int]
    reason: str = strawberry.field(description="Why the judge may not judge the entry.")
    created_at: datetime = strawberry.field(description="When declared (UTC).")
    entry_id: strawberry.Private[int]
    judge_id: strawberry.Private[int]

    @classmethod
    def from_model(cls, obj: ConflictDeclaration) -> "ConflictDeclarationNode":
        return cls(
            id=obj.id,
            reason=obj.reason,
            created_at=obj.created_at,
            entry_id=obj.entry_id,
            judge_id=obj.judge_id,
        )

    visible = read_rule(access.visible_conflict_declarations)

    @strawberry.field(
        description="The entry; null when the viewer may not see it (a judge who declared a "
        "conflict no longer judges the entry)."
    )
    async def entry(self, info: strawberry.Info) -> EntryRef | None:
        actor = info.context.actor
        if access.may_read_everything(actor):
            return node_of(await info.context.loaders.entry.load(self.entry_id))
        row = await access.visible_entries(actor).filter(id=self.entry_id).first()
        return node_of(row) if row else None

    @strawberry.field(description="The judge.")
    async def judge(self, info: strawberry.Info) -> UserNode:
        return UserNode.from_model(await info.context.loaders.user.load(self.judge_id))


@strawberry.type(description="One criterion's score on a sheet.")
class CriterionScore:
    value: float | None = strawberry.field(description="The score; null while not given.")
    comment: str | None = strawberry.field(description="The judge's comment on it.")
    criterion_id: strawberry.Private[int]

    @strawberry.field(description="The criterion.")
    async def criterion(self, info: strawberry.Info) -> RubricCriterionNode:
        row = await info.context.loaders.rubric_criterion.load(self.criterion_id)
        return RubricCriterionNode.from_model(row)


@strawberry.type(name="ScoreSheet", description="One judge's scores for one entry (ใบให้คะแนน).")
class ScoreSheetNode(ModelNode):
    model = ScoreSheet

    id: relay.NodeID[int]
    status: SheetStatus = strawberry.field(description="Draft or submitted.")
    comment: str | None = strawberry.field(description="The judge's overall comment.")
    submitted_at: datetime | None = strawberry.field(description="When submitted (UTC).")
    version: int = strawberry.field(description="Pass back with changes; bumps on every save.")
    entry_id: strawberry.Private[int]
    judge_id: strawberry.Private[int]

    @classmethod
    def from_model(cls, obj: ScoreSheet) -> "ScoreSheetNode":
        return cls(
            id=obj.id,
            status=obj.status,
            comment=obj.comment,
            submitted_at=obj.submitted_at,
            version=obj.version,
            entry_id=obj.entry_id,
            judge_id=obj.judge_id,
        )

    visible = read_rule(access.visible_score_sheets)

    @strawberry.field(description="The entry scored.")
    async def entry(self, info: strawberry.Info) -> EntryRef:
        return node_of(await info.context.loaders.entry.load(self.entry_id))

    @strawberry.field(description="The judge.")
    async def judge(self, info: strawberry.Info) -> UserNode:
        return UserNode.from_model(await info.context.loaders.user.load(self.judge_id))

    @strawberry.field(description="Scores per criterion.", directives=[ListSize(assumed_size=10)])
    async def scores(self, info: strawberry.Info) -> list[CriterionScore]:
        rows = await info.context.loaders.scores_of_sheet.load(self.id)
        return [
            CriterionScore(value=s.value, comment=s.comment, criterion_id=s.criterion_id)
            for s in rows
        ]

    @strawberry.field(
        description="Weighted total on 0–100 (Σ wᵢ·(sᵢ−minᵢ)/(maxᵢ−minᵢ)·100/Σ wᵢ) once every "
        "criterion is scored; null before."
    )
    async def weighted_total(self, info: strawberry.Info) -> float | None:
        entry = await info.context.loaders.entry.load(self.entry_id)
        criteria = results.criteria_for(
            await info.context.loaders.criteria_of_contest.load(entry.contest_id), entry.category_id
        )
        rows = await info.context.loaders.scores_of_sheet.load(self.id)
        return results.figure(
            judging.sheet_total(criteria, {s.criterion_id: s.value for s in rows})
        )


@strawberry.type(
    name="JudgeTotal", description="One judge's weighted total for an entry, and its z-score."
)
class JudgeTotalType:
    total: float = strawberry.field(description="Weighted total, 0–100.")
    z_score: float | None = strawberry.field(
        description="(total − the judge's mean) / the judge's standard deviation over the "
        "entries they scored in the category; null when the judge is flagged."
    )
    flag: JudgeFlag | None = strawberry.field(
        description="Why the judge is left out of the normalised score, if so."
    )
    submitted_at: datetime | None = strawberry.field(description="When the sheet was submitted.")
    judge_id: strawberry.Private[int]
    sheet_id: strawberry.Private[int]

    @strawberry.field(description="The judge.")
    async def judge(self, info: strawberry.Info) -> UserNode:
        return UserNode.from_model(await info.context.loaders.user.load(self.judge_id))

    @strawberry.field(description="The raw score sheet.")
    async def sheet(self, info: strawberry.Info) -> ScoreSheetNode:
        return ScoreSheetNode.from_model(await info.context.loaders.score_sheet.load(self.sheet_id))


@strawberry.type(name="CriterionMean", description="The mean score of an entry on one criterion.")
class CriterionMeanType:
    mean: float = strawberry.field(description="Mean of the submitted scores.")
    count: int = strawberry.field(description="Scores counted.")
    criterion_id: strawberry.Private[int]

    @strawberry.field(description="The criterion.")
    async def criterion(self, info: strawberry.Info) -> RubricCriterionNode:
        row = await info.context.loaders.rubric_criterion.load(self.criterion_id)
        return RubricCriterionNode.from_model(row)


@strawberry.type(
    description="An entry's aggregates over its judges' submitted sheets, and its rank. Every "
    "figure is rounded to two decimal places (halves away from zero); ranking uses every digit."
)
class EntryAggregate:
    count: int = strawberry.field(description="Submitted sheets.")
    mean: float | None = strawberry.field(description="Mean weighted total (0–100).")
    median: float | None = strawberry.field(description="Median weighted total.")
    std_dev: float | None = strawberry.field(
        description="Population standard deviation of the weighted totals."
    )
    normalised: float | None = strawberry.field(
        description="Mean of the entry's z-scores from judges who are not flagged."
    )
    disagreement: bool = strawberry.field(
        description="The standard deviation is above the edition's threshold."
    )
    rank: int | None = strawberry.field(
        description="Rank in the category by the edition's method; null while unscored."
    )
    rank_reason: str = strawberry.field(description="Why it holds the rank, in words.")
    decided_by: TieBreak | None = strawberry.field(
        description="The tie-break that placed it among entries tied with it, if any."
    )
    tied_with: list[relay.GlobalID] = strawberry.field(
        description="Entries with the same value on the ranking method."
    )
    criteria: list[CriterionMeanType] = strawberry.field(
        description="Per-criterion means.", directives=[ListSize(assumed_size=10)]
    )
    entry_id: strawberry.Private[int]
    result: strawberry.Private[EntryResult]
    show_judges: strawberry.Private[bool]

    @strawberry.field(description="The entry.")
    async def entry(self, info: strawberry.Info) -> EntryRef:
        return node_of(self.result.entry)

    @strawberry.field(
        description="Each judge's total and z-score (organisers, managers, and judges who "
        "submitted theirs; empty for anyone else).",
        directives=[ListSize(assumed_size=10)],
    )
    def judges(self) -> list[JudgeTotalType]:
        if not self.show_judges:
            return []
        return [
            JudgeTotalType(
                total=results.figure(j.total),
                z_score=results.figure(j.z),
                flag=j.flag,
                submitted_at=j.submitted_at,
                judge_id=j.judge_id,
                sheet_id=j.sheet_id,
            )
            for j in self.result.judges
        ]

    @classmethod
    def of(cls, result: EntryResult, language: Language, show_judges: bool) -> "EntryAggregate":
        placing = result.placing
        return cls(
            count=result.count,
            mean=results.figure(result.mean),
            median=results.figure(result.median),
            std_dev=results.figure(result.std_dev),
            normalised=results.figure(result.normalised),
            disagreement=result.disagreement,
            rank=placing.rank,
            rank_reason=results.reason_text(result, language),
            decided_by=placing.decided_by,
            tied_with=[relay.GlobalID("Entry", str(e)) for e in placing.tied_with],
            criteria=[
                CriterionMeanType(
                    mean=results.figure(m.mean), count=m.count, criterion_id=m.criterion_id
                )
                for m in result.criteria
            ],
            entry_id=result.entry.id,
            result=result,
            show_judges=show_judges,
        )
