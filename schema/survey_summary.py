"""A survey's summary (`Survey.summary`): response rates, per question statistics, per
knowledge topic means, and — for the committee only — the written answers, paged."""

from datetime import datetime

import strawberry
from strawberry import relay

from models.survey import QuestionKind, StakeholderGroup, Survey
from schema.cost import ListSize
from schema.export_links import LIFETIME, LinkLanguage, export_url
from schema.knowledge import KnowledgeTopicNode
from schema.labels import Language
from schema.questions import QuestionNode
from schema.relay import After, Connection, First, PageInfo, paginate
from services import survey_summary
from services.signed_links import LinkFor
from services.survey_summary import Bin, GroupRate, QuestionStats, Summary, TopicStats


@strawberry.type(description="Who was asked and who answered, for one group of respondents.")
class GroupResponseRate:
    group: StakeholderGroup | None = strawberry.field(
        description="The stakeholder group; null for the unit's staff (a staff survey)."
    )
    invited: int = strawberry.field(
        description="Stakeholders of the group with a personal link; for staff, the unit's people."
    )
    draft: int = strawberry.field(description="Responses saved but not submitted yet.")
    submitted: int = strawberry.field(description="Responses handed in.")
    rate: float | None = strawberry.field(
        description="submitted ÷ invited (0–1, 4 decimals); null when nobody was invited."
    )

    @classmethod
    def of(cls, r: GroupRate) -> "GroupResponseRate":
        return cls(
            group=r.group, invited=r.invited, draft=r.draft, submitted=r.submitted, rate=r.rate
        )


@strawberry.type(description="One point of a rating scale or one choice, with its answers.")
class DistributionBin:
    value: str = strawberry.field(description="The rating (as text) or the choice's value.")
    rating: int | None = strawberry.field(description="The rating, for a RATING question.")
    label_th: str | None = strawberry.field(description="The point's or choice's Thai label.")
    label_en: str | None = strawberry.field(description="The choice's English label.")
    count: int = strawberry.field(description="Submitted responses that gave it (0 included).")
    share: float | None = strawberry.field(
        description="count ÷ the question's `count` (0–1, 4 decimals; a multiple choice's shares "
        "may add up to more than 1); null when nobody answered."
    )

    @classmethod
    def of(cls, b: Bin) -> "DistributionBin":
        return cls(
            value=b.value,
            rating=b.rating,
            label_th=b.label_th,
            label_en=b.label_en,
            count=b.count,
            share=b.share,
        )


@strawberry.type(name="SurveyTextAnswer", description="A written answer of a submitted response.")
class TextAnswerNode:
    text: str = strawberry.field(description="What the respondent wrote.")
    group: StakeholderGroup | None = strawberry.field(
        description="The respondent's stakeholder group; null for staff."
    )
    submitted_at: datetime | None = strawberry.field(description="When the response was handed in.")


@strawberry.type(description="The answers to one question, from submitted responses only.")
class QuestionSummary:
    question: QuestionNode = strawberry.field(description="The question.")
    kind: QuestionKind = strawberry.field(description="The question's kind.")
    count: int = strawberry.field(
        description="Submitted responses that answered it; for TEXT, the written answers."
    )
    mean: float | None = strawberry.field(
        description="Mean rating on the question's scale (4 decimals); null for other kinds or "
        "without answers."
    )
    median: float | None = strawberry.field(
        description="Median rating (the mean of the two middle ratings for an even count); null "
        "for other kinds or without answers."
    )
    distribution: list[DistributionBin] = strawberry.field(
        description="Every point of the scale, lowest first, or every choice in the question's "
        "order, with their counts, zeros included; empty for TEXT.",
        directives=[ListSize(assumed_size=11)],
    )
    question_id: strawberry.Private[int]
    texts: strawberry.Private[int]
    summary: strawberry.Private[Summary]

    @classmethod
    def of(cls, s: QuestionStats, summary: Summary) -> "QuestionSummary":
        return cls(
            question=QuestionNode.from_model(s.question),
            kind=s.question.kind,
            count=s.count,
            mean=s.mean,
            median=s.median,
            distribution=[DistributionBin.of(b) for b in s.distribution],
            question_id=s.question.id,
            texts=s.texts,
            summary=summary,
        )

    @strawberry.field(
        description="The written answers, oldest first: individual answers, so for the unit's "
        "committee and administrators only — null with a FORBIDDEN error for managers (see "
        "`SurveySummary.viewerCanSeeAnswers`). Empty for questions other than TEXT. One SQL "
        "statement per TEXT question selected; `totalCount` comes with the summary."
    )
    async def text_answers(
        self, first: First = None, after: After = None
    ) -> Connection[TextAnswerNode] | None:
        queryset = survey_summary.text_answers(summary=self.summary, question_id=self.question_id)

        async def total() -> int:
            return self.texts

        if self.kind != QuestionKind.TEXT:
            page_info = PageInfo(
                has_next_page=False, has_previous_page=False, start_cursor=None, end_cursor=None
            )
            return Connection(edges=[], page_info=page_info, _count=total)
        page = await paginate(
            queryset,
            lambda a: TextAnswerNode(
                text=a.text or "", group=a.response.group, submitted_at=a.response.submitted_at
            ),
            first=first,
            after=after,
        )
        page._count = total
        return page


@strawberry.type(description="The mean rating of the survey's questions on one knowledge topic.")
class TopicMean:
    topic: KnowledgeTopicNode = strawberry.field(description="The knowledge topic.")
    measure: survey_summary.TopicMeasure = strawberry.field(
        description="IMPORTANCE for a stakeholder survey, PROFICIENCY for a staff one."
    )
    mean: float | None = strawberry.field(
        description="Mean rating mapped onto 1–5, questions weighed by their answers, as in the "
        "GAP analysis (4 decimals); null without answers."
    )
    count: int = strawberry.field(description="Ratings behind the mean.")
    questions: int = strawberry.field(description="Rating questions on the topic.")

    @classmethod
    def of(cls, t: TopicStats) -> "TopicMean":
        return cls(
            topic=KnowledgeTopicNode.from_model(t.topic),
            measure=t.measure,
            mean=t.mean,
            count=t.count,
            questions=t.questions,
        )


@strawberry.type(
    description="A survey's results from submitted responses, counted by the database: for the "
    "unit's committee, managers and administrators."
)
class SurveySummary:
    response_rates: list[GroupResponseRate] = strawberry.field(
        description="Per stakeholder group in the enum's order (groups invited or answering), or "
        "one row with a null group for a staff survey.",
        directives=[ListSize(assumed_size=5)],
    )
    invited_count: int = strawberry.field(description="Everyone asked: the rates' sum.")
    draft_count: int = strawberry.field(description="Responses started and not submitted.")
    submitted_count: int = strawberry.field(description="Responses submitted.")
    response_rate: float | None = strawberry.field(
        description="submittedCount ÷ invitedCount (0–1, 4 decimals); null when nobody was asked."
    )
    questions: list[QuestionSummary] = strawberry.field(
        description="Every question, in order.", directives=[ListSize(assumed_size=50)]
    )
    topics: list[TopicMean] = strawberry.field(
        description="Knowledge topics the survey's rating questions measure, in question order.",
        directives=[ListSize(assumed_size=20)],
    )
    viewer_can_see_answers: bool = strawberry.field(
        description="The viewer may read individual answers (`textAnswers`, the Answers sheet of "
        "the export): the unit's committee and administrators, not managers."
    )

    survey_id: strawberry.Private[int]

    @strawberry.field(description=f"Where to download the summary as XLSX: {LIFETIME}.")
    def xlsx_url(self, info: strawberry.Info, language: LinkLanguage = Language.TH) -> str:
        path = f"/exports/surveys/{relay.to_base64('Survey', self.survey_id)}.xlsx"
        return export_url(info, path, LinkFor.SURVEY_EXPORT, self.survey_id, language)

    @classmethod
    def of(cls, summary: Summary) -> "SurveySummary":
        return cls(
            survey_id=summary.survey.id,
            response_rates=[GroupResponseRate.of(r) for r in summary.rates],
            invited_count=summary.invited,
            draft_count=summary.draft,
            submitted_count=summary.submitted,
            response_rate=summary.rate,
            questions=[QuestionSummary.of(q, summary) for q in summary.questions],
            topics=[TopicMean.of(t) for t in summary.topics],
            viewer_can_see_answers=summary.can_see_answers,
        )


async def summary_of(info: strawberry.Info, survey: Survey) -> SurveySummary:
    """For `Survey.summary`: FORBIDDEN unless the viewer may see it."""
    summary = await survey_summary.summarise_survey(actor=info.context.actor, survey=survey)
    return SurveySummary.of(summary)
