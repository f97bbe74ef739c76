"""Changing the LIKE Talk Award in GraphQL: editions and their form, entries, judges, scores,
awards and the publication of results. Each mutation translates its ``input`` and calls the
service that holds the rule."""

from typing import Any

import strawberry
from strawberry import relay

from schema.contests.inputs import (
    ConflictDeclareInput,
    ContestActionInput,
    ContestCreateInput,
    ContestFormReviseInput,
    EntryActionInput,
    EntryAwardDecideInput,
    EntryCreateInput,
    EntryScoreInput,
    EntryScreenInput,
    EntryUpdateInput,
    FormFieldInput,
    JudgeAssignAutoInput,
    JudgeAssignInput,
    ScoreSheetReopenInput,
)
from schema.contests.judging import ConflictDeclarationNode, JudgeAssignmentNode, ScoreSheetNode
from schema.contests.parts import ContestCategoryNode, ContestFormNode, RubricCriterionNode
from schema.contests.payloads import (
    ConflictDeclarePayload,
    ContestFormRevisePayload,
    ContestPayload,
    ContestResultsPublishPayload,
    EntryPayload,
    EntryScorePayload,
    JudgeAssignAutoPayload,
    JudgeAssignPayload,
    ScoreSheetPayload,
    UnfilledEntry,
)
from schema.contests.types import ContestNode, EntryNode
from schema.errors import payload, user_errors
from schema.inputs import Input, node_id
from schema.org import PersonNode
from schema.transitions import transition, with_current
from schema.users import UserNode
from schema.works.types import WorkNode
from services.contests import assignments, editions, entries, judging, results
from services.contests.editions import ContestAction
from services.contests.entries import EntryAction
from services.contests.forms import FormFieldKind
from services.errors import validated


def _form(fields: list[FormFieldInput]) -> list[dict[str, Any]]:
    out = []
    for f in fields:
        data = {k: v for k, v in vars(f).items() if v is not None}
        data["kind"] = FormFieldKind(f.kind)
        data["choices"] = [vars(c) for c in f.choices]
        out.append(data)
    return out


def _entry_data(category: relay.GlobalID, presenters: list[relay.GlobalID], answers: Any) -> Any:
    return validated(
        entries.EntryData,
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
        contest = await editions.change_contest_status(
            actor=info.context.actor,
            contest_id=node_id(input.id, ContestNode),
            action=action,
            version=input.version,
        )
        return {"contest": ContestNode.from_model(contest)}

    return await payload(info, ContestPayload, run)


async def _entry_action(
    info: strawberry.Info, input: EntryActionInput | EntryScreenInput, action: EntryAction
) -> EntryPayload:
    async def run() -> dict[str, Any]:
        row = await entries.act_on_entry(
            actor=info.context.actor,
            entry_id=node_id(input.id, EntryNode),
            action=action,
            version=input.version,
            comment=input.comment,
        )
        return {"entry": EntryNode.from_model(row)}

    return await payload(info, EntryPayload, run)


def _ids(ids: list[relay.GlobalID], node: type, field: str) -> list[int]:
    return [node_id(g, node, (field, str(i))) for i, g in enumerate(ids)]


@strawberry.type
class ContestMutations:
    @strawberry.mutation(description="Create an edition in DRAFT (contest organisers).")
    async def contest_create(
        self, info: strawberry.Info, input: Input[ContestCreateInput]
    ) -> ContestPayload:
        async def run() -> dict[str, Any]:
            data = validated(
                editions.ContestData,
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
            contest = await editions.create_contest(actor=info.context.actor, data=data)
            return {"contest": ContestNode.from_model(contest)}

        return await payload(info, ContestPayload, run)

    contest_open = transition(
        _contest_action,
        ContestAction.OPEN,
        input_type=ContestActionInput,
        payload_type=ContestPayload,
        description="Open the call (DRAFT → OPEN; organisers).",
    )
    contest_close = transition(
        _contest_action,
        ContestAction.CLOSE,
        input_type=ContestActionInput,
        payload_type=ContestPayload,
        description="Close the call (OPEN → CLOSED; organisers).",
    )
    contest_judging_start = transition(
        _contest_action,
        ContestAction.START_JUDGING,
        input_type=ContestActionInput,
        payload_type=ContestPayload,
        description="Start judging (CLOSED → JUDGING; organisers).",
    )

    @strawberry.mutation(
        description="Save a new version of the application form (DRAFT or OPEN; organisers)."
    )
    async def contest_form_revise(
        self, info: strawberry.Info, input: Input[ContestFormReviseInput]
    ) -> ContestFormRevisePayload:
        async def run() -> dict[str, Any]:
            form = await editions.revise_form(
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
            entry = await entries.create_entry(
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
            entry = await entries.update_entry(
                actor=info.context.actor,
                entry_id=node_id(input.id, EntryNode),
                version=input.version,
                data=_entry_data(input.category, input.presenters, input.answers),
            )
            return {"entry": EntryNode.from_model(entry)}

        return await payload(info, EntryPayload, run)

    entry_submit = transition(
        _entry_action,
        EntryAction.SUBMIT,
        input_type=EntryActionInput,
        payload_type=EntryPayload,
        description="Hand an entry in (→ SUBMITTED); every answer must follow the form's rules.",
    )
    entry_withdraw = transition(
        _entry_action,
        EntryAction.WITHDRAW,
        input_type=EntryActionInput,
        payload_type=EntryPayload,
        description="Withdraw an entry before judging (→ WITHDRAWN; entrant).",
    )

    @strawberry.mutation(
        description="Screen a submitted entry: shortlist, not shortlist or return (organisers)."
    )
    async def entry_screen(
        self, info: strawberry.Info, input: Input[EntryScreenInput]
    ) -> EntryPayload:
        done = await _entry_action(info, input, EntryAction(input.decision.value))
        return await with_current(info, done, input.id)

    entry_present = transition(
        _entry_action,
        EntryAction.PRESENT,
        input_type=EntryActionInput,
        payload_type=EntryPayload,
        description="Record that a shortlisted entry was presented (organisers).",
    )


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
            rows = await assignments.assign(
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
            result = await assignments.auto_assign(
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
                "weighted_total": results.figure(getattr(sheet, "total", None)),
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

        return await with_current(info, await payload(info, ScoreSheetPayload, run), input.id)

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

        return await with_current(info, await payload(info, EntryPayload, run), input.entry)

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

        return await with_current(
            info, await payload(info, ContestResultsPublishPayload, run), input.id
        )
