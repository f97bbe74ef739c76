"""The stakeholder directory (ทำเนียบ): entries kept by the unit's chair or secretary, read by its
committee, managers and administrators only, and imported from CSV or XLSX with a report of each
rejected row."""

import io
import json
from typing import Any

import httpx
import pytest
from openpyxl import Workbook

from models.audit import AuditEvent
from models.survey import Stakeholder, StakeholderGroup
from services import stakeholders
from services.actor import SYSTEM
from tests.helpers import GraphQLClient, assert_forbidden, error_codes, make_user
from tests.world import World, gid, make_world

PREFLIGHT = {"GraphQL-Require-Preflight": "1"}
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

CREATE = """
mutation Create($input: StakeholderCreateInput!) {
  stakeholderCreate(input: $input) {
    stakeholder { id name organisation group email lineId phone active version unit { code } }
    errors { code field message }
  }
}"""
UPDATE = """
mutation Update($input: StakeholderUpdateInput!) {
  stakeholderUpdate(input: $input) {
    stakeholder { id name organisation group email lineId phone active version }
    errors { code field message }
  }
}"""
IMPORT = """
mutation Import($input: StakeholderImportInput!) {
  stakeholderImport(input: $input) {
    created updated unchanged
    rejected { row errors { code field message } }
    errors { code field message }
  }
}"""
LIST = """
query Directory($filter: StakeholderFilter, $orderBy: [StakeholderOrder!]) {
  stakeholders(filter: $filter, orderBy: $orderBy) {
    totalCount
    nodes { name organisation group email lineId phone active version }
  }
}"""
NODE = """
query One($id: ID!) { node(id: $id) { ... on Stakeholder { name email } } }"""

THAI_HEADER_CSV = (
    "ชื่อ,หน่วยงาน,กลุ่ม,อีเมล,LINE,โทรศัพท์\n"
    "สมชาย ใจดี,โรงพยาบาลบางกรวย,ผู้รับบริการ,somchai@example.go.th,somchai.j,02-590-4000\n"
    "สมหญิง รักงาน,,ภาคีเครือข่าย,somying@example,,081 234 5678\n"
    "บริษัท ตัวอย่าง จำกัด,,ผู้สนับสนุน,,,\n"
    "มูลนิธิรักษ์สุขภาพ,,PARTNER,info@foundation.or.th,,+66 2 590 4000\n"
)


def _unit(world: World) -> str:
    return gid("Unit", world.unit.id)


def _entry(world: World, **fields: Any) -> dict[str, Any]:
    return {
        "unit": _unit(world),
        "name": "สมชาย ใจดี",
        "organisation": "โรงพยาบาลบางกรวย",
        "group": "SERVICE_RECIPIENT",
        "email": "somchai@example.go.th",
        "lineId": "somchai.j",
        "phone": "02-590-4000",
        **fields,
    }


async def _create(client: GraphQLClient, entry: dict[str, Any]) -> dict[str, Any]:
    return (await client.data(CREATE, {"input": entry}))["stakeholderCreate"]


async def _created(client: GraphQLClient, entry: dict[str, Any]) -> dict[str, Any]:
    result = await _create(client, entry)
    assert result["errors"] == []
    return result["stakeholder"]


async def _update(client: GraphQLClient, entry: dict[str, Any]) -> dict[str, Any]:
    return (await client.data(UPDATE, {"input": entry}))["stakeholderUpdate"]


async def _directory(client: GraphQLClient, world: World, **filter: Any) -> dict[str, Any]:
    data = await client.data(LIST, {"filter": {"unit": _unit(world), **filter}})
    return data["stakeholders"]


async def _post_import(
    client: GraphQLClient, unit: str, content: bytes, filename: str, content_type: str
) -> httpx.Response:
    """A GraphQL multipart request: the file is part "0", mapped into the input's ``file``."""
    operations = {"query": IMPORT, "variables": {"input": {"unit": unit, "file": None}}}
    return await client.http.post(
        "/graphql",
        data={
            "operations": json.dumps(operations),
            "map": json.dumps({"0": ["variables.input.file"]}),
        },
        files={"0": (filename, content, content_type)},
        headers={**client.headers, **PREFLIGHT},
    )


async def _import(
    client: GraphQLClient,
    world: World,
    content: bytes,
    filename: str = "stakeholders.csv",
    content_type: str = "text/csv",
) -> dict[str, Any]:
    """The ``stakeholderImport`` payload; fails on a top-level error."""
    response = await _post_import(client, _unit(world), content, filename, content_type)
    assert response.status_code == 200, response.text
    body = response.json()
    assert not body.get("errors"), body["errors"]
    return body["data"]["stakeholderImport"]


def _rejections(result: dict[str, Any]) -> list[tuple[int, list[tuple[str, list[str]]]]]:
    return [(r["row"], [(e["code"], e["field"]) for e in r["errors"]]) for r in result["rejected"]]


def _xlsx(rows: list[list[Any]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


async def _saved() -> dict[str, dict[str, Any]]:
    rows = await Stakeholder.all().values(
        "name", "organisation", "group", "email", "line_id", "phone", "active", "version"
    )
    return {row.pop("name"): row for row in rows}


# Keeping entries by hand ----------------------------------------------------------------------


async def test_the_chair_adds_an_entry_and_a_committee_member_reads_it(
    client: GraphQLClient,
) -> None:
    world = await make_world(with_cycle=False)

    created = await _created(world.client(client, "CHAIR"), _entry(world))
    directory = await _directory(world.client(client, "MEMBER"), world)

    assert {k: v for k, v in created.items() if k != "id"} == {
        "name": "สมชาย ใจดี",
        "organisation": "โรงพยาบาลบางกรวย",
        "group": "SERVICE_RECIPIENT",
        "email": "somchai@example.go.th",
        "lineId": "somchai.j",
        "phone": "02-590-4000",
        "active": True,
        "version": 1,
        "unit": {"code": "OSD"},
    }
    assert directory["totalCount"] == 1
    assert directory["nodes"][0]["email"] == "somchai@example.go.th"
    assert await AuditEvent.filter(action="stakeholder.create").count() == 1


async def test_an_update_replaces_the_details_and_a_stale_one_changes_nothing(
    client: GraphQLClient,
) -> None:
    world = await make_world(with_cycle=False)
    chair = world.client(client, "CHAIR")
    created = await _created(chair, _entry(world))
    change = {k: v for k, v in _entry(world).items() if k != "unit"} | {"id": created["id"]}

    updated = await _update(
        chair, change | {"version": 1, "phone": "081-234-5678", "reason": "เบอร์ใหม่"}
    )
    stale = await _update(chair, change | {"version": 1, "phone": "099-999-9999"})

    assert updated["errors"] == []
    assert updated["stakeholder"]["phone"] == "081-234-5678"
    assert updated["stakeholder"]["version"] == 2
    assert stale["stakeholder"] is None
    assert [(e["code"], e["field"]) for e in stale["errors"]] == [
        ("STALE_VERSION", ["input", "version"])
    ]
    assert (await _saved())["สมชาย ใจดี"]["phone"] == "081-234-5678"
    event = await AuditEvent.get(action="stakeholder.update")
    assert (event.before["phone"], event.after["phone"], event.reason) == (
        "02-590-4000",
        "081-234-5678",
        "เบอร์ใหม่",
    )


async def test_a_deactivated_entry_stays_in_the_directory_marked_inactive(
    client: GraphQLClient,
) -> None:
    world = await make_world(with_cycle=False)
    chair = world.client(client, "CHAIR")
    created = await _created(chair, _entry(world))
    change = {k: v for k, v in _entry(world).items() if k != "unit"}

    result = await _update(chair, change | {"id": created["id"], "version": 1, "active": False})
    active = await _directory(chair, world, active=True)
    inactive = await _directory(chair, world, active=False)

    assert result["stakeholder"]["active"] is False
    assert active["totalCount"] == 0
    assert [n["name"] for n in inactive["nodes"]] == ["สมชาย ใจดี"]


async def test_the_same_name_and_organisation_twice_in_a_unit_is_a_duplicate(
    client: GraphQLClient,
) -> None:
    world = await make_world(with_cycle=False)
    chair = world.client(client, "CHAIR")
    await _created(chair, _entry(world))
    other = await _created(chair, _entry(world, organisation="สำนักงานเขต"))

    again = await _create(chair, _entry(world, email=None))
    renamed = await _update(
        chair,
        {k: v for k, v in _entry(world).items() if k != "unit"} | {"id": other["id"], "version": 1},
    )

    assert [(e["code"], e["field"]) for e in again["errors"]] == [("DUPLICATE", ["input", "name"])]
    assert "สมชาย ใจดี (โรงพยาบาลบางกรวย)" in again["errors"][0]["message"]
    assert [e["code"] for e in renamed["errors"]] == ["DUPLICATE"]
    assert await Stakeholder.all().count() == 2


async def test_a_malformed_email_or_phone_is_a_user_error_on_its_field(
    client: GraphQLClient,
) -> None:
    world = await make_world(with_cycle=False)
    chair = world.client(client, "CHAIR").with_headers(**{"accept-language": "en"})

    result = await _create(chair, _entry(world, email="somchai@example", phone="02-590-4000 ต่อ 1"))

    assert [(e["code"], e["field"]) for e in result["errors"]] == [
        ("INVALID_INPUT", ["input", "email"]),
        ("INVALID_INPUT", ["input", "phone"]),
    ]
    assert result["errors"][0]["message"].startswith("Not a valid e-mail address")
    assert await Stakeholder.all().count() == 0


# Who may read and write -----------------------------------------------------------------------


async def test_a_member_reads_the_directory_but_cannot_add_to_it(client: GraphQLClient) -> None:
    world = await make_world(with_cycle=False)
    member = world.client(client, "MEMBER")

    created = await member.post(CREATE, {"input": _entry(world)})
    directory = await _directory(member, world)

    assert_forbidden(created)
    assert directory == {"totalCount": 0, "nodes": []}


async def test_a_member_cannot_change_an_entry(client: GraphQLClient) -> None:
    world = await make_world(with_cycle=False)
    created = await _created(world.client(client, "SECRETARY"), _entry(world))
    change = {k: v for k, v in _entry(world).items() if k != "unit"}

    body = await world.client(client, "MEMBER").post(
        UPDATE, {"input": change | {"id": created["id"], "version": 1, "active": False}}
    )

    assert_forbidden(body)
    assert (await _saved())["สมชาย ใจดี"]["active"] is True


async def test_an_outsider_can_neither_list_nor_look_up_the_directory(
    client: GraphQLClient,
) -> None:
    world = await make_world(with_cycle=False)
    created = await _created(world.client(client, "CHAIR"), _entry(world))
    outsider = world.client(client, "OUTSIDER")

    of_the_unit = await outsider.post(LIST, {"filter": {"unit": _unit(world)}})
    of_any_unit = await outsider.post(LIST)
    looked_up = await outsider.data(NODE, {"id": created["id"]})
    by_the_chair = await world.client(client, "CHAIR").data(NODE, {"id": created["id"]})

    assert_forbidden(of_the_unit)
    assert_forbidden(of_any_unit)
    assert looked_up == {"node": None}
    assert by_the_chair == {"node": {"name": "สมชาย ใจดี", "email": "somchai@example.go.th"}}


async def test_managers_read_every_units_directory_and_members_their_own(
    client: GraphQLClient,
) -> None:
    world = await make_world(with_cycle=False)
    await stakeholders.create_stakeholder(
        actor=SYSTEM,
        data=stakeholders.StakeholderData(
            unit_id=world.unit.id, name="ก", group=StakeholderGroup.PARTNER
        ),
    )
    await stakeholders.create_stakeholder(
        actor=SYSTEM,
        data=stakeholders.StakeholderData(
            unit_id=world.other_unit.id, name="ข", group=StakeholderGroup.OTHER
        ),
    )
    manager = client.signed_in_as(await make_user("manager", roles={"MANAGER"}))

    everything = await manager.data(LIST)
    own = await world.client(client, "MEMBER").data(LIST)
    other_unit = await world.client(client, "MEMBER").post(
        LIST, {"filter": {"unit": gid("Unit", world.other_unit.id)}}
    )

    assert [n["name"] for n in everything["stakeholders"]["nodes"]] == ["ก", "ข"]
    assert [n["name"] for n in own["stakeholders"]["nodes"]] == ["ก"]
    assert_forbidden(other_unit)


# Importing -------------------------------------------------------------------------------------


async def test_a_csv_import_saves_the_good_rows_and_reports_each_bad_one(
    client: GraphQLClient,
) -> None:
    world = await make_world(with_cycle=False)
    chair = world.client(client, "CHAIR").with_headers(**{"accept-language": "en"})

    result = await _import(chair, world, THAI_HEADER_CSV.encode())

    assert (result["created"], result["updated"], result["unchanged"]) == (2, 0, 0)
    assert result["errors"] == []
    assert _rejections(result) == [
        (3, [("INVALID_INPUT", ["email"])]),
        (4, [("INVALID_INPUT", ["group"])]),
    ]
    assert result["rejected"][0]["errors"][0]["message"].startswith("Not a valid e-mail")
    assert "ผู้สนับสนุน" in result["rejected"][1]["errors"][0]["message"]
    saved = await _saved()
    assert set(saved) == {"สมชาย ใจดี", "มูลนิธิรักษ์สุขภาพ"}
    assert saved["สมชาย ใจดี"] | {"version": 1} == {
        "organisation": "โรงพยาบาลบางกรวย",
        "group": StakeholderGroup.SERVICE_RECIPIENT,
        "email": "somchai@example.go.th",
        "line_id": "somchai.j",
        "phone": "02-590-4000",
        "active": True,
        "version": 1,
    }
    assert saved["มูลนิธิรักษ์สุขภาพ"]["organisation"] == ""


async def test_rejections_are_in_thai_by_default_and_a_row_can_have_several(
    client: GraphQLClient,
) -> None:
    world = await make_world(with_cycle=False)
    csv_text = "name,group,email,phone\n,อื่น ๆ,not-an-email,02 ต่อ 5\nสมศรี,อื่น ๆ,,\n"

    result = await _import(world.client(client, "CHAIR"), world, csv_text.encode())

    assert result["created"] == 1
    assert _rejections(result) == [
        (
            2,
            [
                ("INVALID_INPUT", ["name"]),
                ("INVALID_INPUT", ["email"]),
                ("INVALID_INPUT", ["phone"]),
            ],
        )
    ]
    assert result["rejected"][0]["errors"][1]["message"].startswith("อีเมลไม่ถูกต้อง")


async def test_a_second_import_updates_the_entries_it_matches_instead_of_duplicating(
    client: GraphQLClient,
) -> None:
    world = await make_world(with_cycle=False)
    chair = world.client(client, "CHAIR")
    await _import(chair, world, THAI_HEADER_CSV.encode())
    # No e-mail column: the e-mails already saved stay.
    second = (
        "name,organisation,group,phone\n"
        "สมชาย ใจดี,โรงพยาบาลบางกรวย,service_recipient,081-111-2222\n"
        "มูลนิธิรักษ์สุขภาพ,,Partner,+66 2 590 4000\n"
        "สมหญิง รักงาน,,ผู้มีส่วนได้ส่วนเสีย,\n"
    )

    result = await _import(chair, world, second.encode())

    assert (result["created"], result["updated"], result["unchanged"]) == (1, 1, 1)
    assert result["rejected"] == []
    saved = await _saved()
    assert len(saved) == 3
    assert saved["สมชาย ใจดี"]["phone"] == "081-111-2222"
    assert saved["สมชาย ใจดี"]["email"] == "somchai@example.go.th"
    assert saved["สมชาย ใจดี"]["version"] == 2
    assert saved["มูลนิธิรักษ์สุขภาพ"]["version"] == 1
    assert saved["สมหญิง รักงาน"]["group"] == StakeholderGroup.STAKEHOLDER


async def test_a_row_repeated_in_the_file_is_rejected_pointing_at_the_first(
    client: GraphQLClient,
) -> None:
    world = await make_world(with_cycle=False)
    csv_text = "ชื่อ,กลุ่ม\nสมศรี,อื่น ๆ\nสมศักดิ์,อื่น ๆ\nสมศรี,ภาคีเครือข่าย\n"

    result = await _import(
        world.client(client, "CHAIR").with_headers(**{"accept-language": "en"}),
        world,
        csv_text.encode(),
    )

    assert result["created"] == 2
    assert _rejections(result) == [(4, [("DUPLICATE", ["name"])])]
    assert result["rejected"][0]["errors"][0]["message"].startswith("Repeats row 2")


@pytest.mark.parametrize(
    ("content", "label"),
    [
        (THAI_HEADER_CSV.encode("cp874"), "Thai Windows (cp874)"),
        (THAI_HEADER_CSV.encode("utf-8-sig"), "UTF-8 with BOM"),
        (THAI_HEADER_CSV.replace(",", ";").encode("utf-8-sig"), "semicolons"),
        (THAI_HEADER_CSV.replace(",", "\t").encode("utf-16"), "Unicode text"),
    ],
)
async def test_csv_from_thai_excel_is_read_whatever_its_encoding(
    client: GraphQLClient, content: bytes, label: str
) -> None:
    world = await make_world(with_cycle=False)

    result = await _import(world.client(client, "CHAIR"), world, content)

    assert result["created"] == 2, label
    assert [r["row"] for r in result["rejected"]] == [3, 4], label
    assert "สมชาย ใจดี" in await _saved()


async def test_an_xlsx_workbook_is_imported_below_its_title_rows(client: GraphQLClient) -> None:
    world = await make_world(with_cycle=False)
    workbook = _xlsx(
        [
            ["ทำเนียบผู้รับบริการ สำนักงานเลขานุการกรม"],
            [],
            ["ลำดับ", "Name", "Organisation", "Group", "E-mail", "Line ID", "Phone"],
            [
                1,
                "สมชาย ใจดี",
                "โรงพยาบาลบางกรวย",
                "ผู้รับบริการ",
                "somchai@example.go.th",
                None,
                812345678,
            ],
            [2, "มูลนิธิรักษ์สุขภาพ", None, "อื่นๆ", None, "@foundation", "02-590-4000"],
            [3, "ร้านค้า", None, "ลูกค้า", "shop@", None, None],
        ]
    )

    result = await _import(world.client(client, "CHAIR"), world, workbook, "ทำเนียบ.xlsx", XLSX_TYPE)

    assert (result["created"], result["updated"]) == (2, 0)
    assert _rejections(result) == [
        (6, [("INVALID_INPUT", ["group"]), ("INVALID_INPUT", ["email"])])
    ]
    saved = await _saved()
    # A phone number typed as a number lost its leading zero; it is put back.
    assert saved["สมชาย ใจดี"]["phone"] == "0812345678"
    assert saved["มูลนิธิรักษ์สุขภาพ"]["group"] == StakeholderGroup.OTHER
    assert saved["มูลนิธิรักษ์สุขภาพ"]["line_id"] == "@foundation"


async def test_a_file_over_the_row_limit_is_refused_and_nothing_is_saved(
    client: GraphQLClient,
) -> None:
    world = await make_world(with_cycle=False)
    rows = "".join(f"ผู้รับบริการ {n},ผู้รับบริการ\n" for n in range(stakeholders.MAX_IMPORT_ROWS + 1))

    result = await _import(
        world.client(client, "CHAIR").with_headers(**{"accept-language": "en"}),
        world,
        ("ชื่อ,กลุ่ม\n" + rows).encode(),
    )

    assert [(e["code"], e["field"]) for e in result["errors"]] == [
        ("INVALID_INPUT", ["input", "file"])
    ]
    assert f"more than {stakeholders.MAX_IMPORT_ROWS} rows" in result["errors"][0]["message"]
    assert result["created"] == 0
    assert await Stakeholder.all().count() == 0


@pytest.mark.parametrize(
    ("filename", "content"),
    [
        ("list.pdf", b"%PDF-1.4\n%%EOF\n"),
        ("list.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(64)),
        ("list.xlsx", b"name,group\nx,OTHER\n"),
        ("list.csv", b"PK\x03\x04" + bytes(64)),
        ("list.csv", b"name,group\x00\x01\x02"),
    ],
)
async def test_a_file_of_another_type_is_refused(
    client: GraphQLClient, filename: str, content: bytes
) -> None:
    world = await make_world(with_cycle=False)

    result = await _import(
        world.client(client, "CHAIR"), world, content, filename, "application/octet-stream"
    )

    assert [(e["code"], e["field"]) for e in result["errors"]] == [
        ("INVALID_INPUT", ["input", "file"])
    ]
    assert result["errors"][0]["message"].startswith("นำเข้าได้เฉพาะไฟล์ CSV")


async def test_a_damaged_workbook_is_refused_as_unreadable(client: GraphQLClient) -> None:
    world = await make_world(with_cycle=False)
    damaged = _xlsx([["name", "group"], ["x", "OTHER"]])[:200]

    result = await _import(world.client(client, "CHAIR"), world, damaged, "list.xlsx", XLSX_TYPE)

    assert [e["code"] for e in result["errors"]] == ["INVALID_INPUT"]
    assert result["errors"][0]["message"] == "อ่านไฟล์ไม่ได้ ไฟล์อาจเสียหาย"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"name,organisation\nx,y\n", "The header (row 1) lacks the columns กลุ่ม/group"),
        (b"a,b\nc,d\n", "No header row found"),
        (b"name,group\n\n , \n", "There are no rows under the header (row 1)"),
        (b"name,group,Name\nx,OTHER,y\n", "The column ชื่อ/name appears more than once"),
    ],
)
async def test_a_file_without_a_usable_header_is_refused(
    client: GraphQLClient, content: bytes, message: str
) -> None:
    world = await make_world(with_cycle=False)
    chair = world.client(client, "CHAIR").with_headers(**{"accept-language": "en"})

    result = await _import(chair, world, content)

    assert [e["field"] for e in result["errors"]] == [["input", "file"]]
    assert result["errors"][0]["message"].startswith(message)


async def test_an_import_leaves_one_audit_event_with_its_counts(client: GraphQLClient) -> None:
    world = await make_world(with_cycle=False)
    chair = world.client(client, "CHAIR")
    await _created(chair, _entry(world, phone=None))

    await _import(chair, world, THAI_HEADER_CSV.encode(), "ทำเนียบ 2565.csv")

    events = await AuditEvent.filter(action="stakeholder.import")
    assert len(events) == 1
    event = events[0]
    assert (event.object_type, event.object_id, event.actor_id) == (
        "Unit",
        str(world.unit.id),
        world.users["CHAIR"].id,
    )
    assert event.after == {
        "filename": "ทำเนียบ 2565.csv",
        "created": 1,
        "updated": 1,
        "unchanged": 0,
        "rejected_rows": [3, 4],
    }
    # What an update overwrote stays in the trail.
    [(_, overwritten)] = event.before["updated"].items()
    assert overwritten == {"phone": None}


async def test_only_the_units_chair_or_secretary_imports(client: GraphQLClient) -> None:
    world = await make_world(with_cycle=False)

    response = await _post_import(
        world.client(client, "MEMBER"), _unit(world), THAI_HEADER_CSV.encode(), "x.csv", "text/csv"
    )

    assert error_codes(response.json()) == ["FORBIDDEN"]
    assert await Stakeholder.all().count() == 0
