"""LIKE Talk Award judging: assignments, conflicts, score sheets, aggregates and results."""

from collections.abc import AsyncGenerator
from datetime import datetime
from typing import Annotated, Any

import strawberry
from strawberry import relay

from models.contest import (
    ConflictDeclaration,
    Contest,
    ContestStatus,
    Entry,
    JudgeAssignment,
    ScoreSheet,
    SheetStatus,
)
from schema.contests import (
    ContestActionInput,
    ContestCategoryNode,
    ContestNode,
    EntryNode,
    EntryPayload,
    EntryStatusEnum,
    RankingMethodEnum,
    RubricCriterionNode,
    TieBreakEnum,
)
from schema.cost import ListSize
from schema.errors import UserError, payload, user_errors
from schema.inputs import Input, node_id
from schema.org import UnitNode
from schema.relay import ModelNode
from schema.users import UserNode
from services import contest_results, contest_stats, contests, judging, scoreboard
from services.contest_results import EntryResult, JudgeFlag, Results
from services.errors import Forbidden, not_found, validated
from services.messages import Language

SheetStatusEnum = strawberry.enum(
    SheetStatus, name="ScoreSheetStatus", description="A score sheet is a draft until submitted."
)
JudgeFlagEnum = strawberry.enum(
    JudgeFlag,
    name="JudgeFlag",
    description="Why a judge's totals are left out of the normalised score in a category.",
)


async def entry_standing(info: strawberry.Info, entry: Entry) -> judging.EntryStanding:
    """``judging.entry_standing`` from the request's loaders."""
    actor = info.context.actor
    loaders = info.context.loaders
    user = actor.user_id
    if user is None:
        return judging.entry_standing(
            actor,
            entry,
            author_users=(),
            judge_ids=(),
            sheets=(),
            conflicts=judging.Conflicts({}, set(), {}),
        )
    authors = await loaders.author_users_of_work.load(entry.work_id)
    judges = [j.judge_id for j in await loaders.judges_of_entry.load(entry.id)]
    declared = {(c.judge_id, entry.id) for c in await loaders.conflicts_of_entry.load(entry.id)}
    units = set(await loaders.units_of_user.load(user))
    entrants = set(authors) | ({entry.created_by_id} if entry.created_by_id is not None else set())
    if user in judges and user not in entrants:
        # Presenters matter only to a judge of the entry: load them only then.
        presenters = await loaders.presenters_of_entry.load(entry.id)
        people = await loaders.person.load_many([p.person_id for p in presenters])
        entrants |= {p.user_id for p in people if p is not None and p.user_id is not None}
    return judging.entry_standing(
        actor,
        entry,
        author_users=authors,
        judge_ids=judges,
        sheets=await loaders.sheets_of_entry.load(entry.id),
        conflicts=judging.Conflicts({user: units}, declared, {entry.id: entrants}),
    )


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

    @classmethod
    def visible(cls, info: strawberry.Info) -> Any:
        actor = info.context.actor
        if contests.may_read_everything(actor):
            return JudgeAssignment.all()
        return JudgeAssignment.filter(judge_id=actor.user_id or 0)

    @strawberry.field(description="The entry.")
    async def entry(self, info: strawberry.Info) -> EntryNode:
        return EntryNode.from_model(await info.context.loaders.entry.load(self.entry_id))

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

    @classmethod
    def visible(cls, info: strawberry.Info) -> Any:
        actor = info.context.actor
        if contests.may_read_everything(actor):
            return ConflictDeclaration.all()
        return ConflictDeclaration.filter(judge_id=actor.user_id or 0)

    @strawberry.field(
        description="The entry; null when the viewer may not see it (a judge who declared a "
        "conflict no longer judges the entry)."
    )
    async def entry(self, info: strawberry.Info) -> EntryNode | None:
        if contests.may_read_everything(info.context.actor):
            return EntryNode.from_model(await info.context.loaders.entry.load(self.entry_id))
        (node,) = await EntryNode.resolve_nodes(info=info, node_ids=[str(self.entry_id)])
        return node

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
    status: SheetStatusEnum = strawberry.field(description="Draft or submitted.")  # type: ignore[valid-type]
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

    @classmethod
    def visible(cls, info: strawberry.Info) -> Any:
        actor = info.context.actor
        if contests.may_read_everything(actor):
            return ScoreSheet.all()
        return ScoreSheet.filter(judge_id=actor.user_id or 0)

    @strawberry.field(description="The entry scored.")
    async def entry(self, info: strawberry.Info) -> EntryNode:
        return EntryNode.from_model(await info.context.loaders.entry.load(self.entry_id))

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
        criteria = contest_results.criteria_for(
            await info.context.loaders.criteria_of_contest.load(entry.contest_id), entry.category_id
        )
        rows = await info.context.loaders.scores_of_sheet.load(self.id)
        return judging.sheet_total(criteria, {s.criterion_id: s.value for s in rows})


@strawberry.type(description="One judge's weighted total for an entry, and its z-score.")
class JudgeTotalType:
    total: float = strawberry.field(description="Weighted total, 0–100.")
    z_score: float | None = strawberry.field(
        description="(total − the judge's mean) / the judge's standard deviation over the "
        "entries they scored in the category; null when the judge is flagged."
    )
    flag: JudgeFlagEnum | None = strawberry.field(  # type: ignore[valid-type]
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


@strawberry.type(description="The mean score of an entry on one criterion.")
class CriterionMeanType:
    mean: float = strawberry.field(description="Mean of the submitted scores.")
    count: int = strawberry.field(description="Scores counted.")
    criterion_id: strawberry.Private[int]

    @strawberry.field(description="The criterion.")
    async def criterion(self, info: strawberry.Info) -> RubricCriterionNode:
        row = await info.context.loaders.rubric_criterion.load(self.criterion_id)
        return RubricCriterionNode.from_model(row)


@strawberry.type(
    description="An entry's aggregates over its judges' submitted sheets, and its rank."
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
    decided_by: TieBreakEnum | None = strawberry.field(  # type: ignore[valid-type]
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
    async def entry(self, info: strawberry.Info) -> EntryNode:
        return EntryNode.from_model(self.result.entry)

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
                total=j.total,
                z_score=j.z,
                flag=j.flag,
                submitted_at=j.submitted_at,
                judge_id=j.judge_id,
                sheet_id=j.sheet_id,
            )
            for j in self.result.judges
        ]

    @classmethod
    def of(cls, result: EntryResult, language: Any, show_judges: bool) -> "EntryAggregate":
        placing = result.placing
        return cls(
            count=result.count,
            mean=result.mean,
            median=result.median,
            std_dev=result.std_dev,
            normalised=result.normalised,
            disagreement=result.disagreement,
            rank=placing.rank,
            rank_reason=contest_results.reason_text(result, language),
            decided_by=placing.decided_by,
            tied_with=[relay.GlobalID("Entry", str(e)) for e in placing.tied_with],
            criteria=[
                CriterionMeanType(mean=m.mean, count=m.count, criterion_id=m.criterion_id)
                for m in result.criteria
            ],
            entry_id=result.entry.id,
            result=result,
            show_judges=show_judges,
        )


@strawberry.type(description="A judge left out of the normalised score in a category.")
class FlaggedJudgeType:
    flag: JudgeFlagEnum = strawberry.field(description="Why.")  # type: ignore[valid-type]
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
    method: RankingMethodEnum = strawberry.field(description="The ranking method.")  # type: ignore[valid-type]
    tie_breaks: list[TieBreakEnum] = strawberry.field(description="Tie-breaks in order.")  # type: ignore[valid-type]
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


def results_type(results: Results, language: Any, show_judges: bool) -> ContestResults:
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
class JudgingQueries:
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
        contest = await contests.get_contest(actor, node_id(contest_id, ContestNode, "contestId"))
        if not judging.results_visible(actor, contest):
            raise Forbidden()
        category = node_id(category_id, ContestCategoryNode, "categoryId") if category_id else None
        results = await contest_results.compute(contest, category_id=category)
        if category is not None and not any(
            c.id == category
            for c in await info.context.loaders.categories_of_contest.load(contest.id)
        ):
            raise not_found("categoryId", "ประเภทรางวัล", "Category")
        return results_type(results, info.context.language, contests.may_read_everything(actor))


@strawberry.input(description="Assign judges to entries, or to every judged entry of a category.")
class JudgeAssignInput:
    contest: relay.GlobalID = strawberry.field(description="The edition.")
    judges: list[relay.GlobalID] = strawberry.field(description="The judges' accounts.")
    entries: list[relay.GlobalID] | None = strawberry.field(
        default=None, description="These shortlisted entries."
    )
    category: relay.GlobalID | None = strawberry.field(
        default=None, description="Every shortlisted entry of this category."
    )


@strawberry.type(description="Result of `judgeAssign`.")
class JudgeAssignPayload:
    assignments: list[JudgeAssignmentNode] = strawberry.field(
        default_factory=list, description="The assignments made (existing ones are kept)."
    )
    errors: list[UserError] = strawberry.field(description="Why nothing was assigned, if so.")


@strawberry.input(description="Balance judges over entries automatically.")
class JudgeAssignAutoInput:
    contest: relay.GlobalID = strawberry.field(description="The edition.")
    judges: list[relay.GlobalID] = strawberry.field(description="The pool of judges.")
    category: relay.GlobalID | None = strawberry.field(
        default=None, description="Only this category."
    )
    per_entry: int | None = strawberry.field(
        default=None, description="Judges per entry (k); the edition's setting if omitted."
    )


@strawberry.type(description="An entry left with fewer judges than asked (too many conflicts).")
class UnfilledEntry:
    missing: int = strawberry.field(description="Judges it lacks.")
    entry_id: strawberry.Private[int]

    @strawberry.field(description="The entry.")
    async def entry(self, info: strawberry.Info) -> EntryNode:
        return EntryNode.from_model(await info.context.loaders.entry.load(self.entry_id))


@strawberry.type(description="Result of `judgeAssignAuto`.")
class JudgeAssignAutoPayload:
    assignments: list[JudgeAssignmentNode] = strawberry.field(
        default_factory=list, description="The assignments made."
    )
    unfilled: list[UnfilledEntry] = strawberry.field(
        default_factory=list, description="Entries still short of judges."
    )
    errors: list[UserError] = strawberry.field(description="Why nothing was assigned, if so.")


@strawberry.input(description="Declare a conflict of interest with an entry.")
class ConflictDeclareInput:
    entry: relay.GlobalID = strawberry.field(description="The entry.")
    reason: str = strawberry.field(description="Why (kept in the audit).")
    judge: relay.GlobalID | None = strawberry.field(
        default=None, description="The judge (organisers only); the viewer if omitted."
    )


@strawberry.type(description="Result of `conflictDeclare`.")
class ConflictDeclarePayload:
    conflict: ConflictDeclarationNode | None = strawberry.field(
        default=None, description="The declaration."
    )
    errors: list[UserError] = strawberry.field(description="Why nothing was declared, if so.")


@strawberry.input(description="A score for one criterion.")
class ScoreInput:
    criterion: relay.GlobalID = strawberry.field(description="The criterion.")
    value: float | None = strawberry.field(default=None, description="The score; null clears it.")
    comment: str | None = strawberry.field(default=None, description="Comment on it.")


@strawberry.input(description="One judge's scores for one entry.")
class EntryScoreInput:
    entry: relay.GlobalID = strawberry.field(description="The entry.")
    scores: list[ScoreInput] = strawberry.field(
        description="Scores to save (replacing earlier ones for the same criteria)."
    )
    comment: str | None = strawberry.field(default=None, description="Overall comment.")
    submit: bool = strawberry.field(
        default=False, description="Hand the sheet in; every criterion must be scored."
    )
    version: int | None = strawberry.field(
        default=None, description="The sheet's version, when refusing stale saves is wanted."
    )


@strawberry.type(description="Result of `entryScore`.")
class EntryScorePayload:
    sheet: ScoreSheetNode | None = strawberry.field(
        default=None,
        description="As saved, with its new version; also when criteria were missing on submit "
        "(it stays a draft). Null when nothing was saved.",
    )
    weighted_total: float | None = strawberry.field(
        default=None,
        description="The judge's weighted total (0–100), once every criterion has a score.",
    )
    errors: list[UserError] = strawberry.field(
        description="Invalid values (nothing was saved), or criteria missing on submit (the "
        "other scores were saved as a draft)."
    )


@strawberry.input(description="Reopen a submitted score sheet.")
class ScoreSheetReopenInput:
    id: relay.GlobalID = strawberry.field(description="The sheet.")
    reason: str = strawberry.field(description="Why (kept in the audit).")


@strawberry.type(description="Result of `scoreSheetReopen`.")
class ScoreSheetPayload:
    sheet: ScoreSheetNode | None = strawberry.field(default=None, description="As saved.")
    errors: list[UserError] = strawberry.field(description="Why nothing changed, if so.")


@strawberry.input(description="Decide (privately) an entry's award before publication.")
class EntryAwardDecideInput:
    entry: relay.GlobalID = strawberry.field(description="A scored entry.")
    level: str | None = strawberry.field(
        default=None, description="An award level code of the edition; null: no award."
    )
    note: str | None = strawberry.field(default=None, description="Note kept with the decision.")


@strawberry.type(description="Result of `contestResultsPublish`.")
class ContestResultsPublishPayload:
    contest: ContestNode | None = strawberry.field(default=None, description="As published.")
    unscored: list[EntryNode] = strawberry.field(
        default_factory=list,
        description="Entries published with score sheets outstanding (NOT_AWARDED).",
    )
    errors: list[UserError] = strawberry.field(
        description="Why nothing was published, if so (e.g. an award decided on an entry no "
        "longer completely scored)."
    )


def _ids(ids: list[relay.GlobalID], node: type, field: str) -> list[int]:
    return [node_id(g, node, (field, str(i))) for i, g in enumerate(ids)]


@strawberry.type
class JudgingMutations:
    @strawberry.mutation(
        description="Assign judges to entries or a whole category (organisers); a judge from the "
        "entry's unit or with a declared conflict is refused."
    )
    async def judge_assign(
        self, info: strawberry.Info, input: Input[JudgeAssignInput]
    ) -> JudgeAssignPayload:
        async def run() -> dict[str, Any]:
            rows = await judging.assign(
                actor=info.context.actor,
                contest_id=node_id(input.contest, ContestNode, "contest"),
                judge_ids=_ids(input.judges, UserNode, "judges"),
                entry_ids=_ids(input.entries, EntryNode, "entries")
                if input.entries is not None
                else None,
                category_id=node_id(input.category, ContestCategoryNode, "category")
                if input.category
                else None,
            )
            return {"assignments": [JudgeAssignmentNode.from_model(a) for a in rows]}

        return await payload(info, JudgeAssignPayload, run)

    @strawberry.mutation(
        description="Give each shortlisted entry k judges from the pool: loads even, conflicts "
        "respected, the same answer for the same input (organisers)."
    )
    async def judge_assign_auto(
        self, info: strawberry.Info, input: Input[JudgeAssignAutoInput]
    ) -> JudgeAssignAutoPayload:
        async def run() -> dict[str, Any]:
            result = await judging.auto_assign(
                actor=info.context.actor,
                contest_id=node_id(input.contest, ContestNode, "contest"),
                judge_ids=_ids(input.judges, UserNode, "judges"),
                category_id=node_id(input.category, ContestCategoryNode, "category")
                if input.category
                else None,
                per_entry=input.per_entry,
            )
            return {
                "assignments": [JudgeAssignmentNode.from_model(a) for a in result.assignments],
                "unfilled": [UnfilledEntry(missing=n, entry_id=e) for e, n in result.short.items()],
            }

        return await payload(info, JudgeAssignAutoPayload, run)

    @strawberry.mutation(
        description="Declare a conflict of interest with an entry (the judge, or an organiser "
        "for them): any assignment and sheet of theirs for it is removed, the scores kept in the "
        "audit."
    )
    async def conflict_declare(
        self, info: strawberry.Info, input: Input[ConflictDeclareInput]
    ) -> ConflictDeclarePayload:
        async def run() -> dict[str, Any]:
            row = await judging.declare_conflict(
                actor=info.context.actor,
                entry_id=node_id(input.entry, EntryNode, "entry"),
                reason=input.reason,
                judge_id=node_id(input.judge, UserNode, "judge") if input.judge else None,
            )
            return {"conflict": ConflictDeclarationNode.from_model(row)}

        return await payload(info, ConflictDeclarePayload, run)

    @strawberry.mutation(
        description="Save the viewer's scores for an entry they judge, as a draft or submitted; "
        "returns the weighted total."
    )
    async def entry_score(
        self, info: strawberry.Info, input: Input[EntryScoreInput]
    ) -> EntryScorePayload:
        draft: judging.SavedAsDraft | None = None

        async def run() -> dict[str, Any]:
            items = [
                validated(
                    judging.ScoreData,
                    {
                        "criterion_id": node_id(
                            s.criterion, RubricCriterionNode, ("scores", str(i), "criterion")
                        ),
                        "value": s.value,
                        "comment": s.comment,
                    },
                )
                for i, s in enumerate(input.scores)
            ]
            try:
                sheet = await judging.score(
                    actor=info.context.actor,
                    entry_id=node_id(input.entry, EntryNode, "entry"),
                    scores=items,
                    comment=input.comment,
                    submit=input.submit,
                    version=input.version,
                )
            except judging.SavedAsDraft as error:
                nonlocal draft
                draft = error
                return {"sheet": ScoreSheetNode.from_model(error.sheet), "weighted_total": None}
            return {
                "sheet": ScoreSheetNode.from_model(sheet),
                "weighted_total": getattr(sheet, "total", None),
            }

        result = await payload(info, EntryScorePayload, run)
        if draft is not None:
            # Saved, but not handed in: the draft as saved along with what it lacks.
            result.errors = user_errors(draft, info)
        return result

    @strawberry.mutation(description="Reopen a submitted score sheet (organisers, with a reason).")
    async def score_sheet_reopen(
        self, info: strawberry.Info, input: Input[ScoreSheetReopenInput]
    ) -> ScoreSheetPayload:
        async def run() -> dict[str, Any]:
            sheet = await judging.reopen(
                actor=info.context.actor,
                sheet_id=node_id(input.id, ScoreSheetNode),
                reason=input.reason,
            )
            return {"sheet": ScoreSheetNode.from_model(sheet)}

        return await payload(info, ScoreSheetPayload, run)

    @strawberry.mutation(
        description="Decide a scored entry's award level, privately until the results are "
        "published (organisers)."
    )
    async def entry_award_decide(
        self, info: strawberry.Info, input: Input[EntryAwardDecideInput]
    ) -> EntryPayload:
        async def run() -> dict[str, Any]:
            entry = await judging.decide_award(
                actor=info.context.actor,
                entry_id=node_id(input.entry, EntryNode, "entry"),
                level=input.level,
                note=input.note,
            )
            return {"entry": EntryNode.from_model(entry)}

        return await payload(info, EntryPayload, run)

    @strawberry.mutation(
        description="Publish the results at once (JUDGING → RESULTS_PUBLISHED; organisers): "
        "entries with an award become AWARDED, the other judged ones NOT_AWARDED, each keeping "
        "its rank and the reason for it."
    )
    async def contest_results_publish(
        self,
        info: strawberry.Info,
        input: Input[ContestActionInput],
    ) -> ContestResultsPublishPayload:
        async def run() -> dict[str, Any]:
            done = await judging.publish(
                actor=info.context.actor,
                contest_id=node_id(input.id, ContestNode),
                version=input.version,
            )
            return {
                "contest": ContestNode.from_model(done.contest),
                "unscored": [EntryNode.from_model(e) for e in done.unscored],
            }

        return await payload(info, ContestResultsPublishPayload, run)


@strawberry.type
class JudgingSubscriptions:
    @strawberry.subscription(
        description="An entry's updated aggregates each time a judge submits, a sheet is "
        "reopened or the results are published, on presentation day (organisers and managers; "
        "over WebSocket or HTTP streams, see the README)."
    )
    async def contest_scoreboard(
        self,
        info: strawberry.Info,
        contest_id: Annotated[relay.GlobalID, strawberry.argument(description="The edition.")],
    ) -> AsyncGenerator[EntryAggregate, None]:
        # Checked before the stream is returned, so a refusal is the subscription's error
        # (graphql-transport-ws `error`), not a first result carrying errors.
        contest_pk = node_id(contest_id, ContestNode, "contestId")
        await scoreboard.check_watch(actor=info.context.actor, contest_id=contest_pk)
        return _scoreboard_updates(contest_pk, info.context.language)


async def _scoreboard_updates(
    contest_id: int, language: Language
) -> AsyncGenerator[EntryAggregate, None]:
    async with scoreboard.subscribe(contest_id) as queue:
        while True:
            # Computed once per change for every subscriber of this process.
            result = await queue.get()
            yield EntryAggregate.of(result, language, True)


@strawberry.type(description="Entries of one category, unit and status.")
class EntryStatusCount:
    status: EntryStatusEnum = strawberry.field(description="The status.")  # type: ignore[valid-type]
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


@strawberry.type(description="How far a judge has got.")
class JudgeProgressType:
    assigned: int = strawberry.field(description="Entries assigned.")
    drafts: int = strawberry.field(description="Sheets saved as drafts.")
    submitted: int = strawberry.field(description="Sheets submitted.")
    judge_id: strawberry.Private[int]

    @strawberry.field(description="The judge.")
    async def judge(self, info: strawberry.Info) -> UserNode:
        return UserNode.from_model(await info.context.loaders.user.load(self.judge_id))


@strawberry.type(description="Submitted scores on one criterion across the edition.")
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


@strawberry.type(description="Live figures of an edition (organisers and managers).")
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
    def of(cls, stats: contest_stats.ContestStatistics) -> "ContestStatisticsType":
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
                    mean=c.mean,
                    minimum=c.minimum,
                    maximum=c.maximum,
                    criterion_id=c.criterion_id,
                )
                for c in stats.criteria
            ],
        )
