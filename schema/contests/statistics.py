"""Live figures of an edition in GraphQL (organisers and managers): entries by category, unit
and status, each judge's progress, per-criterion statistics of submitted scores."""

import strawberry

from schema.contests.enums import EntryStatus
from schema.contests.parts import ContestCategoryNode, RubricCriterionNode
from schema.cost import ListSize
from schema.org import UnitNode
from schema.users import UserNode
from services.contests.results import figure
from services.contests.stats import ContestStatistics


@strawberry.type(description="Entries of one category, unit and status.")
class EntryStatusCount:
    status: EntryStatus = strawberry.field(description="The status.")
    count: int = strawberry.field(description="Entries.")
    category_id: strawberry.Private[int]
    unit_id: strawberry.Private[int]

    @strawberry.field(description="The category.")
    async def category(self, info: strawberry.Info) -> ContestCategoryNode:
        row = await info.context.loaders.contest_category.load(self.category_id)
        return ContestCategoryNode.from_model(row)

    @strawberry.field(description="The unit.")
    async def unit(self, info: strawberry.Info) -> UnitNode:
        return UnitNode.from_model(await info.context.loaders.unit.load(self.unit_id))


@strawberry.type(name="JudgeProgress", description="How far a judge has got.")
class JudgeProgressType:
    assigned: int = strawberry.field(description="Entries assigned.")
    drafts: int = strawberry.field(description="Sheets saved as drafts.")
    submitted: int = strawberry.field(description="Sheets submitted.")
    judge_id: strawberry.Private[int]

    @strawberry.field(description="The judge.")
    async def judge(self, info: strawberry.Info) -> UserNode:
        return UserNode.from_model(await info.context.loaders.user.load(self.judge_id))


@strawberry.type(
    name="CriterionStats", description="Submitted scores on one criterion across the edition."
)
class CriterionStatsType:
    count: int = strawberry.field(description="Scores.")
    mean: float = strawberry.field(description="Mean score.")
    minimum: float = strawberry.field(description="Lowest score given.")
    maximum: float = strawberry.field(description="Highest score given.")
    criterion_id: strawberry.Private[int]

    @strawberry.field(description="The criterion.")
    async def criterion(self, info: strawberry.Info) -> RubricCriterionNode:
        row = await info.context.loaders.rubric_criterion.load(self.criterion_id)
        return RubricCriterionNode.from_model(row)


@strawberry.type(
    name="ContestStatistics", description="Live figures of an edition (organisers and managers)."
)
class ContestStatisticsType:
    entries: list[EntryStatusCount] = strawberry.field(
        description="Entries by category, unit and status.",
        directives=[ListSize(assumed_size=50)],
    )
    judges: list[JudgeProgressType] = strawberry.field(
        description="Each judge's progress.", directives=[ListSize(assumed_size=20)]
    )
    criteria: list[CriterionStatsType] = strawberry.field(
        description="Per-criterion statistics of submitted scores.",
        directives=[ListSize(assumed_size=10)],
    )

    @classmethod
    def of(cls, stats: ContestStatistics) -> "ContestStatisticsType":
        return cls(
            entries=[
                EntryStatusCount(
                    status=e.status, count=e.count, category_id=e.category_id, unit_id=e.unit_id
                )
                for e in stats.entries
            ],
            judges=[
                JudgeProgressType(
                    assigned=j.assigned, drafts=j.drafts, submitted=j.submitted, judge_id=j.judge_id
                )
                for j in stats.judges
            ],
            criteria=[
                CriterionStatsType(
                    count=c.count,
                    mean=figure(c.mean),
                    minimum=c.minimum,
                    maximum=c.maximum,
                    criterion_id=c.criterion_id,
                )
                for c in stats.criteria
            ],
        )
