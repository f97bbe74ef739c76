"""`lohub demo` loads the seed SOP as the FY 2565 example, and can run again."""

from models.cycle import Cycle, CycleStep
from models.document import Document
from models.org import Person
from services.demo import load_demo


async def test_demo_loads_the_fy_2565_example_once() -> None:
    assert await load_demo(admin_password="demo-pass-123", reset_password=False) is True
    assert await load_demo(admin_password="other-pass-456", reset_password=False) is False

    assert await Person.all().count() == 9
    cycle = await Cycle.get(fiscal_year=2565)
    assert cycle.start_date.isoformat() == "2021-10-12"
    done = await CycleStep.filter(cycle_id=cycle.id, status="DONE").order_by("no")
    assert [(s.no, s.planned_due.isoformat(), s.actual_end) for s in done] == [
        (1, "2021-10-14", done[0].planned_due),
        (2, "2021-10-15", done[1].planned_due),
    ]
    assert await Document.all().count() == 4  # the signed order and three pieces of evidence
