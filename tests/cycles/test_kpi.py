"""The KPI success level (ระดับความสำเร็จ): the default definition, the level as of a date, the
evidence and what is missing, saved definitions and their validation, and the batched
evaluation's fixed number of SQL statements."""

from datetime import date

import pytest

from models.audit import AuditEvent
from models.cycle import Cycle, CycleStep, StepStatus
from models.kpi import ReportRound
from services import cycles, kpi
from services.actor import SYSTEM
from services.cycles import StepAction
from services.errors import DomainError, ErrorCode, Forbidden
from tests.helpers import count_queries
from tests.plans_world import actor, units_with_plans
from tests.world import World, make_world

pytestmark = pytest.mark.usefixtures("database")


async def finish(world: World, *nos: int, on: date, skip: bool = False) -> None:
    for no in nos:
        step = await world.step(no)
        await cycles.act_on_step(
            actor=SYSTEM,
            step_id=step.id,
            action=StepAction.SKIP if skip else StepAction.COMPLETE,
            reason="ทดสอบ",
            override_missing_documents=not skip,
            on=on,
        )


async def test_the_default_definition_counts_steps_as_of_a_date() -> None:
    world = await make_world()
    assert world.cycle
    await finish(world, 1, 2, on=date(2021, 10, 20))
    await finish(world, 3, 4, 5, 6, 7, on=date(2021, 11, 10))
    await finish(world, 8, on=date(2021, 11, 20), skip=True)

    before = await kpi.evaluate_cycle(world.cycle.id, date(2021, 10, 19))
    assert before.level == 0
    assert before.levels[0].criteria[0].missing[0].en == "Step 1 is not done"

    on_l1 = await kpi.evaluate_cycle(world.cycle.id, date(2021, 11, 15))
    assert on_l1.level == 1 and on_l1.round == ReportRound.M5 and on_l1.target == 2
    assert [m.en for m in on_l1.missing_for_next] == ["Step 8 is not done"]
    evidence = on_l1.levels[0].criteria[0].evidence
    assert [e.type_name for e in evidence] == ["CycleStep", "CycleStep"]

    now = await kpi.evaluate_cycle(world.cycle.id, date(2022, 3, 1))
    assert now.level == 2 and now.round == ReportRound.M10 and now.target == 4
    assert now.levels[1].reached and not now.levels[2].met
    assert not now.target_met


async def test_a_saved_definition_with_other_kinds_and_its_validation() -> None:
    world = await make_world()
    assert world.cycle
    admin = SYSTEM
    levels = [
        {"level": n, "criteria": [{"kind": "STEPS_DONE", "steps": [n]}]} for n in (1, 2, 3, 4)
    ] + [{"level": 5, "criteria": [{"kind": "WORKS_REGISTERED", "minCount": 2}]}]
    row = await kpi.update_definition(
        actor=admin, fiscal_year=2565, levels=levels, targets={"M5": 1, "M10": 3, "M12": 5}
    )
    assert row.version == 1
    assert await AuditEvent.exists(action="kpi_definition.update", object_id=str(row.id))
    await finish(world, 1, 2, 3, 4, on=date(2021, 10, 20))
    evaluation = await kpi.evaluate_cycle(world.cycle.id, date(2021, 10, 20))
    assert evaluation.level == 4 and not evaluation.is_default_definition
    assert evaluation.target == 1
    assert [m.en for m in evaluation.missing_for_next] == ["2 more registered work(s)"]

    with pytest.raises(DomainError) as stale:
        await kpi.update_definition(
            actor=admin, fiscal_year=2565, levels=levels, targets={}, version=7
        )
    assert stale.value.problems[0].code == ErrorCode.STALE_VERSION

    bad = [{"level": 1, "criteria": [{"kind": "STEPS_DONE", "steps": [99]}]}, *levels[1:]]
    with pytest.raises(DomainError) as unknown_step:
        await kpi.update_definition(actor=admin, fiscal_year=2565, levels=bad, targets={})
    assert unknown_step.value.problems[0].message_key == "kpi_unknown_step"

    empty = [{"level": 1, "criteria": []}, *levels[1:]]
    with pytest.raises(DomainError):
        await kpi.update_definition(actor=admin, fiscal_year=2565, levels=empty, targets={})
    missing_level = levels[:4]
    with pytest.raises(DomainError) as incomplete:
        await kpi.update_definition(actor=admin, fiscal_year=2565, levels=missing_level, targets={})
    assert incomplete.value.problems[0].message_key == "kpi_levels_incomplete"
    unknown_kind = [{"level": 1, "criteria": [{"kind": "DANCING"}]}, *levels[1:]]
    with pytest.raises(DomainError) as kind:
        await kpi.update_definition(actor=admin, fiscal_year=2565, levels=unknown_kind, targets={})
    assert kind.value.problems[0].code == ErrorCode.INVALID_INPUT
    with pytest.raises(Forbidden):
        await kpi.update_definition(
            actor=actor(world, "CHAIR"), fiscal_year=2565, levels=levels, targets={}
        )


async def test_evaluating_cycles_runs_a_fixed_number_of_statements() -> None:
    await units_with_plans(2)
    few = await Cycle.all().values_list("id", flat=True)
    with count_queries() as two:
        await kpi.evaluate_cycles(list(few), date(2022, 9, 30))
    await units_with_plans(4, start=2)
    many = await Cycle.all().values_list("id", flat=True)
    await CycleStep.filter(no__in=[1, 2]).update(status=StepStatus.DONE)
    with count_queries() as six:
        result = await kpi.evaluate_cycles(list(many), date(2022, 9, 30))
    assert len(result) == 6 and all(e.level == 1 for e in result.values())
    assert len(two) == len(six) <= 11


async def test_a_day_at_the_end_of_the_calendar_is_an_answer_not_a_crash() -> None:
    world = await make_world()
    assert world.cycle
    evaluation = await kpi.evaluate_cycle(world.cycle.id, date.max)
    assert evaluation.level == 0 and evaluation.round == ReportRound.M12
