"""Survey summaries (issue 4, item 4): response rates per group, per question count, mean,
median and distribution, text answers for the committee, per topic means, the XLSX export, who
may see what, and a fixed number of SQL statements whatever the number of answers."""

import io
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import pytest
from openpyxl import load_workbook

from models.org import Person
from models.survey import (
    ResponseStatus,
    Stakeholder,
    StakeholderGroup,
    Survey,
    SurveyAnswer,
    SurveyKind,
    SurveyQuestion,
    SurveyResponse,
)
from services import surveys
from services.actor import ANONYMOUS, SYSTEM, Actor
from services.surveys import AnswerData, SurveyAction
from services.tokens import utcnow
from tests.helpers import (
    GraphQLClient,
    assert_forbidden,
    assert_unauthenticated,
    count_queries,
    error_codes,
    make_user,
)
from tests.world import World, gid, make_person, make_world

TOPIC_A = "การบริหารความเสี่ยง"
TOPIC_B = "งานสารบรรณอิเล็กทรอนิกส์"
LABELS_1_5 = ["น้อยที่สุด", "น้อย", "ปานกลาง", "มาก", "มากที่สุด"]
TEXT_1 = "ควรมีคู่มือภาษาไทยสำหรับผู้รับบริการ"
FORMULA_TEXT = '=HYPERLINK("http://example.invalid","คลิก")'
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

SUMMARY = """
query Summary($id: ID!) {
  node(id: $id) {
    ... on Survey {
      summary {
        invitedCount draftCount submittedCount responseRate viewerCanSeeAnswers
        responseRates { group invited draft submitted rate }
        questions {
          question { position textTh }
          kind count mean median
          distribution { value rating labelTh labelEn count share }
        }
        topics { topic { titleTh } measure mean count questions }
      }
    }
  }
}"""
TEXTS = """
query Texts($id: ID!, $first: Int, $after: String) {
  node(id: $id) {
    ... on Survey {
      summary {
        questions {
          kind
          textAnswers(first: $first, after: $after) {
            totalCount
            edges { cursor node { text group submittedAt } }
            pageInfo { hasNextPage endCursor }
          }
        }
      }
    }
  }
}"""
EVERYTHING = """
query Everything($id: ID!) {
  node(id: $id) {
    ... on Survey {
      summary {
        invitedCount draftCount submittedCount
        responseRates { group invited submitted rate }
        questions {
          question { id textTh topicTitleTh }
          count mean median distribution { value count share }
          textAnswers(first: 5) { nodes { text group } }
        }
        topics { topic { titleTh } mean count }
      }
    }
  }
}"""


def _design(kind: SurveyKind) -> surveys.SurveyDesign:
    if kind == SurveyKind.STAFF_SELF_ASSESSMENT:
        questions: list[dict[str, Any]] = [
            {
                "kind": "RATING",
                "text_th": "ท่านมีความรู้เรื่องการบริหารความเสี่ยงระดับใด",
                "scale_min": 1,
                "scale_max": 5,
                "topic_title_th": TOPIC_A,
            }
        ]
        return surveys.parse_design({"title_th": "ประเมินตนเองด้านองค์ความรู้", "questions": questions})
    questions = [
        {
            "kind": "RATING",
            "text_th": "ความรู้เรื่องการบริหารความเสี่ยงจำเป็นต่อท่านเพียงใด",
            "scale_min": 1,
            "scale_max": 5,
            "scale_labels": LABELS_1_5,
            "topic_title_th": TOPIC_A,
        },
        {
            "kind": "RATING",
            "text_th": "การแจ้งความเสี่ยงแก่ผู้รับบริการสำคัญเพียงใด",
            "scale_min": 1,
            "scale_max": 5,
            "topic_title_th": TOPIC_A,
        },
        {
            "kind": "RATING",
            "text_th": "งานสารบรรณอิเล็กทรอนิกส์จำเป็นเพียงใด",
            "scale_min": 1,
            "scale_max": 3,
            "topic_title_th": TOPIC_B,
        },
        {
            "kind": "SINGLE_CHOICE",
            "text_th": "ท่านติดต่อหน่วยงานทางใดบ่อยที่สุด",
            "choices": [
                {"value": "phone", "label_th": "โทรศัพท์", "label_en": "Phone"},
                {"value": "email", "label_th": "อีเมล", "label_en": "E-mail"},
                {"value": "visit", "label_th": "มาด้วยตนเอง"},
            ],
        },
        {
            "kind": "MULTI_CHOICE",
            "text_th": "ท่านต้องการความรู้ในรูปแบบใด",
            "choices": [
                {"value": "manual", "label_th": "คู่มือ"},
                {"value": "video", "label_th": "วิดีโอ"},
                {"value": "training", "label_th": "การอบรม"},
            ],
        },
        {"kind": "TEXT", "text_th": "ข้อเสนอแนะอื่น ๆ", "required": False},
    ]
    return surveys.parse_design(
        {"title_th": "สำรวจความต้องการ/ความคาดหวัง 2565", "questions": questions}
    )


@dataclass
class Setup:
    world: World
    survey: Survey
    questions: list[SurveyQuestion]

    @property
    def id(self) -> str:
        return gid("Survey", self.survey.id)

    def q(self, position: int) -> int:
        return self.questions[position - 1].id


async def _stakeholder_survey() -> Setup:
    """Six stakeholders invited; three submitted, one saved a draft, two did not answer."""
    world = await make_world()
    assert world.cycle
    survey = await surveys.create_survey(
        actor=SYSTEM,
        cycle_id=world.cycle.id,
        kind=SurveyKind.STAKEHOLDER_NEEDS,
        design=_design(SurveyKind.STAKEHOLDER_NEEDS),
    )
    await surveys.change_status(actor=SYSTEM, survey_id=survey.id, action=SurveyAction.OPEN)
    for name, group in [
        ("ผู้รับบริการ 1", StakeholderGroup.SERVICE_RECIPIENT),
        ("ผู้รับบริการ 2", StakeholderGroup.SERVICE_RECIPIENT),
        ("ผู้รับบริการ 3", StakeholderGroup.SERVICE_RECIPIENT),
        ("ภาคี 1", StakeholderGroup.PARTNER),
        ("ภาคี 2", StakeholderGroup.PARTNER),
        ("ผู้มีส่วนได้ส่วนเสีย 1", StakeholderGroup.STAKEHOLDER),
    ]:
        await Stakeholder.create(unit_id=world.unit.id, name=name, group=group)
    links = {
        i.stakeholder.name: i.token for i in await surveys.invite(actor=SYSTEM, survey_id=survey.id)
    }
    setup = Setup(
        world, survey, list(await SurveyQuestion.filter(survey_id=survey.id).order_by("position"))
    )

    def answers(
        r1: int, r2: int, r3: int, one: str, many: list[str], text: str | None
    ) -> list[AnswerData]:
        given = [
            AnswerData(question_id=setup.q(1), rating=r1),
            AnswerData(question_id=setup.q(2), rating=r2),
            AnswerData(question_id=setup.q(3), rating=r3),
            AnswerData(question_id=setup.q(4), choices=[one]),
            AnswerData(question_id=setup.q(5), choices=many),
        ]
        return given + ([AnswerData(question_id=setup.q(6), text=text)] if text else [])

    for name, given, submit in [
        ("ผู้รับบริการ 1", answers(5, 4, 3, "phone", ["manual", "video"], TEXT_1), True),
        ("ผู้รับบริการ 2", answers(4, 4, 1, "phone", ["manual"], FORMULA_TEXT), True),
        ("ผู้รับบริการ 3", [AnswerData(question_id=setup.q(1), rating=1)], False),
        ("ภาคี 1", answers(5, 2, 2, "email", ["training", "manual"], None), True),
    ]:
        await surveys.respond(actor=ANONYMOUS, token=links[name], answers=given, submit=submit)
    return setup


async def _more_submitted(setup: Setup, count: int) -> None:
    """``count`` more submitted responses, written directly (volume without links)."""
    for i in range(count):
        response = await SurveyResponse.create(
            survey_id=setup.survey.id,
            group=StakeholderGroup.OTHER,
            status=ResponseStatus.SUBMITTED,
            submitted_at=utcnow(),
        )
        await SurveyAnswer.bulk_create(
            [
                SurveyAnswer(response_id=response.id, question_id=setup.q(1), rating=1 + i % 5),
                SurveyAnswer(response_id=response.id, question_id=setup.q(2), rating=3),
                SurveyAnswer(response_id=response.id, question_id=setup.q(3), rating=2),
                SurveyAnswer(response_id=response.id, question_id=setup.q(4), choice="visit"),
                SurveyAnswer(response_id=response.id, question_id=setup.q(5), choice="video"),
                SurveyAnswer(response_id=response.id, question_id=setup.q(6), text=f"ข้อเสนอ {i}"),
            ]
        )


async def _summary(client: GraphQLClient, setup: Setup) -> dict[str, Any]:
    data = await client.data(SUMMARY, {"id": setup.id})
    return data["node"]["summary"]


def _bins(question: dict[str, Any]) -> list[tuple[str, int, float | None]]:
    return [(b["value"], b["count"], b["share"]) for b in question["distribution"]]


async def test_stakeholder_survey_rates_statistics_and_topics(client: GraphQLClient) -> None:
    setup = await _stakeholder_survey()

    summary = await _summary(setup.world.client(client, "MEMBER"), setup)

    assert summary["responseRates"] == [
        {"group": "SERVICE_RECIPIENT", "invited": 3, "draft": 1, "submitted": 2, "rate": 0.6667},
        {"group": "STAKEHOLDER", "invited": 1, "draft": 0, "submitted": 0, "rate": 0.0},
        {"group": "PARTNER", "invited": 2, "draft": 0, "submitted": 1, "rate": 0.5},
    ]
    assert (summary["invitedCount"], summary["draftCount"], summary["submittedCount"]) == (6, 1, 3)
    assert summary["responseRate"] == 0.5
    assert summary["viewerCanSeeAnswers"] is True
    q1, q2, q3, q4, q5, q6 = summary["questions"]
    # The draft's rating of 1 does not count.
    assert (q1["count"], q1["mean"], q1["median"]) == (3, 4.6667, 5.0)
    assert q1["distribution"] == [
        {"value": str(v), "rating": v, "labelTh": label, "labelEn": None, "count": n, "share": s}
        for v, label, n, s in [
            (1, "น้อยที่สุด", 0, 0.0),
            (2, "น้อย", 0, 0.0),
            (3, "ปานกลาง", 0, 0.0),
            (4, "มาก", 1, 0.3333),
            (5, "มากที่สุด", 2, 0.6667),
        ]
    ]
    assert (q2["count"], q2["mean"], q2["median"]) == (3, 3.3333, 4.0)
    assert _bins(q2) == [
        ("1", 0, 0.0),
        ("2", 1, 0.3333),
        ("3", 0, 0.0),
        ("4", 2, 0.6667),
        ("5", 0, 0.0),
    ]
    assert (q3["count"], q3["mean"], q3["median"]) == (3, 2.0, 2.0)
    assert _bins(q3) == [("1", 1, 0.3333), ("2", 1, 0.3333), ("3", 1, 0.3333)]
    assert (q4["kind"], q4["count"], q4["mean"], q4["median"]) == ("SINGLE_CHOICE", 3, None, None)
    assert [(b["value"], b["labelTh"], b["labelEn"], b["count"]) for b in q4["distribution"]] == [
        ("phone", "โทรศัพท์", "Phone", 2),
        ("email", "อีเมล", "E-mail", 1),
        ("visit", "มาด้วยตนเอง", None, 0),
    ]
    # A multiple choice: shares of the responses that answered, so they add up to more than 1.
    assert q5["count"] == 3
    assert _bins(q5) == [("manual", 3, 1.0), ("video", 1, 0.3333), ("training", 1, 0.3333)]
    assert (q6["kind"], q6["count"], q6["distribution"]) == ("TEXT", 2, [])
    # Topic A: ratings 5, 4, 5 and 4, 4, 2 on 1–5; topic B: 3, 1, 2 on 1–3, i.e. 5, 1, 3 on 1–5.
    assert summary["topics"] == [
        {
            "topic": {"titleTh": TOPIC_A},
            "measure": "IMPORTANCE",
            "mean": 4.0,
            "count": 6,
            "questions": 2,
        },
        {
            "topic": {"titleTh": TOPIC_B},
            "measure": "IMPORTANCE",
            "mean": 3.0,
            "count": 3,
            "questions": 1,
        },
    ]


async def test_staff_survey_rate_is_against_the_units_people(client: GraphQLClient) -> None:
    world = await make_world()
    assert world.cycle
    survey = await surveys.create_survey(
        actor=SYSTEM,
        cycle_id=world.cycle.id,
        kind=SurveyKind.STAFF_SELF_ASSESSMENT,
        design=_design(SurveyKind.STAFF_SELF_ASSESSMENT),
    )
    await surveys.change_status(actor=SYSTEM, survey_id=survey.id, action=SurveyAction.OPEN)
    question = await SurveyQuestion.get(survey_id=survey.id)
    await make_person(world.unit, "สมศรี")  # six people in the unit now
    for who, rating in [("CHAIR", 1), ("SECRETARY", 2), ("MEMBER", 4)]:
        user = world.users[who]
        await surveys.respond(
            actor=Actor(user_id=user.id),
            survey_id=survey.id,
            answers=[AnswerData(question_id=question.id, rating=rating)],
            submit=True,
        )
    # One more, of a member of staff without an account, written directly.
    person = await Person.get(first_name_th="วราภรณ์")
    response = await SurveyResponse.create(
        survey_id=survey.id, respondent_id=person.id, status=ResponseStatus.SUBMITTED
    )
    await SurveyAnswer.create(response_id=response.id, question_id=question.id, rating=4)

    data = await world.client(client, "CHAIR").data(SUMMARY, {"id": gid("Survey", survey.id)})

    summary = data["node"]["summary"]
    assert summary["responseRates"] == [
        {"group": None, "invited": 6, "draft": 0, "submitted": 4, "rate": 0.6667}
    ]
    (q1,) = summary["questions"]
    # An even count: the median is the mean of the two middle ratings (2 and 4).
    assert (q1["count"], q1["mean"], q1["median"]) == (4, 2.75, 3.0)
    assert summary["topics"] == [
        {
            "topic": {"titleTh": TOPIC_A},
            "measure": "PROFICIENCY",
            "mean": 2.75,
            "count": 4,
            "questions": 1,
        }
    ]


async def test_a_survey_without_answers_has_zeros_and_no_means(client: GraphQLClient) -> None:
    world = await make_world()
    assert world.cycle
    survey = await surveys.create_survey(
        actor=SYSTEM,
        cycle_id=world.cycle.id,
        kind=SurveyKind.STAKEHOLDER_NEEDS,
        design=_design(SurveyKind.STAKEHOLDER_NEEDS),
    )

    data = await world.client(client, "CHAIR").data(SUMMARY, {"id": gid("Survey", survey.id)})

    summary = data["node"]["summary"]
    assert summary["responseRates"] == []
    assert (summary["invitedCount"], summary["submittedCount"], summary["responseRate"]) == (
        0,
        0,
        None,
    )
    q1 = summary["questions"][0]
    assert (q1["count"], q1["mean"], q1["median"]) == (0, None, None)
    assert _bins(q1) == [(str(v), 0, None) for v in range(1, 6)]
    assert [(t["mean"], t["count"]) for t in summary["topics"]] == [(None, 0), (None, 0)]


async def test_committee_pages_through_text_answers(client: GraphQLClient) -> None:
    setup = await _stakeholder_survey()
    member = setup.world.client(client, "MEMBER")

    first = await member.data(TEXTS, {"id": setup.id, "first": 1})
    questions = first["node"]["summary"]["questions"]
    # Questions other than TEXT have none.
    assert [q["textAnswers"]["totalCount"] for q in questions] == [0, 0, 0, 0, 0, 2]
    page = questions[5]["textAnswers"]
    assert [e["node"]["text"] for e in page["edges"]] == [TEXT_1]
    assert page["edges"][0]["node"]["group"] == "SERVICE_RECIPIENT"
    assert page["edges"][0]["node"]["submittedAt"]
    assert page["pageInfo"]["hasNextPage"] is True

    cursor = page["pageInfo"]["endCursor"]
    second = await member.data(TEXTS, {"id": setup.id, "first": 1, "after": cursor})
    page = second["node"]["summary"]["questions"][5]["textAnswers"]
    assert [e["node"]["text"] for e in page["edges"]] == [FORMULA_TEXT]
    assert page["pageInfo"]["hasNextPage"] is False


async def test_manager_sees_the_summary_but_not_individual_answers(client: GraphQLClient) -> None:
    setup = await _stakeholder_survey()
    manager = client.signed_in_as(await make_user("manager", roles={"MANAGER"}))

    summary = await _summary(manager, setup)
    assert summary["submittedCount"] == 3
    assert summary["viewerCanSeeAnswers"] is False
    assert summary["questions"][0]["mean"] == 4.6667

    body = await manager.post(TEXTS, {"id": setup.id, "first": 5})
    codes = set(error_codes(body))
    assert codes == {"FORBIDDEN"}, body
    # The rest of the summary stays; only the written answers are withheld.
    questions = body["data"]["node"]["summary"]["questions"]
    assert [q["textAnswers"] for q in questions] == [None] * 6


async def test_outsiders_and_anonymous_are_refused(client: GraphQLClient) -> None:
    setup = await _stakeholder_survey()

    body = await setup.world.client(client, "OUTSIDER").post(SUMMARY, {"id": setup.id})
    assert_forbidden(body)
    assert body["data"]["node"]["summary"] is None

    assert_unauthenticated(await client.post(SUMMARY, {"id": setup.id}))


async def test_administrator_sees_answers(admin: GraphQLClient) -> None:
    setup = await _stakeholder_survey()

    data = await admin.data(TEXTS, {"id": setup.id, "first": 5})

    assert data["node"]["summary"]["questions"][5]["textAnswers"]["totalCount"] == 2


async def test_statements_do_not_grow_with_the_answers(client: GraphQLClient) -> None:
    setup = await _stakeholder_survey()
    member = setup.world.client(client, "MEMBER")

    with count_queries() as three:
        small = await member.data(EVERYTHING, {"id": setup.id})
    await _more_submitted(setup, 27)
    with count_queries() as thirty:
        large = await member.data(EVERYTHING, {"id": setup.id})

    assert small["node"]["summary"]["submittedCount"] == 3
    assert large["node"]["summary"]["submittedCount"] == 30
    assert len(three) == len(thirty), thirty
    # The node; the summary's eight statements (three of them the viewer's standing in the
    # unit); the topics of `topicTitleTh`; one page of written answers (one statement per TEXT
    # question, whatever the page size).
    assert len(thirty) <= 12, "\n".join(thirty)


# --- the XLSX export ---------------------------------------------------------------------------


async def _export(client: GraphQLClient, survey_id: str, **headers: str) -> Any:
    return await client.http.get(
        f"/exports/surveys/{survey_id}.xlsx", headers={**client.headers, **headers}
    )


def _rows(sheet: Any) -> list[list[Any]]:
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def _row_starting(rows: list[list[Any]], *start: Any) -> list[Any]:
    return next(row for row in rows if tuple(row[: len(start)]) == start)


async def test_committee_export_has_summary_and_answers(client: GraphQLClient) -> None:
    setup = await _stakeholder_survey()

    response = await _export(setup.world.client(client, "SECRETARY"), setup.id)

    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == XLSX
    # "/" cannot be in a file name; Thai survives in the RFC 8187 (ex-5987) `filename*`.
    filename = f"survey-{setup.survey.id}-สำรวจความต้องการ_ความคาดหวัง 2565.xlsx"
    disposition = response.headers["content-disposition"]
    assert disposition.startswith(f'attachment; filename="survey-{setup.survey.id}-___ 2565.xlsx"')
    assert disposition.endswith(f"; filename*=UTF-8''{quote(filename, safe='')}")
    assert response.headers["cache-control"] == "private, no-store"
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Summary", "Answers"]

    summary = _rows(book["Summary"])
    assert summary[0][:2] == ["แบบสำรวจ", "สำรวจความต้องการ/ความคาดหวัง 2565"]
    assert _row_starting(summary, "ผู้รับบริการ")[:5] == ["ผู้รับบริการ", 3, 1, 2, pytest.approx(0.6667)]
    assert _row_starting(summary, "รวม")[:5] == ["รวม", 6, 1, 3, 0.5]
    q1 = _row_starting(summary, 1, "ความรู้เรื่องการบริหารความเสี่ยงจำเป็นต่อท่านเพียงใด")
    assert q1[2:6] == ["มาตรประมาณค่า", 3, 4.6667, 5]
    assert _row_starting(summary, 1, None, None, None, None, None, 5)[7:10] == [
        "มากที่สุด",
        2,
        0.6667,
    ]
    assert _row_starting(summary, 4, None, None, None, None, None, "phone")[7:9] == ["โทรศัพท์", 2]
    assert _row_starting(summary, TOPIC_A)[:3] == [TOPIC_A, 4.0, 6]

    answers = _rows(book["Answers"])
    assert answers[0][:4] == [
        "ผู้ตอบลำดับที่",
        "กลุ่ม",
        "วันเวลาที่ส่ง",
        "1. ความรู้เรื่องการบริหารความเสี่ยงจำเป็นต่อท่านเพียงใด",
    ]
    assert len(answers) == 1 + 3  # submitted only, the draft left out
    assert answers[1][0:2] == [1, "ผู้รับบริการ"]
    assert answers[1][3:] == [5, 4, 3, "โทรศัพท์", "คู่มือ; วิดีโอ", TEXT_1]
    assert answers[3][3:] == [5, 2, 2, "อีเมล", "คู่มือ; การอบรม", None]
    # Text that looks like a formula stays text.
    cell = book["Answers"].cell(row=3, column=9)
    assert (cell.value, cell.data_type) == (FORMULA_TEXT, "s")


async def test_export_in_english(client: GraphQLClient) -> None:
    setup = await _stakeholder_survey()

    response = await _export(
        setup.world.client(client, "CHAIR"), setup.id, **{"Accept-Language": "en"}
    )

    summary = _rows(load_workbook(io.BytesIO(response.content))["Summary"])
    assert _row_starting(summary, "Service recipients")[:4] == ["Service recipients", 3, 1, 2]
    assert _row_starting(summary, "Total")[:4] == ["Total", 6, 1, 3]


async def test_manager_export_has_no_answers_sheet(client: GraphQLClient) -> None:
    setup = await _stakeholder_survey()
    manager = client.signed_in_as(await make_user("manager", roles={"MANAGER"}))

    response = await _export(manager, setup.id)

    assert response.status_code == 200, response.text
    assert load_workbook(io.BytesIO(response.content)).sheetnames == ["Summary"]


async def test_the_export_link_opens_without_a_header_as_its_viewer(client: GraphQLClient) -> None:
    setup = await _stakeholder_survey()
    manager = client.signed_in_as(await make_user("manager", roles={"MANAGER"}))
    query = """query L($id: ID!) { node(id: $id) {
        ... on Survey { summary { xlsxUrl(language: EN) } } } }"""

    link = (await manager.data(query, {"id": setup.id}))["node"]["summary"]["xlsxUrl"]
    response = await client.http.get(link)

    assert response.status_code == 200, response.text
    book = load_workbook(io.BytesIO(response.content))
    # The manager's workbook, in the link's language.
    assert book.sheetnames == ["Summary"]
    assert _row_starting(_rows(book["Summary"]), "Total")[:4] == ["Total", 6, 1, 3]


async def test_export_refusals(client: GraphQLClient) -> None:
    setup = await _stakeholder_survey()
    member = setup.world.client(client, "MEMBER")

    anonymous = await _export(client, setup.id)
    assert anonymous.status_code == 401
    assert anonymous.headers["www-authenticate"] == "Bearer"
    expired = await _export(client.with_headers(authorization="Bearer not-a-token"), setup.id)
    assert expired.status_code == 401
    assert (await _export(setup.world.client(client, "OUTSIDER"), setup.id)).status_code == 403
    assert (await _export(member, gid("Survey", 999_999))).status_code == 404
    assert (await _export(member, gid("Cycle", setup.survey.id))).status_code == 404
    assert (await _export(member, "not-an-id")).status_code == 404
