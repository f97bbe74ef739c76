"""KPI evaluation benchmark: ``services.kpi.evaluate_cycles`` over 50 units × 5 fiscal years (250
cycles, 4,000 steps, 500 works), against 10 cycles, on SQLite and optionally PostgreSQL.

    .venv/bin/python -m bench.kpi
    BENCH_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python -m bench.kpi

The claim measured: the number of SQL statements does not grow with the number of cycles. Each
backend runs in a process of its own on a fresh, migrated database (as bench/contest_results.py).
Prints a table and writes bench/results/kpi-<UTC timestamp>.json.
"""

import random
from datetime import UTC, datetime, timedelta
from typing import Any

from bench import harness
from bench.harness import timed

UNITS = 50
YEARS = (2563, 2564, 2565, 2566, 2567)
RUNS = 11  # timed runs (median reported), after WARM_UP untimed ones
WARM_UP = 2


async def seed() -> list[int]:
    """The cycles through the service (their steps scheduled), then steps finished and works
    registered in bulk."""
    from models.cycle import CycleStep, StepStatus
    from models.work import Work, WorkKind, WorkStatus
    from services import cycles, org
    from services.actor import SYSTEM
    from services.fiscal import FiscalYear

    rng = random.Random(2565)
    ids: list[int] = []
    for n in range(UNITS):
        unit = await org.create_unit(
            actor=SYSTEM, data=org.NewUnit(code=f"K{n:02d}", name_th=f"หน่วยงาน {n}")
        )
        for year in YEARS:
            start = FiscalYear(year).start + timedelta(days=11)
            cycle = await cycles.create_cycle(
                actor=SYSTEM, unit_id=unit.id, fiscal_year=year, start_date=start
            )
            ids.append(cycle.id)
            last = rng.randint(0, 16)
            await CycleStep.filter(cycle_id=cycle.id, no__lte=last).update(
                status=StepStatus.DONE, actual_end=start + timedelta(days=30)
            )
            now = datetime.now(UTC)
            await Work.bulk_create(
                [
                    Work(
                        unit_id=unit.id,
                        fiscal_year=year,
                        kind=WorkKind.RESEARCH,
                        status=WorkStatus.REGISTERED,
                        title_th=f"ผลงาน {n}-{year}-{k}",
                        registered_at=now - timedelta(days=k),
                    )
                    for k in range(2)
                ]
            )
    return ids


async def measure() -> dict[str, Any]:
    from services import kpi
    from services.fiscal import FiscalYear

    ids = await seed()
    on = FiscalYear(YEARS[-1]).end  # every cycle's year has ended
    result = await kpi.evaluate_cycles(ids, on)
    levels: dict[int, int] = {}
    for evaluation in result.values():
        levels[evaluation.level] = levels.get(evaluation.level, 0) + 1
    return {
        "data": {"cycles": len(ids), "units": UNITS, "years": len(YEARS), "levels": levels},
        "all": await timed(lambda: kpi.evaluate_cycles(ids, on), runs=RUNS, warm_up=WARM_UP),
        "ten": await timed(lambda: kpi.evaluate_cycles(ids[:10], on), runs=RUNS, warm_up=WARM_UP),
    }


def print_table(figures: dict[str, Any]) -> None:
    print(f"\nLO Hub KPI evaluation benchmark - {figures['environment']['cpus']} CPUs")
    print(f"{'':<44}{'median ms':>10}{'min ms':>10}{'max ms':>10}  statements")
    for result in figures["backends"].values():
        for name, label in (("all", "250 cycles"), ("ten", "10 cycles")):
            r = result[name]
            print(
                f"{result['server'][:30] + ', ' + label:<44}{r['median_ms']:>10.1f}"
                f"{r['min_ms']:>10.1f}{r['max_ms']:>10.1f}  {r['statements']}"
            )
        print(f"  cycles by level: {result['data']['levels']}")


def main() -> None:
    harness.main(
        module="bench.kpi",
        doc=__doc__,
        measure=measure,
        print_table=print_table,
        results_prefix="kpi",
        postgres_env=("BENCH_POSTGRES_URL",),  # LOHUB_TEST_POSTGRES_URL alone does not count
        load_at_end=False,
    )


if __name__ == "__main__":
    main()
