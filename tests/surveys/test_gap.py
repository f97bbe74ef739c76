"""GAP analysis, knowledge topics and PIRAB measures (SOP steps 5 and 6)."""

from datetime import date

import pytest

from models.cycle import CycleStep
from models.survey import Survey, SurveyQuestion
from services import clock, cycles, surveys
from services.actor import SYSTEM, Actor
from services.surveys import AnswerData
from tests.helpers import GraphQLClient, assert_unauthenticated, count_queries
from tests.surveys_world import TOPICS, make_surveys
from tests.world import World, gid, make_world

GAP = """
query Gap($id: ID!, $live: Boolean! = false) {
  node(id: $id) {
    ... on Cycle {
      gapAnalysis(live: $live) {
        confirmedAt
        rows { rank titleTh importance proficiency gap priority stakeholderAnswers staffAnswers }
      }
    }
  }
}"""
CONFIRM = """
mutation Confirm($input: CycleActionInput!) {
  gapAnalysisConfirm(input: $input) { gapAnalysis { rows { rank titleTh } } errors { code } }
}"""
ASSIGN = """
mutation Assign($input: KnowledgeTopicAssignInput!) {
  knowledgeTopicAssign(input: $input) {
    topic { status assignments { targetDate person { firstNameTh } } }
    errors { code field }
  }
}"""
MEASURE = """
mutation Measure($input: MeasureCreateInput!) {
  measureCreate(input: $input) {
    measure { titleTh leverCodes topics { titleTh } }
    errors { code field }
  }
}"""
MEASURES_CONFIRM = """
mutation Done($input: CycleActionInput!) {
  measuresConfirm(input: $input) { cycle { id } errors { code } }
}"""
MANY_CYCLES = """{ cycles(first: 10) { nodes {
    gapAnalysis { rows { rank gap } }
    knowledgeTopics { titleTh assignments { targetDate } }
    measures { topics { titleTh } }
} } }"""
TOPICS_QUERY = """
query Topics($id: ID!) {
  node(id: $id) { ... on Cycle { knowledgeTopics { id titleTh status } measures { titleTh } } }
}"""

# Stakeholders rate how important each topic is; staff how much they know of it.
NEEDS = [[5, 4, 3], [5, 5, 2], [4, 4, 3], [4, 5, 3]]  # means 4.5, 4.5, 2.75
KNOWS = [[2, 4, 3], [3, 4, 3]]  # means 2.5, 4.0, 3.0


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clock, "today", lambda: date(2021, 11, 15))


async def _answered_world() -> World:
    world = await make_world()
    made = await make_surveys(world)
    links = await surveys.invite(actor=SYSTEM, survey_id=made.needs.id)
    needs_q = await SurveyQuestion.filter(survey_id=made.needs.id).order_by("position")
    for link, ratings in zip(links, NEEDS, strict=True):
        answers = [
            AnswerData(question_id=q.id, rating=r) for q, r in zip(needs_q, ratings, strict=False)
        ]
        answers.append(AnswerData(question_id=needs_q[3].id, choices=["line"]))
        await surveys.respond(actor=SYSTEM, token=link.token, answers=answers, submit=True)
    staff_q = await SurveyQuestion.filter(survey_id=made.staff.id).order_by("position")
    for who, ratings in zip(("CHAIR", "MEMBER"), KNOWS, strict=True):
        actor = _actor(world, who)
        answers = [
            AnswerData(question_id=q.id, rating=r) for q, r in zip(staff_q, ratings, strict=True)
        ]
        await surveys.respond(actor=actor, survey_id=made.staff.id, answers=answers, submit=True)
    return world


def _actor(world: World, who: str) -> Actor:
    return Actor(user_id=world.users[who].id)


async def test_gap_is_computed_from_submitted_answers_and_ranked(client: GraphQLClient) -> None:
    world = await _answered_world()
    assert world.cycle

    rows = (await world.client(client, "MEMBER").data(GAP, {"id": gid("Cycle", world.cycle.id)}))[
        "node"
    ]["gapAnalysis"]["rows"]

    by_title = {r["titleTh"]: r for r in rows}
    km = by_title[TOPICS[0]]
    assert (km["importance"], km["proficiency"], km["gap"], km["priority"]) == (4.5, 2.5, 2.0, 9.0)
    assert (km["stakeholderAnswers"], km["staffAnswers"]) == (4, 2)
    assert by_title[TOPICS[1]]["gap"] == 0.5
    assert by_title[TOPICS[2]]["gap"] == -0.25
    assert [r["titleTh"] for r in rows] == [TOPICS[0], TOPICS[1], TOPICS[2]]
    assert [r["rank"] for r in rows] == [1, 2, 3]


async def test_confirming_stores_a_snapshot_and_completes_step_5(client: GraphQLClient) -> None:
    world = await _answered_world()
    assert world.cycle
    cycle = gid("Cycle", world.cycle.id)
    chair = world.client(client, "CHAIR")

    confirmed = (await chair.data(CONFIRM, {"input": {"cycle": cycle}}))["gapAnalysisConfirm"]
    # A late staff answer changes the live analysis, not the confirmed one.
    made_staff = await Survey.get(cycle_id=world.cycle.id, kind="STAFF_SELF_ASSESSMENT")
    secretary = _actor(world, "SECRETARY")
    staff_q = await SurveyQuestion.filter(survey_id=made_staff.id).order_by("position")
    await surveys.respond(
        actor=secretary,
        survey_id=made_staff.id,
        answers=[AnswerData(question_id=q.id, rating=5) for q in staff_q],
        submit=True,
    )
    stored = (await chair.data(GAP, {"id": cycle}))["node"]["gapAnalysis"]
    live = (await chair.data(GAP, {"id": cycle, "live": True}))["node"]["gapAnalysis"]

    assert confirmed["errors"] == []
    assert stored["confirmedAt"] is not None and live["confirmedAt"] is None
    assert stored["rows"][0]["proficiency"] == 2.5
    assert live["rows"][0]["proficiency"] == 3.3333
    step5 = await CycleStep.get(cycle_id=world.cycle.id, no=5)
    assert step5.status == "DONE" and step5.actual_end == date(2021, 11, 15)


async def test_no_gap_without_answers_from_both_sides(client: GraphQLClient) -> None:
    world = await make_world()
    await make_surveys(world)
    assert world.cycle

    result = (
        await world.client(client, "CHAIR").data(
            CONFIRM, {"input": {"cycle": gid("Cycle", world.cycle.id)}}
        )
    )["gapAnalysisConfirm"]

    assert result["errors"][0]["code"] == "INVALID_INPUT"


async def test_topics_are_assigned_and_measures_set_completing_step_6(
    client: GraphQLClient,
) -> None:
    world = await _answered_world()
    assert world.cycle
    cycle = gid("Cycle", world.cycle.id)
    chair = world.client(client, "CHAIR")
    topics = (await chair.data(TOPICS_QUERY, {"id": cycle}))["node"]["knowledgeTopics"]
    km = next(t for t in topics if t["titleTh"] == TOPICS[0])
    too_early = (await chair.data(MEASURES_CONFIRM, {"input": {"cycle": cycle}}))["measuresConfirm"]

    assigned = (
        await chair.data(
            ASSIGN,
            {
                "input": {
                    "topic": km["id"],
                    "assignments": [
                        {
                            "person": gid("Person", world.people["กัญญาดา"].id),
                            "targetDate": "2022-03-31",
                        }
                    ],
                }
            },
        )
    )["knowledgeTopicAssign"]
    measure = (
        await chair.data(
            MEASURE,
            {
                "input": {
                    "cycle": cycle,
                    "titleTh": "จัดเวทีแลกเปลี่ยนเรียนรู้ร่วมกับภาคีเครือข่าย",
                    "levers": ["b", "P"],
                    "topics": [km["id"]],
                }
            },
        )
    )["measureCreate"]
    done = (await chair.data(MEASURES_CONFIRM, {"input": {"cycle": cycle}}))["measuresConfirm"]

    assert too_early["errors"][0]["code"] == "INVALID_INPUT"
    assert assigned["topic"]["status"] == "SELECTED"
    assert assigned["topic"]["assignments"] == [
        {"targetDate": "2022-03-31", "person": {"firstNameTh": "กัญญาดา"}}
    ]
    assert measure["measure"]["leverCodes"] == ["P", "B"]
    assert measure["measure"]["topics"] == [{"titleTh": TOPICS[0]}]
    assert done["errors"] == []
    assert (await CycleStep.get(cycle_id=world.cycle.id, no=6)).status == "DONE"


async def test_assignments_and_measures_are_checked(client: GraphQLClient) -> None:
    world = await _answered_world()
    assert world.cycle
    cycle = gid("Cycle", world.cycle.id)
    chair = world.client(client, "CHAIR")
    topics = (await chair.data(TOPICS_QUERY, {"id": cycle}))["node"]["knowledgeTopics"]

    bad_assignment = (
        await chair.data(
            ASSIGN,
            {
                "input": {
                    "topic": topics[0]["id"],
                    "assignments": [
                        {
                            "person": gid("Person", world.people["outsider"].id),
                            "targetDate": "2023-01-01",
                        }
                    ],
                }
            },
        )
    )["knowledgeTopicAssign"]
    bad_measure = (
        await chair.data(
            MEASURE,
            {
                "input": {
                    "cycle": cycle,
                    "titleTh": "ม",
                    "levers": ["X"],
                    "topics": [topics[0]["id"]],
                }
            },
        )
    )["measureCreate"]

    assert [e["field"] for e in bad_assignment["errors"]] == [
        ["input", "assignments", "0", "person"],
        ["input", "assignments", "0", "targetDate"],
    ]
    assert [e["field"] for e in bad_measure["errors"]] == [
        ["input", "levers", "0"],
        ["input", "topics"],  # not selected yet
    ]


async def test_gap_of_many_cycles_reads_in_fixed_sql(admin: GraphQLClient) -> None:
    world = await _answered_world()
    with count_queries() as one_cycle:
        first = await admin.data(MANY_CYCLES)
    await cycles.create_cycle(
        actor=SYSTEM, unit_id=world.unit.id, fiscal_year=2566, start_date=date(2022, 10, 3)
    )
    with count_queries() as two_cycles:
        second = await admin.data(MANY_CYCLES)

    assert len(first["cycles"]["nodes"]) == 1 and len(second["cycles"]["nodes"]) == 2
    assert len(one_cycle) == len(two_cycles)


async def test_an_anonymous_caller_is_refused_before_the_input_is_judged(
    client: GraphQLClient,
) -> None:
    world = await make_world()
    assert world.cycle
    measure = {"cycle": gid("Cycle", world.cycle.id), "titleTh": "ม", "levers": [], "topics": []}

    body = await client.post(MEASURE, {"input": measure})

    assert_unauthenticated(body)
