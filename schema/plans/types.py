"""Plans, their activities, approval and progress (SOP steps 7–9, 13 and 14): types and queries."""

from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Annotated, Any

import strawberry
from strawberry import relay

from models.plan import (
    Activity,
    ActivityProgressReport,
    ActivityStatus,
    Plan,
    PlanAction,
    PlanEvent,
    PlanKind,
    PlanStatus,
    Recommendation,
)
from schema.cost import ListSize
from schema.cycles.types import CycleNode, standing_in_cycle
from schema.documents import DocumentNode, document_nodes
from schema.inputs import node_id
from schema.knowledge import KnowledgeTopicNode, MeasureNode, PirabLeverNode
from schema.org import PersonNode, UnitNode, person_nodes
from schema.relay import (
    After,
    Before,
    Conditions,
    Connection,
    First,
    Last,
    ModelNode,
    OrderTerm,
    SortOrder,
    order_by_terms,
    paginate,
    read_rule,
)
from schema.users import UserNode, user_node
from services import activities, clock, plan_figures, plans
from services.plans import PlanStanding


def _month(day: date) -> str:
    return day.isoformat()[:7]


@strawberry.type(name="ActivityProgressReport", description="A progress report of an activity.")
class ActivityProgressReportNode(ModelNode):
    model = ActivityProgressReport

    visible = read_rule(activities.visible_activity_reports)

    id: relay.NodeID[int]
    percent: int = strawberry.field(description="Progress, 0–100.")
    status: ActivityStatus = strawberry.field(description="The status as of that day.")
    status_set: bool = strawberry.field(
        description="The reporter set the status; otherwise it was derived from the schedule."
    )
    narrative: str = strawberry.field(description="What was done, problems, next steps.")
    reported_on: date = strawberry.field(description="The day the progress is as of.")
    created_at: datetime = strawberry.field(description="When it was entered (UTC).")
    reported_by_id: strawberry.Private[int | None]
    activity_id: strawberry.Private[int]

    @classmethod
    def from_model(cls, obj: ActivityProgressReport) -> "ActivityProgressReportNode":
        return cls(
            id=obj.id,
            percent=obj.percent,
            status=obj.status,
            status_set=obj.status_set,
            narrative=obj.narrative,
            reported_on=obj.reported_on,
            created_at=obj.created_at,
            reported_by_id=obj.reported_by_id,
            activity_id=obj.activity_id,
        )

    @strawberry.field(description="Who reported it.")
    async def reported_by(self, info: strawberry.Info) -> UserNode | None:
        return await user_node(info, self.reported_by_id)

    @strawberry.field(description="The activity (of the revision it was reported on).")
    async def activity(self, info: strawberry.Info) -> "ActivityNode":
        return ActivityNode.from_model(await info.context.loaders.activity.load(self.activity_id))

    @strawberry.field(description="Evidence files.", directives=[ListSize(assumed_size=5)])
    async def evidence(self, info: strawberry.Info) -> list[DocumentNode]:
        return document_nodes(await info.context.loaders.documents_of_activity_report.load(self.id))


@strawberry.type(
    name="PlanEvent",
    description="An entry of a plan's timeline: a transition, a recommendation or a decision, "
    "with its comment.",
)
class PlanEventNode(ModelNode):
    model = PlanEvent

    visible = read_rule(plans.visible_plan_events)

    id: relay.NodeID[int]
    action: PlanAction = strawberry.field(description="What happened.")
    from_status: PlanStatus | None = strawberry.field(description="Status before.")
    to_status: PlanStatus | None = strawberry.field(description="Status after.")
    recommendation: Recommendation | None = strawberry.field(
        description="For RECOMMEND: the advice given."
    )
    comment: str | None = strawberry.field(description="The comment or reason given.")
    on: date = strawberry.field(description="The day it happened (Thai time).")
    at: datetime = strawberry.field(description="When it was recorded (UTC).")
    actor_id: strawberry.Private[int | None]
    plan_id: strawberry.Private[int]

    @classmethod
    def from_model(cls, obj: PlanEvent) -> "PlanEventNode":
        return cls(
            id=obj.id,
            action=obj.action,
            from_status=obj.from_status,
            to_status=obj.to_status,
            recommendation=obj.recommendation,
            comment=obj.comment,
            on=obj.on,
            at=obj.at,
            actor_id=obj.actor_id,
            plan_id=obj.plan_id,
        )

    @strawberry.field(description="Who did it; null for the system.")
    async def actor(self, info: strawberry.Info) -> UserNode | None:
        return await user_node(info, self.actor_id)

    @strawberry.field(description="The plan revision it happened to.")
    async def plan(self, info: strawberry.Info) -> "PlanNode":
        return PlanNode.from_model(await info.context.loaders.plan.load(self.plan_id))


TimelineEntry = Annotated[
    PlanEventNode | ActivityProgressReportNode,
    strawberry.union(
        "PlanTimelineEntry", description="A plan event or a progress report, in time order."
    ),
]


def _timeline(events: list[PlanEvent], reports: list[ActivityProgressReport]) -> list[Any]:
    entries: list[tuple[date, datetime, Any]] = [
        (e.on, e.at, PlanEventNode.from_model(e)) for e in events
    ] + [(r.reported_on, r.created_at, ActivityProgressReportNode.from_model(r)) for r in reports]
    return [node for _, _, node in sorted(entries, key=lambda e: (e[0], e[1]))]


@strawberry.type(name="Activity", description="An activity or project of a plan (กิจกรรม).")
class ActivityNode(ModelNode):
    model = Activity

    visible = read_rule(activities.visible_activities)

    id: relay.NodeID[int]
    position: int = strawberry.field(description="Order in the plan, from 1.")
    title_th: str = strawberry.field(description="Title in Thai.")
    title_en: str | None = strawberry.field(description="Title in English.")
    objective_th: str = strawberry.field(description="Objective (วัตถุประสงค์).")
    budget: Decimal = strawberry.field(description="Budget in THB.")
    target_th: str = strawberry.field(description="Target (เป้าหมาย/ตัวชี้วัด).")
    weight: Decimal = strawberry.field(description="Weight in the plan's progress.")
    version: int = strawberry.field(description="Pass back with changes; bumps on every change.")
    row: strawberry.Private[Activity]

    @classmethod
    def from_model(cls, obj: Activity) -> "ActivityNode":
        return cls(
            id=obj.id,
            position=obj.position,
            title_th=obj.title_th,
            title_en=obj.title_en,
            objective_th=obj.objective_th,
            budget=obj.budget,
            target_th=obj.target_th,
            weight=obj.weight,
            version=obj.version,
            row=obj,
        )

    @strawberry.field(description="First month, YYYY-MM.")
    def start_month(self) -> str:
        return _month(self.row.start_month)

    @strawberry.field(description="Last month, YYYY-MM.")
    def end_month(self) -> str:
        return _month(self.row.end_month)

    @strawberry.field(description="The first day of the first month.")
    def starts_on(self) -> date:
        return self.row.start_month

    @strawberry.field(description="The last day of the last month.")
    def ends_on(self) -> date:
        return plan_figures.month_end(self.row.end_month)

    @strawberry.field(description="The plan revision it belongs to.")
    async def plan(self, info: strawberry.Info) -> "PlanNode":
        return PlanNode.from_model(await info.context.loaders.plan.load(self.row.plan_id))

    @strawberry.field(description="The measure (มาตรการ) it serves.")
    async def measure(self, info: strawberry.Info) -> MeasureNode | None:
        if self.row.measure_id is None:
            return None
        measure = await info.context.loaders.measure.load(self.row.measure_id)
        return MeasureNode.from_model(measure) if measure else None

    @strawberry.field(description="The knowledge topic it builds.")
    async def knowledge_topic(self, info: strawberry.Info) -> KnowledgeTopicNode | None:
        if self.row.knowledge_topic_id is None:
            return None
        topic = await info.context.loaders.knowledge_topic.load(self.row.knowledge_topic_id)
        return KnowledgeTopicNode.from_model(topic) if topic else None

    @strawberry.field(
        description="PIRAB levers, in PIRAB order.", directives=[ListSize(assumed_size=5)]
    )
    async def levers(self, info: strawberry.Info) -> list[PirabLeverNode]:
        levers = await info.context.loaders.pirab_levers.load_many(list(self.row.levers))
        return [PirabLeverNode.from_model(lever) for lever in levers if lever]

    @strawberry.field(description="Who carries it out.", directives=[ListSize(assumed_size=10)])
    async def owners(self, info: strawberry.Info) -> list[PersonNode]:
        return await person_nodes(info, await info.context.loaders.owners_of_activity.load(self.id))

    async def _reports(self, info: strawberry.Info) -> list[ActivityProgressReport]:
        return await info.context.loaders.reports_of_lineage.load(self.row.lineage)

    @strawberry.field(
        description="Every progress report, across the plan's revisions, newest first.",
        directives=[ListSize(assumed_size=12)],
    )
    async def progress_reports(self, info: strawberry.Info) -> list[ActivityProgressReportNode]:
        return [
            ActivityProgressReportNode.from_model(r) for r in reversed(await self._reports(info))
        ]

    @strawberry.field(description="The report that stands (latest day, last entered).")
    async def latest_report(self, info: strawberry.Info) -> ActivityProgressReportNode | None:
        latest = plan_figures.latest_report(await self._reports(info))
        return ActivityProgressReportNode.from_model(latest) if latest else None

    @strawberry.field(description="Progress, 0–100, from the latest report (0 without one).")
    async def progress_percent(self, info: strawberry.Info) -> int:
        latest = plan_figures.latest_report(await self._reports(info))
        return latest.percent if latest else 0

    @strawberry.field(description="Status today (Thai time): as set, or derived.")
    async def status(self, info: strawberry.Info) -> ActivityStatus:
        return plan_figures.current_status(self.row, await self._reports(info), clock.today())

    @strawberry.field(
        description="Its plan's events and its progress reports, in time order.",
        directives=[ListSize(assumed_size=40)],
    )
    async def timeline(self, info: strawberry.Info) -> list[TimelineEntry]:
        plan = await info.context.loaders.plan.load(self.row.plan_id)
        events = await _family_events(info, plan)
        return _timeline(events, await self._reports(info))

    @strawberry.field(description="The viewer may change or remove it now.")
    async def viewer_can_edit(self, info: strawberry.Info) -> bool:
        plan = await info.context.loaders.plan.load(self.row.plan_id)
        return await _viewer_can(info, plan, PlanAction.EDIT)

    @strawberry.field(description="The viewer may report its progress now.")
    async def viewer_can_report_progress(self, info: strawberry.Info) -> bool:
        plan = await info.context.loaders.plan.load(self.row.plan_id)
        if info.context.actor.user_id is None or not activities.in_force(plan):
            return False
        standing = await _standing(info, plan)
        owners = await info.context.loaders.owners_of_activity.load(self.id)
        return activities.may_report(standing.unit, owners)


@strawberry.type(name="FieldChange", description="One field that differs between two revisions.")
class FieldChangeNode:
    field: str = strawberry.field(description="The field, as named in the API (e.g. budget).")
    before: str | None = strawberry.field(description="The older value, as text.")
    after: str | None = strawberry.field(description="The newer value, as text.")


def _field_changes(changes: list[plan_figures.FieldChange]) -> list[FieldChangeNode]:
    return [FieldChangeNode(field=c.field, before=c.before, after=c.after) for c in changes]


@strawberry.type(name="ActivityChange", description="An activity found in both revisions, changed.")
class ActivityChangeNode:
    before: ActivityNode = strawberry.field(description="As in the older revision.")
    after: ActivityNode = strawberry.field(description="As in the newer revision.")
    changes: list[FieldChangeNode] = strawberry.field(
        description="What differs.", directives=[ListSize(assumed_size=12)]
    )


@strawberry.type(name="PlanDiff", description="What changed between two revisions of a plan.")
class PlanDiffNode:
    older: "PlanNode" = strawberry.field(description="The older revision.")
    newer: "PlanNode" = strawberry.field(description="The newer revision.")
    plan_changes: list[FieldChangeNode] = strawberry.field(
        description="Changes to the plan's own fields.", directives=[ListSize(assumed_size=4)]
    )
    activities_added: list[ActivityNode] = strawberry.field(
        description="Activities only in the newer revision.", directives=[ListSize(assumed_size=20)]
    )
    activities_removed: list[ActivityNode] = strawberry.field(
        description="Activities only in the older revision.",
        directives=[ListSize(assumed_size=20)],
    )
    activities_changed: list[ActivityChangeNode] = strawberry.field(
        description="Activities in both, with their changes.",
        directives=[ListSize(assumed_size=20)],
    )

    @classmethod
    def of(cls, diff: plan_figures.PlanDiff) -> "PlanDiffNode":
        return cls(
            older=PlanNode.from_model(diff.older),
            newer=PlanNode.from_model(diff.newer),
            plan_changes=_field_changes(diff.plan_changes),
            activities_added=[ActivityNode.from_model(a) for a in diff.added],
            activities_removed=[ActivityNode.from_model(a) for a in diff.removed],
            activities_changed=[
                ActivityChangeNode(
                    before=ActivityNode.from_model(c.before),
                    after=ActivityNode.from_model(c.after),
                    changes=_field_changes(c.changes),
                )
                for c in diff.changed
            ],
        )


async def _standing(info: strawberry.Info, plan: Plan) -> PlanStanding:
    return await standing_in_cycle(info, plan.cycle_id, PlanStanding)


async def _viewer_can(info: strawberry.Info, plan: Plan, action: PlanAction) -> bool:
    if info.context.actor.user_id is None:
        return False
    return plans.viewer_can(plan, await _standing(info, plan), action)


async def _family_events(info: strawberry.Info, plan: Plan) -> list[PlanEvent]:
    """Events of this revision and the ones before it."""
    family = await info.context.loaders.revisions_of_plan.load((plan.cycle_id, plan.kind.value))
    earlier = [p.id for p in family if p.revision <= plan.revision]
    groups = await info.context.loaders.events_of_plan.load_many(earlier)
    return [event for group in groups for event in group]


@strawberry.type(name="Plan", description="One revision of a cycle's plan (แผน).")
class PlanNode(ModelNode):
    model = Plan

    visible = read_rule(plans.visible_plans)

    id: relay.NodeID[int]
    kind: PlanKind = strawberry.field(description="Which of the two plans.")
    revision: int = strawberry.field(description="1, then n+1 for each revision.")
    status: PlanStatus = strawberry.field(description="Where it stands.")
    title_th: str = strawberry.field(description="Title in Thai.")
    title_en: str | None = strawberry.field(description="Title in English.")
    objective_th: str = strawberry.field(description="Objective (วัตถุประสงค์).")
    is_latest: bool = strawberry.field(description="This is the newest revision.")
    version: int = strawberry.field(description="Pass back with changes; bumps on every change.")
    created_at: datetime = strawberry.field(description="When the revision was started (UTC).")
    row: strawberry.Private[Plan]

    @classmethod
    def from_model(cls, obj: Plan) -> "PlanNode":
        return cls(
            id=obj.id,
            kind=obj.kind,
            revision=obj.revision,
            status=obj.status,
            title_th=obj.title_th,
            title_en=obj.title_en,
            objective_th=obj.objective_th,
            is_latest=obj.is_latest,
            version=obj.version,
            created_at=obj.created_at,
            row=obj,
        )

    @strawberry.field(description="The cycle.")
    async def cycle(self, info: strawberry.Info) -> CycleNode:
        return CycleNode.from_model(await info.context.loaders.cycle.load(self.row.cycle_id))

    @strawberry.field(description="Who is responsible for the plan.")
    async def owner(self, info: strawberry.Info) -> PersonNode | None:
        if self.row.owner_id is None:
            return None
        person = await info.context.loaders.person.load(self.row.owner_id)
        return PersonNode.from_model(person) if person else None

    @strawberry.field(description="Who started this revision.")
    async def created_by(self, info: strawberry.Info) -> UserNode | None:
        return await user_node(info, self.row.created_by_id)

    @strawberry.field(description="Who submitted it as it stands.")
    async def submitted_by(self, info: strawberry.Info) -> UserNode | None:
        return await user_node(info, self.row.submitted_by_id)

    @strawberry.field(description="Activities in order.", directives=[ListSize(assumed_size=30)])
    async def activities(self, info: strawberry.Info) -> list[ActivityNode]:
        rows = await info.context.loaders.activities_of_plan.load(self.id)
        return [ActivityNode.from_model(a) for a in rows]

    @strawberry.field(description="Σ activities' budgets, THB.")
    async def budget_total(self, info: strawberry.Info) -> Decimal:
        rows = await info.context.loaders.activities_of_plan.load(self.id)
        return sum((a.budget for a in rows), Decimal(0))

    @strawberry.field(
        description="Σ weight·progress / Σ weight over the activities, 0–100; null without "
        "activities."
    )
    async def progress_percent(self, info: strawberry.Info) -> float | None:
        rows = await info.context.loaders.activities_of_plan.load(self.id)
        reports = await info.context.loaders.reports_of_lineage.load_many([a.lineage for a in rows])
        latest = [plan_figures.latest_report(r) for r in reports]
        return plan_figures.plan_progress(
            [(a.weight, r.percent if r else 0) for a, r in zip(rows, latest, strict=True)]
        )

    @strawberry.field(description="The revision this one was made from.")
    async def previous_revision(self, info: strawberry.Info) -> "PlanNode | None":
        if self.row.previous_id is None:
            return None
        return PlanNode.from_model(await info.context.loaders.plan.load(self.row.previous_id))

    @strawberry.field(
        description="Every revision of this plan, oldest first.",
        directives=[ListSize(assumed_size=5)],
    )
    async def revisions(self, info: strawberry.Info) -> list["PlanNode"]:
        rows = await info.context.loaders.revisions_of_plan.load(
            (self.row.cycle_id, self.row.kind.value)
        )
        return [PlanNode.from_model(p) for p in rows]

    async def _events(self, info: strawberry.Info, *actions: PlanAction) -> list[PlanEventNode]:
        rows = await info.context.loaders.events_of_plan.load(self.id)
        return [PlanEventNode.from_model(e) for e in rows if not actions or e.action in actions]

    @strawberry.field(
        description="Committee members' recommendations on this revision.",
        directives=[ListSize(assumed_size=10)],
    )
    async def recommendations(self, info: strawberry.Info) -> list[PlanEventNode]:
        return await self._events(info, PlanAction.RECOMMEND)

    @strawberry.field(
        description="The approver's decisions on this revision (approve, return, reject).",
        directives=[ListSize(assumed_size=10)],
    )
    async def decisions(self, info: strawberry.Info) -> list[PlanEventNode]:
        return await self._events(info, *plans.DECISIONS)

    @strawberry.field(
        description="Events of this revision and those before it, and the progress reports of "
        "its activities, in time order.",
        directives=[ListSize(assumed_size=100)],
    )
    async def timeline(self, info: strawberry.Info) -> list[TimelineEntry]:
        rows = await info.context.loaders.activities_of_plan.load(self.id)
        reports = await info.context.loaders.reports_of_lineage.load_many([a.lineage for a in rows])
        events = await _family_events(info, self.row)
        return _timeline(events, [r for group in reports for r in group])

    @strawberry.field(
        description="What changed from another revision (the previous one by default) to this "
        "one; null when there is no such revision."
    )
    async def changes(
        self,
        info: strawberry.Info,
        since_revision: Annotated[
            int | None, strawberry.argument(description="The revision to compare with.")
        ] = None,
    ) -> PlanDiffNode | None:
        diff = await info.context.loaders.plan_changes.load((self.id, since_revision))
        return PlanDiffNode.of(diff) if diff else None

    @strawberry.field(description="The viewer may change it (and its activities) now.")
    async def viewer_can_edit(self, info: strawberry.Info) -> bool:
        return await _viewer_can(info, self.row, PlanAction.EDIT)

    @strawberry.field(description="The viewer may submit it for approval now.")
    async def viewer_can_submit(self, info: strawberry.Info) -> bool:
        return await _viewer_can(info, self.row, PlanAction.SUBMIT)

    @strawberry.field(description="The viewer may record a recommendation now.")
    async def viewer_can_recommend(self, info: strawberry.Info) -> bool:
        return await _viewer_can(info, self.row, PlanAction.RECOMMEND)

    @strawberry.field(description="The viewer may approve it now (not its author or submitter).")
    async def viewer_can_approve(self, info: strawberry.Info) -> bool:
        return await _viewer_can(info, self.row, PlanAction.APPROVE)

    @strawberry.field(description="The viewer may return it for changes now.")
    async def viewer_can_return(self, info: strawberry.Info) -> bool:
        return await _viewer_can(info, self.row, PlanAction.RETURN)

    @strawberry.field(description="The viewer may reject it now.")
    async def viewer_can_reject(self, info: strawberry.Info) -> bool:
        return await _viewer_can(info, self.row, PlanAction.REJECT)

    @strawberry.field(description="The viewer may start its next revision now.")
    async def viewer_can_revise(self, info: strawberry.Info) -> bool:
        return await _viewer_can(info, self.row, PlanAction.REVISE)


@strawberry.enum(description="Fields plans can be ordered by.")
class PlanOrderField(Enum):
    KIND = "kind"
    REVISION = "revision"
    CREATED_AT = "created_at"


@strawberry.input(description="One ordering term for plans.")
class PlanOrder(OrderTerm):
    field: PlanOrderField = strawberry.field(description="Field to order by.")


@strawberry.input(description="Narrows the plans listed; all given conditions must hold.")
class PlanFilter:
    cycle: relay.GlobalID | None = strawberry.field(default=None, description="Of this cycle.")
    unit: relay.GlobalID | None = strawberry.field(default=None, description="Of this unit.")
    fiscal_year: int | None = strawberry.field(default=None, description="BE year, e.g. 2565.")
    kind: PlanKind | None = strawberry.field(default=None, description="Of this kind.")
    status: PlanStatus | None = strawberry.field(default=None, description="In this status.")
    latest_only: bool = strawberry.field(
        default=True, description="Only each plan's newest revision (false: every revision)."
    )


@strawberry.type
class PlanQueries:
    @strawberry.field(description="Plans, for anyone signed in; newest revisions by default.")
    async def plans(
        self,
        info: strawberry.Info,
        filter: Conditions[PlanFilter] = None,
        order_by: SortOrder[PlanOrder] = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[PlanNode]:
        filter = filter or PlanFilter()
        queryset = plans.list_plans(
            actor=info.context.actor,
            cycle_id=node_id(filter.cycle, CycleNode, "cycle") if filter.cycle else None,
            unit_id=node_id(filter.unit, UnitNode, "unit") if filter.unit else None,
            fiscal_year=filter.fiscal_year,
            kind=filter.kind,
            status=filter.status,
            latest_only=filter.latest_only,
            ordering=order_by_terms(order_by, default=["cycle_id", "kind", "revision"]),
        )
        return await paginate(
            queryset, PlanNode.from_model, first=first, after=after, last=last, before=before
        )
