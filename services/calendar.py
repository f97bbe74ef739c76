"""The Thai government working-day calendar.

A working day is Monday–Friday that is neither a Thai public nor government holiday (the
`holidays` package, country TH) — except that Labour Day is a working day for government units
(setting ``LOHUB_LABOUR_DAY_IS_WORKING_DAY``) — unless an administrator's override for that date
says otherwise (cabinet announcements of extra holidays or swapped days).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

import holidays
from tortoise.transactions import in_transaction

from models.calendar import CalendarOverride
from models.user import Role
from services import audit
from services.actor import Actor
from services.errors import DomainError, ErrorCode, not_found
from services.permissions import require_role
from services.settings import get_settings

REASON_MAX = 255
_LABOUR_DAY = "Labor Day"  # as the holidays package names it in en_US


@lru_cache(maxsize=64)
def _holidays(year: int, labour_day_is_working_day: bool) -> frozenset[date]:
    table = holidays.country_holidays(
        "TH", categories=("public", "government"), years=year, language="en_US"
    )
    return frozenset(
        day
        for day, name in table.items()
        # Labour Day and its day in lieu are the private sector's holiday, not government's.
        if not (labour_day_is_working_day and _LABOUR_DAY in name)
    )


@dataclass(frozen=True)
class WorkingCalendar:
    """Working days with the overrides already loaded, so every question is answered in memory."""

    overrides: dict[date, bool]
    labour_day_is_working_day: bool = True

    def is_working_day(self, day: date) -> bool:
        if day in self.overrides:
            return self.overrides[day]
        return day.weekday() < 5 and day not in _holidays(day.year, self.labour_day_is_working_day)

    def first_working_day_from(self, day: date) -> date:
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day

    def span_end(self, start: date, working_days: int) -> date:
        """The last day of a task of ``working_days`` that starts on ``start`` (a working day,
        or the next one): ``start`` counts as day 1."""
        day = self.first_working_day_from(start)
        for _ in range(working_days - 1):
            day = self.first_working_day_from(day + timedelta(days=1))
        return day

    def add_working_days(self, day: date, count: int) -> date:
        """The working day ``count`` working days after ``day`` (before it when negative)."""
        step = timedelta(days=1 if count >= 0 else -1)
        remaining = abs(count)
        while remaining:
            day += step
            remaining -= self.is_working_day(day)
        return day

    def count_working_days(self, first: date, last: date) -> int:
        """Working days from ``first`` to ``last``, both included."""
        return sum(self.is_working_day(d) for d in _days(first, last))


def _days(first: date, last: date) -> Iterable[date]:
    for offset in range((last - first).days + 1):
        yield first + timedelta(days=offset)


async def load_calendar(first: date, last: date) -> WorkingCalendar:
    """The calendar with the overrides between ``first`` and ``last`` (one query)."""
    rows = await CalendarOverride.filter(day__gte=first, day__lte=last).values_list(
        "day", "is_working_day"
    )
    return WorkingCalendar(
        overrides={day: working for day, working in rows},  # type: ignore[misc]
        labour_day_is_working_day=get_settings().labour_day_is_working_day,
    )


def holiday_names(first: date, last: date, labour_day_is_working_day: bool) -> dict[date, str]:
    """Public and government holidays between the dates, with their names."""
    names: dict[date, str] = {}
    for year in range(first.year, last.year + 1):
        table = holidays.country_holidays(
            "TH", categories=("public", "government"), years=year, language="th"
        )
        names.update(
            (day, name)
            for day, name in table.items()
            if first <= day <= last and day in _holidays(year, labour_day_is_working_day)
        )
    return names


async def set_override(
    *, actor: Actor, day: date, is_working_day: bool, reason_th: str
) -> CalendarOverride:
    require_role(actor, Role.ADMIN)
    if not reason_th.strip():
        raise DomainError.of(ErrorCode.INVALID_INPUT, "reason_required", field=("reasonTh",))
    if len(reason_th.strip()) > REASON_MAX:
        raise DomainError.of(
            ErrorCode.INVALID_INPUT, "too_long", field=("reasonTh",), max=REASON_MAX
        )
    async with in_transaction() as connection:
        existing = await CalendarOverride.get_or_none(day=day, using_db=connection)
        before = _override_snapshot(existing) if existing else None
        override, _ = await CalendarOverride.update_or_create(
            day=day,
            defaults={"is_working_day": is_working_day, "reason_th": reason_th.strip()},
            using_db=connection,
        )
        await audit.record(
            actor=actor,
            action="calendarOverride.set",
            object_type="CalendarOverride",
            object_id=day.isoformat(),
            before=before,
            after=_override_snapshot(override),
            connection=connection,
        )
    return override


async def delete_override(*, actor: Actor, day: date, reason: str | None) -> None:
    require_role(actor, Role.ADMIN)
    async with in_transaction() as connection:
        existing = await CalendarOverride.get_or_none(day=day, using_db=connection)
        if existing is None:
            raise not_found("day", "วันที่กำหนด", "Override")
        await existing.delete(using_db=connection)
        await audit.record(
            actor=actor,
            action="calendarOverride.delete",
            object_type="CalendarOverride",
            object_id=day.isoformat(),
            before=_override_snapshot(existing),
            reason=reason,
            connection=connection,
        )


def _override_snapshot(override: CalendarOverride) -> dict[str, object]:
    return {"isWorkingDay": override.is_working_day, "reasonTh": override.reason_th}


async def overrides_between(first: date, last: date) -> list[CalendarOverride]:
    return await CalendarOverride.filter(day__gte=first, day__lte=last).order_by("day")
