"""Committee meetings (การประชุม): planning, monthly, the five-month review."""

from datetime import date
from enum import StrEnum
from typing import Any

from tortoise import fields
from tortoise.models import Model

from models.cycle import Cycle, CycleStep
from models.org import Person


class MeetingKind(StrEnum):
    PLANNING = "PLANNING"  # step 2
    MONTHLY = "MONTHLY"
    FIVE_MONTH_REVIEW = "FIVE_MONTH_REVIEW"  # step 12
    OTHER = "OTHER"


class Meeting(Model):
    id = fields.IntField(primary_key=True)
    cycle: fields.ForeignKeyRelation[Cycle] = fields.ForeignKeyField(
        "models.Cycle", related_name="meetings", on_delete=fields.CASCADE
    )
    cycle_id: int
    step: fields.ForeignKeyNullableRelation[CycleStep] = fields.ForeignKeyField(
        "models.CycleStep", related_name="meetings", null=True, on_delete=fields.SET_NULL
    )
    step_id: int | None
    kind = fields.CharEnumField(MeetingKind, max_length=32)
    held_on: date = fields.DateField()
    title_th = fields.CharField(max_length=500)
    agenda: Any = fields.JSONField(default=list)
    decisions: Any = fields.JSONField(default=list)
    version = fields.IntField(default=1)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "meeting"


class MeetingAttendee(Model):
    id = fields.IntField(primary_key=True)
    meeting: fields.ForeignKeyRelation[Meeting] = fields.ForeignKeyField(
        "models.Meeting", related_name="attendees", on_delete=fields.CASCADE
    )
    meeting_id: int
    person: fields.ForeignKeyRelation[Person] = fields.ForeignKeyField(
        "models.Person", related_name="meetings_attended", on_delete=fields.RESTRICT
    )
    person_id: int

    class Meta:
        table = "meeting_attendee"
        unique_together = (("meeting", "person"),)
