"""Surveys of SOP steps 3 and 4: design, open and close, invite stakeholders, answer.

Lifecycle: DRAFT → OPEN → CLOSED (unit lead, or the members responsible for the survey's step:
step 3 for the stakeholder survey, step 4 for the staff one). Questions change only while no
answer exists; after that a new version (a copy in DRAFT) is made instead.

Answering: a stakeholder through a personal link (a token shown once, stored hashed; one
response per link), a member of the unit's staff signed in (one response each). Answers are
checked against their questions before anything is written, so an invalid answer loses nothing
already saved; a partial answer is saved as a draft, and submitting needs every required one.
"""

import hashlib
import secrets
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.expressions import Subquery
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from models.committee import Membership
from models.cycle import Cycle
from models.org import Person
from models.survey import (
    KnowledgeTopic,
    QuestionKind,
    ResponseStatus,
    Stakeholder,
    StakeholderGroup,
    Survey,
    SurveyAnswer,
    SurveyInvitation,
    SurveyKind,
    SurveyQuestion,
    SurveyResponse,
    SurveyStatus,
)
from models.user import Role
from services import audit
from services.actor import Actor
from services.cycles import CycleStanding
from services.errors import (
    DomainError,
    ErrorCode,
    Forbidden,
    ForbiddenReason,
    Problem,
    check_version,
    invalid_transition,
    not_found,
    validated,
)
from services.permissions import (
    readable_by_anyone_signed_in,
    require_authenticated,
    standing_in_unit,
)
from services.tokens import utcnow
from services.versioning import save_version

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
# The step whose responsible members may design each kind of survey.
DESIGN_STEP = {SurveyKind.STAKEHOLDER_NEEDS: 3, SurveyKind.STAFF_SELF_ASSESSMENT: 4}
MAX_TEXT_ANSWER = 5000
_COPIED_QUESTION_FIELDS = (
    *("position", "kind", "text_th", "text_en", "required", "scale_min", "scale_max"),
    *("scale_labels", "choices", "topic_id"),
)


class Choice(BaseModel):
    model_config = ConfigDict(frozen=True)
    value: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]
    label_th: Text
    label_en: str | None = None


class QuestionData(BaseModel):
    model_config = ConfigDict(frozen=True)
    kind: QuestionKind
    text_th: Text
    text_en: str | None = None
    required: bool = True
    scale_min: int | None = None
    scale_max: int | None = None
    scale_labels: list[str] = Field(default_factory=list)
    choices: list[Choice] = Field(default_factory=list)
    topic_title_th: Annotated[str, StringConstraints(max_length=500)] | None = None

    @model_validator(mode="after")
    def _fits_its_kind(self) -> "QuestionData":
        if self.kind == QuestionKind.RATING:
            low, high = self.scale_min, self.scale_max
            if low is None or high is None or not 2 <= high - low + 1 <= 11:
                raise ValueError("a rating needs a scale of 2 to 11 points, e.g. 1 to 5")
            if self.scale_labels and len(self.scale_labels) != high - low + 1:
                raise ValueError("give one label per point of the scale, or none")
        elif self.kind in (QuestionKind.SINGLE_CHOICE, QuestionKind.MULTI_CHOICE):
            values = [c.value for c in self.choices]
            if len(values) < 2 or len(set(values)) != len(values):
                raise ValueError("a choice question needs two or more distinct choices")
        if self.topic_title_th and self.kind != QuestionKind.RATING:
            raise ValueError("only rating questions measure a knowledge topic")
        return self


class SurveyDesign(BaseModel):
    model_config = ConfigDict(frozen=True)
    title_th: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
    title_en: str | None = None
    questions: list[QuestionData] = Field(min_length=1, max_length=200)


class AnswerData(BaseModel):
    model_config = ConfigDict(frozen=True)
    question_id: int
    rating: int | None = None
    choices: list[str] = Field(default_factory=list)
    text: str | None = None


class SurveyAction(StrEnum):
    OPEN = "OPEN"
    CLOSE = "CLOSE"


TRANSITIONS = {
    (SurveyStatus.DRAFT, SurveyAction.OPEN): SurveyStatus.OPEN,
    (SurveyStatus.OPEN, SurveyAction.CLOSE): SurveyStatus.CLOSED,
}


@dataclass(frozen=True)
class Invited:
    """A new personal link: the token is in ``token`` now and nowhere afterwards."""

    stakeholder: Stakeholder
    token: str


async def create_survey(
    *, actor: Actor, cycle_id: int, kind: SurveyKind, design: SurveyDesign
) -> Survey:
    cycle = await _cycle(cycle_id)
    await require_designer(actor, cycle, kind)
    async with in_transaction() as connection:
        survey = await Survey.create(
            cycle_id=cycle.id,
            kind=kind,
            title_th=design.title_th,
            title_en=design.title_en,
            using_db=connection,
        )
        await _write_questions(survey, design.questions, connection)
        await audit.record(
            actor=actor,
            action="survey.create",
            object_type="Survey",
            object_id=survey.id,
            after=design.model_dump(mode="json") | {"kind": kind.value},
            connection=connection,
        )
    return survey


async def redesign(*, actor: Actor, survey_id: int, version: int, design: SurveyDesign) -> Survey:
    """Replace title and questions; only while nobody has answered."""
    async with in_transaction() as connection:
        survey = await _locked(survey_id, connection)
        cycle = await Cycle.get(id=survey.cycle_id, using_db=connection)
        await require_designer(actor, cycle, survey.kind)
        check_version(survey.version, version)
        if (
            survey.status == SurveyStatus.CLOSED
            or await SurveyResponse.filter(survey_id=survey.id).using_db(connection).exists()
        ):
            raise DomainError.of(ErrorCode.INVALID_TRANSITION, "questions_locked")
        await SurveyQuestion.filter(survey_id=survey.id).using_db(connection).delete()
        await _write_questions(survey, design.questions, connection)
        survey.title_th, survey.title_en = design.title_th, design.title_en
        await save_version(
            survey,
            actor=actor,
            action="survey.redesign",
            after=design.model_dump(mode="json"),
            connection=connection,
        )
    return survey


async def new_version(*, actor: Actor, survey_id: int) -> Survey:
    """A DRAFT copy with the same questions, to change what an answered survey asks."""
    source = await _survey(survey_id)
    cycle = await Cycle.get(id=source.cycle_id)
    await require_designer(actor, cycle, source.kind)
    questions = await SurveyQuestion.filter(survey_id=source.id).order_by("position")
    async with in_transaction() as connection:
        copy = await Survey.create(
            cycle_id=source.cycle_id,
            kind=source.kind,
            title_th=source.title_th,
            title_en=source.title_en,
            replaces_id=source.id,
            using_db=connection,
        )
        await SurveyQuestion.bulk_create(
            [
                SurveyQuestion(
                    survey_id=copy.id,
                    **{name: getattr(q, name) for name in _COPIED_QUESTION_FIELDS},
                )
                for q in questions
            ],
            using_db=connection,
        )
        await audit.record(
            actor=actor,
            action="survey.newVersion",
            object_type="Survey",
            object_id=copy.id,
            after={"replaces": source.id},
            connection=connection,
        )
    return copy


async def change_status(
    *, actor: Actor, survey_id: int, action: SurveyAction, version: int | None = None
) -> Survey:
    async with in_transaction() as connection:
        survey = await _locked(survey_id, connection)
        cycle = await Cycle.get(id=survey.cycle_id, using_db=connection)
        await require_designer(actor, cycle, survey.kind)
        check_version(survey.version, version)
        target = TRANSITIONS.get((survey.status, action))
        if target is None:
            allowed = [a for (s, a) in TRANSITIONS if s == survey.status]
            raise invalid_transition(action, survey.status, allowed)
        before = survey.status.value
        survey.status = target
        survey.version += 1
        if target == SurveyStatus.OPEN:
            survey.opened_at = utcnow()
        else:
            survey.closed_at = utcnow()
        await survey.save(using_db=connection)
        await audit.record(
            actor=actor,
            action=f"survey.{action.value.lower()}",
            object_type="Survey",
            object_id=survey.id,
            before={"status": before},
            after={"status": target.value},
            connection=connection,
        )
    return survey


async def invite(
    *,
    actor: Actor,
    survey_id: int,
    stakeholder_ids: list[int] | None = None,
    group: StakeholderGroup | None = None,
) -> list[Invited]:
    """Personal links for the given stakeholders (or every active one of a group, or all) of the
    unit who have none yet for this survey."""
    survey = await _survey(survey_id)
    cycle = await Cycle.get(id=survey.cycle_id)
    await require_designer(actor, cycle, survey.kind)
    if survey.kind != SurveyKind.STAKEHOLDER_NEEDS:
        raise DomainError.of(ErrorCode.INVALID_INPUT, "invite_staff_survey", field=("survey",))
    if survey.status == SurveyStatus.CLOSED:
        raise DomainError.of(ErrorCode.INVALID_TRANSITION, "survey_closed")
    wanted = Stakeholder.filter(unit_id=cycle.unit_id, active=True)
    if stakeholder_ids is not None:
        wanted = wanted.filter(id__in=stakeholder_ids)
    if group is not None:
        wanted = wanted.filter(group=group)
    already = Subquery(SurveyInvitation.filter(survey_id=survey.id).values("stakeholder_id"))
    invited = [Invited(s, secrets.token_urlsafe(24)) for s in await wanted.exclude(id__in=already)]
    async with in_transaction() as connection:
        await SurveyInvitation.bulk_create(
            [
                SurveyInvitation(
                    survey_id=survey.id, stakeholder_id=i.stakeholder.id, token_hash=_hash(i.token)
                )
                for i in invited
            ],
            using_db=connection,
        )
        await audit.record(
            actor=actor,
            action="survey.invite",
            object_type="Survey",
            object_id=survey.id,
            after={"stakeholders": [i.stakeholder.id for i in invited]},
            connection=connection,
        )
    return invited


async def invitation_by_token(token: str) -> SurveyInvitation:
    invitation = await SurveyInvitation.get_or_none(token_hash=_hash(token))
    if invitation is None:
        raise DomainError.of(ErrorCode.TOKEN_INVALID, "survey_link_invalid", field=("token",))
    return invitation


async def form_by_token(token: str) -> tuple[Survey, SurveyResponse | None]:
    """The survey behind a personal link and the stakeholder's answers so far, if any."""
    invitation = await invitation_by_token(token)
    survey = await Survey.get(id=invitation.survey_id)
    return survey, await SurveyResponse.get_or_none(invitation_id=invitation.id)


async def respond(
    *,
    actor: Actor,
    answers: list[AnswerData],
    submit: bool,
    token: str | None = None,
    survey_id: int | None = None,
) -> SurveyResponse:
    """Save answers (replacing earlier answers to the same questions) and, when ``submit``,
    hand the response in. Through ``token`` for a stakeholder, else as the signed-in staff."""
    survey, owner = await _respondent(actor, token, survey_id)
    missing: list[SurveyQuestion] = []
    async with in_transaction() as connection:
        # The survey row is the lock closing and redesigning take too: no answer lands in a
        # closed survey, nor loses the questions it answers.
        locked = await Survey.filter(id=survey.id).select_for_update().using_db(connection).get()
        if locked.status != SurveyStatus.OPEN:
            raise DomainError.of(ErrorCode.INVALID_TRANSITION, "survey_not_open")
        questions = {
            q.id: q for q in await SurveyQuestion.filter(survey_id=survey.id).using_db(connection)
        }
        rows = _answer_rows(answers, questions)
        response = await _open_response(survey, owner, connection)
        await (
            SurveyAnswer.filter(
                response_id=response.id, question_id__in={a.question_id for a in answers}
            )
            .using_db(connection)
            .delete()
        )
        for row in rows:
            row.response_id = response.id
        await SurveyAnswer.bulk_create(rows, using_db=connection)
        response.version += 1
        if submit:
            missing = await _unanswered(response, questions, connection)
            if not missing:
                response.status = ResponseStatus.SUBMITTED
                response.submitted_at = utcnow()
                await audit.record(
                    actor=actor,
                    action="survey.submit",
                    object_type="SurveyResponse",
                    object_id=response.id,
                    after={"survey": survey.id, "answers": len(rows)},
                    connection=connection,
                )
        await response.save(using_db=connection)
    if missing:
        # The draft is saved: the respondent completes it and submits again.
        raise DomainError(
            *(
                Problem(
                    ErrorCode.INVALID_INPUT, "answer_required", ("answers",), {"no": q.position}
                )
                for q in missing
            )
        )
    return response


async def require_designer(actor: Actor, cycle: Cycle, kind: SurveyKind) -> None:
    """Whoever the survey's step names, and the unit leads (``CycleStanding.does_step``)."""
    standing = await CycleStanding.of(actor, cycle.id)
    if not standing.does_step(DESIGN_STEP[kind]):
        raise standing.unit.refusal(ForbiddenReason.RESPONSIBLE_REQUIRED)


async def _respondent(
    actor: Actor, token: str | None, survey_id: int | None
) -> tuple[Survey, SurveyInvitation | Person]:
    if token:
        invitation = await invitation_by_token(token)
        survey = await Survey.get(id=invitation.survey_id)
        owner: SurveyInvitation | Person = invitation
    else:
        require_authenticated(actor)
        if survey_id is None:
            raise DomainError.of(ErrorCode.INVALID_INPUT, "required", field=("survey",))
        survey = await _survey(survey_id)
        cycle = await Cycle.get(id=survey.cycle_id)
        person = await Person.get_or_none(user_id=actor.user_id, unit_id=cycle.unit_id)
        if survey.kind != SurveyKind.STAFF_SELF_ASSESSMENT:
            raise Forbidden(ForbiddenReason.INVITATION_REQUIRED)
        if person is None:
            raise Forbidden(ForbiddenReason.NOT_LINKED_TO_UNIT)
        owner = person
    if survey.status != SurveyStatus.OPEN:
        raise DomainError.of(ErrorCode.INVALID_TRANSITION, "survey_not_open")
    return survey, owner


async def _open_response(
    survey: Survey, owner: SurveyInvitation | Person, connection: BaseDBAsyncClient
) -> SurveyResponse:
    if isinstance(owner, SurveyInvitation):
        stakeholder = await Stakeholder.get(id=owner.stakeholder_id, using_db=connection)
        response, _ = await SurveyResponse.get_or_create(
            survey_id=survey.id,
            invitation_id=owner.id,
            defaults={"group": stakeholder.group},
            using_db=connection,
        )
    else:
        response, _ = await SurveyResponse.get_or_create(
            survey_id=survey.id, respondent_id=owner.id, using_db=connection
        )
    response = (
        await SurveyResponse.filter(id=response.id).select_for_update().using_db(connection).get()
    )
    if response.status == ResponseStatus.SUBMITTED:
        raise DomainError.of(ErrorCode.INVALID_TRANSITION, "response_submitted")
    return response


async def _unanswered(
    response: SurveyResponse, questions: dict[int, SurveyQuestion], connection: BaseDBAsyncClient
) -> list[SurveyQuestion]:
    answered = set(
        await SurveyAnswer.filter(response_id=response.id)
        .using_db(connection)
        .values_list("question_id", flat=True)
    )
    return sorted(
        (q for q in questions.values() if q.required and q.id not in answered),
        key=lambda q: q.position,
    )


def _answer_rows(
    answers: list[AnswerData], questions: dict[int, SurveyQuestion]
) -> list[SurveyAnswer]:
    """Rows to store, after checking every answer against its question."""
    problems: list[Problem] = []
    rows: list[SurveyAnswer] = []
    seen: set[int] = set()
    for index, answer in enumerate(answers):
        field = ("answers", str(index))
        question = questions.get(answer.question_id)
        if question is None or answer.question_id in seen:
            problems.append(Problem(ErrorCode.INVALID_INPUT, "answer_unknown_question", field))
            continue
        seen.add(answer.question_id)
        problem = _check_answer(question, answer)
        if problem:
            problems.append(Problem(ErrorCode.INVALID_INPUT, problem[0], field, problem[1]))
            continue
        rows += _rows_of(question, answer)
    if problems:
        raise DomainError(*problems)
    return rows


def _check_answer(
    question: SurveyQuestion, answer: AnswerData
) -> tuple[str, dict[str, Any]] | None:
    if question.kind == QuestionKind.RATING:
        low, high = question.scale_min, question.scale_max
        if answer.rating is None or not (low or 0) <= answer.rating <= (high or 0):
            return "answer_out_of_scale", {"min": low, "max": high}
    elif question.kind in (QuestionKind.SINGLE_CHOICE, QuestionKind.MULTI_CHOICE):
        allowed = {c["value"] for c in question.choices}
        if not answer.choices or not set(answer.choices) <= allowed:
            return "answer_unknown_choice", {"choices": ", ".join(sorted(allowed))}
        if question.kind == QuestionKind.SINGLE_CHOICE and len(answer.choices) != 1:
            return "answer_one_choice", {}
    elif not (answer.text or "").strip() or len(answer.text or "") > MAX_TEXT_ANSWER:
        return "answer_text", {"max": MAX_TEXT_ANSWER}
    return None


def _rows_of(question: SurveyQuestion, answer: AnswerData) -> list[SurveyAnswer]:
    if question.kind == QuestionKind.RATING:
        return [SurveyAnswer(question_id=question.id, rating=answer.rating)]
    if question.kind == QuestionKind.TEXT:
        return [SurveyAnswer(question_id=question.id, text=(answer.text or "").strip())]
    return [SurveyAnswer(question_id=question.id, choice=c) for c in sorted(set(answer.choices))]


async def _write_questions(
    survey: Survey, questions: list[QuestionData], connection: BaseDBAsyncClient
) -> None:
    topics: dict[str, int] = {}
    for title in {q.topic_title_th.strip() for q in questions if q.topic_title_th}:
        topic, _ = await KnowledgeTopic.get_or_create(
            cycle_id=survey.cycle_id, title_th=title, using_db=connection
        )
        topics[title] = topic.id
    await SurveyQuestion.bulk_create(
        [
            SurveyQuestion(
                survey_id=survey.id,
                position=position,
                topic_id=topics.get((q.topic_title_th or "").strip()),
                **q.model_dump(mode="json", exclude={"topic_title_th"}),
            )
            for position, q in enumerate(questions, start=1)
        ],
        using_db=connection,
    )


async def _cycle(cycle_id: int) -> Cycle:
    cycle = await Cycle.get_or_none(id=cycle_id)
    if cycle is None:
        raise not_found("cycle", "รอบ", "Cycle")
    return cycle


async def _survey(survey_id: int) -> Survey:
    survey = await Survey.get_or_none(id=survey_id)
    if survey is None:
        raise not_found("id", "แบบสำรวจ", "Survey")
    return survey


async def _locked(survey_id: int, connection: BaseDBAsyncClient) -> Survey:
    survey = await Survey.filter(id=survey_id).select_for_update().using_db(connection).first()
    if survey is None:
        raise not_found("id", "แบบสำรวจ", "Survey")
    return survey


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def parse_design(data: dict[str, Any]) -> SurveyDesign:
    return validated(SurveyDesign, data)


async def may_see_responses(actor: Actor, survey: Survey) -> bool:
    """Individual answers are for the unit's committee (and administrators) only."""
    if not actor.is_authenticated:
        return False
    cycle = await Cycle.get(id=survey.cycle_id)
    return (await standing_in_unit(actor, cycle.unit_id)).is_member


def visible_responses(actor: Actor) -> QuerySet[SurveyResponse]:
    """Every response the actor may read one by one (``node``), by the rule of
    ``may_see_responses``: administrators all, others those of surveys of units on whose current
    committee they sit. One filter the database applies."""
    require_authenticated(actor)
    if Role.ADMIN in actor.roles:
        return SurveyResponse.all()
    if actor.user_id is None:
        return SurveyResponse.filter(id__in=[])
    committee_units = Membership.filter(
        order__superseded_by_id__isnull=True, person__user_id=actor.user_id
    ).values_list("order__unit_id", flat=True)
    return SurveyResponse.filter(survey__cycle__unit_id__in=Subquery(committee_units))


async def responses_visible_to(actor: Actor, survey: Survey) -> QuerySet[SurveyResponse]:
    require_authenticated(actor)
    if not await may_see_responses(actor, survey):
        raise Forbidden(ForbiddenReason.COMMITTEE_MEMBER_REQUIRED)
    return SurveyResponse.filter(survey_id=survey.id).order_by("id")


async def own_response(actor: Actor, survey: Survey) -> SurveyResponse | None:
    """The signed-in member of staff's own response to a staff survey, to continue a draft."""
    if actor.user_id is None:
        return None
    return await SurveyResponse.get_or_none(survey_id=survey.id, respondent__user_id=actor.user_id)


# -- read rules -----------------------------------------------------------------------------------


def visible_surveys(actor: Actor) -> QuerySet[Survey]:
    """Surveys, their questions and status: anyone signed in; their responses are read
    through ``responses_visible_to``, which checks the viewer's standing in the survey's unit."""
    return readable_by_anyone_signed_in(actor, Survey.all())
