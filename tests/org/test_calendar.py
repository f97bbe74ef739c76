"""Fiscal years, Thai dates and the government working-day calendar."""

from datetime import date

import pytest

from services.calendar import WorkingCalendar
from services.fiscal import FiscalYear, ThaiDateStyle, thai_date
from services.settings import get_settings
from tests.helpers import GraphQLClient, error_codes, make_user

FISCAL_YEAR = """
query { fiscalYear(be: 2565) { be start end labelTh startTh endTh(style: LONG) } }"""
WORKING = """
query Working($first: Date!, $last: Date!) {
  workingCalendar(first: $first, last: $last) { workingDayCount specialDays { day kind nameTh } }
}"""
OVERRIDE_SET = """
mutation Set($input: CalendarOverrideSetInput!) {
  calendarOverrideSet(input: $input) { day { day kind nameTh } errors { code field } }
}"""


async def test_fiscal_year_2565_runs_from_october_2021(client: GraphQLClient) -> None:
    signed_in = client.signed_in_as(await make_user("somsri"))

    year = (await signed_in.data(FISCAL_YEAR))["fiscalYear"]

    assert year == {
        "be": 2565,
        "start": "2021-10-01",
        "end": "2022-09-30",
        "labelTh": "ปีงบประมาณ 2565",
        "startTh": "1 ต.ค. 2564",
        "endTh": "30 กันยายน 2565",
    }


def test_thai_dates_and_the_fiscal_year_of_a_day() -> None:
    assert thai_date(date(2021, 10, 12)) == "12 ต.ค. 2564"
    assert thai_date(date(2021, 10, 12), ThaiDateStyle.LONG) == "12 ตุลาคม 2564"
    assert FiscalYear.of(date(2021, 10, 1)).be == 2565
    assert FiscalYear.of(date(2021, 9, 30)).be == 2564
    assert FiscalYear(2565).month_end(2) == date(2022, 2, 28)


@pytest.mark.parametrize(
    ("start", "days", "due"),
    [
        (date(2021, 10, 12), 2, date(2021, 10, 14)),  # 13 Oct: King Bhumibol memorial day
        (date(2021, 10, 21), 3, date(2021, 10, 26)),  # 23-24 weekend, 25 Oct in lieu
        (date(2021, 10, 16), 1, date(2021, 10, 18)),  # a Saturday start moves to Monday
        (date(2022, 4, 29), 2, date(2022, 5, 2)),  # Labour Day (in lieu) is worked by default
    ],
)
def test_a_task_ends_on_its_nth_working_day(start: date, days: int, due: date) -> None:
    assert WorkingCalendar(overrides={}).span_end(start, days) == due


def test_labour_day_setting_and_overrides() -> None:
    assert not WorkingCalendar({}, labour_day_is_working_day=False).is_working_day(date(2022, 5, 2))
    assert WorkingCalendar({}, labour_day_is_working_day=True).is_working_day(date(2022, 5, 2))
    extra_holiday = WorkingCalendar({date(2021, 10, 14): False})
    assert extra_holiday.span_end(date(2021, 10, 12), 2) == date(2021, 10, 15)
    assert WorkingCalendar({}).count_working_days(date(2021, 10, 1), date(2021, 10, 31)) == 19
    assert WorkingCalendar({}).add_working_days(date(2021, 10, 12), 1) == date(2021, 10, 14)


async def test_an_override_changes_the_calendar_and_is_audited(admin: GraphQLClient) -> None:
    before = await admin.data(WORKING, {"first": "2022-01-03", "last": "2022-01-07"})
    result = await admin.data(
        OVERRIDE_SET,
        {"input": {"day": "2022-01-04", "isWorkingDay": False, "reasonTh": "มติ ครม. วันหยุดพิเศษ"}},
    )
    after = await admin.data(WORKING, {"first": "2022-01-03", "last": "2022-01-07"})
    audit = await admin.data(
        '{ auditEvents(filter: {action: "calendarOverride.set"}) { totalCount } }'
    )

    assert result["calendarOverrideSet"]["errors"] == []
    assert before["workingCalendar"]["workingDayCount"] == 4  # 3 Jan is New Year in lieu
    assert after["workingCalendar"]["workingDayCount"] == 3
    assert {"day": "2022-01-04", "kind": "OVERRIDE_HOLIDAY", "nameTh": "มติ ครม. วันหยุดพิเศษ"} in (
        after["workingCalendar"]["specialDays"]
    )
    assert audit["auditEvents"]["totalCount"] == 1


async def test_override_needs_a_reason_and_unknown_delete_is_not_found(
    admin: GraphQLClient,
) -> None:
    no_reason = await admin.data(
        OVERRIDE_SET, {"input": {"day": "2022-01-04", "isWorkingDay": False, "reasonTh": " "}}
    )
    missing = await admin.data(
        'mutation { calendarOverrideDelete(input: {day: "2022-02-02"}) { errors { code } } }'
    )

    assert no_reason["calendarOverrideSet"]["errors"][0]["code"] == "INVALID_INPUT"
    assert missing["calendarOverrideDelete"]["errors"][0]["code"] == "NOT_FOUND"


@pytest.mark.parametrize(
    "variables",
    [{"first": "2022-01-10", "last": "2022-01-01"}, {"first": "2020-01-01", "last": "2022-01-01"}],
)
async def test_calendar_range_must_be_sensible(admin: GraphQLClient, variables: dict) -> None:
    assert error_codes(await admin.post(WORKING, variables)) == ["BAD_USER_INPUT"]


def test_settings_default_keeps_labour_day_working() -> None:
    assert get_settings().labour_day_is_working_day is True
