"""The organisation: department (กรม), its units (หน่วยงาน) and people (บุคลากร)."""

from enum import StrEnum
from typing import Any

from tortoise import fields
from tortoise.models import Model

from models.user import User


class Department(Model):
    """A department such as กรมอนามัย. One installation may serve several."""

    id = fields.IntField(primary_key=True)
    name_th = fields.CharField(max_length=255, unique=True)
    name_en = fields.CharField(max_length=255, null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "department"


class Unit(Model):
    """A unit of a department (หน่วยงาน), e.g. สำนักงานเลขานุการกรม."""

    id = fields.IntField(primary_key=True)
    department: fields.ForeignKeyRelation[Department] = fields.ForeignKeyField(
        "models.Department", related_name="units", on_delete=fields.RESTRICT
    )
    department_id: int
    code = fields.CharField(max_length=32, unique=True)
    name_th = fields.CharField(max_length=255)
    name_en = fields.CharField(max_length=255, null=True)
    # Which kinds of a published work's files its public page offers (WorkFileKind values);
    # null means the default, the full text only (services/public_works.py).
    public_file_kinds: Any = fields.JSONField(null=True)
    version = fields.IntField(default=1)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "unit"


class Person(Model):
    """A member of staff or of a committee, with or without a login account."""

    id = fields.IntField(primary_key=True)
    unit: fields.ForeignKeyRelation[Unit] = fields.ForeignKeyField(
        "models.Unit", related_name="people", on_delete=fields.RESTRICT
    )
    unit_id: int
    user: fields.OneToOneNullableRelation[User] = fields.OneToOneField(
        "models.User", related_name="person", null=True, on_delete=fields.SET_NULL
    )
    user_id: int | None
    title_th = fields.CharField(max_length=64, default="")
    first_name_th = fields.CharField(max_length=128)
    last_name_th = fields.CharField(max_length=128, default="")
    name_en = fields.CharField(max_length=255, null=True)
    position_th = fields.CharField(max_length=255, default="")
    position_en = fields.CharField(max_length=255, null=True)
    email = fields.CharField(max_length=255, null=True)
    version = fields.IntField(default=1)
    created_at = fields.DatetimeField(auto_now_add=True)
    # The person's LINE user id (U + 32 hex digits) for reminders pushed by the unit's account.
    line_user_id = fields.CharField(max_length=64, null=True)
    # The department's staff number, which an identity provider may send as a claim.
    employee_id = fields.CharField(max_length=64, null=True, unique=True)

    class Meta:
        table = "person"

    @property
    def full_name_th(self) -> str:
        return f"{self.title_th}{self.first_name_th} {self.last_name_th}".strip()


class UnitRole(StrEnum):
    """Roles held in one unit, granted by administrators (committee seats come from orders)."""

    APPROVER = "APPROVER"  # the unit head (ผู้อำนวยการ/หัวหน้าหน่วยงาน): approves plans


class UnitRoleGrant(Model):
    """A unit role held by one user account."""

    id = fields.IntField(primary_key=True)
    unit: fields.ForeignKeyRelation[Unit] = fields.ForeignKeyField(
        "models.Unit", related_name="role_grants", on_delete=fields.CASCADE
    )
    unit_id: int
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="unit_role_grants", on_delete=fields.CASCADE
    )
    user_id: int
    role = fields.CharEnumField(UnitRole, max_length=32)
    granted_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "unit_role_grant"
        unique_together = (("unit", "user", "role"),)
