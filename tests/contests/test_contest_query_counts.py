"""The LIKE Talk Award's lists run the same number of SQL statements whatever their length."""

import pytest

from models.contest import Entry, EntryStatus
from services.actor import SYSTEM, Actor
from services.contests import assignments, editions, judging
from tests.contest_world import (
    ContestWorld,
    contest_data,
    make_contest_world,
    shortlisted_entry,
    start_judging,
)
from tests.helpers import GraphQLClient, count_queries
from tests.world import gid

CONTESTS = """query Page($first: Int) { contests(first: $first) { totalCount nodes {
    fiscalYear { be } status awardLevels { code } categories { code }
    criteria { nameTh descriptors { score } category { code } }
    form { version fields { key choices { value } } } viewerCanManage viewerCanEnter
    statistics { entries { status count category { code } unit { code } }
                 judges { assigned drafts submitted judge { username } }
                 criteria { count mean minimum maximum criterion { nameTh } } }
} } }"""

ENTRIES = """query Page($id: ID!, $first: Int) { node(id: $id) { ... on Contest {
    entries(first: $first) { totalCount nodes {
        status formVersion answers work { titleTh } unit { code } category { code }
        contest { nameTh } presenters { firstNameTh }
        judges { judge { username } entry { id } } conflicts { reason }
        scoreSheets { weightedTotal judge { username } scores { value criterion { nameTh } } }
        aggregate { mean rank rankReason criteria { mean criterion { nameTh } }
                    judges { total zScore judge { username } sheet { status } } }
        awardLevel { code labelTh } finalRank
        viewerCanSubmit viewerCanWithdraw viewerCanScreen viewerCanScore
    } } } } }"""

CONFLICTS = """query Page($id: ID!, $first: Int) { node(id: $id) { ... on Contest {
    entries(first: $first) { nodes { conflicts { reason createdAt judge { username } } } } } } }"""

RESULTS = """query($id: ID!) { contestResults(contestId: $id) { entries {
    entry { work { titleTh } category { code } } mean median normalised rank
    criteria { mean criterion { nameTh } }
    judges { total judge { username } sheet { status scores { value } } }
} flaggedJudges { judge { username } category { code } } } }"""


async def test_the_contests_list_runs_fixed_sql_whatever_the_page_size(
    client: GraphQLClient,
) -> None:
    cw = await make_contest_world()
    for year in (2561, 2562, 2563, 2564):
        await editions.create_contest(actor=SYSTEM, data=contest_data(year))
    viewer = client.signed_in_as(cw.organiser)

    with count_queries() as two:
        small = await viewer.data(CONTESTS, {"first": 2})
    with count_queries() as five:
        large = await viewer.data(CONTESTS, {"first": 5})

    assert len(small["contests"]["nodes"]) == 2 and len(large["contests"]["nodes"]) == 5
    assert len(two) == len(five), five


async def _scored(n: int) -> tuple[ContestWorld, str]:
    cw = await make_contest_world()
    entries = [await shortlisted_entry(cw, f"ผลงาน {i}") for i in range(n)]
    judges = [cw.judges["judge_hpc"].id, cw.judges["judge_third"].id]
    await assignments.assign(
        actor=SYSTEM, contest_id=cw.contest.id, judge_ids=judges, entry_ids=[e.id for e in entries]
    )
    await start_judging(cw)
    for entry in entries:
        for judge in judges:
            await judging.score(
                actor=Actor(user_id=judge),
                entry_id=entry.id,
                scores=[
                    judging.ScoreData(criterion_id=c.id, value=c.scale_max) for c in cw.criteria
                ],
                submit=True,
            )
        await judging.declare_conflict(
            actor=SYSTEM, entry_id=entry.id, reason="ญาติ", judge_id=cw.judges["judge_osd"].id
        )
    return cw, gid("Contest", cw.contest.id)


# A DataLoader asked for new keys at two depths may batch them once or twice, depending on
# when the database answers: each loader here is asked for one set of keys (conflicts' judges
# would be a second set of users), so the count is the same on every run.
@pytest.mark.parametrize("query", [ENTRIES, CONFLICTS], ids=["entries", "conflicts"])
async def test_entries_with_their_sheets_and_aggregates_run_fixed_sql(
    client: GraphQLClient, query: str
) -> None:
    cw, contest_id = await _scored(5)
    viewer = client.signed_in_as(cw.organiser)

    with count_queries() as two:
        small = await viewer.data(query, {"id": contest_id, "first": 2})
    with count_queries() as five:
        large = await viewer.data(query, {"id": contest_id, "first": 5})

    assert len(small["node"]["entries"]["nodes"]) == 2
    nodes = large["node"]["entries"]["nodes"]
    assert len(nodes) == 5
    assert len(two) == len(five), five


async def test_contest_results_run_fixed_sql_whatever_the_number_of_entries(
    client: GraphQLClient,
) -> None:
    cw, contest_id = await _scored(5)
    viewer = client.signed_in_as(cw.manager)
    later = list(await Entry.filter(contest_id=cw.contest.id).order_by("id").limit(3))
    await Entry.filter(id__in=[e.id for e in later]).update(status=EntryStatus.NOT_SHORTLISTED)
    with count_queries() as two:
        small = await viewer.data(RESULTS, {"id": contest_id})
    await Entry.filter(id__in=[e.id for e in later]).update(status=EntryStatus.SCORED)

    with count_queries() as five:
        large = await viewer.data(RESULTS, {"id": contest_id})

    assert len(small["contestResults"]["entries"]) == 2
    assert len(large["contestResults"]["entries"]) == 5
    assert len(two) == len(five), five


async def test_entries_seen_by_a_judge_run_fixed_sql(client: GraphQLClient) -> None:
    cw, contest_id = await _scored(5)
    viewer = client.signed_in_as(cw.judges["judge_hpc"])

    with count_queries() as two:
        small = await viewer.data(ENTRIES, {"id": contest_id, "first": 2})
    with count_queries() as five:
        large = await viewer.data(ENTRIES, {"id": contest_id, "first": 5})

    assert len(small["node"]["entries"]["nodes"]) == 2
    nodes = large["node"]["entries"]["nodes"]
    assert len(nodes) == 5
    assert all(n["aggregate"] is not None and n["viewerCanScore"] is False for n in nodes)
    assert len(two) == len(five), five
