"""The managers' dashboard (ภาพรวมสำหรับผู้บริหาร): for a fiscal year across units — KPI level
and target per DOC 4.0 round, steps done and overdue, plans in force with their progress and
budget, works by kind and status, publications by channel and status, LIKE Talk entries and
awards — per unit, in total, and the totals of the years before it (the trend).

Every figure carries what a front end needs to list the objects behind it: cycle ids and step
numbers, plan ids, the units and fiscal year of a ``works(filter:)`` list, the contest and entry
ids.

The figures come from SQL aggregation (GROUP BY … COUNT) in a fixed number of statements,
whatever the number of units, years and rows (queries 1–2 only for a viewer who is not a manager):

1. the units the viewer chairs, 2. the units the viewer approves for, 3. the units shown,
4. the cycles of those units and years, 5. steps counted per (cycle, status), 6. the numbers of
the steps done or overdue, 7. the plans in force (approved), 8. their activities, 9. the day of
each activity's latest progress report, 10. the reports of those days, 11. works counted per
(unit, year, kind, status), 12. publications counted per (unit, year, channel, status),
13. the contests of the years, 14. entries counted per (unit, year, status), 15. the awarded
entries, 16. the KPI definitions of the years — and the KPI evaluation
(``services.kpi.evaluate_cycles``, at most 11 statements) once per round of the fiscal year and
once per earlier year of the trend that has cycles.

Who sees it: managers and administrators, any unit; a unit's chair (of its current committee) or
approver, their own units only.
"""

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Any, cast
from uuid import UUID

from tortoise.expressions import Q
from tortoise.functions import Count, Max

from models.committee import CommitteeRole, Membership
from models.contest import Contest, Entry, EntryStatus
from models.cycle import Cycle, CycleStep, StepStatus
from models.kpi import KpiDefinition, ReportRound
from models.org import Unit, UnitRole, UnitRoleGrant
from models.plan import Activity, ActivityProgressReport, Plan, PlanKind, PlanStatus
from models.publishing import Channel, Publication, PublicationStatus
from models.user import Role
from models.work import Work, WorkKind, WorkStatus
from services import clock, kpi
from services.actor import Actor
from services.errors import DomainError, ErrorCode, Forbidden, ForbiddenReason, not_found
from services.fiscal import BE_OFFSET, BE_YEARS
from services.permissions import require_authenticated
from services.plan_figures import plan_progress

MAX_YEARS = 10
UNFINISHED = (StepStatus.NOT_STARTED, StepStatus.IN_PROGRESS)


class KpiRound(StrEnum):
    M5 = "M5"  # 1 October – end of February
    M10 = "M10"  # to 31 July
    M12 = "M12"  # the whole fiscal year


def _february_end(ce: int) -> date:
    return date(ce, 3, 1) - timedelta(days=1)


def round_day(fiscal_year: int, kpi_round: KpiRound, today: date) -> date | None:
    """The day a round is evaluated on: its last day, or today while it runs; None before the
    fiscal year starts."""
    ce = fiscal_year - BE_OFFSET
    end = {
        KpiRound.M5: _february_end(ce),
        KpiRound.M10: date(ce, 7, 31),
        KpiRound.M12: date(ce, 9, 30),
    }[kpi_round]
    if today < date(ce - 1, 10, 1):
        return None
    return min(end, today)


@dataclass
class KpiFigure:
    """One round's levels: cycle id → achieved level (None: not evaluated)."""

    round: KpiRound
    on: date | None
    target: int | None
    levels: dict[int, int | None] = field(default_factory=dict)

    @property
    def evaluated(self) -> int:
        return sum(1 for level in self.levels.values() if level is not None)

    @property
    def reached(self) -> list[int]:
        target = self.target or 0
        return [c for c, level in self.levels.items() if level is not None and level >= target]

    @property
    def mean(self) -> float | None:
        known = [level for level in self.levels.values() if level is not None]
        return round(sum(known) / len(known), 2) if known else None

    def by_level(self) -> dict[int, list[int]]:
        groups: defaultdict[int, list[int]] = defaultdict(list)
        for cycle_id, level in self.levels.items():
            if level is not None:
                groups[level].append(cycle_id)
        return dict(sorted(groups.items()))


@dataclass
class Figures:
    """The figures of some units in one fiscal year (one unit for a row, all shown for a total)."""

    fiscal_year: int
    unit_ids: list[int]
    cycle_ids: list[int] = field(default_factory=list)
    step_counts: Counter[StepStatus] = field(default_factory=Counter)
    done_steps: dict[int, list[int]] = field(default_factory=dict)  # cycle id → step numbers
    overdue_steps: dict[int, list[int]] = field(default_factory=dict)
    plan_ids: list[int] = field(default_factory=list)
    plan_kinds: Counter[PlanKind] = field(default_factory=Counter)
    activities: int = 0
    budget: Decimal = Decimal(0)
    weighted: list[tuple[Decimal, int]] = field(default_factory=list)
    works: Counter[tuple[WorkKind, WorkStatus]] = field(default_factory=Counter)
    publications: Counter[tuple[Channel, PublicationStatus]] = field(default_factory=Counter)
    contest_id: int | None = None
    entries: Counter[EntryStatus] = field(default_factory=Counter)
    awards: dict[str, list[int]] = field(default_factory=dict)  # award level → entry ids
    kpi: list[KpiFigure] = field(default_factory=list)

    @property
    def steps_total(self) -> int:
        return sum(self.step_counts.values())

    @property
    def steps_overdue(self) -> int:
        return sum(len(nos) for nos in self.overdue_steps.values())

    @property
    def progress(self) -> float | None:
        return plan_progress(self.weighted)

    def absorb(self, other: "Figures") -> None:
        self.unit_ids.extend(other.unit_ids)
        self.cycle_ids.extend(other.cycle_ids)
        self.step_counts.update(other.step_counts)
        self.done_steps.update(other.done_steps)
        self.overdue_steps.update(other.overdue_steps)
        self.plan_ids.extend(other.plan_ids)
        self.plan_kinds.update(other.plan_kinds)
        self.activities += other.activities
        self.budget += other.budget
        self.weighted.extend(other.weighted)
        self.works.update(other.works)
        self.publications.update(other.publications)
        self.contest_id = self.contest_id or other.contest_id
        self.entries.update(other.entries)
        for level, ids in other.awards.items():
            self.awards.setdefault(level, []).extend(ids)
        for mine, theirs in zip(self.kpi, other.kpi, strict=True):
            mine.levels.update(theirs.levels)


@dataclass(frozen=True)
class Dashboard:
    fiscal_year: int
    on: date
    unit_ids: list[int]
    rows: list[Figures]  # one per unit shown, in unit code order
    total: Figures
    trend: list[Figures]  # the totals of each year, oldest first, ending with ``fiscal_year``


async def viewable_units(actor: Actor) -> list[int] | None:
    """The units whose dashboard the actor may see; None for all (managers, administrators)."""
    require_authenticated(actor)
    if actor.roles & {Role.ADMIN, Role.MANAGER}:
        return None
    if actor.user_id is None:
        return []
    chaired = await Membership.filter(
        person__user_id=actor.user_id,
        role=CommitteeRole.CHAIR,
        order__superseded_by_id__isnull=True,
    ).values_list("order__unit_id", flat=True)
    approved = await UnitRoleGrant.filter(
        user_id=actor.user_id, role=UnitRole.APPROVER
    ).values_list("unit_id", flat=True)
    return sorted({int(cast(int, u)) for u in [*chaired, *approved]})


async def dashboard(
    *,
    actor: Actor,
    fiscal_year: int,
    unit_ids: Sequence[int] | None = None,
    years: int = 5,
    on: date | None = None,
) -> Dashboard:
    if fiscal_year not in BE_YEARS:
        raise DomainError.of(ErrorCode.INVALID_INPUT, "fiscal_year_range", field=("fiscalYear",))
    if not 1 <= years <= MAX_YEARS:
        raise DomainError.of(
            ErrorCode.INVALID_INPUT, "dashboard_years", field=("years",), max=MAX_YEARS
        )
    allowed = await viewable_units(actor)
    if allowed is not None and (not allowed or (unit_ids and set(unit_ids) - set(allowed))):
        raise Forbidden(ForbiddenReason.DASHBOARD_UNITS_ONLY)
    wanted = list(dict.fromkeys(unit_ids)) if unit_ids else allowed
    query = Unit.all() if wanted is None else Unit.filter(id__in=wanted)
    units = cast(list[int], await query.order_by("code", "id").values_list("id", flat=True))
    if wanted is not None and len(units) != len(wanted):
        raise not_found("unitIds", "หน่วยงาน", "Unit")
    today = on or clock.today()
    all_years = list(range(fiscal_year - years + 1, fiscal_year + 1))
    see_awards = allowed is None
    definitions = await _definitions(all_years)
    figures = await _figures(
        units, all_years, today, fiscal_year, definitions, see_awards=see_awards
    )
    rows = [figures[(u, fiscal_year)] for u in units]
    trend = []
    for year in all_years:
        total = _empty(year, [], today, definitions, rounds=year == fiscal_year)
        for unit_id in units:
            total.absorb(figures[(unit_id, year)])
        trend.append(total)
    return Dashboard(
        fiscal_year=fiscal_year, on=today, unit_ids=units, rows=rows, total=trend[-1], trend=trend
    )


def _empty(
    year: int, unit_ids: list[int], today: date, targets: dict[int, kpi.Definition], *, rounds: bool
) -> Figures:
    # The year asked for has its three rounds; an earlier year of the trend only its last.
    chosen = list(KpiRound) if rounds else [KpiRound.M12]
    definition = targets.get(year, kpi.DEFAULT)
    return Figures(
        fiscal_year=year,
        unit_ids=unit_ids,
        kpi=[
            KpiFigure(r, round_day(year, r, today), definition.target(ReportRound(r.value)))
            for r in chosen
        ],
    )


async def _definitions(years: list[int]) -> dict[int, kpi.Definition]:
    """The KPI definitions saved for the years (the default for the others), in one statement."""
    rows = await KpiDefinition.filter(fiscal_year__in=years)
    return {
        row.fiscal_year: kpi.Definition.model_validate(
            {"levels": row.levels, "targets": row.targets}
        )
        for row in rows
    }


async def _figures(
    units: list[int],
    years: list[int],
    today: date,
    fiscal_year: int,
    definitions: dict[int, kpi.Definition],
    *,
    see_awards: bool,
) -> dict[tuple[int, int], Figures]:
    out = {
        (u, y): _empty(y, [u], today, definitions, rounds=y == fiscal_year)
        for u in units
        for y in years
    }
    if not units:
        return out
    cycle_rows = await Cycle.filter(unit_id__in=units, fiscal_year__in=years).values_list(
        "id", "unit_id", "fiscal_year"
    )
    key_of_cycle: dict[int, tuple[int, int]] = {}
    for cycle_id, unit_id, year in sorted(cycle_rows):
        key_of_cycle[cycle_id] = (unit_id, year)
        out[(unit_id, year)].cycle_ids.append(cycle_id)
    cycle_ids = list(key_of_cycle)
    if cycle_ids:
        await _steps(out, key_of_cycle, cycle_ids, today)
        await _plans(out, key_of_cycle, cycle_ids)
        await _kpi(out, key_of_cycle, years, fiscal_year, today)
    await _works(out, units, years)
    await _contests(out, units, years, see_awards=see_awards)
    return out


async def _steps(
    out: dict[tuple[int, int], Figures],
    key_of_cycle: dict[int, tuple[int, int]],
    cycle_ids: list[int],
    today: date,
) -> None:
    counts = (
        await CycleStep.filter(cycle_id__in=cycle_ids)
        .annotate(n=Count("id"))
        .group_by("cycle_id", "status")
        .values_list("cycle_id", "status", "n")
    )
    for cycle_id, status, n in counts:
        out[key_of_cycle[cycle_id]].step_counts[StepStatus(status)] += n
    # Only the steps a figure links to: those done, and those unfinished past their due day.
    linked = (
        await CycleStep.filter(
            Q(status=StepStatus.DONE) | Q(status__in=UNFINISHED, planned_due__lt=today),
            cycle_id__in=cycle_ids,
        )
        .order_by("cycle_id", "no")
        .values_list("cycle_id", "no", "status")
    )
    for cycle_id, no, status in linked:
        figures = out[key_of_cycle[cycle_id]]
        target = figures.done_steps if status == StepStatus.DONE else figures.overdue_steps
        target.setdefault(cycle_id, []).append(no)


async def _plans(
    out: dict[tuple[int, int], Figures],
    key_of_cycle: dict[int, tuple[int, int]],
    cycle_ids: list[int],
) -> None:
    plans = await Plan.filter(cycle_id__in=cycle_ids, status=PlanStatus.APPROVED).values_list(
        "id", "cycle_id", "kind"
    )
    if not plans:
        return
    key_of_plan = {}
    for plan_id, cycle_id, kind in sorted(plans):
        key_of_plan[plan_id] = key_of_cycle[cycle_id]
        out[key_of_cycle[cycle_id]].plan_ids.append(plan_id)
        out[key_of_cycle[cycle_id]].plan_kinds[PlanKind(kind)] += 1
    activities = await Activity.filter(plan_id__in=list(key_of_plan)).values_list(
        "plan_id", "lineage", "weight", "budget"
    )
    lineages = list({cast(UUID, a[1]) for a in activities})
    percent = await _latest_percent(lineages)
    for plan_id, lineage, weight, budget in activities:
        figures = out[key_of_plan[plan_id]]
        figures.activities += 1
        figures.budget += Decimal(budget)
        figures.weighted.append((Decimal(weight), percent.get(_uuid(lineage), 0)))


def _uuid(value: Any) -> UUID:
    return value if isinstance(value, UUID) else UUID(str(value))


async def _latest_percent(lineages: list[UUID]) -> dict[UUID, int]:
    """Each activity's progress: the percent of its latest report (of the latest day, the last
    entered on it), in two statements however many reports there are."""
    if not lineages:
        return {}
    days = (
        await ActivityProgressReport.filter(lineage__in=lineages)
        .annotate(last=Max("reported_on"))
        .group_by("lineage")
        .values_list("lineage", "last")
    )
    last_day = {_uuid(lineage): _day(day) for lineage, day in days}
    if not last_day:
        return {}
    reports = await ActivityProgressReport.filter(
        lineage__in=list(last_day), reported_on__in=list(set(last_day.values()))
    ).values_list("lineage", "reported_on", "id", "percent")
    best: dict[UUID, tuple[int, int]] = {}
    for lineage, day, report_id, pct in reports:
        key = _uuid(lineage)
        if _day(day) == last_day[key] and (key not in best or report_id > best[key][0]):
            best[key] = (report_id, pct)
    return {lineage: pct for lineage, (_, pct) in best.items()}


def _day(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


async def _kpi(
    out: dict[tuple[int, int], Figures],
    key_of_cycle: dict[int, tuple[int, int]],
    years: list[int],
    fiscal_year: int,
    today: date,
) -> None:
    by_year: defaultdict[int, list[int]] = defaultdict(list)
    for cycle_id, (_, year) in key_of_cycle.items():
        by_year[year].append(cycle_id)
    for year in years:
        ids = by_year.get(year)
        if not ids:
            continue
        rounds = list(KpiRound) if year == fiscal_year else [KpiRound.M12]
        for position, kpi_round in enumerate(rounds):
            day = round_day(year, kpi_round, today)
            levels = await evaluate_levels(ids, day) if day else {}
            for cycle_id in ids:
                figure = out[key_of_cycle[cycle_id]].kpi[position]
                figure.levels[cycle_id] = levels.get(cycle_id)


async def evaluate_levels(cycle_ids: list[int], on: date) -> dict[int, int | None]:
    """The achieved KPI level of each cycle on a day (``services.kpi``)."""
    evaluations = await kpi.evaluate_cycles(cycle_ids, on)
    return {cycle_id: e.level for cycle_id, e in evaluations.items()}


async def _works(out: dict[tuple[int, int], Figures], units: list[int], years: list[int]) -> None:
    works = (
        await Work.filter(unit_id__in=units, fiscal_year__in=years)
        .annotate(n=Count("id"))
        .group_by("unit_id", "fiscal_year", "kind", "status")
        .values_list("unit_id", "fiscal_year", "kind", "status", "n")
    )
    for unit_id, year, kind, status, n in works:
        out[(unit_id, year)].works[(WorkKind(kind), WorkStatus(status))] += n
    publications = (
        await Publication.filter(work__unit_id__in=units, work__fiscal_year__in=years)
        .annotate(n=Count("id"))
        .group_by("work__unit_id", "work__fiscal_year", "channel", "status")
        .values_list("work__unit_id", "work__fiscal_year", "channel", "status", "n")
    )
    for unit_id, year, channel, status, n in publications:
        out[(unit_id, year)].publications[(Channel(channel), PublicationStatus(status))] += n


async def _contests(
    out: dict[tuple[int, int], Figures],
    units: list[int],
    years: list[int],
    *,
    see_awards: bool,
) -> None:
    contests = await Contest.filter(fiscal_year__in=years).values_list(
        "id", "fiscal_year", "results_published_at"
    )
    if not contests:
        return
    year_of = {}
    for contest_id, year, _published in contests:
        year_of[contest_id] = year
        for unit_id in units:
            out[(unit_id, year)].contest_id = contest_id
    entries = (
        await Entry.filter(contest_id__in=list(year_of), unit_id__in=units)
        .annotate(n=Count("id"))
        .group_by("unit_id", "contest_id", "status")
        .values_list("unit_id", "contest_id", "status", "n")
    )
    for unit_id, contest_id, status, n in entries:
        out[(unit_id, year_of[contest_id])].entries[EntryStatus(status)] += n
    # Results are decided privately: only managers see awards before they are published.
    shown = [c for c, _, published in contests if see_awards or published is not None]
    if not shown:
        return
    awarded = (
        await Entry.filter(contest_id__in=shown, unit_id__in=units, award_level__isnull=False)
        .order_by("id")
        .values_list("id", "unit_id", "contest_id", "award_level")
    )
    for entry_id, unit_id, contest_id, level in awarded:
        out[(unit_id, year_of[contest_id])].awards.setdefault(str(level), []).append(entry_id)
