"""GAP analysis (SOP step 5): per knowledge topic, what stakeholders need against what staff know.

importance  = mean rating of the stakeholder survey's questions on the topic
proficiency = mean rating of the staff self-assessment's questions on the topic
both on a 1–5 scale (a question on another scale is mapped linearly onto it), from submitted
responses of surveys that were opened;
gap = importance − proficiency, priority = gap × importance; rank by priority, then gap, then
title. A topic measured by only one side has no gap and ranks last.

The committee confirms the analysis: a stored, dated snapshot that later answers do not change.
Confirming the START_OF_YEAR round completes step 5; at the five-month review (step 12) the
committee confirms it again as the FIVE_MONTH_REVIEW round, and the review compares the two.
Every confirmation is kept; the latest of each round is the current one.
"""

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import date

from tortoise.functions import Count, Sum
from tortoise.transactions import in_transaction

from models.cycle import Cycle
from models.meeting import Meeting
from models.survey import (
    GapRound,
    GapSnapshot,
    KnowledgeTopic,
    ResponseStatus,
    SurveyAnswer,
    SurveyKind,
    SurveyStatus,
)
from services import audit
from services.actor import Actor
from services.cycles import complete_step_done_here
from services.errors import DomainError, ErrorCode, not_found
from services.permissions import require_authenticated, require_unit_lead

SCALE_MIN, SCALE_MAX = 1.0, 5.0
GAP_STEP = 5


@dataclass(frozen=True)
class GapRow:
    topic_id: int
    title_th: str
    importance: float | None
    proficiency: float | None
    stakeholder_answers: int
    staff_answers: int
    gap: float | None
    priority: float | None
    rank: int


@dataclass(frozen=True)
class ReviewTopic:
    """One topic in the start-of-year and five-month analyses; None where it is not in one."""

    topic_id: int
    title_th: str
    rank_before: int | None
    rank_after: int | None
    priority_before: float | None
    priority_after: float | None

    @property
    def moved(self) -> bool:
        return self.rank_before != self.rank_after


async def analyse(*, actor: Actor, cycle_id: int) -> list[GapRow]:
    """The live analysis of one cycle from the answers so far."""
    return (await analyse_cycles(actor=actor, cycle_ids=[cycle_id]))[cycle_id]


async def analyse_cycles(*, actor: Actor, cycle_ids: list[int]) -> dict[int, list[GapRow]]:
    """The live analyses of several cycles, in two queries whatever their number."""
    require_authenticated(actor)
    topics = await KnowledgeTopic.filter(cycle_id__in=cycle_ids).values_list(
        "cycle_id", "id", "title_th"
    )
    means: dict[tuple[int, SurveyKind], tuple[float, int]] = {}
    for topic_id, kind, low, high, total, count in await (
        SurveyAnswer.filter(
            question__survey__cycle_id__in=cycle_ids,
            question__survey__status__in=[SurveyStatus.OPEN, SurveyStatus.CLOSED],
            question__topic_id__isnull=False,
            response__status=ResponseStatus.SUBMITTED,
            rating__isnull=False,
        )
        # Sum, not Avg: Tortoise would cast an average back to the integer field's type.
        .annotate(total=Sum("rating"), count=Count("id"))
        .group_by(
            "question__topic_id",
            "question__survey__kind",
            "question__scale_min",
            "question__scale_max",
        )
        .values_list(
            "question__topic_id",
            "question__survey__kind",
            "question__scale_min",
            "question__scale_max",
            "total",
            "count",
        )
    ):
        # Questions on different scales: combine their means, each mapped to 1–5, by count.
        key = (int(topic_id), SurveyKind(kind))
        mean = _to_common_scale(float(total) / int(count), low, high)
        weighted, n = means.get(key, (0.0, 0))
        means[key] = (weighted + mean * int(count), n + int(count))
    return {
        cycle_id: _ranked(
            [_row(int(tid), str(title), means) for cid, tid, title in topics if cid == cycle_id]
        )
        for cycle_id in cycle_ids
    }


async def confirm(
    *,
    actor: Actor,
    cycle_id: int,
    round: GapRound = GapRound.START_OF_YEAR,
    meeting_id: int | None = None,
    on: date | None = None,
) -> GapSnapshot:
    """Store today's analysis as the committee's for ``round``, optionally at a meeting of the
    cycle; the START_OF_YEAR round completes step 5 (``on`` that day)."""
    cycle = await Cycle.get_or_none(id=cycle_id)
    if cycle is None:
        raise not_found("cycle", "รอบ", "Cycle")
    await require_unit_lead(actor, cycle.unit_id)
    if meeting_id is not None:
        meeting = await Meeting.get_or_none(id=meeting_id)
        if meeting is None:
            raise not_found("meeting", "การประชุม", "Meeting")
        if meeting.cycle_id != cycle.id:
            raise DomainError.of(ErrorCode.INVALID_INPUT, "not_of_cycle", field=("meeting",))
    rows = await analyse(actor=actor, cycle_id=cycle.id)
    if not any(row.gap is not None for row in rows):
        raise DomainError.of(ErrorCode.INVALID_INPUT, "gap_no_data", field=("cycle",))
    async with in_transaction() as connection:
        snapshot = await GapSnapshot.create(
            cycle_id=cycle.id,
            round=round,
            meeting_id=meeting_id,
            rows=[asdict(row) for row in rows],
            confirmed_by_id=actor.user_id,
            using_db=connection,
        )
        await audit.record(
            actor=actor,
            action="gapAnalysis.confirm",
            object_type="Cycle",
            object_id=cycle.id,
            after={"snapshot": snapshot.id, "round": round.value, "topics": len(rows)},
            connection=connection,
        )
        if round is GapRound.START_OF_YEAR:
            await complete_step_done_here(
                actor=actor,
                cycle_id=cycle.id,
                step_no=GAP_STEP,
                reason_key="gap_confirmed_reason",
                connection=connection,
                on=on,
            )
    return snapshot


def review(snapshots: Sequence[GapSnapshot]) -> list[ReviewTopic] | None:
    """The five-month review of one cycle's snapshots (newest first): each topic's rank and
    priority in the latest START_OF_YEAR and FIVE_MONTH_REVIEW analyses, in the five-month
    order, then topics only at the start of the year; None until both rounds are confirmed."""
    latest: dict[GapRound, GapSnapshot] = {}
    for snapshot in snapshots:
        latest.setdefault(GapRound(snapshot.round), snapshot)
    if len(latest) < len(GapRound):
        return None
    before = {row.topic_id: row for row in snapshot_rows(latest[GapRound.START_OF_YEAR])}
    after = {row.topic_id: row for row in snapshot_rows(latest[GapRound.FIVE_MONTH_REVIEW])}
    latest_row = after | {
        topic_id: row for topic_id, row in before.items() if topic_id not in after
    }
    topics = []
    for topic_id, row in latest_row.items():
        was, now = before.get(topic_id), after.get(topic_id)
        topics.append(
            ReviewTopic(
                topic_id=topic_id,
                title_th=row.title_th,
                rank_before=was.rank if was else None,
                rank_after=now.rank if now else None,
                priority_before=was.priority if was else None,
                priority_after=now.priority if now else None,
            )
        )
    return topics


def snapshot_rows(snapshot: GapSnapshot) -> list[GapRow]:
    return [GapRow(**row) for row in snapshot.rows]


def _to_common_scale(value: float, low: int | None, high: int | None) -> float:
    if low is None or high is None or high == low:
        return value
    return SCALE_MIN + (value - low) * (SCALE_MAX - SCALE_MIN) / (high - low)


def _row(
    topic_id: int, title: str, means: dict[tuple[int, SurveyKind], tuple[float, int]]
) -> GapRow:
    need = means.get((topic_id, SurveyKind.STAKEHOLDER_NEEDS))
    know = means.get((topic_id, SurveyKind.STAFF_SELF_ASSESSMENT))
    importance = round(need[0] / need[1], 4) if need else None
    proficiency = round(know[0] / know[1], 4) if know else None
    gap = (
        round(importance - proficiency, 4)
        if importance is not None and proficiency is not None
        else None
    )
    return GapRow(
        topic_id=topic_id,
        title_th=title,
        importance=importance,
        proficiency=proficiency,
        stakeholder_answers=need[1] if need else 0,
        staff_answers=know[1] if know else 0,
        gap=gap,
        priority=round(gap * importance, 4) if gap is not None and importance is not None else None,
        rank=0,
    )


def _ranked(rows: list[GapRow]) -> list[GapRow]:
    def key(row: GapRow) -> tuple[bool, float, float, str]:
        return (row.priority is None, -(row.priority or 0.0), -(row.gap or 0.0), row.title_th)

    return [
        GapRow(**{**asdict(row), "rank": position})
        for position, row in enumerate(sorted(rows, key=key), start=1)
    ]
