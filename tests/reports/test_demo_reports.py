"""The demo's FY 2565 cycle reaches KPI level 5 with its DOC 4.0 reports and its approved final
report; the other demo units' cycles sit at other levels."""

from datetime import date

from models.cycle import Cycle, CycleStep
from models.kpi import FinalReport, ProgressReport
from services import kpi
from services.demo import load_demo
from tests.helpers import GraphQLClient, count_queries
from tests.world import gid

# unit, fiscal year → level at the year's end
LEVELS = {
    ("OSD", 2565): 5,
    ("HPC01", 2565): 4,
    ("HPC05", 2565): 3,
    ("BHP", 2565): 2,
    ("PLAN", 2565): 1,
    ("OSD", 2566): 1,
}

DEMO_KPI = """query Kpi($id: ID!, $on: Date) { node(id: $id) { ... on Cycle {
    kpi(on: $on) { level target targetMet missingForNextLevel }
    progressReports { round status achievedLevel targetLevel docReference }
    finalReport { status achievedLevel lessons { kind } }
} } }"""


async def test_the_demo_cycles_reach_their_levels(admin: GraphQLClient) -> None:
    await load_demo(admin_password="demo-pass-123", reset_password=False)
    await load_demo(admin_password="demo-pass-123", reset_password=False)  # idempotent

    cycles = await Cycle.all().prefetch_related("unit")
    by_key = {(c.unit.code, c.fiscal_year): c.id for c in cycles}
    assert set(by_key) == set(LEVELS)
    with count_queries() as statements:
        evaluations = await kpi.evaluate_cycles(list(by_key.values()), date(2023, 9, 30))
    assert len(statements) <= 11
    assert {k: evaluations[i].level for k, i in by_key.items()} == LEVELS

    osd = by_key[("OSD", 2565)]
    steps = await CycleStep.filter(cycle_id=osd).order_by("no").values_list("status", flat=True)
    assert set(steps) == {"DONE"}
    rounds = await ProgressReport.filter(cycle_id=osd).order_by("period_end")
    assert [(r.round, r.status, r.achieved_level, r.target_level) for r in rounds] == [
        ("M5", "REPORTED", 2, 2),
        ("M10", "REPORTED", 4, 4),
        ("M12", "REPORTED", 5, 5),
    ]
    final = await FinalReport.get(cycle_id=osd)
    assert final.status == "REPORTED" and final.achieved_level == 5
    assert final.doc_reference == "สลก. 0301/2565-สรุปผล" and final.doc_date == date(2022, 8, 15)

    # As the committee saw it at the end of the five months.
    data = await admin.data(DEMO_KPI, {"id": gid("Cycle", osd), "on": "2022-02-28"})
    node = data["node"]
    assert node["kpi"]["level"] == 2 and node["kpi"]["targetMet"]
    assert [r["docReference"] for r in node["progressReports"]] == [
        "สลก. 0301/2565-05",
        "สลก. 0301/2565-10",
        "สลก. 0301/2565-12",
    ]
    assert node["finalReport"]["status"] == "REPORTED"
