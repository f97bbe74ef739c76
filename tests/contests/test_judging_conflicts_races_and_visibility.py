"""Fixes from the review of judging: conflicts, races, entrants as judges, visibility, forms,
assignment input and the ranking of entries whose judges are all flagged."""

import asyncio

import pytest

from models.audit import AuditEvent
from models.contest import (
    Contest,
    ContestForm,
    Entry,
    EntryPresenter,
    EntryStatus,
    JudgeAssignment,
    RankingMethod,
    ScoreSheet,
    SheetStatus,
)
from models.org import Person
from models.work import WorkAuthor
from services.actor import SYSTEM, Actor
from services.contests import assignments, entries, judging, scoreboard
from services.contests.entries import EntryAction
from services.errors import DomainError
from tests.contest_world import ContestWorld, make_contest_world, shortlisted_entry, start_judging
from tests.helpers import GraphQLClient, assert_forbidden, count_queries
from tests.world import gid

SCORE = """mutation($input: EntryScoreInput!) { entryScore(input: $input) {
    sheet { id status version } weightedTotal errors { code field message } } }"""

DECLARE = """mutation($entry: ID!, $judge: ID) {
    conflictDeclare(input: {entry: $entry, reason: "เป็นญาติ", judge: $judge}) {
        conflict { reason entry { id } judge { username } } errors { code field } } }"""


def _scores(cw: ContestWorld, a: float | None, b: float | None) -> list[dict[str, object]]:
    return [
        {"criterion": gid("RubricCriterion", cw.criteria[0].id), "value": a},
        {"criterion": gid("RubricCriterion", cw.criteria[1].id), "value": b},
    ]


async def _assign(cw: ContestWorld, entries: list[Entry], *judges: str) -> None:
    await assignments.assign(
        actor=SYSTEM,
        contest_id=cw.contest.id,
        judge_ids=[cw.judges[j].id for j in judges],
        entry_ids=[e.id for e in entries],
    )


async def test_only_an_assigned_judge_or_an_organiser_declares_and_the_entry_is_rechecked(
    client: GraphQLClient,
) -> None:
    cw = await make_contest_world()
    entry = await shortlisted_entry(cw, "สวนสุขภาพ")
    await _assign(cw, [entry], "judge_hpc", "judge_third")
    await start_judging(cw)
    entry_id = gid("Entry", entry.id)
    hpc = client.signed_in_as(cw.judges["judge_hpc"])
    third = client.signed_in_as(cw.judges["judge_third"])
    outsider = client.signed_in_as(cw.judges["judge_free"])

    assert_forbidden(await outsider.post(DECLARE, {"entry": entry_id}))
    assert_forbidden(await client.signed_in_as(cw.author).post(DECLARE, {"entry": entry_id}))
    submitted = await hpc.data(
        SCORE, {"input": {"entry": entry_id, "scores": _scores(cw, 8, 4), "submit": True}}
    )
    assert submitted["entryScore"]["errors"] == []
    await third.data(SCORE, {"input": {"entry": entry_id, "scores": _scores(cw, 6, None)}})

    declared = (await third.data(DECLARE, {"entry": entry_id}))["conflictDeclare"]
    # The judge no longer judges the entry, so it is no longer theirs to see.
    assert declared["errors"] == []
    assert declared["conflict"]["entry"] is None
    assert declared["conflict"]["judge"] == {"username": "judge_third"}
    # The only judge left had submitted: the entry is completely scored now.
    assert (await Entry.get(id=entry.id)).status == EntryStatus.SCORED

    removing_submitted = (await hpc.data(DECLARE, {"entry": entry_id}))["conflictDeclare"]
    assert removing_submitted["errors"] == [{"code": "NOT_PERMITTED", "field": ["input", "entry"]}]
    assert await ScoreSheet.filter(entry_id=entry.id).count() == 1

    await judging.publish_results(actor=SYSTEM, contest_id=cw.contest.id)
    organiser = client.signed_in_as(cw.organiser)
    late = (
        await organiser.data(
            DECLARE, {"entry": entry_id, "judge": gid("User", cw.judges["judge_hpc"].id)}
        )
    )["conflictDeclare"]
    assert late["errors"][0]["code"] == "INVALID_TRANSITION"
    assert await AuditEvent.filter(action="conflict.declare").count() == 1


RESULTS = """query($id: ID!) { contestResults(contestId: $id) {
    entries { entry { id } count mean rank judges { judge { username } } } } }"""


async def test_a_sheet_whose_judge_is_no_longer_assigned_is_not_counted(
    client: GraphQLClient,
) -> None:
    cw = await make_contest_world()
    entry = await shortlisted_entry(cw, "สวนสุขภาพ")
    await _assign(cw, [entry], "judge_hpc", "judge_third")
    await start_judging(cw)
    for name, marks in (("judge_hpc", (8, 4)), ("judge_third", (2, 1))):
        body = await client.signed_in_as(cw.judges[name]).data(
            SCORE,
            {
                "input": {
                    "entry": gid("Entry", entry.id),
                    "scores": _scores(cw, *marks),
                    "submit": True,
                }
            },
        )
        assert body["entryScore"]["errors"] == []
    # A sheet that slipped in beside a concurrent conflict declaration: no assignment behind it.
    await JudgeAssignment.filter(entry_id=entry.id, judge_id=cw.judges["judge_third"].id).delete()

    body = await client.signed_in_as(cw.manager).data(
        RESULTS, {"id": gid("Contest", cw.contest.id)}
    )

    (row,) = body["contestResults"]["entries"]
    assert row["count"] == 1
    assert row["judges"] == [{"judge": {"username": "judge_hpc"}}]


ASSIGN = """mutation($input: JudgeAssignInput!) { judgeAssign(input: $input) {
    assignments { judge { username } } errors { code field message } } }"""


async def test_an_author_presenter_or_maker_of_the_entry_never_judges_it(
    client: GraphQLClient,
) -> None:
    cw = await make_contest_world()
    entry = await shortlisted_entry(cw, "สวนสุขภาพ")
    other = await shortlisted_entry(cw, "อื่น")
    third, hpc, free = (cw.judges[n] for n in ("judge_third", "judge_hpc", "judge_free"))
    third_person = await Person.get(user_id=third.id)
    await WorkAuthor.create(work_id=entry.work_id, position=2, person_id=third_person.id)
    await EntryPresenter.create(
        entry_id=entry.id, person_id=(await Person.get(user_id=hpc.id)).id, position=1
    )
    organiser = client.signed_in_as(cw.organiser)

    refused = (
        await organiser.data(
            ASSIGN,
            {
                "input": {
                    "contest": gid("Contest", cw.contest.id),
                    "judges": [gid("User", third.id), gid("User", hpc.id)],
                    "entries": [gid("Entry", entry.id)],
                }
            },
        )
    )["judgeAssign"]
    assert [(e["code"], e["field"]) for e in refused["errors"]] == [
        ("CONFLICT_OF_INTEREST", ["input", "judges", "0"]),
        ("CONFLICT_OF_INTEREST", ["input", "judges", "1"]),
    ]
    assert (
        "own entry"
        in (
            await organiser.with_headers(**{"accept-language": "en"}).data(
                ASSIGN,
                {
                    "input": {
                        "contest": gid("Contest", cw.contest.id),
                        "judges": [gid("User", third.id)],
                        "entries": [gid("Entry", entry.id)],
                    }
                },
            )
        )["judgeAssign"]["errors"][0]["message"]
    )
    auto = await assignments.auto_assign(
        actor=SYSTEM, contest_id=cw.contest.id, judge_ids=[third.id, hpc.id, free.id], per_entry=1
    )
    assert {(a.entry_id, a.judge_id) for a in auto.assignments} == {
        (entry.id, free.id),
        (other.id, hpc.id),
    }

    # The maker of an entry who is assigned all the same may not score it.
    await Entry.filter(id=other.id).update(created_by_id=hpc.id)
    await start_judging(cw)
    body = await client.signed_in_as(hpc).data(
        SCORE, {"input": {"entry": gid("Entry", other.id), "scores": _scores(cw, 5, 3)}}
    )
    assert body["entryScore"]["errors"][0]["code"] == "CONFLICT_OF_INTEREST"


async def test_publishing_while_a_judge_submits_loses_nothing(client: GraphQLClient) -> None:
    cw = await make_contest_world()
    entry = await shortlisted_entry(cw, "สวนสุขภาพ")
    await _assign(cw, [entry], "judge_hpc", "judge_third")
    await start_judging(cw)
    hpc, third = cw.judges["judge_hpc"], cw.judges["judge_third"]
    values = [judging.ScoreData(criterion_id=c.id, value=c.scale_max) for c in cw.criteria]
    await judging.score(actor=Actor(user_id=hpc.id), entry_id=entry.id, scores=values, submit=True)

    scored, published = await asyncio.gather(
        judging.score(actor=Actor(user_id=third.id), entry_id=entry.id, scores=values, submit=True),
        judging.publish_results(actor=SYSTEM, contest_id=cw.contest.id),
        return_exceptions=True,
    )

    assert not isinstance(published, Exception), published
    assert not isinstance(scored, Exception) or isinstance(scored, DomainError), scored
    row = await Entry.get(id=entry.id)
    # Either the sheet came before publication (and was ranked with it) or it was refused.
    assert row.status in (EntryStatus.AWARDED, EntryStatus.NOT_AWARDED)
    sheet = await ScoreSheet.get_or_none(entry_id=entry.id, judge_id=third.id)
    if isinstance(scored, DomainError):
        assert sheet is None or sheet.status == SheetStatus.DRAFT
    else:
        assert sheet is not None and sheet.status == SheetStatus.SUBMITTED
        contest = await Contest.get(id=cw.contest.id)
        assert sheet.submitted_at is not None and contest.results_published_at is not None
        assert sheet.submitted_at <= contest.results_published_at


NODE = """query($id: ID!) { node(id: $id) { ... on Entry { status } } }"""


async def test_after_publication_only_judged_outcomes_are_public(client: GraphQLClient) -> None:
    cw = await make_contest_world()
    judged = await shortlisted_entry(cw, "สวนสุขภาพ")
    refused = await shortlisted_entry(cw, "ไม่ผ่าน")
    await Entry.filter(id=refused.id).update(status=EntryStatus.NOT_SHORTLISTED)
    withdrawn = await shortlisted_entry(cw, "ถอน")
    await Entry.filter(id=withdrawn.id).update(status=EntryStatus.WITHDRAWN)
    await _assign(cw, [judged], "judge_hpc")
    await start_judging(cw)
    values = [judging.ScoreData(criterion_id=c.id, value=c.scale_max) for c in cw.criteria]
    await judging.score(
        actor=Actor(user_id=cw.judges["judge_hpc"].id),
        entry_id=judged.id,
        scores=values,
        submit=True,
    )
    await judging.publish_results(actor=SYSTEM, contest_id=cw.contest.id)
    outsider = cw.world.client(client, "OUTSIDER")

    seen = {
        e.id: (await outsider.data(NODE, {"id": gid("Entry", e.id)}))["node"]
        for e in (judged, refused, withdrawn)
    }

    assert seen == {judged.id: {"status": "NOT_AWARDED"}, refused.id: None, withdrawn.id: None}
    listed = await outsider.data(
        """query($id: ID!) { node(id: $id) { ... on Contest { entries { nodes { id } } } } }""",
        {"id": gid("Contest", cw.contest.id)},
    )
    assert listed["node"]["entries"]["nodes"] == [{"id": gid("Entry", judged.id)}]


async def test_a_submission_missing_criteria_returns_the_saved_draft(client: GraphQLClient) -> None:
    cw = await make_contest_world()
    entry = await shortlisted_entry(cw, "สวนสุขภาพ")
    await _assign(cw, [entry], "judge_hpc")
    await start_judging(cw)
    judge = client.signed_in_as(cw.judges["judge_hpc"])
    entry_id = gid("Entry", entry.id)

    missing = (
        await judge.data(
            SCORE, {"input": {"entry": entry_id, "scores": _scores(cw, 9, None), "submit": True}}
        )
    )["entryScore"]

    assert [e["code"] for e in missing["errors"]] == ["INVALID_INPUT"]
    assert missing["sheet"]["status"] == "DRAFT" and missing["weightedTotal"] is None
    version = missing["sheet"]["version"]
    done = (
        await judge.data(
            SCORE,
            {
                "input": {
                    "entry": entry_id,
                    "scores": _scores(cw, 9, 3),
                    "submit": True,
                    "version": version,
                }
            },
        )
    )["entryScore"]
    assert done["errors"] == [] and done["sheet"]["status"] == "SUBMITTED"


async def test_a_judge_named_twice_is_assigned_once_and_zero_judges_per_entry_is_refused(
    client: GraphQLClient,
) -> None:
    cw = await make_contest_world()
    entry = await shortlisted_entry(cw, "สวนสุขภาพ")
    organiser = client.signed_in_as(cw.organiser)
    hpc = gid("User", cw.judges["judge_hpc"].id)

    twice = (
        await organiser.data(
            ASSIGN,
            {
                "input": {
                    "contest": gid("Contest", cw.contest.id),
                    "judges": [hpc, hpc],
                    "entries": [gid("Entry", entry.id)],
                }
            },
        )
    )["judgeAssign"]
    zero = (
        await organiser.data(
            """mutation($input: JudgeAssignAutoInput!) { judgeAssignAuto(input: $input) {
                assignments { id } errors { code field } } }""",
            {"input": {"contest": gid("Contest", cw.contest.id), "judges": [hpc], "perEntry": 0}},
        )
    )["judgeAssignAuto"]

    assert twice["errors"] == []
    assert twice["assignments"] == [{"judge": {"username": "judge_hpc"}}]
    assert zero == {
        "assignments": [],
        "errors": [{"code": "INVALID_INPUT", "field": ["input", "perEntry"]}],
    }


async def test_a_draft_edition_s_set_up_is_for_organisers_and_managers(
    client: GraphQLClient,
) -> None:
    cw = await make_contest_world(open_it=False)
    form = await ContestForm.get(contest_id=cw.contest.id)
    ids = [
        gid("ContestCategory", cw.categories[0].id),
        gid("RubricCriterion", cw.criteria[0].id),
        gid("ContestForm", form.id),
    ]
    query = """query($ids: [ID!]!) { nodes(ids: $ids) { id } }"""

    hidden = await client.signed_in_as(cw.author).data(query, {"ids": ids})
    shown = await client.signed_in_as(cw.manager).data(query, {"ids": ids})

    assert hidden["nodes"] == [None, None, None]
    assert shown["nodes"] == [{"id": i} for i in ids]


async def test_normalised_ranking_places_entries_without_a_normalised_score_after_the_others(
    client: GraphQLClient,
) -> None:
    cw = await make_contest_world()
    await Contest.filter(id=cw.contest.id).update(ranking_method=RankingMethod.NORMALISED)
    spread = [await shortlisted_entry(cw, f"ผลงาน {n}") for n in range(3)]
    lonely = [await shortlisted_entry(cw, f"เดี่ยว {n}") for n in range(2)]
    await _assign(cw, spread, "judge_hpc")
    await _assign(cw, lonely, "judge_third")
    await start_judging(cw)
    marks = {spread[0].id: 9, spread[1].id: 5, spread[2].id: 1, lonely[0].id: 2, lonely[1].id: 7}
    for entry in spread + lonely:
        judge = cw.judges["judge_hpc" if entry in spread else "judge_third"]
        await judging.score(
            actor=Actor(user_id=judge.id),
            entry_id=entry.id,
            scores=[
                judging.ScoreData(criterion_id=cw.criteria[0].id, value=marks[entry.id]),
                judging.ScoreData(criterion_id=cw.criteria[1].id, value=3),
            ],
            submit=True,
        )

    body = (
        await client.signed_in_as(cw.manager)
        .with_headers(**{"accept-language": "en"})
        .data(
            """query($id: ID!) { contestResults(contestId: $id) {
                entries { entry { id } normalised rank rankReason } } }""",
            {"id": gid("Contest", cw.contest.id)},
        )
    )

    rows = {r["entry"]["id"]: r for r in body["contestResults"]["entries"]}
    ranks = {e.id: rows[gid("Entry", e.id)]["rank"] for e in spread + lonely}
    # judge_third scored two entries only: left out of normalisation, so those two entries
    # have no normalised score and follow the others, ordered by their mean.
    assert ranks == {
        spread[0].id: 1,
        spread[1].id: 2,
        spread[2].id: 3,
        lonely[1].id: 4,
        lonely[0].id: 5,
    }
    late = rows[gid("Entry", lonely[1].id)]
    assert late["normalised"] is None
    assert late["rankReason"] == (
        "No judge of this entry counts in the normalised score: ranked by mean after the "
        "entries that have one"
    )


async def test_a_published_rank_reason_is_in_the_reader_s_language(client: GraphQLClient) -> None:
    cw = await make_contest_world()
    entry = await shortlisted_entry(cw, "สวนสุขภาพ")
    await _assign(cw, [entry], "judge_hpc")
    await start_judging(cw)
    values = [judging.ScoreData(criterion_id=c.id, value=c.scale_max) for c in cw.criteria]
    await judging.score(
        actor=Actor(user_id=cw.judges["judge_hpc"].id),
        entry_id=entry.id,
        scores=values,
        submit=True,
    )
    await judging.publish_results(actor=SYSTEM, contest_id=cw.contest.id)
    query = """query($id: ID!) { node(id: $id) { ... on Entry { finalRank rankReason } } }"""
    author = client.signed_in_as(cw.author)

    thai = (await author.data(query, {"id": gid("Entry", entry.id)}))["node"]
    english = (
        await author.with_headers(**{"accept-language": "en"}).data(
            query, {"id": gid("Entry", entry.id)}
        )
    )["node"]

    assert thai == {"finalRank": 1, "rankReason": "จัดอันดับตามค่าเฉลี่ย"}
    assert english == {"finalRank": 1, "rankReason": "Ranked by mean"}


PUBLISH = """mutation($id: ID!) { contestResultsPublish(input: {id: $id}) {
    contest { status } unscored { id } errors { code field message } } }"""


async def test_an_award_on_an_entry_no_longer_scored_stops_publication(
    client: GraphQLClient,
) -> None:
    cw = await make_contest_world()
    gold, pending = [await shortlisted_entry(cw, t) for t in ("ทอง", "ค้าง")]
    await _assign(cw, [gold, pending], "judge_hpc")
    await start_judging(cw)
    judge = Actor(user_id=cw.judges["judge_hpc"].id)
    values = [judging.ScoreData(criterion_id=c.id, value=c.scale_max) for c in cw.criteria]
    await judging.score(actor=judge, entry_id=gold.id, scores=values, submit=True)
    await judging.decide_award(actor=SYSTEM, entry_id=gold.id, level="GOLD")
    sheet = await ScoreSheet.get(entry_id=gold.id)
    await judging.reopen(actor=SYSTEM, sheet_id=sheet.id, reason="พิมพ์ผิด")
    organiser = client.signed_in_as(cw.organiser).with_headers(**{"accept-language": "en"})
    contest_id = gid("Contest", cw.contest.id)

    refused = (await organiser.data(PUBLISH, {"id": contest_id}))["contestResultsPublish"]

    assert refused["contest"] == {"status": "JUDGING"} and refused["unscored"] == []
    assert [(e["code"], e["field"]) for e in refused["errors"]] == [
        ("INVALID_TRANSITION", ["input", "id"])
    ]
    assert str(gold.id) in refused["errors"][0]["message"]
    assert (await Contest.get(id=cw.contest.id)).status == "JUDGING"

    await judging.decide_award(actor=SYSTEM, entry_id=gold.id, level=None)
    published = (await organiser.data(PUBLISH, {"id": contest_id}))["contestResultsPublish"]
    assert published["errors"] == [] and published["contest"]["status"] == "RESULTS_PUBLISHED"
    assert published["unscored"] == [
        {"id": gid("Entry", gold.id)},
        {"id": gid("Entry", pending.id)},
    ]


async def test_the_scoreboard_hears_of_submissions_reopenings_and_publication_only(
    client: GraphQLClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    cw = await make_contest_world()
    entry = await shortlisted_entry(cw, "สวนสุขภาพ")
    await _assign(cw, [entry], "judge_hpc")
    await start_judging(cw)
    heard: list[tuple[int, int]] = []

    async def record(contest_id: int, entry_id: int) -> None:
        heard.append((contest_id, entry_id))

    monkeypatch.setattr(scoreboard, "publish", record)
    judge = client.signed_in_as(cw.judges["judge_hpc"])
    entry_id = gid("Entry", entry.id)

    await judge.data(SCORE, {"input": {"entry": entry_id, "scores": _scores(cw, 8, None)}})
    assert heard == []
    await judge.data(
        SCORE, {"input": {"entry": entry_id, "scores": _scores(cw, 8, 4), "submit": True}}
    )
    assert heard == [(cw.contest.id, entry.id)]
    sheet = await ScoreSheet.get(entry_id=entry.id)
    await judging.reopen(actor=SYSTEM, sheet_id=sheet.id, reason="พิมพ์ผิด")
    assert len(heard) == 2
    await judge.data(
        SCORE, {"input": {"entry": entry_id, "scores": _scores(cw, 8, 4), "submit": True}}
    )
    await judging.publish_results(actor=SYSTEM, contest_id=cw.contest.id)
    assert heard == [(cw.contest.id, entry.id)] * 4


async def test_a_scoreboard_failure_never_fails_a_saved_score(
    client: GraphQLClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    cw = await make_contest_world()
    entry = await shortlisted_entry(cw, "สวนสุขภาพ")
    await _assign(cw, [entry], "judge_hpc")
    await start_judging(cw)

    async def broken(contest_id: int, entry_id: int) -> None:
        raise ConnectionError("the database went away")

    monkeypatch.setattr(scoreboard, "publish", broken)

    body = await client.signed_in_as(cw.judges["judge_hpc"]).data(
        SCORE,
        {"input": {"entry": gid("Entry", entry.id), "scores": _scores(cw, 8, 4), "submit": True}},
    )

    assert body["entryScore"]["errors"] == []
    assert body["entryScore"]["sheet"]["status"] == "SUBMITTED"


async def test_viewer_can_score_follows_the_same_conflict_rules_as_scoring(
    client: GraphQLClient,
) -> None:
    cw = await make_contest_world()
    entry = await shortlisted_entry(cw, "สวนสุขภาพ")
    await _assign(cw, [entry], "judge_hpc", "judge_third")
    await start_judging(cw)
    # Named a presenter after being assigned: now an entrant of it.
    hpc = cw.judges["judge_hpc"]
    await EntryPresenter.create(
        entry_id=entry.id, person_id=(await Person.get(user_id=hpc.id)).id, position=1
    )
    query = """query($id: ID!) { node(id: $id) { ... on Entry { viewerCanScore } } }"""

    presenter = await client.signed_in_as(hpc).data(query, {"id": gid("Entry", entry.id)})
    other = await client.signed_in_as(cw.judges["judge_third"]).data(
        query, {"id": gid("Entry", entry.id)}
    )

    assert presenter["node"] == {"viewerCanScore": False}
    assert other["node"] == {"viewerCanScore": True}


async def test_a_reopened_entry_returns_to_the_state_it_was_scored_from(
    client: GraphQLClient,
) -> None:
    cw = await make_contest_world()
    shortlisted, presented = [await shortlisted_entry(cw, t) for t in ("ก", "ข")]
    await entries.act_on_entry(actor=SYSTEM, entry_id=presented.id, action=EntryAction.PRESENT)
    await _assign(cw, [shortlisted, presented], "judge_hpc")
    await start_judging(cw)
    judge = Actor(user_id=cw.judges["judge_hpc"].id)
    values = [judging.ScoreData(criterion_id=c.id, value=c.scale_max) for c in cw.criteria]
    reopen = """mutation($id: ID!) { scoreSheetReopen(input: {id: $id, reason: "พิมพ์ผิด"}) {
        sheet { status } errors { code } } }"""
    organiser = client.signed_in_as(cw.organiser)

    for entry in (shortlisted, presented):
        await judging.score(actor=judge, entry_id=entry.id, scores=values, submit=True)
        assert (await Entry.get(id=entry.id)).status == EntryStatus.SCORED
        sheet = await ScoreSheet.get(entry_id=entry.id)
        body = await organiser.data(reopen, {"id": gid("ScoreSheet", sheet.id)})
        assert body["scoreSheetReopen"]["errors"] == []

    assert (await Entry.get(id=shortlisted.id)).status == EntryStatus.SHORTLISTED
    assert (await Entry.get(id=presented.id)).status == EntryStatus.PRESENTED


async def test_an_export_builds_only_the_table_asked_for(client: GraphQLClient) -> None:
    cw = await make_contest_world()
    entry = await shortlisted_entry(cw, "สวนสุขภาพ")
    await _assign(cw, [entry], "judge_hpc")
    await start_judging(cw)
    values = [judging.ScoreData(criterion_id=c.id, value=c.scale_max) for c in cw.criteria]
    await judging.score(
        actor=Actor(user_id=cw.judges["judge_hpc"].id),
        entry_id=entry.id,
        scores=values,
        submit=True,
    )
    headers = client.signed_in_as(cw.manager).headers
    url = f"/exports/contests/{gid('Contest', cw.contest.id)}"

    with count_queries() as by_entry:
        entries = await client.http.get(f"{url}/entries.csv", headers=headers)
    with count_queries() as by_judge:
        judges = await client.http.get(f"{url}/judges.csv", headers=headers)

    assert entries.status_code == 200 and judges.status_code == 200
    # The table by entry needs no scores of its own (the results give its means).
    assert len(by_entry) == len(by_judge) - 1


async def test_a_conflict_declared_while_the_judge_submits_leaves_no_counted_sheet(
    client: GraphQLClient,
) -> None:
    cw = await make_contest_world()
    entry = await shortlisted_entry(cw, "สวนสุขภาพ")
    await _assign(cw, [entry], "judge_hpc", "judge_third")
    await start_judging(cw)
    hpc = cw.judges["judge_hpc"]
    values = [judging.ScoreData(criterion_id=c.id, value=c.scale_max) for c in cw.criteria]

    outcomes = await asyncio.gather(
        judging.score(actor=Actor(user_id=hpc.id), entry_id=entry.id, scores=values, submit=True),
        judging.declare_conflict(actor=SYSTEM, entry_id=entry.id, reason="ญาติ", judge_id=hpc.id),
        return_exceptions=True,
    )

    assert all(not isinstance(o, Exception) or isinstance(o, DomainError) for o in outcomes)
    assert not isinstance(outcomes[1], Exception), outcomes[1]
    # Whichever came first, the conflicted judge has neither an assignment nor a sheet.
    assert not await JudgeAssignment.exists(entry_id=entry.id, judge_id=hpc.id)
    assert not await ScoreSheet.exists(entry_id=entry.id, judge_id=hpc.id)
