"""Surveys: design, lifecycle, personal links, answering by link or signed in."""

import pytest

from models.survey import SurveyAnswer, SurveyQuestion, SurveyResponse
from services import surveys
from services.actor import SYSTEM
from tests.helpers import GraphQLClient, error_codes
from tests.surveys_world import TOPICS, make_surveys, rating
from tests.world import gid, make_world

SURVEY_CREATE = """
mutation Create($input: SurveyCreateInput!) {
  surveyCreate(input: $input) {
    survey { id status version questions { position kind topicTitleTh choices { value } } }
    errors { code field message }
  }
}"""
OPEN = """
mutation Open($input: SurveyActionInput!) {
  surveyOpen(input: $input) { survey { status version } errors { code message } }
}"""
CLOSE = """
mutation Close($input: SurveyActionInput!) {
  surveyClose(input: $input) { survey { status } errors { code } }
}"""
INVITE = """
mutation Invite($input: SurveyInviteInput!) {
  surveyInvite(input: $input) { links { name email token } errors { code } }
}"""
RESPOND = """
mutation Respond($input: SurveyRespondInput!) {
  surveyRespond(input: $input) { response { status version } errors { code field message } }
}"""
FORM = """
query Form($token: String!) {
  surveyForm(token: $token) {
    survey { titleTh status questions { id position kind required scaleMin scaleMax } }
    response { status answers { questionId rating choices text } }
  }
}"""
REDESIGN = """
mutation Redesign($input: SurveyRedesignInput!) {
  surveyRedesign(input: $input) { survey { version } errors { code } }
}"""
RESPONSES = """
query Responses($id: ID!) {
  node(id: $id) {
    ... on Survey { responses { totalCount nodes { status group answers { rating } } } }
  }
}"""


async def _links(client: GraphQLClient, world, survey) -> list[dict]:
    body = await world.client(client, "CHAIR").data(
        INVITE, {"input": {"id": gid("Survey", survey.id)}}
    )
    return body["surveyInvite"]["links"]


async def _question_ids(survey) -> list[str]:
    return [
        str(q)
        for q in await SurveyQuestion.filter(survey_id=survey.id)
        .order_by("position")
        .values_list("id", flat=True)
    ]


async def test_the_committee_designs_and_opens_a_survey(client: GraphQLClient) -> None:
    world = await make_world()
    assert world.cycle
    chair = world.client(client, "CHAIR")

    created = (
        await chair.data(
            SURVEY_CREATE,
            {
                "input": {
                    "cycle": gid("Cycle", world.cycle.id),
                    "kind": "STAKEHOLDER_NEEDS",
                    "titleTh": "ความต้องการของผู้รับบริการ",
                    "questions": [
                        {
                            "kind": "RATING",
                            "textTh": "ความสำคัญ",
                            "scaleMin": 1,
                            "scaleMax": 5,
                            "topicTitleTh": "การจัดการความรู้",
                        },
                        {
                            "kind": "MULTI_CHOICE",
                            "textTh": "ช่องทาง",
                            "choices": [
                                {"value": "web", "labelTh": "เว็บไซต์"},
                                {"value": "line", "labelTh": "LINE"},
                            ],
                        },
                    ],
                }
            },
        )
    )["surveyCreate"]
    opened = (await chair.data(OPEN, {"input": {"id": created["survey"]["id"], "version": 1}}))[
        "surveyOpen"
    ]
    again = (await chair.data(OPEN, {"input": {"id": created["survey"]["id"]}}))["surveyOpen"]

    assert created["errors"] == []
    assert created["survey"]["questions"][0]["topicTitleTh"] == "การจัดการความรู้"
    assert opened["survey"] == {"status": "OPEN", "version": 2}
    assert again["errors"][0]["code"] == "INVALID_TRANSITION"


@pytest.mark.parametrize(
    "question",
    [
        {"kind": "RATING", "textTh": "ก", "scaleMin": 1, "scaleMax": 1},
        {"kind": "SINGLE_CHOICE", "textTh": "ก", "choices": [{"value": "a", "labelTh": "ก"}]},
        {"kind": "TEXT", "textTh": "ก", "topicTitleTh": "หัวข้อ"},
    ],
)
async def test_questions_are_checked_against_their_kind(
    client: GraphQLClient, question: dict
) -> None:
    world = await make_world()
    assert world.cycle

    result = (
        await world.client(client, "CHAIR").data(
            SURVEY_CREATE,
            {
                "input": {
                    "cycle": gid("Cycle", world.cycle.id),
                    "kind": "STAFF_SELF_ASSESSMENT",
                    "titleTh": "แบบประเมิน",
                    "questions": [question],
                }
            },
        )
    )["surveyCreate"]

    assert result["survey"] is None
    assert result["errors"][0]["field"][:3] == ["input", "questions", "0"]


async def test_members_responsible_for_step_3_design_but_others_cannot(
    client: GraphQLClient,
) -> None:
    world = await make_world()
    assert world.cycle
    # MEMBER (กนกานต์) is responsible for step 4 (the staff survey) but not step 3.
    member = world.client(client, "MEMBER")
    base = {
        "cycle": gid("Cycle", world.cycle.id),
        "titleTh": "แบบ",
        "questions": [{"kind": "RATING", "textTh": "ก", "scaleMin": 1, "scaleMax": 5}],
    }

    staff = await member.post(SURVEY_CREATE, {"input": {**base, "kind": "STAFF_SELF_ASSESSMENT"}})
    needs = await member.post(SURVEY_CREATE, {"input": {**base, "kind": "STAKEHOLDER_NEEDS"}})

    assert staff["data"]["surveyCreate"]["errors"] == []
    assert error_codes(needs) == ["FORBIDDEN"]


async def test_a_stakeholder_answers_through_a_personal_link(client: GraphQLClient) -> None:
    world = await make_world()
    made = await make_surveys(world)
    links = await _links(client, world, made.needs)
    token = links[0]["token"]
    q = await _question_ids(made.needs)

    draft = (
        await client.data(
            RESPOND, {"input": {"token": token, "answers": [{"question": q[0], "rating": 5}]}}
        )
    )["surveyRespond"]
    incomplete = (
        await client.data(
            RESPOND,
            {
                "input": {
                    "token": token,
                    "answers": [{"question": q[1], "rating": 4}],
                    "submit": True,
                }
            },
        )
    )["surveyRespond"]
    form = (await client.data(FORM, {"token": token}))["surveyForm"]
    submitted = (
        await client.data(
            RESPOND,
            {
                "input": {
                    "token": token,
                    "answers": [
                        {"question": q[2], "rating": 3},
                        {"question": q[3], "choices": ["line"]},
                    ],
                    "submit": True,
                }
            },
        )
    )["surveyRespond"]
    after = (
        await client.data(
            RESPOND, {"input": {"token": token, "answers": [{"question": q[0], "rating": 1}]}}
        )
    )["surveyRespond"]

    assert len(links) == 4 and all(link["token"] for link in links)
    assert draft["response"]["status"] == "DRAFT"
    assert [e["message"] for e in incomplete["errors"]] == ["ต้องตอบข้อ 3", "ต้องตอบข้อ 4"]
    assert {tuple(e["field"]) for e in incomplete["errors"]} == {("input", "answers")}
    # Nothing answered is lost: the draft kept both ratings.
    assert {a["rating"] for a in form["response"]["answers"]} == {5, 4}
    assert submitted["response"]["status"] == "SUBMITTED"
    assert after["errors"][0]["code"] == "INVALID_TRANSITION"
    assert await SurveyResponse.all().count() == 1


@pytest.mark.parametrize(
    "answer",
    [{"rating": 6}, {"rating": 0}, {"choices": ["fax"]}, {"choices": ["web", "line"]}],
)
async def test_invalid_answers_are_refused_and_lose_nothing(
    client: GraphQLClient, answer: dict
) -> None:
    world = await make_world()
    made = await make_surveys(world)
    token = (await _links(client, world, made.needs))[0]["token"]
    q = await _question_ids(made.needs)
    await client.data(
        RESPOND, {"input": {"token": token, "answers": [{"question": q[0], "rating": 4}]}}
    )
    target = q[3] if "choices" in answer else q[1]

    result = (
        await client.data(
            RESPOND,
            {
                "input": {
                    "token": token,
                    "answers": [{"question": q[0], "rating": 2}, {"question": target, **answer}],
                }
            },
        )
    )["surveyRespond"]

    assert result["errors"][0]["field"] == ["input", "answers", "1"]
    assert await SurveyAnswer.filter(question_id=int(q[0])).values_list("rating", flat=True) == [4]


async def test_forged_links_and_closed_surveys_are_refused(client: GraphQLClient) -> None:
    world = await make_world()
    made = await make_surveys(world)
    token = (await _links(client, world, made.needs))[0]["token"]
    q = await _question_ids(made.needs)

    forged = (
        await client.data(
            RESPOND, {"input": {"token": "forged", "answers": [{"question": q[0], "rating": 3}]}}
        )
    )["surveyRespond"]
    forged_form = await client.post(FORM, {"token": "forged"})
    await world.client(client, "CHAIR").data(CLOSE, {"input": {"id": gid("Survey", made.needs.id)}})
    closed = (
        await client.data(
            RESPOND, {"input": {"token": token, "answers": [{"question": q[0], "rating": 3}]}}
        )
    )["surveyRespond"]

    assert forged["errors"][0]["code"] == "TOKEN_INVALID"
    assert error_codes(forged_form) == ["BAD_USER_INPUT"]
    assert closed["errors"][0]["code"] == "INVALID_TRANSITION"


async def test_a_second_invitation_round_only_reaches_the_uninvited(client: GraphQLClient) -> None:
    world = await make_world()
    made = await make_surveys(world)

    first = await _links(client, world, made.needs)
    second = await _links(client, world, made.needs)
    staff = (
        await world.client(client, "CHAIR").data(
            INVITE, {"input": {"id": gid("Survey", made.staff.id)}}
        )
    )["surveyInvite"]

    assert len(first) == 4 and second == []
    assert staff["errors"][0]["code"] == "INVALID_INPUT"


async def test_staff_answer_signed_in_once_each(client: GraphQLClient) -> None:
    world = await make_world()
    made = await make_surveys(world)
    q = await _question_ids(made.staff)
    answers = [{"question": qid, "rating": 3} for qid in q]
    survey = gid("Survey", made.staff.id)

    member = (
        await world.client(client, "MEMBER").data(
            RESPOND, {"input": {"survey": survey, "answers": answers, "submit": True}}
        )
    )["surveyRespond"]
    outsider = await world.client(client, "OUTSIDER").post(
        RESPOND, {"input": {"survey": survey, "answers": answers}}
    )
    anonymous = await client.post(RESPOND, {"input": {"survey": survey, "answers": answers}})

    assert member["response"]["status"] == "SUBMITTED"
    assert error_codes(outsider) == ["FORBIDDEN"]
    assert error_codes(anonymous) == ["UNAUTHENTICATED"]


async def test_questions_lock_once_answered_and_a_new_version_copies_them(
    client: GraphQLClient,
) -> None:
    world = await make_world()
    made = await make_surveys(world)
    chair = world.client(client, "CHAIR")
    q = await _question_ids(made.staff)
    await world.client(client, "MEMBER").data(
        RESPOND,
        {
            "input": {
                "survey": gid("Survey", made.staff.id),
                "answers": [{"question": q[0], "rating": 2}],
            }
        },
    )
    design = {"titleTh": "ใหม่", "questions": [{"kind": "TEXT", "textTh": "อื่น ๆ"}]}

    locked = (
        await chair.data(
            REDESIGN, {"input": {"id": gid("Survey", made.staff.id), "version": 2, **design}}
        )
    )["surveyRedesign"]
    copy = await surveys.new_version(actor=SYSTEM, survey_id=made.staff.id)

    assert locked["errors"][0]["code"] == "INVALID_TRANSITION"
    assert copy.replaces_id == made.staff.id and copy.status == "DRAFT"
    assert await SurveyQuestion.filter(survey_id=copy.id).count() == len(TOPICS)


async def test_only_the_committee_reads_individual_answers(client: GraphQLClient) -> None:
    world = await make_world()
    made = await make_surveys(world)
    q = await _question_ids(made.staff)
    await world.client(client, "MEMBER").data(
        RESPOND,
        {
            "input": {
                "survey": gid("Survey", made.staff.id),
                "answers": [{"question": x, "rating": 4} for x in q],
                "submit": True,
            }
        },
    )

    member_view = await world.client(client, "MEMBER").data(
        RESPONSES, {"id": gid("Survey", made.staff.id)}
    )
    outsider = await world.client(client, "OUTSIDER").post(
        RESPONSES, {"id": gid("Survey", made.staff.id)}
    )

    responses = member_view["node"]["responses"]
    assert responses["totalCount"] == 1
    assert responses["nodes"][0]["answers"] == [{"rating": 4}] * 3
    assert error_codes(outsider) == ["FORBIDDEN"]


RESPONSE_IDS = """
query Responses($id: ID!) { node(id: $id) { ... on Survey { responses { nodes { id } } } } }"""
RESPONSE_NODE = "query Response($id: ID!) { node(id: $id) { id ... on SurveyResponse { status } } }"


async def test_node_finds_a_response_for_whoever_its_survey_lists_it_to(
    client: GraphQLClient, admin: GraphQLClient
) -> None:
    world = await make_world()
    made = await make_surveys(world)
    q = await _question_ids(made.staff)
    answers = [{"question": x, "rating": 4} for x in q]
    survey = gid("Survey", made.staff.id)
    await world.client(client, "MEMBER").data(
        RESPOND, {"input": {"survey": survey, "answers": answers, "submit": True}}
    )
    listed = (await admin.data(RESPONSE_IDS, {"id": survey}))["node"]["responses"]["nodes"]
    response_id = listed[0]["id"]

    by_admin = await admin.data(RESPONSE_NODE, {"id": response_id})
    by_member = await world.client(client, "MEMBER").data(RESPONSE_NODE, {"id": response_id})
    by_outsider = await world.client(client, "OUTSIDER").data(RESPONSE_NODE, {"id": response_id})

    assert by_admin["node"] == {"id": response_id, "status": "SUBMITTED"}
    assert by_member["node"] == {"id": response_id, "status": "SUBMITTED"}
    assert by_outsider["node"] is None


def test_rating_helper_builds_a_five_point_question() -> None:
    assert rating("ก")["scale_max"] == 5
