"""The demo tells FY 2565 as it happened: every stamp is a day of the story, the KPI replayed on
the last day of each round agrees with the unit's reports and the managers' dashboard, the M10
and M12 reports list what their periods hold, and every finished step's claim holds on the day
it was finished."""

import time
from datetime import UTC, date, datetime

from tortoise import Tortoise
from tortoise.fields import DatetimeField

from models.contest import Contest, Entry, EntryStatus, ScoreSheet
from models.cycle import Cycle, CycleStep, DocumentSlot, StepStatus
from models.document import Document
from models.kpi import FinalReport, ProgressReport, ReportRound
from models.meeting import MeetingKind
from models.plan import Activity, ActivityProgressReport, Plan, PlanAction, PlanEvent, PlanKind
from models.publishing import Publication, PublicationStatus
from models.survey import GapRound, GapSnapshot, Measure, Survey, SurveyKind
from models.work import Work
from services import kpi, report_figures
from services.demo import load_demo
from services.demo_reports import WORKS_PUBLISHED_REASON
from tests.helpers import GraphQLClient, make_user

# The story runs from FY 2563 (the units' registries) to the works of FY 2566.
STORY = (datetime(2019, 9, 30, tzinfo=UTC), datetime(2023, 10, 1, tzinfo=UTC))
ROUNDS = (ReportRound.M5, ReportRound.M10, ReportRound.M12)
# unit, fiscal year → level on the last day of M5, M10 and M12
LEVELS = {
    ("OSD", 2565): (2, 4, 5),
    ("HPC01", 2565): (2, 4, 4),
    ("HPC05", 2565): (2, 3, 3),
    ("BHP", 2565): (2, 2, 2),
    ("PLAN", 2565): (1, 1, 1),
    ("OSD", 2566): (1, 1, 1),
}
DASHBOARD = """query Dashboard($fy: Int!) { dashboard(fiscalYear: $fy) {
  rows { units { code } kpi { round level } } } }"""


async def test_the_demo_happened_as_it_tells(client: GraphQLClient) -> None:
    started = time.perf_counter()
    await load_demo(admin_password="demo-pass-123", reset_password=False)
    print(f"demo loaded in {time.perf_counter() - started:.1f} s")

    await _every_stamp_is_a_day_of_the_story()
    await _judges_scored_before_the_results()
    cycles = {(c.unit.code, c.fiscal_year): c for c in await Cycle.all().prefetch_related("unit")}
    assert set(cycles) == set(LEVELS)
    manager = client.signed_in_as(await make_user("story.manager", roles={"MANAGER"}))
    for (code, year), cycle in cycles.items():
        replayed = await _replay(cycle)
        assert replayed == LEVELS[(code, year)], (code, year)
        dashboard = await manager.data(DASHBOARD, {"fy": year})
        row = next(r for r in dashboard["dashboard"]["rows"] if r["units"][0]["code"] == code)
        assert tuple(k["level"] for k in row["kpi"]) == replayed, (code, year)
        for step in await CycleStep.filter(cycle_id=cycle.id).order_by("no"):
            assert step.status != StepStatus.SKIPPED, (code, year, step.no)
            if step.status == StepStatus.DONE:
                await _claim_holds(cycle, step)

    osd = cycles[("OSD", 2565)]
    for round_ in (ReportRound.M10, ReportRound.M12):
        report = await ProgressReport.get(cycle_id=osd.id, round=round_)
        assert report.snapshot["work_ids"] and report.snapshot["publication_ids"]
        assert report.snapshot["document_ids"]
        assert {row["status"] for row in report.snapshot["activities"]} == {"DONE"}
    # Step 12 redid the GAP analysis at the review meeting; the start of the year's is kept.
    rounds = await GapSnapshot.filter(cycle_id=osd.id).order_by("id").select_related("meeting")
    assert [s.round for s in rounds] == [GapRound.START_OF_YEAR, GapRound.FIVE_MONTH_REVIEW]
    assert rounds[1].meeting.kind == MeetingKind.FIVE_MONTH_REVIEW


async def _every_stamp_is_a_day_of_the_story() -> None:
    """No row carries the day the demo was loaded: every date-time lies within the story."""
    checked = 0
    for model in Tortoise.apps["models"].values():
        for name, field in model._meta.fields_map.items():
            if not isinstance(field, DatetimeField):
                continue
            for value in await model.filter(**{f"{name}__isnull": False}).values_list(
                name, flat=True
            ):
                assert STORY[0] <= value < STORY[1], (model.__name__, name, value)
                checked += 1
    assert checked > 1000


async def _judges_scored_before_the_results() -> None:
    contest = await Contest.get(fiscal_year=2565)
    assert contest.results_published_at is not None
    sheets = await ScoreSheet.filter(submitted_at__isnull=False).values_list(
        "submitted_at", flat=True
    )
    assert sheets and max(sheets) < contest.results_published_at
    for entry in await Entry.filter(contest_id=contest.id, submitted_at__isnull=False):
        assert contest.opens_at <= entry.submitted_at <= contest.closes_at


async def _replay(cycle: Cycle) -> tuple[int, ...]:
    """The level on each round's last day, checked against the round's report if any."""
    levels = []
    for round_ in ROUNDS:
        start, end = kpi.round_period(cycle.fiscal_year, round_)
        evaluation = await kpi.evaluate_cycle(cycle.id, end, round_)
        levels.append(evaluation.level)
        report = await ProgressReport.get_or_none(cycle_id=cycle.id, round=round_)
        if report is None:
            continue
        assert report.achieved_level == evaluation.level
        assert report.target_level == evaluation.target
        contents = await report_figures.period_contents(cycle, start, end)
        assert {k: report.snapshot[k] for k in contents if k != "budget_planned"} == {
            k: v for k, v in contents.items() if k != "budget_planned"
        }
        assert report.submitted_on is None or report.submitted_on > end
        assert report.doc_date is None or report.doc_date >= report.submitted_on
    return tuple(levels)


async def _claim_holds(cycle: Cycle, step: CycleStep) -> None:
    """A step is DONE on a day when its documents are there by then, or when what its
    override's reason says holds by then."""
    assert step.actual_end is not None
    day = step.actual_end
    by = kpi.end_of_day(day)
    where = (cycle.unit_id, cycle.fiscal_year, step.no, step.status_reason)
    assert cycle.start_date <= day <= kpi.round_period(cycle.fiscal_year, ReportRound.M12)[1]
    if step.status_reason is None:
        for slot in await DocumentSlot.filter(step_id=step.id, required=True):
            assert await Document.exists(
                slot_id=slot.id, uploaded_at__lt=by, deleted_at__isnull=True
            ), where
        return
    kinds = [PlanKind.ACTION_PLAN, PlanKind.RESEARCH_INNOVATION_PLAN]
    match step.no:
        case 3 | 4:
            kind = (
                SurveyKind.STAKEHOLDER_NEEDS if step.no == 3 else SurveyKind.STAFF_SELF_ASSESSMENT
            )
            assert await Survey.exists(cycle_id=cycle.id, kind=kind, created_at__lt=by), where
        case 5:
            assert await GapSnapshot.exists(cycle_id=cycle.id, confirmed_at__lt=by), where
        case 6:
            assert await Measure.exists(cycle_id=cycle.id, created_at__lt=by), where
        case 7 | 8:
            action = PlanAction.SUBMIT if step.no == 7 else PlanAction.APPROVE
            for kind in kinds:
                assert await PlanEvent.exists(
                    plan__cycle_id=cycle.id, plan__kind=kind, action=action, on__lte=day
                ), where
        case 10:
            works = Work.filter(
                unit_id=cycle.unit_id, fiscal_year=cycle.fiscal_year, registered_at__lt=by
            )
            assert await works.exists(), where
            if step.status_reason == WORKS_PUBLISHED_REASON:
                channels = await Publication.filter(
                    work__unit_id=cycle.unit_id,
                    work__fiscal_year=cycle.fiscal_year,
                    status=PublicationStatus.PUBLISHED,
                    published_at__lt=by,
                ).values_list("channel", flat=True)
                assert {"WEBSITE", "FACEBOOK", "LINE"} <= {str(c) for c in channels}, where
        case 11:
            assert await ProgressReport.exists(
                cycle_id=cycle.id, round=ReportRound.M5, submitted_on__lte=day
            ), where
        case 13:
            assert await PlanEvent.exists(
                plan__cycle_id=cycle.id,
                plan__kind=PlanKind.RESEARCH_INNOVATION_PLAN,
                plan__revision__gt=1,
                action=PlanAction.APPROVE,
                on__lte=day,
            ), where
        case 14:
            await _every_activity_done(cycle, day)
        case 15:
            entries = Entry.filter(
                unit_id=cycle.unit_id,
                contest__fiscal_year=cycle.fiscal_year,
                submitted_at__lt=by,
                status__in=[EntryStatus.PRESENTED, EntryStatus.SCORED, EntryStatus.AWARDED],
            )
            assert await entries.exists(), where
        case 16:
            assert await FinalReport.exists(cycle_id=cycle.id, approved_on__lte=day), where
        case _:
            raise AssertionError(f"no evidence for the override {where}")


async def _every_activity_done(cycle: Cycle, day: date) -> None:
    """Every activity of the plans in force on ``day`` reported at 100 % by then."""
    approvals = await PlanEvent.filter(
        plan__cycle_id=cycle.id, action=PlanAction.APPROVE, on__lte=day
    ).order_by("on", "id")
    in_force = {(await Plan.get(id=a.plan_id)).kind: a.plan_id for a in approvals}
    assert len(in_force) == 2
    for activity in await Activity.filter(plan_id__in=list(in_force.values())):
        latest = (
            await ActivityProgressReport.filter(lineage=activity.lineage, reported_on__lte=day)
            .order_by("-reported_on", "-id")
            .first()
        )
        assert latest is not None and latest.percent == 100, (activity.title_th, day)
