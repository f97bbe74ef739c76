"""The KPI success level of indicator 2.4 (ระดับความสำเร็จ): its definition per fiscal year and the
level a cycle has achieved on any date.

A definition is five levels, each a list of criteria over the cycle, and a target level per
round (M5, M10, M12). Until an administrator saves one for a fiscal year, ``DEFAULT`` applies
(DESIGN.md): L1 steps 1–2, L2 steps 3–8, L3 steps 9–12, L4 steps 13–14, L5 steps 15–16 and the
final report recorded in DOC 4.0; targets M5 ≥ 2, M10 ≥ 4, M12 = 5.

Why the DOC 4.0 record is level 5's: the SOP's step 16 (รายงานผลการดำเนินงานและสรุปบทเรียน) is four
tasks, the results report, its evaluation, the lessons learned and "รายงานข้อมูลในระบบ DOC 4.0";
LO Hub completes the step when the unit head approves the report, before the last task can be
done, so the level that stands for step 16 also asks for the record of that last task. The
progress reports' DOC references stay bookkeeping (PROGRESS_REPORTED): step 11 is the report
itself, and the SOP asks nothing of its DOC 4.0 entry beyond making it.

Criterion kinds and what "met on date D" means (every fact is taken as it stood at the end of D,
Thai time, so a past date gives the level as it was then):

- STEPS_DONE (steps, countSkipped = true): each step DONE by D, or SKIPPED by D (a skip always
  carries its reason, shown as evidence) unless countSkipped is false;
- DOCUMENTS_ATTACHED (steps): each required document slot of the steps holds a file uploaded by
  D and not deleted by then;
- PLANS_APPROVED (planKinds, all by default): a revision of each kind approved by D;
- SURVEYS_CLOSED (surveyKinds, all by default): a survey of each kind closed by D;
- WORKS_REGISTERED / WORKS_PUBLISHED (minCount): at least minCount works of the cycle's unit and
  fiscal year registered / published by D;
- ENTRIES_SUBMITTED (minCount): at least minCount LIKE Talk Award entries of the unit in the
  fiscal year's contest submitted by D and not withdrawn;
- PROGRESS_REPORTED (round): the cycle's report of the round submitted by D (SUBMITTED or
  REPORTED to DOC 4.0: the DOC reference is bookkeeping after the fact);
- FINAL_REPORT_APPROVED: the cycle's final report approved by D;
- FINAL_REPORT_RECORDED: the cycle's approved final report reported in DOC 4.0 by D (its DOC
  date).

The achieved level is the highest level whose criteria, and those of every level below, are met
(0 when level 1 is not). ``evaluate_cycles`` reads a fixed number of SQL statements whatever the
number of cycles, so lists and the managers' dashboard call it once.
"""

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field, StringConstraints
from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from models.contest import Entry as ContestEntry
from models.contest import EntryStatus
from models.cycle import Cycle, CycleStep, DocumentSlot, StepStatus
from models.document import Document
from models.kpi import FINAL_APPROVED, FinalReport, KpiDefinition, ProgressReport, ReportRound
from models.kpi import ReportStatus as ProgressStatus
from models.plan import PlanAction, PlanEvent, PlanKind
from models.sop import SopTemplate
from models.survey import Survey, SurveyKind
from models.user import Role
from models.work import Work
from services import audit
from services.actor import Actor
from services.errors import DomainError, ErrorCode, Problem, check_version, validated
from services.fiscal import BE_YEARS, FiscalYear
from services.permissions import require_authenticated, require_role
from services.settings import get_settings
from services.sop import ensure_default_template, parse_steps

LEVELS = (1, 2, 3, 4, 5)
MAX_CRITERIA = 50


class CriterionKind(StrEnum):
    STEPS_DONE = "STEPS_DONE"
    DOCUMENTS_ATTACHED = "DOCUMENTS_ATTACHED"
    PLANS_APPROVED = "PLANS_APPROVED"
    SURVEYS_CLOSED = "SURVEYS_CLOSED"
    WORKS_REGISTERED = "WORKS_REGISTERED"
    WORKS_PUBLISHED = "WORKS_PUBLISHED"
    ENTRIES_SUBMITTED = "ENTRIES_SUBMITTED"
    PROGRESS_REPORTED = "PROGRESS_REPORTED"
    FINAL_REPORT_APPROVED = "FINAL_REPORT_APPROVED"
    FINAL_REPORT_RECORDED = "FINAL_REPORT_RECORDED"


STEP_KINDS = {CriterionKind.STEPS_DONE, CriterionKind.DOCUMENTS_ATTACHED}
COUNT_KINDS = {
    CriterionKind.WORKS_REGISTERED,
    CriterionKind.WORKS_PUBLISHED,
    CriterionKind.ENTRIES_SUBMITTED,
}
TARGET_ROUNDS = (ReportRound.M5, ReportRound.M10, ReportRound.M12)
Label = Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)]


class Criterion(BaseModel):
    """One criterion of a level, as stored (snake_case) and as given (camelCase)."""

    model_config = ConfigDict(frozen=True, populate_by_name=True, extra="forbid")
    kind: CriterionKind
    steps: tuple[int, ...] = ()
    count_skipped: bool = Field(default=True, alias="countSkipped")
    plan_kinds: tuple[PlanKind, ...] = Field(default=(), alias="planKinds")
    survey_kinds: tuple[SurveyKind, ...] = Field(default=(), alias="surveyKinds")
    min_count: int = Field(default=1, alias="minCount", ge=1, le=10_000)
    round: ReportRound | None = None
    description_th: Label | None = Field(default=None, alias="descriptionTh")
    description_en: Label | None = Field(default=None, alias="descriptionEn")


class Level(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    level: int = Field(ge=1, le=5)
    criteria: tuple[Criterion, ...] = Field(min_length=1, max_length=MAX_CRITERIA)


class Definition(BaseModel):
    """A fiscal year's levels (exactly 1–5, each with a criterion) and round targets."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    levels: tuple[Level, ...]
    targets: dict[ReportRound, int]

    def level(self, no: int) -> Level:
        return next(level for level in self.levels if level.level == no)

    def target(self, round_: ReportRound) -> int | None:
        return self.targets.get(round_)


def _steps(*nos: int) -> Criterion:
    return Criterion(kind=CriterionKind.STEPS_DONE, steps=nos)


DEFAULT = Definition(
    levels=(
        Level(level=1, criteria=(_steps(1, 2),)),
        Level(level=2, criteria=(_steps(3, 4, 5, 6, 7, 8),)),
        Level(level=3, criteria=(_steps(9, 10, 11, 12),)),
        Level(level=4, criteria=(_steps(13, 14),)),
        Level(
            level=5,
            criteria=(_steps(15, 16), Criterion(kind=CriterionKind.FINAL_REPORT_RECORDED)),
        ),
    ),
    targets={ReportRound.M5: 2, ReportRound.M10: 4, ReportRound.M12: 5},
)


# -- rounds -----------------------------------------------------------------------------------


def round_period(
    fiscal_year: int, round_: ReportRound, month: int | None = None
) -> tuple[date, date]:
    """The period a round's report covers: M5, M10 and M12 from 1 October; MONTHLY one month."""
    year = FiscalYear(fiscal_year)
    if round_ == ReportRound.MONTHLY:
        if month is None or not 1 <= month <= 12:
            raise DomainError.of(ErrorCode.INVALID_INPUT, "report_month_required", field=("month",))
        return year.month_start(month), year.month_end(month)
    last_month = {ReportRound.M5: 2, ReportRound.M10: 7, ReportRound.M12: 9}[round_]
    return year.start, year.month_end(last_month)


def round_of(fiscal_year: int, on: date) -> ReportRound:
    """The target round a date falls in (M12 from August on, and after the year)."""
    for round_ in TARGET_ROUNDS:
        if on <= round_period(fiscal_year, round_)[1]:
            return round_
    return ReportRound.M12


# -- evaluation -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Text:
    th: str
    en: str


@dataclass(frozen=True)
class EvidenceLink:
    """An object behind a criterion: its GraphQL type name, id and a label."""

    type_name: str
    id: int
    label: str


@dataclass(frozen=True)
class CriterionResult:
    criterion: Criterion
    met: bool
    description: Text
    evidence: list[EvidenceLink] = field(default_factory=list)
    missing: list[Text] = field(default_factory=list)


@dataclass(frozen=True)
class LevelResult:
    level: int
    met: bool  # this level's own criteria
    reached: bool  # this level and every level below
    criteria: list[CriterionResult]


@dataclass(frozen=True)
class KpiEvaluation:
    cycle_id: int
    fiscal_year: int
    on: date
    level: int
    round: ReportRound
    target: int | None
    levels: list[LevelResult]
    is_default_definition: bool
    targets: dict[ReportRound, int] = field(default_factory=dict)

    @property
    def target_met(self) -> bool:
        return self.target is None or self.level >= self.target

    @property
    def next_level(self) -> LevelResult | None:
        return next((lv for lv in self.levels if lv.level == self.level + 1), None)

    @property
    def missing_for_next(self) -> list[Text]:
        following = self.next_level
        if following is None:
            return []
        return [m for c in following.criteria for m in c.missing]


@dataclass
class _Facts:
    """Everything the criteria of a batch of cycles read, loaded in a fixed number of queries."""

    steps: dict[int, dict[int, dict[str, Any]]] = field(default_factory=lambda: defaultdict(dict))
    slots: dict[int, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    documents: dict[int, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    approvals: dict[int, dict[str, dict[str, Any]]] = field(
        default_factory=lambda: defaultdict(dict)
    )
    surveys: dict[int, dict[str, dict[str, Any]]] = field(default_factory=lambda: defaultdict(dict))
    works: dict[tuple[int, int], list[dict[str, Any]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    entries: dict[tuple[int, int], list[dict[str, Any]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    reports: dict[int, dict[str, dict[str, Any]]] = field(default_factory=lambda: defaultdict(dict))
    finals: dict[int, dict[str, Any]] = field(default_factory=dict)


def end_of_day(on: date) -> datetime:
    """The first instant after ``on`` in the units' time zone, in UTC: 'by D' is before it."""
    zone = ZoneInfo(get_settings().timezone)
    if on >= date.max - timedelta(days=1):  # a day past any data: not an overflow
        return datetime.max.replace(tzinfo=UTC)
    return datetime.combine(on + timedelta(days=1), time(0), tzinfo=zone).astimezone(UTC)


async def evaluate_cycles(cycle_ids: list[int], on: date) -> dict[int, KpiEvaluation]:
    """The KPI evaluation of each cycle as of ``on``, in at most 11 SQL statements whatever the
    number of cycles (unknown ids are left out)."""
    ids = sorted(set(cycle_ids))
    if not ids:
        return {}
    cycles = await Cycle.filter(id__in=ids).values("id", "unit_id", "fiscal_year")
    if not cycles:
        return {}
    years = sorted({c["fiscal_year"] for c in cycles})
    units = sorted({c["unit_id"] for c in cycles})
    saved = {d.fiscal_year: d for d in await KpiDefinition.filter(fiscal_year__in=years)}
    definitions = {year: _definition_of(saved.get(year)) for year in years}
    facts = await _load_facts(ids, units, years, on)
    return {
        c["id"]: _evaluate(
            c, definitions[c["fiscal_year"]], c["fiscal_year"] not in saved, facts, on
        )
        for c in cycles
    }


async def evaluate_cycle(
    cycle_id: int, on: date, round_: ReportRound | None = None
) -> KpiEvaluation:
    """One cycle's evaluation; with ``round_`` the target is that round's (MONTHLY: the target
    round the date falls in)."""
    evaluation = (await evaluate_cycles([cycle_id], on))[cycle_id]
    return for_round(evaluation, round_)


def for_round(evaluation: KpiEvaluation, round_: ReportRound | None) -> KpiEvaluation:
    """The evaluation against another round's target (None, MONTHLY: the date's round)."""
    if round_ is None or round_ == ReportRound.MONTHLY:
        return evaluation
    return replace(evaluation, round=round_, target=evaluation.targets.get(round_))


async def _load_facts(ids: list[int], units: list[int], years: list[int], on: date) -> _Facts:
    cutoff = end_of_day(on)
    facts = _Facts()
    for row in await CycleStep.filter(cycle_id__in=ids).values(
        "id", "cycle_id", "no", "title_th", "status", "actual_end", "status_reason"
    ):
        facts.steps[row["cycle_id"]][row["no"]] = row
    for row in await DocumentSlot.filter(step__cycle_id__in=ids, required=True).values(
        "id", "step_id", "name_th", "name_en"
    ):
        facts.slots[row["step_id"]].append(row)
    for row in await Document.filter(
        Q(deleted_at__isnull=True) | Q(deleted_at__gte=cutoff),
        slot__step__cycle_id__in=ids,
        uploaded_at__lt=cutoff,
    ).values("id", "slot_id", "filename"):
        facts.documents[row["slot_id"]].append(row)
    for row in (
        await PlanEvent.filter(plan__cycle_id__in=ids, action=PlanAction.APPROVE, on__lte=on)
        .order_by("on", "id")
        .values("plan_id", "plan__cycle_id", "plan__kind", "plan__title_th")
    ):
        facts.approvals[row["plan__cycle_id"]].setdefault(str(row["plan__kind"]), row)
    for row in (
        await Survey.filter(cycle_id__in=ids, closed_at__lt=cutoff)
        .order_by("closed_at", "id")
        .values("id", "cycle_id", "kind", "title_th")
    ):
        facts.surveys[row["cycle_id"]].setdefault(str(row["kind"]), row)
    for row in (
        await Work.filter(unit_id__in=units, fiscal_year__in=years)
        .filter(Q(registered_at__lt=cutoff) | Q(published_at__lt=cutoff))
        .order_by("id")
        .values("id", "unit_id", "fiscal_year", "title_th", "registered_at", "published_at")
    ):
        facts.works[(row["unit_id"], row["fiscal_year"])].append(row)
    for row in (
        await ContestEntry.filter(
            unit_id__in=units,
            contest__fiscal_year__in=years,
            submitted_at__lt=cutoff,
        )
        .exclude(status__in=[EntryStatus.DRAFT, EntryStatus.WITHDRAWN])
        .order_by("id")
        .values("id", "unit_id", "contest__fiscal_year", "work__title_th")
    ):
        facts.entries[(row["unit_id"], row["contest__fiscal_year"])].append(row)
    for row in (
        await ProgressReport.filter(
            cycle_id__in=ids,
            status__in=[ProgressStatus.SUBMITTED, ProgressStatus.REPORTED],
            submitted_on__lte=on,
        )
        .order_by("submitted_on", "id")
        .values("id", "cycle_id", "round", "period_start")
    ):
        facts.reports[row["cycle_id"]].setdefault(str(row["round"]), row)
    for row in await FinalReport.filter(
        cycle_id__in=ids, status__in=FINAL_APPROVED, approved_on__lte=on
    ).values("id", "cycle_id", "doc_reference", "doc_date"):
        facts.finals[row["cycle_id"]] = row
    return facts


def _evaluate(
    cycle: dict[str, Any], definition: Definition, is_default: bool, facts: _Facts, on: date
) -> KpiEvaluation:
    levels: list[LevelResult] = []
    reached_so_far = True
    achieved = 0
    for level in sorted(definition.levels, key=lambda lv: lv.level):
        results = [_criterion(c, cycle, facts, on) for c in level.criteria]
        met = all(r.met for r in results)
        reached_so_far = reached_so_far and met
        if reached_so_far:
            achieved = level.level
        levels.append(LevelResult(level.level, met, reached_so_far, results))
    round_ = round_of(cycle["fiscal_year"], on)
    return KpiEvaluation(
        cycle_id=cycle["id"],
        fiscal_year=cycle["fiscal_year"],
        on=on,
        level=achieved,
        round=round_,
        target=definition.target(round_),
        levels=levels,
        is_default_definition=is_default,
        targets=dict(definition.targets),
    )


def _criterion(
    criterion: Criterion, cycle: dict[str, Any], facts: _Facts, on: date
) -> CriterionResult:
    kind = criterion.kind
    cycle_id = cycle["id"]
    evidence: list[EvidenceLink] = []
    missing: list[Text] = []
    if kind == CriterionKind.STEPS_DONE:
        finished = {StepStatus.DONE.value} | (
            {StepStatus.SKIPPED.value} if criterion.count_skipped else set()
        )
        steps = facts.steps[cycle_id]
        for no in criterion.steps:
            step = steps.get(no)
            if step and _finished_by(step, finished, on):
                evidence.append(EvidenceLink("CycleStep", step["id"], _step_label(step)))
            else:
                missing.append(Text(f"ขั้นตอนที่ {no} ยังไม่เสร็จ", f"Step {no} is not done"))
    elif kind == CriterionKind.DOCUMENTS_ATTACHED:
        steps = facts.steps[cycle_id]
        for no in criterion.steps:
            step = steps.get(no)
            if step is None:
                missing.append(Text(f"ไม่มีขั้นตอนที่ {no}", f"There is no step {no}"))
                continue
            for slot in facts.slots.get(step["id"], []):
                files = facts.documents.get(slot["id"], [])
                if files:
                    evidence += [EvidenceLink("Document", d["id"], d["filename"]) for d in files]
                else:
                    missing.append(
                        Text(
                            f"ขั้นตอนที่ {no}: ยังไม่มีไฟล์ {slot['name_th']}",
                            f"Step {no}: no file for {slot['name_en'] or slot['name_th']}",
                        )
                    )
    elif kind == CriterionKind.PLANS_APPROVED:
        approved = facts.approvals[cycle_id]
        for plan_kind in criterion.plan_kinds or tuple(PlanKind):
            row = approved.get(plan_kind.value)
            if row:
                evidence.append(EvidenceLink("Plan", row["plan_id"], row["plan__title_th"]))
            else:
                missing.append(
                    Text(f"แผน {plan_kind.value} ยังไม่ได้รับอนุมัติ", f"No approved {plan_kind.value}")
                )
    elif kind == CriterionKind.SURVEYS_CLOSED:
        closed = facts.surveys[cycle_id]
        for survey_kind in criterion.survey_kinds or tuple(SurveyKind):
            row = closed.get(survey_kind.value)
            if row:
                evidence.append(EvidenceLink("Survey", row["id"], row["title_th"]))
            else:
                missing.append(
                    Text(
                        f"แบบสำรวจ {survey_kind.value} ยังไม่ปิด",
                        f"No closed {survey_kind.value} survey",
                    )
                )
    elif kind in (CriterionKind.WORKS_REGISTERED, CriterionKind.WORKS_PUBLISHED):
        stamp = "registered_at" if kind == CriterionKind.WORKS_REGISTERED else "published_at"
        cutoff = end_of_day(on)
        rows = [
            w
            for w in facts.works[(cycle["unit_id"], cycle["fiscal_year"])]
            if w[stamp] is not None and w[stamp] < cutoff
        ]
        evidence = [EvidenceLink("Work", w["id"], w["title_th"]) for w in rows]
        if len(rows) < criterion.min_count:
            word = (
                ("ขึ้นทะเบียน", "registered") if stamp == "registered_at" else ("เผยแพร่", "published")
            )
            short = criterion.min_count - len(rows)
            missing.append(Text(f"ผลงานที่{word[0]}อีก {short} ชิ้น", f"{short} more {word[1]} work(s)"))
    elif kind == CriterionKind.ENTRIES_SUBMITTED:
        rows = facts.entries[(cycle["unit_id"], cycle["fiscal_year"])]
        evidence = [EvidenceLink("Entry", e["id"], e["work__title_th"]) for e in rows]
        if len(rows) < criterion.min_count:
            short = criterion.min_count - len(rows)
            missing.append(
                Text(
                    f"ผลงานที่ส่งประกวด LIKE Talk Award อีก {short} ชิ้น",
                    f"{short} more LIKE Talk Award entr(y/ies)",
                )
            )
    elif kind == CriterionKind.PROGRESS_REPORTED:
        assert criterion.round is not None
        row = facts.reports[cycle_id].get(criterion.round.value)
        if row:
            evidence.append(EvidenceLink("ProgressReport", row["id"], criterion.round.value))
        else:
            missing.append(
                Text(
                    f"ยังไม่ได้เสนอรายงานความก้าวหน้ารอบ {criterion.round.value}",
                    f"The {criterion.round.value} progress report is not submitted",
                )
            )
    elif kind == CriterionKind.FINAL_REPORT_APPROVED:
        row = facts.finals.get(cycle_id)
        if row:
            evidence.append(EvidenceLink("FinalReport", row["id"], "final report"))
        else:
            missing.append(
                Text("รายงานผลการดำเนินงานยังไม่ได้รับอนุมัติ", "The final report is not approved")
            )
    elif kind == CriterionKind.FINAL_REPORT_RECORDED:
        row = facts.finals.get(cycle_id)
        if row and row["doc_date"] is not None and row["doc_date"] <= on:
            label = f"DOC 4.0 {row['doc_reference']}"
            evidence.append(EvidenceLink("FinalReport", row["id"], label))
        else:
            missing.append(
                Text(
                    "ยังไม่ได้รายงานผลการดำเนินงานในระบบ DOC 4.0",
                    "The final report is not reported in DOC 4.0",
                )
            )
    return CriterionResult(criterion, not missing, describe(criterion), evidence, missing)


def _finished_by(step: dict[str, Any], finished: set[str], on: date) -> bool:
    status = str(step["status"])
    end = step["actual_end"]
    return status in finished and (end is None or end <= on)


def _step_label(step: dict[str, Any]) -> str:
    return f"{step['no']}. {step['title_th']}"


def describe(criterion: Criterion) -> Text:
    """What the criterion asks, in Thai and English (its own description when it has one)."""
    th, en = _describe(criterion)
    return Text(criterion.description_th or th, criterion.description_en or en)


def _describe(c: Criterion) -> tuple[str, str]:
    steps = ", ".join(str(n) for n in c.steps)
    match c.kind:
        case CriterionKind.STEPS_DONE:
            return f"ขั้นตอนที่ {steps} ดำเนินการแล้วเสร็จ", f"Steps {steps} done"
        case CriterionKind.DOCUMENTS_ATTACHED:
            return (
                f"เอกสารที่จำเป็นของขั้นตอนที่ {steps} ครบถ้วน",
                f"Required documents of steps {steps} attached",
            )
        case CriterionKind.PLANS_APPROVED:
            kinds = ", ".join(k.value for k in c.plan_kinds or tuple(PlanKind))
            return f"แผนได้รับอนุมัติ ({kinds})", f"Plans approved ({kinds})"
        case CriterionKind.SURVEYS_CLOSED:
            kinds = ", ".join(k.value for k in c.survey_kinds or tuple(SurveyKind))
            return f"ปิดแบบสำรวจแล้ว ({kinds})", f"Surveys closed ({kinds})"
        case CriterionKind.WORKS_REGISTERED:
            return (
                f"ขึ้นทะเบียนผลงานอย่างน้อย {c.min_count} ชิ้น",
                f"At least {c.min_count} work(s) registered",
            )
        case CriterionKind.WORKS_PUBLISHED:
            return (
                f"เผยแพร่ผลงานอย่างน้อย {c.min_count} ชิ้น",
                f"At least {c.min_count} work(s) published",
            )
        case CriterionKind.ENTRIES_SUBMITTED:
            return (
                f"ส่งผลงานประกวด LIKE Talk Award อย่างน้อย {c.min_count} ชิ้น",
                f"At least {c.min_count} LIKE Talk Award entr(y/ies) submitted",
            )
        case CriterionKind.PROGRESS_REPORTED:
            r = c.round.value if c.round else "?"
            return f"เสนอรายงานความก้าวหน้ารอบ {r} แล้ว", f"The {r} progress report submitted"
        case CriterionKind.FINAL_REPORT_RECORDED:
            return (
                "รายงานผลการดำเนินงาน (ขั้นตอนที่ 16) ในระบบ DOC 4.0 แล้ว",
                "Final report reported in DOC 4.0",
            )
        case _:
            return "รายงานผลการดำเนินงาน (ขั้นตอนที่ 16) ได้รับอนุมัติ", "Final report approved"


# -- definitions ------------------------------------------------------------------------------


def _definition_of(row: KpiDefinition | None) -> Definition:
    if row is None:
        return DEFAULT
    return Definition.model_validate({"levels": row.levels, "targets": row.targets})


async def definition_for(fiscal_year: int) -> Definition:
    return _definition_of(await KpiDefinition.get_or_none(fiscal_year=fiscal_year))


async def get_definition(
    *, actor: Actor, fiscal_year: int
) -> tuple[Definition, KpiDefinition | None]:
    """The definition in force for a fiscal year and its saved row (None: the default)."""
    require_authenticated(actor)
    _check_year(fiscal_year)
    row = await KpiDefinition.get_or_none(fiscal_year=fiscal_year)
    return _definition_of(row), row


async def update_definition(
    *,
    actor: Actor,
    fiscal_year: int,
    levels: list[dict[str, Any]],
    targets: dict[str, int],
    version: int | None = None,
) -> KpiDefinition:
    """Save a fiscal year's definition (administrators). ``version`` is the saved row's, or
    None/0 when none is saved yet."""
    require_role(actor)
    _check_year(fiscal_year)
    definition = validated(Definition, {"levels": levels, "targets": targets})
    _check_shape(definition)
    await _check_steps(definition)
    stored = {
        "levels": [lv.model_dump(mode="json", exclude_defaults=True) for lv in definition.levels],
        "targets": {r.value: t for r, t in definition.targets.items()},
    }
    async with in_transaction() as connection:
        row = (
            await KpiDefinition.filter(fiscal_year=fiscal_year)
            .select_for_update()
            .using_db(connection)
            .first()
        )
        before = None
        if row is None:
            if version:
                check_version(0, version)
            row = await KpiDefinition.create(
                fiscal_year=fiscal_year, updated_by_id=actor.user_id, **stored, using_db=connection
            )
        else:
            check_version(row.version, version)
            before = {"levels": row.levels, "targets": row.targets, "version": row.version}
            row.levels, row.targets = stored["levels"], stored["targets"]
            row.version += 1
            row.updated_by_id = actor.user_id
            await row.save(using_db=connection)
        await audit.record(
            actor=actor,
            action="kpi_definition.update",
            object_type="KpiDefinition",
            object_id=row.id,
            before=before,
            after={**stored, "fiscalYear": fiscal_year, "version": row.version},
            connection=connection,
        )
    return row


def may_update(actor: Actor) -> bool:
    """Administrators (and the system) edit definitions."""
    return actor.is_system or Role.ADMIN in actor.roles


def _check_year(fiscal_year: int) -> None:
    if fiscal_year not in BE_YEARS:
        raise DomainError.of(ErrorCode.INVALID_INPUT, "fiscal_year_range", field=("fiscalYear",))


def _check_shape(definition: Definition) -> None:
    problems: list[Problem] = []
    for li, level in enumerate(definition.levels):
        for ci, c in enumerate(level.criteria):
            path = ("levels", str(li), "criteria", str(ci))
            if c.kind in STEP_KINDS and not c.steps:
                problems.append(
                    Problem(ErrorCode.INVALID_INPUT, "kpi_steps_required", (*path, "steps"))
                )
            if c.kind == CriterionKind.PROGRESS_REPORTED and c.round is None:
                problems.append(
                    Problem(ErrorCode.INVALID_INPUT, "kpi_round_required", (*path, "round"))
                )
    nos = [lv.level for lv in definition.levels]
    if sorted(nos) != list(LEVELS):
        problems.append(Problem(ErrorCode.INVALID_INPUT, "kpi_levels_incomplete", ("levels",)))
    for round_, target in definition.targets.items():
        if round_ not in TARGET_ROUNDS or not 0 <= target <= 5:
            problems.append(
                Problem(ErrorCode.INVALID_INPUT, "kpi_target_invalid", ("targets", round_.value))
            )
    if problems:
        raise DomainError(*problems)


async def _check_steps(definition: Definition) -> None:
    """Every step a criterion names must exist in the indicator's templates."""
    await ensure_default_template()
    known: set[int] = set()
    for raw in await SopTemplate.filter(indicator_code="2.4").values_list("steps", flat=True):
        known |= {s.no for s in parse_steps(raw)}
    problems = [
        Problem(
            ErrorCode.INVALID_INPUT,
            "kpi_unknown_step",
            ("levels", str(li), "criteria", str(ci), "steps"),
            {"no": no},
        )
        for li, level in enumerate(definition.levels)
        for ci, criterion in enumerate(level.criteria)
        for no in criterion.steps
        if no not in known
    ]
    if problems:
        raise DomainError(*problems)
