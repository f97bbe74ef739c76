"""Judging the LIKE Talk Award: conflicts of interest, score sheets and awards.

- A judge never scores an entry they conflict with (``conflicts``): its unit is the unit of the
  person record of their account, they made, wrote or present it (whatever their unit), or a
  conflict was declared for it (with a reason, audited; declaring removes the assignment and any
  sheet, whose scores stay in the audit).
- A score sheet is a draft until submitted; only an organiser reopens a submitted one. Values
  off a criterion's scale or step are refused before anything is written, each at its
  ``["scores", i, "value"]`` path; a submission missing criteria is saved as a draft and
  reported (``SavedAsDraft`` carries the saved sheet). When every judge of an entry has
  submitted, the entry is SCORED.
- Awards are decided privately (``decide_award``) and published together with the results.

Who sees other judges' sheets and the aggregates is in ``access``; assigning judges in
``assignments``.

Score sheet transitions: DRAFT –SUBMIT→ SUBMITTED (the judge); SUBMITTED –REOPEN→ DRAFT
(an organiser, with a reason); a SCORED entry goes back to the state it was SCORED from.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, Field
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.transactions import in_transaction

from models.audit import AuditEvent
from models.contest import (
    ConflictDeclaration,
    Contest,
    ContestStatus,
    Entry,
    EntryStatus,
    JudgeAssignment,
    RubricCriterion,
    Score,
    ScoreSheet,
    SheetStatus,
)
from models.user import Role, User
from services import audit, notices
from services.actor import Actor
from services.contests import scoreboard
from services.contests.access import EntryStanding, is_organiser, require_organiser
from services.contests.conflicts import conflict_of, conflicts_for
from services.contests.editions import (
    ContestAction,
    allowed_contest_actions,
    contest_transition,
    now,
)
from services.contests.entries import JUDGEABLE, EntryAction, entry_transition, locked_entry
from services.contests.results import Scale, compute, criteria_for, reason_facts, weighted_total
from services.errors import (
    DomainError,
    ErrorCode,
    Forbidden,
    ForbiddenReason,
    Problem,
    check_version,
    invalid_transition,
    not_found,
)
from services.permissions import require_authenticated

STEP_TOLERANCE = 1e-9


def required_reason(reason: str, field: str = "reason") -> str:
    """The reason stripped; a typed error when nothing is left."""
    reason = reason.strip()
    if not reason:
        raise DomainError.of(ErrorCode.INVALID_INPUT, "reason_required", field=(field,))
    return reason


async def declare_conflict(
    *, actor: Actor, entry_id: int, reason: str, judge_id: int | None = None
) -> ConflictDeclaration:
    """A judge assigned to an entry declares a conflict with it (an organiser may declare it
    for any judge). Refused once the results are published; a judge whose sheet is submitted
    needs an organiser (declaring removes the sheet). When the sheet removed was the last one
    outstanding, the entry is SCORED."""
    require_authenticated(actor)
    judge = judge_id if judge_id is not None else actor.user_id
    if judge is None:
        raise DomainError.of(ErrorCode.INVALID_INPUT, "required", field=("judge",))
    organiser = is_organiser(actor)
    if judge != actor.user_id and not organiser:
        raise Forbidden(ForbiddenReason.ROLE_REQUIRED, roles=Role.CONTEST_ORGANISER)
    reason = required_reason(reason)
    if not await User.exists(id=judge):
        raise not_found("judge", "กรรมการ", "Judge")
    async with in_transaction() as connection:
        entry = await locked_entry(entry_id, connection, "entry")
        assigned = (
            await JudgeAssignment.filter(entry_id=entry.id, judge_id=judge)
            .using_db(connection)
            .exists()
        )
        if not organiser and not assigned:
            raise Forbidden(ForbiddenReason.NOT_ASSIGNED)
        contest = await Contest.get(id=entry.contest_id, using_db=connection)
        if contest.status == ContestStatus.RESULTS_PUBLISHED:
            raise DomainError.of(ErrorCode.INVALID_TRANSITION, "results_published")
        if (
            await ConflictDeclaration.filter(entry_id=entry.id, judge_id=judge)
            .using_db(connection)
            .exists()
        ):
            raise DomainError.of(ErrorCode.DUPLICATE, "conflict_exists", field=("entry",))
        sheets = await ScoreSheet.filter(entry_id=entry.id, judge_id=judge).using_db(connection)
        if not organiser and any(s.status == SheetStatus.SUBMITTED for s in sheets):
            raise DomainError.of(
                ErrorCode.NOT_PERMITTED, "conflict_sheet_submitted", field=("entry",)
            )
        declaration = await ConflictDeclaration.create(
            contest_id=entry.contest_id,
            entry_id=entry.id,
            judge_id=judge,
            reason=reason,
            declared_by_id=actor.user_id,
            using_db=connection,
        )
        removed = (
            await JudgeAssignment.filter(entry_id=entry.id, judge_id=judge)
            .using_db(connection)
            .delete()
        )
        dropped = []
        for sheet in sheets:
            scores = await Score.filter(sheet_id=sheet.id).using_db(connection)
            dropped.append(
                {
                    "status": sheet.status.value,
                    "scores": {str(s.criterion_id): s.value for s in scores},
                    "comment": sheet.comment,
                }
            )
            await sheet.delete(using_db=connection)
        await audit.record(
            actor=actor,
            action="conflict.declare",
            object_type="Entry",
            object_id=entry.id,
            before={"assigned": bool(removed), "sheets": dropped} if removed or dropped else None,
            after={"judge": judge},
            reason=reason,
            connection=connection,
        )
        if scoring_open(contest, entry):
            await _score_entry_when_complete(actor, entry, connection)
    return declaration


class SavedAsDraft(DomainError):
    """A submission missing criteria: the scores given were saved, the sheet stays a draft
    (``sheet``, with its new version, for the client's next save)."""

    def __init__(self, sheet: ScoreSheet, *problems: Problem) -> None:
        super().__init__(*problems)
        self.sheet = sheet


class ScoreData(BaseModel):
    model_config = ConfigDict(frozen=True)
    criterion_id: int
    value: float | None = None
    comment: str | None = Field(default=None, max_length=5000)


def check_value(criterion: RubricCriterion, value: float) -> bool:
    """On the criterion's scale and on its step."""
    if not criterion.scale_min - STEP_TOLERANCE <= value <= criterion.scale_max + STEP_TOLERANCE:
        return False
    steps = (value - criterion.scale_min) / criterion.scale_step
    return abs(steps - round(steps)) <= 1e-6


def sheet_total(
    criteria: Sequence[RubricCriterion], values: dict[int, float | None]
) -> float | None:
    """The judge's weighted total on 0–100, once every criterion has a value."""
    scored = [
        (float(value), Scale(c.scale_min, c.scale_max, c.weight))
        for c in criteria
        if (value := values.get(c.id)) is not None
    ]
    return weighted_total(scored) if len(scored) == len(criteria) else None


async def score(
    *,
    actor: Actor,
    entry_id: int,
    scores: list[ScoreData],
    comment: str | None = None,
    submit: bool = False,
    version: int | None = None,
) -> ScoreSheet:
    """Save one judge's scores for one entry, and hand them in when ``submit``."""
    require_authenticated(actor)
    if actor.user_id is None:
        raise Forbidden(ForbiddenReason.NOT_ASSIGNED)
    judge = actor.user_id
    entry = await Entry.get_or_none(id=entry_id)
    if entry is None:
        raise not_found("entry", "ผลงานที่ส่งประกวด", "Entry")
    criteria = criteria_for(
        await RubricCriterion.filter(contest_id=entry.contest_id), entry.category_id
    )
    by_id = {c.id: c for c in criteria}
    problems = []
    seen: set[int] = set()
    for i, item in enumerate(scores):
        criterion = by_id.get(item.criterion_id)
        if criterion is None or item.criterion_id in seen:
            problems.append(
                Problem(
                    ErrorCode.INVALID_INPUT,
                    "score_unknown_criterion",
                    ("scores", str(i), "criterion"),
                )
            )
        elif item.value is not None and not check_value(criterion, item.value):
            problems.append(
                Problem(
                    ErrorCode.INVALID_INPUT,
                    "score_off_scale",
                    ("scores", str(i), "value"),
                    {
                        "min": criterion.scale_min,
                        "max": criterion.scale_max,
                        "step": criterion.scale_step,
                    },
                )
            )
        seen.add(item.criterion_id)
    if problems:
        raise DomainError(*problems)
    missing: list[RubricCriterion] = []
    async with in_transaction() as connection:
        # The entry's lock first: declare_conflict takes the same one, so an assignment checked
        # here cannot be removed before this sheet is saved.
        locked = await locked_entry(entry.id, connection, "entry")
        await _check_may_judge(judge, locked, connection)
        contest = await Contest.filter(id=entry.contest_id).using_db(connection).get()
        if not scoring_open(contest, locked):
            raise DomainError.of(ErrorCode.INVALID_TRANSITION, "scoring_closed")
        sheet = (
            await ScoreSheet.filter(entry_id=entry.id, judge_id=judge)
            .select_for_update()
            .using_db(connection)
            .first()
        )
        if sheet is None:
            sheet = await ScoreSheet.create(
                contest_id=entry.contest_id, entry_id=entry.id, judge_id=judge, using_db=connection
            )
        check_version(sheet.version, version)
        if sheet.status == SheetStatus.SUBMITTED:
            raise invalid_transition("SCORE", sheet.status, ["REOPEN"])
        await (
            Score.filter(sheet_id=sheet.id, criterion_id__in=[s.criterion_id for s in scores])
            .using_db(connection)
            .delete()
        )
        await Score.bulk_create(
            [
                Score(
                    sheet_id=sheet.id, criterion_id=s.criterion_id, value=s.value, comment=s.comment
                )
                for s in scores
            ],
            using_db=connection,
        )
        if comment is not None:
            sheet.comment = comment.strip() or None
        values = dict(
            await Score.filter(sheet_id=sheet.id)
            .using_db(connection)
            .values_list("criterion_id", "value")
        )
        sheet.version += 1
        if submit:
            missing = [c for c in criteria if values.get(c.id) is None]
        if submit and not missing:
            sheet.status = SheetStatus.SUBMITTED
            sheet.submitted_at = now()
            await audit.record(
                actor=actor,
                action="scoreSheet.submit",
                object_type="ScoreSheet",
                object_id=sheet.id,
                after={
                    "entry": entry.id,
                    "scores": {str(k): v for k, v in values.items()},
                    "total": sheet_total(criteria, values),
                },
                connection=connection,
            )
        await sheet.save(using_db=connection)
        if submit and not missing:
            await _score_entry_when_complete(actor, locked, connection)
    if submit and not missing:
        await scoreboard.announce(entry.contest_id, [entry.id])
    if missing:
        raise SavedAsDraft(
            sheet,
            *(
                Problem(
                    ErrorCode.INVALID_INPUT,
                    "score_missing",
                    ("scores",),
                    {"criterion": c.name_th, "criterion_en": c.name_en or c.name_th},
                )
                for c in missing
            ),
        )
    sheet.total = sheet_total(criteria, values)  # type: ignore[attr-defined]
    return sheet


async def _check_may_judge(judge: int, entry: Entry, connection: BaseDBAsyncClient) -> None:
    """The judge is assigned to ``entry`` and has no conflict with it (in the transaction that
    holds the entry's lock)."""
    if (
        not await JudgeAssignment.filter(entry_id=entry.id, judge_id=judge)
        .using_db(connection)
        .exists()
    ):
        raise DomainError.of(ErrorCode.NOT_ASSIGNED, "judge_not_assigned", field=("entry",))
    why = conflict_of(judge, entry, await conflicts_for([judge], [entry], connection))
    if why:
        raise DomainError.of(
            ErrorCode.CONFLICT_OF_INTEREST,
            f"judge_conflict_{why.lower()}",
            field=("entry",),
            entry=entry.id,
        )


async def _scored_from(entry: Entry, connection: BaseDBAsyncClient) -> EntryStatus | None:
    """The state the entry was last SCORED from, as its audited transition says."""
    event = (
        await AuditEvent.filter(object_type="Entry", object_id=str(entry.id), action="entry.score")
        .using_db(connection)
        .order_by("-id")
        .first()
    )
    before = (event.before or {}).get("status") if event else None
    return EntryStatus(before) if before in {s.value for s in EntryStatus} else None


async def _score_entry_when_complete(
    actor: Actor, entry: Entry, connection: BaseDBAsyncClient
) -> None:
    judges = set(
        await JudgeAssignment.filter(entry_id=entry.id)
        .using_db(connection)
        .values_list("judge_id", flat=True)
    )
    done = set(
        await ScoreSheet.filter(entry_id=entry.id, status=SheetStatus.SUBMITTED)
        .using_db(connection)
        .values_list("judge_id", flat=True)
    )
    if judges and judges <= done and entry.status != EntryStatus.SCORED:
        await entry_transition(
            actor=actor, entry=entry, action=EntryAction.SCORE, connection=connection
        )


async def reopen(*, actor: Actor, sheet_id: int, reason: str) -> ScoreSheet:
    """An organiser reopens a submitted sheet (SUBMITTED → DRAFT); a SCORED entry goes back.
    The entry is locked first and the contest read after it, as ``publish_results`` locks the
    contest and then the entries: a reopening either precedes publication or is refused."""
    require_organiser(actor)
    reason = required_reason(reason)
    found = await ScoreSheet.get_or_none(id=sheet_id)
    if found is None:
        raise not_found("id", "ใบให้คะแนน", "Score sheet")
    async with in_transaction() as connection:
        entry = await locked_entry(found.entry_id, connection)
        sheet = (
            await ScoreSheet.filter(id=sheet_id).select_for_update().using_db(connection).first()
        )
        if sheet is None:
            raise not_found("id", "ใบให้คะแนน", "Score sheet")
        contest = await Contest.get(id=sheet.contest_id, using_db=connection)
        if sheet.status != SheetStatus.SUBMITTED or contest.status != ContestStatus.JUDGING:
            raise invalid_transition("REOPEN", sheet.status, ["SUBMIT"])
        sheet.status = SheetStatus.DRAFT
        sheet.submitted_at = None
        sheet.version += 1
        await sheet.save(using_db=connection)
        if entry.status == EntryStatus.SCORED:
            await entry_transition(
                actor=actor,
                entry=entry,
                action=EntryAction.REOPEN,
                reason=reason,
                connection=connection,
                to=await _scored_from(entry, connection),
            )
        await audit.record(
            actor=actor,
            action="scoreSheet.reopen",
            object_type="ScoreSheet",
            object_id=sheet.id,
            before={"status": "SUBMITTED"},
            after={"status": "DRAFT"},
            reason=reason,
            connection=connection,
        )
        await notices.tell(
            connection,
            notices.NoticeEvent.SHEET_REOPENED,
            entry,
            actor=actor,
            users=[sheet.judge_id],
            change=f"sheet{sheet.id}.{sheet.version}",
            reason=reason,
        )
    await scoreboard.announce(sheet.contest_id, [sheet.entry_id])
    return sheet


async def decide_award(
    *, actor: Actor, entry_id: int, level: str | None, note: str | None = None
) -> Entry:
    """Decide (privately, before publication) an entry's award level, or none."""
    require_organiser(actor)
    async with in_transaction() as connection:
        entry = await locked_entry(entry_id, connection, "entry")
        contest = await Contest.get(id=entry.contest_id, using_db=connection)
        if contest.status != ContestStatus.JUDGING:
            raise DomainError.of(ErrorCode.INVALID_TRANSITION, "contest_not_judging")
        codes = [a["code"] for a in contest.award_levels]
        if level is not None and level not in codes:
            raise DomainError.of(
                ErrorCode.INVALID_INPUT,
                "award_level_unknown",
                field=("level",),
                levels=", ".join(codes),
            )
        if level is not None and entry.status != EntryStatus.SCORED:
            raise invalid_transition("AWARD", entry.status, [])
        before = {"level": entry.award_level}
        entry.award_level = level
        entry.award_note = (note or "").strip() or None
        entry.version += 1
        await entry.save(using_db=connection)
        await audit.record(
            actor=actor,
            action="entry.decideAward",
            object_type="Entry",
            object_id=entry.id,
            before=before,
            after={"level": level},
            connection=connection,
        )
    return entry


@dataclass(frozen=True)
class Publication:
    contest: Contest
    # Entries published while not completely scored (sheets outstanding), in id order.
    unscored: list[Entry]


async def publish_results(*, actor: Actor, contest_id: int, version: int | None = None) -> Contest:
    return (await publish(actor=actor, contest_id=contest_id, version=version)).contest


async def publish(*, actor: Actor, contest_id: int, version: int | None = None) -> Publication:
    """Publish every decided award at once: awarded entries become AWARDED, the other judged
    entries NOT_AWARDED; each keeps its rank and the reason for it. Refused, naming them, while
    an entry has a decided award but is not SCORED (e.g. a sheet reopened after the decision);
    entries published with sheets outstanding are reported (and audited)."""
    require_organiser(actor)
    async with in_transaction() as connection:
        # The contest, then its entries, locked before anything is computed: a score, a reopening
        # or an award decision (each locks its entry first, then reads the contest) either ends
        # before this reads the sheets or finds the results published. FOR NO KEY UPDATE lets
        # them insert sheets that reference the contest meanwhile (PostgreSQL).
        contest = (
            await Contest.filter(id=contest_id)
            .select_for_update(no_key=True)
            .using_db(connection)
            .first()
        )
        if contest is None:
            raise not_found("contest", "การประกวด", "Contest")
        check_version(contest.version, version)
        if contest.status != ContestStatus.JUDGING:
            raise invalid_transition(
                ContestAction.PUBLISH_RESULTS,
                contest.status,
                allowed_contest_actions(contest.status),
            )
        entries = (
            await Entry.filter(contest_id=contest.id, status__in=JUDGEABLE)
            .select_for_update(no_key=True)
            .using_db(connection)
            .order_by("id")
        )
        undecidable = [e.id for e in entries if e.award_level and e.status != EntryStatus.SCORED]
        if undecidable:
            raise DomainError.of(
                ErrorCode.INVALID_TRANSITION,
                "award_on_unscored",
                field=("id",),
                entries=", ".join(str(e) for e in undecidable),
            )
        unscored = [e for e in entries if e.status != EntryStatus.SCORED]
        results = await compute(contest, connection=connection)
        placing = {r.entry.id: r for r in results.entries}
        awarded = 0
        for entry in entries:
            result = placing.get(entry.id)
            entry.final_rank = result.placing.rank if result else None
            # The facts, worded in each reader's language when read.
            entry.rank_reason = reason_facts(result) if result else None
            wins = bool(entry.award_level) and entry.status == EntryStatus.SCORED
            action = EntryAction.AWARD if wins else EntryAction.NOT_AWARD
            awarded += wins
            if not wins:
                entry.award_level = None
            await entry_transition(
                actor=actor,
                entry=entry,
                action=action,
                connection=connection,
                after={"level": entry.award_level, "rank": entry.final_rank},
            )
        await contest_transition(
            actor=actor,
            contest=contest,
            action=ContestAction.PUBLISH_RESULTS,
            connection=connection,
            after={
                "awarded": awarded,
                "entries": len(entries),
                "unscored": [e.id for e in unscored],
            },
        )
        await notices.tell(connection, notices.NoticeEvent.RESULTS_PUBLISHED, contest, actor=actor)
    await scoreboard.announce(contest.id, [e.id for e in entries])
    return Publication(contest, unscored)


def scoring_open(contest: Contest, entry: Entry) -> bool:
    return contest.status == ContestStatus.JUDGING and entry.status in JUDGEABLE


def viewer_may_score(standing: EntryStanding, contest: Contest, entry: Entry) -> bool:
    return standing.may_score and scoring_open(contest, entry)
