"""Reminders: what is due in N working days or overdue tells the people responsible in the app, by
LINE push and by e-mail — once and only once, across scans, restarts and crashes mid-send."""

import asyncio
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, date, datetime, timedelta
from email import message_from_bytes
from email.message import EmailMessage
from typing import Any
from uuid import uuid4

import httpx
import pytest
from tortoise import connections

from models.contest import Contest, ContestCategory, ContestForm, Entry, JudgeAssignment
from models.cycle import CycleStep, StepResponsible, StepStatus
from models.notification import Notification
from models.plan import Activity, ActivityOwner, Plan, PlanKind, PlanStatus
from models.publishing import Channel, ChannelSettings, OutboxMessage, OutboxStatus
from models.reminder import Reminder, ReminderChannel, ReminderStatus
from models.survey import Survey, SurveyKind, SurveyStatus
from models.work import Work, WorkKind
from services import encryption, outbound, reminders
from services.outbox import Dispatcher, RetryPolicy
from services.settings import Settings
from services.tokens import utcnow
from tests.fakes import FakeLine, FakeSmtp
from tests.helpers import GraphQLClient
from tests.world import World, gid, make_world

pytestmark = pytest.mark.usefixtures("database")
FAST = RetryPolicy(max_attempts=5, base_seconds=0.01, max_seconds=0.05, lease_seconds=30)
MONDAY = date(2022, 1, 10)
DUE = date(2022, 1, 12)  # Wednesday: two working days after Monday
LINE_ID = "U" + "4af4980629" * 3 + "ab"


@pytest.fixture
def line() -> Iterator[FakeLine]:
    with FakeLine() as fake:
        yield fake


@pytest.fixture
async def smtp() -> AsyncIterator[FakeSmtp]:
    async with FakeSmtp() as server:
        yield server


def _settings(smtp: FakeSmtp) -> Settings:
    return Settings(smtp_host="127.0.0.1", smtp_port=smtp.port, smtp_starttls=False)


async def _one_step_due(line: FakeLine) -> tuple[World, CycleStep]:
    """A world whose only unfinished step is due on ``DUE``, the chair responsible for it, with
    an account, an e-mail address and a LINE user id; the unit's LINE account configured."""
    world = await make_world()
    assert world.cycle
    chair = world.people["จุฑามาศ"]
    chair.email = "chair@example.go.th"
    chair.line_user_id = LINE_ID
    await chair.save()
    await CycleStep.filter(cycle_id=world.cycle.id).update(status=StepStatus.DONE)
    step = await world.step(5)
    await CycleStep.filter(id=step.id).update(
        status=StepStatus.IN_PROGRESS, planned_due=DUE, whole_committee=False
    )
    await StepResponsible.filter(step_id=step.id).delete()
    await StepResponsible.create(step_id=step.id, person_id=chair.id)
    await ChannelSettings.create(
        unit_id=world.unit.id,
        channel=Channel.LINE,
        base_url=line.base_url,
        credential=encryption.encrypt(line.token),
    )
    return world, step


async def _drain(dispatcher: Dispatcher, rounds: int = 30) -> None:
    for _ in range(rounds):
        if not await OutboxMessage.filter(status=OutboxStatus.PENDING).exists():
            return
        await OutboxMessage.filter(status=OutboxStatus.PENDING).update(available_at=utcnow())
        await dispatcher.run_once()
    raise AssertionError("the outbox did not drain")


async def _restart(http: httpx.AsyncClient, settings: Settings, today: date) -> None:
    """What a worker does after a (re)start: a scan, then the outbox, with a fresh dispatcher."""
    await reminders.scan(today=today, settings=settings)
    await _drain(Dispatcher(http, FAST, mailer=outbound.SmtpMailer(settings)))


async def test_a_step_due_soon_is_reminded_once_through_every_channel(
    line: FakeLine, smtp: FakeSmtp
) -> None:
    world, step = await _one_step_due(line)
    settings = _settings(smtp)

    async with httpx.AsyncClient(timeout=5) as http:
        await _restart(http, settings, MONDAY)
        await _restart(http, settings, MONDAY)  # the worker restarted: nothing new
        await _restart(http, settings, MONDAY + timedelta(days=1))  # still the same threshold

    pushes = list(line.accepted.values())
    assert [p["to"] for p in pushes] == [LINE_ID]
    assert "ขั้นตอนที่ 5" in pushes[0]["text"] and "อีก 2 วันทำการ" in pushes[0]["text"]
    assert smtp.recipients() == ["chair@example.go.th"]
    mail = message_from_bytes(smtp.messages[0].original_content)
    assert "reminder-" in mail["Message-ID"]
    notes = await Notification.filter(user_id=world.users["CHAIR"].id)
    assert [(n.message_key, n.subject_type, n.subject_id) for n in notes] == [
        ("reminder_due", "CycleStep", step.id)
    ]
    rows = await Reminder.all().order_by("channel")
    assert [(r.channel, r.threshold, r.status) for r in rows] == [
        (ReminderChannel.EMAIL, "BEFORE_3", ReminderStatus.SENT),
        (ReminderChannel.IN_APP, "BEFORE_3", ReminderStatus.SENT),
        (ReminderChannel.LINE, "BEFORE_3", ReminderStatus.SENT),
    ]

    # Once overdue, one more of each; a finished step, nothing.
    async with httpx.AsyncClient(timeout=5) as http:
        await _restart(http, settings, DUE + timedelta(days=1))
        await _restart(http, settings, DUE + timedelta(days=2))
        await CycleStep.filter(id=step.id).update(status=StepStatus.DONE)
        await _restart(http, settings, DUE + timedelta(days=3))
    assert len(line.accepted) == 2 and len(smtp.messages) == 2
    assert await Reminder.filter(threshold="OVERDUE").count() == 3
    assert "เลยกำหนด" in list(line.accepted.values())[1]["text"]


async def test_a_worker_killed_mid_push_does_not_push_twice(line: FakeLine, smtp: FakeSmtp) -> None:
    await _one_step_due(line)
    settings = Settings()  # no SMTP server: LINE and in-app only
    await reminders.scan(today=MONDAY, settings=settings)
    line.faults.slow_seconds = 0.6
    line.faults.script.append("slow")  # LINE takes the push, the answer comes too late

    async with httpx.AsyncClient(timeout=5) as http:
        doomed = asyncio.create_task(Dispatcher(http, FAST, worker_id="doomed").run_once())
        await asyncio.sleep(0.3)
        doomed.cancel()
        with pytest.raises(asyncio.CancelledError):
            await doomed
        message = await OutboxMessage.get()
        assert message.in_doubt and message.status == OutboxStatus.PENDING
        await OutboxMessage.all().update(lease_until=utcnow() - timedelta(seconds=1))
        await _restart(http, settings, MONDAY)

    assert [p["to"] for p in line.accepted.values()] == [LINE_ID]
    assert line.requests["POST /v2/bot/message/push"] == 2  # the retry was answered 409
    assert (await Reminder.get(channel=ReminderChannel.LINE)).status == ReminderStatus.SENT


class _CrashAfterData:
    """Hands the e-mail to the server, then the worker dies before recording it."""

    def __init__(self, settings: Settings) -> None:
        self.real = outbound.SmtpMailer(settings)

    async def send(self, message: EmailMessage, *, before_data: Any) -> None:
        await self.real.send(message, before_data=before_data)
        raise asyncio.CancelledError


async def test_a_worker_killed_after_handing_over_an_email_does_not_send_it_again(
    line: FakeLine, smtp: FakeSmtp
) -> None:
    await _one_step_due(line)
    await ChannelSettings.all().delete()  # e-mail and in-app only
    settings = _settings(smtp)
    await reminders.scan(today=MONDAY, settings=settings)

    async with httpx.AsyncClient(timeout=5) as http:
        with pytest.raises(asyncio.CancelledError):
            await Dispatcher(http, FAST, mailer=_CrashAfterData(settings)).run_once()
        await OutboxMessage.all().update(lease_until=utcnow() - timedelta(seconds=1))
        await _restart(http, settings, MONDAY)
        await _restart(http, settings, MONDAY)

    assert smtp.recipients() == ["chair@example.go.th"]
    assert (await Reminder.get(channel=ReminderChannel.EMAIL)).status == ReminderStatus.IN_DOUBT
    assert await OutboxMessage.filter(status=OutboxStatus.DONE).count() == 1


async def test_a_refused_line_token_is_dead_not_retried(line: FakeLine) -> None:
    await _one_step_due(line)
    await ChannelSettings.all().update(credential=encryption.encrypt("expired"))
    await reminders.scan(today=MONDAY, settings=Settings())

    async with httpx.AsyncClient(timeout=5) as http:
        await _drain(Dispatcher(http, FAST))

    assert (await Reminder.get(channel=ReminderChannel.LINE)).status == ReminderStatus.DEAD
    assert (await OutboxMessage.get()).status == OutboxStatus.DEAD
    assert line.accepted == {}
    assert "expired" not in ((await OutboxMessage.get()).last_error or "")


def test_thresholds_are_the_tightest_reached_then_overdue() -> None:
    settings = Settings(reminder_days_before=[1, 3])
    assert reminders.threshold_of(DUE, MONDAY, 2, settings) == "BEFORE_3"
    assert reminders.threshold_of(DUE, MONDAY, 1, settings) == "BEFORE_1"
    assert reminders.threshold_of(DUE, MONDAY, 5, settings) is None
    assert reminders.threshold_of(DUE, DUE, 0, settings) == "BEFORE_1"
    assert reminders.threshold_of(DUE, DUE + timedelta(days=1), 0, settings) == "OVERDUE"
    assert reminders.threshold_of(DUE, DUE + timedelta(days=31), 0, settings) is None
    assert (
        reminders.threshold_of(DUE, DUE + timedelta(days=1), 0, Settings(reminder_overdue=False))
        is None
    )


PERSON_CREATE = """mutation Create($input: PersonCreateInput!) { personCreate(input: $input) {
    person { hasLineUserId } errors { code field } } }"""


async def test_a_person_gets_a_line_user_id_for_reminders(admin: GraphQLClient) -> None:
    world = await make_world(with_cycle=False)
    unit = gid("Unit", world.unit.id)

    good = await admin.data(
        PERSON_CREATE, {"input": {"unit": unit, "firstNameTh": "สมหญิง", "lineUserId": LINE_ID}}
    )
    bad = await admin.data(
        PERSON_CREATE, {"input": {"unit": unit, "firstNameTh": "สมศรี", "lineUserId": "@lohub"}}
    )

    assert good["personCreate"] == {"person": {"hasLineUserId": True}, "errors": []}
    assert bad["personCreate"]["person"] is None
    assert bad["personCreate"]["errors"] == [
        {"code": "INVALID_INPUT", "field": ["input", "lineUserId"]}
    ]


async def test_activities_surveys_and_judging_assignments_are_reminded_too() -> None:
    world = await make_world()
    assert world.cycle
    chair, member = world.people["จุฑามาศ"], world.users["MEMBER"]
    await CycleStep.filter(cycle_id=world.cycle.id).update(status=StepStatus.DONE)
    step = await world.step(3)
    await CycleStep.filter(id=step.id).update(
        status=StepStatus.IN_PROGRESS, planned_due=date(2022, 1, 31), whole_committee=False
    )
    await StepResponsible.filter(step_id=step.id).delete()
    await StepResponsible.create(step_id=step.id, person_id=chair.id)
    survey = await Survey.create(
        cycle=world.cycle,
        kind=SurveyKind.STAKEHOLDER_NEEDS,
        title_th="สำรวจความต้องการ",
        status=SurveyStatus.OPEN,
    )
    plan = await Plan.create(
        cycle=world.cycle,
        kind=PlanKind.ACTION_PLAN,
        revision=1,
        status=PlanStatus.APPROVED,
        title_th="แผนปฏิบัติการ",
    )
    activity = await Activity.create(
        plan=plan,
        lineage=uuid4(),
        position=1,
        title_th="อบรม",
        start_month=date(2021, 11, 1),
        end_month=date(2022, 1, 1),  # due on 31 January
    )
    await ActivityOwner.create(activity=activity, person=chair)
    at = datetime(2022, 1, 1, tzinfo=UTC)
    contest = await Contest.create(
        fiscal_year=2565,
        name_th="LIKE Talk Award 2565",
        opens_at=at,
        closes_at=at,
        changes_until=at,
        results_at=datetime(2022, 1, 31, 3, tzinfo=UTC),
    )
    category = await ContestCategory.create(contest=contest, position=1, code="A", name_th="ก")
    form = await ContestForm.create(contest=contest, version=1, definition=[])
    work = await Work.create(
        unit=world.other_unit, fiscal_year=2565, kind=WorkKind.INNOVATION, title_th="นวัตกรรม"
    )
    entry = await Entry.create(
        contest=contest, category=category, work=work, unit=world.other_unit, form=form
    )
    await JudgeAssignment.create(contest=contest, entry=entry, judge=member)

    # Thursday 27 January: Friday and Monday are left.
    assert await reminders.scan(today=date(2022, 1, 27), settings=Settings()) == 4
    assert await reminders.scan(today=date(2022, 1, 27), settings=Settings()) == 0

    notes = await Notification.all().order_by("subject_type")
    assert [(n.user_id, n.subject_type, n.subject_id) for n in notes] == [
        (world.users["CHAIR"].id, "Activity", activity.id),
        (world.users["CHAIR"].id, "CycleStep", step.id),
        (member.id, "Entry", entry.id),
        (world.users["CHAIR"].id, "Survey", survey.id),
    ]
    assert {n.params["days"] for n in notes} == {2}
    assert "นวัตกรรม" in notes[2].params["what"]


async def test_the_outbox_keeps_its_index_after_migration_0009() -> None:
    # SQLite rebuilds outbox_message when its publication becomes optional; the claim query
    # relies on (status, available_at).
    connection = connections.get("default")
    if connection.capabilities.dialect == "postgres":
        sql = "SELECT indexdef AS sql FROM pg_indexes WHERE tablename = 'outbox_message'"
    else:
        sql = "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'outbox_message'"
    rows = await connection.execute_query_dict(sql)
    columns = [(r["sql"] or "").replace('"', "") for r in rows]
    assert any("(status, available_at)" in c for c in columns), rows
