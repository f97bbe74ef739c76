"""What the peer benchmark adds to the demo: 2,000 registered works with three authors each over
the demo's units and five fiscal years, a LIKE Talk edition with 100 scored entries, and the
demo's largest plan grown to 15 activities with two owners each. Written
in bulk through the ORM (the services would take minutes); seeded, so every run has the same
data."""

import random
import uuid
from typing import TYPE_CHECKING, cast

from tortoise import connections
from tortoise.functions import Count

from bench.contest_results import seed_edition
from bench.peer.queries import Fixture

if TYPE_CHECKING:
    from models.plan import Plan

WORKS = 2000
AUTHORS_PER_WORK = 3
YEARS = (2561, 2562, 2563, 2564, 2565)
EDITION_YEAR = 2564  # the demo's own edition is 2565
EDITION_ENTRIES = 100
JUDGES = 10
PLAN_ACTIVITIES = 15
OWNERS_PER_ACTIVITY = 2
DASHBOARD_UNITS = 5
DASHBOARD_YEAR = 2565
REGISTRY_START = 5001  # above the demo's numbers
# PostgreSQL does not index a foreign key by itself; PostGraphile exposes a backward relation
# (a step's document slots, a slot's files, a plan's activities) only over an indexed one, as its
# documentation asks. Both servers read the same database, so both get the indexes.
FOREIGN_KEY_INDEXES = """
CREATE INDEX IF NOT EXISTS bench_peer_document_slot_step ON document_slot (step_id);
CREATE INDEX IF NOT EXISTS bench_peer_document_slot ON document (slot_id);
CREATE INDEX IF NOT EXISTS bench_peer_activity_plan ON activity (plan_id);
"""
FIRST_NAMES = ("สมชาย", "สมหญิง", "วิไลวรรณ", "ประเสริฐ", "จุฑามาศ", "ธนพล", "อรุณี", "กิตติพงษ์")
LAST_NAMES = ("ใจดี", "รักเรียน", "ศรีสุข", "มั่นคง", "เกษมสุข", "ไชยชาญ", "บุญมา", "ทองคำ")
ABSTRACT = "การพัฒนากระบวนการทำงานด้วยการจัดการความรู้ " * 14  # about 600 characters


async def seed() -> Fixture:
    from models.cycle import Cycle
    from models.org import Unit
    from models.plan import Plan
    from models.work import Work, WorkAuthor, WorkKind, WorkStatus

    rng = random.Random(2565)
    units = cast(list[int], await Unit.all().order_by("code").values_list("id", flat=True))
    kinds = list(WorkKind)
    await Work.bulk_create(
        [
            Work(
                unit_id=units[n % len(units)],
                fiscal_year=YEARS[n % len(YEARS)],
                kind=kinds[n % len(kinds)],
                status=WorkStatus.REGISTERED,
                title_th=f"นวัตกรรมการจัดการความรู้ในงานบริการ เรื่องที่ {n + 1}",
                abstract_th=ABSTRACT,
                search_text=ABSTRACT,
                keywords=["การจัดการความรู้", "นวัตกรรม"],
                registry_number=f"LO-{YEARS[n % len(YEARS)]}-{REGISTRY_START + n}",
            )
            for n in range(WORKS)
        ],
        batch_size=500,
    )
    seeded = (
        await Work.filter(registry_number__isnull=False, status=WorkStatus.REGISTERED)
        .filter(title_th__startswith="นวัตกรรมการจัดการความรู้ในงานบริการ")
        .order_by("id")
        .values_list("id", "unit_id", "fiscal_year")
    )
    await WorkAuthor.bulk_create(
        [
            WorkAuthor(
                work_id=work_id,
                position=position,
                name_th=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                affiliation="กรมตัวอย่าง",
                corresponding=position == 1,
            )
            for work_id, _, _ in seeded
            for position in range(1, AUTHORS_PER_WORK + 1)
        ],
        batch_size=1000,
    )
    entries = [(w, u) for w, u, year in seeded if year == EDITION_YEAR][:EDITION_ENTRIES]
    edition = await seed_edition(EDITION_YEAR, entries, judges=JUDGES)
    await connections.get("default").execute_script(FOREIGN_KEY_INDEXES)
    cycle = await Cycle.get(unit__code="OSD", fiscal_year=DASHBOARD_YEAR)
    plan = (
        await Plan.annotate(activity_count=Count("activities"))
        .order_by("-activity_count", "id")
        .first()
    )
    assert plan is not None
    await grow(plan, rng)
    return Fixture(
        cycle=cycle.id,
        plan=plan.id,
        contest=edition["contest_id"],
        units=units[:DASHBOARD_UNITS],
        fiscal_year=DASHBOARD_YEAR,
    )


async def grow(plan: "Plan", rng: random.Random) -> None:
    """``plan`` to PLAN_ACTIVITIES activities, copies of its first one, each with owners from
    the plan's unit."""
    from models.org import Person
    from models.plan import Activity, ActivityOwner

    activities = await Activity.filter(plan_id=plan.id).order_by("position")
    first = activities[0]
    await Activity.bulk_create(
        [
            Activity(
                plan_id=plan.id,
                lineage=uuid.UUID(int=rng.getrandbits(128)),
                position=position,
                title_th=f"{first.title_th} ระยะที่ {position}",
                objective_th=first.objective_th,
                measure_id=first.measure_id,
                knowledge_topic_id=first.knowledge_topic_id,
                levers=first.levers,
                start_month=first.start_month,
                end_month=first.end_month,
                budget=first.budget,
                target_th=first.target_th,
                weight=first.weight,
            )
            for position in range(len(activities) + 1, PLAN_ACTIVITIES + 1)
        ]
    )
    cycle = await plan.cycle
    people = list(
        await Person.filter(unit_id=cycle.unit_id).order_by("id").values_list("id", flat=True)
    )
    added = await Activity.filter(plan_id=plan.id, position__gt=len(activities)).order_by("id")
    await ActivityOwner.bulk_create(
        [
            ActivityOwner(activity_id=activity.id, person_id=person)
            for n, activity in enumerate(added)
            for person in {people[(n + k) % len(people)] for k in range(OWNERS_PER_ACTIVITY)}
        ]
    )
