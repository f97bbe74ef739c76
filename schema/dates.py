"""Fiscal years and Thai-formatted dates."""

from datetime import date
from typing import Annotated

import strawberry

from services.fiscal import FiscalYear, ThaiDateStyle, thai_date

Style = Annotated[ThaiDateStyle, strawberry.argument(description="Short or long month names.")]


def thai(day: date | None, style: ThaiDateStyle) -> str | None:
    return thai_date(day, style) if day else None


@strawberry.type(name="FiscalYear", description="A fiscal year (ปีงบประมาณ), 1 Oct – 30 Sep.")
class FiscalYearNode:
    be: int = strawberry.field(description="Buddhist Era year, e.g. 2565.")
    start: date = strawberry.field(description="First day, e.g. 2021-10-01 for 2565.")
    end: date = strawberry.field(description="Last day, e.g. 2022-09-30 for 2565.")
    label_th: str = strawberry.field(description="`ปีงบประมาณ 2565`.")

    @strawberry.field(description="The first day in Thai.")
    def start_th(self, style: Style = ThaiDateStyle.SHORT) -> str:
        return thai_date(self.start, style)

    @strawberry.field(description="The last day in Thai.")
    def end_th(self, style: Style = ThaiDateStyle.SHORT) -> str:
        return thai_date(self.end, style)

    @classmethod
    def of(cls, year: FiscalYear) -> "FiscalYearNode":
        return cls(be=year.be, start=year.start, end=year.end, label_th=year.label_th)
