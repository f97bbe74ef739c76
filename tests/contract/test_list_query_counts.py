"""Every root list with its nested objects runs the same number of SQL statements for a page of
2 as for a page of 5: nothing is loaded per item."""

from datetime import date

import pytest

from models.cycle import Cycle
from models.kpi import ReportRound
from models.meeting import MeetingKind
from services import cycles, meetings, sop, stakeholders
from services.actor import SYSTEM
from services.reports import FinalText, Lesson, create_final_report, create_progress_report
from tests.helpers import GraphQLClient, count_queries
from tests.plans_world import units_with_plans
from tests.world import make_unit_with_committee

LISTS = {
    "units": """query Page($first: Int) { units(first: $first) { totalCount nodes {
        code department { nameTh }
        currentCommittee { number members { role person { fullNameTh unit { code } } } }
    } } }""",
    "people": """query Page($first: Int) { people(first: $first) { nodes {
        fullNameTh unit { code currentCommittee { number } } user { username }
    } } }""",
    # Two selections of cycles, as one with everything would cost more than the limit allows.
    "cycles": """query Page($first: Int) { cycles(first: $first) { nodes {
        fiscalYear { be } unit { code } template { family } committee { number }
        finishedStepCount overdueStepCount
        steps { no status responsible { fullNameTh } documents { nameTh }
                missingDocuments { nameTh } cycle { id }
                viewerCanStart viewerCanComplete }
    } } }""",
    "cycles ": """query Page($first: Int) { cycles(first: $first) { nodes {
        meetings { titleTh attendees { fullNameTh } documents { filename } step { no } }
        steps { details { textTh } }
    } } }""",
    "sopTemplates": """query Page($first: Int) { sopTemplates(first: $first) { nodes {
        family version unit { code } steps { no documents { nameTh } details { textTh } }
        objectives { textTh } scope { textEn } definitions { termTh meaningTh }
    } } }""",
    "appointmentOrders": """query Page($first: Int) { appointmentOrders(first: $first) { nodes {
        number unit { code } supersededBy { number } members { person { fullNameTh } }
    } } }""",
    "plans": """query Page($first: Int) { plans(first: $first) { totalCount nodes {
        kind revision status progressPercent budgetTotal cycle { unit { code } }
        owner { firstNameTh }
        activities { owners { firstNameTh } latestReport { percent } status }
        viewerCanSubmit viewerCanApprove revisions { revision }
        changes { activitiesChanged { changes { field } } }
    } } }""",
    "stakeholders": """query Page($first: Int) { stakeholders(first: $first) { totalCount nodes {
        name organisation group email lineId phone active unit { code currentCommittee { number } }
    } } }""",
    "cycles  ": """query Page($first: Int) { cycles(first: $first) { nodes {
        kpi(on: "2022-03-01") { level target levels { criteria { met evidence { id } missing } } }
        progressReports { round achievedLevel }
        finalReport { status lessons { kind } }
        previousLessons { text } previousFinalReport { results }
    } } }""",
    "progressReports": """query Page($first: Int) { progressReports(first: $first) { totalCount
        nodes { round status achievedLevel budgetPlanned cycle { unit { code } }
        plans { kind } activities { titleTh activity { titleTh } } works { titleTh }
        publications { channel } evidence { filename } createdBy { username }
        viewerCanEdit viewerCanSubmit viewerCanRecordDoc
    } } }""",
    "finalReports": """query Page($first: Int) { finalReports(first: $first) { totalCount nodes {
        status lessons { kind text } cycle { unit { code } } progressReports { round }
        createdBy { username } approvedBy { username } viewerCanEdit viewerCanApprove
    } } }""",
}


async def _five_units_with_everything() -> None:
    await units_with_plans(5, activities_each=2)
    default = await sop.ensure_default_template()
    for n in range(5):
        unit, chair, secretary = await make_unit_with_committee(f"U{n}", n)
        await sop.copy_template(actor=SYSTEM, template_id=default.id, unit_id=unit.id)
        cycle = await cycles.create_cycle(
            actor=SYSTEM, unit_id=unit.id, fiscal_year=2565, start_date=date(2021, 10, 12)
        )
        await meetings.create_meeting(
            actor=SYSTEM,
            data=meetings.NewMeeting(
                cycle_id=cycle.id,
                kind=MeetingKind.MONTHLY,
                held_on=date(2021, 11, 30),
                title_th="ประชุมประจำเดือน",
                attendee_ids=[chair.id, secretary.id],
            ),
        )
        for name, group in (("ผู้รับบริการ", "SERVICE_RECIPIENT"), ("ภาคี", "PARTNER")):
            await stakeholders.create_stakeholder(
                actor=SYSTEM,
                data=stakeholders.StakeholderData(
                    unit_id=unit.id, name=f"{name} {n}", group=group, email=f"s{n}@example.go.th"
                ),
            )


async def _reports_of_every_cycle() -> None:
    for cycle in await Cycle.all():
        await create_progress_report(actor=SYSTEM, cycle_id=cycle.id, round_=ReportRound.M5)
        await create_final_report(
            actor=SYSTEM,
            cycle_id=cycle.id,
            text=FinalText(lessons=(Lesson(kind="WORKED", text="ดี"),)),
        )


@pytest.mark.parametrize("name", sorted(LISTS))
async def test_a_root_list_runs_fixed_sql_whatever_the_page_size(
    admin: GraphQLClient, name: str
) -> None:
    await _five_units_with_everything()
    if name.strip() in ("cycles", "progressReports", "finalReports"):
        await _reports_of_every_cycle()

    with count_queries() as two:
        small = await admin.data(LISTS[name], {"first": 2})
    with count_queries() as five:
        large = await admin.data(LISTS[name], {"first": 5})

    field = name.strip()
    assert len(small[field]["nodes"]) == 2
    assert len(large[field]["nodes"]) == 5
    assert len(two) == len(five), five
