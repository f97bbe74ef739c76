"""In-app notifications: each person reads only their own, in their language, and marks them."""

import pytest

from models.plan import PlanAction
from tests.helpers import GraphQLClient, assert_unauthenticated, count_queries
from tests.plans_world import draft_plan, step
from tests.world import World, gid, make_world

MINE = """query Mine($first: Int, $unread: Boolean) {
    notifications(first: $first, filter: {unreadOnly: $unread}) {
        totalCount nodes { id message subjectId readAt } } }"""
MARK = """mutation M($ids: [ID!]) { notificationMarkRead(input: {ids: $ids}) {
    marked errors { code field } } }"""


@pytest.fixture
async def world(database: str) -> World:
    return await make_world()


async def _five_submissions(world: World) -> None:
    """Five plans submitted and returned: five notices to the approver."""
    for _ in range(5):
        plan = await draft_plan(world)
        plan = await step(world, plan, PlanAction.SUBMIT, "SECRETARY")
        plan = await step(world, plan, PlanAction.RETURN, "APPROVER", comment="แก้ไข")
        await plan.delete()


async def test_people_read_their_own_in_their_language(client: GraphQLClient, world: World) -> None:
    plan = await draft_plan(world)
    await step(world, plan, PlanAction.SUBMIT, "SECRETARY")

    thai = await world.client(client, "APPROVER").data(MINE)
    english = (
        await world.client(client, "APPROVER").with_headers(**{"accept-language": "en"}).data(MINE)
    )
    chair = await world.client(client, "CHAIR").data(MINE)

    [notice] = thai["notifications"]["nodes"]
    assert notice["message"] == f"มีแผนเสนอขออนุมัติ: {plan.title_th} (ฉบับที่ 1)"
    assert notice["subjectId"] == gid("Plan", plan.id)
    assert english["notifications"]["nodes"][0]["message"].startswith("A plan awaits your decision")
    assert chair["notifications"]["totalCount"] == 0


async def test_marking_read_touches_only_ones_own(client: GraphQLClient, world: World) -> None:
    await step(world, await draft_plan(world), PlanAction.SUBMIT, "SECRETARY")
    approver = world.client(client, "APPROVER")
    [notice] = (await approver.data(MINE))["notifications"]["nodes"]

    by_other = await world.client(client, "CHAIR").data(MARK, {"ids": [notice["id"]]})
    by_owner = await approver.data(MARK, {"ids": [notice["id"]]})
    unread = await approver.data(MINE, {"unread": True})

    assert by_other["notificationMarkRead"] == {"marked": 0, "errors": []}
    assert by_owner["notificationMarkRead"] == {"marked": 1, "errors": []}
    assert unread["notifications"]["totalCount"] == 0


async def test_a_wrong_id_is_a_user_error(client: GraphQLClient, world: World) -> None:
    body = await world.client(client, "APPROVER").data(MARK, {"ids": [gid("Plan", 1)]})

    assert body["notificationMarkRead"]["errors"] == [
        {"code": "INVALID_INPUT", "field": ["input", "ids", "0"]}
    ]


async def test_anonymous_callers_have_none(client: GraphQLClient, world: World) -> None:
    assert_unauthenticated(await client.post(MINE))


async def test_the_list_runs_fixed_sql(client: GraphQLClient, world: World) -> None:
    await _five_submissions(world)
    approver = world.client(client, "APPROVER")

    with count_queries() as two:
        small = await approver.data(MINE, {"first": 2})
    with count_queries() as five:
        large = await approver.data(MINE, {"first": 5})

    assert len(small["notifications"]["nodes"]) == 2
    assert len(large["notifications"]["nodes"]) == 5
    assert len(two) == len(five)
