"""Administrators word each event's notices (placeholders checked like the publishing
templates); a daily digest gathers a day's notices into one message; a notice never reveals an
object its reader cannot see."""

from datetime import UTC, datetime

import httpx
import pytest
from tortoise.transactions import in_transaction

from models.notice import Notice, NoticeEvent, NotificationPreference
from models.notification import Notification
from models.reminder import ReminderChannel, ReminderStatus
from models.work import WorkKind
from services import notices, works
from services.actor import SYSTEM
from services.notices.delivery import send_digests
from tests.fakes import FakeSmtp
from tests.helpers import GraphQLClient, assert_forbidden, count_queries, make_user
from tests.notices.outbox import drain, mails, told_in_app
from tests.world import World, make_world

pytestmark = pytest.mark.usefixtures("database")
TEMPLATES = """{ notificationTemplates {
  event placeholders templateTh templateEn defaultTh version } }"""
SET = """mutation($input: NotificationTemplateSetInput!) {
  notificationTemplateSet(input: $input) {
    template { event templateTh templateEn version } errors { code field message } } }"""


async def _work(world: World) -> works.Work:
    author = world.people["กนกานต์"]
    author.email = "kanokan@anamai.moph.go.th"
    await author.save()
    work = await works.create_work(
        actor=SYSTEM,
        unit_id=world.unit.id,
        data=works.WorkData.model_validate(
            {
                "kind": WorkKind.RESEARCH,
                "fiscal_year": 2565,
                "title_th": "ลดหวาน",
                "authors": [{"person_id": author.id, "corresponding": True}],
            }
        ),
    )
    return await works.act_on_work(actor=SYSTEM, work_id=work.id, action=works.WorkAction.SUBMIT)


async def test_administrators_word_the_notices(client: GraphQLClient, smtp: FakeSmtp) -> None:
    world = await make_world()
    admin = client.signed_in_as(await make_user("admin", roles={"ADMIN"}))

    with count_queries() as statements:
        listed = (await admin.data(TEMPLATES))["notificationTemplates"]
    assert len(statements) == 1
    assert [t["event"] for t in listed] == [e.value for e in NoticeEvent]
    returned = next(t for t in listed if t["event"] == "WORK_RETURNED")
    assert returned["placeholders"] == ["title", "registry_number", "reason"]
    assert returned["version"] is None and returned["templateTh"] == returned["defaultTh"]

    unknown = await admin.data(
        SET, {"input": {"event": "WORK_RETURNED", "templateTh": "{title} {secret} {reason"}}
    )
    assert unknown["notificationTemplateSet"]["template"] is None
    [error] = unknown["notificationTemplateSet"]["errors"]
    assert error["code"] == "INVALID_INPUT" and error["field"] == ["input", "templateTh"]
    assert "secret" in error["message"] and "registry_number" in error["message"]
    broken = await admin.data(SET, {"input": {"event": "WORK_RETURNED", "templateEn": "{title"}})
    assert broken["notificationTemplateSet"]["errors"][0]["field"] == ["input", "templateEn"]

    wording = "แจ้ง: {title} ต้องแก้ ({reason})"
    saved = await admin.data(SET, {"input": {"event": "WORK_RETURNED", "templateTh": wording}})
    assert saved["notificationTemplateSet"]["template"]["templateTh"] == wording
    assert saved["notificationTemplateSet"]["template"]["version"] == 1
    for who in ("CHAIR", "MEMBER", "OUTSIDER"):
        assert_forbidden(await client.signed_in_as(world.users[who]).post(TEMPLATES))

    work = await _work(world)
    await works.act_on_work(
        actor=SYSTEM, work_id=work.id, action=works.WorkAction.RETURN, reason="รูปไม่ชัด"
    )
    async with httpx.AsyncClient(timeout=5) as http:
        await drain(http)
    assert await told_in_app(world.users["MEMBER"].id) == ["แจ้ง: ลดหวาน ต้องแก้ (รูปไม่ชัด)"]
    assert "แจ้ง: ลดหวาน" in mails(smtp)[0].get_payload(decode=True).decode()

    reset = await admin.data(SET, {"input": {"event": "WORK_RETURNED", "version": 1}})
    template = reset["notificationTemplateSet"]["template"]
    assert template["version"] is None and template["templateTh"] == returned["defaultTh"]


async def test_a_daily_digest_gathers_the_days_notices(smtp: FakeSmtp) -> None:
    world = await make_world()
    member = world.users["MEMBER"]
    await NotificationPreference.create(
        user_id=member.id, channel=ReminderChannel.EMAIL, digest=True
    )
    work = await _work(world)
    await works.act_on_work(
        actor=SYSTEM, work_id=work.id, action=works.WorkAction.RETURN, reason="แก้"
    )
    await works.act_on_work(actor=SYSTEM, work_id=work.id, action=works.WorkAction.SUBMIT)
    await works.act_on_work(actor=SYSTEM, work_id=work.id, action=works.WorkAction.REGISTER)
    async with httpx.AsyncClient(timeout=5) as http:
        await drain(http)
        assert smtp.messages == []  # waiting for the digest
        before_seven = datetime(2026, 12, 2, 23, 0, tzinfo=UTC)  # 06:00 in Bangkok
        after_seven = datetime(2026, 12, 3, 1, 0, tzinfo=UTC)  # 08:00
        assert await send_digests(now=before_seven) == 1  # the day before's
        assert await send_digests(now=before_seven) == 0
        await drain(http)
        # Told after the day's digest went out: it waits for the next day's.
        second = await _work(world)
        await works.act_on_work(
            actor=SYSTEM, work_id=second.id, action=works.WorkAction.RETURN, reason="ภาพ"
        )
        assert await send_digests(now=before_seven) == 0
        assert await send_digests(now=after_seven) == 1
        await drain(http)

    first, next_day = (m.get_payload(decode=True).decode() for m in mails(smtp))
    registered = await works.Work.get(id=work.id)
    assert "แก้" in first and str(registered.registry_number) in first
    assert "ภาพ" in next_day and "ภาพ" not in first
    assert await Notice.filter(batch_id__isnull=False, status=ReminderStatus.SENT).count() == 3
    assert len(await told_in_app(member.id)) == 3  # the app has each at once


async def test_a_notice_never_reveals_what_its_reader_cannot_see() -> None:
    world = await make_world()
    work = await _work(world)  # in review: its authors and the unit's committee see it
    outsider, member = world.users["OUTSIDER"], world.users["MEMBER"]
    inactive = await make_user("gone")
    inactive.is_active = False
    await inactive.save()
    async with in_transaction() as connection:
        await notices.tell(
            connection,
            NoticeEvent.WORK_RETURNED,
            work,
            actor=SYSTEM,
            users=[outsider.id, member.id, inactive.id, None],
            reason="x",
        )
        # The same change told twice (a retried call): once.
        await notices.tell(
            connection, NoticeEvent.WORK_RETURNED, work, actor=SYSTEM, users=[member.id]
        )
    assert await Notification.filter(message_key="notice").values_list("user_id", flat=True) == [
        member.id
    ]
    assert await Notice.filter(user_id=outsider.id).count() == 0
