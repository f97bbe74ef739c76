"""Fiscal years and the working-day calendar."""

from datetime import date, timedelta
from enum import Enum
from typing import Annotated, Any

import strawberry

from schema.dates import FiscalYearNode
from schema.errors import InvalidArgument, UserError, payload
from schema.inputs import Input
from services import calendar
from services.fiscal import BE_YEARS, FiscalYear

_MAX_RANGE = timedelta(days=400)


@strawberry.enum(description="Why a day is not an ordinary working day.")
class DayKind(Enum):
    HOLIDAY = "HOLIDAY"
    OVERRIDE_HOLIDAY = "OVERRIDE_HOLIDAY"
    OVERRIDE_WORKING_DAY = "OVERRIDE_WORKING_DAY"


@strawberry.type(description="A day that differs from Monday–Friday working days.")
class CalendarDay:
    day: date = strawberry.field(description="The date.")
    kind: DayKind = strawberry.field(description="Holiday, or an administrator's override.")
    name_th: str = strawberry.field(description="Holiday name or the override's reason, in Thai.")


@strawberry.type(description="Working days between two dates, both included.")
class WorkingCalendarRange:
    first: date = strawberry.field(description="First day of the range.")
    last: date = strawberry.field(description="Last day of the range.")
    working_day_count: int = strawberry.field(description="Working days in the range.")
    special_days: list[CalendarDay] = strawberry.field(
        description="Holidays and overrides in the range (weekends are not listed)."
    )


@strawberry.type
class CalendarQueries:
    @strawberry.field(description="A fiscal year by its BE year, e.g. 2565.")
    def fiscal_year(
        self, be: Annotated[int, strawberry.argument(description="BE year.")]
    ) -> FiscalYearNode:
        if be not in BE_YEARS:
            raise InvalidArgument("`be` must be a Buddhist Era year such as 2565")
        return FiscalYearNode.of(FiscalYear(be))

    @strawberry.field(description="The Thai government working-day calendar over a range.")
    async def working_calendar(
        self,
        info: strawberry.Info,
        first: Annotated[date, strawberry.argument(description="First day.")],
        last: Annotated[date, strawberry.argument(description="Last day (≤ 400 days later).")],
    ) -> WorkingCalendarRange:
        if not (first <= last and (last - first) <= _MAX_RANGE):
            raise InvalidArgument("`last` must be on or after `first` and at most 400 days later")
        working = await calendar.load_calendar(first, last)
        special = [
            CalendarDay(day=day, kind=DayKind.HOLIDAY, name_th=name)
            for day, name in calendar.holiday_names(
                first, last, working.labour_day_is_working_day
            ).items()
            if day not in working.overrides
        ]
        special += [
            CalendarDay(
                day=override.day,
                kind=DayKind.OVERRIDE_WORKING_DAY
                if override.is_working_day
                else DayKind.OVERRIDE_HOLIDAY,
                name_th=override.reason_th,
            )
            for override in await calendar.overrides_between(first, last)
        ]
        return WorkingCalendarRange(
            first=first,
            last=last,
            working_day_count=working.count_working_days(first, last),
            special_days=sorted(special, key=lambda d: d.day),
        )


@strawberry.input(description="Make a date a working day or a holiday (cabinet announcements).")
class CalendarOverrideSetInput:
    day: date = strawberry.field(description="The date.")
    is_working_day: bool = strawberry.field(description="True: working day; false: holiday.")
    reason_th: str = strawberry.field(description="The announcement, in Thai.")


@strawberry.input(description="Remove a date's override.")
class CalendarOverrideDeleteInput:
    day: date = strawberry.field(description="The date.")
    reason: str | None = strawberry.field(default=None, description="Why; kept in the audit.")


@strawberry.type(description="Result of `calendarOverrideSet` and `calendarOverrideDelete`.")
class CalendarOverridePayload:
    day: CalendarDay | None = strawberry.field(
        default=None, description="The override as saved (null after a delete)."
    )
    errors: list[UserError] = strawberry.field(description="Why nothing changed, if so.")


@strawberry.type
class CalendarMutations:
    @strawberry.mutation(description="Set a date's override (administrators).")
    async def calendar_override_set(
        self, info: strawberry.Info, input: Input[CalendarOverrideSetInput]
    ) -> CalendarOverridePayload:
        async def run() -> dict[str, Any]:
            override = await calendar.set_override(
                actor=info.context.actor,
                day=input.day,
                is_working_day=input.is_working_day,
                reason_th=input.reason_th,
            )
            kind = (
                DayKind.OVERRIDE_WORKING_DAY
                if override.is_working_day
                else DayKind.OVERRIDE_HOLIDAY
            )
            return {"day": CalendarDay(day=override.day, kind=kind, name_th=override.reason_th)}

        return await payload(info, CalendarOverridePayload, run)

    @strawberry.mutation(description="Remove a date's override (administrators).")
    async def calendar_override_delete(
        self, info: strawberry.Info, input: Input[CalendarOverrideDeleteInput]
    ) -> CalendarOverridePayload:
        async def run() -> dict[str, Any]:
            await calendar.delete_override(
                actor=info.context.actor, day=input.day, reason=input.reason
            )
            return {}

        return await payload(info, CalendarOverridePayload, run)
