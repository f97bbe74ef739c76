"""The LIKE Talk Award tells entrants of their entries' screening, presentation and — only when
the results are published — their award or none; a judge of each assignment and reopened sheet;
the judges of the results. No one hears of an entry they may not see."""

from collections import Counter

import httpx
import pytest

from models.contest import Entry, ScoreSheet
from models.notice import NoticeEvent
from models.notification import Notification
from models.user import Role
from services.actor import SYSTEM, Actor
from services.contests import assignments, entries, judging
from services.contests.entries import EntryAction
from tests.contest_world import (
    GOOD_ANSWERS,
    ContestWorld,
    make_contest_world,
    registered_work,
    shortlisted_entry,
    start_judging,
)
from tests.fakes import FakeSmtp
from tests.helpers import GraphQLClient
from tests.notices.outbox import drain, events_told, told_in_app
from tests.world import gid

pytestmark = pytest.mark.usefixtures("database")
SCREEN = (
    """mutation($input: EntryScreenInput!) { entryScreen(input: $input) { errors { code } } }"""
)
E = NoticeEvent


async def _submitted(cw: ContestWorld, title: str) -> Entry:
    work = await registered_work(cw.world.unit, cw.world.people["กนกานต์"], title)
    entry = await entries.create_entry(
        actor=SYSTEM,
        contest_id=cw.contest.id,
        work_id=work.id,
        data=entries.EntryData(category_id=cw.categories[0].id, answers=GOOD_ANSWERS),
    )
    return await entries.act_on_entry(actor=SYSTEM, entry_id=entry.id, action=EntryAction.SUBMIT)


async def _score(cw: ContestWorld, judge: int, entry: Entry) -> ScoreSheet:
    values = [judging.ScoreData(criterion_id=c.id, value=c.scale_max) for c in cw.criteria]
    return await judging.score(
        actor=Actor(user_id=judge), entry_id=entry.id, scores=values, submit=True
    )


async def test_entrants_and_judges_hear_of_each_step_once(
    client: GraphQLClient, smtp: FakeSmtp
) -> None:
    cw = await make_contest_world()
    cw.world.people["กนกานต์"].email = "kanokan@anamai.moph.go.th"
    await cw.world.people["กนกานต์"].save()
    entrant = cw.author.id
    organiser = client.signed_in_as(cw.organiser)
    judge = cw.judges["judge_hpc"]

    winner = await shortlisted_entry(cw, "สวนสุขภาพ")
    runner_up = await shortlisted_entry(cw, "ลานกีฬา")
    for title, decision in (("ลดหวาน", "RETURNED"), ("ลดเค็ม", "NOT_SHORTLISTED")):
        entry = await _submitted(cw, title)
        screened = await organiser.data(
            SCREEN,
            {"input": {"id": gid("Entry", entry.id), "decision": decision, "comment": "ขาดข้อมูล"}},
        )
        assert screened["entryScreen"]["errors"] == []
    await start_judging(cw)
    await assignments.assign(
        actor=Actor(user_id=cw.organiser.id, roles=frozenset({Role.CONTEST_ORGANISER})),
        contest_id=cw.contest.id,
        judge_ids=[judge.id],
        entry_ids=[winner.id],
    )
    # Before the results, entrants are told of screening and presentation only.
    await entries.act_on_entry(actor=SYSTEM, entry_id=winner.id, action=EntryAction.PRESENT)
    sheet = await _score(cw, judge.id, winner)
    await judging.reopen(actor=SYSTEM, sheet_id=sheet.id, reason="คะแนนผิด")
    await _score(cw, judge.id, winner)
    assert not any("รางวัล" in t for t in await told_in_app(entrant))
    level = cw.contest.award_levels[0]
    await judging.decide_award(actor=SYSTEM, entry_id=winner.id, level=level["code"])
    assert await events_told(entrant) == Counter(
        {
            E.WORK_REGISTERED: 4,
            E.ENTRY_SUBMITTED: 4,
            E.ENTRY_SHORTLISTED: 2,
            E.ENTRY_RETURNED: 1,
            E.ENTRY_SCREENED_OUT: 1,
            E.ENTRY_PRESENTED: 1,
        }
    )
    await judging.publish_results(actor=SYSTEM, contest_id=cw.contest.id)
    async with httpx.AsyncClient(timeout=5) as http:
        await drain(http)
        await drain(http)

    told = await events_told(entrant)
    assert (told[E.ENTRY_AWARDED], told[E.ENTRY_NOT_AWARDED]) == (1, 1)
    texts = await told_in_app(entrant)
    assert any(level["label_th"] in t and "สวนสุขภาพ" in t for t in texts)
    assert any("ลานกีฬา" in t and "ไม่ได้รับรางวัล" in t for t in texts)
    assert sum("ขาดข้อมูล" in t for t in texts) == 2
    assert len(texts) == sum(told.values())  # in the app as often as by e-mail
    assert len(smtp.messages) == sum(told.values())
    assert await told_in_app(judge.id) == [
        f"ท่านได้รับมอบหมายให้ประเมินผลงาน สวนสุขภาพ ใน {cw.contest.name_th}",
        f"ใบให้คะแนนผลงาน สวนสุขภาพ ใน {cw.contest.name_th} ถูกเปิดให้แก้ไขอีกครั้ง: คะแนนผิด",
        f"ประกาศผลการประกวด {cw.contest.name_th} แล้ว",
    ]
    # Judges not assigned hear nothing; the runner-up's entrant alone hears of it.
    for other in ("judge_third", "judge_osd", "judge_free"):
        assert await Notification.filter(user_id=cw.judges[other].id).count() == 0
    assert runner_up.id in {
        n.subject_id for n in await Notification.filter(user_id=entrant, subject_type="Entry")
    }
