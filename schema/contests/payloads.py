"""Payloads of the LIKE Talk Award's mutations: what changed, and ``errors`` when nothing did."""

import strawberry

from schema.contests.judging import ConflictDeclarationNode, JudgeAssignmentNode, ScoreSheetNode
from schema.contests.parts import ContestFormNode
from schema.contests.types import ContestNode, EntryNode
from schema.errors import UserError


@strawberry.type(description="Result of a change to an edition.")
class ContestPayload:
    contest: ContestNode | None = strawberry.field(default=None, description="As saved.")
    errors: list[UserError] = strawberry.field(description="Why nothing changed, if so.")


@strawberry.type(description="Result of `contestFormRevise`.")
class ContestFormRevisePayload:
    form: ContestFormNode | None = strawberry.field(default=None, description="The new version.")
    errors: list[UserError] = strawberry.field(description="Why nothing changed, if so.")


@strawberry.type(description="Result of a change to an entry.")
class EntryPayload:
    entry: EntryNode | None = strawberry.field(default=None, description="As saved.")
    errors: list[UserError] = strawberry.field(description="Why nothing changed, if so.")


@strawberry.type(description="Result of `judgeAssign`.")
class JudgeAssignPayload:
    assignments: list[JudgeAssignmentNode] = strawberry.field(
        default_factory=list, description="The assignments made (existing ones are kept)."
    )
    errors: list[UserError] = strawberry.field(description="Why nothing was assigned, if so.")


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


@strawberry.type(description="Result of `conflictDeclare`.")
class ConflictDeclarePayload:
    conflict: ConflictDeclarationNode | None = strawberry.field(
        default=None, description="The declaration."
    )
    errors: list[UserError] = strawberry.field(description="Why nothing was declared, if so.")


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


@strawberry.type(description="Result of `scoreSheetReopen`.")
class ScoreSheetPayload:
    sheet: ScoreSheetNode | None = strawberry.field(default=None, description="As saved.")
    errors: list[UserError] = strawberry.field(description="Why nothing changed, if so.")


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
