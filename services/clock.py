"""What day it is where the units work (Asia/Bangkok by default): due dates and overdue flags
are about Thai calendar days, not UTC ones."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from services.settings import get_settings


def today() -> date:
    return datetime.now(ZoneInfo(get_settings().timezone)).date()
