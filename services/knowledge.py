"""Knowledge topics and PIRAB measures (SOP step 6).

The committee selects the year's knowledge topics (from the GAP ranking, or added by hand) by
assigning each to people with a target date, and sets measures, each tagged with one or more
PIRAB levers and linked to the selected topics it addresses. Confirming them completes step 6:
it needs at least one assigned topic and one measure.
"""

from datetime import date
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from models.cycle import Cycle
from models.org import Person
from models.survey import KnowledgeTopic, KnowledgeTopicStatus, Measure, PirabLever, TopicAssignment
from services import audit
from services.actor import Actor
from services.cycles import complete_step_done_here
from services.errors import DomainError, ErrorCode, Problem, not_found
from services.fiscal import FiscalYear
from services.permissions import readable_by_anyone_signed_in, require_unit_lead

MEASURES_STEP = 6
TOPIC_TITLE_MAX = 500
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
PIRAB = [
    ("P", "การสร้างภาคีเครือข่าย (Partner)", "Partner"),
    ("I", "การลงทุน (Invest)", "Invest"),
    ("R", "การออกกฎระเบียบและกฎหมาย (Regulate and legislate)", "Regulate and legislate"),
    ("A", "การชี้นำสังคม (Advocate)", "Advocate"),
    ("B", "การพัฒนาศักยภาพ (Build capacity)", "Build capacity"),
]


class Assignment(BaseModel):
    model_config = ConfigDict(frozen=True)
    person_id: int
    target_date: date


class MeasureData(BaseModel):
    model_config = ConfigDict(frozen=True)
    cycle_id: int
    title_th: Text
    title_en: str | None = None
    description_th: str = ""
    levers: list[Annotated[str, StringConstraints(to_upper=True)]] = Field(min_length=1)
    topic_ids: list[int] = Field(default_factory=list)


async def ensure_pirab_levers() -> None:
    """The five levers as shipped; their labels are data administrators may change."""
    if await PirabLever.all().count() < len(PIRAB):
        for position, (code, label_th, label_en) in enumerate(PIRAB, start=1):
            await PirabLever.get_or_create(
                code=code,
                defaults={"label_th": label_th, "label_en": label_en, "position": position},
            )


async def levers() -> list[PirabLever]:
    await ensure_pirab_levers()
    return await PirabLever.all().order_by("position")


async def unknown_levers(codes: list[str]) -> list[Problem]:
    """A problem for each code that names no PIRAB lever, at ``levers.<index>``."""
    await ensure_pirab_levers()
    known = set(await PirabLever.all().values_list("code", flat=True))
    return [
        Problem(ErrorCode.INVALID_INPUT, "unknown_lever", ("levers", str(i)), {"code": code})
        for i, code in enumerate(codes)
        if code not in known
    ]


async def create_topic(
    *, actor: Actor, cycle_id: int, title_th: str, title_en: str | None
) -> KnowledgeTopic:
    cycle = await _cycle(cycle_id)
    await require_unit_lead(actor, cycle.unit_id)
    title = title_th.strip()
    if not title:
        raise DomainError.of(ErrorCode.INVALID_INPUT, "required", field=("titleTh",))
    if len(title) > TOPIC_TITLE_MAX:
        raise DomainError.of(
            ErrorCode.INVALID_INPUT, "too_long", field=("titleTh",), max=TOPIC_TITLE_MAX
        )
    if await KnowledgeTopic.exists(cycle_id=cycle.id, title_th=title):
        raise DomainError.of(ErrorCode.DUPLICATE, "topic_exists", field=("titleTh",), title=title)
    async with in_transaction() as connection:
        topic = await KnowledgeTopic.create(
            cycle_id=cycle.id, title_th=title, title_en=title_en, using_db=connection
        )
        await audit.record(
            actor=actor,
            action="knowledgeTopic.create",
            object_type="KnowledgeTopic",
            object_id=topic.id,
            after={"titleTh": title},
            connection=connection,
        )
    return topic


async def assign_topic(
    *, actor: Actor, topic_id: int, assignments: list[Assignment], reason: str | None = None
) -> KnowledgeTopic:
    """Select the topic (or, with no assignments, return it to the candidates) and give it to
    people of the unit with target dates inside the fiscal year."""
    topic = await KnowledgeTopic.get_or_none(id=topic_id)
    if topic is None:
        raise not_found("topic", "ประเด็นความรู้", "Topic")
    cycle = await Cycle.get(id=topic.cycle_id)
    await require_unit_lead(actor, cycle.unit_id)
    await _check_assignments(cycle, assignments)
    async with in_transaction() as connection:
        before = (
            await TopicAssignment.filter(topic_id=topic.id)
            .using_db(connection)
            .values("person_id", "target_date")
        )
        await TopicAssignment.filter(topic_id=topic.id).using_db(connection).delete()
        await TopicAssignment.bulk_create(
            [
                TopicAssignment(topic_id=topic.id, person_id=a.person_id, target_date=a.target_date)
                for a in assignments
            ],
            using_db=connection,
        )
        topic.status = (
            KnowledgeTopicStatus.SELECTED if assignments else KnowledgeTopicStatus.CANDIDATE
        )
        topic.version += 1
        await topic.save(using_db=connection, update_fields=["status", "version"])
        await audit.record(
            actor=actor,
            action="knowledgeTopic.assign",
            object_type="KnowledgeTopic",
            object_id=topic.id,
            before={"assignments": [_jsonable(b) for b in before]},
            after={"assignments": [a.model_dump(mode="json") for a in assignments]},
            reason=reason,
            connection=connection,
        )
    return topic


async def create_measure(*, actor: Actor, data: MeasureData) -> Measure:
    cycle = await _cycle(data.cycle_id)
    await require_unit_lead(actor, cycle.unit_id)
    problems = await unknown_levers(data.levers)
    topics = await KnowledgeTopic.filter(
        id__in=data.topic_ids, cycle_id=cycle.id, status=KnowledgeTopicStatus.SELECTED
    )
    if len(topics) != len(set(data.topic_ids)):
        problems.append(Problem(ErrorCode.INVALID_INPUT, "measure_topics", ("topics",), {}))
    if problems:
        raise DomainError(*problems)
    async with in_transaction() as connection:
        measure = await Measure.create(
            cycle_id=cycle.id,
            title_th=data.title_th,
            title_en=data.title_en,
            description_th=data.description_th,
            levers=sorted(set(data.levers), key=[c for c, *_ in PIRAB].index),
            using_db=connection,
        )
        if topics:
            await measure.topics.add(*topics, using_db=connection)
        await audit.record(
            actor=actor,
            action="measure.create",
            object_type="Measure",
            object_id=measure.id,
            after=data.model_dump(mode="json"),
            connection=connection,
        )
    return measure


async def confirm(*, actor: Actor, cycle_id: int, on: date | None = None) -> Cycle:
    """The year's topics and measures are set: complete step 6 (``on`` that day)."""
    cycle = await _cycle(cycle_id)
    await require_unit_lead(actor, cycle.unit_id)
    assigned = await TopicAssignment.filter(topic__cycle_id=cycle.id).exists()
    measures = await Measure.filter(cycle_id=cycle.id).exists()
    if not (assigned and measures):
        raise DomainError.of(ErrorCode.INVALID_INPUT, "measures_incomplete", field=("cycle",))
    async with in_transaction() as connection:
        await audit.record(
            actor=actor,
            action="measures.confirm",
            object_type="Cycle",
            object_id=cycle.id,
            connection=connection,
        )
        await complete_step_done_here(
            actor=actor,
            cycle_id=cycle.id,
            step_no=MEASURES_STEP,
            reason_key="measures_confirmed_reason",
            connection=connection,
            on=on,
        )
    return cycle


async def _check_assignments(cycle: Cycle, assignments: list[Assignment]) -> None:
    year = FiscalYear(cycle.fiscal_year)
    people = set(
        await Person.filter(
            id__in=[a.person_id for a in assignments], unit_id=cycle.unit_id
        ).values_list("id", flat=True)
    )
    problems = []
    seen: set[int] = set()
    for index, assignment in enumerate(assignments):
        if assignment.person_id in seen:
            problems.append(
                Problem(
                    ErrorCode.INVALID_INPUT,
                    "member_twice",
                    ("assignments", str(index), "person"),
                    {"name": str(assignment.person_id)},
                )
            )
        seen.add(assignment.person_id)
        if assignment.person_id not in people:
            problems.append(
                Problem(
                    ErrorCode.INVALID_INPUT,
                    "responsible_other_unit",
                    ("assignments", str(index), "person"),
                    {},
                )
            )
        if not year.contains(assignment.target_date):
            problems.append(
                Problem(
                    ErrorCode.INVALID_INPUT,
                    "outside_fiscal_year",
                    ("assignments", str(index), "targetDate"),
                    {"day": assignment.target_date.isoformat(), "year": year.be},
                )
            )
    if problems:
        raise DomainError(*problems)


async def _cycle(cycle_id: int) -> Cycle:
    cycle = await Cycle.get_or_none(id=cycle_id)
    if cycle is None:
        raise not_found("cycle", "รอบ", "Cycle")
    return cycle


def _jsonable(row: dict[str, object]) -> dict[str, object]:
    return {k: v.isoformat() if isinstance(v, date) else v for k, v in row.items()}


# -- read rules -----------------------------------------------------------------------------------


def visible_topics(actor: Actor) -> QuerySet[KnowledgeTopic]:
    """Knowledge topics and who they are assigned to: anyone signed in."""
    return readable_by_anyone_signed_in(actor, KnowledgeTopic.all())


def visible_measures(actor: Actor) -> QuerySet[Measure]:
    """Measures (มาตรการ): anyone signed in."""
    return readable_by_anyone_signed_in(actor, Measure.all())
