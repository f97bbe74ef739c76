"""Live figures of a LIKE Talk Award edition for organisers and managers: entries by category,
unit and status, each judge's progress, and per-criterion statistics — four GROUP BY
statements whatever the size of the edition (rankings are in ``results``)."""

from dataclasses import dataclass

from tortoise.functions import Avg, Count, Max, Min

from models.contest import (
    Entry,
    EntryStatus,
    JudgeAssignment,
    Score,
    ScoreSheet,
    SheetStatus,
)
from services.actor import Actor
from services.contests.access import require_reads_everything


@dataclass(frozen=True)
class StatusCount:
    category_id: int
    unit_id: int
    status: EntryStatus
    count: int


@dataclass(frozen=True)
class JudgeProgress:
    judge_id: int
    assigned: int
    drafts: int
    submitted: int


@dataclass(frozen=True)
class CriterionStats:
    criterion_id: int
    count: int
    mean: float
    minimum: float
    maximum: float


@dataclass(frozen=True)
class ContestStatistics:
    entries: list[StatusCount]
    judges: list[JudgeProgress]
    criteria: list[CriterionStats]


async def statistics(*, actor: Actor, contest_ids: list[int]) -> dict[int, ContestStatistics]:
    """The figures of each edition in ``contest_ids``: four statements for all of them."""
    require_reads_everything(actor)
    counts = (
        await Entry.filter(contest_id__in=contest_ids)
        .annotate(n=Count("id"))
        .group_by("contest_id", "category_id", "unit_id", "status")
        .order_by("contest_id", "category_id", "unit_id", "status")
        .values("contest_id", "category_id", "unit_id", "status", "n")
    )
    assigned = (
        await JudgeAssignment.filter(contest_id__in=contest_ids)
        .annotate(n=Count("id"))
        .group_by("contest_id", "judge_id")
        .values("contest_id", "judge_id", "n")
    )
    sheets = (
        await ScoreSheet.filter(contest_id__in=contest_ids)
        .annotate(n=Count("id"))
        .group_by("contest_id", "judge_id", "status")
        .values("contest_id", "judge_id", "status", "n")
    )
    scores = (
        await Score.filter(
            sheet__contest_id__in=contest_ids,
            sheet__status=SheetStatus.SUBMITTED,
            value__isnull=False,
        )
        .annotate(n=Count("id"), mean=Avg("value"), lo=Min("value"), hi=Max("value"))
        .group_by("sheet__contest_id", "criterion_id")
        .order_by("criterion_id")
        .values("sheet__contest_id", "criterion_id", "n", "mean", "lo", "hi")
    )
    by_judge: dict[int, dict[int, dict[str, int]]] = {c: {} for c in contest_ids}
    for row in assigned:
        by_judge[row["contest_id"]].setdefault(row["judge_id"], {})["assigned"] = row["n"]
    for row in sheets:
        by_judge[row["contest_id"]].setdefault(row["judge_id"], {})[str(row["status"])] = row["n"]
    return {
        c: ContestStatistics(
            entries=[
                StatusCount(r["category_id"], r["unit_id"], EntryStatus(r["status"]), r["n"])
                for r in counts
                if r["contest_id"] == c
            ],
            judges=[
                JudgeProgress(
                    judge_id=judge,
                    assigned=n.get("assigned", 0),
                    drafts=n.get(SheetStatus.DRAFT.value, 0),
                    submitted=n.get(SheetStatus.SUBMITTED.value, 0),
                )
                for judge, n in sorted(by_judge[c].items())
            ],
            criteria=[
                CriterionStats(
                    r["criterion_id"], r["n"], float(r["mean"]), float(r["lo"]), float(r["hi"])
                )
                for r in scores
                if r["sheet__contest_id"] == c
            ],
        )
        for c in contest_ids
    }
