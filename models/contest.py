"""The LIKE Talk Award (SOP step 15): yearly editions (รุ่นการประกวด), their categories, rubric
and application form, entries, judges, conflicts of interest and score sheets."""

from datetime import datetime
from enum import StrEnum
from typing import Any

from tortoise import fields
from tortoise.models import Model

from models.org import Person, Unit
from models.user import User


class ContestStatus(StrEnum):
    DRAFT = "DRAFT"
    OPEN = "OPEN"
    CLOSED = "CLOSED"
    JUDGING = "JUDGING"
    RESULTS_PUBLISHED = "RESULTS_PUBLISHED"


class RankingMethod(StrEnum):
    MEAN = "MEAN"
    MEDIAN = "MEDIAN"
    NORMALISED = "NORMALISED"


class TieBreak(StrEnum):
    MEAN = "MEAN"  # higher mean weighted total
    MEDIAN = "MEDIAN"  # higher median weighted total
    NORMALISED = "NORMALISED"  # higher normalised score
    FIRST_CRITERION = "FIRST_CRITERION"  # higher mean on the rubric's first criterion
    EARLIER_SUBMISSION = "EARLIER_SUBMISSION"  # handed in first


class EntryStatus(StrEnum):
    DRAFT = "DRAFT"
    SUBMITTED = "SUBMITTED"
    SHORTLISTED = "SHORTLISTED"
    NOT_SHORTLISTED = "NOT_SHORTLISTED"
    RETURNED = "RETURNED"
    PRESENTED = "PRESENTED"
    SCORED = "SCORED"
    AWARDED = "AWARDED"
    NOT_AWARDED = "NOT_AWARDED"
    WITHDRAWN = "WITHDRAWN"


class SheetStatus(StrEnum):
    DRAFT = "DRAFT"
    SUBMITTED = "SUBMITTED"


class Contest(Model):
    """One edition of the LIKE Talk Award (a fiscal year's call, judging and results)."""

    id = fields.IntField(primary_key=True)
    fiscal_year = fields.IntField(unique=True, description="Buddhist Era, e.g. 2565")
    name_th = fields.CharField(max_length=255)
    name_en = fields.CharField(max_length=255, null=True)
    opens_at: datetime = fields.DatetimeField()
    closes_at: datetime = fields.DatetimeField()
    changes_until: datetime = fields.DatetimeField()
    results_at: datetime | None = fields.DatetimeField(null=True)
    results_published_at: datetime | None = fields.DatetimeField(null=True)
    status = fields.CharEnumField(ContestStatus, max_length=20, default=ContestStatus.DRAFT)
    ranking_method = fields.CharEnumField(RankingMethod, max_length=16, default=RankingMethod.MEAN)
    tie_breaks: Any = fields.JSONField(default=list)
    disagreement_threshold = fields.FloatField(default=15.0)
    judges_per_entry = fields.IntField(default=3)
    award_levels: Any = fields.JSONField(default=list)
    version = fields.IntField(default=1)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "contest"


class ContestCategory(Model):
    """A category of an edition (ประเภทรางวัล)."""

    id = fields.IntField(primary_key=True)
    contest: fields.ForeignKeyRelation[Contest] = fields.ForeignKeyField(
        "models.Contest", related_name="categories", on_delete=fields.CASCADE
    )
    contest_id: int
    position = fields.IntField()
    code = fields.CharField(max_length=32)
    name_th = fields.CharField(max_length=255)
    name_en = fields.CharField(max_length=255, null=True)

    class Meta:
        table = "contest_category"
        unique_together = (("contest", "code"),)


class RubricCriterion(Model):
    """A criterion of an edition's rubric (เกณฑ์การให้คะแนน), for every category or one."""

    id = fields.IntField(primary_key=True)
    contest: fields.ForeignKeyRelation[Contest] = fields.ForeignKeyField(
        "models.Contest", related_name="criteria", on_delete=fields.CASCADE
    )
    contest_id: int
    category: fields.ForeignKeyNullableRelation[ContestCategory] = fields.ForeignKeyField(
        "models.ContestCategory", related_name="criteria", null=True, on_delete=fields.CASCADE
    )
    category_id: int | None
    position = fields.IntField()
    name_th = fields.CharField(max_length=255)
    name_en = fields.CharField(max_length=255, null=True)
    descriptors: Any = fields.JSONField(default=list)
    scale_min = fields.FloatField()
    scale_max = fields.FloatField()
    scale_step = fields.FloatField()
    weight = fields.FloatField()

    class Meta:
        table = "rubric_criterion"


class ContestForm(Model):
    """One version of an edition's application form (versions are never changed)."""

    id = fields.IntField(primary_key=True)
    contest: fields.ForeignKeyRelation[Contest] = fields.ForeignKeyField(
        "models.Contest", related_name="forms", on_delete=fields.CASCADE
    )
    contest_id: int
    version = fields.IntField()
    definition: Any = fields.JSONField(description="The form's fields, as configured")
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "contest_form"
        unique_together = (("contest", "version"),)


class Entry(Model):
    """A registered work entered in one category of an edition (ผลงานที่ส่งประกวด)."""

    id = fields.IntField(primary_key=True)
    contest: fields.ForeignKeyRelation[Contest] = fields.ForeignKeyField(
        "models.Contest", related_name="entries", on_delete=fields.RESTRICT
    )
    contest_id: int
    category: fields.ForeignKeyRelation[ContestCategory] = fields.ForeignKeyField(
        "models.ContestCategory", related_name="entries", on_delete=fields.RESTRICT
    )
    category_id: int
    work: fields.ForeignKeyRelation[Any] = fields.ForeignKeyField(
        "models.Work", related_name="contest_entries", on_delete=fields.RESTRICT
    )
    work_id: int
    unit: fields.ForeignKeyRelation[Unit] = fields.ForeignKeyField(
        "models.Unit", related_name="contest_entries", on_delete=fields.RESTRICT
    )
    unit_id: int
    form: fields.ForeignKeyRelation[ContestForm] = fields.ForeignKeyField(
        "models.ContestForm", related_name="entries", on_delete=fields.RESTRICT
    )
    form_id: int
    answers: Any = fields.JSONField(default=dict)
    status = fields.CharEnumField(EntryStatus, max_length=20, default=EntryStatus.DRAFT)
    screening_comment: str | None = fields.TextField(null=True)
    submitted_at: datetime | None = fields.DatetimeField(null=True)
    award_level = fields.CharField(max_length=32, null=True)
    award_note: str | None = fields.TextField(null=True)
    final_rank: int | None = fields.IntField(null=True)
    rank_reason: str | None = fields.TextField(null=True)
    created_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="contest_entries", null=True, on_delete=fields.SET_NULL
    )
    created_by_id: int | None
    version = fields.IntField(default=1)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "contest_entry"
        unique_together = (("contest", "work"),)
        indexes = (("contest_id", "category_id", "status"),)


class EntryPresenter(Model):
    """A person who presents an entry on presentation day."""

    id = fields.IntField(primary_key=True)
    entry: fields.ForeignKeyRelation[Entry] = fields.ForeignKeyField(
        "models.Entry", related_name="presenters", on_delete=fields.CASCADE
    )
    entry_id: int
    person: fields.ForeignKeyRelation[Person] = fields.ForeignKeyField(
        "models.Person", related_name="presenting", on_delete=fields.RESTRICT
    )
    person_id: int
    position = fields.IntField()

    class Meta:
        table = "contest_entry_presenter"
        unique_together = (("entry", "person"),)


class JudgeAssignment(Model):
    """A judge (กรรมการ) assigned to score an entry."""

    id = fields.IntField(primary_key=True)
    contest: fields.ForeignKeyRelation[Contest] = fields.ForeignKeyField(
        "models.Contest", related_name="assignments", on_delete=fields.CASCADE
    )
    contest_id: int
    entry: fields.ForeignKeyRelation[Entry] = fields.ForeignKeyField(
        "models.Entry", related_name="assignments", on_delete=fields.CASCADE
    )
    entry_id: int
    judge: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="judge_assignments", on_delete=fields.RESTRICT
    )
    judge_id: int
    automatic = fields.BooleanField(default=False)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "judge_assignment"
        unique_together = (("entry", "judge"),)


class ConflictDeclaration(Model):
    """A judge's declared conflict of interest with an entry (ผลประโยชน์ทับซ้อน)."""

    id = fields.IntField(primary_key=True)
    contest: fields.ForeignKeyRelation[Contest] = fields.ForeignKeyField(
        "models.Contest", related_name="conflicts", on_delete=fields.CASCADE
    )
    contest_id: int
    entry: fields.ForeignKeyRelation[Entry] = fields.ForeignKeyField(
        "models.Entry", related_name="conflicts", on_delete=fields.CASCADE
    )
    entry_id: int
    judge: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="declared_conflicts", on_delete=fields.RESTRICT
    )
    judge_id: int
    reason = fields.TextField()
    declared_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="+", null=True, on_delete=fields.SET_NULL
    )
    declared_by_id: int | None
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "conflict_declaration"
        unique_together = (("entry", "judge"),)


class ScoreSheet(Model):
    """One judge's scores for one entry (ใบให้คะแนน): a draft until submitted."""

    id = fields.IntField(primary_key=True)
    contest: fields.ForeignKeyRelation[Contest] = fields.ForeignKeyField(
        "models.Contest", related_name="score_sheets", on_delete=fields.CASCADE
    )
    contest_id: int
    entry: fields.ForeignKeyRelation[Entry] = fields.ForeignKeyField(
        "models.Entry", related_name="score_sheets", on_delete=fields.CASCADE
    )
    entry_id: int
    judge: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="score_sheets", on_delete=fields.RESTRICT
    )
    judge_id: int
    status = fields.CharEnumField(SheetStatus, max_length=16, default=SheetStatus.DRAFT)
    comment: str | None = fields.TextField(null=True)
    submitted_at: datetime | None = fields.DatetimeField(null=True)
    version = fields.IntField(default=1)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "score_sheet"
        unique_together = (("entry", "judge"),)
        indexes = (("contest_id", "status"),)


class Score(Model):
    """One criterion's score on a sheet, with the judge's comment."""

    id = fields.IntField(primary_key=True)
    sheet: fields.ForeignKeyRelation[ScoreSheet] = fields.ForeignKeyField(
        "models.ScoreSheet", related_name="scores", on_delete=fields.CASCADE
    )
    sheet_id: int
    criterion: fields.ForeignKeyRelation[RubricCriterion] = fields.ForeignKeyField(
        "models.RubricCriterion", related_name="scores", on_delete=fields.RESTRICT
    )
    criterion_id: int
    value: float | None = fields.FloatField(null=True)
    comment: str | None = fields.TextField(null=True)

    class Meta:
        table = "score"
        unique_together = (("sheet", "criterion"),)
