"""The yearly LO cycle (รอบการดำเนินงาน) of a unit and its steps."""

from datetime import date
from enum import StrEnum
from typing import Any

from tortoise import fields
from tortoise.models import Model

from models.committee import AppointmentOrder
from models.org import Person, Unit
from models.sop import SopTemplate


class ScheduleKind(StrEnum):
    DAYS = "DAYS"  # lasts N working days, after the steps it follows
    PERIOD = "PERIOD"  # runs over whole months of the fiscal year


class StepStatus(StrEnum):
    NOT_STARTED = "NOT_STARTED"
    IN_PROGRESS = "IN_PROGRESS"
    DONE = "DONE"
    SKIPPED = "SKIPPED"


class Cycle(Model):
    """One unit's programme for one fiscal year and indicator, made from a template version."""

    id = fields.IntField(primary_key=True)
    unit: fields.ForeignKeyRelation[Unit] = fields.ForeignKeyField(
        "models.Unit", related_name="cycles", on_delete=fields.RESTRICT
    )
    unit_id: int
    fiscal_year = fields.IntField(description="Buddhist Era, e.g. 2565")
    indicator_code = fields.CharField(max_length=32)
    template: fields.ForeignKeyRelation[SopTemplate] = fields.ForeignKeyField(
        "models.SopTemplate", related_name="cycles", on_delete=fields.RESTRICT
    )
    template_id: int
    committee_order: fields.ForeignKeyNullableRelation[AppointmentOrder] = fields.ForeignKeyField(
        "models.AppointmentOrder", related_name="cycles", null=True, on_delete=fields.SET_NULL
    )
    committee_order_id: int | None
    start_date: date = fields.DateField()
    version = fields.IntField(default=1)
    created_at = fields.DatetimeField(auto_now_add=True)

    steps: fields.ReverseRelation["CycleStep"]

    class Meta:
        table = "cycle"
        unique_together = (("unit", "fiscal_year", "indicator_code"),)


class CycleStep(Model):
    """A step of a cycle, copied from the template and scheduled on the working-day calendar."""

    id = fields.IntField(primary_key=True)
    cycle: fields.ForeignKeyRelation[Cycle] = fields.ForeignKeyField(
        "models.Cycle", related_name="steps", on_delete=fields.CASCADE
    )
    cycle_id: int
    no = fields.IntField()
    phase = fields.CharField(max_length=32, default="")
    title_th = fields.TextField()
    title_en = fields.TextField(null=True)
    schedule_kind = fields.CharEnumField(ScheduleKind, max_length=16)
    days = fields.IntField(null=True)
    after: Any = fields.JSONField(default=list)
    planned_start: date = fields.DateField()
    planned_due: date = fields.DateField()
    status = fields.CharEnumField(StepStatus, max_length=16, default=StepStatus.NOT_STARTED)
    actual_start: date | None = fields.DateField(null=True)
    actual_end: date | None = fields.DateField(null=True)
    status_reason: str | None = fields.TextField(null=True)
    unresolved_responsible: Any = fields.JSONField(default=list)
    whole_committee = fields.BooleanField(default=False)
    version = fields.IntField(default=1)

    class Meta:
        table = "cycle_step"
        unique_together = (("cycle", "no"),)


class StepResponsible(Model):
    """A person responsible for a step (resolved from the template's names and roles)."""

    id = fields.IntField(primary_key=True)
    step: fields.ForeignKeyRelation[CycleStep] = fields.ForeignKeyField(
        "models.CycleStep", related_name="responsible", on_delete=fields.CASCADE
    )
    step_id: int
    person: fields.ForeignKeyRelation[Person] = fields.ForeignKeyField(
        "models.Person", related_name="responsible_for", on_delete=fields.RESTRICT
    )
    person_id: int

    class Meta:
        table = "step_responsible"
        unique_together = (("step", "person"),)


class DocumentSlot(Model):
    """A document a step needs (เอกสารที่เกี่ยวข้อง): files attach here as evidence."""

    id = fields.IntField(primary_key=True)
    step: fields.ForeignKeyRelation[CycleStep] = fields.ForeignKeyField(
        "models.CycleStep", related_name="document_slots", on_delete=fields.CASCADE
    )
    step_id: int
    position = fields.IntField()
    name_th = fields.TextField()
    name_en = fields.TextField(null=True)
    required = fields.BooleanField(default=True)

    class Meta:
        table = "document_slot"
