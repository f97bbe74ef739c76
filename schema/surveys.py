"""Surveys: design, lifecycle, invitations, answering (by link or signed in)."""

from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from strawberry import relay

from models.survey import (
    QuestionKind,
    ResponseStatus,
    Survey,
    SurveyKind,
    SurveyQuestion,
    SurveyResponse,
    SurveyStatus,
)
from schema.cost import ListSize
from schema.cycles import CycleNode
from schema.errors import UserError, payload
from schema.inputs import Input, node_id
from schema.relay import After, Before, Connection, First, Last, ModelNode, paginate
from schema.stakeholders import StakeholderGroupEnum, StakeholderNode
from services import surveys
from services.errors import validated

if TYPE_CHECKING:
    from schema.survey_summary import SurveySummary

SurveyKindEnum = strawberry.enum(
    SurveyKind,
    name="SurveyKind",
    description="STAKEHOLDER_NEEDS (step 3, importance) or STAFF_SELF_ASSESSMENT (step 4).",
)
SurveyStatusEnum = strawberry.enum(
    SurveyStatus, name="SurveyStatus", description="DRAFT, OPEN, CLOSED."
)
QuestionKindEnum = strawberry.enum(
    QuestionKind, name="QuestionKind", description="How it is answered."
)
ResponseStatusEnum = strawberry.enum(
    ResponseStatus, name="ResponseStatus", description="DRAFT (saved) or SUBMITTED."
)


@strawberry.type(name="SurveyChoice", description="A choice of a choice question.")
class ChoiceNode:
    value: str = strawberry.field(description="What is stored when chosen.")
    label_th: str = strawberry.field(description="Label in Thai.")
    label_en: str | None = strawberry.field(description="Label in English.")


@strawberry.type(name="SurveyQuestion", description="A question of a survey.")
class QuestionNode:
    id: strawberry.ID = strawberry.field(description="Question id, for answers.")
    position: int = strawberry.field(description="Order in the survey, from 1.")
    kind: QuestionKindEnum = strawberry.field(description="How it is answered.")  # type: ignore[valid-type]
    text_th: str = strawberry.field(description="The question in Thai.")
    text_en: str | None = strawberry.field(description="The question in English.")
    required: bool = strawberry.field(description="Needed to submit.")
    scale_min: int | None = strawberry.field(description="Lowest rating.")
    scale_max: int | None = strawberry.field(description="Highest rating.")
    scale_labels: list[str] = strawberry.field(description="A label per point, lowest first.")
    choices: list[ChoiceNode] = strawberry.field(
        description="Choices of a choice question.", directives=[ListSize(assumed_size=10)]
    )
    topic_id: strawberry.Private[int | None]

    @classmethod
    def from_model(cls, q: SurveyQuestion) -> "QuestionNode":
        return cls(
            id=strawberry.ID(str(q.id)),
            position=q.position,
            kind=q.kind,
            text_th=q.text_th,
            text_en=q.text_en,
            required=q.required,
            scale_min=q.scale_min,
            scale_max=q.scale_max,
            scale_labels=list(q.scale_labels),
            choices=[ChoiceNode(**{"label_en": None, **c}) for c in q.choices],
            topic_id=q.topic_id,
        )

    @strawberry.field(description="Title of the knowledge topic a rating measures.")
    async def topic_title_th(self, info: strawberry.Info) -> str | None:
        if self.topic_id is None:
            return None
        topic = await info.context.loaders.knowledge_topic.load(self.topic_id)
        return topic.title_th if topic else None


@strawberry.type(name="SurveyAnswer", description="One answer.")
class AnswerNode:
    question_id: strawberry.ID = strawberry.field(description="The question answered.")
    rating: int | None = strawberry.field(description="A rating.")
    choices: list[str] = strawberry.field(description="Chosen values.")
    text: str | None = strawberry.field(description="A written answer.")


def answer_nodes(rows: list[Any]) -> list[AnswerNode]:
    """Answer rows grouped per question (a multiple choice is stored one row per value)."""
    by_question: dict[int, AnswerNode] = {}
    for row in rows:
        node = by_question.setdefault(
            row.question_id,
            AnswerNode(
                question_id=strawberry.ID(str(row.question_id)), rating=None, choices=[], text=None
            ),
        )
        node.rating = row.rating if row.rating is not None else node.rating
        node.text = row.text if row.text is not None else node.text
        if row.choice is not None:
            node.choices.append(row.choice)
    return list(by_question.values())


@strawberry.type(name="SurveyResponse", description="One respondent's answers.")
class ResponseNode(ModelNode):
    model = SurveyResponse

    id: relay.NodeID[int]
    status: ResponseStatusEnum = strawberry.field(description="Saved or submitted.")  # type: ignore[valid-type]
    group: StakeholderGroupEnum | None = strawberry.field(  # type: ignore[valid-type]
        description="The stakeholder's group (null for staff)."
    )
    submitted_at: datetime | None = strawberry.field(description="When it was handed in.")
    version: int = strawberry.field(description="Bumps on every save.")

    @classmethod
    def from_model(cls, r: SurveyResponse) -> "ResponseNode":
        return cls(
            id=r.id, status=r.status, group=r.group, submitted_at=r.submitted_at, version=r.version
        )

    @classmethod
    def visible(cls, info: strawberry.Info) -> Any:
        # The same rule as the survey's `responses`, as a filter.
        return surveys.visible_responses(info.context.actor)

    @strawberry.field(description="The answers.", directives=[ListSize(assumed_size=50)])
    async def answers(self, info: strawberry.Info) -> list[AnswerNode]:
        return answer_nodes(await info.context.loaders.answers_of_response.load(self.id))


@strawberry.type(name="Survey", description="A survey of a cycle (แบบสำรวจ).")
class SurveyNode(ModelNode):
    model = Survey

    id: relay.NodeID[int]
    kind: SurveyKindEnum = strawberry.field(description="Which survey of the SOP.")  # type: ignore[valid-type]
    title_th: str = strawberry.field(description="Title in Thai.")
    title_en: str | None = strawberry.field(description="Title in English.")
    status: SurveyStatusEnum = strawberry.field(description="DRAFT, OPEN or CLOSED.")  # type: ignore[valid-type]
    opened_at: datetime | None = strawberry.field(description="When it opened.")
    closed_at: datetime | None = strawberry.field(description="When it closed.")
    version: int = strawberry.field(description="Pass back with changes.")
    row: strawberry.Private[Survey]

    @classmethod
    def from_model(cls, s: Survey) -> "SurveyNode":
        return cls(
            id=s.id,
            kind=s.kind,
            title_th=s.title_th,
            title_en=s.title_en,
            status=s.status,
            opened_at=s.opened_at,
            closed_at=s.closed_at,
            version=s.version,
            row=s,
        )

    @strawberry.field(description="The questions in order.", directives=[ListSize(assumed_size=50)])
    async def questions(self, info: strawberry.Info) -> list[QuestionNode]:
        rows = await info.context.loaders.questions_of_survey.load(self.id)
        return [QuestionNode.from_model(q) for q in rows]

    @strawberry.field(
        description="Individual responses, for the unit's committee and administrators; null "
        "with a FORBIDDEN error for anyone else (see `viewerCanSeeResponses`)."
    )
    async def responses(
        self,
        info: strawberry.Info,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[ResponseNode] | None:
        queryset = await surveys.responses_visible_to(info.context.actor, self.row)
        return await paginate(
            queryset, ResponseNode.from_model, first=first, after=after, last=last, before=before
        )

    @strawberry.field(
        description="Response rates, per question statistics and per topic means from submitted "
        "responses: for the unit's committee, managers and administrators (null with a FORBIDDEN "
        "error for others). As XLSX: `GET /exports/surveys/{id}.xlsx`."
    )
    async def summary(
        self, info: strawberry.Info
    ) -> Annotated["SurveySummary", strawberry.lazy("schema.survey_summary")] | None:
        from schema.survey_summary import summary_of

        return await summary_of(info, self.row)

    @strawberry.field(description="The cycle the survey belongs to.")
    async def cycle(self, info: strawberry.Info) -> CycleNode:
        return CycleNode.from_model(await info.context.loaders.cycle.load(self.row.cycle_id))

    @strawberry.field(description="The viewer may read individual responses.")
    async def viewer_can_see_responses(self, info: strawberry.Info) -> bool:
        return await surveys.may_see_responses(info.context.actor, self.row)

    @strawberry.field(description="The signed-in staff member's own response, to continue it.")
    async def viewer_response(self, info: strawberry.Info) -> ResponseNode | None:
        response = await surveys.own_response(info.context.actor, self.row)
        return ResponseNode.from_model(response) if response else None


@strawberry.type(
    description="What a personal survey link opens: the survey and the answers so far."
)
class SurveyForm:
    survey: SurveyNode = strawberry.field(description="The survey.")
    response: ResponseNode | None = strawberry.field(description="Answers saved so far, if any.")


@strawberry.type
class SurveyQueries:
    @strawberry.field(description="A survey through a personal link (no account needed).")
    async def survey_form(
        self,
        info: strawberry.Info,
        token: Annotated[str, strawberry.argument(description="The token of the link.")],
    ) -> SurveyForm:
        invitation = await surveys.invitation_by_token(token)
        survey = await Survey.get(id=invitation.survey_id)
        response = await SurveyResponse.get_or_none(invitation_id=invitation.id)
        return SurveyForm(
            survey=SurveyNode.from_model(survey),
            response=ResponseNode.from_model(response) if response else None,
        )


@strawberry.input(description="A choice of a choice question.")
class ChoiceInput:
    value: str = strawberry.field(description="Stored value (1–64 characters).")
    label_th: str = strawberry.field(description="Label in Thai.")
    label_en: str | None = strawberry.field(default=None, description="Label in English.")


@strawberry.input(description="A question. RATING needs a scale; choice questions their choices.")
class QuestionInput:
    kind: QuestionKindEnum = strawberry.field(description="How it is answered.")  # type: ignore[valid-type]
    text_th: str = strawberry.field(description="The question in Thai.")
    text_en: str | None = strawberry.field(default=None, description="In English.")
    required: bool = strawberry.field(default=True, description="Needed to submit.")
    scale_min: int | None = strawberry.field(default=None, description="Lowest rating, e.g. 1.")
    scale_max: int | None = strawberry.field(default=None, description="Highest rating, e.g. 5.")
    scale_labels: list[str] = strawberry.field(default_factory=list, description="Point labels.")
    choices: list[ChoiceInput] = strawberry.field(default_factory=list, description="Choices.")
    topic_title_th: str | None = strawberry.field(
        default=None,
        description="The knowledge topic a rating measures (created in the cycle if new).",
    )


@strawberry.input(description="A new survey of a cycle.")
class SurveyCreateInput:
    cycle: relay.GlobalID = strawberry.field(description="The cycle.")
    kind: SurveyKindEnum = strawberry.field(description="Which survey.")  # type: ignore[valid-type]
    title_th: str = strawberry.field(description="Title in Thai.")
    title_en: str | None = strawberry.field(default=None, description="Title in English.")
    questions: list[QuestionInput] = strawberry.field(description="Questions in order.")


@strawberry.input(description="New title and questions for a survey nobody has answered yet.")
class SurveyRedesignInput:
    id: relay.GlobalID = strawberry.field(description="The survey.")
    version: int = strawberry.field(description="The version the change is based on.")
    title_th: str = strawberry.field(description="Title in Thai.")
    title_en: str | None = strawberry.field(default=None, description="Title in English.")
    questions: list[QuestionInput] = strawberry.field(description="Questions in order.")


@strawberry.input(description="A survey to act on.")
class SurveyActionInput:
    id: relay.GlobalID = strawberry.field(description="The survey.")
    version: int | None = strawberry.field(default=None, description="When given, must be current.")


@strawberry.type(description="Result of a survey mutation.")
class SurveyPayload:
    survey: SurveyNode | None = strawberry.field(default=None, description="The survey as saved.")
    errors: list[UserError] = strawberry.field(description="Why nothing changed, if so.")


@strawberry.input(description="Personal links for stakeholders of the unit who have none yet.")
class SurveyInviteInput:
    id: relay.GlobalID = strawberry.field(description="The stakeholder survey.")
    stakeholders: list[relay.GlobalID] | None = strawberry.field(
        default=None, description="These stakeholders; all active ones if omitted."
    )
    group: StakeholderGroupEnum | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="Only this group."
    )


@strawberry.type(description="A personal link, shown once: send it, it is not kept.")
class SurveyLink:
    stakeholder_id: relay.GlobalID = strawberry.field(description="Whose link it is.")
    name: str = strawberry.field(description="The stakeholder's name.")
    email: str | None = strawberry.field(description="Where to send it.")
    token: str = strawberry.field(description="The token; the form is `surveyForm(token:)`.")


@strawberry.type(description="Result of `surveyInvite`.")
class SurveyInvitePayload:
    links: list[SurveyLink] = strawberry.field(
        default_factory=list, description="New links.", directives=[ListSize(assumed_size=100)]
    )
    errors: list[UserError] = strawberry.field(description="Why nothing was made, if so.")


@strawberry.input(description="An answer to one question.")
class AnswerInput:
    question: strawberry.ID = strawberry.field(description="The question's id.")
    rating: int | None = strawberry.field(default=None, description="For RATING.")
    choices: list[str] = strawberry.field(default_factory=list, description="For choices.")
    text: str | None = strawberry.field(default=None, description="For TEXT.")


@strawberry.input(
    description="Answers to save, by personal link (`token`) or signed in as staff (`survey`). "
    "Saving replaces earlier answers to the same questions; `submit` hands the response in."
)
class SurveyRespondInput:
    token: str | None = strawberry.field(default=None, description="A stakeholder's link token.")
    survey: relay.GlobalID | None = strawberry.field(
        default=None, description="The staff survey, when answering signed in."
    )
    answers: list[AnswerInput] = strawberry.field(description="Answers to save.")
    submit: bool = strawberry.field(
        default=False, description="Hand in; every required question must be answered."
    )


@strawberry.type(description="Result of `surveyRespond`.")
class SurveyRespondPayload:
    response: ResponseNode | None = strawberry.field(default=None, description="As saved.")
    errors: list[UserError] = strawberry.field(
        description="Invalid answers (nothing was saved), or required answers missing on submit "
        "(the other answers were saved as a draft)."
    )


def _design(input: SurveyCreateInput | SurveyRedesignInput) -> surveys.SurveyDesign:
    return validated(
        surveys.SurveyDesign,
        {
            "title_th": input.title_th,
            "title_en": input.title_en,
            "questions": [
                {**vars(q), "choices": [vars(c) for c in q.choices]} for q in input.questions
            ],
        },
    )


def _answers(answers: list[AnswerInput]) -> list[surveys.AnswerData]:
    return [
        validated(
            surveys.AnswerData,
            {
                "question_id": int(a.question) if str(a.question).isdigit() else 0,
                "rating": a.rating,
                "choices": a.choices,
                "text": a.text,
            },
        )
        for a in answers
    ]


@strawberry.type
class SurveyMutations:
    @strawberry.mutation(
        description="Design a survey (unit lead, or the step's responsible members)."
    )
    async def survey_create(
        self, info: strawberry.Info, input: Input[SurveyCreateInput]
    ) -> SurveyPayload:
        async def run() -> dict[str, Any]:
            survey = await surveys.create_survey(
                actor=info.context.actor,
                cycle_id=node_id(input.cycle, CycleNode, "cycle"),
                kind=input.kind,
                design=_design(input),
            )
            return {"survey": SurveyNode.from_model(survey)}

        return await payload(info, SurveyPayload, run)

    @strawberry.mutation(description="Change a survey's questions while nobody has answered.")
    async def survey_redesign(
        self, info: strawberry.Info, input: Input[SurveyRedesignInput]
    ) -> SurveyPayload:
        async def run() -> dict[str, Any]:
            survey = await surveys.redesign(
                actor=info.context.actor,
                survey_id=node_id(input.id, SurveyNode),
                version=input.version,
                design=_design(input),
            )
            return {"survey": SurveyNode.from_model(survey)}

        return await payload(info, SurveyPayload, run)

    @strawberry.mutation(description="Copy a survey into a new DRAFT version with its questions.")
    async def survey_new_version(
        self, info: strawberry.Info, input: Input[SurveyActionInput]
    ) -> SurveyPayload:
        async def run() -> dict[str, Any]:
            survey = await surveys.new_version(
                actor=info.context.actor, survey_id=node_id(input.id, SurveyNode)
            )
            return {"survey": SurveyNode.from_model(survey)}

        return await payload(info, SurveyPayload, run)

    @strawberry.mutation(description="Open a survey for answers (DRAFT → OPEN).")
    async def survey_open(
        self, info: strawberry.Info, input: Input[SurveyActionInput]
    ) -> SurveyPayload:
        return await _change_status(info, input, surveys.SurveyAction.OPEN)

    @strawberry.mutation(description="Close a survey (OPEN → CLOSED).")
    async def survey_close(
        self, info: strawberry.Info, input: Input[SurveyActionInput]
    ) -> SurveyPayload:
        return await _change_status(info, input, surveys.SurveyAction.CLOSE)

    @strawberry.mutation(description="Make personal links for stakeholders (shown once).")
    async def survey_invite(
        self, info: strawberry.Info, input: Input[SurveyInviteInput]
    ) -> SurveyInvitePayload:
        async def run() -> dict[str, Any]:
            invited = await surveys.invite(
                actor=info.context.actor,
                survey_id=node_id(input.id, SurveyNode),
                stakeholder_ids=[
                    node_id(s, StakeholderNode, ("stakeholders", str(i)))
                    for i, s in enumerate(input.stakeholders)
                ]
                if input.stakeholders is not None
                else None,
                group=input.group,
            )
            return {
                "links": [
                    SurveyLink(
                        stakeholder_id=relay.GlobalID("Stakeholder", str(i.stakeholder.id)),
                        name=i.stakeholder.name,
                        email=i.stakeholder.email,
                        token=i.token,
                    )
                    for i in invited
                ]
            }

        return await payload(info, SurveyInvitePayload, run)

    @strawberry.mutation(description="Save answers, and submit them when asked.")
    async def survey_respond(
        self, info: strawberry.Info, input: Input[SurveyRespondInput]
    ) -> SurveyRespondPayload:
        async def run() -> dict[str, Any]:
            response = await surveys.respond(
                actor=info.context.actor,
                token=input.token,
                survey_id=node_id(input.survey, SurveyNode, "survey") if input.survey else None,
                answers=_answers(input.answers),
                submit=input.submit,
            )
            return {"response": ResponseNode.from_model(response)}

        return await payload(info, SurveyRespondPayload, run)


async def _change_status(
    info: strawberry.Info, input: SurveyActionInput, action: surveys.SurveyAction
) -> SurveyPayload:
    async def run() -> dict[str, Any]:
        survey = await surveys.change_status(
            actor=info.context.actor,
            survey_id=node_id(input.id, SurveyNode),
            action=action,
            version=input.version,
        )
        return {"survey": SurveyNode.from_model(survey)}

    return await payload(info, SurveyPayload, run)
