"""The managers' dashboard (`dashboard(fiscalYear:, unitIds:)`): figures per unit, in total and
across fiscal years, each with the ids or filter that list the objects behind it."""

from datetime import date
from decimal import Decimal
from typing import Annotated

import strawberry
from strawberry import relay

from models.cycle import StepStatus
from models.plan import PlanKind
from models.publishing import Channel, PublicationStatus
from models.work import WorkKind, WorkStatus
from schema.contests.enums import EntryStatus
from schema.contests.parts import AwardLevel
from schema.cost import ListSize
from schema.inputs import node_id
from schema.org import UnitNode
from services import dashboard
from services.dashboard import Figures, KpiFigure


def _ids(type_name: str, ids: list[int]) -> list[relay.GlobalID]:
    return [relay.GlobalID(type_name, str(i)) for i in ids]


@strawberry.type(description="How many cycles achieved one KPI level in a round.")
class DashboardLevelCount:
    level: int = strawberry.field(description="The success level.")
    count: int = strawberry.field(description="Cycles at that level.")
    cycle_ids: list[relay.GlobalID] = strawberry.field(description="Those cycles.")


@strawberry.type(description="KPI success levels (ระดับความสำเร็จ) against one round's target.")
class DashboardKpiRound:
    round: dashboard.KpiRound = strawberry.field(description="The round.")
    evaluated_on: date | None = strawberry.field(
        description="The day the levels are as of: the round's last day, or today while it "
        "runs; null before the fiscal year starts."
    )
    target: int | None = strawberry.field(
        description="The round's target level (the fiscal year's KPI definition); null when "
        "the definition sets none."
    )
    level: int | None = strawberry.field(
        description="For one unit's figures: its cycle's level; null otherwise."
    )
    evaluated: int = strawberry.field(description="Cycles with a level.")
    reached_target: int = strawberry.field(description="Cycles at or above the target.")
    reached_target_cycle_ids: list[relay.GlobalID] = strawberry.field(description="Those cycles.")
    mean_level: float | None = strawberry.field(
        description="Mean level over the cycles with one (2 decimals); null without any."
    )
    levels: list[DashboardLevelCount] = strawberry.field(
        description="Cycles per level, lowest first (levels no cycle reached left out).",
        directives=[ListSize(assumed_size=6)],
    )

    @classmethod
    def of(cls, k: KpiFigure) -> "DashboardKpiRound":
        only = list(k.levels.values())
        return cls(
            round=k.round,
            evaluated_on=k.on,
            target=k.target,
            level=only[0] if len(only) == 1 else None,
            evaluated=k.evaluated,
            reached_target=len(k.reached),
            reached_target_cycle_ids=_ids("Cycle", k.reached),
            mean_level=k.mean,
            levels=[
                DashboardLevelCount(level=level, count=len(ids), cycle_ids=_ids("Cycle", ids))
                for level, ids in k.by_level().items()
            ],
        )


@strawberry.type(description="Some steps of one cycle, by number (`Cycle.steps`).")
class DashboardStepLink:
    cycle_id: relay.GlobalID = strawberry.field(description="The cycle.")
    step_nos: list[int] = strawberry.field(description="The steps' numbers (1–16).")


@strawberry.type(description="The cycles' steps by status, and those overdue.")
class DashboardSteps:
    total: int = strawberry.field(description="Steps of the cycles.")
    not_started: int = strawberry.field(description="Not started.")
    in_progress: int = strawberry.field(description="Under way.")
    done: int = strawberry.field(description="Done.")
    skipped: int = strawberry.field(description="Skipped with a reason.")
    overdue: int = strawberry.field(description="Not finished and past their planned due day.")
    done_steps: list[DashboardStepLink] = strawberry.field(
        description="The steps done.", directives=[ListSize(assumed_size=5)]
    )
    overdue_steps: list[DashboardStepLink] = strawberry.field(
        description="The steps overdue.", directives=[ListSize(assumed_size=5)]
    )


@strawberry.type(description="How many plans in force there are of one kind.")
class DashboardPlanKindCount:
    kind: PlanKind = strawberry.field(description="The kind of plan.")
    count: int = strawberry.field(description="Plans in force of that kind.")


@strawberry.type(description="The plans in force (the approved revisions) and their activities.")
class DashboardPlans:
    in_force: int = strawberry.field(description="Approved plans (the revision in force).")
    plan_ids: list[relay.GlobalID] = strawberry.field(description="Those plans.")
    kinds: list[DashboardPlanKindCount] = strawberry.field(
        description="Plans in force per kind.", directives=[ListSize(assumed_size=2)]
    )
    activity_count: int = strawberry.field(description="Their activities.")
    budget_total: Decimal = strawberry.field(description="Their activities' budget, THB.")
    progress_percent: float | None = strawberry.field(
        description="Σ weight·progress / Σ weight over their activities (0–100, 1 decimal; "
        "an activity's progress is its latest report's); null without activities."
    )


@strawberry.type(description="A `works(filter:)` filter: the works behind a figure.")
class DashboardWorkFilter:
    unit_ids: list[relay.GlobalID] = strawberry.field(
        description="The units (WorkFilter.unit takes one: list each)."
    )
    fiscal_year: int = strawberry.field(description="BE year.")
    kinds: list[WorkKind] | None = strawberry.field(description="Of these kinds; null: any.")
    statuses: list[WorkStatus] | None = strawberry.field(description="In these states; null: any.")


@strawberry.type(description="How many works there are of one kind in one state.")
class DashboardWorkCount:
    kind: WorkKind = strawberry.field(description="The kind of work.")
    status: WorkStatus = strawberry.field(description="The state.")
    count: int = strawberry.field(description="Works.")
    filter: DashboardWorkFilter = strawberry.field(description="The works behind the count.")


@strawberry.type(description="How many publications there are on one channel in one state.")
class DashboardPublicationCount:
    channel: Channel = strawberry.field(description="The channel.")
    status: PublicationStatus = strawberry.field(description="The state.")
    count: int = strawberry.field(description="Publications.")
    works: DashboardWorkFilter = strawberry.field(
        description="The works whose `publications` on the channel these are."
    )


@strawberry.type(description="How many LIKE Talk entries there are in one state.")
class DashboardEntryCount:
    status: EntryStatus = strawberry.field(description="The state.")
    count: int = strawberry.field(
        description="Entries (`Contest.entries(filter: {unit, status})` lists them)."
    )


@strawberry.type(description="The entries given one award level.")
class DashboardAward:
    count: int = strawberry.field(description="Entries given it.")
    entry_ids: list[relay.GlobalID] = strawberry.field(description="Those entries.")
    code: strawberry.Private[str]
    contest_id: strawberry.Private[int]

    @strawberry.field(description="The award level, as the edition names it.")
    async def level(self, info: strawberry.Info) -> AwardLevel:
        return AwardLevel.of(await info.context.loaders.contest.load(self.contest_id), self.code)


@strawberry.type(description="The units' LIKE Talk Award entries in the year's edition.")
class DashboardContest:
    contest_id: relay.GlobalID | None = strawberry.field(
        description="The year's edition; null when there is none."
    )
    entry_count: int = strawberry.field(description="Entries of the units.")
    entries: list[DashboardEntryCount] = strawberry.field(
        description="Entries per state.", directives=[ListSize(assumed_size=13)]
    )
    award_count: int = strawberry.field(
        description="Entries awarded (before results are published: for managers only)."
    )
    awards: list[DashboardAward] = strawberry.field(
        description="Entries per award level.", directives=[ListSize(assumed_size=5)]
    )


@strawberry.type(description="The figures of some units in one fiscal year.")
class DashboardFigures:
    fiscal_year: int = strawberry.field(description="BE year, e.g. 2565.")
    unit_ids: list[relay.GlobalID] = strawberry.field(description="The units counted.")
    cycle_ids: list[relay.GlobalID] = strawberry.field(description="Their cycles of the year.")
    kpi: list[DashboardKpiRound] = strawberry.field(
        description="KPI level against target per round (a trend year: M12 only).",
        directives=[ListSize(assumed_size=3)],
    )
    steps: DashboardSteps = strawberry.field(description="The cycles' steps.")
    plans: DashboardPlans = strawberry.field(description="Plans in force and their progress.")
    works: list[DashboardWorkCount] = strawberry.field(
        description="Works of the year per kind and state (counts above 0 only).",
        directives=[ListSize(assumed_size=18)],
    )
    work_count: int = strawberry.field(description="Works of the year.")
    publications: list[DashboardPublicationCount] = strawberry.field(
        description="Publications of those works per channel and state.",
        directives=[ListSize(assumed_size=15)],
    )
    contest: DashboardContest = strawberry.field(description="LIKE Talk Award entries and awards.")
    unit_pks: strawberry.Private[list[int]]

    @strawberry.field(
        description="The units counted, in unit code order.",
        directives=[ListSize(assumed_size=50)],
    )
    async def units(self, info: strawberry.Info) -> list[UnitNode]:
        rows = await info.context.loaders.unit.load_many(self.unit_pks)
        return [UnitNode.from_model(u) for u in rows if u is not None]

    @classmethod
    def of(cls, f: Figures) -> "DashboardFigures":
        units = _ids("Unit", f.unit_ids)

        def works_filter(
            kind: WorkKind | None = None, status: WorkStatus | None = None
        ) -> DashboardWorkFilter:
            return DashboardWorkFilter(
                unit_ids=units,
                fiscal_year=f.fiscal_year,
                kinds=[kind] if kind else None,
                statuses=[status] if status else None,
            )

        counts = f.step_counts
        return cls(
            fiscal_year=f.fiscal_year,
            unit_ids=units,
            unit_pks=f.unit_ids,
            cycle_ids=_ids("Cycle", f.cycle_ids),
            kpi=[DashboardKpiRound.of(k) for k in f.kpi],
            steps=DashboardSteps(
                total=f.steps_total,
                not_started=counts[StepStatus.NOT_STARTED],
                in_progress=counts[StepStatus.IN_PROGRESS],
                done=counts[StepStatus.DONE],
                skipped=counts[StepStatus.SKIPPED],
                overdue=f.steps_overdue,
                done_steps=_links(f.done_steps),
                overdue_steps=_links(f.overdue_steps),
            ),
            plans=DashboardPlans(
                in_force=len(f.plan_ids),
                plan_ids=_ids("Plan", f.plan_ids),
                kinds=[
                    DashboardPlanKindCount(kind=k, count=n) for k, n in sorted(f.plan_kinds.items())
                ],
                activity_count=f.activities,
                budget_total=f.budget,
                progress_percent=f.progress,
            ),
            works=[
                DashboardWorkCount(
                    kind=kind, status=status, count=n, filter=works_filter(kind, status)
                )
                for (kind, status), n in sorted(f.works.items())
            ],
            work_count=sum(f.works.values()),
            publications=[
                DashboardPublicationCount(
                    channel=channel, status=status, count=n, works=works_filter()
                )
                for (channel, status), n in sorted(f.publications.items())
            ],
            contest=DashboardContest(
                contest_id=relay.GlobalID("Contest", str(f.contest_id)) if f.contest_id else None,
                entry_count=sum(f.entries.values()),
                entries=[
                    DashboardEntryCount(status=s, count=n) for s, n in sorted(f.entries.items())
                ],
                award_count=sum(len(ids) for ids in f.awards.values()),
                awards=[
                    DashboardAward(
                        code=code,
                        count=len(ids),
                        entry_ids=_ids("Entry", ids),
                        contest_id=f.contest_id,
                    )
                    for code, ids in sorted(f.awards.items())
                    if f.contest_id  # awards are those of the year's edition
                ],
            ),
        )


def _links(steps: dict[int, list[int]]) -> list[DashboardStepLink]:
    return [
        DashboardStepLink(cycle_id=relay.GlobalID("Cycle", str(c)), step_nos=nos)
        for c, nos in sorted(steps.items())
    ]


@strawberry.type(description="The managers' dashboard for a fiscal year (ภาพรวมผลการดำเนินงาน).")
class Dashboard:
    fiscal_year: int = strawberry.field(description="BE year asked for.")
    on: date = strawberry.field(description="Today, as figures such as overdue are counted.")
    rows: list[DashboardFigures] = strawberry.field(
        description="One per unit shown, in unit code order (units without data included).",
        directives=[ListSize(assumed_size=50)],
    )
    total: DashboardFigures = strawberry.field(description="All units shown together.")
    trend: list[DashboardFigures] = strawberry.field(
        description="The totals of each fiscal year, oldest first, ending with `fiscalYear`.",
        directives=[ListSize(assumed_size=10)],
    )


@strawberry.type
class DashboardQueries:
    @strawberry.field(
        description="Figures across units for a fiscal year and the years before it: for "
        "managers and administrators (any unit), a unit's chair or approver (their own units). "
        "A year without data gives zeros and empty lists."
    )
    async def dashboard(
        self,
        info: strawberry.Info,
        fiscal_year: Annotated[int, strawberry.argument(description="BE year, e.g. 2565.")],
        unit_ids: Annotated[
            list[relay.GlobalID] | None,
            strawberry.argument(description="Only these units (default: every unit viewable)."),
        ] = None,
        years: Annotated[
            int, strawberry.argument(description="Fiscal years in the trend, 1–10.")
        ] = 5,
    ) -> Dashboard:
        ids = [node_id(u, UnitNode, "unitIds") for u in unit_ids] if unit_ids else None
        result = await dashboard.dashboard(
            actor=info.context.actor, fiscal_year=fiscal_year, unit_ids=ids, years=years
        )
        return Dashboard(
            fiscal_year=result.fiscal_year,
            on=result.on,
            rows=[DashboardFigures.of(r) for r in result.rows],
            total=DashboardFigures.of(result.total),
            trend=[DashboardFigures.of(t) for t in result.trend],
        )
