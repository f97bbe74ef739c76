"""The demo's FY 2565 LIKE Talk Award: its published results match a hand check of the formulas,
recomputed here from the raw scores without the service's code."""

import math
from collections import defaultdict

import pytest

from models.contest import (
    ConflictDeclaration,
    Contest,
    ContestStatus,
    Entry,
    EntryStatus,
    JudgeAssignment,
    RubricCriterion,
    Score,
    ScoreSheet,
)
from models.org import Person
from services.demo import load_demo
from tests.helpers import GraphQLClient, make_user
from tests.world import gid

# The API and the exports show figures to two decimal places.
SHOWN = 0.005

RESULTS = """query($id: ID!) { contestResults(contestId: $id) { method published entries {
    entry { id awardLevel { code } finalRank } count mean median stdDev normalised rank
    judges { total zScore flag } } } }"""


def _median(values: list[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def _sd(values: list[float]) -> float:
    mu = sum(values) / len(values)
    return math.sqrt(sum((v - mu) ** 2 for v in values) / len(values))


async def test_the_demo_edition_is_judged_and_published_as_the_formulas_say(
    client: GraphQLClient,
) -> None:
    await load_demo(admin_password="demo-pass-123", reset_password=False)
    contest = await Contest.get(fiscal_year=2565)
    assert contest.status == ContestStatus.RESULTS_PUBLISHED
    assert await Entry.filter(contest_id=contest.id).count() == 20
    assert await contest.categories.all().count() == 3  # type: ignore[attr-defined]
    assert len(await Entry.filter(contest_id=contest.id).distinct().values_list("unit_id")) == 5
    assert await ConflictDeclaration.filter(contest_id=contest.id).count() == 2

    # Conflicts respected: no judge scores an entry of their own unit or a declared one.
    unit_of = dict(await Person.filter(user_id__isnull=False).values_list("user_id", "unit_id"))
    entries = {e.id: e for e in await Entry.filter(contest_id=contest.id)}
    assignments = await JudgeAssignment.filter(contest_id=contest.id)
    declared = set(
        await ConflictDeclaration.filter(contest_id=contest.id).values_list("judge_id", "entry_id")
    )
    assert len({a.judge_id for a in assignments}) == 5
    assert all(unit_of.get(a.judge_id) != entries[a.entry_id].unit_id for a in assignments)
    assert not {(a.judge_id, a.entry_id) for a in assignments} & declared

    # By hand: weighted totals from the raw scores.
    criteria = {c.id: c for c in await RubricCriterion.filter(contest_id=contest.id)}
    sheets = {s.id: s for s in await ScoreSheet.filter(contest_id=contest.id, status="SUBMITTED")}
    parts: defaultdict[int, list[tuple[float, RubricCriterion]]] = defaultdict(list)
    for score in await Score.filter(sheet_id__in=list(sheets)):
        parts[score.sheet_id].append((score.value, criteria[score.criterion_id]))  # type: ignore[arg-type]
    total = {
        sheet: sum(c.weight * (v - c.scale_min) / (c.scale_max - c.scale_min) for v, c in p)
        * 100
        / sum(c.weight for _, c in p)
        for sheet, p in parts.items()
    }
    per_entry: defaultdict[int, list[float]] = defaultdict(list)
    per_judge: defaultdict[tuple[int, int], list[tuple[int, float]]] = defaultdict(list)
    for sheet_id, value in total.items():
        sheet = sheets[sheet_id]
        per_entry[sheet.entry_id].append(value)
        per_judge[(sheet.judge_id, entries[sheet.entry_id].category_id)].append(
            (sheet.entry_id, value)
        )
    z: defaultdict[int, list[float]] = defaultdict(list)
    for rows in per_judge.values():
        values = [v for _, v in rows]
        if len(values) < 3 or _sd(values) == 0:
            continue
        mu, sigma = sum(values) / len(values), _sd(values)
        for entry_id, value in rows:
            z[entry_id].append((value - mu) / sigma)
    assert len(per_entry) == 18 and all(len(v) == 3 for v in per_entry.values())

    viewer = client.signed_in_as(await make_user("viewer"))
    body = await viewer.data(RESULTS, {"id": gid("Contest", contest.id)})
    results = body["contestResults"]
    assert results["method"] == "NORMALISED" and results["published"] is True

    by_category: defaultdict[int, list[tuple[float, int]]] = defaultdict(list)
    for row in results["entries"]:
        entry_id = _pk(row["entry"]["id"])
        values = per_entry[entry_id]
        assert row["count"] == 3
        assert row["mean"] == pytest.approx(sum(values) / 3, abs=SHOWN)
        assert row["median"] == pytest.approx(_median(values), abs=SHOWN)
        assert row["stdDev"] == pytest.approx(_sd(values), abs=SHOWN)
        assert row["normalised"] == pytest.approx(sum(z[entry_id]) / len(z[entry_id]), abs=SHOWN)
        by_category[entries[entry_id].category_id].append((row["normalised"], entry_id))
    awards = ["GOLD", "SILVER", "BRONZE", "HONOURABLE_MENTION"]
    for ranked in by_category.values():
        # Normalised scores of these marks are all distinct: the order needs no tie-break.
        ranked.sort(reverse=True)
        assert len({round(n, 9) for n, _ in ranked}) == len(ranked)
        for place, (_, entry_id) in enumerate(ranked, start=1):
            row = next(r for r in results["entries"] if _pk(r["entry"]["id"]) == entry_id)
            assert row["rank"] == place and row["entry"]["finalRank"] == place
            level = row["entry"]["awardLevel"]
            assert (level and level["code"]) == (awards[place - 1] if place <= 4 else None)
            assert row["judges"] == []  # a signed-in viewer sees no judge's marks
    statuses = await Entry.filter(contest_id=contest.id).values_list("status", flat=True)
    assert sorted(statuses).count(EntryStatus.AWARDED) == 12
    assert EntryStatus.WITHDRAWN in statuses and EntryStatus.NOT_SHORTLISTED in statuses


def _pk(global_id: str) -> int:
    import base64

    return int(base64.b64decode(global_id).decode().split(":")[1])
