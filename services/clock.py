"""What time it is, and what day it is where the units work (Asia/Bangkok by default): due dates
and overdue flags are about Thai calendar days, not UTC ones.

Every service that stamps a time asks ``now()``, and so do the models' ``auto_now``/
``auto_now_add`` fields (Tortoise reads ``tortoise.timezone.now``, which ``story`` points here).
Outside a story that is the wall clock. Inside ``story(start)`` — the demo telling FY 2565 — it
is the story's time, which only ``walk_to`` moves, and only forward, so whatever the story
writes carries the day it happened and the events of one story are in order. The story's time
lives in a context variable: other requests served meanwhile keep the wall clock.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import tortoise.timezone

from services.settings import get_settings

# A day of the story without an hour is told at ten in the morning, the units' time.
STORY_HOUR = time(10)

_story: ContextVar[datetime | None] = ContextVar("story", default=None)
_wall_clock = tortoise.timezone.now


def now() -> datetime:
    """The current instant, aware, in UTC."""
    return _story.get() or datetime.now(UTC)


def today() -> date:
    return now().astimezone(ZoneInfo(get_settings().timezone)).date()


def instant(at: date | datetime) -> datetime:
    """A story's moment: a datetime as given (naive ones in the units' time zone), a date at
    ``STORY_HOUR`` of that day, in UTC."""
    zone = ZoneInfo(get_settings().timezone)
    if not isinstance(at, datetime):
        at = datetime.combine(at, STORY_HOUR)
    if at.tzinfo is None:
        at = at.replace(tzinfo=zone)
    return at.astimezone(UTC)


@contextmanager
def story(start: date | datetime) -> Iterator[None]:
    """Tell a story from ``start``: within the block, ``now()`` is the story's time."""
    _stamp_models_from_clock()
    token = _story.set(instant(start))
    try:
        yield
    finally:
        _story.reset(token)


def walk_to(at: date | datetime) -> None:
    """Move the story's clock to ``at`` (a no-op when already there). A story never goes back:
    that would stamp a later event before an earlier one."""
    current = _story.get()
    if current is None:
        raise RuntimeError("walk_to outside a story")
    moment = instant(at)
    if moment < current:
        raise ValueError(f"the story is at {current.isoformat()}, not back at {moment}")
    _story.set(moment)


def _tortoise_now() -> datetime:
    moment = _story.get()
    if moment is None:
        return _wall_clock()
    return moment if tortoise.timezone.get_use_tz() else moment.astimezone().replace(tzinfo=None)


def _stamp_models_from_clock() -> None:
    # Tortoise's DatetimeField fills auto_now(_add) from tortoise.timezone.now (looked up at
    # each save), the one hook it has for the time it stamps.
    tortoise.timezone.now = _tortoise_now
