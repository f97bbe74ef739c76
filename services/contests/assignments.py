"""Judges of the LIKE Talk Award: organisers assign them (user accounts) to entries, or to every
judged entry of a category; ``auto_assign`` gives each entry k judges, deterministically and with
even loads. A judge is never assigned to an entry they conflict with (``conflicts``): a
conflicted pair refuses the whole request."""

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from tortoise.transactions import in_transaction

from models.contest import Contest, ContestStatus, Entry, JudgeAssignment
from models.user import User
from services import audit, notices
from services.actor import Actor
from services.contests.access import require_organiser
from services.contests.conflicts import Conflicts, conflict_of, conflicts_for
from services.contests.entries import JUDGEABLE
from services.errors import DomainError, ErrorCode, Problem, not_found


async def _judges(judge_ids: Sequence[int]) -> None:
    found = await User.filter(id__in=list(judge_ids), is_active=True).count()
    if found != len(set(judge_ids)) or not judge_ids:
        raise not_found("judges", "กรรมการ", "Judge")


async def _assigning_contest(contest_id: int) -> Contest:
    contest = await Contest.get_or_none(id=contest_id)
    if contest is None:
        raise not_found("contest", "การประกวด", "Contest")
    if contest.status not in (ContestStatus.OPEN, ContestStatus.CLOSED, ContestStatus.JUDGING):
        raise DomainError.of(ErrorCode.INVALID_TRANSITION, "contest_not_judging")
    return contest


async def assign(
    *,
    actor: Actor,
    contest_id: int,
    judge_ids: list[int],
    entry_ids: list[int] | None = None,
    category_id: int | None = None,
) -> list[JudgeAssignment]:
    """Assign judges to the given entries, or to every judged entry of ``category_id``. A
    conflicted pair refuses the whole request, naming the judge and entry."""
    require_organiser(actor)
    contest = await _assigning_contest(contest_id)
    await _judges(judge_ids)
    if entry_ids is None and category_id is None:
        raise DomainError.of(ErrorCode.INVALID_INPUT, "required", field=("entries",))
    entries_q = Entry.filter(contest_id=contest.id, status__in=JUDGEABLE)
    if entry_ids is not None:
        entries_q = entries_q.filter(id__in=entry_ids)
    if category_id is not None:
        entries_q = entries_q.filter(category_id=category_id)
    entries = await entries_q.order_by("id")
    if entry_ids is not None and len(entries) != len(set(entry_ids)):
        raise not_found("entries", "ผลงานที่คัดเลือกแล้ว", "Shortlisted entry")
    conflicts = await conflicts_for(judge_ids, entries)
    problems = [
        Problem(
            ErrorCode.CONFLICT_OF_INTEREST,
            f"judge_conflict_{why.lower()}",
            ("judges", str(judge_ids.index(j))),
            {"entry": e.id},
        )
        for e in entries
        for j in judge_ids
        if (why := conflict_of(j, e, conflicts))
    ]
    if problems:
        raise DomainError(*problems)
    existing = set(
        await JudgeAssignment.filter(entry_id__in=[e.id for e in entries]).values_list(
            "entry_id", "judge_id"
        )
    )
    new = [
        JudgeAssignment(contest_id=contest.id, entry_id=e.id, judge_id=j)
        for e in entries
        for j in dict.fromkeys(judge_ids)  # a judge named twice is assigned once
        if (e.id, j) not in existing
    ]
    return await _save_assignments(actor, contest, new, automatic=False)


async def _save_assignments(
    actor: Actor, contest: Contest, new: list[JudgeAssignment], *, automatic: bool
) -> list[JudgeAssignment]:
    async with in_transaction() as connection:
        entries = {
            e.id: e
            for e in await Entry.filter(id__in=[a.entry_id for a in new]).using_db(connection)
        }
        for row in new:
            row.automatic = automatic
            await row.save(using_db=connection)
            await notices.tell(
                connection,
                notices.NoticeEvent.JUDGE_ASSIGNED,
                entries[row.entry_id],
                actor=actor,
                users=[row.judge_id],
                change=row.id,
            )
        await audit.record(
            actor=actor,
            action="contest.assignJudges",
            object_type="Contest",
            object_id=contest.id,
            after={
                "automatic": automatic,
                "assignments": [[a.entry_id, a.judge_id] for a in new],
            },
            connection=connection,
        )
    return new


def balance(
    entries: Sequence[Entry],
    judge_ids: Sequence[int],
    per_entry: int,
    existing: set[tuple[int, int]],
    conflicts: Conflicts,
) -> tuple[list[tuple[int, int]], dict[int, int]]:
    """Deterministic greedy balancing: entries in id order, each topped up to ``per_entry``
    judges with the eligible judges carrying the least load (ties: lower id). Returns the new
    (entry, judge) pairs and, per entry left short, how many judges it lacks."""
    load = {j: 0 for j in judge_ids}
    for _, judge in existing:
        if judge in load:
            load[judge] += 1
    judges_of = Counter(e for e, _ in existing)
    pairs: list[tuple[int, int]] = []
    short: dict[int, int] = {}
    for entry in sorted(entries, key=lambda e: e.id):
        have = judges_of[entry.id]
        eligible = sorted(
            (
                j
                for j in judge_ids
                if (entry.id, j) not in existing and conflict_of(j, entry, conflicts) is None
            ),
            key=lambda j: (load[j], j),
        )
        chosen = eligible[: max(per_entry - have, 0)]
        for judge in chosen:
            pairs.append((entry.id, judge))
            load[judge] += 1
        if have + len(chosen) < per_entry:
            short[entry.id] = per_entry - have - len(chosen)
    return pairs, short


@dataclass(frozen=True)
class AutoAssignment:
    assignments: list[JudgeAssignment]
    short: dict[int, int]


async def auto_assign(
    *,
    actor: Actor,
    contest_id: int,
    judge_ids: list[int],
    category_id: int | None = None,
    per_entry: int | None = None,
) -> AutoAssignment:
    require_organiser(actor)
    contest = await _assigning_contest(contest_id)
    await _judges(judge_ids)
    k = contest.judges_per_entry if per_entry is None else per_entry
    if not 1 <= k <= len(set(judge_ids)):
        raise DomainError.of(
            ErrorCode.INVALID_INPUT,
            "judges_per_entry_range",
            field=("perEntry",),
            max=len(set(judge_ids)),
        )
    entries_q = Entry.filter(contest_id=contest.id, status__in=JUDGEABLE)
    if category_id is not None:
        entries_q = entries_q.filter(category_id=category_id)
    entries = await entries_q.order_by("id")
    existing_rows = await JudgeAssignment.filter(contest_id=contest.id).values_list(
        "entry_id", "judge_id"
    )
    existing = {(int(e), int(j)) for e, j in existing_rows}
    conflicts = await conflicts_for(judge_ids, entries)
    pairs, short = balance(entries, sorted(set(judge_ids)), k, existing, conflicts)
    new = [JudgeAssignment(contest_id=contest.id, entry_id=e, judge_id=j) for e, j in pairs]
    saved = await _save_assignments(actor, contest, new, automatic=True)
    return AutoAssignment(saved, short)
