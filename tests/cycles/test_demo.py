"""`lohub demo` loads the seed SOP as the FY 2565 example, and can run again."""

from datetime import date

from tortoise.expressions import Q

from models.cycle import Cycle, CycleStep
from models.document import Document
from models.org import Person
from models.plan import ActivityProgressReport, Plan
from models.survey import GapRound, GapSnapshot, Measure, SurveyResponse
from services.demo import load_demo
from tests.helpers import GraphQLClient


async def test_demo_loads_the_fy_2565_example_once(database: str) -> None:
    assert await load_demo(admin_password="demo-pass-123", reset_password=False) is True
    assert await load_demo(admin_password="other-pass-456", reset_password=False) is False

    assert await Person.filter(user__username__startswith="osd.m").count() == 9
    cycle = await Cycle.get(fiscal_year=2565, unit__code="OSD")
    assert cycle.start_date == date(2021, 10, 12)
    done = await CycleStep.filter(cycle_id=cycle.id, status="DONE").order_by("no")
    # Every step, with the year's reports (tests/reports/test_demo_reports.py); 10, 14 and 15
    # end with July, 16 with the final report's approval.
    assert [s.no for s in done] == list(range(1, 17))
    assert all(s.actual_end == s.planned_due for s in done if s.no not in (10, 14, 15, 16))
    # The signed order, three pieces of evidence, the five-month summary and the minutes of
    # the nine monthly meetings.
    of_the_year = Q(order__unit_id=cycle.unit_id) | Q(slot__step__cycle_id=cycle.id)
    assert await Document.filter(of_the_year | Q(meeting__cycle_id=cycle.id)).count() == 5 + 9
    assert await SurveyResponse.filter(status="SUBMITTED").count() > 20
    snapshot = await GapSnapshot.get(cycle_id=cycle.id, round=GapRound.START_OF_YEAR)
    assert snapshot.rows[0]["title_th"] == "การจัดการความรู้และการแลกเปลี่ยนเรียนรู้"
    assert await Measure.filter(cycle_id=cycle.id).count() == 3
    plans = await Plan.filter(cycle_id=cycle.id).order_by("kind", "revision")
    assert [(p.kind, p.revision, p.status) for p in plans] == [
        ("ACTION_PLAN", 1, "APPROVED"),
        ("RESEARCH_INNOVATION_PLAN", 1, "SUPERSEDED"),
        ("RESEARCH_INNOVATION_PLAN", 2, "APPROVED"),
    ]
    reported = ActivityProgressReport.filter(activity__plan__cycle_id=cycle.id)
    assert await reported.filter(reported_on__lte=date(2022, 2, 28)).count() == 13


DEMO_PLANS = """{ cycles(filter: {fiscalYear: 2565}) { nodes { unit { code }
    plans { kind revision status progressPercent budgetTotal
    decisions { action on actor { username } } recommendations { recommendation }
    timeline { __typename }
    changes { activitiesAdded { titleTh } activitiesChanged { changes { field before after } } }
} } } }"""


async def test_the_demo_walks_the_approval_path(admin: GraphQLClient) -> None:
    await load_demo(admin_password="demo-pass-123", reset_password=False)

    body = await admin.data(DEMO_PLANS)

    osd = next(n for n in body["cycles"]["nodes"] if n["unit"]["code"] == "OSD")
    action, research = osd["plans"]
    assert (action["kind"], action["revision"], action["status"]) == ("ACTION_PLAN", 1, "APPROVED")
    assert action["decisions"] == [
        {"action": "APPROVE", "on": "2021-11-05", "actor": {"username": "osd.head"}}
    ]
    assert action["recommendations"] == [{"recommendation": "APPROVE"}]
    assert action["budgetTotal"] == "45000.00"
    # Every activity done by the end of July (step 14).
    assert action["progressPercent"] == 100.0
    assert (research["revision"], research["status"]) == (2, "APPROVED")
    assert research["changes"]["activitiesAdded"] == [
        {"titleTh": "ส่งผลงานนวัตกรรมเข้าประกวด LIKE Talk Award"}
    ]
    assert research["changes"]["activitiesChanged"] == [
        {
            "changes": [
                {"field": "endMonth", "before": "2022-06", "after": "2022-07"},
                {"field": "budget", "before": "10000.00", "after": "15000.00"},
            ]
        }
    ]
