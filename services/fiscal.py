"""Fiscal years in the Buddhist Era and Thai date formatting.

FY 2565 runs 2021-10-01 … 2022-09-30: it starts on 1 October of CE year (BE − 544).
"""

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

BE_OFFSET = 543

MONTHS_SHORT = (
    "ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.",
    "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.",
)  # fmt: skip
MONTHS_LONG = (
    "มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
    "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม",
)  # fmt: skip


class ThaiDateStyle(StrEnum):
    SHORT = "SHORT"  # 12 ต.ค. 2564
    LONG = "LONG"  # 12 ตุลาคม 2564


# Fiscal years the service accepts: a typo such as 25655 is an input error, not a date overflow.
BE_YEARS = range(2400, 2801)


@dataclass(frozen=True)
class FiscalYear:
    be: int

    @property
    def start(self) -> date:
        return date(self.be - BE_OFFSET - 1, 10, 1)

    @property
    def end(self) -> date:
        return date(self.be - BE_OFFSET, 9, 30)

    @property
    def label_th(self) -> str:
        return f"ปีงบประมาณ {self.be}"

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    def month_start(self, month: int) -> date:
        """First day of calendar ``month`` (1–12) as it falls inside this fiscal year."""
        year = self.start.year if month >= 10 else self.end.year
        return date(year, month, 1)

    def month_end(self, month: int) -> date:
        start = self.month_start(month)
        following = date(start.year + (start.month == 12), start.month % 12 + 1, 1)
        return following - timedelta(days=1)

    @classmethod
    def of(cls, day: date) -> "FiscalYear":
        return cls(day.year + BE_OFFSET + (1 if day.month >= 10 else 0))


def thai_date(day: date, style: ThaiDateStyle = ThaiDateStyle.SHORT) -> str:
    months = MONTHS_SHORT if style == ThaiDateStyle.SHORT else MONTHS_LONG
    return f"{day.day} {months[day.month - 1]} {day.year + BE_OFFSET}"
