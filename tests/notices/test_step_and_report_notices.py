"""Those responsible for a cycle step hear that they were named and that it started, was
completed or reopened; a unit's chair and secretary that a progress report waits for DOC 4.0,
and its reporters that it was recorded there — once each, in the app and by e-mail."""

from collections import Counter
from datetime import date

import httpx
import pytest

from models.notice import NoticeEvent as E
from models.notification import Notification
from models.plan import PlanKind
from services import clock, reports
from tests.cycles.test_kpi import finish
from tests.fakes import FakeSmtp
from tests.helpers import GraphQLClient
from tests.notices.outbox import drain, events_told, mails, told_in_app
from tests.plans_world import actor, approved_plan
from tests.world import World, gid, make_world

pytestmark = pytest.mark.usefixtures("database")
STEP = """mutation($input: CycleStepActionInput!) {
  start: cycleStepStart(input: $input) { errors { code } } }"""
COMPLETE = """mutation($input: CycleStepActionInput!) {
  cycleStepComplete(input: $input) { errors { code } } }"""
REOPEN = """mutation($input: CycleStepActionInput!) {
  cycleStepReopen(input: $input) { errors { code } } }"""
ASSIGN = """mutation($input: CycleStepAssignInput!) {
  cycleStepAssign(input: $input) { step { version } errors { code } } }"""


async def _emails(world: World) -> None:
    for person in world.people.values():
        if person.user_id:
            person.email = f"{person.user_id}@anamai.moph.go.th"
            await person.save()


async def test_those_responsible_hear_of_their_step(client: GraphQLClient, smtp: FakeSmtp) -> None:
    world = await make_world()
    await _emails(world)
    step = await world.step(2)
    chair = client.signed_in_as(world.users["CHAIR"])
    secretary, member = world.users["SECRETARY"], world.users["MEMBER"]
    step_id = gid("CycleStep", step.id)

    version = step.version
    # Someone without an account first; then the secretary, named anew; then the same again.
    for name in ("กัญญาดา", "พิกุล", "พิกุล"):
        named = await chair.data(
            ASSIGN,
            {
                "input": {
                    "id": step_id,
                    "version": version,
                    "responsible": [gid("Person", world.people[name].id)],
                }
            },
        )
        assert named["cycleStepAssign"]["errors"] == []
        version = named["cycleStepAssign"]["step"]["version"]
    for document, extra in (
        (STEP, {}),
        (COMPLETE, {"overrideMissingDocuments": True, "reason": "ส่งภายหลัง"}),
        (REOPEN, {"reason": "ต้องแก้รายงาน"}),
    ):
        body = await chair.post(document, {"input": {"id": step_id, **extra}})
        assert not body.get("errors") and all(v["errors"] == [] for v in body["data"].values())
    async with httpx.AsyncClient(timeout=5) as http:
        await drain(http)
        await drain(http)

    assert await events_told(secretary.id) == Counter(
        {E.STEP_RESPONSIBLE: 1, E.STEP_STARTED: 1, E.STEP_COMPLETED: 1, E.STEP_REOPENED: 1}
    )
    texts = await told_in_app(secretary.id)
    assert len(texts) == 4 and "ต้องแก้รายงาน" in texts[3] and texts[0].startswith("ท่าน")
    assert smtp.recipients() == [f"{secretary.id}@anamai.moph.go.th"] * 4
    # The chair made the changes; the member is not responsible for the step.
    for user in (world.users["CHAIR"], member):
        assert await Notification.filter(user_id=user.id, message_key="notice").count() == 0


async def test_a_progress_report_is_told_to_who_records_it_then_to_its_reporters(
    smtp: FakeSmtp, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(clock, "today", lambda: date(2022, 10, 15))
    world = await make_world()
    await _emails(world)
    assert world.cycle
    await approved_plan(world, PlanKind.ACTION_PLAN)
    await finish(world, 1, 2, on=date(2021, 10, 20))
    report = await reports.create_progress_report(
        actor=actor(world, "MEMBER"), cycle_id=world.cycle.id, round_=reports.ReportRound.M5
    )
    report = await reports.submit_progress_report(
        actor=actor(world, "SECRETARY"), report_id=report.id, version=report.version
    )
    await reports.record_doc(
        actor=actor(world, "CHAIR"),
        report_id=report.id,
        version=report.version,
        reference="สลก. 0301/123",
        reported_on=date(2022, 10, 15),
    )
    async with httpx.AsyncClient(timeout=5) as http:
        await drain(http)

    # (Steps the plans and the report completed are told too: only the reports' counted here.)
    told = {
        who: Counter(
            {e: n for e, n in (await events_told(world.users[who].id)).items() if "REPORT" in e}
        )
        for who in world.users
    }
    assert told["CHAIR"] == Counter({E.REPORT_SUBMITTED: 1})
    assert told["SECRETARY"] == Counter({E.REPORT_RECORDED: 1})
    assert told["MEMBER"] == Counter({E.REPORT_RECORDED: 1})
    assert told["OUTSIDER"] == told["APPROVER"] == Counter()
    assert any("สลก. 0301/123" in t for t in await told_in_app(world.users["MEMBER"].id))
    report_mails = [m for m in mails(smtp) if "DOC 4.0" in m.get_payload(decode=True).decode()]
    assert len(report_mails) == 3
