"""The FY 2565 example's surveys, GAP analysis, knowledge topics and measures (steps 3–6),
with answers drawn from a fixed seed so every demo shows the same ranking."""

import random
from datetime import date, timedelta

from tortoise.transactions import in_transaction

from models.cycle import Cycle, CycleStep
from models.org import Person
from models.survey import KnowledgeTopic, Stakeholder, StakeholderGroup, SurveyKind, SurveyQuestion
from services import clock, gap, knowledge, surveys
from services.actor import SYSTEM, Actor
from services.cycles import complete_step_done_here
from services.surveys import AnswerData

# topic: (stakeholders' mean importance, staff's mean proficiency), on 1–5
TOPICS = {
    "การจัดการความรู้และการแลกเปลี่ยนเรียนรู้": (4.6, 2.8),
    "การใช้ระบบสารสนเทศและฐานข้อมูลของกรม": (4.3, 3.4),
    "งานสารบรรณและระเบียบงานเอกสาร": (3.9, 4.2),
    "การสื่อสารและประชาสัมพันธ์ผ่านสื่อออนไลน์": (4.4, 3.0),
    "การให้บริการห้องสมุดและการสืบค้นข้อมูล": (3.6, 3.9),
}
STAKEHOLDERS = [
    (StakeholderGroup.SERVICE_RECIPIENT, "กองการเจ้าหน้าที่", 8),
    (StakeholderGroup.SERVICE_RECIPIENT, "กองคลัง", 6),
    (StakeholderGroup.STAKEHOLDER, "ศูนย์อนามัยที่ 1 เชียงใหม่", 5),
    (StakeholderGroup.PARTNER, "สำนักงานสาธารณสุขจังหวัดนนทบุรี", 5),
]
SCALE = ["น้อยที่สุด", "น้อย", "ปานกลาง", "มาก", "มากที่สุด"]
CHANNELS = [("web", "เว็บไซต์กรม"), ("fb", "Facebook"), ("line", "LINE Official Account")]
MEASURES = [
    ("จัดเวทีแลกเปลี่ยนเรียนรู้ (KM Day) ร่วมกับภาคีเครือข่ายทุกไตรมาส", ["P", "B"], 0),
    ("พัฒนาทักษะการสื่อสารออนไลน์ของบุคลากรด้วยหลักสูตรอบรมเชิงปฏิบัติการ", ["I", "B"], 1),
    ("ประกาศแนวปฏิบัติการใช้ระบบสารสนเทศและฐานข้อมูลของหน่วยงาน", ["R", "A"], 2),
]


async def load_surveys(
    cycle: Cycle,
    members: list[Person],
    accounts: list[Actor],
    directory: list[tuple[StakeholderGroup, str, int]] = STAKEHOLDERS,
) -> None:
    """Steps 3–6 on the story's clock; ``directory`` is the unit's stakeholders (group,
    organisation, how many people)."""
    rng = random.Random(2565)
    steps = {s.no: s for s in await CycleStep.filter(cycle_id=cycle.id, no__in=[3, 4, 5, 6])}
    # Designed and opened in step 3, answered in step 4, closed on its last day.
    clock.walk_to(steps[3].planned_start)
    needs = await _survey(
        cycle, SurveyKind.STAKEHOLDER_NEEDS, "ความต้องการ/ความคาดหวังต่อข้อมูลและความรู้ที่สำคัญ"
    )
    staff = await _survey(
        cycle, SurveyKind.STAFF_SELF_ASSESSMENT, "การประเมินตนเองด้านองค์ความรู้ในงานที่ปฏิบัติ"
    )
    await _stakeholders(cycle.unit_id, directory)
    links = await surveys.invite(actor=SYSTEM, survey_id=needs.id)
    await _complete(cycle, steps[3])
    clock.walk_to(steps[4].planned_start)
    needs_q = await SurveyQuestion.filter(survey_id=needs.id).order_by("position")
    for number, link in enumerate(links):
        answers = [
            AnswerData(question_id=q.id, rating=_rating(rng, TOPICS[title][0]))
            for q, title in zip(needs_q, TOPICS, strict=False)
        ]
        answers.append(
            AnswerData(question_id=needs_q[len(TOPICS)].id, choices=[rng.choice(CHANNELS)[0]])
        )
        # Most hand their answers in; a few leave a draft.
        await surveys.respond(
            actor=SYSTEM, token=link.token, answers=answers, submit=number % 8 != 7
        )
    staff_q = await SurveyQuestion.filter(survey_id=staff.id).order_by("position")
    for account in accounts:
        answers = [
            AnswerData(question_id=q.id, rating=_rating(rng, TOPICS[title][1]))
            for q, title in zip(staff_q, TOPICS, strict=True)
        ]
        await surveys.respond(actor=account, survey_id=staff.id, answers=answers, submit=True)
    clock.walk_to(steps[4].planned_due)
    for survey in (needs, staff):
        await surveys.change_status(
            actor=SYSTEM, survey_id=survey.id, action=surveys.SurveyAction.CLOSE
        )
    await _complete(cycle, steps[4])
    clock.walk_to(steps[5].planned_due)
    await gap.confirm(actor=SYSTEM, cycle_id=cycle.id, on=steps[5].planned_due)
    clock.walk_to(steps[6].planned_due)
    await _topics_and_measures(cycle, members, steps[6].planned_due)


async def _complete(cycle: Cycle, step: CycleStep) -> None:
    clock.walk_to(step.planned_due)
    async with in_transaction() as connection:
        await complete_step_done_here(
            actor=SYSTEM,
            cycle_id=cycle.id,
            step_no=step.no,
            reason_key="survey_designed_reason",
            connection=connection,
            on=step.planned_due,
        )


async def _survey(cycle: Cycle, kind: SurveyKind, title: str) -> surveys.Survey:
    ratings = [
        {
            "kind": "RATING",
            "text_th": (
                f"ความสำคัญของความรู้ด้าน{topic}ต่อการรับบริการของท่าน"
                if kind == SurveyKind.STAKEHOLDER_NEEDS
                else f"ระดับความรู้ของท่านด้าน{topic}"
            ),
            "scale_min": 1,
            "scale_max": 5,
            "scale_labels": SCALE,
            "topic_title_th": topic,
        }
        for topic in TOPICS
    ]
    extra = (
        [
            {
                "kind": "SINGLE_CHOICE",
                "text_th": "ท่านต้องการรับข้อมูลและความรู้ผ่านช่องทางใดมากที่สุด",
                "choices": [{"value": v, "label_th": label} for v, label in CHANNELS],
            },
            {"kind": "TEXT", "text_th": "ข้อเสนอแนะเพิ่มเติม", "required": False},
        ]
        if kind == SurveyKind.STAKEHOLDER_NEEDS
        else []
    )
    survey = await surveys.create_survey(
        actor=SYSTEM,
        cycle_id=cycle.id,
        kind=kind,
        design=surveys.parse_design({"title_th": title, "questions": [*ratings, *extra]}),
    )
    await surveys.change_status(actor=SYSTEM, survey_id=survey.id, action=surveys.SurveyAction.OPEN)
    return survey


async def _stakeholders(unit_id: int, directory: list[tuple[StakeholderGroup, str, int]]) -> None:
    await Stakeholder.bulk_create(
        [
            Stakeholder(
                unit_id=unit_id,
                name=f"ผู้แทน{organisation} คนที่ {n + 1}",
                organisation=organisation,
                group=group,
                email=f"contact{index}.{n + 1}@anamai.example",
            )
            for index, (group, organisation, count) in enumerate(directory)
            for n in range(count)
        ]
    )


async def _topics_and_measures(cycle: Cycle, members: list[Person], on: date) -> None:
    snapshot = await gap.analyse(actor=SYSTEM, cycle_id=cycle.id)
    chosen = [row for row in snapshot if row.gap is not None and row.gap > 0][:3]
    topics = []
    for number, row in enumerate(chosen):
        topic = await KnowledgeTopic.get(id=row.topic_id)
        await knowledge.assign_topic(
            actor=SYSTEM,
            topic_id=topic.id,
            assignments=[
                knowledge.Assignment(
                    person_id=members[1 + number].id, target_date=on + timedelta(days=120)
                )
            ],
        )
        topics.append(topic)
    for title, levers, topic_index in MEASURES:
        await knowledge.create_measure(
            actor=SYSTEM,
            data=knowledge.MeasureData(
                cycle_id=cycle.id,
                title_th=title,
                levers=levers,
                topic_ids=[topics[topic_index % len(topics)].id],
            ),
        )
    await knowledge.confirm(actor=SYSTEM, cycle_id=cycle.id, on=on)


def _rating(rng: random.Random, mean: float) -> int:
    return max(1, min(5, round(rng.gauss(mean, 0.7))))
