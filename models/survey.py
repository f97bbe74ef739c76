"""Stakeholder directory, surveys, their questions, invitations, responses and answers
(SOP steps 3–4), knowledge topics and PIRAB measures (steps 5–6)."""

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from tortoise import fields
from tortoise.models import Model

from models.cycle import Cycle
from models.meeting import Meeting
from models.org import Person, Unit
from models.user import User


class StakeholderGroup(StrEnum):
    SERVICE_RECIPIENT = "SERVICE_RECIPIENT"  # ผู้รับบริการ
    STAKEHOLDER = "STAKEHOLDER"  # ผู้มีส่วนได้ส่วนเสีย
    PARTNER = "PARTNER"  # ภาคีเครือข่าย
    OTHER = "OTHER"  # อื่น ๆ


class Stakeholder(Model):
    """An entry of a unit's directory of service recipients and stakeholders (ทำเนียบ)."""

    id = fields.IntField(primary_key=True)
    unit: fields.ForeignKeyRelation[Unit] = fields.ForeignKeyField(
        "models.Unit", related_name="stakeholders", on_delete=fields.RESTRICT
    )
    unit_id: int
    name = fields.CharField(max_length=255)
    organisation = fields.CharField(max_length=255, default="")
    group = fields.CharEnumField(StakeholderGroup, max_length=32)
    email = fields.CharField(max_length=255, null=True)
    line_id = fields.CharField(max_length=64, null=True)
    phone = fields.CharField(max_length=32, null=True)
    active = fields.BooleanField(default=True)
    version = fields.IntField(default=1)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "stakeholder"
        unique_together = (("unit", "name", "organisation"),)


class KnowledgeTopicStatus(StrEnum):
    CANDIDATE = "CANDIDATE"  # surveyed, not (yet) chosen
    SELECTED = "SELECTED"  # one of the year's knowledge topics


class KnowledgeTopic(Model):
    """An area of knowledge (ประเด็นความรู้) of a cycle: rating questions measure it, the GAP
    analysis ranks it, and the committee selects the year's topics from the ranking."""

    id = fields.IntField(primary_key=True)
    cycle: fields.ForeignKeyRelation[Cycle] = fields.ForeignKeyField(
        "models.Cycle", related_name="knowledge_topics", on_delete=fields.CASCADE
    )
    cycle_id: int
    title_th = fields.CharField(max_length=500)
    title_en = fields.CharField(max_length=500, null=True)
    status = fields.CharEnumField(
        KnowledgeTopicStatus, max_length=16, default=KnowledgeTopicStatus.CANDIDATE
    )
    version = fields.IntField(default=1)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "knowledge_topic"
        unique_together = (("cycle", "title_th"),)


class TopicAssignment(Model):
    """A selected topic given to a member of staff to build knowledge in, by a target date."""

    id = fields.IntField(primary_key=True)
    topic: fields.ForeignKeyRelation[KnowledgeTopic] = fields.ForeignKeyField(
        "models.KnowledgeTopic", related_name="assignments", on_delete=fields.CASCADE
    )
    topic_id: int
    person: fields.ForeignKeyRelation[Person] = fields.ForeignKeyField(
        "models.Person", related_name="topic_assignments", on_delete=fields.RESTRICT
    )
    person_id: int
    target_date: date = fields.DateField()

    class Meta:
        table = "topic_assignment"
        unique_together = (("topic", "person"),)


class SurveyKind(StrEnum):
    STAKEHOLDER_NEEDS = "STAKEHOLDER_NEEDS"  # step 3: what stakeholders need (importance)
    STAFF_SELF_ASSESSMENT = "STAFF_SELF_ASSESSMENT"  # step 4: what staff know (proficiency)


class SurveyStatus(StrEnum):
    DRAFT = "DRAFT"
    OPEN = "OPEN"
    CLOSED = "CLOSED"


class Survey(Model):
    id = fields.IntField(primary_key=True)
    cycle: fields.ForeignKeyRelation[Cycle] = fields.ForeignKeyField(
        "models.Cycle", related_name="surveys", on_delete=fields.CASCADE
    )
    cycle_id: int
    kind = fields.CharEnumField(SurveyKind, max_length=32)
    title_th = fields.CharField(max_length=500)
    title_en = fields.CharField(max_length=500, null=True)
    status = fields.CharEnumField(SurveyStatus, max_length=16, default=SurveyStatus.DRAFT)
    # A new version copies the questions of the one it replaces, so answers stay with theirs.
    replaces: fields.ForeignKeyNullableRelation["Survey"] = fields.ForeignKeyField(
        "models.Survey", related_name=False, null=True, on_delete=fields.SET_NULL
    )
    replaces_id: int | None
    opened_at: datetime | None = fields.DatetimeField(null=True)
    closed_at: datetime | None = fields.DatetimeField(null=True)
    version = fields.IntField(default=1)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "survey"


class QuestionKind(StrEnum):
    RATING = "RATING"
    SINGLE_CHOICE = "SINGLE_CHOICE"
    MULTI_CHOICE = "MULTI_CHOICE"
    TEXT = "TEXT"


class SurveyQuestion(Model):
    """A question. RATING questions have a labelled scale and may measure a knowledge topic.
    choice questions list their choices as ``[{"value", "label_th", "label_en"}]``."""

    id = fields.IntField(primary_key=True)
    survey: fields.ForeignKeyRelation[Survey] = fields.ForeignKeyField(
        "models.Survey", related_name="questions", on_delete=fields.CASCADE
    )
    survey_id: int
    position = fields.IntField()
    kind = fields.CharEnumField(QuestionKind, max_length=16)
    text_th = fields.TextField()
    text_en: str | None = fields.TextField(null=True)
    required = fields.BooleanField(default=True)
    scale_min: int | None = fields.IntField(null=True)
    scale_max: int | None = fields.IntField(null=True)
    scale_labels: Any = fields.JSONField(default=list)
    choices: Any = fields.JSONField(default=list)
    topic: fields.ForeignKeyNullableRelation[KnowledgeTopic] = fields.ForeignKeyField(
        "models.KnowledgeTopic", related_name="questions", null=True, on_delete=fields.SET_NULL
    )
    topic_id: int | None

    class Meta:
        table = "survey_question"
        unique_together = (("survey", "position"),)


class SurveyInvitation(Model):
    """A stakeholder's personal link: the token itself is shown once, only its hash is kept."""

    id = fields.IntField(primary_key=True)
    survey: fields.ForeignKeyRelation[Survey] = fields.ForeignKeyField(
        "models.Survey", related_name="invitations", on_delete=fields.CASCADE
    )
    survey_id: int
    stakeholder: fields.ForeignKeyRelation[Stakeholder] = fields.ForeignKeyField(
        "models.Stakeholder", related_name="invitations", on_delete=fields.RESTRICT
    )
    stakeholder_id: int
    token_hash = fields.CharField(max_length=64, unique=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "survey_invitation"
        unique_together = (("survey", "stakeholder"),)


class ResponseStatus(StrEnum):
    DRAFT = "DRAFT"  # saved, can be changed until the survey closes
    SUBMITTED = "SUBMITTED"


class SurveyResponse(Model):
    """One respondent's answers: a stakeholder through an invitation, or a signed-in member of
    staff. ``group`` is copied at answering time so response rates by group stay as they were."""

    id = fields.IntField(primary_key=True)
    survey: fields.ForeignKeyRelation[Survey] = fields.ForeignKeyField(
        "models.Survey", related_name="responses", on_delete=fields.CASCADE
    )
    survey_id: int
    invitation: fields.OneToOneNullableRelation[SurveyInvitation] = fields.OneToOneField(
        "models.SurveyInvitation", related_name="response", null=True, on_delete=fields.CASCADE
    )
    invitation_id: int | None
    respondent: fields.ForeignKeyNullableRelation[Person] = fields.ForeignKeyField(
        "models.Person", related_name="survey_responses", null=True, on_delete=fields.RESTRICT
    )
    respondent_id: int | None
    group = fields.CharEnumField(StakeholderGroup, max_length=32, null=True)
    status = fields.CharEnumField(ResponseStatus, max_length=16, default=ResponseStatus.DRAFT)
    submitted_at: datetime | None = fields.DatetimeField(null=True)
    updated_at = fields.DatetimeField(auto_now=True)
    version = fields.IntField(default=1)

    class Meta:
        table = "survey_response"
        unique_together = (("survey", "respondent"),)


class SurveyAnswer(Model):
    """One answer. A rating fills ``rating``, a single choice ``choice``, a multiple choice one
    row per chosen value, a text ``text`` — so SQL can count and average them directly."""

    id = fields.BigIntField(primary_key=True)
    response: fields.ForeignKeyRelation[SurveyResponse] = fields.ForeignKeyField(
        "models.SurveyResponse", related_name="answers", on_delete=fields.CASCADE
    )
    response_id: int
    question: fields.ForeignKeyRelation[SurveyQuestion] = fields.ForeignKeyField(
        "models.SurveyQuestion", related_name="answers", on_delete=fields.CASCADE
    )
    question_id: int
    rating: int | None = fields.IntField(null=True)
    choice = fields.CharField(max_length=64, null=True)
    text: str | None = fields.TextField(null=True)

    class Meta:
        table = "survey_answer"
        indexes = (
            ("question_id", "rating"),
            ("question_id", "choice"),
            ("response_id", "question_id"),
        )


class GapRound(StrEnum):
    START_OF_YEAR = "START_OF_YEAR"  # step 5
    FIVE_MONTH_REVIEW = "FIVE_MONTH_REVIEW"  # step 12


class GapSnapshot(Model):
    """The GAP analysis as the committee confirmed it: later answers do not change it. Every
    confirmation is kept; the latest of each round is the current one."""

    id = fields.IntField(primary_key=True)
    cycle: fields.ForeignKeyRelation[Cycle] = fields.ForeignKeyField(
        "models.Cycle", related_name="gap_snapshots", on_delete=fields.CASCADE
    )
    cycle_id: int
    round = fields.CharEnumField(GapRound, max_length=32, default=GapRound.START_OF_YEAR)
    meeting: fields.ForeignKeyNullableRelation[Meeting] = fields.ForeignKeyField(
        "models.Meeting", related_name=False, null=True, on_delete=fields.SET_NULL
    )
    meeting_id: int | None
    rows: Any = fields.JSONField()
    confirmed_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name=False, null=True, on_delete=fields.SET_NULL
    )
    confirmed_by_id: int | None
    confirmed_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "gap_snapshot"


class PirabLever(Model):
    """A lever of the PIRAB strategy: P Partner, I Invest, R Regulate and legislate, A Advocate,
    B Build capacity. Labels are data."""

    code = fields.CharField(max_length=1, primary_key=True)
    label_th = fields.CharField(max_length=255)
    label_en = fields.CharField(max_length=255)
    position = fields.IntField()

    class Meta:
        table = "pirab_lever"


class Measure(Model):
    """A measure (มาตรการ) to drive the unit to learn, tagged with PIRAB levers and linked to the
    knowledge topics it addresses."""

    id = fields.IntField(primary_key=True)
    cycle: fields.ForeignKeyRelation[Cycle] = fields.ForeignKeyField(
        "models.Cycle", related_name="measures", on_delete=fields.CASCADE
    )
    cycle_id: int
    title_th = fields.CharField(max_length=500)
    title_en = fields.CharField(max_length=500, null=True)
    description_th = fields.TextField(default="")
    levers: Any = fields.JSONField()
    topics: fields.ManyToManyRelation[KnowledgeTopic] = fields.ManyToManyField(
        "models.KnowledgeTopic", related_name="measures", through="measure_topic"
    )
    version = fields.IntField(default=1)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "measure"
