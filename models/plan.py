"""The year's plans (แผน), their activities, approval records and progress reports (SOP steps
7–9, 13 and 14). A plan row is one revision; revisions of one plan share cycle and kind."""

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any
from uuid import UUID

from tortoise import fields
from tortoise.models import Model

from models.cycle import Cycle
from models.org import Person
from models.survey import KnowledgeTopic, Measure
from models.user import User


class PlanKind(StrEnum):
    ACTION_PLAN = "ACTION_PLAN"  # แผนปฏิบัติการเพื่อขับเคลื่อนองค์กรแห่งการเรียนรู้
    RESEARCH_INNOVATION_PLAN = "RESEARCH_INNOVATION_PLAN"  # แผนสร้าง/พัฒนาผลงานวิจัย/นวัตกรรม


class PlanStatus(StrEnum):
    DRAFT = "DRAFT"
    SUBMITTED = "SUBMITTED"
    APPROVED = "APPROVED"
    RETURNED = "RETURNED"
    REJECTED = "REJECTED"
    SUPERSEDED = "SUPERSEDED"  # was approved; a later revision is approved now


class PlanAction(StrEnum):
    """What happens to a plan; each is recorded as a ``PlanEvent``."""

    CREATE = "CREATE"
    EDIT = "EDIT"
    SUBMIT = "SUBMIT"
    RECOMMEND = "RECOMMEND"
    APPROVE = "APPROVE"
    RETURN = "RETURN"
    REJECT = "REJECT"
    REVISE = "REVISE"
    SUPERSEDE = "SUPERSEDE"


class Recommendation(StrEnum):
    """A committee member's advice to the approver (ข้อเสนอแนะ), not a decision."""

    APPROVE = "APPROVE"
    RETURN = "RETURN"
    REJECT = "REJECT"


class ActivityStatus(StrEnum):
    NOT_STARTED = "NOT_STARTED"
    ON_TRACK = "ON_TRACK"
    AT_RISK = "AT_RISK"
    DELAYED = "DELAYED"
    DONE = "DONE"


class Plan(Model):
    """One revision of a cycle's plan of one kind."""

    id = fields.IntField(primary_key=True)
    cycle: fields.ForeignKeyRelation[Cycle] = fields.ForeignKeyField(
        "models.Cycle", related_name="plans", on_delete=fields.CASCADE
    )
    cycle_id: int
    kind = fields.CharEnumField(PlanKind, max_length=32)
    revision = fields.IntField(description="1 for the first plan, n+1 for each revision")
    previous: fields.ForeignKeyNullableRelation["Plan"] = fields.ForeignKeyField(
        "models.Plan", related_name="next_revisions", null=True, on_delete=fields.RESTRICT
    )
    previous_id: int | None
    # Only the newest revision is true; kept so lists can filter without a self-join.
    is_latest = fields.BooleanField(default=True)
    status = fields.CharEnumField(PlanStatus, max_length=16, default=PlanStatus.DRAFT)
    title_th = fields.CharField(max_length=500)
    title_en = fields.CharField(max_length=500, null=True)
    objective_th = fields.TextField(default="")
    owner: fields.ForeignKeyNullableRelation[Person] = fields.ForeignKeyField(
        "models.Person", related_name="plans_owned", null=True, on_delete=fields.RESTRICT
    )
    owner_id: int | None
    created_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name=False, null=True, on_delete=fields.SET_NULL
    )
    created_by_id: int | None
    # Who handed in the revision as it stands: like its author, they may not approve it.
    submitted_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name=False, null=True, on_delete=fields.SET_NULL
    )
    submitted_by_id: int | None
    version = fields.IntField(default=1)
    created_at = fields.DatetimeField(auto_now_add=True)

    activities: fields.ReverseRelation["Activity"]

    class Meta:
        table = "plan"
        unique_together = (("cycle", "kind", "revision"),)


class Activity(Model):
    """An activity or project of a plan (กิจกรรม/โครงการ).

    Copies of one activity in later revisions share its ``lineage``, which is what progress is
    reported against."""

    id = fields.IntField(primary_key=True)
    plan: fields.ForeignKeyRelation[Plan] = fields.ForeignKeyField(
        "models.Plan", related_name="activities", on_delete=fields.CASCADE
    )
    plan_id: int
    lineage: UUID = fields.UUIDField(db_index=True)
    position = fields.IntField()
    title_th = fields.CharField(max_length=500)
    title_en = fields.CharField(max_length=500, null=True)
    objective_th = fields.TextField(default="")
    measure: fields.ForeignKeyNullableRelation[Measure] = fields.ForeignKeyField(
        "models.Measure", related_name="activities", null=True, on_delete=fields.SET_NULL
    )
    measure_id: int | None
    knowledge_topic: fields.ForeignKeyNullableRelation[KnowledgeTopic] = fields.ForeignKeyField(
        "models.KnowledgeTopic", related_name="activities", null=True, on_delete=fields.SET_NULL
    )
    knowledge_topic_id: int | None
    levers: Any = fields.JSONField(default=list)
    start_month: date = fields.DateField(description="First day of the first month")
    end_month: date = fields.DateField(description="First day of the last month")
    budget: Decimal = fields.DecimalField(max_digits=14, decimal_places=2, default=Decimal(0))
    target_th = fields.TextField(default="")
    weight: Decimal = fields.DecimalField(max_digits=7, decimal_places=2, default=Decimal(1))
    version = fields.IntField(default=1)

    class Meta:
        table = "activity"


class ActivityOwner(Model):
    """A person who carries out an activity and reports its progress."""

    id = fields.IntField(primary_key=True)
    activity: fields.ForeignKeyRelation[Activity] = fields.ForeignKeyField(
        "models.Activity", related_name="owners", on_delete=fields.CASCADE
    )
    activity_id: int
    person: fields.ForeignKeyRelation[Person] = fields.ForeignKeyField(
        "models.Person", related_name="activities_owned", on_delete=fields.RESTRICT
    )
    person_id: int

    class Meta:
        table = "activity_owner"
        unique_together = (("activity", "person"),)


class ActivityProgressReport(Model):
    """One progress report of an activity (รายงานความก้าวหน้า).

    An activity's history is every report of its lineage."""

    id = fields.IntField(primary_key=True)
    activity: fields.ForeignKeyRelation[Activity] = fields.ForeignKeyField(
        "models.Activity", related_name="progress_reports", on_delete=fields.CASCADE
    )
    activity_id: int
    lineage: UUID = fields.UUIDField(db_index=True)
    percent = fields.IntField()
    # The status as of ``reported_on``: set by the reporter, or derived from the schedule.
    status = fields.CharEnumField(ActivityStatus, max_length=16)
    status_set = fields.BooleanField(default=False)
    narrative = fields.TextField(default="")
    reported_on: date = fields.DateField()
    reported_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name=False, null=True, on_delete=fields.SET_NULL
    )
    reported_by_id: int | None
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "activity_progress_report"


class PlanEvent(Model):
    """An entry of a plan's timeline: a transition, recommendation or decision with its comment."""

    id = fields.IntField(primary_key=True)
    plan: fields.ForeignKeyRelation[Plan] = fields.ForeignKeyField(
        "models.Plan", related_name="events", on_delete=fields.CASCADE
    )
    plan_id: int
    action = fields.CharEnumField(PlanAction, max_length=16)
    from_status = fields.CharEnumField(PlanStatus, max_length=16, null=True)
    to_status = fields.CharEnumField(PlanStatus, max_length=16, null=True)
    recommendation = fields.CharEnumField(Recommendation, max_length=16, null=True)
    comment = fields.TextField(null=True)
    actor: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name=False, null=True, on_delete=fields.SET_NULL
    )
    actor_id: int | None
    on: date = fields.DateField(description="The day it happened (Thai time)")
    at: datetime = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "plan_event"
