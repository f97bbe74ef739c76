"""What plans and activities add up to, computed from rows already loaded (no queries): an
activity's status from its schedule and progress, a plan's progress, the differences between two
revisions.

Activity status, when the reporter did not set it, for a day ``on``:

| condition                                          | status      |
|----------------------------------------------------|-------------|
| progress 100 %                                     | DONE        |
| before the first month, or no progress and on time | NOT_STARTED |
| past the last month                                | DELAYED     |
| behind the expected progress by ≤ 10 points        | ON_TRACK    |
| behind by ≤ 25 points                              | AT_RISK     |
| further behind                                     | DELAYED     |

Expected progress grows evenly from 0 on the first day of the first month to 100 on the last day
of the last month. Plan progress = Σ weight·progress / Σ weight over its activities.
"""

import calendar
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from models.plan import Activity, ActivityProgressReport, ActivityStatus, Plan

ON_TRACK_SLACK = 10
AT_RISK_SLACK = 25


def month_end(first_day: date) -> date:
    return first_day.replace(day=calendar.monthrange(first_day.year, first_day.month)[1])


def expected_percent(start_month: date, end_month: date, on: date) -> float:
    last = month_end(end_month)
    if on < start_month:
        return 0.0
    if on >= last:
        return 100.0
    return 100 * ((on - start_month).days + 1) / ((last - start_month).days + 1)


def derived_status(percent: int, start_month: date, end_month: date, on: date) -> ActivityStatus:
    if percent >= 100:
        return ActivityStatus.DONE
    if on > month_end(end_month):
        return ActivityStatus.DELAYED
    behind = expected_percent(start_month, end_month, on) - percent
    if behind <= ON_TRACK_SLACK:
        return ActivityStatus.NOT_STARTED if percent == 0 else ActivityStatus.ON_TRACK
    if behind <= AT_RISK_SLACK:
        return ActivityStatus.AT_RISK
    return ActivityStatus.DELAYED


def latest_report(reports: Sequence[ActivityProgressReport]) -> ActivityProgressReport | None:
    """The report that stands: the one of the latest day, the last entered on that day."""
    return max(reports, key=lambda r: (r.reported_on, r.id), default=None)


def current_status(
    activity: Activity, reports: Sequence[ActivityProgressReport], on: date
) -> ActivityStatus:
    latest = latest_report(reports)
    if latest is not None and latest.status_set:
        return latest.status
    percent = latest.percent if latest else 0
    return derived_status(percent, activity.start_month, activity.end_month, on)


def plan_progress(weighted: Sequence[tuple[Decimal, int]]) -> float | None:
    """Σ weight·progress / Σ weight over (weight, percent) pairs, to one decimal rounded half
    up as reports print it; None without weight."""
    total = sum((w for w, _ in weighted), Decimal(0))
    if not total:
        return None
    progress = sum((w * p for w, p in weighted), Decimal(0)) / total
    return float(progress.quantize(Decimal("0.1"), ROUND_HALF_UP))


# What a revision may change, and so what a comparison reports.
PLAN_FIELDS = ("title_th", "title_en", "objective_th", "owner_id")
ACTIVITY_FIELDS = (
    "title_th",
    "title_en",
    "objective_th",
    "measure_id",
    "knowledge_topic_id",
    "levers",
    "start_month",
    "end_month",
    "budget",
    "target_th",
    "weight",
)


@dataclass(frozen=True)
class FieldChange:
    field: str
    before: str | None
    after: str | None


@dataclass(frozen=True)
class ActivityChange:
    before: Activity
    after: Activity
    changes: list[FieldChange]


@dataclass(frozen=True)
class PlanDiff:
    older: Plan
    newer: Plan
    plan_changes: list[FieldChange]
    added: list[Activity]
    removed: list[Activity]
    changed: list[ActivityChange]


def compare(
    older: Plan,
    newer: Plan,
    activities: dict[int, list[Activity]],
    owners: dict[int, list[str]],
    labels: dict[str, dict[int, str]],
) -> PlanDiff:
    """What changed from ``older`` to ``newer``; activities are matched by lineage.
    ``activities`` is keyed by plan id, ``owners`` (names) by activity id; ``labels`` names what
    an id column points at (e.g. ``labels["measure_id"][7]`` is measure 7's title)."""
    before = {a.lineage: a for a in activities[older.id]}
    after = {a.lineage: a for a in activities[newer.id]}
    changed = []
    for lineage, new in after.items():
        old = before.get(lineage)
        if old is None:
            continue
        changes = _changes(old, new, ACTIVITY_FIELDS, labels)
        old_owners, new_owners = sorted(owners.get(old.id, [])), sorted(owners.get(new.id, []))
        if old_owners != new_owners:
            changes.append(FieldChange("owners", _text(old_owners), _text(new_owners)))
        if changes:
            changed.append(ActivityChange(old, new, changes))
    return PlanDiff(
        older=older,
        newer=newer,
        plan_changes=_changes(older, newer, PLAN_FIELDS, labels),
        added=[a for lineage, a in after.items() if lineage not in before],
        removed=[a for lineage, a in before.items() if lineage not in after],
        changed=changed,
    )


def _changes(
    old: Any, new: Any, names: Sequence[str], labels: dict[str, dict[int, str]]
) -> list[FieldChange]:
    def shown(name: str, value: Any) -> str | None:
        if name in labels and value is not None:
            return labels[name].get(value, str(value))
        return _text(value)

    return [
        FieldChange(
            _camel(name.removesuffix("_id")),
            shown(name, getattr(old, name)),
            shown(name, getattr(new, name)),
        )
        for name in names
        if getattr(old, name) != getattr(new, name)
    ]


def _text(value: object) -> str | None:
    if value is None or value == []:
        return None
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, date):
        return value.isoformat()[:7] if value.day == 1 else value.isoformat()
    return str(value)


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)
