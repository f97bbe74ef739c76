"""Lessons learned (บทเรียน) as shown: a final report's, and the year before's on a cycle."""

import strawberry

from models.kpi import FinalReport
from services import reports
from services.reports import LessonKind

LessonKindEnum = strawberry.enum(
    LessonKind,
    name="LessonKind",
    description="WORKED (สิ่งที่ทำได้ดี), DID_NOT_WORK (สิ่งที่ยังไม่ได้ผล), CHANGE (สิ่งที่ควรปรับในปีถัดไป).",
)


@strawberry.type(name="Lesson", description="A lesson learned (บทเรียน).")
class LessonNode:
    kind: LessonKindEnum = strawberry.field(description="What kind of lesson.")  # type: ignore[valid-type]
    text: str = strawberry.field(description="The lesson.")


def lesson_nodes(report: FinalReport) -> list[LessonNode]:
    return [LessonNode(kind=lesson.kind, text=lesson.text) for lesson in reports.lessons_of(report)]
