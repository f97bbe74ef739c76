"""LIKE Talk Award editions and entries through GraphQL: lifecycle, application form, screening."""

from datetime import UTC, datetime, timedelta

from models.audit import AuditEvent
from models.contest import Contest, ContestStatus, Entry, EntryStatus
from services.actor import SYSTEM
from services.contests import editions, entries
from tests.contest_world import (
    GOOD_ANSWERS,
    contest_data,
    make_contest_world,
    registered_work,
)
from tests.helpers import GraphQLClient, assert_forbidden
from tests.world import gid

CREATE = """mutation($input: ContestCreateInput!) { contestCreate(input: $input) {
    contest { id status version fiscalYear { be } rankingMethod tieBreaks judgesPerEntry
              awardLevels { code } categories { code nameTh }
              criteria { nameTh scaleMin scaleMax scaleStep weight category { code } }
              form { version fields { key kind required choices { value } } } }
    errors { code field message } } }"""

ACTION = """mutation($id: ID!, $version: Int) {
    open: contestOpen(input: {id: $id, version: $version}) {
        contest { status version } errors { code message } } }"""

ENTRY_CREATE = """mutation($input: EntryCreateInput!) { entryCreate(input: $input) {
    entry { id status version formVersion answers work { titleTh } unit { code }
            presenters { firstNameTh } viewerCanSubmit viewerCanWithdraw }
    errors { code field message } } }"""

SUBMIT = """mutation($id: ID!) { entrySubmit(input: {id: $id}) {
    entry { status submittedAt } errors { code field message } } }"""

SCREEN = """mutation($id: ID!, $decision: ScreeningDecision!, $comment: String) {
    entryScreen(input: {id: $id, decision: $decision, comment: $comment}) {
        entry { status screeningComment } errors { code field } } }"""


def _create_input() -> dict[str, object]:
    now = datetime.now(UTC)
    return {
        "fiscalYear": 2566,
        "nameTh": "LIKE Talk Award 2566",
        "opensAt": (now - timedelta(days=1)).isoformat(),
        "closesAt": (now + timedelta(days=1)).isoformat(),
        "changesUntil": (now + timedelta(days=2)).isoformat(),
        "rankingMethod": "NORMALISED",
        "categories": [{"code": "INNO", "nameTh": "นวัตกรรม"}, {"code": "SVC", "nameTh": "บริการ"}],
        "criteria": [
            {"nameTh": "ความคิดสร้างสรรค์", "scaleMax": 10, "weight": 2},
            {"nameTh": "การบริการ", "categoryCode": "SVC", "scaleMin": 1, "scaleMax": 5},
        ],
        "form": [
            {"key": "title", "kind": "TEXT", "labelTh": "ชื่อ", "required": True},
            {
                "key": "kind",
                "kind": "CHOICE",
                "labelTh": "ลักษณะ",
                "choices": [{"value": "A", "labelTh": "ก"}],
            },
        ],
    }


async def test_an_organiser_creates_an_edition_and_opens_it(client: GraphQLClient) -> None:
    cw = await make_contest_world()
    organiser = client.signed_in_as(cw.organiser)

    data = (await organiser.data(CREATE, {"input": _create_input()}))["contestCreate"]

    assert data["errors"] == []
    contest = data["contest"]
    assert contest["status"] == "DRAFT"
    assert contest["fiscalYear"]["be"] == 2566
    assert contest["tieBreaks"] == ["MEDIAN", "FIRST_CRITERION", "EARLIER_SUBMISSION"]
    assert [a["code"] for a in contest["awardLevels"]][:2] == ["GOLD", "SILVER"]
    assert [c["category"] for c in contest["criteria"]] == [None, {"code": "SVC"}]
    assert contest["form"]["version"] == 1
    assert [f["key"] for f in contest["form"]["fields"]] == ["title", "kind"]

    opened = (await organiser.data(ACTION, {"id": contest["id"], "version": 1}))["open"]
    assert opened["contest"] == {"status": "OPEN", "version": 2}
    again = (await organiser.data(ACTION, {"id": contest["id"]}))["open"]
    assert again["errors"][0]["code"] == "INVALID_TRANSITION"
    assert "(ทำได้: ปิด)" in again["errors"][0]["message"]


async def test_bad_editions_are_user_errors(client: GraphQLClient) -> None:
    cw = await make_contest_world()
    organiser = client.signed_in_as(cw.organiser)
    bad = _create_input()
    bad["criteria"] = [{"nameTh": "ก", "scaleMin": 0, "scaleMax": 10, "scaleStep": 3}]
    bad["form"] = [{"key": "Bad Key", "kind": "CHOICE", "labelTh": "x"}]

    errors = (await organiser.data(CREATE, {"input": bad}))["contestCreate"]["errors"]

    assert {e["code"] for e in errors} == {"INVALID_INPUT"}
    assert ["input", "criteria", "0"] in [e["field"] for e in errors]
    duplicate = await organiser.data(CREATE, {"input": {**_create_input(), "fiscalYear": 2565}})
    assert duplicate["contestCreate"]["errors"][0]["code"] == "DUPLICATE"
    assert await Contest.all().count() == 1


async def test_only_organisers_create_editions_and_drafts_are_theirs(
    client: GraphQLClient,
) -> None:
    cw = await make_contest_world()
    await editions.create_contest(actor=SYSTEM, data=contest_data(2566))

    assert_forbidden(
        await cw.world.client(client, "CHAIR").post(CREATE, {"input": _create_input()})
    )
    listed = await cw.world.client(client, "MEMBER").data(
        "{ contests { nodes { fiscalYear { be } } } }"
    )
    assert listed["contests"]["nodes"] == [{"fiscalYear": {"be": 2565}}]
    managed = await client.signed_in_as(cw.manager).data("{ contests { totalCount } }")
    assert managed["contests"]["totalCount"] == 2


async def test_an_author_enters_a_registered_work_and_submits_it(client: GraphQLClient) -> None:
    cw = await make_contest_world()
    work = await registered_work(cw.world.unit, cw.world.people["กนกานต์"], "สวนสุขภาพใจ")
    author = client.signed_in_as(cw.author)
    entry_input = {
        "contest": gid("Contest", cw.contest.id),
        "work": gid("Work", work.id),
        "category": gid("ContestCategory", cw.categories[0].id),
        "presenters": [gid("Person", cw.world.people["กนกานต์"].id)],
        "answers": {"title": "สวน", "budget": 5000},
    }

    created = (await author.data(ENTRY_CREATE, {"input": entry_input}))["entryCreate"]
    # A draft may be incomplete but may not break a rule: budget is at most 1000.
    assert created["errors"][0]["field"] == ["input", "answers", "budget"]
    entry_input["answers"] = {"title": "สวน"}
    created = (await author.data(ENTRY_CREATE, {"input": entry_input}))["entryCreate"]
    assert created["errors"] == []
    entry = created["entry"]
    assert entry["status"] == "DRAFT" and entry["formVersion"] == 1
    assert entry["unit"] == {"code": "OSD"} and entry["work"]["titleTh"] == "สวนสุขภาพใจ"
    assert entry["presenters"] == [{"firstNameTh": "กนกานต์"}]
    assert entry["viewerCanSubmit"] and entry["viewerCanWithdraw"]

    submitted = (await author.data(SUBMIT, {"id": entry["id"]}))["entrySubmit"]
    assert submitted["errors"] == [
        {"code": "INVALID_INPUT", "field": ["input", "answers", "kind"], "message": "จำเป็นต้องระบุ"}
    ]
    updated = await author.data(
        """mutation($input: EntryUpdateInput!) { entryUpdate(input: $input) {
            entry { version answers } errors { code } } }""",
        {
            "input": {
                "id": entry["id"],
                "version": entry["version"],
                "category": entry_input["category"],
                "answers": GOOD_ANSWERS,
            }
        },
    )
    assert updated["entryUpdate"]["entry"]["answers"] == {**GOOD_ANSWERS, "budget": 100.0}
    submitted = (await author.data(SUBMIT, {"id": entry["id"]}))["entrySubmit"]
    assert submitted["errors"] == [] and submitted["entry"]["status"] == "SUBMITTED"

    again = (await author.data(ENTRY_CREATE, {"input": entry_input}))["entryCreate"]
    assert again["errors"][0]["code"] == "DUPLICATE"
    assert await AuditEvent.filter(object_type="Entry", action="entry.submit").count() == 1


async def test_only_registered_works_in_the_window_by_their_authors(
    client: GraphQLClient,
) -> None:
    cw = await make_contest_world()
    work = await registered_work(cw.world.unit, cw.world.people["กนกานต์"])
    entry_input = {
        "contest": gid("Contest", cw.contest.id),
        "work": gid("Work", work.id),
        "category": gid("ContestCategory", cw.categories[0].id),
    }

    outsider = await cw.world.client(client, "OUTSIDER").post(ENTRY_CREATE, {"input": entry_input})
    assert_forbidden(outsider)
    await Contest.filter(id=cw.contest.id).update(
        closes_at=datetime.now(UTC) - timedelta(minutes=1)
    )
    late = await client.signed_in_as(cw.author).data(ENTRY_CREATE, {"input": entry_input})
    assert late["entryCreate"]["errors"][0]["field"] == ["input", "contest"]
    assert await Entry.all().count() == 0


async def test_screening_returns_shortlists_and_the_entrant_resubmits(
    client: GraphQLClient,
) -> None:
    cw = await make_contest_world()
    work = await registered_work(cw.world.unit, cw.world.people["กนกานต์"])
    entry = await entries.create_entry(
        actor=SYSTEM,
        contest_id=cw.contest.id,
        work_id=work.id,
        data=entries.EntryData(category_id=cw.categories[0].id, answers=GOOD_ANSWERS),
    )
    entry = await entries.act_on_entry(
        actor=SYSTEM, entry_id=entry.id, action=entries.EntryAction.SUBMIT
    )
    organiser = client.signed_in_as(cw.organiser)
    author = client.signed_in_as(cw.author)
    entry_id = gid("Entry", entry.id)

    no_comment = await organiser.data(SCREEN, {"id": entry_id, "decision": "RETURNED"})
    assert no_comment["entryScreen"]["errors"] == [
        {"code": "INVALID_INPUT", "field": ["input", "comment"]}
    ]
    assert_forbidden(await author.post(SCREEN, {"id": entry_id, "decision": "SHORTLISTED"}))
    returned = await organiser.data(
        SCREEN, {"id": entry_id, "decision": "RETURNED", "comment": "ขอรายละเอียดเพิ่ม"}
    )
    assert returned["entryScreen"]["entry"] == {
        "status": "RETURNED",
        "screeningComment": "ขอรายละเอียดเพิ่ม",
    }
    resubmitted = await author.data(SUBMIT, {"id": entry_id})
    assert resubmitted["entrySubmit"]["entry"]["status"] == "SUBMITTED"
    shortlisted = await organiser.data(SCREEN, {"id": entry_id, "decision": "SHORTLISTED"})
    assert shortlisted["entryScreen"]["entry"]["status"] == "SHORTLISTED"
    twice = await organiser.data(SCREEN, {"id": entry_id, "decision": "SHORTLISTED"})
    assert twice["entryScreen"]["errors"][0]["code"] == "INVALID_TRANSITION"
    withdrawn = await author.data(
        "mutation($id: ID!) { entryWithdraw(input: {id: $id}) { entry { status } } }",
        {"id": entry_id},
    )
    assert withdrawn["entryWithdraw"]["entry"]["status"] == "WITHDRAWN"
    events = (
        await AuditEvent.filter(object_type="Entry").order_by("id").values_list("action", flat=True)
    )
    assert events == [
        "entry.create",
        "entry.submit",
        "entry.return",
        "entry.submit",
        "entry.shortlist",
        "entry.withdraw",
    ]
    assert (await Entry.get(id=entry.id)).status == EntryStatus.WITHDRAWN
    assert (await Contest.get(id=cw.contest.id)).status == ContestStatus.OPEN


async def test_a_new_form_version_leaves_entries_on_theirs(client: GraphQLClient) -> None:
    cw = await make_contest_world()
    work = await registered_work(cw.world.unit, cw.world.people["กนกานต์"])
    entry = await entries.create_entry(
        actor=SYSTEM,
        contest_id=cw.contest.id,
        work_id=work.id,
        data=entries.EntryData(category_id=cw.categories[0].id, answers={"title": "x"}),
    )

    revised = await client.signed_in_as(cw.organiser).data(
        """mutation($id: ID!) { contestFormRevise(input: {id: $id, form: [
            {key: "summary", kind: LONG_TEXT, labelTh: "สรุป", required: true}]}) {
            form { version fields { key } } errors { code } } }""",
        {"id": gid("Contest", cw.contest.id)},
    )

    assert revised["contestFormRevise"]["form"] == {"version": 2, "fields": [{"key": "summary"}]}
    body = await client.signed_in_as(cw.author).data(
        "query($id: ID!) { node(id: $id) { ... on Entry { formVersion } } }",
        {"id": gid("Entry", entry.id)},
    )
    assert body["node"] == {"formVersion": 1}


async def test_stale_and_late_changes_and_bad_answers_are_user_errors(
    client: GraphQLClient,
) -> None:
    cw = await make_contest_world()
    work = await registered_work(cw.world.unit, cw.world.people["กนกานต์"])
    entry = await entries.create_entry(
        actor=SYSTEM,
        contest_id=cw.contest.id,
        work_id=work.id,
        data=entries.EntryData(category_id=cw.categories[0].id, answers={"title": "x"}),
    )
    author = client.signed_in_as(cw.author)
    update = """mutation($input: EntryUpdateInput!) { entryUpdate(input: $input) {
        entry { version } errors { code field } } }"""
    base = {
        "id": gid("Entry", entry.id),
        "version": 1,
        "category": gid("ContestCategory", cw.categories[1].id),
    }

    not_object = await author.data(update, {"input": {**base, "answers": ["x"]}})
    assert not_object["entryUpdate"]["errors"][0]["field"] == ["input", "answers"]
    moved = await author.data(update, {"input": {**base, "answers": {"title": "y"}}})
    assert moved["entryUpdate"]["entry"] == {"version": 2}
    stale = await author.data(update, {"input": base})
    assert stale["entryUpdate"]["errors"] == [
        {"code": "STALE_VERSION", "field": ["input", "version"]}
    ]
    await Contest.filter(id=cw.contest.id).update(
        changes_until=datetime.now(UTC) - timedelta(seconds=1),
        closes_at=datetime.now(UTC) - timedelta(seconds=2),
    )
    late = await author.data(update, {"input": {**base, "version": 2}})
    assert late["entryUpdate"]["errors"][0]["code"] == "INVALID_INPUT"
    stale_contest = await client.signed_in_as(cw.organiser).data(
        ACTION, {"id": gid("Contest", cw.contest.id), "version": 1}
    )
    assert stale_contest["open"]["errors"][0]["code"] == "STALE_VERSION"
    assert (await Entry.get(id=entry.id)).answers == {"title": "y"}


async def test_entrants_count_only_what_they_may_see(client: GraphQLClient) -> None:
    cw = await make_contest_world()
    for title in ("ก", "ข"):
        work = await registered_work(cw.world.unit, cw.world.people["กนกานต์"], title)
        await entries.create_entry(
            actor=SYSTEM,
            contest_id=cw.contest.id,
            work_id=work.id,
            data=entries.EntryData(category_id=cw.categories[0].id),
        )
    query = """query($id: ID!) { node(id: $id) { ... on Contest {
        entries { totalCount nodes { work { titleTh } } } } } }"""
    contest_id = gid("Contest", cw.contest.id)

    author = await client.signed_in_as(cw.author).data(query, {"id": contest_id})
    outsider = await cw.world.client(client, "OUTSIDER").data(query, {"id": contest_id})

    assert author["node"]["entries"]["totalCount"] == 2
    assert len(author["node"]["entries"]["nodes"]) == 2
    assert outsider["node"]["entries"] == {"totalCount": 0, "nodes": []}


async def test_an_organiser_closes_the_call_and_starts_judging(client: GraphQLClient) -> None:
    cw = await make_contest_world()
    organiser = client.signed_in_as(cw.organiser)
    steps = """mutation($id: ID!) {
        close: contestClose(input: {id: $id}) { contest { status } errors { code } }
        judge: contestJudgingStart(input: {id: $id}) { contest { status } errors { code } }
        again: contestClose(input: {id: $id}) { contest { status } errors { code message } } }"""

    body = await organiser.with_headers(**{"accept-language": "en"}).data(
        steps, {"id": gid("Contest", cw.contest.id)}
    )

    assert body["close"]["contest"] == {"status": "CLOSED"}
    assert body["judge"]["contest"] == {"status": "JUDGING"}
    assert body["again"]["errors"][0]["code"] == "INVALID_TRANSITION"
    assert "PUBLISH_RESULTS" in body["again"]["errors"][0]["message"]
    events = (
        await AuditEvent.filter(object_type="Contest")
        .order_by("id")
        .values_list("action", "actor_id")
    )
    assert events[-2:] == [
        ("contest.close", cw.organiser.id),
        ("contest.startJudging", cw.organiser.id),
    ]
