"""`lohub demo` loads the seed SOP as the FY 2565 example, and can run again."""

from datetime import date

from models.cycle import Cycle, CycleStep
from models.document import Document
from models.org import Person
from models.survey import GapSnapshot, Measure, SurveyResponse
from services.demo import load_demo


async def test_demo_loads_the_fy_2565_example_once(database: str) -> None:
    assert await load_demo(admin_password="demo-pass-123", reset_password=False) is True
    assert await load_demo(admin_password="other-pass-456", reset_password=False) is False

    assert await Person.filter(user__username__startswith="osd.m").count() == 9
    cycle = await Cycle.get(fiscal_year=2565)
    assert cycle.start_date == date(2021, 10, 12)
    done = await CycleStep.filter(cycle_id=cycle.id, status="DONE").order_by("no")
    assert [s.no for s in done] == [1, 2, 3, 4, 5, 6]
    assert all(s.actual_end == s.planned_due for s in done)
    assert await Document.all().count() == 4  # the signed order and three pieces of evidence
    assert await SurveyResponse.filter(status="SUBMITTED").count() > 20
    snapshot = await GapSnapshot.get(cycle_id=cycle.id)
    assert snapshot.rows[0]["title_th"] == "การจัดการความรู้และการแลกเปลี่ยนเรียนรู้"
    assert await Measure.filter(cycle_id=cycle.id).count() == 3
