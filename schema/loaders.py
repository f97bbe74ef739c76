"""DataLoaders, created once per request (in the context) and loading through id columns: a
list of any length costs one query per loader, never one per item."""

import asyncio
from collections import defaultdict
from collections.abc import Collection, Sequence
from datetime import date
from functools import cached_property
from typing import Any, TypeVar
from uuid import UUID

from strawberry.dataloader import DataLoader
from tortoise.expressions import F
from tortoise.models import Model

from models.committee import AppointmentOrder, Membership
from models.contest import (
    ConflictDeclaration,
    Contest,
    ContestCategory,
    ContestForm,
    Entry,
    EntryPresenter,
    JudgeAssignment,
    RubricCriterion,
    Score,
    ScoreSheet,
)
from models.cycle import Cycle, CycleStep, DocumentSlot, StepResponsible
from models.document import Document
from models.kpi import FINAL_APPROVED, FinalReport, ProgressReport
from models.meeting import Meeting, MeetingAttendee
from models.org import Department, Person, Unit, UnitRole, UnitRoleGrant
from models.plan import Activity, ActivityOwner, ActivityProgressReport, Plan, PlanEvent
from models.publishing import Publication
from models.sop import SopTemplate
from models.survey import (
    GapSnapshot,
    KnowledgeTopic,
    Measure,
    PirabLever,
    Survey,
    SurveyAnswer,
    SurveyQuestion,
    TopicAssignment,
)
from models.user import Role, RoleGrant, User
from models.work import Work, WorkAuthor, WorkFile
from services import knowledge, plans
from services.actor import Actor
from services.contests import access
from services.contests import results as contest_results
from services.contests import stats as contest_stats
from services.contests.results import Results
from services.contests.stats import ContestStatistics
from services.gap import GapRow, analyse_cycles
from services.kpi import KpiEvaluation, evaluate_cycles
from services.permissions import Standing, standings_in_units
from services.plan_figures import PlanDiff

M = TypeVar("M", bound=Model)


def by_id(model: type[M]) -> DataLoader[int, M | None]:
    async def load(ids: Sequence[int]) -> list[M | None]:
        rows = {row.pk: row for row in await model.filter(pk__in=ids)}
        return [rows.get(i) for i in ids]

    return DataLoader(load)


def grouped(
    model: type[M], key: str, *order_by: str, **conditions: Any
) -> DataLoader[int, list[M]]:
    """Rows of ``model`` grouped by the id column ``key`` (e.g. every step of each cycle)."""

    async def load(ids: Sequence[int]) -> list[list[M]]:
        groups: defaultdict[int, list[M]] = defaultdict(list)
        rows = await model.filter(**{f"{key}__in": ids}, **conditions).order_by(*order_by, "id")
        for row in rows:
            groups[getattr(row, key)].append(row)
        return [groups[i] for i in ids]

    return DataLoader(load)


def column_grouped(
    model: type[Model], key: str, column: str, **conditions: Any
) -> DataLoader[int, list[Any]]:
    """One column of ``model`` grouped by ``key`` (e.g. the person ids of each step)."""

    async def load(ids: Sequence[int]) -> list[list[Any]]:
        groups: defaultdict[int, list[Any]] = defaultdict(list)
        for owner, value in (
            await model.filter(**{f"{key}__in": ids}, **conditions)
            .order_by(column)
            .values_list(key, column)
        ):
            groups[owner].append(value)
        return [groups[i] for i in ids]

    return DataLoader(load)


def linked(model: type[M], relation: str, *order_by: str) -> DataLoader[int, list[M]]:
    """Rows of ``model`` linked many-to-many through ``relation`` to each owner id (e.g. the
    knowledge topics of each measure): one query, the owner's id read from the join."""

    async def load(ids: Sequence[int]) -> list[list[M]]:
        groups: defaultdict[int, list[M]] = defaultdict(list)
        rows = (
            await model.filter(**{f"{relation}__id__in": ids})
            .annotate(owner_id=F(f"{relation}__id"))
            .order_by(*order_by, "id")
        )
        for row in rows:
            groups[row.owner_id].append(row)  # type: ignore[attr-defined]
        return [groups[i] for i in ids]

    return DataLoader(load)


class LoadedSources:
    """``access.StandingSources`` over the request's loaders."""

    def __init__(self, loaders: "Loaders") -> None:
        self.loaders = loaders

    async def author_users(self, work_id: int) -> Collection[int]:
        return await self.loaders.author_users_of_work.load(work_id)

    async def judges(self, entry_id: int) -> Collection[int]:
        return [j.judge_id for j in await self.loaders.judges_of_entry.load(entry_id)]

    async def declared_judges(self, entry_id: int) -> Collection[int]:
        return [c.judge_id for c in await self.loaders.conflicts_of_entry.load(entry_id)]

    async def units(self, user_id: int) -> Collection[int]:
        return await self.loaders.units_of_user.load(user_id)

    async def presenter_users(self, entry_id: int) -> Collection[int]:
        presenters = await self.loaders.presenters_of_entry.load(entry_id)
        people = await self.loaders.person.load_many([p.person_id for p in presenters])
        return [p.user_id for p in people if p is not None and p.user_id is not None]

    async def sheets(self, entry_id: int) -> Sequence[ScoreSheet]:
        return await self.loaders.sheets_of_entry.load(entry_id)


class Loaders:
    """One attribute per loader; each is built on first use within the request."""

    def __init__(self, actor: Actor) -> None:
        self.actor = actor

    @cached_property
    def user(self) -> DataLoader[int, User | None]:
        return by_id(User)

    @cached_property
    def roles_of_user(self) -> DataLoader[int, list[Role]]:
        return column_grouped(RoleGrant, "user_id", "role")

    @cached_property
    def department(self) -> DataLoader[int, Department | None]:
        return by_id(Department)

    @cached_property
    def unit(self) -> DataLoader[int, Unit | None]:
        return by_id(Unit)

    @cached_property
    def person(self) -> DataLoader[int, Person | None]:
        return by_id(Person)

    @cached_property
    def person_of_user(self) -> DataLoader[int, list[Person]]:
        return grouped(Person, "user_id")

    @cached_property
    def cycles_of_unit(self) -> DataLoader[int, list[Cycle]]:
        return grouped(Cycle, "unit_id", "-fiscal_year")

    @cached_property
    def order(self) -> DataLoader[int, AppointmentOrder | None]:
        return by_id(AppointmentOrder)

    @cached_property
    def current_order_of_unit(self) -> DataLoader[int, list[AppointmentOrder]]:
        return grouped(AppointmentOrder, "unit_id", superseded_by_id__isnull=True)

    @cached_property
    def memberships_of_order(self) -> DataLoader[int, list[Membership]]:
        return grouped(Membership, "order_id", "seat")

    @cached_property
    def cycle(self) -> DataLoader[int, Cycle | None]:
        return by_id(Cycle)

    @cached_property
    def template(self) -> DataLoader[int, SopTemplate | None]:
        return by_id(SopTemplate)

    @cached_property
    def steps_of_cycle(self) -> DataLoader[int, list[CycleStep]]:
        return grouped(CycleStep, "cycle_id", "no")

    @cached_property
    def responsible_of_step(self) -> DataLoader[int, list[int]]:
        return column_grouped(StepResponsible, "step_id", "person_id")

    @cached_property
    def slots_of_step(self) -> DataLoader[int, list[DocumentSlot]]:
        return grouped(DocumentSlot, "step_id", "position")

    @cached_property
    def documents_of_slot(self) -> DataLoader[int, list[Document]]:
        return grouped(Document, "slot_id", "uploaded_at", deleted_at__isnull=True)

    @cached_property
    def documents_of_order(self) -> DataLoader[int, list[Document]]:
        return grouped(Document, "order_id", "uploaded_at", deleted_at__isnull=True)

    @cached_property
    def documents_of_meeting(self) -> DataLoader[int, list[Document]]:
        return grouped(Document, "meeting_id", "uploaded_at", deleted_at__isnull=True)

    @cached_property
    def meetings_of_cycle(self) -> DataLoader[int, list[Meeting]]:
        return grouped(Meeting, "cycle_id", "-held_on")

    @cached_property
    def attendees_of_meeting(self) -> DataLoader[int, list[int]]:
        return column_grouped(MeetingAttendee, "meeting_id", "person_id")

    @cached_property
    def knowledge_topic(self) -> DataLoader[int, KnowledgeTopic | None]:
        return by_id(KnowledgeTopic)

    @cached_property
    def questions_of_survey(self) -> DataLoader[int, list[SurveyQuestion]]:
        return grouped(SurveyQuestion, "survey_id", "position")

    @cached_property
    def answers_of_response(self) -> DataLoader[int, list[SurveyAnswer]]:
        return grouped(SurveyAnswer, "response_id", "question_id")

    @cached_property
    def surveys_of_cycle(self) -> DataLoader[int, list[Survey]]:
        return grouped(Survey, "cycle_id", "kind")

    @cached_property
    def topics_of_cycle(self) -> DataLoader[int, list[KnowledgeTopic]]:
        return grouped(KnowledgeTopic, "cycle_id", "title_th")

    @cached_property
    def assignments_of_topic(self) -> DataLoader[int, list[TopicAssignment]]:
        return grouped(TopicAssignment, "topic_id", "target_date")

    @cached_property
    def measures_of_cycle(self) -> DataLoader[int, list[Measure]]:
        return grouped(Measure, "cycle_id")

    @cached_property
    def topics_of_measure(self) -> DataLoader[int, list[KnowledgeTopic]]:
        return linked(KnowledgeTopic, "measures", "title_th")

    @cached_property
    def gap_snapshots_of_cycle(self) -> DataLoader[int, list[GapSnapshot]]:
        return grouped(GapSnapshot, "cycle_id", "-confirmed_at")

    @cached_property
    def live_gap_of_cycle(self) -> DataLoader[int, list[GapRow]]:
        async def load(cycle_ids: Sequence[int]) -> list[list[GapRow]]:
            analyses = await analyse_cycles(actor=self.actor, cycle_ids=list(cycle_ids))
            return [analyses[c] for c in cycle_ids]

        return DataLoader(load)

    @cached_property
    def standing_in_unit(self) -> DataLoader[int, Standing]:
        """The viewer's place in each unit's committee."""

        async def load(unit_ids: Sequence[int]) -> list[Standing]:
            standings = await standings_in_units(self.actor, unit_ids)
            return [standings[u] for u in unit_ids]

        return DataLoader(load)

    @cached_property
    def work(self) -> DataLoader[int, Work | None]:
        return by_id(Work)

    @cached_property
    def authors_of_work(self) -> DataLoader[int, list[WorkAuthor]]:
        return grouped(WorkAuthor, "work_id", "position")

    @cached_property
    def publications_of_work(self) -> DataLoader[int, list[Publication]]:
        return grouped(Publication, "work_id", "channel")

    @cached_property
    def topics_of_work(self) -> DataLoader[int, list[KnowledgeTopic]]:
        return linked(KnowledgeTopic, "works", "title_th")

    @cached_property
    def activities_of_work(self) -> DataLoader[int, list[Activity]]:
        return linked(Activity, "works", "title_th")

    @cached_property
    def files_of_work(self) -> DataLoader[int, list[WorkFile]]:
        return grouped(WorkFile, "work_id", "kind", "version")

    # LIKE Talk Award
    @cached_property
    def contest(self) -> DataLoader[int, Contest | None]:
        return by_id(Contest)

    @cached_property
    def contest_category(self) -> DataLoader[int, ContestCategory | None]:
        return by_id(ContestCategory)

    @cached_property
    def rubric_criterion(self) -> DataLoader[int, RubricCriterion | None]:
        return by_id(RubricCriterion)

    @cached_property
    def contest_form(self) -> DataLoader[int, ContestForm | None]:
        return by_id(ContestForm)

    @cached_property
    def entry(self) -> DataLoader[int, Entry | None]:
        return by_id(Entry)

    @cached_property
    def score_sheet(self) -> DataLoader[int, ScoreSheet | None]:
        return by_id(ScoreSheet)

    @cached_property
    def categories_of_contest(self) -> DataLoader[int, list[ContestCategory]]:
        return grouped(ContestCategory, "contest_id", "position")

    @cached_property
    def criteria_of_contest(self) -> DataLoader[int, list[RubricCriterion]]:
        return grouped(RubricCriterion, "contest_id", "position")

    @cached_property
    def forms_of_contest(self) -> DataLoader[int, list[ContestForm]]:
        return grouped(ContestForm, "contest_id", "-version")

    @cached_property
    def presenters_of_entry(self) -> DataLoader[int, list[EntryPresenter]]:
        return grouped(EntryPresenter, "entry_id", "position")

    @cached_property
    def judges_of_entry(self) -> DataLoader[int, list[JudgeAssignment]]:
        return grouped(JudgeAssignment, "entry_id", "judge_id")

    @cached_property
    def conflicts_of_entry(self) -> DataLoader[int, list[ConflictDeclaration]]:
        return grouped(ConflictDeclaration, "entry_id", "judge_id")

    @cached_property
    def sheets_of_entry(self) -> DataLoader[int, list[ScoreSheet]]:
        return grouped(ScoreSheet, "entry_id", "judge_id")

    @cached_property
    def scores_of_sheet(self) -> DataLoader[int, list[Score]]:
        return grouped(Score, "sheet_id", "criterion_id")

    @cached_property
    def author_users_of_work(self) -> DataLoader[int, list[int]]:
        """The accounts of each work's authors (who may enter it in a contest)."""

        async def load(ids: Sequence[int]) -> list[list[int]]:
            groups: defaultdict[int, list[int]] = defaultdict(list)
            rows = await WorkAuthor.filter(
                work_id__in=ids, person__user_id__isnull=False
            ).values_list("work_id", "person__user_id")
            for work_id, user_id in rows:
                groups[work_id].append(user_id)
            return [groups[i] for i in ids]

        return DataLoader(load)

    @cached_property
    def units_of_user(self) -> DataLoader[int, list[int]]:
        return column_grouped(Person, "user_id", "unit_id")

    @cached_property
    def contest_results(self) -> DataLoader[int, Results]:
        """The live results of each edition, computed once per request."""

        async def load(ids: Sequence[int]) -> list[Results]:
            contests = {c.id: c for c in await Contest.filter(id__in=ids)}
            return [await contest_results.compute(contests[i]) for i in ids]

        return DataLoader(load)

    @cached_property
    def entry_standing(self) -> DataLoader[Entry, access.EntryStanding]:
        """The viewer's standing towards each entry (as the row is now: keyed by its version),
        worked out once per request however many of its fields ask."""
        sources = LoadedSources(self)

        async def load(entries: Sequence[Entry]) -> list[access.EntryStanding | BaseException]:
            # Together, so that the sources' loaders batch across the entries; a failure is
            # the failure of its entry's fields only.
            return await asyncio.gather(
                *(access.standing_of(self.actor, e, sources) for e in entries),
                return_exceptions=True,
            )

        return DataLoader(load, cache_key_fn=lambda e: (e.id, e.version))

    @cached_property
    def contest_statistics(self) -> DataLoader[int, ContestStatistics]:
        async def load(ids: Sequence[int]) -> list[ContestStatistics]:
            stats = await contest_stats.statistics(actor=self.actor, contest_ids=list(ids))
            return [stats[i] for i in ids]

        return DataLoader(load)

    @cached_property
    def approvers_of_unit(self) -> DataLoader[int, list[int]]:
        return column_grouped(UnitRoleGrant, "unit_id", "user_id", role=UnitRole.APPROVER)

    @cached_property
    def measure(self) -> DataLoader[int, Measure | None]:
        return by_id(Measure)

    @cached_property
    def pirab_levers(self) -> DataLoader[str, PirabLever | None]:
        """Levers by code: the five are read once per request."""

        async def load(codes: Sequence[str]) -> list[PirabLever | None]:
            levers = {lever.code: lever for lever in await knowledge.levers()}
            return [levers.get(c) for c in codes]

        return DataLoader(load)

    @cached_property
    def plan(self) -> DataLoader[int, Plan | None]:
        return by_id(Plan)

    @cached_property
    def latest_plans_of_cycle(self) -> DataLoader[int, list[Plan]]:
        return grouped(Plan, "cycle_id", "kind", is_latest=True)

    @cached_property
    def revisions_of_plan(self) -> DataLoader[tuple[int, str], list[Plan]]:
        """Every revision of a cycle's plan of one kind, oldest first, keyed (cycle id, kind)."""

        async def load(keys: Sequence[tuple[int, str]]) -> list[list[Plan]]:
            groups: defaultdict[tuple[int, str], list[Plan]] = defaultdict(list)
            rows = await Plan.filter(cycle_id__in={c for c, _ in keys}).order_by("revision")
            for row in rows:
                groups[(row.cycle_id, row.kind.value)].append(row)
            return [groups[k] for k in keys]

        return DataLoader(load)

    @cached_property
    def plan_changes(self) -> DataLoader[tuple[int, int | None], PlanDiff | None]:
        """What changed to a plan since another revision, keyed (plan id, other revision)."""

        async def load(keys: Sequence[tuple[int, int | None]]) -> list[PlanDiff | None]:
            return await plans.compare_revisions(actor=self.actor, requests=list(keys))

        return DataLoader(load)

    @cached_property
    def events_of_plan(self) -> DataLoader[int, list[PlanEvent]]:
        return grouped(PlanEvent, "plan_id", "at")

    @cached_property
    def activity(self) -> DataLoader[int, Activity | None]:
        return by_id(Activity)

    @cached_property
    def activities_of_plan(self) -> DataLoader[int, list[Activity]]:
        return grouped(Activity, "plan_id", "position")

    @cached_property
    def owners_of_activity(self) -> DataLoader[int, list[int]]:
        return column_grouped(ActivityOwner, "activity_id", "person_id")

    @cached_property
    def reports_of_lineage(self) -> DataLoader[UUID, list[ActivityProgressReport]]:
        """Every progress report of an activity across revisions, oldest first."""

        async def load(lineages: Sequence[UUID]) -> list[list[ActivityProgressReport]]:
            groups: defaultdict[UUID, list[ActivityProgressReport]] = defaultdict(list)
            rows = await ActivityProgressReport.filter(lineage__in=lineages).order_by(
                "reported_on", "id"
            )
            for row in rows:
                groups[row.lineage].append(row)
            return [groups[lineage] for lineage in lineages]

        return DataLoader(load)

    @cached_property
    def documents_of_activity_report(self) -> DataLoader[int, list[Document]]:
        return grouped(Document, "activity_report_id", "uploaded_at", deleted_at__isnull=True)

    @cached_property
    def progress_reports_of_cycle(self) -> DataLoader[int, list[ProgressReport]]:
        return grouped(ProgressReport, "cycle_id", "period_end", "period_start")

    @cached_property
    def final_report_of_cycle(self) -> DataLoader[int, list[FinalReport]]:
        return grouped(FinalReport, "cycle_id")

    @cached_property
    def approved_final_report_of_unit_year(
        self,
    ) -> DataLoader[tuple[int, int, str], FinalReport | None]:
        """The approved final report of a unit's cycle, keyed (unit id, BE year, indicator)."""

        async def load(keys: Sequence[tuple[int, int, str]]) -> list[FinalReport | None]:
            rows = await FinalReport.filter(
                cycle__unit_id__in={u for u, _, _ in keys},
                cycle__fiscal_year__in={y for _, y, _ in keys},
                status__in=FINAL_APPROVED,
            ).prefetch_related("cycle")
            found = {
                (r.cycle.unit_id, r.cycle.fiscal_year, r.cycle.indicator_code): r for r in rows
            }
            return [found.get(k) for k in keys]

        return DataLoader(load)

    @cached_property
    def kpi_of_cycle(self) -> DataLoader[tuple[int, date], KpiEvaluation]:
        """KPI evaluations keyed (cycle id, day): one batched evaluation per distinct day."""

        async def load(keys: Sequence[tuple[int, date]]) -> list[KpiEvaluation]:
            by_day: defaultdict[date, list[int]] = defaultdict(list)
            for cycle_id, day in keys:
                by_day[day].append(cycle_id)
            results = {day: await evaluate_cycles(ids, day) for day, ids in by_day.items()}
            return [results[day][cycle_id] for cycle_id, day in keys]

        return DataLoader(load)

    @cached_property
    def publication(self) -> DataLoader[int, Publication | None]:
        return by_id(Publication)

    @cached_property
    def document(self) -> DataLoader[int, Document | None]:
        return by_id(Document)
