"""The KPI success level of indicator 2.4 (ระดับความสำเร็จ), the DOC 4.0 progress reports of a cycle
(SOP step 11) and its final report with the lessons learned (SOP step 16)."""

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from tortoise import fields
from tortoise.models import Model

from models.cycle import Cycle
from models.user import User


class ReportRound(StrEnum):
    """A DOC 4.0 reporting round; M5, M10 and M12 run from the start of the fiscal year."""

    M5 = "M5"  # รอบ 5 เดือน: 1 ต.ค. – สิ้นเดือน ก.พ.
    M10 = "M10"  # รอบ 10 เดือน: 1 ต.ค. – 31 ก.ค.
    M12 = "M12"  # รอบ 12 เดือน: 1 ต.ค. – 30 ก.ย.
    MONTHLY = "MONTHLY"  # รายเดือน: one calendar month


class ReportStatus(StrEnum):
    DRAFT = "DRAFT"  # ร่าง
    SUBMITTED = "SUBMITTED"  # เสนอแล้ว: its figures are frozen
    REPORTED = "REPORTED"  # รายงานในระบบ DOC 4.0 แล้ว: has its DOC reference


class FinalReportStatus(StrEnum):
    DRAFT = "DRAFT"  # ร่าง
    APPROVED = "APPROVED"  # อนุมัติแล้ว: by the unit head
    REPORTED = "REPORTED"  # รายงานในระบบ DOC 4.0 แล้ว


# The final report stays approved once it is entered in DOC 4.0.
FINAL_APPROVED = (FinalReportStatus.APPROVED, FinalReportStatus.REPORTED)


class KpiDefinition(Model):
    """The success levels and round targets of indicator 2.4 for one fiscal year.

    ``levels`` is a list of ``{level, criteria: [{kind, …}]}``; ``targets`` maps a round to its
    target level. Without a row the default of services.kpi applies."""

    id = fields.IntField(primary_key=True)
    fiscal_year = fields.IntField(unique=True, description="Buddhist Era, e.g. 2565")
    levels: Any = fields.JSONField(default=list)
    targets: Any = fields.JSONField(default=dict)
    version = fields.IntField(default=1)
    updated_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name=False, null=True, on_delete=fields.SET_NULL
    )
    updated_by_id: int | None
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "kpi_definition"


class ProgressReport(Model):
    """A progress report of a cycle for one DOC 4.0 round (รายงานความก้าวหน้า DOC 4.0).

    Its figures are filled from the data while DRAFT and frozen on submission."""

    id = fields.IntField(primary_key=True)
    cycle: fields.ForeignKeyRelation[Cycle] = fields.ForeignKeyField(
        "models.Cycle", related_name="progress_reports", on_delete=fields.CASCADE
    )
    cycle_id: int
    round = fields.CharEnumField(ReportRound, max_length=16)
    period_start: date = fields.DateField()
    period_end: date = fields.DateField()
    status = fields.CharEnumField(ReportStatus, max_length=16, default=ReportStatus.DRAFT)
    achieved_level = fields.IntField(null=True, description="Snapshot at submission")
    target_level = fields.IntField(null=True, description="Snapshot at submission")
    narrative = fields.TextField(default="")
    problems = fields.TextField(default="")
    suggestions = fields.TextField(default="")
    budget_planned: Decimal = fields.DecimalField(max_digits=14, decimal_places=2, default=0)
    budget_spent: Decimal | None = fields.DecimalField(max_digits=14, decimal_places=2, null=True)
    # The activities, works and evidence as they were at submission (empty while DRAFT).
    snapshot: Any = fields.JSONField(default=dict)
    doc_reference = fields.CharField(max_length=100, null=True)
    doc_date: date | None = fields.DateField(null=True)
    created_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name=False, null=True, on_delete=fields.SET_NULL
    )
    created_by_id: int | None
    submitted_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name=False, null=True, on_delete=fields.SET_NULL
    )
    submitted_by_id: int | None
    submitted_on: date | None = fields.DateField(null=True)
    reported_at: datetime | None = fields.DatetimeField(null=True)
    version = fields.IntField(default=1)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "progress_report"
        unique_together = (("cycle", "round", "period_start"),)


class FinalReport(Model):
    """The final report of a cycle with its lessons learned (รายงานผลและสรุปบทเรียน, step 16).

    ``lessons`` is a list of ``{kind, text}`` with kind WORKED, DID_NOT_WORK or CHANGE."""

    id = fields.IntField(primary_key=True)
    cycle: fields.OneToOneRelation[Cycle] = fields.OneToOneField(
        "models.Cycle", related_name="final_report", on_delete=fields.CASCADE
    )
    cycle_id: int
    status = fields.CharEnumField(FinalReportStatus, max_length=16, default=FinalReportStatus.DRAFT)
    results = fields.TextField(default="")
    evaluation = fields.TextField(default="")
    lessons: Any = fields.JSONField(default=list)
    achieved_level = fields.IntField(null=True, description="Snapshot at approval")
    target_level = fields.IntField(null=True, description="Snapshot at approval")
    created_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name=False, null=True, on_delete=fields.SET_NULL
    )
    created_by_id: int | None
    approved_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name=False, null=True, on_delete=fields.SET_NULL
    )
    approved_by_id: int | None
    approved_on: date | None = fields.DateField(null=True)
    doc_reference = fields.CharField(max_length=100, null=True)
    doc_date: date | None = fields.DateField(null=True)
    version = fields.IntField(default=1)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "final_report"
