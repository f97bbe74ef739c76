"""The LO committee (คณะกรรมการ) as appointed by orders (คำสั่งแต่งตั้ง)."""

from datetime import date
from enum import StrEnum
from typing import Any

from tortoise import fields
from tortoise.models import Model

from models.org import Person, Unit


class CommitteeRole(StrEnum):
    CHAIR = "CHAIR"  # ประธาน
    MEMBER = "MEMBER"  # กรรมการ
    SECRETARY = "SECRETARY"  # กรรมการและเลขานุการ
    ASSISTANT_SECRETARY = "ASSISTANT_SECRETARY"  # กรรมการและผู้ช่วยเลขานุการ


class AppointmentOrder(Model):
    """An order appointing a unit's committee. The newest order of a unit is its current
    committee. The orders before it are kept, each pointing at the order that superseded it."""

    id = fields.IntField(primary_key=True)
    unit: fields.ForeignKeyRelation[Unit] = fields.ForeignKeyField(
        "models.Unit", related_name="appointment_orders", on_delete=fields.RESTRICT
    )
    unit_id: int
    number = fields.CharField(max_length=32)
    order_date: date = fields.DateField()
    subject_th = fields.CharField(max_length=500)
    subject_en = fields.CharField(max_length=500, null=True)
    issuer_th = fields.CharField(max_length=255)
    superseded_by: fields.ForeignKeyNullableRelation["AppointmentOrder"] = fields.ForeignKeyField(
        "models.AppointmentOrder", related_name=False, null=True, on_delete=fields.SET_NULL
    )
    superseded_by_id: int | None
    created_at = fields.DatetimeField(auto_now_add=True)

    memberships: fields.ReverseRelation["Membership"]

    class Meta:
        table = "appointment_order"
        unique_together = (("unit", "number"),)


class Membership(Model):
    """A person's seat on the committee of one order, with the position held at the time and
    the duties the order puts the member in charge of (codes SOP steps name, such as
    STAKEHOLDER_SURVEY)."""

    id = fields.IntField(primary_key=True)
    order: fields.ForeignKeyRelation[AppointmentOrder] = fields.ForeignKeyField(
        "models.AppointmentOrder", related_name="memberships", on_delete=fields.CASCADE
    )
    order_id: int
    person: fields.ForeignKeyRelation[Person] = fields.ForeignKeyField(
        "models.Person", related_name="memberships", on_delete=fields.RESTRICT
    )
    person_id: int
    role = fields.CharEnumField(CommitteeRole, max_length=32)
    position_th = fields.CharField(max_length=255, default="")
    seat = fields.IntField(description="Order of listing in the order (1 = first)")
    duties: Any = fields.JSONField(default=list)

    class Meta:
        table = "committee_membership"
        unique_together = (("order", "person"),)
