"""LIKE Talk Award aggregation: per entry, from the judges' submitted score sheets.

- A judge's **weighted total** on 0–100: Σ wᵢ·(sᵢ−minᵢ)/(maxᵢ−minᵢ) · 100 / Σ wᵢ, computed in
  SQL for every submitted sheet of the edition in one statement.
- Over the entry's judges: **mean**, **median**, **population standard deviation**, **count**,
  and the **per-criterion means** (SQL AVG per entry and criterion).
- **Normalised score**: each judge's totals become z-scores, (t − μⱼ)/σⱼ, over the entries that
  judge scored in the same category (σ the population standard deviation); the entry's score is
  the mean of its z-scores. A judge with fewer than ``MIN_ENTRIES_FOR_Z`` scored entries in the
  category, or zero spread, is flagged and left out of it.
- **Rank** within the category by the edition's method (MEAN, MEDIAN or NORMALISED), higher
  first; ties broken by the edition's stored tie-break order, and the deciding key recorded.
  Entries without a submitted sheet are not ranked. Under NORMALISED, an entry that is scored
  but whose judges are all flagged has no normalised score: it is ranked after every entry
  that has one, by mean (then the tie-breaks), and its reason says so. Entries still tied
  after every key share the rank.
- **Disagreement**: the standard deviation is above the edition's threshold.

Only sheets whose judge is (still) assigned to the entry count: a sheet left behind by a
conflict declaration racing a submission never reaches the results.

Statements (the edition is given): its criteria, the entries, the sheet totals and the
per-criterion means — four, whatever the number of entries, judges and criteria. Order
statistics and z-scores are computed here from the totals the database returns.
"""

import dataclasses
import functools
import json
import statistics
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Any, overload

from tortoise import connections
from tortoise.backends.base.client import BaseDBAsyncClient

from models.contest import Contest, Entry, EntryStatus, RankingMethod, RubricCriterion, TieBreak
from services.labels import label
from services.messages import Language, render

MIN_ENTRIES_FOR_Z = 3
# Values equal to this many decimals are ties.
TIE_DECIMALS = 9
FIGURE_QUANTUM = Decimal("0.01")
# Entries that take part in judging (the others are never aggregated).
JUDGED = (
    EntryStatus.SHORTLISTED,
    EntryStatus.PRESENTED,
    EntryStatus.SCORED,
    EntryStatus.AWARDED,
    EntryStatus.NOT_AWARDED,
)


class JudgeFlag(StrEnum):
    TOO_FEW_ENTRIES = "TOO_FEW_ENTRIES"
    NO_SPREAD = "NO_SPREAD"


@dataclass(frozen=True)
class Scale:
    minimum: float
    maximum: float
    weight: float


# ---- the formulas, as pure functions -------------------------------------------------------


def weighted_total(scores: Iterable[tuple[float, Scale]]) -> float:
    """Σ wᵢ·(sᵢ−minᵢ)/(maxᵢ−minᵢ) · 100 / Σ wᵢ."""
    pairs = list(scores)
    weights = sum(scale.weight for _, scale in pairs)
    if not pairs or weights == 0:
        return 0.0
    part = sum(
        scale.weight * (value - scale.minimum) / (scale.maximum - scale.minimum)
        for value, scale in pairs
    )
    return part * 100 / weights


@overload
def figure(value: float) -> float: ...
@overload
def figure(value: float | None) -> float | None: ...
def figure(value: float | None) -> float | None:
    """A figure as the API and the exports show it: two decimal places, halves rounded away
    from zero (92, not 91.99999999999999). Ranking uses every digit."""
    if value is None:
        return None
    return float(Decimal(repr(value)).quantize(FIGURE_QUANTUM, rounding=ROUND_HALF_UP))


def mean(values: Sequence[float]) -> float | None:
    return statistics.fmean(values) if values else None


def median(values: Sequence[float]) -> float | None:
    return float(statistics.median(values)) if values else None


def std_dev(values: Sequence[float]) -> float | None:
    """Population standard deviation (σ, dividing by n)."""
    return statistics.pstdev(values) if values else None


@dataclass(frozen=True)
class Normalisation:
    """z-scores per (judge, entry) and the judges left out, per (judge, category)."""

    z: dict[tuple[int, int], float]
    flagged: dict[tuple[int, int], JudgeFlag]


def normalise(totals: Iterable[tuple[int, int, int, float]]) -> Normalisation:
    """``totals``: (judge, category, entry, weighted total). Each judge's totals within a
    category become z-scores; a judge with fewer than 3 entries or zero spread there is
    flagged instead."""
    groups: defaultdict[tuple[int, int], list[tuple[int, float]]] = defaultdict(list)
    for judge, category, entry, total in totals:
        groups[(judge, category)].append((entry, total))
    z: dict[tuple[int, int], float] = {}
    flagged: dict[tuple[int, int], JudgeFlag] = {}
    for key, rows in groups.items():
        values = [t for _, t in rows]
        if len(values) < MIN_ENTRIES_FOR_Z:
            flagged[key] = JudgeFlag.TOO_FEW_ENTRIES
            continue
        mu, sigma = statistics.fmean(values), statistics.pstdev(values)
        if round(sigma, TIE_DECIMALS) == 0:
            flagged[key] = JudgeFlag.NO_SPREAD
            continue
        for entry, total in rows:
            z[(key[0], entry)] = (total - mu) / sigma
    return Normalisation(z, flagged)


@dataclass(frozen=True)
class Rankable:
    entry_id: int
    primary: float | None
    keys: dict[TieBreak, float | None]


@dataclass(frozen=True)
class Placing:
    rank: int | None
    # The entries with the same value on the ranking method (empty when none).
    tied_with: tuple[int, ...] = ()
    # The tie-break that placed it among them; None when untied or still tied after all.
    decided_by: TieBreak | None = None
    unresolved: bool = False
    # NORMALISED only: scored, but every judge of it is flagged, so it has no normalised score
    # and is ranked by mean after the entries that have one.
    unnormalised: bool = False


def _k(value: float | None) -> tuple[int, float]:
    # Higher is better; a missing value sorts after every present one.
    return (1, 0.0) if value is None else (0, -round(value, TIE_DECIMALS))


def rank(items: Sequence[Rankable], tie_breaks: Sequence[TieBreak]) -> dict[int, Placing]:
    """Competition ranking (1, 2, 2, 4) by ``primary``, then each tie-break in order."""
    ranked = sorted(
        (i for i in items if i.primary is not None),
        key=lambda i: (_k(i.primary), *(_k(i.keys.get(t)) for t in tie_breaks), i.entry_id),
    )

    def full_key(i: Rankable) -> tuple[Any, ...]:
        return (_k(i.primary), *(_k(i.keys.get(t)) for t in tie_breaks))

    def depth(a: Rankable, b: Rankable) -> int:
        """How many tie-breaks ``a`` and ``b`` share before one tells them apart."""
        return next(
            (n for n, t in enumerate(tie_breaks) if _k(a.keys.get(t)) != _k(b.keys.get(t))),
            len(tie_breaks),
        )

    placings: dict[int, Placing] = {i.entry_id: Placing(rank=None) for i in items}
    same_primary: defaultdict[tuple[int, float], list[int]] = defaultdict(list)
    for item in ranked:
        same_primary[_k(item.primary)].append(item.entry_id)
    previous_rank = 0
    for position, item in enumerate(ranked):
        before = ranked[position - 1] if position else None
        after = ranked[position + 1] if position + 1 < len(ranked) else None
        same_rank = before is not None and full_key(before) == full_key(item)
        current = previous_rank if same_rank else position + 1
        previous_rank = current
        group = tuple(o for o in same_primary[_k(item.primary)] if o != item.entry_id)
        if not group:
            placings[item.entry_id] = Placing(rank=current)
            continue
        # The last tie-break needed to place it: against the closest of its tied neighbours.
        neighbours = [
            o for o in (before, after) if o is not None and _k(o.primary) == _k(item.primary)
        ]
        needed = max(depth(o, item) for o in neighbours)
        unresolved = needed == len(tie_breaks)
        placings[item.entry_id] = Placing(
            rank=current,
            tied_with=group,
            decided_by=None if unresolved else tie_breaks[needed],
            unresolved=unresolved,
        )
    return placings


# ---- the results of an edition --------------------------------------------------------------


@dataclass(frozen=True)
class JudgeTotal:
    sheet_id: int
    judge_id: int
    total: float
    submitted_at: datetime | None
    z: float | None
    # Why this judge's totals are left out of the normalised score, if they are.
    flag: JudgeFlag | None


@dataclass(frozen=True)
class CriterionMean:
    criterion_id: int
    mean: float
    count: int


@dataclass
class EntryResult:
    entry: Entry
    judges: list[JudgeTotal] = field(default_factory=list)
    criteria: list[CriterionMean] = field(default_factory=list)
    mean: float | None = None
    median: float | None = None
    std_dev: float | None = None
    normalised: float | None = None
    disagreement: bool = False
    placing: Placing = field(default_factory=lambda: Placing(rank=None))
    method: RankingMethod = RankingMethod.MEAN

    @property
    def count(self) -> int:
        return len(self.judges)


@dataclass(frozen=True)
class FlaggedJudge:
    judge_id: int
    category_id: int
    flag: JudgeFlag


@dataclass
class Results:
    contest: Contest
    criteria: list[RubricCriterion]
    entries: list[EntryResult]
    flagged: list[FlaggedJudge]

    @functools.cached_property
    def by_entry(self) -> dict[int, EntryResult]:
        """The results keyed by entry id."""
        return {r.entry.id: r for r in self.entries}


def criteria_for(criteria: Sequence[RubricCriterion], category_id: int) -> list[RubricCriterion]:
    """A category's own criteria if it has any, else the edition's general ones, in order."""
    own = [c for c in criteria if c.category_id == category_id]
    chosen = own or [c for c in criteria if c.category_id is None]
    return sorted(chosen, key=lambda c: (c.position, c.id))


def _sql(dialect: str, text: str) -> str:
    # Tortoise passes values as the driver expects: ? for SQLite, $n for asyncpg.
    if dialect != "postgres":
        return text
    parts = text.split("?")
    return parts[0] + "".join(f"${n}{part}" for n, part in enumerate(parts[1:], start=1))


_SHEET_TOTALS = """
SELECT s.id, s.entry_id, s.judge_id, s.submitted_at,
       SUM(c.weight * (sc.value - c.scale_min) / (c.scale_max - c.scale_min)) * 100.0
         / SUM(c.weight) AS total
FROM score_sheet s
JOIN judge_assignment a ON a.entry_id = s.entry_id AND a.judge_id = s.judge_id
JOIN score sc ON sc.sheet_id = s.id
JOIN rubric_criterion c ON c.id = sc.criterion_id
WHERE s.contest_id = ? AND s.status = 'SUBMITTED' AND sc.value IS NOT NULL
GROUP BY s.id, s.entry_id, s.judge_id, s.submitted_at
"""

_CRITERION_MEANS = """
SELECT s.entry_id, sc.criterion_id, AVG(sc.value) AS mean, COUNT(sc.value) AS n
FROM score_sheet s
JOIN judge_assignment a ON a.entry_id = s.entry_id AND a.judge_id = s.judge_id
JOIN score sc ON sc.sheet_id = s.id
WHERE s.contest_id = ? AND s.status = 'SUBMITTED' AND sc.value IS NOT NULL
GROUP BY s.entry_id, sc.criterion_id
"""


def _as_datetime(value: Any) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(str(value))


async def compute(
    contest: Contest,
    *,
    category_id: int | None = None,
    connection: BaseDBAsyncClient | None = None,
) -> Results:
    """The live results of ``contest`` (one category when given): four statements."""
    connection = connection or connections.get("default")
    dialect = connection.capabilities.dialect
    criteria = (
        await RubricCriterion.filter(contest_id=contest.id)
        .using_db(connection)
        .order_by("position", "id")
    )
    entries = (
        await Entry.filter(contest_id=contest.id, status__in=JUDGED)
        .using_db(connection)
        .order_by("id")
    )
    _, sheet_rows = await connection.execute_query(_sql(dialect, _SHEET_TOTALS), [contest.id])
    _, mean_rows = await connection.execute_query(_sql(dialect, _CRITERION_MEANS), [contest.id])
    return assemble(contest, criteria, entries, sheet_rows, mean_rows, category_id=category_id)


def assemble(
    contest: Contest,
    criteria: list[RubricCriterion],
    entries: list[Entry],
    sheet_rows: Iterable[Any],
    mean_rows: Iterable[Any],
    *,
    category_id: int | None = None,
) -> Results:
    by_entry = {e.id: EntryResult(entry=e) for e in entries}
    category_of = {e.id: e.category_id for e in entries}
    sheets = [
        (int(r["id"]), int(r["entry_id"]), int(r["judge_id"]), r["submitted_at"], r["total"])
        for r in sheet_rows
        if int(r["entry_id"]) in by_entry
    ]
    norm = normalise((j, category_of[e], e, float(t)) for _, e, j, _, t in sheets)
    for sheet_id, entry_id, judge_id, submitted_at, total in sorted(sheets):
        key = (judge_id, category_of[entry_id])
        by_entry[entry_id].judges.append(
            JudgeTotal(
                sheet_id=sheet_id,
                judge_id=judge_id,
                total=float(total),
                submitted_at=_as_datetime(submitted_at),
                z=norm.z.get((judge_id, entry_id)),
                flag=norm.flagged.get(key),
            )
        )
    for row in mean_rows:
        result = by_entry.get(int(row["entry_id"]))
        if result is not None:
            result.criteria.append(
                CriterionMean(int(row["criterion_id"]), float(row["mean"]), int(row["n"]))
            )
    first_criterion: dict[int, RubricCriterion | None] = {
        c: next(iter(criteria_for(criteria, c)), None) for c in {e.category_id for e in entries}
    }
    threshold = contest.disagreement_threshold
    for result in by_entry.values():
        result.method = RankingMethod(contest.ranking_method)
        totals = [j.total for j in result.judges]
        result.mean, result.median, result.std_dev = mean(totals), median(totals), std_dev(totals)
        zs = [j.z for j in result.judges if j.z is not None]
        result.normalised = mean(zs)
        result.disagreement = result.std_dev is not None and result.std_dev > threshold
        order = {c.id: c.position for c in criteria}
        result.criteria.sort(key=lambda m: (order.get(m.criterion_id, 0), m.criterion_id))
    tie_breaks = [TieBreak(t) for t in contest.tie_breaks]
    method = RankingMethod(contest.ranking_method)
    for category in {e.category_id for e in entries}:
        first = first_criterion[category]
        items = []
        fallback: list[Rankable] = []
        for result in by_entry.values():
            if result.entry.category_id != category:
                continue
            first_mean = next(
                (m.mean for m in result.criteria if first and m.criterion_id == first.id), None
            )
            submitted = result.entry.submitted_at
            keys: dict[TieBreak, float | None] = {
                TieBreak.MEAN: result.mean,
                TieBreak.MEDIAN: result.median,
                TieBreak.NORMALISED: result.normalised,
                TieBreak.FIRST_CRITERION: first_mean,
                # Earlier is better: the negated timestamp is higher.
                TieBreak.EARLIER_SUBMISSION: -submitted.timestamp() if submitted else None,
            }
            primary = keys[TieBreak(method.value)] if result.judges else None
            if primary is None and result.judges and method == RankingMethod.NORMALISED:
                fallback.append(Rankable(result.entry.id, result.mean, keys))
            else:
                items.append(Rankable(result.entry.id, primary, keys))
        placings = rank(items, tie_breaks)
        for entry_id, placing in placings.items():
            by_entry[entry_id].placing = placing
        # Entries whose judges are all flagged: after every ranked one, by mean.
        after = sum(1 for p in placings.values() if p.rank is not None)
        for entry_id, placing in rank(fallback, tie_breaks).items():
            by_entry[entry_id].placing = dataclasses.replace(
                placing,
                rank=None if placing.rank is None else placing.rank + after,
                unnormalised=True,
            )
    flagged = sorted(
        (FlaggedJudge(judge, category, flag) for (judge, category), flag in norm.flagged.items()),
        key=lambda f: (f.category_id, f.judge_id),
    )
    chosen = [
        r for r in by_entry.values() if category_id is None or r.entry.category_id == category_id
    ]
    chosen.sort(
        key=lambda r: (
            r.entry.category_id,
            r.placing.rank is None,
            r.placing.rank or 0,
            r.entry.id,
        )
    )
    return Results(
        contest=contest,
        criteria=criteria,
        entries=chosen,
        flagged=[f for f in flagged if category_id is None or f.category_id == category_id],
    )


def reason_text(result: EntryResult, language: Language) -> str:
    """Why the entry holds its rank, in words."""
    return placing_text(result.method, result.placing, language)


def placing_text(method_used: RankingMethod, placing: Placing, language: Language) -> str:
    if placing.rank is None:
        return render("rank_reason_unscored", language)
    if placing.unnormalised:
        alone = render("rank_reason_unnormalised", language)
        if not placing.tied_with:
            return alone
        return f"{alone}; {_tie_text(placing, _said(RankingMethod.MEAN, language), language)}"
    method = _said(method_used, language)
    if not placing.tied_with:
        return render("rank_reason_alone", language, {"method": method})
    return _tie_text(placing, method, language)


def reason_facts(result: EntryResult) -> str:
    """The facts behind the rank, kept at publication (JSON) and worded when read, in the
    reader's language (``stored_reason_text``)."""
    placing = result.placing
    return json.dumps(
        {
            "method": result.method.value,
            "rank": placing.rank,
            "tied_with": list(placing.tied_with),
            "decided_by": placing.decided_by.value if placing.decided_by else None,
            "unresolved": placing.unresolved,
            "unnormalised": placing.unnormalised,
        }
    )


def stored_reason_text(stored: str | None, language: Language) -> str | None:
    """The words for facts kept by ``reason_facts``; text kept before them is returned as is."""
    if stored is None:
        return None
    try:
        facts = json.loads(stored)
        placing = Placing(
            rank=facts["rank"],
            tied_with=tuple(int(e) for e in facts["tied_with"]),
            decided_by=TieBreak(facts["decided_by"]) if facts["decided_by"] else None,
            unresolved=bool(facts["unresolved"]),
            unnormalised=bool(facts["unnormalised"]),
        )
        return placing_text(RankingMethod(facts["method"]), placing, language)
    except (ValueError, TypeError, KeyError):
        return stored


def _said(member: RankingMethod | TieBreak, language: Language) -> str:
    """A method's or a tie-break's label inside a sentence."""
    text = label(member, language)
    return text if language == "th" else text[0].lower() + text[1:]


def _tie_text(placing: Placing, method: str, language: Language) -> str:
    others = ", ".join(str(e) for e in placing.tied_with)
    if placing.unresolved:
        return render("rank_reason_unresolved", language, {"method": method, "others": others})
    key = _said(placing.decided_by, language) if placing.decided_by else ""
    return render("rank_reason_tie", language, {"method": method, "others": others, "key": key})
