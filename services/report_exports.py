"""A progress report or final report as sections of rows, for its XLSX and printable exports
(api/report_exports.py). Thai by default, English when asked; dates are Thai (BE) in Thai."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from models.cycle import Cycle
from models.document import Document
from models.kpi import FinalReport, ProgressReport
from models.org import Unit
from models.plan import ActivityStatus
from models.publishing import Publication
from models.user import User
from models.work import Work
from services import reports
from services.actor import Actor
from services.errors import not_found
from services.fiscal import ThaiDateStyle, thai_date
from services.labels import label
from services.messages import Language
from services.permissions import require_authenticated


@dataclass
class Section:
    title: str
    header: list[str] = field(default_factory=list)
    rows: list[list[Any]] = field(default_factory=list)


@dataclass
class Memo:
    """The heading and the signature blocks of a Thai official memo (บันทึกข้อความ): who sends
    it (ส่วนราชการ), its reference (ที่) and date (วันที่); who prepared it and who approved it,
    blank where no one has yet (signed on paper)."""

    agency: str
    reference: str
    dated: str
    prepared_by: str | None
    approved_by: str | None
    approved_on: str | None


@dataclass
class ReportDocument:
    """What an export shows: a title, its file name stem, its sections and its memo blocks."""

    title: str
    stem: str
    sections: list[Section]
    memo: Memo


def _t(language: Language, th: str, en: str) -> str:
    return th if language == "th" else en


def _day(value: date | None, language: Language) -> str:
    if value is None:
        return "-"
    return thai_date(value, ThaiDateStyle.LONG) if language == "th" else value.isoformat()


async def _name(user_id: int | None) -> str | None:
    user = await User.get_or_none(id=user_id) if user_id is not None else None
    return user.display_name if user else None


async def _cycle_unit(cycle_id: int) -> tuple[Cycle, Unit]:
    cycle = await Cycle.get(id=cycle_id)
    return cycle, await Unit.get(id=cycle.unit_id)


async def progress_document(*, actor: Actor, report_id: int, language: Language) -> ReportDocument:
    require_authenticated(actor)
    report = await ProgressReport.get_or_none(id=report_id)
    if report is None:
        raise not_found("id", "รายงานความก้าวหน้า", "Progress report")
    cycle, unit = await _cycle_unit(report.cycle_id)
    snapshot = report.snapshot or {}
    t = lambda th, en: _t(language, th, en)  # noqa: E731
    round_label = label(report.round, language)
    title = t(
        f"รายงานความก้าวหน้าการดำเนินงาน (DOC 4.0) {round_label} ปีงบประมาณ {cycle.fiscal_year}",
        f"DOC 4.0 progress report, {round_label}, fiscal year {cycle.fiscal_year}",
    )
    overview = Section(
        t("ข้อมูลรายงาน", "Report"),
        rows=[
            [t("หน่วยงาน", "Unit"), unit.name_th],
            [t("ตัวชี้วัด", "Indicator"), cycle.indicator_code],
            [t("รอบรายงาน", "Round"), round_label],
            [
                t("ช่วงเวลา", "Period"),
                f"{_day(report.period_start, language)} – {_day(report.period_end, language)}",
            ],
            [t("สถานะ", "Status"), label(report.status, language)],
            [t("ระดับความสำเร็จที่ได้", "Level achieved"), report.achieved_level],
            [t("ค่าเป้าหมาย", "Target level"), report.target_level],
            [t("งบประมาณตามแผน (บาท)", "Budget planned (THB)"), report.budget_planned],
            [t("งบประมาณที่ใช้ (บาท)", "Budget spent (THB)"), report.budget_spent],
            [t("วันที่เสนอ", "Submitted on"), _day(report.submitted_on, language)],
            [t("เลขที่ DOC 4.0", "DOC 4.0 reference"), report.doc_reference or "-"],
            [t("วันที่รายงานใน DOC 4.0", "Reported in DOC 4.0 on"), _day(report.doc_date, language)],
        ],
    )
    texts = Section(
        t("ผลการดำเนินงาน", "Narrative"),
        rows=[
            [t("ผลการดำเนินงาน", "What was done"), report.narrative or "-"],
            [t("ปัญหาอุปสรรค", "Problems"), report.problems or "-"],
            [t("ข้อเสนอแนะ", "Suggestions"), report.suggestions or "-"],
        ],
    )
    activities = Section(
        t("ความก้าวหน้าของกิจกรรม", "Activities' progress"),
        header=[
            t("กิจกรรม", "Activity"),
            t("งบประมาณ (บาท)", "Budget (THB)"),
            t("ร้อยละความก้าวหน้า", "Progress %"),
            t("สถานะ", "Status"),
        ],
        rows=[
            [
                a["title_th"],
                Decimal(a["budget"]),
                a["percent"],
                label(ActivityStatus(a["status"]), language),
            ]
            for a in snapshot.get("activities", [])
        ],
    )
    sections = [overview, texts, _kpi_section(snapshot.get("kpi"), language), activities]
    sections += await _outputs(snapshot, language)
    memo = Memo(
        agency=unit.name_th,
        reference=report.doc_reference or "-",
        dated=_day(report.submitted_on, language),
        prepared_by=await _name(report.submitted_by_id or report.created_by_id),
        approved_by=None,
        approved_on=None,
    )
    stem = f"progress-report-{cycle.fiscal_year}-{unit.code}-{report.round.value}"
    return ReportDocument(title, stem, sections, memo)


def _kpi_section(summary: dict[str, Any] | None, language: Language) -> Section:
    section = Section(
        _t(language, "เกณฑ์ระดับความสำเร็จ", "KPI criteria"),
        header=[
            _t(language, "ระดับ", "Level"),
            _t(language, "เกณฑ์", "Criterion"),
            _t(language, "ผล", "Met"),
            _t(language, "สิ่งที่ยังขาด", "Missing"),
        ],
    )
    for level in (summary or {}).get("levels", []):
        for c in level["criteria"]:
            section.rows.append(
                [
                    level["level"],
                    c["description_th"] if language == "th" else c["description_en"],
                    _t(language, "ผ่าน", "met") if c["met"] else _t(language, "ไม่ผ่าน", "not met"),
                    ", ".join(c.get("missing_th", [])) or "-",
                ]
            )
    return section


async def _outputs(snapshot: dict[str, Any], language: Language) -> list[Section]:
    works = await Work.filter(id__in=snapshot.get("work_ids", [])).order_by("id")
    publications = await Publication.filter(
        id__in=snapshot.get("publication_ids", [])
    ).prefetch_related("work")
    files = await Document.filter(id__in=snapshot.get("document_ids", []), deleted_at__isnull=True)
    return [
        Section(
            _t(language, "ผลงานในช่วงเวลา", "Works of the period"),
            header=[
                _t(language, "เลขทะเบียน", "Registry number"),
                _t(language, "ชื่อผลงาน", "Title"),
                _t(language, "สถานะ", "Status"),
            ],
            rows=[[w.registry_number or "-", w.title_th, label(w.status, language)] for w in works],
        ),
        Section(
            _t(language, "การเผยแพร่ในช่วงเวลา", "Publications of the period"),
            header=[_t(language, "ผลงาน", "Work"), _t(language, "ช่องทาง", "Channel")],
            rows=[[p.work.title_th, label(p.channel, language)] for p in publications],
        ),
        Section(
            _t(language, "เอกสารหลักฐาน", "Evidence"),
            header=[_t(language, "ไฟล์", "File")],
            rows=[[d.filename] for d in files],
        ),
    ]


async def final_document(*, actor: Actor, report_id: int, language: Language) -> ReportDocument:
    require_authenticated(actor)
    report = await FinalReport.get_or_none(id=report_id)
    if report is None:
        raise not_found("id", "รายงานผลการดำเนินงาน", "Final report")
    cycle, unit = await _cycle_unit(report.cycle_id)
    t = lambda th, en: _t(language, th, en)  # noqa: E731
    title = t(
        f"รายงานผลการดำเนินงานและสรุปบทเรียนการเป็นองค์กรแห่งการเรียนรู้ ปีงบประมาณ {cycle.fiscal_year}",
        f"Final report and lessons learned, fiscal year {cycle.fiscal_year}",
    )
    rounds = await ProgressReport.filter(cycle_id=cycle.id).order_by("period_end", "period_start")
    sections = [
        Section(
            t("ข้อมูลรายงาน", "Report"),
            rows=[
                [t("หน่วยงาน", "Unit"), unit.name_th],
                [t("ตัวชี้วัด", "Indicator"), cycle.indicator_code],
                [t("สถานะ", "Status"), label(report.status, language)],
                [t("ระดับความสำเร็จที่ได้", "Level achieved"), report.achieved_level],
                [t("ค่าเป้าหมาย (12 เดือน)", "Target level (M12)"), report.target_level],
                [t("วันที่อนุมัติ", "Approved on"), _day(report.approved_on, language)],
            ],
        ),
        Section(
            t("ผลการดำเนินงานและการประเมินผล", "Results and evaluation"),
            rows=[
                [t("ผลการดำเนินงาน", "Results"), report.results or "-"],
                [t("การประเมินผลเทียบค่าเป้าหมาย", "Evaluation"), report.evaluation or "-"],
            ],
        ),
        Section(
            t("ผลการรายงานแต่ละรอบ", "Rounds reported"),
            header=[
                t("รอบ", "Round"),
                t("ระดับที่ได้", "Level"),
                t("เป้าหมาย", "Target"),
                t("สถานะ", "Status"),
                t("เลขที่ DOC 4.0", "DOC 4.0 reference"),
            ],
            rows=[
                [
                    label(r.round, language),
                    r.achieved_level,
                    r.target_level,
                    label(r.status, language),
                    r.doc_reference or "-",
                ]
                for r in rounds
            ],
        ),
        Section(
            t("บทเรียนที่ได้รับ", "Lessons learned"),
            header=[t("ประเภท", "Kind"), t("บทเรียน", "Lesson")],
            rows=[
                [label(lesson.kind, language), lesson.text] for lesson in reports.lessons_of(report)
            ],
        ),
    ]
    memo = Memo(
        agency=unit.name_th,
        reference="-",
        dated=_day(report.approved_on, language),
        prepared_by=await _name(report.created_by_id),
        approved_by=await _name(report.approved_by_id),
        approved_on=_day(report.approved_on, language) if report.approved_on else None,
    )
    return ReportDocument(title, f"final-report-{cycle.fiscal_year}-{unit.code}", sections, memo)
