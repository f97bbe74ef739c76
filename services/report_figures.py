"""A progress report's figures: the KPI level as of its period's end and what the period holds
(plans in force, their activities' progress, works, publications, evidence)."""

import dataclasses
from datetime import date
from decimal import Decimal
from typing import Any

from tortoise.expressions import Q

from models.cycle import Cycle
from models.document import Document
from models.kpi import ProgressReport, ReportRound
from models.plan import Activity, ActivityProgressReport, PlanAction, PlanEvent
from models.publishing import Publication
from models.work import Work
from services import kpi, plan_figures


@dataclasses.dataclass(frozen=True)
class Figures:
    achieved: int
    target: int | None
    budget_planned: Decimal
    snapshot: dict[str, Any]


async def figures(cycle: Cycle, round_: ReportRound, start: date, end: date) -> Figures:
    """A report's figures from the data as of its period's end. Read before the transaction
    that writes them: SQLite has one connection, which the transaction holds."""
    evaluation = await kpi.evaluate_cycle(
        cycle.id, end, None if round_ == ReportRound.MONTHLY else round_
    )
    contents = await period_contents(cycle, start, end)
    planned = Decimal(contents.pop("budget_planned"))
    return Figures(
        evaluation.level, evaluation.target, planned, {**contents, "kpi": kpi_summary(evaluation)}
    )


async def figures_of(report_id: int) -> Figures | None:
    report = await ProgressReport.get_or_none(id=report_id)
    if report is None:
        return None
    cycle = await Cycle.get(id=report.cycle_id)
    return await figures(cycle, report.round, report.period_start, report.period_end)


def apply_figures(report: ProgressReport, figures: Figures | None) -> None:
    if figures is None:
        return
    report.achieved_level = figures.achieved
    report.target_level = figures.target
    report.budget_planned = figures.budget_planned
    report.snapshot = figures.snapshot


async def period_contents(cycle: Cycle, start: date, end: date) -> dict[str, Any]:
    """Plans in force at ``end``, their activities' progress, the works, publications and
    evidence of the period (ids and figures, JSON-ready)."""
    begin, cutoff = kpi.end_of_day(start - _ONE_DAY), kpi.end_of_day(end)
    approvals = (
        await PlanEvent.filter(plan__cycle_id=cycle.id, action=PlanAction.APPROVE, on__lte=end)
        .order_by("on", "id")
        .values("plan_id", "plan__kind")
    )
    in_force = {str(a["plan__kind"]): a["plan_id"] for a in approvals}  # the latest wins
    activities = await Activity.filter(plan_id__in=list(in_force.values())).order_by(
        "plan_id", "position"
    )
    reports = await ActivityProgressReport.filter(
        lineage__in=[a.lineage for a in activities], reported_on__lte=end
    ).order_by("reported_on", "id")
    latest = {r.lineage: r for r in reports}
    works = (
        await Work.filter(unit_id=cycle.unit_id, fiscal_year=cycle.fiscal_year)
        .filter(
            Q(registered_at__gte=begin, registered_at__lt=cutoff)
            | Q(published_at__gte=begin, published_at__lt=cutoff)
        )
        .order_by("id")
        .values_list("id", flat=True)
    )
    publications = (
        await Publication.filter(
            work__unit_id=cycle.unit_id,
            work__fiscal_year=cycle.fiscal_year,
            published_at__gte=begin,
            published_at__lt=cutoff,
        )
        .order_by("published_at", "id")
        .values_list("id", flat=True)
    )
    documents = (
        await Document.filter(
            Q(slot__step__cycle_id=cycle.id)
            | Q(activity_report__activity__plan__cycle_id=cycle.id),
            deleted_at__isnull=True,
            uploaded_at__gte=begin,
            uploaded_at__lt=cutoff,
        )
        .order_by("uploaded_at", "id")
        .values_list("id", flat=True)
    )
    rows = []
    for activity in activities:
        report = latest.get(activity.lineage)
        rows.append(
            {
                "activity_id": activity.id,
                "title_th": activity.title_th,
                "budget": str(activity.budget),
                "percent": report.percent if report else 0,
                # As of the period's end: a report of 55 % on track in March is behind by July.
                "status": plan_figures.current_status(
                    activity, [report] if report else [], end
                ).value,
                "report_id": report.id if report else None,
            }
        )
    return {
        "budget_planned": str(sum((a.budget for a in activities), Decimal(0))),
        "plan_ids": sorted(in_force.values()),
        "activities": rows,
        "work_ids": list(works),
        "publication_ids": list(publications),
        "document_ids": list(documents),
    }


_ONE_DAY = date(2000, 1, 2) - date(2000, 1, 1)


def kpi_summary(evaluation: kpi.KpiEvaluation) -> dict[str, Any]:
    return {
        "on": evaluation.on.isoformat(),
        "level": evaluation.level,
        "target": evaluation.target,
        "levels": [
            {
                "level": lv.level,
                "met": lv.met,
                "criteria": [
                    {
                        "kind": c.criterion.kind.value,
                        "met": c.met,
                        "description_th": c.description.th,
                        "description_en": c.description.en,
                        "missing_th": [m.th for m in c.missing],
                    }
                    for c in lv.criteria
                ],
            }
            for lv in evaluation.levels
        ],
    }
