"""The event catalogue: for each event, what it is about, who is told, the placeholders its
templates may use and their default wording. Audiences and values read the models only (through
the change's connection), so the domain services can call ``tell`` without import cycles."""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.models import Model

from models.committee import CommitteeRole, Membership
from models.contest import Contest, Entry, JudgeAssignment
from models.cycle import Cycle, CycleStep, StepResponsible
from models.kpi import ProgressReport
from models.notice import NoticeEvent as E
from models.org import Person
from models.work import Work, WorkAuthor

Audience = Callable[[Any, BaseDBAsyncClient], Awaitable[set[int]]]
Values = Callable[[Any, BaseDBAsyncClient], Awaitable[dict[str, str]]]


@dataclass(frozen=True)
class Spec:
    """One event: the model of its subject (the object the notification points at), who is
    told (user ids; ``tell`` may be given them instead), the placeholders the change supplies
    besides the subject's own values, and the default templates."""

    model: type[Model]
    audience: Audience
    values: Values
    extra: tuple[str, ...]
    th: str
    en: str
    # A receipt: the one who made the change is told too (an entrant who submits).
    tells_actor: bool = False


# -- audiences --------------------------------------------------------------------------------


async def _ids(rows: Awaitable[Any]) -> set[int]:
    """The ids a ``values_list(..., flat=True)`` query finds."""
    return {int(v) for v in await rows}


async def users_of(person_ids: set[int], connection: BaseDBAsyncClient) -> set[int]:
    """The accounts of these people (those that have one)."""
    if not person_ids:
        return set()
    return await _ids(
        Person.filter(id__in=sorted(person_ids), user_id__isnull=False)
        .using_db(connection)
        .values_list("user_id", flat=True)
    )


async def _authors(work_id: int, connection: BaseDBAsyncClient) -> set[int]:
    return await _ids(
        WorkAuthor.filter(work_id=work_id, person__user_id__isnull=False)
        .using_db(connection)
        .values_list("person__user_id", flat=True)
    )


async def work_people(work: Work, connection: BaseDBAsyncClient) -> set[int]:
    """Its authors with accounts and whoever created it."""
    found = await _authors(work.id, connection)
    return found | ({work.created_by_id} if work.created_by_id else set())


async def entrants(entry: Entry, connection: BaseDBAsyncClient) -> set[int]:
    """Whoever entered it and the authors of its work."""
    found = await _authors(entry.work_id, connection)
    return found | ({entry.created_by_id} if entry.created_by_id else set())


async def judges(contest: Contest, connection: BaseDBAsyncClient) -> set[int]:
    return await _ids(
        JudgeAssignment.filter(contest_id=contest.id)
        .using_db(connection)
        .values_list("judge_id", flat=True)
    )


async def nobody(_: Any, __: BaseDBAsyncClient) -> set[int]:
    """Events whose people the change names (``tell(..., users=...)``)."""
    return set()


async def step_people(step: CycleStep, connection: BaseDBAsyncClient) -> set[int]:
    """Those responsible for it; the whole current committee for a whole-committee step."""
    people = await _ids(
        StepResponsible.filter(step_id=step.id)
        .using_db(connection)
        .values_list("person_id", flat=True)
    )
    if step.whole_committee:
        people |= await _ids(
            Membership.filter(
                order__unit_id=await _unit_of_cycle(step.cycle_id, connection),
                order__superseded_by_id__isnull=True,
            )
            .using_db(connection)
            .values_list("person_id", flat=True)
        )
    return await users_of(people, connection)


async def unit_leads(report: ProgressReport, connection: BaseDBAsyncClient) -> set[int]:
    """The chair and the secretary of the unit's current committee (who record DOC 4.0)."""
    people = await _ids(
        Membership.filter(
            order__unit_id=await _unit_of_cycle(report.cycle_id, connection),
            order__superseded_by_id__isnull=True,
            role__in=[CommitteeRole.CHAIR, CommitteeRole.SECRETARY],
        )
        .using_db(connection)
        .values_list("person_id", flat=True)
    )
    return await users_of(people, connection)


async def reporters(report: ProgressReport, connection: BaseDBAsyncClient) -> set[int]:
    return {u for u in (report.created_by_id, report.submitted_by_id) if u}


async def _unit_of_cycle(cycle_id: int, connection: BaseDBAsyncClient) -> int:
    return (await Cycle.get(id=cycle_id, using_db=connection)).unit_id


# -- the subject's own values -----------------------------------------------------------------


async def work_values(work: Work, _: BaseDBAsyncClient) -> dict[str, str]:
    return {"title": work.title_th, "registry_number": work.registry_number or ""}


async def entry_values(entry: Entry, connection: BaseDBAsyncClient) -> dict[str, str]:
    title = (
        await Work.filter(id=entry.work_id)
        .using_db(connection)
        .first()
        .values_list("title_th", flat=True)
    )
    contest = await Contest.get(id=entry.contest_id, using_db=connection)
    labels = {a["code"]: a["label_th"] for a in contest.award_levels}
    return {
        "title": str(title or ""),
        "contest": contest.name_th,
        "award": labels.get(entry.award_level or "", entry.award_level or ""),
        "rank": "" if entry.final_rank is None else str(entry.final_rank),
    }


async def contest_values(contest: Contest, _: BaseDBAsyncClient) -> dict[str, str]:
    return {"contest": contest.name_th}


async def step_values(step: CycleStep, connection: BaseDBAsyncClient) -> dict[str, str]:
    cycle = await Cycle.get(id=step.cycle_id, using_db=connection)
    return {
        "step": f"{step.no} {step.title_th}",
        "indicator": cycle.indicator_code,
        "year": str(cycle.fiscal_year),
    }


async def report_values(report: ProgressReport, connection: BaseDBAsyncClient) -> dict[str, str]:
    cycle = await Cycle.get(id=report.cycle_id, using_db=connection)
    return {
        "round": report.round.value,
        "indicator": cycle.indicator_code,
        "year": str(cycle.fiscal_year),
        "doc_reference": report.doc_reference or "",
    }


WORK = ("title", "registry_number")
ENTRY = ("title", "contest")
STEP = ("step", "indicator", "year")
REPORT = ("round", "indicator", "year", "doc_reference")


def _work(extra: tuple[str, ...], th: str, en: str) -> Spec:
    return Spec(Work, work_people, work_values, extra, th, en)


def _entry(extra: tuple[str, ...], th: str, en: str, **kw: Any) -> Spec:
    return Spec(Entry, entrants, entry_values, extra, th, en, **kw)


def _step(extra: tuple[str, ...], th: str, en: str, audience: Audience = step_people) -> Spec:
    return Spec(CycleStep, audience, step_values, extra, th, en)


CATALOGUE: dict[E, Spec] = {
    E.WORK_RETURNED: _work(
        ("reason",),
        "ผลงาน {title} ถูกส่งกลับให้แก้ไข: {reason}",
        "Your work {title} was returned for changes: {reason}",
    ),
    E.WORK_REGISTERED: _work(
        (),
        "ผลงาน {title} ได้รับการขึ้นทะเบียนแล้ว เลขทะเบียน {registry_number}",
        "Your work {title} was registered as {registry_number}",
    ),
    E.WORK_PUBLISHED: _work(
        ("link", "channels"),
        "ผลงาน {title} เผยแพร่แล้ว ({channels}): {link}",
        "Your work {title} is published ({channels}): {link}",
    ),
    E.WORK_RETRACTED: _work(
        ("reason",),
        "ผลงาน {title} ถูกถอนการเผยแพร่: {reason}",
        "Your work {title} was taken down: {reason}",
    ),
    E.ENTRY_SUBMITTED: _entry(
        (),
        "ได้รับผลงาน {title} ที่ส่งเข้าประกวด {contest} แล้ว",
        "Your entry {title} to {contest} was received",
        tells_actor=True,
    ),
    E.ENTRY_SCREENED_OUT: _entry(
        ("comment",),
        "ผลงาน {title} ไม่ผ่านการคัดกรองใน {contest}: {comment}",
        "Your entry {title} was not shortlisted in {contest}: {comment}",
    ),
    E.ENTRY_RETURNED: _entry(
        ("comment",),
        "ผลงาน {title} ที่ส่งเข้าประกวด {contest} ถูกส่งกลับให้แก้ไข: {comment}",
        "Your entry {title} to {contest} was returned for changes: {comment}",
    ),
    E.ENTRY_SHORTLISTED: _entry(
        (),
        "ผลงาน {title} ผ่านการคัดกรองใน {contest}",
        "Your entry {title} was shortlisted in {contest}",
    ),
    E.ENTRY_PRESENTED: _entry(
        (),
        "บันทึกการนำเสนอผลงาน {title} ใน {contest} แล้ว",
        "Your entry {title} was presented in {contest}",
    ),
    E.ENTRY_AWARDED: _entry(
        ("award", "rank"),
        "ยินดีด้วย ผลงาน {title} ได้รับรางวัล {award} ใน {contest} (อันดับ {rank})",
        "Congratulations: your entry {title} won {award} in {contest} (rank {rank})",
    ),
    E.ENTRY_NOT_AWARDED: _entry(
        ("rank",),
        "ประกาศผล {contest} แล้ว ผลงาน {title} ไม่ได้รับรางวัล",
        "The results of {contest} are out: your entry {title} won no award",
    ),
    E.JUDGE_ASSIGNED: Spec(
        Entry,
        nobody,
        entry_values,
        (),
        "ท่านได้รับมอบหมายให้ประเมินผลงาน {title} ใน {contest}",
        "You are assigned to judge the entry {title} in {contest}",
    ),
    E.SHEET_REOPENED: Spec(
        Entry,
        nobody,
        entry_values,
        ("reason",),
        "ใบให้คะแนนผลงาน {title} ใน {contest} ถูกเปิดให้แก้ไขอีกครั้ง: {reason}",
        "Your score sheet for {title} in {contest} was reopened: {reason}",
    ),
    E.RESULTS_PUBLISHED: Spec(
        Contest,
        judges,
        contest_values,
        (),
        "ประกาศผลการประกวด {contest} แล้ว",
        "The results of {contest} are published",
    ),
    E.STEP_RESPONSIBLE: _step(
        (),
        "ท่านได้รับมอบหมายให้รับผิดชอบขั้นตอนที่ {step} ({indicator} ปี {year})",
        "You are named responsible for step {step} ({indicator}, {year})",
        nobody,
    ),
    E.STEP_STARTED: _step(
        (),
        "ขั้นตอนที่ {step} ({indicator} ปี {year}) เริ่มดำเนินการแล้ว",
        "Step {step} ({indicator}, {year}) has started",
    ),
    E.STEP_COMPLETED: _step(
        (),
        "ขั้นตอนที่ {step} ({indicator} ปี {year}) เสร็จสิ้นแล้ว",
        "Step {step} ({indicator}, {year}) is complete",
    ),
    E.STEP_REOPENED: _step(
        ("reason",),
        "ขั้นตอนที่ {step} ({indicator} ปี {year}) ถูกเปิดอีกครั้ง: {reason}",
        "Step {step} ({indicator}, {year}) was reopened: {reason}",
    ),
    E.REPORT_SUBMITTED: Spec(
        ProgressReport,
        unit_leads,
        report_values,
        (),
        "รายงานความก้าวหน้ารอบ {round} ({indicator} ปี {year}) ส่งแล้ว รอบันทึกใน DOC 4.0",
        "The {round} progress report ({indicator}, {year}) was submitted: record it in DOC 4.0",
    ),
    E.REPORT_RECORDED: Spec(
        ProgressReport,
        reporters,
        report_values,
        (),
        "รายงานความก้าวหน้ารอบ {round} ({indicator} ปี {year}) บันทึกใน DOC 4.0 แล้ว "
        "เลขที่ {doc_reference}",
        "The {round} progress report ({indicator}, {year}) was recorded in DOC 4.0 as "
        "{doc_reference}",
    ),
}

SUBJECT_VALUES = {
    Work: WORK,
    Entry: ENTRY,
    Contest: ("contest",),
    CycleStep: STEP,
    ProgressReport: REPORT,
}


def placeholders(event: E) -> tuple[str, ...]:
    """What the event's templates may name."""
    spec = CATALOGUE[event]
    return SUBJECT_VALUES[spec.model] + spec.extra
