"""DOC 4.0 progress reports of a cycle (SOP step 11) and its final report with the lessons learned
(SOP step 16).

Progress report transitions — state, action, next state, who:

| from      | action     | to        | who                                               |
|-----------|------------|-----------|---------------------------------------------------|
| DRAFT     | EDIT       | DRAFT     | committee member (refreshes the figures)          |
| DRAFT     | SUBMIT     | SUBMITTED | whoever step 11 names (freezes the figures) (**)  |
| SUBMITTED | RECORD_DOC | REPORTED  | whoever step 11 names, with the DOC 4.0 number, date |

Final report transitions:

| from      | action     | to        | who                                                  |
|-----------|------------|-----------|------------------------------------------------------|
| DRAFT     | EDIT       | DRAFT     | committee member                                     |
| DRAFT     | APPROVE    | APPROVED  | unit approver (the unit head), not its author (*)    |
| APPROVED  | RECORD_DOC | REPORTED  | whoever step 16 names, with the DOC 4.0 number, date |

(*) CONFLICT_OF_INTEREST, as for plans.
(**) "whoever the step names": the people the cycle's step resolved to, and the chair and the
secretary always (``services.cycles.CycleStanding``). Step 11 names the chair; step 16 the
chair, the secretary and the assistant secretary, the last of its tasks being "รายงานข้อมูลใน
ระบบ DOC 4.0" (the KPI's FINAL_REPORT_RECORDED criterion).

A report is made for a round that has ended (M5: 1 October – end of February, M10: to 31 July,
M12: to 30 September, MONTHLY: one month), pre-filled from the data as of the period's end: the
KPI level achieved and the round's target, the budget planned (Σ activity budgets of the plans in
force: the latest revision of each kind approved by then), the activities' progress (the latest
progress report of each by then), the works registered or published and the publications made
within the period, and the evidence files uploaded within it. While DRAFT every edit refreshes
those figures; submission freezes them. The budget spent is the unit's own figure (LO Hub keeps
no accounts), entered on the report while DRAFT.

Submitting the M5 report completes step 11 (report progress); approving the final report
completes step 16; a REPORTED final report is still an approved one. Each transition locks the
row, checks permission, state and version, and writes the row and its audit event in one
transaction.
"""

import dataclasses
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any, cast

from pydantic import BaseModel, ConfigDict, Field, StringConstraints
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.exceptions import IntegrityError
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from models.cycle import Cycle
from models.kpi import (
    FINAL_APPROVED,
    FinalReport,
    FinalReportStatus,
    ProgressReport,
    ReportRound,
    ReportStatus,
)
from services import audit, clock, kpi, notices, report_figures
from services.actor import SYSTEM, Actor
from services.cycles import CycleStanding, complete_step_done_here
from services.errors import (
    DomainError,
    ErrorCode,
    Forbidden,
    ForbiddenReason,
    check_version,
    invalid_transition,
    not_found,
    validated,
)
from services.permissions import readable_by_anyone_signed_in

PROGRESS_STEP, FINAL_STEP = 11, 16
LONG_TEXT = 10_000
MAX_LESSONS = 100
LongText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=LONG_TEXT)]
DocReference = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)
]


class ReportAction(StrEnum):
    CREATE = "CREATE"
    EDIT = "EDIT"
    SUBMIT = "SUBMIT"
    RECORD_DOC = "RECORD_DOC"
    APPROVE = "APPROVE"


PROGRESS_TRANSITIONS: dict[tuple[ReportStatus, ReportAction], ReportStatus] = {
    (ReportStatus.DRAFT, ReportAction.EDIT): ReportStatus.DRAFT,
    (ReportStatus.DRAFT, ReportAction.SUBMIT): ReportStatus.SUBMITTED,
    (ReportStatus.SUBMITTED, ReportAction.RECORD_DOC): ReportStatus.REPORTED,
}
FINAL_TRANSITIONS: dict[tuple[FinalReportStatus, ReportAction], FinalReportStatus] = {
    (FinalReportStatus.DRAFT, ReportAction.EDIT): FinalReportStatus.DRAFT,
    (FinalReportStatus.DRAFT, ReportAction.APPROVE): FinalReportStatus.APPROVED,
    (FinalReportStatus.APPROVED, ReportAction.RECORD_DOC): FinalReportStatus.REPORTED,
}


class LessonKind(StrEnum):
    WORKED = "WORKED"  # สิ่งที่ทำได้ดี
    DID_NOT_WORK = "DID_NOT_WORK"  # สิ่งที่ยังไม่ได้ผล
    CHANGE = "CHANGE"  # สิ่งที่ควรปรับในปีถัดไป


class Lesson(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    kind: LessonKind
    text: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]


class ProgressText(BaseModel):
    """The unit's own parts of a progress report."""

    model_config = ConfigDict(frozen=True)
    narrative: LongText = ""
    problems: LongText = ""
    suggestions: LongText = ""
    budget_spent: Decimal | None = Field(default=None, ge=0, max_digits=14, decimal_places=2)


class FinalText(BaseModel):
    model_config = ConfigDict(frozen=True)
    results: LongText = ""
    evaluation: LongText = ""
    lessons: tuple[Lesson, ...] = Field(default=(), max_length=MAX_LESSONS)


@dataclasses.dataclass(frozen=True)
class ReportStanding(CycleStanding):
    def may(self, action: ReportAction, step: int) -> bool:
        """``step``: the step whose work the report is (PROGRESS_STEP or FINAL_STEP)."""
        if action in (ReportAction.CREATE, ReportAction.EDIT):
            return self.unit.is_member
        if action == ReportAction.APPROVE:
            return self.unit.is_approver
        return self.does_step(step)

    def refusal(self, action: ReportAction) -> Forbidden:
        """Why ``may(action, step)`` said no."""
        if action in (ReportAction.CREATE, ReportAction.EDIT):
            return self.unit.refusal(ForbiddenReason.COMMITTEE_MEMBER_REQUIRED)
        if action == ReportAction.APPROVE:
            return self.unit.refusal(ForbiddenReason.APPROVER_REQUIRED)
        return self.unit.refusal(ForbiddenReason.RESPONSIBLE_REQUIRED)


def progress_allowed(report: ProgressReport) -> list[ReportAction]:
    return [a for (s, a) in PROGRESS_TRANSITIONS if s == report.status]


def final_allowed(report: FinalReport) -> list[ReportAction]:
    return [a for (s, a) in FINAL_TRANSITIONS if s == report.status]


def viewer_can_progress(
    report: ProgressReport, standing: ReportStanding, action: ReportAction
) -> bool:
    return standing.may(action, PROGRESS_STEP) and action in progress_allowed(report)


def viewer_can_final(report: FinalReport, standing: ReportStanding, action: ReportAction) -> bool:
    if not standing.may(action, FINAL_STEP) or action not in final_allowed(report):
        return False
    return not (action == ReportAction.APPROVE and standing.user_id == report.created_by_id)


# -- read rules and lists --------------------------------------------------------------------------


def visible_progress_reports(actor: Actor) -> QuerySet[ProgressReport]:
    """Progress reports for DOC 4.0: anyone signed in."""
    return readable_by_anyone_signed_in(actor, ProgressReport.all())


notices.readable(ProgressReport, visible_progress_reports)


def visible_final_reports(actor: Actor) -> QuerySet[FinalReport]:
    """Final reports and their lessons: anyone signed in (lessons are for the next
    year's units too)."""
    return readable_by_anyone_signed_in(actor, FinalReport.all())


def list_progress_reports(
    *,
    actor: Actor,
    cycle_id: int | None = None,
    unit_id: int | None = None,
    fiscal_year: int | None = None,
    round_: ReportRound | None = None,
    status: ReportStatus | None = None,
    ordering: list[str],
) -> QuerySet[ProgressReport]:
    conditions = {
        "cycle_id": cycle_id,
        "cycle__unit_id": unit_id,
        "cycle__fiscal_year": fiscal_year,
        "round": round_,
        "status": status,
    }
    return (
        visible_progress_reports(actor)
        .filter(**{k: v for k, v in conditions.items() if v is not None})
        .order_by(*ordering)
    )


def list_final_reports(
    *,
    actor: Actor,
    unit_id: int | None = None,
    fiscal_year: int | None = None,
    status: FinalReportStatus | None = None,
    ordering: list[str],
) -> QuerySet[FinalReport]:
    conditions = {"cycle__unit_id": unit_id, "cycle__fiscal_year": fiscal_year, "status": status}
    return (
        visible_final_reports(actor)
        .filter(**{k: v for k, v in conditions.items() if v is not None})
        .order_by(*ordering)
    )


# -- progress reports -------------------------------------------------------------------------


async def create_progress_report(
    *,
    actor: Actor,
    cycle_id: int,
    round_: ReportRound,
    month: int | None = None,
    text: ProgressText | None = None,
) -> ProgressReport:
    cycle = await _cycle(cycle_id)
    standing = await ReportStanding.of(actor, cycle.id)
    if not standing.may(ReportAction.CREATE, PROGRESS_STEP):
        raise standing.refusal(ReportAction.CREATE)
    start, end = kpi.round_period(cycle.fiscal_year, round_, month)
    if clock.today() <= end:
        raise DomainError.of(
            ErrorCode.INVALID_INPUT,
            "report_round_not_ended",
            field=("round",),
            round=round_.value,
            end=end.isoformat(),
        )
    if await ProgressReport.exists(cycle_id=cycle.id, round=round_, period_start=start):
        raise DomainError.of(ErrorCode.DUPLICATE, "report_exists", field=("round",))
    text = text or ProgressText()
    figures = await report_figures.figures(cycle, round_, start, end)
    try:
        async with in_transaction() as connection:
            report = ProgressReport(
                cycle_id=cycle.id,
                round=round_,
                period_start=start,
                period_end=end,
                created_by_id=actor.user_id,
                **text.model_dump(),
            )
            report_figures.apply_figures(report, figures)
            await report.save(using_db=connection)
            await _audit_progress(actor, report, ReportAction.CREATE, None, connection)
    except IntegrityError:
        raise DomainError.of(ErrorCode.DUPLICATE, "report_exists", field=("round",)) from None
    return report


async def update_progress_report(
    *, actor: Actor, report_id: int, version: int, changes: dict[str, Any]
) -> ProgressReport:
    """Change the unit's fields of a DRAFT report (omitted ones stay) and refresh its figures."""
    figures = await report_figures.figures_of(report_id)
    async with in_transaction() as connection:
        report, _ = await _progress_for(actor, report_id, ReportAction.EDIT, connection)
        check_version(report.version, version)
        before = _progress_text(report)
        data = validated(ProgressText, {**before, **changes})
        for name, value in data.model_dump().items():
            setattr(report, name, value)
        report_figures.apply_figures(report, figures)
        report.version += 1
        await report.save(using_db=connection)
        await _audit_progress(actor, report, ReportAction.EDIT, before, connection)
    return report


async def submit_progress_report(
    *, actor: Actor, report_id: int, version: int, on: date | None = None
) -> ProgressReport:
    figures = await report_figures.figures_of(report_id)
    async with in_transaction() as connection:
        report, cycle = await _progress_for(actor, report_id, ReportAction.SUBMIT, connection)
        check_version(report.version, version)
        report_figures.apply_figures(report, figures)
        report.status = PROGRESS_TRANSITIONS[(report.status, ReportAction.SUBMIT)]
        report.submitted_by_id = actor.user_id
        report.submitted_on = on or clock.today()
        report.version += 1
        await report.save(using_db=connection)
        await _audit_progress(actor, report, ReportAction.SUBMIT, {"status": "DRAFT"}, connection)
        await notices.tell(connection, notices.NoticeEvent.REPORT_SUBMITTED, report, actor=actor)
        if report.round == ReportRound.M5:
            await complete_step_done_here(
                actor=dataclasses.replace(SYSTEM, request_id=actor.request_id),
                cycle_id=cycle.id,
                step_no=PROGRESS_STEP,
                reason_key="progress_reported_reason",
                connection=connection,
                on=report.submitted_on,
            )
    return report


async def record_doc(
    *, actor: Actor, report_id: int, version: int, reference: str, reported_on: date
) -> ProgressReport:
    """Record that the submitted report was entered in DOC 4.0, with its number and date."""
    reference = validated(_Doc, {"reference": reference}).reference
    async with in_transaction() as connection:
        report, _ = await _progress_for(actor, report_id, ReportAction.RECORD_DOC, connection)
        check_version(report.version, version)
        _check_doc_date(reported_on, report.submitted_on, "doc_date_before_submission")
        report.status = PROGRESS_TRANSITIONS[(report.status, ReportAction.RECORD_DOC)]
        report.doc_reference = reference
        report.doc_date = reported_on
        report.version += 1
        await report.save(using_db=connection)
        await _audit_progress(
            actor, report, ReportAction.RECORD_DOC, {"status": "SUBMITTED"}, connection
        )
        await notices.tell(connection, notices.NoticeEvent.REPORT_RECORDED, report, actor=actor)
    return report


class _Doc(BaseModel):
    reference: DocReference


def _check_doc_date(reported_on: date, since: date | None, too_early: str) -> None:
    """A DOC 4.0 date is not before the report was ready (``since``) nor in the future."""
    if since and reported_on < since:
        raise DomainError.of(ErrorCode.INVALID_INPUT, too_early, field=("date",))
    if reported_on > clock.today():
        raise DomainError.of(ErrorCode.INVALID_INPUT, "date_in_future", field=("date",))


async def _progress_for(
    actor: Actor, report_id: int, action: ReportAction, connection: BaseDBAsyncClient
) -> tuple[ProgressReport, Cycle]:
    report = (
        await ProgressReport.filter(id=report_id).select_for_update().using_db(connection).first()
    )
    if report is None:
        raise not_found("id", "รายงานความก้าวหน้า", "Progress report")
    cycle = await Cycle.get(id=report.cycle_id, using_db=connection)
    standing = await ReportStanding.of(actor, cycle.id, connection)
    if not standing.may(action, PROGRESS_STEP):
        raise standing.refusal(action)
    if (report.status, action) not in PROGRESS_TRANSITIONS:
        key = "doc_on_unsubmitted" if action == ReportAction.RECORD_DOC else "invalid_transition"
        raise invalid_transition(action, report.status, progress_allowed(report), key=key)
    return report, cycle


def _progress_text(report: ProgressReport) -> dict[str, Any]:
    return {
        "narrative": report.narrative,
        "problems": report.problems,
        "suggestions": report.suggestions,
        "budget_spent": report.budget_spent,
    }


async def _audit_progress(
    actor: Actor,
    report: ProgressReport,
    action: ReportAction,
    before: dict[str, Any] | None,
    connection: BaseDBAsyncClient,
) -> None:
    after: dict[str, Any] = {
        "status": report.status.value,
        "version": report.version,
        "round": report.round.value,
        "achievedLevel": report.achieved_level,
        "targetLevel": report.target_level,
    }
    if action in (ReportAction.CREATE, ReportAction.EDIT):
        after |= {k: _jsonable(v) for k, v in _progress_text(report).items()}
    if action == ReportAction.RECORD_DOC:
        after |= {"docReference": report.doc_reference, "docDate": str(report.doc_date)}
    await audit.record(
        actor=actor,
        action=f"progress_report.{action.value.lower()}",
        object_type="ProgressReport",
        object_id=report.id,
        before={k: _jsonable(v) for k, v in before.items()} if before else None,
        after=after,
        connection=connection,
    )


def _jsonable(value: Any) -> Any:
    return str(value) if isinstance(value, Decimal | date) else value


# -- final report -----------------------------------------------------------------------------


async def create_final_report(
    *, actor: Actor, cycle_id: int, text: FinalText | None = None
) -> FinalReport:
    cycle = await _cycle(cycle_id)
    standing = await ReportStanding.of(actor, cycle.id)
    if not standing.may(ReportAction.CREATE, FINAL_STEP):
        raise standing.refusal(ReportAction.CREATE)
    if await FinalReport.exists(cycle_id=cycle.id):
        raise DomainError.of(ErrorCode.DUPLICATE, "final_report_exists", field=("cycle",))
    text = text or FinalText()
    level, target = await _final_level(cycle)
    try:
        async with in_transaction() as connection:
            report = FinalReport(
                cycle_id=cycle.id,
                created_by_id=actor.user_id,
                achieved_level=level,
                target_level=target,
                **_final_fields(text),
            )
            await report.save(using_db=connection)
            await _audit_final(actor, report, ReportAction.CREATE, None, connection)
    except IntegrityError:
        raise DomainError.of(ErrorCode.DUPLICATE, "final_report_exists", field=("cycle",)) from None
    return report


async def update_final_report(
    *, actor: Actor, report_id: int, version: int, changes: dict[str, Any]
) -> FinalReport:
    existing = await FinalReport.get_or_none(id=report_id)
    level = await _final_level(await _cycle(existing.cycle_id)) if existing else (None, None)
    async with in_transaction() as connection:
        report, _, _ = await _final_for(actor, report_id, ReportAction.EDIT, connection)
        check_version(report.version, version)
        before = _final_text(report)
        data = validated(FinalText, {**before, **changes})
        for name, value in _final_fields(data).items():
            setattr(report, name, value)
        report.achieved_level, report.target_level = level
        report.version += 1
        await report.save(using_db=connection)
        await _audit_final(actor, report, ReportAction.EDIT, before, connection)
    return report


async def approve_final_report(
    *, actor: Actor, report_id: int, version: int, on: date | None = None
) -> FinalReport:
    """The unit head approves the final report: it is frozen and step 16 is done."""
    async with in_transaction() as connection:
        report, cycle, standing = await _final_for(
            actor, report_id, ReportAction.APPROVE, connection
        )
        check_version(report.version, version)
        if standing.user_id is not None and standing.user_id == report.created_by_id:
            raise DomainError.of(ErrorCode.CONFLICT_OF_INTEREST, "final_report_own_approval")
        report.status = FINAL_TRANSITIONS[(report.status, ReportAction.APPROVE)]
        report.approved_by_id = actor.user_id
        report.approved_on = on or clock.today()
        await complete_step_done_here(
            actor=dataclasses.replace(SYSTEM, request_id=actor.request_id),
            cycle_id=cycle.id,
            step_no=FINAL_STEP,
            reason_key="final_report_approved_reason",
            connection=connection,
            on=report.approved_on,
        )
        report.version += 1
        await report.save(using_db=connection)
        await _audit_final(actor, report, ReportAction.APPROVE, {"status": "DRAFT"}, connection)
    # The level snapshot counts the approval and step 16 it completed.
    await _snapshot_level(report, report.approved_on)
    return report


async def _snapshot_level(report: FinalReport, on: date) -> None:
    evaluation = await kpi.evaluate_cycle(report.cycle_id, on, ReportRound.M12)
    report.achieved_level, report.target_level = evaluation.level, evaluation.target
    await report.save(update_fields=["achieved_level", "target_level"])


async def record_final_doc(
    *, actor: Actor, report_id: int, version: int, reference: str, reported_on: date
) -> FinalReport:
    """Record that the approved final report was entered in DOC 4.0 (the last task of step 16),
    with its number and date."""
    reference = validated(_Doc, {"reference": reference}).reference
    async with in_transaction() as connection:
        report, _, _ = await _final_for(actor, report_id, ReportAction.RECORD_DOC, connection)
        check_version(report.version, version)
        _check_doc_date(reported_on, report.approved_on, "doc_date_before_approval")
        report.status = FINAL_TRANSITIONS[(report.status, ReportAction.RECORD_DOC)]
        report.doc_reference = reference
        report.doc_date = reported_on
        report.version += 1
        await report.save(using_db=connection)
        await _audit_final(
            actor, report, ReportAction.RECORD_DOC, {"status": "APPROVED"}, connection
        )
    # The record is level 5's last criterion (services.kpi): the snapshot counts it.
    await _snapshot_level(report, reported_on)
    return report


async def _final_for(
    actor: Actor, report_id: int, action: ReportAction, connection: BaseDBAsyncClient
) -> tuple[FinalReport, Cycle, ReportStanding]:
    report = await FinalReport.filter(id=report_id).select_for_update().using_db(connection).first()
    if report is None:
        raise not_found("id", "รายงานผลการดำเนินงาน", "Final report")
    cycle = await Cycle.get(id=report.cycle_id, using_db=connection)
    standing = await ReportStanding.of(actor, cycle.id, connection)
    if not standing.may(action, FINAL_STEP):
        raise standing.refusal(action)
    if (report.status, action) not in FINAL_TRANSITIONS:
        key = "doc_on_unapproved" if action == ReportAction.RECORD_DOC else "invalid_transition"
        raise invalid_transition(action, report.status, final_allowed(report), key=key)
    return report, cycle, standing


async def _final_level(cycle: Cycle) -> tuple[int | None, int | None]:
    """While DRAFT: the level the cycle has today (or at the year's end) against the M12 target."""
    end = min(clock.today(), kpi.round_period(cycle.fiscal_year, ReportRound.M12)[1])
    evaluation = await kpi.evaluate_cycle(cycle.id, end, ReportRound.M12)
    return evaluation.level, evaluation.target


def _final_fields(text: FinalText) -> dict[str, Any]:
    return {
        "results": text.results,
        "evaluation": text.evaluation,
        "lessons": [lesson.model_dump(mode="json") for lesson in text.lessons],
    }


def _final_text(report: FinalReport) -> dict[str, Any]:
    return {"results": report.results, "evaluation": report.evaluation, "lessons": report.lessons}


async def _audit_final(
    actor: Actor,
    report: FinalReport,
    action: ReportAction,
    before: dict[str, Any] | None,
    connection: BaseDBAsyncClient,
) -> None:
    after: dict[str, Any] = {"status": report.status.value, "version": report.version}
    if action in (ReportAction.CREATE, ReportAction.EDIT):
        after |= _final_text(report)
    if action == ReportAction.RECORD_DOC:
        after |= {"docReference": report.doc_reference, "docDate": str(report.doc_date)}
    await audit.record(
        actor=actor,
        action=f"final_report.{action.value.lower()}",
        object_type="FinalReport",
        object_id=report.id,
        before=before,
        after=after,
        connection=connection,
    )


async def previous_final_report(cycle: Cycle) -> FinalReport | None:
    """The approved final report of the unit's cycle of the year before, whose lessons this
    cycle builds on."""
    return await FinalReport.filter(
        cycle__unit_id=cycle.unit_id,
        cycle__fiscal_year=cycle.fiscal_year - 1,
        cycle__indicator_code=cycle.indicator_code,
        status__in=FINAL_APPROVED,
    ).first()


async def _cycle(cycle_id: int) -> Cycle:
    cycle = await Cycle.get_or_none(id=cycle_id)
    if cycle is None:
        raise not_found("cycle", "รอบ", "Cycle")
    return cycle


def lessons_of(report: FinalReport) -> list[Lesson]:
    return [Lesson.model_validate(item) for item in cast(list[Any], report.lessons or [])]
