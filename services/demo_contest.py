"""Demo data for the LIKE Talk Award: the FY 2565 edition, judged and published.

Five units enter twenty registered works in three categories (one is not shortlisted, one is
withdrawn); five judges (accounts ``judge1`` … ``judge5``, each from a unit, the admin's
password) are balanced three to an entry by ``auto_assign`` after two declared conflicts, and
score every criterion (deterministic marks: each entry has a quality, each judge a severity, so
the normalised ranking differs from the raw one). Awards go to the top four of each category by
the edition's method (NORMALISED) and are published. ``organiser`` (CONTEST_ORGANISER) and
``manager`` (MANAGER) accounts come with it. Every change goes through the services, as a user
would make it, on the story's clock: the call ran June–July 2022, the sheets came in at the
end of July and the results were published on 31 August.
"""

import random
from datetime import UTC, datetime, timedelta

from models.contest import (
    Contest,
    ContestCategory,
    Entry,
    EntryStatus,
    JudgeAssignment,
    RubricCriterion,
)
from models.org import Person, Unit
from models.user import Role, User
from models.work import WorkKind
from services import clock, org, works
from services.actor import SYSTEM, Actor
from services.contests import assignments, editions, entries, judging, results
from services.contests.editions import ContestAction
from services.contests.entries import EntryAction
from services.users import ensure_user

FISCAL_YEAR = 2565
SEED = 2565
UNITS = [
    ("HPC01", "ศูนย์อนามัยที่ 1 เชียงใหม่", "Health Promotion Center Region 1"),
    ("HPC05", "ศูนย์อนามัยที่ 5 ราชบุรี", "Health Promotion Center Region 5"),
    ("BHP", "สำนักส่งเสริมสุขภาพ", "Bureau of Health Promotion"),
    ("PLAN", "กองแผนงาน", "Division of Planning"),
]
CATEGORIES = [
    ("INNOVATION", "นวัตกรรมสร้างสรรค์", "Innovation"),
    ("SERVICE", "การพัฒนาบริการ", "Service improvement"),
    ("KM", "การจัดการความรู้", "Knowledge management"),
]
CRITERIA = [
    ("ความคิดสร้างสรรค์และความเป็นนวัตกรรม", "Creativity", 0, 10, 0.5, 3),
    ("ประโยชน์และผลลัพธ์ที่เกิดขึ้น", "Benefits and results", 0, 10, 0.5, 3),
    ("ความเป็นไปได้และการขยายผล", "Feasibility and scaling", 1, 5, 1, 2),
    ("การนำเสนอ", "Presentation", 1, 5, 1, 2),
]
FORM = [
    {"key": "project", "kind": "TEXT", "label_th": "ชื่อโครงการ", "label_en": "Project",
     "required": True, "max_length": 200},
    {"key": "objective", "kind": "LONG_TEXT", "label_th": "วัตถุประสงค์", "label_en": "Objective",
     "required": True, "max_length": 2000},
    {"key": "budget", "kind": "NUMBER", "label_th": "งบประมาณ (บาท)", "label_en": "Budget (THB)",
     "minimum": 0, "maximum": 10_000_000},
    {"key": "started", "kind": "DATE", "label_th": "วันที่เริ่มดำเนินการ", "label_en": "Started",
     "earliest": "2020-10-01", "latest": "2022-09-30"},
    {"key": "stage", "kind": "CHOICE", "label_th": "ระยะของผลงาน", "label_en": "Stage",
     "required": True, "choices": [
         {"value": "PILOT", "label_th": "นำร่อง", "label_en": "Pilot"},
         {"value": "SCALED", "label_th": "ขยายผลแล้ว", "label_en": "Scaled up"}]},
    {"key": "team", "kind": "PERSON_LIST", "label_th": "ทีมงาน", "label_en": "Team",
     "max_items": 10},
]  # fmt: skip
TOPICS = [
    "ระบบนัดหมายออนไลน์", "คลินิกไร้พุง", "ชุมชนรอบรู้สุขภาพ", "แอปติดตามพัฒนาการเด็ก",
    "ห้องสมุดมีชีวิต", "ลดขั้นตอนเบิกจ่าย", "ตลาดนัดความรู้", "โรงเรียนส่งเสริมสุขภาพ",
    "ระบบแจ้งเตือนผู้สูงอายุ", "คู่มือ KM ออนไลน์", "ผักปลอดสารในโรงพยาบาล", "ศูนย์ข้อมูลอนามัย",
    "เวทีแลกเปลี่ยนเรียนรู้", "บริการจุดเดียวเบ็ดเสร็จ", "ชุดความรู้แม่และเด็ก", "แดชบอร์ดตัวชี้วัด",
    "อาสาสมัครสุขภาพดิจิทัล", "คลังความรู้ผู้เกษียณ", "ลดขยะในสำนักงาน", "โค้ชสุขภาพองค์กร",
]  # fmt: skip
# The call of FY 2565, as it ran, on the story's clock.
UNITS_SINCE = datetime(2019, 10, 1, 3, 0, tzinfo=UTC)
PREPARED = datetime(2022, 5, 25, 3, 0, tzinfo=UTC)
OPENS = datetime(2022, 6, 1, 2, 0, tzinfo=UTC)
CLOSES = datetime(2022, 7, 15, 10, 0, tzinfo=UTC)
CHANGES_UNTIL = datetime(2022, 7, 22, 10, 0, tzinfo=UTC)
SCREENED = datetime(2022, 7, 18, 3, 0, tzinfo=UTC)
PRESENTED = datetime(2022, 7, 26, 2, 0, tzinfo=UTC)
DECIDED = datetime(2022, 8, 24, 3, 0, tzinfo=UTC)
RESULTS = datetime(2022, 8, 31, 3, 0, tzinfo=UTC)
AWARDS = ["GOLD", "SILVER", "BRONZE", "HONOURABLE_MENTION"]


def _mark(rng: random.Random, criterion: RubricCriterion, quality: float, severity: float) -> float:
    """A mark on the criterion's grid: quality (0–1) less the judge's severity, with noise."""
    share = min(max(quality - severity + rng.uniform(-0.12, 0.12), 0.0), 1.0)
    steps = round((criterion.scale_max - criterion.scale_min) / criterion.scale_step)
    return criterion.scale_min + round(share * steps) * criterion.scale_step


async def load_contest_demo(*, password: str, osd: Unit) -> Contest:
    with clock.story(UNITS_SINCE):
        units, authors, judges = await _units_and_judges(password, osd)
    with clock.story(PREPARED):
        return await _edition(units, authors, judges)


async def _units_and_judges(
    password: str, osd: Unit
) -> tuple[list[Unit], dict[int, Person], list[User]]:
    """The units, their developers, the organiser, the manager and the judges, in LO Hub since
    FY 2563 like the example unit."""
    units = [osd]
    for code, name_th, name_en in UNITS:
        units.append(
            await org.create_unit(
                actor=SYSTEM, data=org.NewUnit(code=code, name_th=name_th, name_en=name_en)
            )
        )
    authors: dict[int, Person] = {}
    for unit in units:
        authors[unit.id] = await org.create_person(
            actor=SYSTEM,
            data=org.PersonData(
                unit_id=unit.id,
                title_th="นาย",
                first_name_th="ผู้พัฒนา",
                last_name_th=unit.code,
                position_th="นักวิชาการสาธารณสุข",
            ),
        )
    for username, name, role in (
        ("organiser", "ผู้จัดการประกวด LIKE Talk", Role.CONTEST_ORGANISER),
        ("manager", "ผู้บริหาร", Role.MANAGER),
    ):
        await ensure_user(
            username=username, password=password, display_name=name, roles=frozenset({role})
        )
    judges: list[User] = []
    for number, unit in enumerate(units, start=1):
        username = f"judge{number}"
        await ensure_user(
            username=username,
            password=password,
            display_name=f"กรรมการ {number} ({unit.code})",
            roles=frozenset(),
        )
        judge = await User.get(username=username)
        judges.append(judge)
        await org.create_person(
            actor=SYSTEM,
            data=org.PersonData(
                unit_id=unit.id,
                title_th="ดร.",
                first_name_th=f"กรรมการ{number}",
                last_name_th=unit.code,
                position_th="ผู้ทรงคุณวุฒิ",
                user_id=judge.id,
            ),
        )
    return units, authors, judges


async def _edition(units: list[Unit], authors: dict[int, Person], judges: list[User]) -> Contest:
    contest = await editions.create_contest(
        actor=SYSTEM,
        data=editions.ContestData.model_validate(
            {
                "fiscal_year": FISCAL_YEAR,
                "name_th": "การประกวด LIKE Talk Award ประจำปีงบประมาณ 2565",
                "name_en": "LIKE Talk Award, fiscal year 2565",
                "opens_at": OPENS,
                "closes_at": CLOSES,
                "changes_until": CHANGES_UNTIL,
                "results_at": RESULTS,
                "ranking_method": "NORMALISED",
                "tie_breaks": ["MEAN", "MEDIAN", "FIRST_CRITERION", "EARLIER_SUBMISSION"],
                "disagreement_threshold": 12,
                "judges_per_entry": 3,
                "categories": [
                    {"code": c, "name_th": th, "name_en": en} for c, th, en in CATEGORIES
                ],
                "criteria": [
                    {
                        "name_th": th,
                        "name_en": en,
                        "scale_min": lo,
                        "scale_max": hi,
                        "scale_step": step,
                        "weight": weight,
                        "descriptors": [
                            {"score": lo, "text_th": "ต้องปรับปรุง", "text_en": "Needs work"},
                            {"score": hi, "text_th": "ดีเยี่ยม", "text_en": "Excellent"},
                        ],
                    }
                    for th, en, lo, hi, step, weight in CRITERIA
                ],
                "form": FORM,
            }
        ),
    )
    clock.walk_to(OPENS)
    await editions.change_contest_status(
        actor=SYSTEM, contest_id=contest.id, action=ContestAction.OPEN
    )
    categories = {c.code: c for c in await ContestCategory.filter(contest_id=contest.id)}
    rng = random.Random(SEED)
    entered: list[Entry] = []
    for n, topic in enumerate(TOPICS):
        # Handed in a week after the call opened, five hours apart (the last tie-break).
        clock.walk_to(OPENS + timedelta(days=7, hours=5 * n))
        unit = units[n % len(units)]
        work = await works.create_work(
            actor=SYSTEM,
            unit_id=unit.id,
            data=works.WorkData.model_validate(
                {
                    "kind": WorkKind.INNOVATION if n % 3 == 0 else WorkKind.ACADEMIC,
                    "fiscal_year": FISCAL_YEAR,
                    "title_th": topic,
                    "abstract_th": f"ผลงาน{topic}ของ{unit.name_th}",
                    "authors": [{"person_id": authors[unit.id].id, "corresponding": True}],
                }
            ),
        )
        await works.act_on_work(actor=SYSTEM, work_id=work.id, action=works.WorkAction.SUBMIT)
        await works.act_on_work(actor=SYSTEM, work_id=work.id, action=works.WorkAction.REGISTER)
        category = categories[CATEGORIES[n % len(CATEGORIES)][0]]
        entry = await entries.create_entry(
            actor=SYSTEM,
            contest_id=contest.id,
            work_id=work.id,
            data=entries.EntryData(
                category_id=category.id,
                presenter_ids=[authors[unit.id].id],
                answers={
                    "project": topic,
                    "objective": f"พัฒนา{topic}เพื่อประชาชน",
                    "budget": 10_000 * (n + 1),
                    "started": "2021-11-01",
                    "stage": "SCALED" if n % 2 else "PILOT",
                    "team": [{"name": authors[unit.id].full_name_th, "unit": unit.code}],
                },
            ),
        )
        entry = await entries.act_on_entry(
            actor=SYSTEM, entry_id=entry.id, action=EntryAction.SUBMIT
        )
        entered.append(entry)
    # Screening: one not shortlisted, one withdrawn by its entrant, the rest shortlisted.
    clock.walk_to(SCREENED)
    await entries.act_on_entry(
        actor=SYSTEM,
        entry_id=entered[18].id,
        action=EntryAction.NOT_SHORTLIST,
        comment="ผลงานยังไม่ตรงกับประเภทที่ส่ง",
    )
    await entries.act_on_entry(actor=SYSTEM, entry_id=entered[19].id, action=EntryAction.WITHDRAW)
    judged = entered[:18]
    for entry in judged:
        await entries.act_on_entry(actor=SYSTEM, entry_id=entry.id, action=EntryAction.SHORTLIST)
    clock.walk_to(CHANGES_UNTIL)
    await editions.change_contest_status(
        actor=SYSTEM, contest_id=contest.id, action=ContestAction.CLOSE
    )
    for judge, entry in ((judges[2], judged[1]), (judges[4], judged[6])):
        # Before assignment a judge is not yet the entry's: the organiser records it for them.
        await judging.declare_conflict(
            actor=SYSTEM,
            entry_id=entry.id,
            reason="เคยเป็นที่ปรึกษาโครงการนี้",
            judge_id=judge.id,
        )
    await assignments.auto_assign(
        actor=SYSTEM, contest_id=contest.id, judge_ids=[j.id for j in judges], per_entry=3
    )
    clock.walk_to(PRESENTED)
    for entry in judged:
        await entries.act_on_entry(actor=SYSTEM, entry_id=entry.id, action=EntryAction.PRESENT)
    await editions.change_contest_status(
        actor=SYSTEM, contest_id=contest.id, action=ContestAction.START_JUDGING
    )
    criteria = list(await RubricCriterion.filter(contest_id=contest.id).order_by("position"))
    quality = {e.id: rng.uniform(0.35, 0.95) for e in judged}
    severity = {j.id: s for j, s in zip(judges, (0.0, 0.15, -0.05, 0.08, 0.25), strict=True)}
    assigned = await JudgeAssignment.filter(contest_id=contest.id).order_by("entry_id", "judge_id")
    for n, assignment in enumerate(assigned):
        # The sheets come in over the days after the presentations, half an hour apart.
        clock.walk_to(PRESENTED + timedelta(days=1, minutes=30 * n))
        await judging.score(
            actor=Actor(user_id=assignment.judge_id),
            entry_id=assignment.entry_id,
            scores=[
                judging.ScoreData(
                    criterion_id=c.id,
                    value=_mark(
                        rng, c, quality[assignment.entry_id], severity[assignment.judge_id]
                    ),
                )
                for c in criteria
            ],
            comment="ผลงานน่าสนใจ ควรขยายผล" if rng.random() < 0.4 else None,
            submit=True,
        )
    clock.walk_to(DECIDED)
    contest = await Contest.get(id=contest.id)
    ranked = await results.compute(contest)
    for result in ranked.entries:
        rank = result.placing.rank
        if rank is not None and rank <= len(AWARDS) and result.entry.status == EntryStatus.SCORED:
            await judging.decide_award(
                actor=SYSTEM, entry_id=result.entry.id, level=AWARDS[rank - 1]
            )
    clock.walk_to(RESULTS)
    return await judging.publish_results(actor=SYSTEM, contest_id=contest.id)
