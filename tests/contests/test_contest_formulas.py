"""The judging formulas, checked by hand (no database)."""

import math

import pytest

from models.contest import TieBreak
from services.contests.forms import FormDefinition, FormField, validate_answers
from services.contests.results import (
    JudgeFlag,
    Rankable,
    Scale,
    figure,
    mean,
    median,
    normalise,
    rank,
    std_dev,
    weighted_total,
)
from services.errors import DomainError


def test_weighted_total_is_the_weighted_share_of_each_scale_on_0_to_100() -> None:
    # A: 8 on 0–10, weight 2 → 0.8; B: 4 on 1–5, weight 1 → 0.75.
    # (2·0.8 + 1·0.75) · 100 / 3 = 78.333…
    total = weighted_total([(8, Scale(0, 10, 2)), (4, Scale(1, 5, 1))])

    assert total == pytest.approx(235 / 3)


def test_weighted_total_bounds() -> None:
    scales = [Scale(0, 10, 2), Scale(1, 5, 1)]

    assert weighted_total([(0, scales[0]), (1, scales[1])]) == 0
    assert weighted_total([(10, scales[0]), (5, scales[1])]) == pytest.approx(100)


def test_mean_median_and_population_standard_deviation() -> None:
    values = [70.0, 80.0, 90.0, 100.0]

    assert mean(values) == 85
    assert median(values) == 85
    # σ = √(((−15)² + (−5)² + 5² + 15²) / 4) = √125
    assert std_dev(values) == pytest.approx(math.sqrt(125))
    assert mean([]) is None and median([]) is None and std_dev([]) is None


def test_normalised_scores_are_z_scores_per_judge_and_category_with_flags() -> None:
    totals = [
        # judge 1, category 10: 60, 70, 80 → μ 70, σ √(200/3)
        (1, 10, 101, 60.0),
        (1, 10, 102, 70.0),
        (1, 10, 103, 80.0),
        # judge 2 scored only two entries of the category
        (2, 10, 101, 90.0),
        (2, 10, 102, 95.0),
        # judge 3 gave everyone the same total
        (3, 10, 101, 50.0),
        (3, 10, 102, 50.0),
        (3, 10, 103, 50.0),
    ]

    result = normalise(totals)

    sigma = math.sqrt(200 / 3)
    assert result.z[(1, 101)] == pytest.approx(-10 / sigma)
    assert result.z[(1, 102)] == pytest.approx(0)
    assert result.z[(1, 103)] == pytest.approx(10 / sigma)
    assert result.flagged == {(2, 10): JudgeFlag.TOO_FEW_ENTRIES, (3, 10): JudgeFlag.NO_SPREAD}
    assert (2, 101) not in result.z and (3, 101) not in result.z


def test_rank_breaks_ties_in_the_stored_order_and_says_which_key_decided() -> None:
    keys = [TieBreak.MEDIAN, TieBreak.EARLIER_SUBMISSION]
    items = [
        Rankable(1, 80.0, {TieBreak.MEDIAN: 79.0, TieBreak.EARLIER_SUBMISSION: -10.0}),
        Rankable(2, 80.0, {TieBreak.MEDIAN: 81.0, TieBreak.EARLIER_SUBMISSION: -20.0}),
        Rankable(3, 90.0, {TieBreak.MEDIAN: 70.0, TieBreak.EARLIER_SUBMISSION: -30.0}),
        Rankable(4, 80.0, {TieBreak.MEDIAN: 79.0, TieBreak.EARLIER_SUBMISSION: -5.0}),
        Rankable(5, None, {}),
    ]

    placings = rank(items, keys)

    assert placings[3].rank == 1 and placings[3].tied_with == ()
    assert placings[2].rank == 2 and placings[2].decided_by == TieBreak.MEDIAN
    # 4 and 1 share the median; 4 was handed in earlier (its negated time is higher).
    assert placings[4].rank == 3 and placings[4].decided_by == TieBreak.EARLIER_SUBMISSION
    assert placings[1].rank == 4 and placings[1].decided_by == TieBreak.EARLIER_SUBMISSION
    assert set(placings[1].tied_with) == {2, 4}
    assert placings[5].rank is None


def test_entries_tied_on_every_key_share_the_rank() -> None:
    items = [Rankable(1, 70.0, {TieBreak.MEDIAN: 70.0}), Rankable(2, 70.0, {TieBreak.MEDIAN: 70.0})]

    placings = rank(items, [TieBreak.MEDIAN])

    assert placings[1].rank == placings[2].rank == 1
    assert placings[1].unresolved and placings[2].unresolved


FORM = FormDefinition(
    fields=[
        FormField(key="title", kind="TEXT", label_th="ชื่อโครงการ", required=True, max_length=20),
        FormField(key="budget", kind="NUMBER", label_th="งบประมาณ", minimum=0, maximum=1000),
        FormField(
            key="kind",
            kind="CHOICE",
            label_th="ประเภท",
            required=True,
            choices=[{"value": "A", "label_th": "ก"}, {"value": "B", "label_th": "ข"}],
        ),
        FormField(key="started", kind="DATE", label_th="เริ่ม", earliest="2021-10-01"),
        FormField(key="team", kind="PERSON_LIST", label_th="ทีม", max_items=2),
    ]
)


def test_answers_are_validated_by_a_model_built_from_the_form() -> None:
    good = {"title": " สวนสุขภาพ ", "budget": 500, "kind": "A", "team": [{"name": "สมชาย"}]}

    assert validate_answers(FORM, good, draft=False) == {
        "title": "สวนสุขภาพ",
        "budget": 500.0,
        "kind": "A",
        "team": [{"name": "สมชาย", "unit": "", "role": ""}],
    }


def test_broken_rules_are_reported_per_answer() -> None:
    bad = {
        "title": "x" * 21,
        "budget": 2000,
        "kind": "C",
        "started": "2020-01-01",
        "team": [{"name": "a"}, {"name": "b"}, {"name": "c"}],
        "extra": 1,
    }

    with pytest.raises(DomainError) as error:
        validate_answers(FORM, bad, draft=False)

    fields = {p.field for p in error.value.problems}
    assert fields == {
        ("answers", "title"),
        ("answers", "budget"),
        ("answers", "kind"),
        ("answers", "started"),
        ("answers", "team"),
        ("answers", "extra"),
    }


def test_a_draft_may_leave_required_answers_out_but_a_submission_may_not() -> None:
    assert validate_answers(FORM, {"budget": 1}, draft=True) == {"budget": 1.0}

    with pytest.raises(DomainError) as error:
        validate_answers(FORM, {"budget": 1}, draft=False)

    assert {p.field for p in error.value.problems} == {("answers", "title"), ("answers", "kind")}


@pytest.mark.parametrize(
    ("computed", "shown"),
    [(91.99999999999999, 92.0), (78.33333333333333, 78.33), (78.335, 78.34), (-0.125, -0.13)],
)
def test_figures_are_shown_to_two_decimal_places_halves_away_from_zero(
    computed: float, shown: float
) -> None:
    assert figure(computed) == shown
