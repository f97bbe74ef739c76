"""Survey summaries (SOP steps 3–4, read by step 5): response rates per group, per question the
count, mean, median and distribution of the answers, per knowledge topic the mean rating.

Only SUBMITTED responses count as answers; drafts count only as "started". The numbers come from
SQL aggregation (GROUP BY … COUNT) in a fixed number of statements whatever the number of
answers and questions:

1. the survey's cycle (its unit), 2. the viewer's seats on that unit's committee,
3. the questions with their knowledge topics, 4. answer rows counted per (question, rating,
choice) — the rating and choice distributions and the text counts, 5. responses that answered
each question (a multiple choice is a row per chosen value), 6. who was asked — invitations per
stakeholder group, or the unit's people for a staff survey, 7. responses per (group, status).

Means and medians are computed from the distribution (a rating scale has at most 11 points), so
they are exact and the same on SQLite and PostgreSQL. A topic's mean maps each question's scale
onto 1–5 and weighs questions by their answers, as the GAP analysis does: it is the topic's
importance in a stakeholder survey, its proficiency in a staff self-assessment.

Who sees what: the unit's committee members (any seat) and administrators see the summary and
the individual answers (text answers, the per-response export); managers see the summary only;
anyone else is refused.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from tortoise.functions import Count
from tortoise.queryset import QuerySet

from models.cycle import Cycle
from models.org import Person
from models.survey import (
    KnowledgeTopic,
    QuestionKind,
    ResponseStatus,
    StakeholderGroup,
    Survey,
    SurveyAnswer,
    SurveyInvitation,
    SurveyKind,
    SurveyQuestion,
    SurveyResponse,
)
from models.user import Role
from services.actor import Actor
from services.errors import Forbidden, ForbiddenReason, not_found
from services.gap import SCALE_MAX, SCALE_MIN
from services.permissions import standing_in_unit

DECIMALS = 4


class TopicMeasure(StrEnum):
    IMPORTANCE = "IMPORTANCE"  # stakeholders: how much they need the knowledge
    PROFICIENCY = "PROFICIENCY"  # staff: how well they know it


MEASURE_OF_KIND = {
    SurveyKind.STAKEHOLDER_NEEDS: TopicMeasure.IMPORTANCE,
    SurveyKind.STAFF_SELF_ASSESSMENT: TopicMeasure.PROFICIENCY,
}


@dataclass(frozen=True)
class GroupRate:
    """Who was asked and who answered, for one stakeholder group (``None``: the unit's staff)."""

    group: StakeholderGroup | None
    invited: int
    draft: int
    submitted: int

    @property
    def rate(self) -> float | None:
        return _ratio(self.submitted, self.invited)


@dataclass(frozen=True)
class Bin:
    """One point of a rating scale or one choice, with how many submitted responses gave it."""

    value: str
    rating: int | None
    label_th: str | None
    label_en: str | None
    count: int
    share: float | None  # of the responses that answered the question


@dataclass(frozen=True)
class QuestionStats:
    question: SurveyQuestion
    count: int  # submitted responses that answered it (for TEXT: the written answers)
    mean: float | None
    median: float | None
    distribution: list[Bin]
    texts: int = 0  # written answers (the total of ``text_answers``)


@dataclass(frozen=True)
class TopicStats:
    topic: KnowledgeTopic
    measure: TopicMeasure
    mean: float | None  # on 1–5
    count: int  # ratings behind the mean
    questions: int


@dataclass(frozen=True)
class Summary:
    survey: Survey
    rates: list[GroupRate]
    questions: list[QuestionStats]
    topics: list[TopicStats]
    # Proof of the viewer's access, for the individual answers asked for afterwards.
    can_see_answers: bool = field(repr=False)

    @property
    def invited(self) -> int:
        return sum(r.invited for r in self.rates)

    @property
    def draft(self) -> int:
        return sum(r.draft for r in self.rates)

    @property
    def submitted(self) -> int:
        return sum(r.submitted for r in self.rates)

    @property
    def rate(self) -> float | None:
        return _ratio(self.submitted, self.invited)


@dataclass(frozen=True)
class ResponseRow:
    """One submitted response with its answers, for the per-response export."""

    id: int
    group: StakeholderGroup | None
    submitted_at: datetime | None
    # question id → the rating, the chosen values (in the question's order) or the text
    answers: dict[int, int | list[str] | str]


async def summarise(*, actor: Actor, survey_id: int) -> Summary:
    """The summary of one survey, for its unit's committee, managers and administrators."""
    survey = await Survey.get_or_none(id=survey_id)
    if survey is None:
        raise not_found("id", "แบบสำรวจ", "Survey")
    return await summarise_survey(actor=actor, survey=survey)


async def summarise_survey(*, actor: Actor, survey: Survey) -> Summary:
    """As ``summarise``, for a survey already loaded."""
    cycle = await Cycle.get(id=survey.cycle_id)
    can_see_answers = await _can_see_answers(actor, cycle.unit_id)
    questions = (
        await SurveyQuestion.filter(survey_id=survey.id)
        .select_related("topic")
        .order_by("position")
    )
    question_ids = [q.id for q in questions]
    counted = await (
        _submitted(SurveyAnswer.filter(question_id__in=question_ids))
        .annotate(n=Count("id"))
        .group_by("question_id", "rating", "choice")
        .values_list("question_id", "rating", "choice", "n")
    )
    answered = dict(
        await _submitted(SurveyAnswer.filter(question_id__in=question_ids))
        .annotate(n=Count("response_id", distinct=True))
        .group_by("question_id")
        .values_list("question_id", "n")
    )
    ratings: dict[int, dict[int, int]] = defaultdict(dict)
    choices: dict[int, dict[str, int]] = defaultdict(dict)
    texts: dict[int, int] = defaultdict(int)
    for question_id, rating, choice, n in counted:
        if rating is not None:
            ratings[int(question_id)][int(rating)] = int(n)
        elif choice is not None:
            choices[int(question_id)][str(choice)] = int(n)
        else:
            texts[int(question_id)] += int(n)
    stats = [
        _question_stats(q, int(answered.get(q.id, 0)), ratings[q.id], choices[q.id], texts[q.id])
        for q in questions
    ]
    return Summary(
        survey=survey,
        rates=await _rates(survey, cycle.unit_id),
        questions=stats,
        topics=_topics(survey, stats),
        can_see_answers=can_see_answers,
    )


def text_answers(*, summary: Summary, question_id: int) -> QuerySet[SurveyAnswer]:
    """The written answers to one question of the summary, oldest first, each with its response
    (for the group): individual answers, so for the committee and administrators only."""
    if not summary.can_see_answers:
        raise Forbidden(ForbiddenReason.COMMITTEE_MEMBER_REQUIRED)
    return (
        _submitted(SurveyAnswer.filter(question_id=question_id, text__isnull=False))
        .select_related("response")
        .order_by("id")
    )


async def submitted_responses(*, summary: Summary) -> list[ResponseRow]:
    """Every submitted response with its answers (two statements): individual answers, so for
    the committee and administrators only."""
    if not summary.can_see_answers:
        raise Forbidden(ForbiddenReason.COMMITTEE_MEMBER_REQUIRED)
    responses = await (
        SurveyResponse.filter(survey_id=summary.survey.id, status=ResponseStatus.SUBMITTED)
        .order_by("submitted_at", "id")
        .values_list("id", "group", "submitted_at")
    )
    rows = {
        int(pk): ResponseRow(
            id=int(pk),
            group=StakeholderGroup(group) if group else None,
            submitted_at=submitted_at,
            answers={},
        )
        for pk, group, submitted_at in responses
    }
    questions = {s.question.id: s.question for s in summary.questions}
    chosen: dict[tuple[int, int], set[str]] = defaultdict(set)
    for response_id, question_id, rating, choice, text in await (
        _submitted(SurveyAnswer.filter(question_id__in=list(questions)))
        .order_by("id")
        .values_list("response_id", "question_id", "rating", "choice", "text")
    ):
        row = rows.get(int(response_id))
        if row is None:
            continue
        if rating is not None:
            row.answers[int(question_id)] = int(rating)
        elif choice is not None:
            chosen[(row.id, int(question_id))].add(str(choice))
        elif text is not None:
            row.answers[int(question_id)] = str(text)
    for (response_id, question_id), values in chosen.items():
        order = [c["value"] for c in questions[question_id].choices]
        rows[response_id].answers[question_id] = sorted(
            values, key=lambda v: (order.index(v) if v in order else len(order), v)
        )
    return list(rows.values())


async def _can_see_answers(actor: Actor, unit_id: int) -> bool:
    """True for the unit's committee and administrators, False for managers; others refused."""
    if (await standing_in_unit(actor, unit_id)).is_member:
        return True
    if Role.MANAGER in actor.roles:
        return False
    raise Forbidden(ForbiddenReason.COMMITTEE_MEMBER_REQUIRED)


def _submitted(answers: QuerySet[SurveyAnswer]) -> QuerySet[SurveyAnswer]:
    return answers.filter(response__status=ResponseStatus.SUBMITTED)


async def _rates(survey: Survey, unit_id: int) -> list[GroupRate]:
    """Two statements: who was asked, and responses per group and status."""
    asked: dict[StakeholderGroup | None, int] = {}
    if survey.kind == SurveyKind.STAFF_SELF_ASSESSMENT:
        asked[None] = await Person.filter(unit_id=unit_id).count()
    else:
        for group, n in await (
            SurveyInvitation.filter(survey_id=survey.id)
            .annotate(n=Count("id"))
            .group_by("stakeholder__group")
            .values_list("stakeholder__group", "n")
        ):
            asked[StakeholderGroup(group)] = int(n)
    answered: dict[tuple[StakeholderGroup | None, ResponseStatus], int] = {}
    for group, status, n in await (
        SurveyResponse.filter(survey_id=survey.id)
        .annotate(n=Count("id"))
        .group_by("group", "status")
        .values_list("group", "status", "n")
    ):
        key = (StakeholderGroup(group) if group else None, ResponseStatus(status))
        answered[key] = int(n)
    groups = {*asked, *(g for g, _ in answered)}
    order = [*StakeholderGroup, None]
    return [
        GroupRate(
            group=group,
            invited=asked.get(group, 0),
            draft=answered.get((group, ResponseStatus.DRAFT), 0),
            submitted=answered.get((group, ResponseStatus.SUBMITTED), 0),
        )
        for group in sorted(groups, key=order.index)
    ]


def _question_stats(
    question: SurveyQuestion,
    answered: int,
    ratings: dict[int, int],
    choices: dict[str, int],
    texts: int,
) -> QuestionStats:
    if question.kind == QuestionKind.RATING:
        low, high = question.scale_min or 0, question.scale_max or 0
        labels = list(question.scale_labels or [])
        points = sorted({*range(low, high + 1), *ratings})
        bins = [
            Bin(
                value=str(point),
                rating=point,
                label_th=labels[point - low] if 0 <= point - low < len(labels) else None,
                label_en=None,
                count=ratings.get(point, 0),
                share=_ratio(ratings.get(point, 0), answered),
            )
            for point in points
        ]
        counts = [(point, ratings.get(point, 0)) for point in points]
        return QuestionStats(question, answered, _mean(counts), _median(counts), bins)
    if question.kind in (QuestionKind.SINGLE_CHOICE, QuestionKind.MULTI_CHOICE):
        listed = [dict(c) for c in question.choices]
        known = {c["value"] for c in listed}
        # A value no longer among the choices still counts, after them.
        listed += [{"value": v} for v in sorted(choices) if v not in known]
        bins = [
            Bin(
                value=c["value"],
                rating=None,
                label_th=c.get("label_th"),
                label_en=c.get("label_en"),
                count=choices.get(c["value"], 0),
                share=_ratio(choices.get(c["value"], 0), answered),
            )
            for c in listed
        ]
        return QuestionStats(question, answered, None, None, bins)
    return QuestionStats(question, answered, None, None, [], texts)


def _topics(survey: Survey, stats: list[QuestionStats]) -> list[TopicStats]:
    """Per knowledge topic of the survey's rating questions, their mean on 1–5 weighed by
    answers; topics in the order of their first question."""
    sums: dict[int, tuple[KnowledgeTopic, float, int, int]] = {}
    for s in stats:
        topic = s.question.topic
        if topic is None or s.question.kind != QuestionKind.RATING:
            continue
        _, total, n, questions = sums.get(topic.id, (topic, 0.0, 0, 0))
        ratings = [(b.rating or 0, b.count) for b in s.distribution]
        mean = _mean(ratings)
        count = sum(c for _, c in ratings)
        if mean is not None:
            total += _on_common_scale(mean, s.question.scale_min, s.question.scale_max) * count
        sums[topic.id] = (topic, total, n + count, questions + 1)
    return [
        TopicStats(
            topic=topic,
            measure=MEASURE_OF_KIND[survey.kind],
            mean=round(total / n, DECIMALS) if n else None,
            count=n,
            questions=questions,
        )
        for topic, total, n, questions in sums.values()
    ]


def _mean(counts: Iterable[tuple[int, int]]) -> float | None:
    counts = list(counts)
    n = sum(c for _, c in counts)
    return round(sum(v * c for v, c in counts) / n, DECIMALS) if n else None


def _median(counts: list[tuple[int, int]]) -> float | None:
    """The median of values given as (value, count) in ascending order: the middle value, or
    the mean of the two middle ones for an even number."""
    n = sum(c for _, c in counts)
    if not n:
        return None

    def nth(k: int) -> int:  # the k-th value (from 0) of the sorted values
        seen = 0
        for value, count in counts:
            seen += count
            if k < seen:
                return value
        raise AssertionError("k out of range")

    return (nth((n - 1) // 2) + nth(n // 2)) / 2


def _on_common_scale(value: float, low: int | None, high: int | None) -> float:
    """A mean on the question's scale mapped linearly onto 1–5, as services.gap does."""
    if low is None or high is None or high == low:
        return value
    return SCALE_MIN + (value - low) * (SCALE_MAX - SCALE_MIN) / (high - low)


def _ratio(part: int, whole: int) -> float | None:
    return round(part / whole, DECIMALS) if whole else None
