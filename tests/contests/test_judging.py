"""Judging the LIKE Talk Award through GraphQL: conflicts, assignment, scoring, visibility,
aggregates checked by hand, and results published at once."""

import csv
import io
import math
import statistics

import pytest

from models.audit import AuditEvent
from models.contest import (
    ConflictDeclaration,
    Entry,
    EntryStatus,
    JudgeAssignment,
    Score,
    ScoreSheet,
)
from models.org import Person
from services.actor import SYSTEM
from services.contests import assignments, judging
from tests.contest_world import ContestWorld, make_contest_world, shortlisted_entry, start_judging
from tests.helpers import GraphQLClient, assert_forbidden
from tests.world import gid

# The API and the exports show figures to two decimal places.
SHOWN = 0.005

SCORE = """mutation($input: EntryScoreInput!) { entryScore(input: $input) {
    sheet { status version scores { value comment criterion { nameTh } } }
    weightedTotal errors { code field message } } }"""

ASSIGN = """mutation($input: JudgeAssignInput!) { judgeAssign(input: $input) {
    assignments { judge { username } entry { id } } errors { code field message } } }"""

ENTRY = """query($id: ID!) { node(id: $id) { ... on Entry {
    status awardLevel { code labelTh } finalRank viewerCanScore
    scoreSheets { status judge { username } weightedTotal }
    aggregate { count mean median stdDev normalised disagreement rank rankReason
                criteria { mean count criterion { nameTh } }
                judges { total zScore flag judge { username } } } } } }"""

RESULTS = """query($id: ID!) { contestResults(contestId: $id) {
    method published
    entries { entry { id } count mean median stdDev normalised disagreement rank rankReason
              decidedBy judges { total zScore flag judge { username } } }
    flaggedJudges { flag judge { username } category { code } } } }"""


def _scores(cw: ContestWorld, a: float | None, b: float | None) -> list[dict[str, object]]:
    return [
        {"criterion": gid("RubricCriterion", cw.criteria[0].id), "value": a},
        {"criterion": gid("RubricCriterion", cw.criteria[1].id), "value": b},
    ]


def _total(a: float, b: float) -> float:
    """By hand: A on 0–10 weight 2, B on 1–5 weight 1 → (2·a/10 + (b−1)/4)·100/3."""
    return (2 * a / 10 + (b - 1) / 4) * 100 / 3


async def _assign(cw: ContestWorld, entries: list[Entry], *judges: str) -> None:
    await assignments.assign(
        actor=SYSTEM,
        contest_id=cw.contest.id,
        judge_ids=[cw.judges[j].id for j in judges],
        entry_ids=[e.id for e in entries],
    )


async def test_a_judge_is_never_assigned_to_their_own_unit_or_a_declared_conflict(
    client: GraphQLClient,
) -> None:
    cw = await make_contest_world()
    entry = await shortlisted_entry(cw, "สวนสุขภาพ")
    organiser = client.signed_in_as(cw.organiser)
    assign_input = {
        "contest": gid("Contest", cw.contest.id),
        "judges": [gid("User", cw.judges["judge_hpc"].id), gid("User", cw.judges["judge_osd"].id)],
        "entries": [gid("Entry", entry.id)],
    }

    refused = (await organiser.data(ASSIGN, {"input": assign_input}))["judgeAssign"]
    assert [(e["code"], e["field"]) for e in refused["errors"]] == [
        ("CONFLICT_OF_INTEREST", ["input", "judges", "1"])
    ]
    assert await JudgeAssignment.all().count() == 0

    judge = client.signed_in_as(cw.judges["judge_hpc"])
    assign_input["judges"] = assign_input["judges"][:1]
    made = (await organiser.data(ASSIGN, {"input": assign_input}))["judgeAssign"]
    assert made["assignments"][0]["judge"] == {"username": "judge_hpc"}
    declared = await judge.data(
        """mutation($entry: ID!) { conflictDeclare(input: {entry: $entry, reason: "เป็นญาติ"}) {
            conflict { reason judge { username } } errors { code } } }""",
        {"entry": gid("Entry", entry.id)},
    )
    assert declared["conflictDeclare"]["conflict"] == {
        "reason": "เป็นญาติ",
        "judge": {"username": "judge_hpc"},
    }
    assert await JudgeAssignment.all().count() == 0
    again = (await organiser.data(ASSIGN, {"input": assign_input}))["judgeAssign"]
    assert again["errors"][0]["code"] == "CONFLICT_OF_INTEREST"
    await start_judging(cw)
    scored = (await judge.data(SCORE, {"input": {"entry": gid("Entry", entry.id), "scores": []}}))[
        "entryScore"
    ]
    assert scored["errors"][0]["code"] == "NOT_ASSIGNED"
    event = await AuditEvent.get(action="conflict.declare")
    assert event.reason == "เป็นญาติ" and event.actor_id == cw.judges["judge_hpc"].id


async def test_automatic_assignment_is_balanced_deterministic_and_respects_conflicts(
    client: GraphQLClient,
) -> None:
    cw = await make_contest_world()
    osd = [await shortlisted_entry(cw, f"ผลงาน {n}") for n in range(4)]
    hpc = await shortlisted_entry(cw, "ผลงาน HPC", cw.world.other_unit)
    names = {u.id: name for name, u in cw.judges.items()}

    body = await client.signed_in_as(cw.organiser).data(
        """mutation($input: JudgeAssignAutoInput!) { judgeAssignAuto(input: $input) {
            assignments { id } unfilled { missing } errors { code } } }""",
        {
            "input": {
                "contest": gid("Contest", cw.contest.id),
                "judges": [gid("User", u.id) for u in cw.judges.values()],
                "perEntry": 2,
            }
        },
    )

    assert body["judgeAssignAuto"]["errors"] == []
    assert body["judgeAssignAuto"]["unfilled"] == []
    pairs = {
        (e, names[j]) for e, j in await JudgeAssignment.all().values_list("entry_id", "judge_id")
    }
    # Entries in id order, each to the least loaded eligible judges (ties: lower id); OSD's own
    # judge only for the HPC entry, HPC's judge never for it.
    assert pairs == {
        (osd[0].id, "judge_hpc"),
        (osd[0].id, "judge_third"),
        (osd[1].id, "judge_free"),
        (osd[1].id, "judge_hpc"),
        (osd[2].id, "judge_third"),
        (osd[2].id, "judge_free"),
        (osd[3].id, "judge_hpc"),
        (osd[3].id, "judge_third"),
        (hpc.id, "judge_osd"),
        (hpc.id, "judge_free"),
    }
    rerun = await assignments.auto_assign(
        actor=SYSTEM,
        contest_id=cw.contest.id,
        judge_ids=[u.id for u in cw.judges.values()],
        per_entry=2,
    )
    assert rerun.assignments == [] and rerun.short == {}


async def test_bad_scores_are_refused_and_nothing_typed_is_lost(client: GraphQLClient) -> None:
    cw = await make_contest_world()
    entry = await shortlisted_entry(cw, "สวนสุขภาพ")
    other = await shortlisted_entry(cw, "อื่น")
    await _assign(cw, [entry], "judge_hpc")
    await start_judging(cw)
    judge = client.signed_in_as(cw.judges["judge_hpc"])
    entry_id = gid("Entry", entry.id)

    draft = await judge.data(SCORE, {"input": {"entry": entry_id, "scores": _scores(cw, 8, None)}})
    assert draft["entryScore"]["errors"] == []
    assert draft["entryScore"]["sheet"]["status"] == "DRAFT"
    assert draft["entryScore"]["weightedTotal"] is None

    off_scale = await judge.data(
        SCORE, {"input": {"entry": entry_id, "scores": _scores(cw, 11, 2.25), "submit": True}}
    )
    assert [(e["code"], e["field"]) for e in off_scale["entryScore"]["errors"]] == [
        ("INVALID_INPUT", ["input", "scores", "0", "value"]),
        ("INVALID_INPUT", ["input", "scores", "1", "value"]),
    ]
    assert await Score.filter(value=8).count() == 1 and await Score.filter(value=11).count() == 0

    missing = await judge.data(
        SCORE, {"input": {"entry": entry_id, "scores": _scores(cw, 9, None), "submit": True}}
    )
    assert [e["code"] for e in missing["entryScore"]["errors"]] == ["INVALID_INPUT"]
    assert await Score.filter(value=9).count() == 1  # kept as a draft

    unassigned = await judge.data(
        SCORE, {"input": {"entry": gid("Entry", other.id), "scores": _scores(cw, 1, 1)}}
    )
    assert unassigned["entryScore"]["errors"][0]["code"] == "NOT_ASSIGNED"

    done = await judge.data(
        SCORE, {"input": {"entry": entry_id, "scores": _scores(cw, 8, 4), "submit": True}}
    )
    assert done["entryScore"]["sheet"]["status"] == "SUBMITTED"
    assert done["entryScore"]["weightedTotal"] == pytest.approx(_total(8, 4), abs=SHOWN)
    assert (await Entry.get(id=entry.id)).status == EntryStatus.SCORED
    closed = await judge.data(SCORE, {"input": {"entry": entry_id, "scores": _scores(cw, 1, 1)}})
    assert closed["entryScore"]["errors"][0]["code"] == "INVALID_TRANSITION"


async def test_a_judge_sees_other_scores_only_after_submitting_their_own(
    client: GraphQLClient,
) -> None:
    cw = await make_contest_world()
    entry = await shortlisted_entry(cw, "สวนสุขภาพ")
    await _assign(cw, [entry], "judge_hpc", "judge_third")
    await start_judging(cw)
    first = client.signed_in_as(cw.judges["judge_hpc"])
    second = client.signed_in_as(cw.judges["judge_third"])
    entry_id = gid("Entry", entry.id)
    await first.data(
        SCORE, {"input": {"entry": entry_id, "scores": _scores(cw, 8, 4), "submit": True}}
    )
    await second.data(SCORE, {"input": {"entry": entry_id, "scores": _scores(cw, 6, None)}})

    before = (await second.data(ENTRY, {"id": entry_id}))["node"]
    assert [s["judge"]["username"] for s in before["scoreSheets"]] == ["judge_third"]
    assert before["aggregate"] is None and before["viewerCanScore"] is True

    await second.data(
        SCORE, {"input": {"entry": entry_id, "scores": _scores(cw, 6, 3), "submit": True}}
    )
    after = (await second.data(ENTRY, {"id": entry_id}))["node"]
    assert {s["judge"]["username"] for s in after["scoreSheets"]} == {"judge_hpc", "judge_third"}
    assert after["aggregate"]["count"] == 2
    assert after["viewerCanScore"] is False
    author = (await client.signed_in_as(cw.author).data(ENTRY, {"id": entry_id}))["node"]
    assert author["scoreSheets"] == [] and author["aggregate"] is None

    reopen = """mutation($id: ID!) { scoreSheetReopen(input: {id: $id, reason: "พิมพ์ผิด"}) {
        sheet { status } errors { code } } }"""
    sheet = await ScoreSheet.get(entry_id=entry.id, judge_id=cw.judges["judge_third"].id)
    assert_forbidden(await second.post(reopen, {"id": gid("ScoreSheet", sheet.id)}))
    reopened = await client.signed_in_as(cw.organiser).data(
        reopen, {"id": gid("ScoreSheet", sheet.id)}
    )
    assert reopened["scoreSheetReopen"]["sheet"]["status"] == "DRAFT"
    # Never presented: back to SHORTLISTED, the state it was scored from.
    assert (await Entry.get(id=entry.id)).status == EntryStatus.SHORTLISTED


async def _scored_world(client: GraphQLClient) -> tuple[ContestWorld, list[Entry]]:
    """Three OSD entries scored by three judges; judge_third gives everyone the same."""
    cw = await make_contest_world()
    entries = [await shortlisted_entry(cw, f"ผลงาน {n}") for n in (1, 2, 3)]
    await _assign(cw, entries, "judge_hpc", "judge_third", "judge_free")
    await start_judging(cw)
    marks = {
        "judge_hpc": [(8, 4), (5, 2), (7, 3)],
        "judge_third": [(6, 3), (6, 3), (6, 3)],
        "judge_free": [(10, 5), (4, 1), (7, 3)],
    }
    for name, per_entry in marks.items():
        judge = client.signed_in_as(cw.judges[name])
        for entry, (a, b) in zip(entries, per_entry, strict=True):
            body = await judge.data(
                SCORE,
                {
                    "input": {
                        "entry": gid("Entry", entry.id),
                        "scores": _scores(cw, a, b),
                        "submit": True,
                    }
                },
            )
            assert body["entryScore"]["errors"] == []
    return cw, entries


async def test_aggregates_match_a_hand_check(client: GraphQLClient) -> None:
    cw, entries = await _scored_world(client)

    body = await client.signed_in_as(cw.manager).data(
        RESULTS, {"id": gid("Contest", cw.contest.id)}
    )

    results = body["contestResults"]
    assert results["method"] == "MEAN" and results["published"] is False
    by_entry = {r["entry"]["id"]: r for r in results["entries"]}
    e1, e2, e3 = (by_entry[gid("Entry", e.id)] for e in entries)
    # Weighted totals by hand: (20a + 25(b − 1)) / 3.
    t1 = [235 / 3, 170 / 3, 100.0]  # hpc 8/4, third 6/3, free 10/5
    t2 = [125 / 3, 170 / 3, 80 / 3]
    t3 = [190 / 3, 170 / 3, 190 / 3]
    for row, totals in ((e1, t1), (e2, t2), (e3, t3)):
        assert row["count"] == 3
        assert row["mean"] == pytest.approx(sum(totals) / 3, abs=SHOWN)
        assert row["median"] == pytest.approx(sorted(totals)[1], abs=SHOWN)
        mu = sum(totals) / 3
        assert row["stdDev"] == pytest.approx(
            math.sqrt(sum((t - mu) ** 2 for t in totals) / 3), abs=SHOWN
        )
    # σ of e1 is √(2·(65/3)²/3) ≈ 17.7 > 15; e2's is √150 ≈ 12.2.
    assert (e1["disagreement"], e2["disagreement"], e3["disagreement"]) == (True, False, False)
    assert [r["rank"] for r in (e1, e3, e2)] == [1, 2, 3]
    assert e1["rankReason"] == "จัดอันดับตามค่าเฉลี่ย"
    # z-scores: judge_third gave no spread and is left out; the others over their three totals.
    assert results["flaggedJudges"] == [
        {
            "flag": "NO_SPREAD",
            "judge": {"username": "judge_third"},
            "category": {"code": "INNOVATION"},
        }
    ]
    hpc = [t1[0], t2[0], t3[0]]
    free = [t1[2], t2[2], t3[2]]

    def z(values: list[float], i: int) -> float:
        return (values[i] - statistics.fmean(values)) / statistics.pstdev(values)

    for i, row in enumerate((e1, e2, e3)):
        assert row["normalised"] == pytest.approx((z(hpc, i) + z(free, i)) / 2, abs=SHOWN)
        third = next(j for j in row["judges"] if j["judge"]["username"] == "judge_third")
        assert third == {
            "total": pytest.approx(170 / 3, abs=SHOWN),
            "zScore": None,
            "flag": "NO_SPREAD",
            "judge": {"username": "judge_third"},
        }


async def test_results_are_decided_privately_and_published_at_once(client: GraphQLClient) -> None:
    cw, entries = await _scored_world(client)
    organiser = client.signed_in_as(cw.organiser)
    author = client.signed_in_as(cw.author)
    decide = """mutation($entry: ID!, $level: String) {
        entryAwardDecide(input: {entry: $entry, level: $level}) {
            entry { awardLevel { code labelTh labelEn } } errors { code field } } }"""
    contest_id = gid("Contest", cw.contest.id)

    unknown = await organiser.data(decide, {"entry": gid("Entry", entries[0].id), "level": "X"})
    assert unknown["entryAwardDecide"]["errors"] == [
        {"code": "INVALID_INPUT", "field": ["input", "level"]}
    ]
    decided = await organiser.data(decide, {"entry": gid("Entry", entries[0].id), "level": "GOLD"})
    assert decided["entryAwardDecide"]["entry"]["awardLevel"] == {
        "code": "GOLD",
        "labelTh": "รางวัลระดับทอง",
        "labelEn": "Gold",
    }
    hidden = (await author.data(ENTRY, {"id": gid("Entry", entries[0].id)}))["node"]
    assert hidden["awardLevel"] is None and hidden["aggregate"] is None
    assert_forbidden(await author.post(RESULTS, {"id": contest_id}))

    published = await organiser.data(
        """mutation($id: ID!) { contestResultsPublish(input: {id: $id}) {
            contest { status resultsPublishedAt } errors { code } } }""",
        {"id": contest_id},
    )

    assert published["contestResultsPublish"]["contest"]["status"] == "RESULTS_PUBLISHED"
    shown = (await author.data(ENTRY, {"id": gid("Entry", entries[0].id)}))["node"]
    assert (shown["status"], shown["awardLevel"]["code"], shown["finalRank"]) == (
        "AWARDED",
        "GOLD",
        1,
    )
    assert shown["aggregate"]["rank"] == 1 and shown["aggregate"]["judges"] == []
    statuses = (
        await Entry.filter(id__in=[e.id for e in entries])
        .order_by("id")
        .values_list("status", flat=True)
    )
    assert statuses == [EntryStatus.AWARDED, EntryStatus.NOT_AWARDED, EntryStatus.NOT_AWARDED]
    public = (await author.data(RESULTS, {"id": contest_id}))["contestResults"]
    assert public["published"] is True and public["flaggedJudges"] == []
    assert await ConflictDeclaration.all().count() == 0


async def test_managers_see_live_figures_of_an_edition(client: GraphQLClient) -> None:
    cw, _ = await _scored_world(client)
    query = """query($id: ID!) { node(id: $id) { ... on Contest { statistics {
        entries { status count category { code } unit { code } }
        judges { assigned drafts submitted judge { username } }
        criteria { count mean minimum maximum criterion { nameTh } } } } } }"""

    stats = await client.signed_in_as(cw.manager).data(query, {"id": gid("Contest", cw.contest.id)})
    hidden = await client.signed_in_as(cw.author).data(query, {"id": gid("Contest", cw.contest.id)})

    figures = stats["node"]["statistics"]
    assert figures["entries"] == [
        {
            "status": "SCORED",
            "count": 3,
            "category": {"code": "INNOVATION"},
            "unit": {"code": "OSD"},
        }
    ]
    assert {j["judge"]["username"]: j["submitted"] for j in figures["judges"]} == {
        "judge_hpc": 3,
        "judge_third": 3,
        "judge_free": 3,
    }
    innovation, outcome = figures["criteria"]
    assert innovation == {
        "count": 9,
        "mean": pytest.approx((8 + 5 + 7 + 6 * 3 + 10 + 4 + 7) / 9, abs=SHOWN),
        "minimum": 4.0,
        "maximum": 10.0,
        "criterion": {"nameTh": "นวัตกรรม"},
    }
    assert outcome["mean"] == pytest.approx((4 + 2 + 3 + 3 * 3 + 5 + 1 + 3) / 9, abs=SHOWN)
    assert hidden["node"]["statistics"] is None


async def test_exports_by_entry_and_by_judge_for_organisers_and_managers(
    client: GraphQLClient,
) -> None:
    cw, entries = await _scored_world(client)
    contest_id = gid("Contest", cw.contest.id)
    manager = client.signed_in_as(cw.manager).headers

    entries_csv = await client.http.get(
        f"/exports/contests/{contest_id}/entries.csv", headers=manager
    )
    judges_csv = await client.http.get(
        f"/exports/contests/{contest_id}/judges.csv",
        headers={**manager, "accept-language": "en"},
    )
    workbook = await client.http.get(f"/exports/contests/{contest_id}/judges.xlsx", headers=manager)
    author = client.signed_in_as(cw.author).headers
    refused = await client.http.get(f"/exports/contests/{contest_id}/entries.csv", headers=author)
    anonymous = await client.http.get(f"/exports/contests/{contest_id}/entries.csv")
    unknown = await client.http.get("/exports/contests/nonsense/entries.csv", headers=manager)

    assert entries_csv.status_code == 200
    lines = list(csv.reader(io.StringIO(entries_csv.content.decode("utf-8-sig"))))
    assert lines[0][:3] == ["ประเภท", "รหัสผลงานที่ส่ง", "เลขทะเบียนผลงาน"]
    assert len(lines) == 4
    first = next(row for row in lines[1:] if row[1] == str(entries[0].id))
    assert float(first[lines[0].index("ค่าเฉลี่ย")]) == pytest.approx(
        (235 / 3 + 170 / 3 + 100) / 3, abs=SHOWN
    )
    assert first[lines[0].index("อันดับ")] == "1"
    # Labels, never codes: the category's name and what the status is called.
    assert first[0] == "นวัตกรรม"
    assert first[lines[0].index("สถานะ")] == "ให้คะแนนแล้ว"
    rows = list(csv.reader(io.StringIO(judges_csv.content.decode("utf-8-sig"))))
    header = rows[0]
    assert header[0] == "Judge" and "Innovation" in header and "Weighted total" in header
    assert len(rows) == 1 + 9
    hpc_first = next(r for r in rows[1:] if r[0] == "judge_hpc" and r[3] == str(entries[0].id))
    assert float(hpc_first[header.index("Innovation")]) == 8
    assert float(hpc_first[header.index("Weighted total")]) == pytest.approx(235 / 3, abs=SHOWN)
    assert hpc_first[header.index("Rank")] == "1"
    assert hpc_first[header.index("Sheet status")] == "Submitted"
    assert workbook.status_code == 200 and workbook.content[:2] == b"PK"
    assert (refused.status_code, anonymous.status_code, unknown.status_code) == (403, 401, 404)


async def test_a_tie_on_the_method_is_broken_by_the_stored_order_and_the_reason_kept(
    client: GraphQLClient,
) -> None:
    cw = await make_contest_world()
    first, second = [await shortlisted_entry(cw, t) for t in ("ก", "ข")]
    await _assign(cw, [first, second], "judge_hpc", "judge_third", "judge_free")
    await start_judging(cw)
    # Totals (20a + 25(b − 1)) / 3: first 60, 70, 80; second 50, 80, 80 — both mean 70; the
    # second's median is 80, the first's 70. The edition breaks ties by MEDIAN first.
    marks = {
        "judge_hpc": [(9, 1), (5, 3)],
        "judge_third": [(8, 3), (7, 5)],
        "judge_free": [(7, 5), (7, 5)],
    }
    for name, pairs in marks.items():
        for entry, (a, b) in zip((first, second), pairs, strict=True):
            await client.signed_in_as(cw.judges[name]).data(
                SCORE,
                {
                    "input": {
                        "entry": gid("Entry", entry.id),
                        "scores": _scores(cw, a, b),
                        "submit": True,
                    }
                },
            )

    body = (
        await client.signed_in_as(cw.organiser)
        .with_headers(**{"accept-language": "en"})
        .data(RESULTS, {"id": gid("Contest", cw.contest.id)})
    )

    rows = {r["entry"]["id"]: r for r in body["contestResults"]["entries"]}
    top, below = rows[gid("Entry", second.id)], rows[gid("Entry", first.id)]
    assert top["mean"] == pytest.approx(70, abs=SHOWN) and below["mean"] == pytest.approx(
        70, abs=SHOWN
    )
    assert (top["rank"], top["decidedBy"]) == (1, "MEDIAN")
    assert (below["rank"], below["decidedBy"]) == (2, "MEDIAN")
    assert below["rankReason"] == f"Tied on mean with entries {second.id}; placed by median"


async def test_a_judge_who_joined_the_entry_s_unit_can_no_longer_score_it(
    client: GraphQLClient,
) -> None:
    cw = await make_contest_world()
    entry = await shortlisted_entry(cw, "สวนสุขภาพ")
    await _assign(cw, [entry], "judge_third")
    await start_judging(cw)
    await Person.filter(user_id=cw.judges["judge_third"].id).update(unit_id=cw.world.unit.id)

    body = await client.signed_in_as(cw.judges["judge_third"]).data(
        SCORE, {"input": {"entry": gid("Entry", entry.id), "scores": _scores(cw, 5, 3)}}
    )

    assert body["entryScore"]["errors"][0]["code"] == "CONFLICT_OF_INTEREST"
    assert await Score.all().count() == 0


async def test_answers_and_screening_comments_are_for_the_entrant_and_judges(
    client: GraphQLClient,
) -> None:
    cw, entries = await _scored_world(client)
    await judging.publish_results(actor=SYSTEM, contest_id=cw.contest.id)
    query = """query($id: ID!) { node(id: $id) { ... on Entry { answers screeningComment
        awardLevel { code } } } }"""
    entry_id = gid("Entry", entries[0].id)

    outsider = (await cw.world.client(client, "OUTSIDER").data(query, {"id": entry_id}))["node"]
    judge = await client.signed_in_as(cw.judges["judge_hpc"]).data(query, {"id": entry_id})
    author = (await client.signed_in_as(cw.author).data(query, {"id": entry_id}))["node"]

    assert outsider == {"answers": None, "screeningComment": None, "awardLevel": None}
    assert judge["node"]["answers"]["title"] == "สวนสุขภาพ"
    assert author["answers"]["kind"] == "A"


EXPORT_LINK = """query L($id: ID!) { node(id: $id) { ... on Contest {
    entries: exportUrl(table: ENTRIES, format: CSV)
    judges: exportUrl(table: JUDGES, format: CSV, language: EN)
    workbook: exportUrl(table: JUDGES, format: XLSX) } } }"""


async def test_export_links_open_without_a_header_for_those_who_may_export(
    client: GraphQLClient,
) -> None:
    cw, entries = await _scored_world(client)
    await judging.decide_award(actor=SYSTEM, entry_id=entries[0].id, level="GOLD")
    contest_id = gid("Contest", cw.contest.id)
    links = (await client.signed_in_as(cw.manager).data(EXPORT_LINK, {"id": contest_id}))["node"]
    author = (await client.signed_in_as(cw.author).data(EXPORT_LINK, {"id": contest_id}))["node"]

    by_entry = await client.http.get(links["entries"])
    by_judge = await client.http.get(links["judges"])
    workbook = await client.http.get(links["workbook"])
    other = await client.http.get(
        links["judges"].replace(contest_id, gid("Contest", cw.contest.id + 1))
    )

    assert author == {"entries": None, "judges": None, "workbook": None}
    rows = list(csv.reader(io.StringIO(by_entry.content.decode("utf-8-sig"))))
    gold = next(row for row in rows[1:] if row[1] == str(entries[0].id))
    # The award's name in the link's language, not its code.
    assert gold[rows[0].index("รางวัล")] == "รางวัลระดับทอง"
    assert by_judge.content.decode("utf-8-sig").startswith("Judge,")
    assert workbook.status_code == 200 and workbook.content[:2] == b"PK"
    assert other.status_code == 401
