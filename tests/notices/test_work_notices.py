"""A work's authors hear of each change of its status — returned with the reason, registered with
the number, published with the link, retracted — once in the app and once by the channel they
chose, however often the worker restarts; an e-mail never goes out twice, and every e-mail
carries a one-click unsubscribe that works."""

import asyncio
from collections import Counter
from collections.abc import Iterator
from datetime import timedelta
from email.message import EmailMessage
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from models.notice import Notice, NoticeEvent, NotificationPreference
from models.notification import Notification
from models.publishing import Channel, ChannelSettings, OutboxMessage, OutboxStatus
from models.reminder import ReminderChannel, ReminderStatus
from models.work import Work, WorkAuthor, WorkKind
from services import encryption, works
from services.actor import SYSTEM
from services.outbox import Dispatcher
from services.settings import get_settings
from services.tokens import utcnow
from tests.fakes import FakeLine, FakeSmtp
from tests.helpers import GraphQLClient
from tests.notices.outbox import FAST, drain, events_told, mailer, mails, told_in_app
from tests.world import World, gid, make_world

pytestmark = pytest.mark.usefixtures("database")
LINE_ID = "U" + "4af4980629" * 3 + "ab"
EMAIL = "kanokan@anamai.moph.go.th"

ACT = """mutation($input: WorkActionInput!) {
  workReturn(input: $input) { errors { code } } }"""
REGISTER = """mutation($input: WorkActionInput!) {
  workRegister(input: $input) { work { registryNumber } errors { code } } }"""
SUBMIT = """mutation($input: WorkActionInput!) { workSubmit(input: $input) { errors { code } } }"""
PUBLISH = """mutation($id: ID!) {
  workPublish(input: {id: $id, channels: [LINE]}) { errors { code } } }"""
RETRACT = """mutation($id: ID!) {
  workRetract(input: {id: $id, reason: "ข้อมูลผิด"}) { errors { code } } }"""


@pytest.fixture
def line() -> Iterator[FakeLine]:
    with FakeLine() as fake:
        yield fake


async def _draft(world: World, *, line: FakeLine | None = None) -> Work:
    """A work by กนกานต์ (the MEMBER account, with an e-mail), in review."""
    author = world.people["กนกานต์"]
    author.email = EMAIL
    author.line_user_id = LINE_ID
    await author.save()
    if line:
        await ChannelSettings.create(
            unit_id=world.unit.id,
            channel=Channel.LINE,
            base_url=line.base_url,
            credential=encryption.encrypt(line.token),
        )
    work = await works.create_work(
        actor=SYSTEM,
        unit_id=world.unit.id,
        data=works.WorkData.model_validate(
            {
                "kind": WorkKind.INNOVATION,
                "fiscal_year": 2565,
                "title_th": "สวนสุขภาพ",
                "authors": [{"person_id": author.id, "corresponding": True}],
            }
        ),
    )
    return await works.act_on_work(actor=SYSTEM, work_id=work.id, action=works.WorkAction.SUBMIT)


async def test_each_change_reaches_the_authors_once_in_the_app_and_by_email(
    client: GraphQLClient, smtp: FakeSmtp, line: FakeLine
) -> None:
    world = await make_world()
    work = await _draft(world, line=line)
    member = world.users["MEMBER"]
    chair = client.signed_in_as(world.users["CHAIR"])
    author = client.signed_in_as(member)
    work_id = {"id": gid("Work", work.id)}

    returned = await chair.data(ACT, {"input": {**work_id, "reason": "แก้บทคัดย่อ"}})
    assert returned["workReturn"]["errors"] == []
    # The author resubmits: no one is told of their own change.
    assert (await author.data(SUBMIT, {"input": work_id}))["workSubmit"]["errors"] == []
    registered = await chair.data(REGISTER, {"input": work_id})
    number = registered["workRegister"]["work"]["registryNumber"]
    async with httpx.AsyncClient(timeout=5) as http:
        assert (await chair.data(PUBLISH, work_id))["workPublish"]["errors"] == []
        await drain(http)
        assert (await chair.data(RETRACT, work_id))["workRetract"]["errors"] == []
        await drain(http)
        await drain(http)  # a restarted worker finds nothing more to send

    texts = await told_in_app(member.id)
    assert len(texts) == 4
    assert "แก้บทคัดย่อ" in texts[0]
    assert number in texts[1]
    assert f"/works/{number.lower()}" in texts[2] and "LINE" in texts[2]
    assert "ข้อมูลผิด" in texts[3]
    assert await events_told(member.id) == Counter(
        {
            NoticeEvent.WORK_RETURNED: 1,
            NoticeEvent.WORK_REGISTERED: 1,
            NoticeEvent.WORK_PUBLISHED: 1,
            NoticeEvent.WORK_RETRACTED: 1,
        }
    )
    assert smtp.recipients() == [EMAIL] * 4
    for mail in mails(smtp):
        assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert mail["List-Unsubscribe"].startswith("<http") and "notice-" in mail["Message-ID"]
    # Mails leave in the order the worker claims them, not always the order of the changes.
    bodies = [mail.get_payload(decode=True).decode() for mail in mails(smtp)]
    assert sum("แก้บทคัดย่อ" in body for body in bodies) == 1
    # The chair made the changes and wrote nothing: told of none.
    assert await Notification.filter(user_id=world.users["CHAIR"].id).count() == 0
    assert await Notice.filter(status=ReminderStatus.SENT).count() == 4

    # The in-app side through GraphQL, in the reader's language.
    seen = await author.with_headers(**{"accept-language": "en"}).data(
        "{ notifications { edges { node { message subjectId } } } }"
    )
    messages = [e["node"]["message"] for e in seen["notifications"]["edges"]]
    assert messages[-1] == "Your work สวนสุขภาพ was returned for changes: แก้บทคัดย่อ"
    assert {e["node"]["subjectId"] for e in seen["notifications"]["edges"]} == {work_id["id"]}


async def test_the_chosen_channel_and_nothing_else(
    client: GraphQLClient, smtp: FakeSmtp, line: FakeLine
) -> None:
    world = await make_world()
    member = world.users["MEMBER"]
    author = client.signed_in_as(member)
    work = await _draft(world, line=line)
    choose = """mutation($input: NotificationPreferencesSetInput!) {
      notificationPreferencesSet(input: $input) {
        preferences { channel digest version } errors { code } } }"""

    chosen = await author.data(choose, {"input": {"channel": "LINE"}})
    assert chosen["notificationPreferencesSet"] == {
        "preferences": {"channel": "LINE", "digest": False, "version": 1},
        "errors": [],
    }
    assert (await author.data("{ notificationPreferences { channel digest } }")) == {
        "notificationPreferences": {"channel": "LINE", "digest": False}
    }
    await works.act_on_work(
        actor=SYSTEM, work_id=work.id, action=works.WorkAction.RETURN, reason="แก้ชื่อ"
    )
    in_app = await author.data(choose, {"input": {"channel": "IN_APP", "version": 1}})
    assert in_app["notificationPreferencesSet"]["errors"] == []
    await works.act_on_work(actor=SYSTEM, work_id=work.id, action=works.WorkAction.SUBMIT)
    await works.act_on_work(actor=SYSTEM, work_id=work.id, action=works.WorkAction.REGISTER)
    async with httpx.AsyncClient(timeout=5) as http:
        await drain(http)

    assert len(await told_in_app(member.id)) == 2
    assert [m["to"] for m in line.accepted.values()] == [LINE_ID]
    assert "แก้ชื่อ" in line.texts()[0]
    assert smtp.messages == []
    stale = await author.data(choose, {"input": {"channel": "EMAIL", "version": 1}})
    assert stale["notificationPreferencesSet"]["errors"] == [{"code": "STALE_VERSION"}]

    # LINE needs a LINE user id.
    no_line = client.signed_in_as(world.users["CHAIR"])
    refused = await no_line.data(choose, {"input": {"channel": "LINE"}})
    assert refused["notificationPreferencesSet"]["errors"] == [{"code": "INVALID_INPUT"}]


class _CrashAfterData:
    """Hands the e-mail to the server, then the worker dies before recording it."""

    def __init__(self) -> None:
        self.real = mailer()

    async def send(self, message: EmailMessage, *, before_data: Any) -> None:
        await self.real.send(message, before_data=before_data)
        raise asyncio.CancelledError


async def test_a_worker_killed_mid_batch_tells_no_one_twice(smtp: FakeSmtp, line: FakeLine) -> None:
    world = await make_world()
    work = await _draft(world, line=line)
    # A second author chose LINE; the first keeps e-mail.
    second = world.people["พิกุล"]
    second.line_user_id = "U" + "0" * 32
    await second.save()
    await NotificationPreference.create(
        user_id=world.users["SECRETARY"].id, channel=ReminderChannel.LINE
    )
    await WorkAuthor.create(work_id=work.id, person_id=second.id, position=2, name_th="พิกุล")
    await works.act_on_work(
        actor=SYSTEM, work_id=work.id, action=works.WorkAction.RETURN, reason="แก้"
    )
    assert await OutboxMessage.filter(notice_id__isnull=False).count() == 2
    line.faults.slow_seconds = 0.6
    line.faults.script.append("slow")  # LINE takes the push; the answer comes too late

    async with httpx.AsyncClient(timeout=5) as http:
        doomed = Dispatcher(http, FAST, worker_id="doomed", mailer=_CrashAfterData())
        batch = asyncio.create_task(doomed.run_once())
        await asyncio.sleep(0.3)
        batch.cancel()
        with pytest.raises(asyncio.CancelledError):
            await batch
        assert await OutboxMessage.filter(in_doubt=True).count() == 2
        await OutboxMessage.all().update(lease_until=utcnow() - timedelta(seconds=1))
        await drain(http)
        await drain(http)

    assert smtp.recipients() == [EMAIL]
    assert [m["to"] for m in line.accepted.values()] == [second.line_user_id]
    assert line.requests["POST /v2/bot/message/push"] == 2  # the retry was answered 409
    by_channel = {n.channel: n.status for n in await Notice.all()}
    assert by_channel == {
        ReminderChannel.EMAIL: ReminderStatus.IN_DOUBT,
        ReminderChannel.LINE: ReminderStatus.SENT,
    }
    assert await OutboxMessage.filter(status=OutboxStatus.DONE).count() == 2


async def test_the_unsubscribe_link_stops_the_emails(client: GraphQLClient, smtp: FakeSmtp) -> None:
    world = await make_world()
    work = await _draft(world)
    member = world.users["MEMBER"]
    await works.act_on_work(
        actor=SYSTEM, work_id=work.id, action=works.WorkAction.RETURN, reason="แก้"
    )
    async with httpx.AsyncClient(timeout=5) as http:
        await drain(http)
    header = mails(smtp)[0]["List-Unsubscribe"].strip("<>")
    assert header in mails(smtp)[0].get_payload(decode=True).decode()
    link = urlsplit(header)
    assert header.startswith(get_settings().public_base_url)
    path = f"{link.path}?{link.query}"

    page = await client.http.get(path)  # a link checker: nothing changes
    assert page.status_code == 200 and "<form" in page.text
    assert not await NotificationPreference.exists(user_id=member.id)
    forged = await client.http.post(path.replace("token=", "token=1"))
    assert forged.status_code == 400
    other = await client.http.post(path.replace(f"user={member.id}", "user=999999"))
    assert other.status_code == 400
    one_click = await client.http.post(
        path,
        content="List-Unsubscribe=One-Click",
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert one_click.status_code == 200
    assert (await NotificationPreference.get(user_id=member.id)).channel == ReminderChannel.IN_APP
    assert (await client.http.post(path)).status_code == 200  # again: still fine

    await works.act_on_work(actor=SYSTEM, work_id=work.id, action=works.WorkAction.SUBMIT)
    await works.act_on_work(actor=SYSTEM, work_id=work.id, action=works.WorkAction.REGISTER)
    async with httpx.AsyncClient(timeout=5) as http:
        await drain(http)
    assert len(smtp.messages) == 1
    assert len(await told_in_app(member.id)) == 2
    assert (await client.http.get("/notifications/unsubscribe?user=x&token=y")).status_code == 400
