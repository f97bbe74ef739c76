"""A LIKE Talk Award world for tests: the FY 2565 edition (call open now) with two categories, a
two-criterion rubric and a small form; registered works of two units; an organiser, a manager and
judges from several units."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from models.contest import Contest, ContestCategory, Entry, RubricCriterion
from models.org import Person, Unit
from models.user import User
from models.work import Work, WorkKind
from services import works
from services.actor import SYSTEM
from services.contests import editions, entries
from services.contests.editions import ContestAction
from services.contests.entries import EntryAction
from tests.helpers import make_user
from tests.world import World, make_person, make_unit, make_world

FORM = [
    {"key": "title", "kind": "TEXT", "label_th": "ชื่อโครงการ", "required": True, "max_length": 50},
    {"key": "budget", "kind": "NUMBER", "label_th": "งบประมาณ", "minimum": 0, "maximum": 1000},
    {
        "key": "kind",
        "kind": "CHOICE",
        "label_th": "ลักษณะ",
        "required": True,
        "choices": [{"value": "A", "label_th": "ก"}, {"value": "B", "label_th": "ข"}],
    },
]
GOOD_ANSWERS = {"title": "สวนสุขภาพ", "budget": 100, "kind": "A"}
# Criterion A: 0–10 step 1, weight 2; criterion B: 1–5 step 0.5, weight 1.
CRITERIA = [
    {"name_th": "นวัตกรรม", "name_en": "Innovation", "scale_max": 10, "weight": 2},
    {"name_th": "ผลลัพธ์", "scale_min": 1, "scale_max": 5, "scale_step": 0.5, "weight": 1},
]


@dataclass
class ContestWorld:
    world: World
    contest: Contest
    categories: list[ContestCategory]
    criteria: list[RubricCriterion]
    organiser: User
    manager: User
    judges: dict[str, User]  # name → account; judge_osd belongs to the entries' unit OSD
    third_unit: Unit
    author: User  # MEMBER of OSD, author of the OSD works


def contest_data(fiscal_year: int = 2565, **changes: object) -> editions.ContestData:
    now = datetime.now(UTC)
    fields: dict[str, object] = {
        "fiscal_year": fiscal_year,
        "name_th": f"LIKE Talk Award {fiscal_year}",
        "opens_at": now - timedelta(days=1),
        "closes_at": now + timedelta(days=1),
        "changes_until": now + timedelta(days=2),
        "categories": [
            {"code": "INNOVATION", "name_th": "นวัตกรรม"},
            {"code": "SERVICE", "name_th": "บริการ"},
        ],
        "criteria": CRITERIA,
        "form": FORM,
        **changes,
    }
    return editions.ContestData.model_validate(fields)


async def registered_work(unit: Unit, author: Person, title: str = "ผลงาน") -> Work:
    work = await works.create_work(
        actor=SYSTEM,
        unit_id=unit.id,
        data=works.WorkData.model_validate(
            {
                "kind": WorkKind.INNOVATION,
                "fiscal_year": 2565,
                "title_th": title,
                "authors": [{"person_id": author.id, "corresponding": True}],
            }
        ),
    )
    await works.act_on_work(actor=SYSTEM, work_id=work.id, action=works.WorkAction.SUBMIT)
    return await works.act_on_work(actor=SYSTEM, work_id=work.id, action=works.WorkAction.REGISTER)


async def make_contest_world(*, open_it: bool = True) -> ContestWorld:
    world = await make_world(with_cycle=False)
    third = await make_unit("DOH3", "ศูนย์อนามัยที่ 3")
    organiser = await make_user("organiser", roles={"CONTEST_ORGANISER"})
    manager = await make_user("manager", roles={"MANAGER"})
    judges = {}
    for name, unit in (("judge_hpc", world.other_unit), ("judge_third", third)):
        judges[name] = await make_user(name)
        await make_person(unit, name, judges[name])
    judges["judge_osd"] = world.users["SECRETARY"]  # a person of OSD
    judges["judge_free"] = await make_user("judge_free")  # no staff record: no unit
    contest = await editions.create_contest(actor=SYSTEM, data=contest_data())
    if open_it:
        await editions.change_contest_status(
            actor=SYSTEM, contest_id=contest.id, action=ContestAction.OPEN
        )
        contest = await Contest.get(id=contest.id)
    return ContestWorld(
        world=world,
        contest=contest,
        categories=list(await ContestCategory.filter(contest_id=contest.id).order_by("position")),
        criteria=list(await RubricCriterion.filter(contest_id=contest.id).order_by("position")),
        organiser=organiser,
        manager=manager,
        judges=judges,
        third_unit=third,
        author=world.users["MEMBER"],
    )


async def shortlisted_entry(cw: ContestWorld, title: str, unit: Unit | None = None) -> Entry:
    """A registered work of ``unit`` (OSD by default) entered, submitted and shortlisted."""
    unit = unit or cw.world.unit
    author = (
        cw.world.people["กนกานต์"]
        if unit.id == cw.world.unit.id
        else await make_person(unit, "ผู้เขียน")
    )
    work = await registered_work(unit, author, title)
    entry = await entries.create_entry(
        actor=SYSTEM,
        contest_id=cw.contest.id,
        work_id=work.id,
        data=entries.EntryData(category_id=cw.categories[0].id, answers=GOOD_ANSWERS),
    )
    for action in (EntryAction.SUBMIT, EntryAction.SHORTLIST):
        entry = await entries.act_on_entry(actor=SYSTEM, entry_id=entry.id, action=action)
    return entry


async def start_judging(cw: ContestWorld) -> None:
    for action in (ContestAction.CLOSE, ContestAction.START_JUDGING):
        await editions.change_contest_status(actor=SYSTEM, contest_id=cw.contest.id, action=action)
    cw.contest = await Contest.get(id=cw.contest.id)
