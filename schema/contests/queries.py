"""Reading the LIKE Talk Award in GraphQL: editions, and the ranked results of one."""

from typing import Annotated

import strawberry
from strawberry import relay

from models.contest import Contest, ContestStatus
from schema.contests.enums import JudgeFlag, RankingMethod, TieBreak
from schema.contests.inputs import ContestFilter
from schema.contests.judging import EntryAggregate
from schema.contests.parts import ContestCategoryNode
from schema.contests.types import ContestNode
from schema.cost import ListSize
from schema.inputs import node_id
from schema.relay import After, Before, Conditions, Connection, First, Last, paginate
from schema.users import UserNode
from services.contests import access, editions
from services.contests.results import Results
from services.messages import Language


@strawberry.type(
    name="FlaggedJudge", description="A judge left out of the normalised score in a category."
)
class FlaggedJudgeType:
    flag: JudgeFlag = strawberry.field(description="Why.")
    judge_id: strawberry.Private[int]
    category_id: strawberry.Private[int]

    @strawberry.field(description="The judge.")
    async def judge(self, info: strawberry.Info) -> UserNode:
        return UserNode.from_model(await info.context.loaders.user.load(self.judge_id))

    @strawberry.field(description="The category.")
    async def category(self, info: strawberry.Info) -> ContestCategoryNode:
        row = await info.context.loaders.contest_category.load(self.category_id)
        return ContestCategoryNode.from_model(row)


@strawberry.type(description="The results of an edition (or one category), ranked.")
class ContestResults:
    method: RankingMethod = strawberry.field(description="The ranking method.")
    tie_breaks: list[TieBreak] = strawberry.field(description="Tie-breaks in order.")
    published: bool = strawberry.field(description="The results are published.")
    entries: list[EntryAggregate] = strawberry.field(
        description="Judged entries by category, then rank.",
        directives=[ListSize(assumed_size=100)],
    )
    flagged_judges: list[FlaggedJudgeType] = strawberry.field(
        description="Judges left out of normalised scores.", directives=[ListSize(assumed_size=10)]
    )
    contest_row: strawberry.Private[Contest]

    @strawberry.field(description="The edition.")
    def contest(self) -> ContestNode:
        return ContestNode.from_model(self.contest_row)


def results_type(results: Results, language: Language, show_judges: bool) -> ContestResults:
    contest = results.contest
    return ContestResults(
        method=contest.ranking_method,
        tie_breaks=list(contest.tie_breaks),
        published=contest.status == ContestStatus.RESULTS_PUBLISHED,
        entries=[EntryAggregate.of(r, language, show_judges) for r in results.entries],
        flagged_judges=[
            FlaggedJudgeType(flag=f.flag, judge_id=f.judge_id, category_id=f.category_id)
            for f in results.flagged
        ]
        if show_judges
        else [],
        contest_row=contest,
    )


@strawberry.type
class ContestQueries:
    @strawberry.field(description="LIKE Talk Award editions, newest first (drafts for organisers).")
    async def contests(
        self,
        info: strawberry.Info,
        filter: Conditions[ContestFilter] = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[ContestNode]:
        queryset = editions.list_contests(
            actor=info.context.actor, fiscal_year=filter.fiscal_year if filter else None
        )
        return await paginate(
            queryset, ContestNode.from_model, first=first, after=after, last=last, before=before
        )

    @strawberry.field(
        description="Ranked results of an edition or one category: live for organisers and "
        "managers, for everyone else once published."
    )
    async def contest_results(
        self,
        info: strawberry.Info,
        contest_id: Annotated[relay.GlobalID, strawberry.argument(description="The edition.")],
        category_id: Annotated[
            relay.GlobalID | None, strawberry.argument(description="Only this category.")
        ] = None,
    ) -> ContestResults:
        actor = info.context.actor
        ranked = await access.visible_results(
            actor,
            node_id(contest_id, ContestNode, "contestId"),
            node_id(category_id, ContestCategoryNode, "categoryId") if category_id else None,
        )
        return results_type(ranked, info.context.language, access.may_read_everything(actor))
