"""Reminders: cycle steps, activities of plans in force, open surveys (due with
their step) and judging assignments due in N working days or overdue tell the people responsible,
in the app, by LINE push from their unit's Official Account and by e-mail.

**At most once.** Each reminder is a row keyed by (item type, item id, threshold, recipient,
channel), unique in the database. The scan (``scan``, run by the worker every
``LOHUB_REMINDER_SCAN_SECONDS``) works out what is due from the data alone, so it is idempotent
and survives restarts: a row that exists is never made again, and a new row is written with its
outbox message (action REMIND) in one transaction. In-app reminders are notifications written
in that transaction. The outbox's worker (``services/outbox/``) claims REMIND messages like any
other, with the same lease, retries and dead letters, and calls ``deliver``, which sends through
``services/outbound.py`` (LINE's retry key; an e-mail in doubt is never sent twice). The
Message-ID is fixed per reminder too.

Thresholds: ``BEFORE_<n>`` for each n of ``LOHUB_REMINDER_DAYS_BEFORE`` (working days left
before the due day, today not counted; only the tightest threshold reached is sent, so a scan
that starts late does not send three at once), and ``OVERDUE`` once the due day has passed
(items overdue by more than ``OVERDUE_WINDOW_DAYS`` calendar days are left alone, so the first
scan of an old installation does not flood anyone).
"""

import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from email.message import EmailMessage
from email.utils import make_msgid
from typing import Any, cast
from zoneinfo import ZoneInfo

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from models.committee import Membership
from models.contest import Contest, Entry, JudgeAssignment, ScoreSheet, SheetStatus
from models.cycle import Cycle, CycleStep, StepResponsible, StepStatus
from models.notification import Notification
from models.org import Person
from models.plan import Activity, ActivityOwner, ActivityProgressReport, PlanStatus
from models.publishing import Channel, ChannelSettings, OutboxAction, OutboxMessage
from models.reminder import Reminder, ReminderChannel, ReminderItem, ReminderStatus
from models.survey import Survey, SurveyStatus
from models.user import User
from services import clock, outbound
from services.calendar import load_calendar
from services.fiscal import thai_date
from services.messages import render
from services.outbox import Dispatcher, Failure, Handler, register, register_scan
from services.plan_figures import month_end
from services.settings import Settings, get_settings
from services.surveys import DESIGN_STEP
from services.tokens import utcnow

OVERDUE = "OVERDUE"
OVERDUE_WINDOW_DAYS = 30
UNFINISHED = (StepStatus.NOT_STARTED, StepStatus.IN_PROGRESS)


@dataclass(frozen=True)
class Due:
    """Something due, with who must hear of it."""

    item_type: ReminderItem
    item_id: int
    due_on: date
    what_th: str
    what_en: str
    subject_type: str  # the GraphQL type the in-app notification points at
    subject_id: int
    person_ids: frozenset[int] = frozenset()
    user_ids: frozenset[int] = frozenset()  # judges: accounts, their person found if any


def thresholds(settings: Settings) -> list[int]:
    return sorted({n for n in settings.reminder_days_before if 0 <= n <= 60})


def threshold_of(due_on: date, today: date, days_left: int, settings: Settings) -> str | None:
    """The threshold an item has reached today, or None."""
    if due_on < today:
        if settings.reminder_overdue and (today - due_on).days <= OVERDUE_WINDOW_DAYS:
            return OVERDUE
        return None
    for n in thresholds(settings):
        if days_left <= n:
            return f"BEFORE_{n}"
    return None


# -- the scan ---------------------------------------------------------------------------------


async def scan(*, today: date | None = None, settings: Settings | None = None) -> int:
    """Write the reminders due today that do not exist yet (with their outbox messages and
    notifications); returns how many were written. Safe to run any number of times, by any
    number of workers at once."""
    settings = settings or get_settings()
    today = today or clock.today()
    limits = thresholds(settings)
    calendar = await load_calendar(
        today - timedelta(days=OVERDUE_WINDOW_DAYS), today + timedelta(days=120)
    )
    horizon = calendar.add_working_days(today, max(limits)) if limits else today
    first = today - timedelta(days=OVERDUE_WINDOW_DAYS)
    items = [
        *await _steps(first, horizon),
        *await _activities(first, horizon),
        *await _surveys(first, horizon),
        *await _judging(first, horizon),
    ]
    wanted: list[tuple[Due, str, int]] = []
    for item in items:
        days_left = (
            calendar.count_working_days(today + timedelta(days=1), item.due_on)
            if item.due_on > today
            else 0
        )
        threshold = threshold_of(item.due_on, today, days_left, settings)
        if threshold:
            wanted.append((item, threshold, days_left))
    if not wanted:
        return 0
    people = await _people(
        {p for item, _, _ in wanted for p in item.person_ids},
        {u for item, _, _ in wanted for u in item.user_ids},
    )
    line_units = {
        int(cast(int, u))
        for u in await ChannelSettings.filter(channel=Channel.LINE, enabled=True)
        .exclude(credential="")
        .values_list("unit_id", flat=True)
    }
    existing = {
        _as_key(row)
        for row in await Reminder.filter(
            item_id__in=sorted({item.item_id for item, _, _ in wanted})
        ).values_list("item_type", "item_id", "threshold", "recipient", "channel")
    }
    written = 0
    for item, threshold, days_left in wanted:
        for recipient in _recipients(item, people):
            for channel, address in _channels(recipient, line_units, settings):
                key = (item.item_type.value, item.item_id, threshold, recipient.key, channel.value)
                if _as_key(key) in existing:
                    continue
                written += await _write(item, threshold, days_left, recipient, channel, address)
    return written


def _as_key(row: Iterable[Any]) -> tuple[str, ...]:
    return tuple(str(getattr(v, "value", v)) for v in row)


@dataclass(frozen=True)
class Recipient:
    key: str  # "person:<id>" or "user:<id>"
    person_id: int | None
    user_id: int | None
    unit_id: int | None
    email: str | None
    line_user_id: str | None


async def _people(person_ids: set[int], user_ids: set[int]) -> dict[str, Recipient]:
    """Recipients by key, with their channels' addresses (two or three statements)."""
    rows = await Person.filter(id__in=sorted(person_ids)) if person_ids else []
    by_user = (
        {p.user_id: p for p in await Person.filter(user_id__in=sorted(user_ids))}
        if user_ids
        else {}
    )
    users = {
        u.id: u
        for u in await User.filter(id__in=sorted(user_ids | {p.user_id for p in rows if p.user_id}))
    }
    out: dict[str, Recipient] = {}
    for p in rows:
        account = users.get(p.user_id) if p.user_id else None
        out[f"person:{p.id}"] = Recipient(
            f"person:{p.id}",
            p.id,
            p.user_id,
            p.unit_id,
            p.email or (account.email if account else None),
            p.line_user_id,
        )
    for user_id in user_ids:
        account = users.get(user_id)
        if account is None or not account.is_active:
            continue
        person = by_user.get(user_id)
        out[f"user:{user_id}"] = Recipient(
            f"user:{user_id}",
            person.id if person else None,
            user_id,
            person.unit_id if person else None,
            (person.email if person else None) or account.email,
            person.line_user_id if person else None,
        )
    return out


def _recipients(item: Due, people: dict[str, Recipient]) -> list[Recipient]:
    keys = [f"person:{p}" for p in sorted(item.person_ids)] + [
        f"user:{u}" for u in sorted(item.user_ids)
    ]
    return [people[k] for k in keys if k in people]


def _channels(
    recipient: Recipient, line_units: set[int], settings: Settings
) -> list[tuple[ReminderChannel, str]]:
    channels = []
    if recipient.user_id is not None:
        channels.append((ReminderChannel.IN_APP, ""))
    if recipient.line_user_id and recipient.unit_id in line_units:
        channels.append((ReminderChannel.LINE, recipient.line_user_id))
    if recipient.email and settings.smtp_host:
        channels.append((ReminderChannel.EMAIL, recipient.email))
    return channels


async def _write(
    item: Due,
    threshold: str,
    days: int,
    recipient: Recipient,
    channel: ReminderChannel,
    address: str,
) -> int:
    overdue = threshold == OVERDUE
    params = {
        "what": item.what_th,
        "what_en": item.what_en,
        "due": thai_date(item.due_on),
        "due_en": item.due_on.isoformat(),
        "days": days,
    }
    message_key = "reminder_overdue" if overdue else "reminder_due"
    try:
        async with in_transaction() as connection:
            reminder = await Reminder.create(
                item_type=item.item_type,
                item_id=item.item_id,
                threshold=threshold,
                recipient=recipient.key,
                channel=channel,
                due_on=item.due_on,
                person_id=recipient.person_id,
                user_id=recipient.user_id,
                unit_id=recipient.unit_id,
                address=address,
                message_key=message_key,
                params=params,
                retry_key=str(uuid.uuid4()),
                status=ReminderStatus.SENT
                if channel == ReminderChannel.IN_APP
                else ReminderStatus.PENDING,
                sent_at=utcnow() if channel == ReminderChannel.IN_APP else None,
                using_db=connection,
            )
            if channel == ReminderChannel.IN_APP:
                assert recipient.user_id is not None
                await Notification.create(
                    user_id=recipient.user_id,
                    message_key=message_key,
                    params=params,
                    subject_type=item.subject_type,
                    subject_id=item.subject_id,
                    using_db=connection,
                )
            else:
                await OutboxMessage.create(
                    reminder_id=reminder.id,
                    action=OutboxAction.REMIND,
                    available_at=utcnow(),
                    using_db=connection,
                )
    except IntegrityError:
        # Another worker's scan wrote the same reminder first.
        return 0
    return 1


# -- what is due ------------------------------------------------------------------------------


async def _committees(unit_ids: set[int]) -> dict[int, set[int]]:
    """The people on each unit's current committee (one statement)."""
    rows = await Membership.filter(
        order__unit_id__in=sorted(unit_ids), order__superseded_by_id__isnull=True
    ).values_list("order__unit_id", "person_id")
    out: defaultdict[int, set[int]] = defaultdict(set)
    for unit_id, person_id in rows:
        out[unit_id].add(person_id)
    return out


async def _step_people(
    steps: list[CycleStep], unit_of: dict[int, int]
) -> dict[int, frozenset[int]]:
    responsible: defaultdict[int, set[int]] = defaultdict(set)
    for step_id, person_id in await StepResponsible.filter(
        step_id__in=[s.id for s in steps]
    ).values_list("step_id", "person_id"):
        responsible[step_id].add(person_id)
    whole = {unit_of[s.cycle_id] for s in steps if s.whole_committee}
    committees = await _committees(whole) if whole else {}
    return {
        s.id: frozenset(
            responsible[s.id]
            | (committees.get(unit_of[s.cycle_id], set()) if s.whole_committee else set())
        )
        for s in steps
    }


async def _steps(first: date, last: date) -> list[Due]:
    steps = await CycleStep.filter(
        status__in=UNFINISHED, planned_due__gte=first, planned_due__lte=last
    )
    if not steps:
        return []
    unit_of = dict(
        await Cycle.filter(id__in=sorted({s.cycle_id for s in steps})).values_list("id", "unit_id")
    )
    people = await _step_people(steps, unit_of)
    return [
        Due(
            ReminderItem.STEP,
            s.id,
            s.planned_due,
            f"ขั้นตอนที่ {s.no} {s.title_th}",
            f"Step {s.no} {s.title_en or s.title_th}",
            "CycleStep",
            s.id,
            person_ids=people[s.id],
        )
        for s in steps
    ]


async def _activities(first: date, last: date) -> list[Due]:
    # An activity is due at the end of its last month (end_month is that month's first day).
    activities = await Activity.filter(
        plan__status=PlanStatus.APPROVED,
        end_month__gte=first.replace(day=1),
        end_month__lte=last,
    )
    activities = [a for a in activities if first <= month_end(a.end_month) <= last]
    if not activities:
        return []
    finished = set(
        await ActivityProgressReport.filter(
            lineage__in=[a.lineage for a in activities], percent__gte=100
        ).values_list("lineage", flat=True)
    )
    owners: defaultdict[int, set[int]] = defaultdict(set)
    for activity_id, person_id in await ActivityOwner.filter(
        activity_id__in=[a.id for a in activities]
    ).values_list("activity_id", "person_id"):
        owners[activity_id].add(person_id)
    return [
        Due(
            ReminderItem.ACTIVITY,
            a.id,
            month_end(a.end_month),
            f"กิจกรรม {a.title_th}",
            f"Activity {a.title_en or a.title_th}",
            "Activity",
            a.id,
            person_ids=frozenset(owners[a.id]),
        )
        for a in activities
        if str(a.lineage) not in {str(f) for f in finished}
    ]


async def _surveys(first: date, last: date) -> list[Due]:
    surveys = await Survey.filter(status=SurveyStatus.OPEN)
    if not surveys:
        return []
    steps = {
        (s.cycle_id, s.no): s
        for s in await CycleStep.filter(
            cycle_id__in=sorted({s.cycle_id for s in surveys}),
            no__in=sorted(set(DESIGN_STEP.values())),
        )
    }
    due = [
        (survey, steps[(survey.cycle_id, DESIGN_STEP[survey.kind])])
        for survey in surveys
        if (survey.cycle_id, DESIGN_STEP[survey.kind]) in steps
    ]
    due = [(survey, step) for survey, step in due if first <= step.planned_due <= last]
    if not due:
        return []
    unit_of = dict(
        await Cycle.filter(id__in=sorted({s.cycle_id for s, _ in due})).values_list("id", "unit_id")
    )
    people = await _step_people([step for _, step in due], unit_of)
    return [
        Due(
            ReminderItem.SURVEY,
            survey.id,
            step.planned_due,
            f"ปิดแบบสำรวจ {survey.title_th}",
            f"Close the survey {survey.title_en or survey.title_th}",
            "Survey",
            survey.id,
            person_ids=people[step.id],
        )
        for survey, step in due
    ]


async def _judging(first: date, last: date) -> list[Due]:
    zone = ZoneInfo(get_settings().timezone)
    contests = {
        c.id: c
        for c in await Contest.filter(results_at__isnull=False, results_published_at__isnull=True)
        if first <= c.results_at.astimezone(zone).date() <= last  # type: ignore[union-attr]
    }
    if not contests:
        return []
    assignments = await JudgeAssignment.filter(contest_id__in=list(contests))
    submitted = set(
        await ScoreSheet.filter(
            contest_id__in=list(contests), status=SheetStatus.SUBMITTED
        ).values_list("entry_id", "judge_id")
    )
    entries = dict(
        await Entry.filter(id__in=[a.entry_id for a in assignments]).values_list(
            "id", "work__title_th"
        )
    )
    return [
        Due(
            ReminderItem.JUDGING,
            a.id,
            contests[a.contest_id].results_at.astimezone(zone).date(),  # type: ignore[union-attr]
            f"ให้คะแนนผลงาน {entries.get(a.entry_id, '')} ({contests[a.contest_id].name_th})",
            f"Score the entry {entries.get(a.entry_id, '')} "
            f"({contests[a.contest_id].name_en or contests[a.contest_id].name_th})",
            "Entry",
            a.entry_id,
            user_ids=frozenset({a.judge_id}),
        )
        for a in assignments
        if (a.entry_id, a.judge_id) not in submitted
    ]


# -- sending ---------------------------------------------------------------------------------


def text_of(reminder: Reminder) -> str:
    return render(reminder.message_key, "th", reminder.params)


def email_of(reminder: Reminder, settings: Settings) -> EmailMessage:
    message = EmailMessage()
    message["From"] = settings.smtp_from
    message["To"] = reminder.address
    message["Subject"] = "LO Hub: " + text_of(reminder)[:150]
    message["Message-ID"] = make_msgid(
        idstring=f"reminder-{reminder.id}", domain=outbound.mail_domain(settings)
    )
    message.set_content(
        text_of(reminder) + "\n\n" + render(reminder.message_key, "en", reminder.params) + "\n"
    )
    return message


async def deliver(dispatcher: Dispatcher, token: str, message: OutboxMessage) -> None:
    """Carry out one REMIND message (called by the dispatcher, which holds its lease)."""
    reminder = await Reminder.get(id=message.reminder_id)
    await outbound.deliver(
        dispatcher,
        token,
        message,
        reminder,
        text=text_of(reminder),
        email=lambda settings: email_of(reminder, settings),
    )


async def _failed(failure: Failure, connection: BaseDBAsyncClient) -> None:
    assert failure.message.reminder_id is not None
    await outbound.record_dead(Reminder, failure.message.reminder_id, failure, connection)


register(OutboxAction.REMIND, Handler(carry_out=deliver, failed=_failed))
register_scan(scan)
