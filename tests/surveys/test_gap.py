"""GAP analysis, knowledge topics and PIRAB measures (SOP steps 5 and 6)."""

from datetime import date

import pytest

from models.cycle import CycleStep
from models.meeting import Meeting, MeetingKind
from models.survey import GapRound, GapSnapshot, Survey, SurveyQuestion
from services import clock, cycles, gap, meetings, surveys
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
ROUNDS = """
query Rounds($id: ID!) {
  node(id: $id) {
    ... on Cycle {
      gapAnalysis { round }
      gapAnalyses { round meeting { titleTh } confirmedBy { username } rows { rank titleTh } }
      gapReview {
        topics { titleTh rankBefore rankAfter priorityBefore priorityAfter moved }
      }
    }
  }
}"""
CONFIRM_ROUND = """
mutation Confirm($input: GapAnalysisConfirmInput!) {
  gapAnalysisConfirm(input: $input) {
    gapAnalysis { round meeting { titleTh } }
    errors { code field }
  }
}"""
MANY_REVIEWS = """{ cycles(first: 10) { nodes {
    gapAnalyses { round meeting { titleTh } confirmedBy { username } rows { rank } }
    gapReview { topics { titleTh moved } }
} } }"""
CONFIRM = """
mutation Confirm($input: GapAnalysisConfirmInput!) {
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


async def _review_meeting(cycle_id: int, held_on: date = date(2022, 3, 1)) -> Meeting:
    return await meetings.create_meeting(
        actor=SYSTEM,
        data=meetings.NewMeeting(
            cycle_id=cycle_id,
            kind=MeetingKind.FIVE_MONTH_REVIEW,
            held_on=held_on,
            title_th="ประชุมทบทวนผลรอบ 5 เดือน",
        ),
    )


async def _staff_answer(world: World, ratings: list[int]) -> None:
    """One more staff self-assessment, by the secretary."""
    assert world.cycle
    staff = await Survey.get(cycle_id=world.cycle.id, kind="STAFF_SELF_ASSESSMENT")
    staff_q = await SurveyQuestion.filter(survey_id=staff.id).order_by("position")
    await surveys.respond(
        actor=_actor(world, "SECRETARY"),
        survey_id=staff.id,
        answers=[
            AnswerData(question_id=q.id, rating=r) for q, r in zip(staff_q, ratings, strict=True)
        ],
        submit=True,
    )


async def test_the_five_month_review_compares_both_rounds(client: GraphQLClient) -> None:
    world = await _answered_world()
    assert world.cycle
    cycle = gid("Cycle", world.cycle.id)
    chair = world.client(client, "CHAIR")
    meeting = await _review_meeting(world.cycle.id)

    first = (await chair.data(CONFIRM_ROUND, {"input": {"cycle": cycle}}))["gapAnalysisConfirm"]
    before_review = (await chair.data(ROUNDS, {"id": cycle}))["node"]
    # By the review, staff know the second topic less and the first one better.
    await _staff_answer(world, [5, 1, 3])
    review_input = {
        "cycle": cycle,
        "round": "FIVE_MONTH_REVIEW",
        "meeting": gid("Meeting", meeting.id),
    }
    second = (await chair.data(CONFIRM_ROUND, {"input": review_input}))["gapAnalysisConfirm"]
    after = (await chair.data(ROUNDS, {"id": cycle}))["node"]

    assert first == {"gapAnalysis": {"round": "START_OF_YEAR", "meeting": None}, "errors": []}
    assert before_review["gapReview"] is None
    assert second == {
        "gapAnalysis": {
            "round": "FIVE_MONTH_REVIEW",
            "meeting": {"titleTh": "ประชุมทบทวนผลรอบ 5 เดือน"},
        },
        "errors": [],
    }
    assert after["gapAnalysis"]["round"] == "FIVE_MONTH_REVIEW"
    assert [a["round"] for a in after["gapAnalyses"]] == ["FIVE_MONTH_REVIEW", "START_OF_YEAR"]
    assert after["gapAnalyses"][0]["confirmedBy"] is not None
    assert [r["titleTh"] for r in after["gapAnalyses"][0]["rows"]] == [
        TOPICS[1],
        TOPICS[0],
        TOPICS[2],
    ]
    assert after["gapReview"]["topics"] == [
        {
            "titleTh": TOPICS[1],
            "rankBefore": 2,
            "rankAfter": 1,
            "priorityBefore": 2.25,
            "priorityAfter": 6.75,
            "moved": True,
        },
        {
            "titleTh": TOPICS[0],
            "rankBefore": 1,
            "rankAfter": 2,
            "priorityBefore": 9.0,
            "priorityAfter": 5.2502,
            "moved": True,
        },
        {
            "titleTh": TOPICS[2],
            "rankBefore": 3,
            "rankAfter": 3,
            "priorityBefore": -0.6875,
            "priorityAfter": -0.6875,
            "moved": False,
        },
    ]


async def test_each_confirmation_is_kept_and_the_latest_of_a_round_counts(
    client: GraphQLClient,
) -> None:
    world = await _answered_world()
    assert world.cycle
    cycle = gid("Cycle", world.cycle.id)
    chair = world.client(client, "CHAIR")
    review_input = {"cycle": cycle, "round": "FIVE_MONTH_REVIEW"}

    await chair.data(CONFIRM_ROUND, {"input": {"cycle": cycle}})
    await chair.data(CONFIRM_ROUND, {"input": review_input})
    await _staff_answer(world, [5, 1, 3])
    await chair.data(CONFIRM_ROUND, {"input": review_input})
    node = (await chair.data(ROUNDS, {"id": cycle}))["node"]

    assert [a["round"] for a in node["gapAnalyses"]] == [
        "FIVE_MONTH_REVIEW",
        "FIVE_MONTH_REVIEW",
        "START_OF_YEAR",
    ]
    assert [t["rankAfter"] for t in node["gapReview"]["topics"]] == [1, 2, 3]
    assert [t["moved"] for t in node["gapReview"]["topics"]] == [True, True, False]


async def test_the_five_month_round_leaves_step_5_alone(client: GraphQLClient) -> None:
    world = await _answered_world()
    assert world.cycle
    review_input = {"cycle": gid("Cycle", world.cycle.id), "round": "FIVE_MONTH_REVIEW"}

    confirmed = await world.client(client, "CHAIR").data(CONFIRM_ROUND, {"input": review_input})

    assert confirmed["gapAnalysisConfirm"]["errors"] == []
    step5 = await CycleStep.get(cycle_id=world.cycle.id, no=5)
    assert step5.status != "DONE" and step5.actual_end is None


async def test_a_meeting_of_another_cycle_is_refused(client: GraphQLClient) -> None:
    world = await _answered_world()
    assert world.cycle
    other = await cycles.create_cycle(
        actor=SYSTEM, unit_id=world.unit.id, fiscal_year=2566, start_date=date(2022, 10, 3)
    )
    elsewhere = await _review_meeting(other.id, date(2023, 3, 1))
    review_input = {
        "cycle": gid("Cycle", world.cycle.id),
        "round": "FIVE_MONTH_REVIEW",
        "meeting": gid("Meeting", elsewhere.id),
    }

    refused = await world.client(client, "CHAIR").data(CONFIRM_ROUND, {"input": review_input})

    assert refused["gapAnalysisConfirm"] == {
        "gapAnalysis": None,
        "errors": [{"code": "INVALID_INPUT", "field": ["input", "meeting"]}],
    }
    assert not await GapSnapshot.filter(cycle_id=world.cycle.id).exists()


async def test_gap_rounds_of_many_cycles_read_in_fixed_sql(admin: GraphQLClient) -> None:
    world = await _answered_world()
    assert world.cycle
    first_cycle = world.cycle.id
    chair = _actor(world, "CHAIR")
    await gap.confirm(actor=chair, cycle_id=first_cycle)
    await gap.confirm(
        actor=chair,
        cycle_id=first_cycle,
        round=GapRound.FIVE_MONTH_REVIEW,
        meeting_id=(await _review_meeting(first_cycle)).id,
    )
    with count_queries() as one_cycle:
        first = await admin.data(MANY_REVIEWS)
    other = await cycles.create_cycle(
        actor=SYSTEM, unit_id=world.unit.id, fiscal_year=2566, start_date=date(2022, 10, 3)
    )
    meeting = await _review_meeting(other.id, date(2023, 3, 1))
    # The other cycle has no answers: its snapshots are the first cycle's, as stored.
    for snapshot in await GapSnapshot.filter(cycle_id=first_cycle):
        await GapSnapshot.create(
            cycle_id=other.id,
            round=snapshot.round,
            meeting_id=meeting.id if snapshot.meeting_id else None,
            rows=snapshot.rows,
            confirmed_by_id=snapshot.confirmed_by_id,
        )
    with count_queries() as two_cycles:
        second = await admin.data(MANY_REVIEWS)

    reviews = [c["gapReview"] for c in second["cycles"]["nodes"]]
    assert len(first["cycles"]["nodes"]) == 1 and len(reviews) == 2 and None not in reviews
    assert len(one_cycle) == len(two_cycles)
