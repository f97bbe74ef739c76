"""Surveys for tests: the two surveys of a world's cycle measuring the same knowledge topics."""

from dataclasses import dataclass

from models.survey import Stakeholder, StakeholderGroup, Survey, SurveyKind
from services import surveys
from services.actor import SYSTEM
from tests.world import World

TOPICS = ["การจัดการความรู้", "การใช้ข้อมูลสารสนเทศ", "การบริการด้วยใจ"]


def rating(text: str, topic: str | None = None) -> dict:
    return {
        "kind": "RATING",
        "text_th": text,
        "scale_min": 1,
        "scale_max": 5,
        "scale_labels": ["น้อยที่สุด", "น้อย", "ปานกลาง", "มาก", "มากที่สุด"],
        "topic_title_th": topic,
    }


CHANNEL = {
    "kind": "SINGLE_CHOICE",
    "text_th": "ท่านรับข้อมูลจากช่องทางใดมากที่สุด",
    "choices": [
        {"value": "web", "label_th": "เว็บไซต์"},
        {"value": "fb", "label_th": "Facebook"},
        {"value": "line", "label_th": "LINE"},
    ],
}
SUGGESTION = {"kind": "TEXT", "text_th": "ข้อเสนอแนะ", "required": False}


@dataclass
class Surveys:
    needs: Survey
    staff: Survey
    stakeholders: list[Stakeholder]


async def make_surveys(world: World, *, open_them: bool = True, stakeholders: int = 4) -> Surveys:
    assert world.cycle
    needs = await surveys.create_survey(
        actor=SYSTEM,
        cycle_id=world.cycle.id,
        kind=SurveyKind.STAKEHOLDER_NEEDS,
        design=surveys.parse_design(
            {
                "title_th": "ความต้องการข้อมูลและความรู้ของผู้รับบริการ",
                "questions": [
                    *(rating(f"ความสำคัญของ{t}", t) for t in TOPICS),
                    CHANNEL,
                    SUGGESTION,
                ],
            }
        ),
    )
    staff = await surveys.create_survey(
        actor=SYSTEM,
        cycle_id=world.cycle.id,
        kind=SurveyKind.STAFF_SELF_ASSESSMENT,
        design=surveys.parse_design(
            {
                "title_th": "แบบประเมินตนเองด้านองค์ความรู้",
                "questions": [rating(f"ความรู้ของท่านด้าน{t}", t) for t in TOPICS],
            }
        ),
    )
    if open_them:
        for survey in (needs, staff):
            await surveys.change_status(
                actor=SYSTEM, survey_id=survey.id, action=surveys.SurveyAction.OPEN
            )
    people = [
        await Stakeholder.create(
            unit_id=world.unit.id,
            name=f"ผู้รับบริการ {n}",
            organisation="ศูนย์อนามัย",
            group=StakeholderGroup.SERVICE_RECIPIENT if n % 2 else StakeholderGroup.PARTNER,
            email=f"s{n}@example.org",
        )
        for n in range(stakeholders)
    ]
    return Surveys(await Survey.get(id=needs.id), await Survey.get(id=staff.id), people)
