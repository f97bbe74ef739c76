"""Planned dates of a cycle's steps.

- A DAYS step of N days starts on the first working day after the latest end of the steps in
  its ``after`` list (on the cycle's start date, or the next working day, when it has none) and
  is due on its N-th working day, the start counting as day 1.
- A PERIOD step runs from the first day of its first month to the last day of its last month,
  inside the fiscal year; it ignores ``after``.
Steps only follow earlier steps, so one pass in step order plans them all.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from models.cycle import ScheduleKind
from services.calendar import WorkingCalendar
from services.fiscal import FiscalYear

Span = tuple[date, date]


@dataclass(frozen=True)
class StepSchedule:
    no: int
    kind: ScheduleKind
    days: int | None = None
    from_month: int | None = None
    to_month: int | None = None
    after: tuple[int, ...] = ()


def plan(
    steps: Sequence[StepSchedule],
    *,
    fiscal_year: FiscalYear,
    cycle_start: date,
    calendar: WorkingCalendar,
) -> dict[int, Span]:
    spans: dict[int, Span] = {}
    for step in steps:
        spans[step.no] = _span(step, spans, fiscal_year, cycle_start, calendar)
    return spans


def replan(
    steps: Sequence[StepSchedule],
    current: Mapping[int, Span],
    *,
    moved_no: int,
    moved_to: Span,
    cycle_start: date,
    calendar: WorkingCalendar,
) -> dict[int, Span]:
    """Move one step; every DAYS step that follows it, directly or through others, moves with
    it. Other steps keep their dates, including earlier manual changes."""
    spans = dict(current)
    spans[moved_no] = moved_to
    moved = {moved_no}
    for step in steps:
        if step.no not in moved and step.kind == ScheduleKind.DAYS and moved & set(step.after):
            spans[step.no] = _days_span(step, spans, cycle_start, calendar)
            moved.add(step.no)
    return spans


def _span(
    step: StepSchedule,
    spans: Mapping[int, Span],
    fiscal_year: FiscalYear,
    cycle_start: date,
    calendar: WorkingCalendar,
) -> Span:
    if step.kind == ScheduleKind.PERIOD:
        assert step.from_month and step.to_month
        return fiscal_year.month_start(step.from_month), fiscal_year.month_end(step.to_month)
    return _days_span(step, spans, cycle_start, calendar)


def _days_span(
    step: StepSchedule, spans: Mapping[int, Span], cycle_start: date, calendar: WorkingCalendar
) -> Span:
    assert step.days
    latest_end = max((spans[no][1] for no in step.after), default=None)
    begin = calendar.first_working_day_from(
        latest_end + timedelta(days=1) if latest_end else cycle_start
    )
    return begin, calendar.span_end(begin, step.days)
