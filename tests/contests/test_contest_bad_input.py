"""Bad LIKE Talk Award input is a typed user error, never a crash, and changes nothing."""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from models.contest import Contest, ScoreSheet
from services.actor import SYSTEM
from services.contests import assignments
from tests.contest_world import make_contest_world, shortlisted_entry, start_judging
from tests.helpers import GraphQLClient
from tests.world import gid

CREATE = """mutation($input: ContestCreateInput!) { contestCreate(input: $input) {
    contest { id } errors { code field message } } }"""


def _good() -> dict[str, Any]:
    now = datetime.now(UTC)
    return {
        "fiscalYear": 2566,
        "nameTh": "ประกวด",
        "opensAt": now.isoformat(),
        "closesAt": (now + timedelta(days=1)).isoformat(),
        "changesUntil": (now + timedelta(days=2)).isoformat(),
        "categories": [{"code": "A", "nameTh": "ก"}],
        "criteria": [{"nameTh": "เกณฑ์"}],
    }


BAD_EDITIONS = {
    "window backwards": {"closesAt": "2000-01-01T00:00:00Z"},
    "year out of range": {"fiscalYear": 3000},
    "zero weight": {"criteria": [{"nameTh": "ก", "weight": 0}]},
    "inverted scale": {"criteria": [{"nameTh": "ก", "scaleMin": 5, "scaleMax": 1}]},
    "criterion of no category": {"criteria": [{"nameTh": "ก", "categoryCode": "ZZ"}]},
    "category code with spaces": {"categories": [{"code": "A B", "nameTh": "ก"}]},
    "twice the same category": {
        "categories": [{"code": "A", "nameTh": "ก"}, {"code": "A", "nameTh": "ข"}]
    },
    "no categories": {"categories": []},
    "long name": {"nameTh": "ก" * 300},
    "long English name": {"nameEn": "x" * 300},
    "repeated tie-break": {"tieBreaks": ["MEDIAN", "MEDIAN"]},
    "tie-break by the ranking method": {
        "rankingMethod": "MEDIAN",
        "tieBreaks": ["MEDIAN", "FIRST_CRITERION"],
    },
    "no award levels": {"awardLevels": []},
    "choice without choices": {"form": [{"key": "k", "kind": "CHOICE", "labelTh": "ก"}]},
    "bad date limit": {"form": [{"key": "k", "kind": "DATE", "labelTh": "ก", "earliest": "x"}]},
    "twice the same key": {
        "form": [
            {"key": "k", "kind": "TEXT", "labelTh": "ก"},
            {"key": "k", "kind": "NUMBER", "labelTh": "ข"},
        ]
    },
    "lengths crossed": {
        "form": [{"key": "k", "kind": "TEXT", "labelTh": "ก", "minLength": 5, "maxLength": 2}]
    },
    "threshold over 100": {"disagreementThreshold": 101},
    # Keys that would clash with pydantic's own names in the answers model.
    "key model_dump": {"form": [{"key": "model_dump", "kind": "TEXT", "labelTh": "ก"}]},
    "key model_config": {"form": [{"key": "model_config", "kind": "NUMBER", "labelTh": "ก"}]},
    "key model_fields": {"form": [{"key": "model_fields", "kind": "TEXT", "labelTh": "ก"}]},
    "no judges per entry": {"judgesPerEntry": 0},
}


@pytest.mark.parametrize("case", sorted(BAD_EDITIONS))
async def test_a_bad_edition_is_a_user_error(client: GraphQLClient, case: str) -> None:
    cw = await make_contest_world(open_it=False)

    body = await client.signed_in_as(cw.organiser).post(
        CREATE, {"input": {**_good(), **BAD_EDITIONS[case]}}
    )

    assert "errors" not in body, body
    errors = body["data"]["contestCreate"]["errors"]
    assert errors and {e["code"] for e in errors} == {"INVALID_INPUT"}, errors
    assert await Contest.all().count() == 1


async def test_the_default_tie_breaks_leave_out_the_ranking_method(client: GraphQLClient) -> None:
    cw = await make_contest_world(open_it=False)

    body = await client.signed_in_as(cw.organiser).data(
        """mutation($input: ContestCreateInput!) { contestCreate(input: $input) {
            contest { rankingMethod tieBreaks } errors { code } } }""",
        {"input": {**_good(), "rankingMethod": "MEDIAN"}},
    )

    assert body["contestCreate"] == {
        "contest": {
            "rankingMethod": "MEDIAN",
            "tieBreaks": ["FIRST_CRITERION", "EARLIER_SUBMISSION"],
        },
        "errors": [],
    }


async def test_bad_judging_input_is_a_user_error(client: GraphQLClient) -> None:
    cw = await make_contest_world()
    entry = await shortlisted_entry(cw, "สวนสุขภาพ")
    await assignments.assign(
        actor=SYSTEM,
        contest_id=cw.contest.id,
        judge_ids=[cw.judges["judge_hpc"].id],
        entry_ids=[entry.id],
    )
    await start_judging(cw)
    organiser = client.signed_in_as(cw.organiser)
    judge = client.signed_in_as(cw.judges["judge_hpc"])
    contest_id, entry_id = gid("Contest", cw.contest.id), gid("Entry", entry.id)
    cases = [
        (organiser, f'judgeAssign(input: {{contest: "{contest_id}", judges: []}})'),
        (
            organiser,
            f'judgeAssignAuto(input: {{contest: "{contest_id}", '
            f'judges: ["{gid("User", cw.judges["judge_hpc"].id)}"], perEntry: 2}})',
        ),
        (organiser, f'entryAwardDecide(input: {{entry: "{entry_id}", level: ""}})'),
        (judge, f'conflictDeclare(input: {{entry: "{entry_id}", reason: "  "}})'),
        (
            judge,
            f'entryScore(input: {{entry: "{entry_id}", scores: [{{criterion: "{entry_id}", '
            "value: 1}]})",
        ),
        (
            judge,
            f'entryScore(input: {{entry: "{entry_id}", scores: [{{criterion: '
            f'"{gid("RubricCriterion", cw.criteria[0].id)}", value: 1}}, {{criterion: '
            f'"{gid("RubricCriterion", cw.criteria[0].id)}", value: 2}}]}})',
        ),
    ]
    for caller, mutation in cases:
        body = await caller.post(f"mutation {{ {mutation} {{ errors {{ code field }} }} }}")

        assert "errors" not in body, (mutation, body)
        assert next(iter(body["data"].values()))["errors"], mutation
    assert await ScoreSheet.all().count() == 0
