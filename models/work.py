"""The works registry (ทะเบียนผลงาน, SOP step 10): research, academic and innovation works, their
authors, files and registry numbers."""

from datetime import datetime
from enum import StrEnum
from typing import Any

from tortoise import fields
from tortoise.models import Model

from models.org import Person, Unit
from models.plan import Activity
from models.survey import KnowledgeTopic
from models.user import User


class WorkKind(StrEnum):
    RESEARCH = "RESEARCH"  # ผลงานวิจัย
    ACADEMIC = "ACADEMIC"  # ผลงานวิชาการ
    INNOVATION = "INNOVATION"  # ผลงานนวัตกรรม


class WorkStatus(StrEnum):
    DRAFT = "DRAFT"  # ร่าง: the authors edit it
    IN_REVIEW = "IN_REVIEW"  # ส่งพิจารณา: the committee reviews it
    RETURNED = "RETURNED"  # ส่งกลับแก้ไข: back to the authors, with a reason
    REGISTERED = "REGISTERED"  # ขึ้นทะเบียนแล้ว: has its registry number
    PUBLISHED = "PUBLISHED"  # เผยแพร่แล้ว: announced through at least one channel
    ARCHIVED = "ARCHIVED"  # เก็บถาวร: kept, no longer shown


class Work(Model):
    """A work of a unit's staff. The registry number (``LO-<BE year>-<4 digits>``) is given on
    registration and never reused, even when the work is archived."""

    id = fields.IntField(primary_key=True)
    unit: fields.ForeignKeyRelation[Unit] = fields.ForeignKeyField(
        "models.Unit", related_name="works", on_delete=fields.RESTRICT
    )
    unit_id: int
    fiscal_year = fields.IntField(description="Buddhist Era, e.g. 2565")
    kind = fields.CharEnumField(WorkKind, max_length=16)
    status = fields.CharEnumField(WorkStatus, max_length=16, default=WorkStatus.DRAFT)
    title_th = fields.CharField(max_length=500)
    title_en = fields.CharField(max_length=500, null=True)
    abstract_th = fields.TextField(default="")
    abstract_en = fields.TextField(null=True)
    keywords: Any = fields.JSONField(default=list)
    registry_number = fields.CharField(max_length=16, unique=True, null=True)
    # Title, abstracts and keywords normalised (NFC, Thai digits, case folded): what search reads.
    search_text = fields.TextField(default="")
    status_reason: str | None = fields.TextField(null=True)
    created_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name=False, null=True, on_delete=fields.SET_NULL
    )
    created_by_id: int | None
    submitted_at: datetime | None = fields.DatetimeField(null=True)
    registered_at: datetime | None = fields.DatetimeField(null=True)
    published_at: datetime | None = fields.DatetimeField(null=True)
    version = fields.IntField(default=1)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    knowledge_topics: fields.ManyToManyRelation[KnowledgeTopic] = fields.ManyToManyField(
        "models.KnowledgeTopic", related_name="works", through="work_knowledge_topic"
    )
    # The plan activities the work came out of (any revision: the link is to what was done).
    activities: fields.ManyToManyRelation[Activity] = fields.ManyToManyField(
        "models.Activity", related_name="works", through="work_activity"
    )
    authors: fields.ReverseRelation["WorkAuthor"]
    files: fields.ReverseRelation["WorkFile"]

    class Meta:
        table = "work"
        indexes = (("status", "fiscal_year"), ("unit_id", "fiscal_year"))


class WorkAuthor(Model):
    """An author of a work, in order: a person of the department or an outside co-author."""

    id = fields.IntField(primary_key=True)
    work: fields.ForeignKeyRelation[Work] = fields.ForeignKeyField(
        "models.Work", related_name="authors", on_delete=fields.CASCADE
    )
    work_id: int
    position = fields.IntField()
    person: fields.ForeignKeyNullableRelation[Person] = fields.ForeignKeyField(
        "models.Person", related_name="works_authored", null=True, on_delete=fields.RESTRICT
    )
    person_id: int | None
    # For an outside co-author; for a person, their name when the work was written.
    name_th = fields.CharField(max_length=255, default="")
    name_en = fields.CharField(max_length=255, null=True)
    affiliation = fields.CharField(max_length=255, default="")
    corresponding = fields.BooleanField(default=False)

    class Meta:
        table = "work_author"
        unique_together = (("work", "position"),)


class WorkFileKind(StrEnum):
    FULL_TEXT = "FULL_TEXT"  # ฉบับเต็ม
    SLIDES = "SLIDES"  # สไลด์นำเสนอ
    POSTER = "POSTER"  # โปสเตอร์
    VIDEO_LINK = "VIDEO_LINK"  # ลิงก์วิดีโอ
    COVER_IMAGE = "COVER_IMAGE"  # ภาพปก (for the website post)


class WorkFile(Model):
    """A file of a work, versioned per kind: a new upload of the same kind is the next version.
    A VIDEO_LINK is a URL and has no bytes."""

    id = fields.IntField(primary_key=True)
    work: fields.ForeignKeyRelation[Work] = fields.ForeignKeyField(
        "models.Work", related_name="files", on_delete=fields.CASCADE
    )
    work_id: int
    kind = fields.CharEnumField(WorkFileKind, max_length=16)
    version = fields.IntField()
    filename = fields.CharField(max_length=255, default="")
    content_type = fields.CharField(max_length=128, default="")
    size = fields.BigIntField(default=0)
    sha256 = fields.CharField(max_length=64, default="")
    storage_key = fields.CharField(max_length=255, null=True, unique=True)
    url = fields.CharField(max_length=2000, null=True)
    uploaded_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name=False, null=True, on_delete=fields.SET_NULL
    )
    uploaded_by_id: int | None
    uploaded_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "work_file"
        unique_together = (("work", "kind", "version"),)


class RegistryCounter(Model):
    """The last registry number given in a BE year: numbers only ever go up."""

    id = fields.IntField(primary_key=True)
    fiscal_year = fields.IntField(unique=True)
    last_number = fields.IntField(default=0)

    class Meta:
        table = "work_registry_counter"
