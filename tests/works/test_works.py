"""The works registry: drafts, review, registration numbers, visibility and Thai search."""

import base64

import pytest
from tortoise import connections

from models.plan import Activity
from models.work import Work, WorkKind
from services import works
from services.actor import SYSTEM, Actor
from services.search import normalise, rebuild_search_text
from tests.helpers import GraphQLClient, assert_forbidden, count_queries
from tests.plans_world import draft_plan
from tests.world import World, gid, make_world

CREATE = """mutation Create($input: WorkCreateInput!) { workCreate(input: $input) {
    work { id status version registryNumber titleTh fiscalYear kind keywords
           authors { position nameTh corresponding person { firstNameTh } }
           viewerCanEdit viewerCanSubmit viewerCanRegister }
    errors { code field message } } }"""
ACT = """mutation Act($input: WorkActionInput!) {
    submit: workSubmit(input: $input) { work { status version } errors { code message } } }"""
RETURN = """mutation Act($input: WorkActionInput!) {
    workReturn(input: $input) { work { status statusReason } errors { code field } } }"""
REGISTER = """mutation Act($input: WorkActionInput!) {
    workRegister(input: $input) { work { status registryNumber } errors { code message } } }"""
UPDATE = """mutation Update($input: WorkUpdateInput!) { workUpdate(input: $input) {
    work { titleTh version } errors { code field } } }"""
SEARCH = """query Search($search: String, $filter: WorkFilter) {
    works(search: $search, filter: $filter, first: 50) { totalCount nodes { titleTh } } }"""


def _input(world: World, **changes: object) -> dict[str, object]:
    return {"unit": gid("Unit", world.unit.id), **_fields(world, **changes)}


def _fields(world: World, **changes: object) -> dict[str, object]:
    return {
        "kind": "INNOVATION",
        "fiscalYear": 2565,
        "titleTh": "ระบบจองห้องประชุมออนไลน์",
        "abstractTh": "ลดเวลาการจองห้องประชุม",
        "keywords": ["การจอง", "ห้องประชุม"],
        "authors": [
            {"person": gid("Person", world.people["กนกานต์"].id), "corresponding": True},
            {"nameTh": "นายภายนอก ร่วมงาน", "affiliation": "มหาวิทยาลัยมหิดล"},
        ],
        **changes,
    }


async def test_an_author_drafts_submits_and_the_committee_registers_with_a_number(
    client: GraphQLClient,
) -> None:
    world = await make_world(with_cycle=False)
    member = world.client(client, "MEMBER")

    created = (await member.data(CREATE, {"input": _input(world)}))["workCreate"]
    assert created["errors"] == []
    work = created["work"]
    assert work["status"] == "DRAFT" and work["registryNumber"] is None
    assert [a["nameTh"] for a in work["authors"]] == ["นางสาวกนกานต์ ทดสอบ", "นายภายนอก ร่วมงาน"]
    assert work["viewerCanEdit"] and work["viewerCanSubmit"] and not work["viewerCanRegister"]

    submitted = await member.data(ACT, {"input": {"id": work["id"], "version": 1}})
    assert submitted["submit"]["work"] == {"status": "IN_REVIEW", "version": 2}

    chair = world.client(client, "CHAIR")
    returned = await chair.data(RETURN, {"input": {"id": work["id"]}})
    assert returned["workReturn"]["errors"][0]["code"] == "INVALID_INPUT"  # needs a reason
    returned = await chair.data(RETURN, {"input": {"id": work["id"], "reason": "เพิ่มบทคัดย่อ"}})
    assert returned["workReturn"]["work"]["status"] == "RETURNED"

    stale = await member.data(UPDATE, {"input": {**_fields(world), "id": work["id"], "version": 1}})
    assert stale["workUpdate"]["errors"][0]["code"] == "STALE_VERSION"
    edited = await member.data(
        UPDATE, {"input": {**_fields(world, titleTh="ระบบจองห้อง"), "id": work["id"], "version": 3}}
    )
    assert edited["workUpdate"]["work"] == {"titleTh": "ระบบจองห้อง", "version": 4}
    await member.data(ACT, {"input": {"id": work["id"]}})

    registered = await chair.data(REGISTER, {"input": {"id": work["id"]}})
    assert registered["workRegister"]["work"] == {
        "status": "REGISTERED",
        "registryNumber": "LO-2565-0001",
    }
    again = await chair.data(REGISTER, {"input": {"id": work["id"]}})
    error = again["workRegister"]["errors"][0]
    assert error["code"] == "INVALID_TRANSITION" and "เผยแพร่" in error["message"]
    # Refused, with the work as it is for the client to refresh.
    assert again["workRegister"]["work"] == registered["workRegister"]["work"]


async def test_registry_numbers_count_per_year_and_are_never_reused(client: GraphQLClient) -> None:
    world = await make_world(with_cycle=False)
    numbers = []
    for year in (2565, 2565, 2566, 2565):
        work = await _registered(world, fiscal_year=year)
        numbers.append(work.registry_number)
    archived = await works.act_on_work(
        actor=SYSTEM,
        work_id=(await Work.get(registry_number="LO-2565-0003")).id,
        action=works.WorkAction.ARCHIVE,
        reason="ซ้ำ",
    )
    later = await _registered(world, fiscal_year=2565)

    assert numbers == ["LO-2565-0001", "LO-2565-0002", "LO-2566-0001", "LO-2565-0003"]
    assert archived.registry_number == "LO-2565-0003"
    assert later.registry_number == "LO-2565-0004"


async def test_drafts_are_for_their_authors_and_the_committee(client: GraphQLClient) -> None:
    world = await make_world(with_cycle=False)
    await works.create_work(
        actor=SYSTEM, unit_id=world.unit.id, data=_data(world, title_th="ร่างลับ")
    )
    await _registered(world, title_th="ผลงานขึ้นทะเบียน")

    outsider = await world.client(client, "OUTSIDER").data(SEARCH)
    chair = await world.client(client, "CHAIR").data(SEARCH)

    assert [n["titleTh"] for n in outsider["works"]["nodes"]] == ["ผลงานขึ้นทะเบียน"]
    assert sorted(n["titleTh"] for n in chair["works"]["nodes"]) == ["ผลงานขึ้นทะเบียน", "ร่างลับ"]


async def test_only_the_committee_registers(client: GraphQLClient) -> None:
    world = await make_world(with_cycle=False)
    work = await works.create_work(actor=SYSTEM, unit_id=world.unit.id, data=_data(world))
    await works.act_on_work(actor=SYSTEM, work_id=work.id, action=works.WorkAction.SUBMIT)

    body = await world.client(client, "OUTSIDER").post(
        REGISTER, {"input": {"id": gid("Work", work.id)}}
    )

    assert_forbidden(body)


@pytest.mark.parametrize(
    ("authors", "code"),
    [
        ([{"nameTh": "ก"}], "INVALID_INPUT"),  # nobody corresponding
        ([{"affiliation": "x", "corresponding": True}], "INVALID_INPUT"),  # outsider without name
        ([], "INVALID_INPUT"),
    ],
)
async def test_bad_authors_are_user_errors(
    client: GraphQLClient, authors: list[dict[str, object]], code: str
) -> None:
    world = await make_world(with_cycle=False)

    body = await world.client(client, "MEMBER").data(
        CREATE, {"input": _input(world, authors=authors)}
    )

    assert body["workCreate"]["work"] is None
    assert body["workCreate"]["errors"][0]["code"] == code


# -- Thai search ---------------------------------------------------------------------------


def test_normalisation_makes_typed_variants_equal() -> None:
    assert normalise("ปี ๒๕๖๕") == "ปี 2565"
    assert normalise("น\u0e4d\u0e32") == normalise("นำ")
    assert normalise("  LO  Hub\x00 ") == "lo hub"


async def test_thai_search_finds_words_inside_longer_words(client: GraphQLClient) -> None:
    world = await make_world(with_cycle=False)
    await _registered(world, title_th="คู่มือการส่งเสริมสุขภาพของกรมอนามัย")
    await _registered(world, title_th="ชุมชนแห่งการเรียนรู้ในองค์กร")
    await _registered(world, title_th="ระบบสารสนเทศ", keywords=["การเรียนรู้"])
    await _registered(world, title_th="งานอื่น ๒๕๖๕", abstract_th="ไม่เกี่ยวข้อง")
    member = world.client(client, "OUTSIDER")

    async def titles(search: str) -> list[str]:
        body = await member.data(SEARCH, {"search": search})
        return [n["titleTh"] for n in body["works"]["nodes"]]

    assert await titles("อนามัย") == ["คู่มือการส่งเสริมสุขภาพของกรมอนามัย"]
    # title matches rank above keyword matches
    assert await titles("เรียนรู้") == ["ชุมชนแห่งการเรียนรู้ในองค์กร", "ระบบสารสนเทศ"]
    assert await titles("2565") == ["งานอื่น ๒๕๖๕"]  # Thai digits match ASCII ones
    assert await titles("งา") == ["งานอื่น ๒๕๖๕"]  # under three code points: LIKE
    assert await titles("ไม่มีคำนี้") == []
    assert await titles("100% _") == []


def test_full_width_forms_pasted_from_word_normalise_to_ascii_and_thai_is_unchanged() -> None:
    assert normalise("ＰＩＲＡＢ ２５６５") == normalise("PIRAB 2565") == "pirab 2565"
    thai = "การจัดการความรู้ของกรมอนามัย น้ำ ทำ"
    assert normalise(thai) == thai  # NFKC splits sara am; it is written back as one letter


async def test_full_width_searches_find_what_ascii_finds(client: GraphQLClient) -> None:
    world = await make_world(with_cycle=False)
    await _registered(world, title_th="มาตรการ PIRAB ปี 2565")
    await _registered(world, title_th="ＬＯ Ｈｕｂ ค้นหาได้")
    member = world.client(client, "OUTSIDER")

    async def titles(search: str) -> list[str]:
        body = await member.data(SEARCH, {"search": search})
        return [n["titleTh"] for n in body["works"]["nodes"]]

    assert await titles("ＰＩＲＡＢ") == await titles("PIRAB") == ["มาตรการ PIRAB ปี 2565"]
    assert await titles("２５６５") == ["มาตรการ PIRAB ปี 2565"]
    assert await titles("lo hub") == ["ＬＯ Ｈｕｂ ค้นหาได้"]


async def test_rebuilding_the_index_normalises_works_stored_before(database: str) -> None:
    """Works indexed before NFKC are found once migration 0013 rebuilds their text."""
    world = await make_world(with_cycle=False)
    work = await _registered(world, title_th="ＰＩＲＡＢ เก่า")
    await Work.filter(id=work.id).update(search_text="ｐｉｒａｂ เก่า")  # as NFC indexed it

    await rebuild_search_text(connections.get("default"))

    assert (await Work.get(id=work.id)).search_text.startswith("pirab เก่า")


async def test_quotes_and_search_syntax_are_just_text(client: GraphQLClient) -> None:
    world = await make_world(with_cycle=False)
    await _registered(world, title_th='คู่มือ O\'Reilly "ฉบับพิเศษ" 50%')
    member = world.client(client, "OUTSIDER")

    async def titles(search: str) -> list[str]:
        body = await member.data(SEARCH, {"search": search})
        return [n["titleTh"] for n in body["works"]["nodes"]]

    found = ['คู่มือ O\'Reilly "ฉบับพิเศษ" 50%']
    assert await titles("o'reilly") == found
    assert await titles('"ฉบับพิเศษ"') == found
    assert await titles("50%") == found
    assert await titles("'") == found
    for syntax in ('"', "*", "NEAR(a b)", "a OR b", "'; DROP TABLE work; --", "\\"):
        assert await titles(syntax) == [] or syntax in ('"', "'")
    assert await Work.all().count() == 1


async def test_search_combines_with_filters(client: GraphQLClient) -> None:
    world = await make_world(with_cycle=False)
    await _registered(world, title_th="การเรียนรู้ 1", fiscal_year=2565)
    await _registered(world, title_th="การเรียนรู้ 2", fiscal_year=2566, kind=WorkKind.RESEARCH)

    body = await world.client(client, "CHAIR").data(
        SEARCH,
        {"search": "เรียนรู้", "filter": {"fiscalYear": 2566, "kinds": ["RESEARCH"]}},
    )

    assert body["works"]["totalCount"] == 1
    assert body["works"]["nodes"] == [{"titleTh": "การเรียนรู้ 2"}]


@pytest.mark.parametrize("search", ["", "   ", "ก" * 10_000])
async def test_empty_or_huge_searches_are_typed_errors(client: GraphQLClient, search: str) -> None:
    world = await make_world(with_cycle=False)

    body = await world.client(client, "CHAIR").post(SEARCH, {"search": search})

    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


def _data(world: World, **changes: object) -> works.WorkData:
    fields: dict[str, object] = {
        "kind": WorkKind.ACADEMIC,
        "fiscal_year": 2565,
        "title_th": "ผลงาน",
        "authors": [works.AuthorData(person_id=world.people["กนกานต์"].id, corresponding=True)],
        **changes,
    }
    return works.WorkData.model_validate(fields)


async def _registered(world: World, **changes: object) -> Work:
    work = await works.create_work(
        actor=SYSTEM, unit_id=world.unit.id, data=_data(world, **changes)
    )
    await works.act_on_work(actor=SYSTEM, work_id=work.id, action=works.WorkAction.SUBMIT)
    return await works.act_on_work(actor=SYSTEM, work_id=work.id, action=works.WorkAction.REGISTER)


LIST = """query Page($first: Int, $search: String) { works(first: $first, search: $search) {
    totalCount nodes {
        registryNumber unit { code } authors { nameTh person { firstNameTh unit { code } } }
        files { kind version }
        knowledgeTopics { titleTh } activities { titleTh plan { kind } }
        publications { channel status externalUrl }
        viewerCanEdit viewerCanSubmit viewerCanRegister viewerCanPublish viewerCanArchive
} } }"""


@pytest.mark.parametrize("search", [None, "ผลงาน"])
async def test_the_works_list_runs_fixed_sql_whatever_the_page_size(
    client: GraphQLClient, search: str | None
) -> None:
    world = await make_world()
    plan = await draft_plan(world, activity_titles=("หนึ่ง", "สอง"))
    linked = await Activity.filter(plan_id=plan.id).values_list("id", flat=True)
    for n in range(5):
        await _registered(world, title_th=f"ผลงาน {n}", activity_ids=linked)
    chair = world.client(client, "CHAIR")

    with count_queries() as two:
        small = await chair.data(LIST, {"first": 2, "search": search})
    with count_queries() as five:
        large = await chair.data(LIST, {"first": 5, "search": search})

    assert len(small["works"]["nodes"]) == 2
    assert len(large["works"]["nodes"]) == 5
    assert len(two) == len(five), five


async def test_start_up_says_clearly_when_postgres_cannot_index_thai(
    database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from services import search

    assert await search.check_postgres_ctype() is None  # the test database is UTF-8

    class Capabilities:
        dialect = "postgres"

    class CLocaleDatabase:
        capabilities = Capabilities()

        async def execute_query_dict(self, sql: str) -> list[dict[str, str]]:
            return [{"datctype": "C"}]

    class Connections:
        def get(self, name: str) -> CLocaleDatabase:
            return CLocaleDatabase()

    monkeypatch.setattr(search, "connections", Connections())
    warning = await search.check_postgres_ctype()

    assert warning and "LC_CTYPE is 'C', not UTF-8" in warning


# -- files -----------------------------------------------------------------------------------

FILE_ADD = """mutation Add($input: WorkFileAddInput!) { workFileAdd(input: $input) {
    file { kind version filename contentType size url } errors { code field message } } }"""
FILES = """query Files($id: ID!) { node(id: $id) { ... on Work {
    all: files { kind version } latest: files(latestOnly: true) { id kind version downloadUrl }
} } }"""
NODE_KIND = "query N($id: ID!) { node(id: $id) { ... on WorkFile { kind version } } }"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


async def _add_file(
    client: GraphQLClient, variables: dict[str, object], data: bytes, name: str, kind: str
) -> dict[str, object]:
    import json

    operations = {"query": FILE_ADD, "variables": {"input": {**variables, "file": None}}}
    response = await client.http.post(
        "/graphql",
        data={
            "operations": json.dumps(operations),
            "map": json.dumps({"0": ["variables.input.file"]}),
        },
        files={"0": (name, data, kind)},
        headers={**client.headers, "GraphQL-Require-Preflight": "1"},
    )
    assert response.status_code == 200, response.text
    return response.json()["data"]["workFileAdd"]


async def test_files_are_versioned_per_kind_and_must_suit_it(client: GraphQLClient) -> None:
    world = await make_world(with_cycle=False)
    work = await works.create_work(
        actor=Actor(user_id=world.users["MEMBER"].id), unit_id=world.unit.id, data=_data(world)
    )
    member = world.client(client, "MEMBER")
    target = {"work": gid("Work", work.id)}

    first = await _add_file(member, {**target, "kind": "POSTER"}, PNG, "poster.png", "image/png")
    second = await _add_file(member, {**target, "kind": "POSTER"}, PNG, "poster2.png", "image/png")
    wrong_kind = await _add_file(
        member, {**target, "kind": "FULL_TEXT"}, PNG, "paper.png", "image/png"
    )
    forbidden = await _add_file(
        member, {**target, "kind": "FULL_TEXT"}, b"MZ\x90\x00" * 40, "x.exe", ""
    )
    video = await member.data(
        FILE_ADD,
        {"input": {**target, "kind": "VIDEO_LINK", "url": "https://www.youtube.com/watch?v=abc"}},
    )
    bad_video = await member.data(
        FILE_ADD, {"input": {**target, "kind": "VIDEO_LINK", "url": "javascript:alert(1)"}}
    )

    assert first["file"] == {
        "kind": "POSTER",
        "version": 1,
        "filename": "poster.png",
        "contentType": "image/png",
        "size": len(PNG),
        "url": None,
    }
    assert second["file"]["version"] == 2  # type: ignore[index]
    assert wrong_kind["errors"][0]["code"] == "INVALID_INPUT"  # type: ignore[index]
    assert forbidden["errors"][0]["code"] == "INVALID_INPUT"  # type: ignore[index]
    assert video["workFileAdd"]["file"]["url"] == "https://www.youtube.com/watch?v=abc"
    assert bad_video["workFileAdd"]["errors"][0]["field"] == ["input", "url"]
    listed = (await member.data(FILES, {"id": gid("Work", work.id)}))["node"]
    assert [f["version"] for f in listed["all"] if f["kind"] == "POSTER"] == [1, 2]
    assert {(f["kind"], f["version"]) for f in listed["latest"]} == {
        ("POSTER", 2),
        ("VIDEO_LINK", 1),
    }
    links = {f["kind"]: f["downloadUrl"] for f in listed["latest"]}
    assert links["VIDEO_LINK"] is None
    # The link names the file by its global id, which node(id:) reads back.
    poster = next(f for f in listed["latest"] if f["kind"] == "POSTER")
    assert links["POSTER"].startswith(f"/files/work-files/{poster['id']}?token=")
    read_back = await member.data(NODE_KIND, {"id": poster["id"]})
    assert read_back["node"] == {"kind": "POSTER", "version": 2}
    # A link by the database id opens only with its signature.
    pk = base64.b64decode(poster["id"]).decode().split(":")[1]
    token = links["POSTER"].split("token=")[1]
    assert (await client.http.get(f"/files/work-files/{pk}?token={token}")).status_code == 200
    assert (await client.http.get(f"/files/work-files/{pk}")).status_code == 404
    downloaded = await client.http.get(links["POSTER"])
    assert downloaded.status_code == 200
    assert downloaded.content == PNG and downloaded.headers["content-type"] == "image/png"
    assert "poster2.png" in downloaded.headers["content-disposition"]
    forged = await client.http.get(links["POSTER"].replace("token=", "token=1"))
    assert forged.status_code == 404
    assert (await client.http.get("/files/work-files/%C2%B2?token=x")).status_code == 404


async def test_concurrent_registrations_get_distinct_numbers(database: str) -> None:
    import asyncio

    world = await make_world(with_cycle=False)
    ids = []
    for n in range(8):
        work = await works.create_work(
            actor=SYSTEM, unit_id=world.unit.id, data=_data(world, title_th=f"งาน {n}")
        )
        await works.act_on_work(actor=SYSTEM, work_id=work.id, action=works.WorkAction.SUBMIT)
        ids.append(work.id)

    registered = await asyncio.gather(
        *(works.act_on_work(actor=SYSTEM, work_id=i, action=works.WorkAction.REGISTER) for i in ids)
    )

    assert sorted(w.registry_number for w in registered) == [
        f"LO-2565-{n:04d}" for n in range(1, 9)
    ]


class _RecordingStorage:
    """Keeps bytes in memory and remembers what was saved and deleted."""

    def __init__(self) -> None:
        self.kept: dict[str, bytes] = {}
        self.saved = 0

    async def save(self, data: bytes, facts: object) -> str:
        self.saved += 1
        key = f"k{self.saved}"
        self.kept[key] = data
        return key

    async def read(self, key: str) -> bytes:
        return self.kept[key]

    async def delete(self, key: str) -> None:
        self.kept.pop(key, None)


async def test_adding_a_file_locks_the_work_once_and_keeps_no_bytes_when_refused(
    client: GraphQLClient,
) -> None:
    from models.work import WorkFileKind
    from services import work_files
    from services.documents import Upload
    from services.errors import DomainError, Forbidden

    world = await make_world(with_cycle=False)
    member = Actor(user_id=world.users["MEMBER"].id)
    work = await works.create_work(actor=member, unit_id=world.unit.id, data=_data(world))
    storage = _RecordingStorage()
    upload = Upload(filename="poster.png", data=PNG, declared_type="image/png")

    with count_queries() as statements:
        added = await work_files.add_file(
            actor=member,
            work_id=work.id,
            kind=WorkFileKind.POSTER,
            upload=upload,
            storage=storage,  # type: ignore[arg-type]
        )
    work_reads = [s for s in statements if 'FROM "work" ' in s or 'FROM "work"\n' in s]
    assert len(work_reads) == 1, work_reads
    assert added.storage_key in storage.kept

    outsider = Actor(user_id=world.users["OUTSIDER"].id)
    with pytest.raises(Forbidden):
        await work_files.add_file(
            actor=outsider,
            work_id=work.id,
            kind=WorkFileKind.POSTER,
            upload=upload,
            storage=storage,  # type: ignore[arg-type]
        )
    await works.act_on_work(actor=SYSTEM, work_id=work.id, action=works.WorkAction.SUBMIT)
    with pytest.raises(DomainError) as locked:
        await work_files.add_file(
            actor=member,
            work_id=work.id,
            kind=WorkFileKind.POSTER,
            upload=upload,
            storage=storage,  # type: ignore[arg-type]
        )
    assert locked.value.problems[0].message_key == "work_files_locked"
    assert list(storage.kept) == [added.storage_key]  # nothing left behind


def test_the_works_and_publishing_modules_spell_their_names_out() -> None:
    """No single-letter aliases or parameters (``S = WorkStatus``): names say what they are."""
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    modules = [
        "services/works.py",
        "services/work_files.py",
        "services/publishing/transitions.py",
        "services/publishing/delivery.py",
        "services/publishing/channel_settings.py",
        "services/publishing/templates.py",
        "services/outbox/dispatcher.py",
        "services/channels.py",
        "schema/works/types.py",
        "schema/works/mutations.py",
        "schema/publishing.py",
        "models/publishing.py",
    ]
    short = []
    for module in modules:
        tree = ast.parse((root / module).read_text())
        for node in tree.body:
            if isinstance(node, ast.Assign):
                short += [
                    f"{module}:{node.lineno} {target.id}"
                    for target in node.targets
                    if isinstance(target, ast.Name) and len(target.id) == 1
                ]
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                arguments = node.args.posonlyargs + node.args.args + node.args.kwonlyargs
                short += [
                    f"{module}:{node.lineno} {node.name}({argument.arg})"
                    for argument in arguments
                    if len(argument.arg) == 1
                ]
    assert short == []


LINKED = """mutation Create($input: WorkCreateInput!) { workCreate(input: $input) {
    work { activities { titleTh } } errors { code field } } }"""


async def test_a_work_links_the_plan_activities_it_came_from(client: GraphQLClient) -> None:
    world = await make_world()
    plan = await draft_plan(world)
    activity = await Activity.get(plan_id=plan.id)
    fields = {
        "kind": "INNOVATION",
        "fiscalYear": 2565,
        "titleTh": "ระบบยืมคืนหนังสือด้วย QR Code",
        "unit": gid("Unit", world.unit.id),
        "authors": [{"person": gid("Person", world.people["กนกานต์"].id), "corresponding": True}],
    }
    member = world.client(client, "MEMBER")

    made = await member.data(
        LINKED, {"input": {**fields, "activities": [gid("Activity", activity.id)]}}
    )
    refused = await member.data(LINKED, {"input": {**fields, "activities": [gid("Activity", 999)]}})

    assert made["workCreate"] == {
        "work": {"activities": [{"titleTh": activity.title_th}]},
        "errors": [],
    }
    assert refused["workCreate"]["errors"] == [
        {"code": "INVALID_INPUT", "field": ["input", "activities"]}
    ]


CAN_PUBLISH = """query Can($id: ID!) { node(id: $id) { ... on Work { viewerCanPublish } } }"""
PUBLISH = """mutation Publish($input: WorkPublishInput!) {
    workPublish(input: $input) { errors { code } } }"""


async def test_whoever_step_10_names_publishes_the_units_works(client: GraphQLClient) -> None:
    # Step 10 (เผยแพร่ผลงาน ทุกช่องทาง) names the secretary and the assistant secretary.
    world = await make_world()
    work = await _registered(world)
    ask = {"input": {"id": gid("Work", work.id), "channels": ["WEBSITE"]}}

    can = {
        who: (await world.client(client, who).data(CAN_PUBLISH, {"id": gid("Work", work.id)}))[
            "node"
        ]["viewerCanPublish"]
        for who in ("ASSISTANT_SECRETARY", "SECRETARY", "MEMBER")
    }
    published = await world.client(client, "ASSISTANT_SECRETARY").data(PUBLISH, ask)
    refused = await world.client(client, "MEMBER").post(PUBLISH, ask)

    assert can == {"ASSISTANT_SECRETARY": True, "SECRETARY": True, "MEMBER": False}
    # Allowed: what stops it is the unit's channel, which nobody set up.
    assert published["workPublish"]["errors"] == [{"code": "CHANNEL_NOT_CONFIGURED"}]
    assert_forbidden(refused)
    assert refused["errors"][0]["extensions"]["reason"] == "RESPONSIBLE_REQUIRED"
