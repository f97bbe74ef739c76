"""Importing a unit's people with their e-mails, read as stakeholder files are."""

import io
import json
from typing import Any

from openpyxl import Workbook

from models.audit import AuditEvent
from models.org import Person
from tests.helpers import GraphQLClient
from tests.surveys.test_stakeholders import PREFLIGHT, XLSX_TYPE
from tests.world import World, gid, make_world

IMPORT = """mutation Import($input: PersonImportInput!) { personImport(input: $input) {
    created updated unchanged rejected { row errors { code field } } errors { code field } } }"""


async def _import(
    client: GraphQLClient, world: World, content: bytes, filename: str, content_type: str
) -> dict[str, Any]:
    unit = gid("Unit", world.unit.id)
    operations = {"query": IMPORT, "variables": {"input": {"unit": unit, "file": None}}}
    response = await client.http.post(
        "/graphql",
        data={
            "operations": json.dumps(operations),
            "map": json.dumps({"0": ["variables.input.file"]}),
        },
        files={"0": (filename, content, content_type)},
        headers={**client.headers, **PREFLIGHT},
    )
    body = response.json()
    assert not body.get("errors"), body["errors"]
    return body["data"]["personImport"]


async def test_a_thai_csv_creates_and_updates_people_and_reports_the_rest(
    admin: GraphQLClient,
) -> None:
    world = await make_world(with_cycle=False)
    world.people["กัญญาดา"].email = "kanyada@anamai.moph.go.th"
    await world.people["กัญญาดา"].save(update_fields=["email"])
    world.people["outsider"].email = "somchai@anamai.moph.go.th"
    await world.people["outsider"].save(update_fields=["email"])
    rows = [
        "รายชื่อบุคลากร สลก.",
        "ลำดับ,คำนำหน้า,ชื่อ,นามสกุล,ตำแหน่ง,อีเมล,รหัสพนักงาน",
        "1,นาง,สมหญิง,ใจดี,นักวิชาการ,Somying@anamai.moph.go.th,0101",
        "2,นางสาว,กัญญาดา,ทดสอบ,บรรณารักษ์ชำนาญการ,kanyada@anamai.moph.go.th,",
        "3,นาย,สมชาย,ย้ายมา,,somchai@anamai.moph.go.th,",
        "4,นาย,ไม่มีอีเมล,,,ไม่ใช่อีเมล,",
    ]
    content = "\r\n".join(rows).encode("cp874")

    result = await _import(admin, world, content, "people.csv", "text/csv")

    assert (result["created"], result["updated"], result["unchanged"]) == (1, 1, 0)
    assert result["rejected"] == [
        {"row": 5, "errors": [{"code": "DUPLICATE", "field": ["email"]}]},
        {"row": 6, "errors": [{"code": "INVALID_INPUT", "field": ["email"]}]},
    ]
    new = await Person.get(email="somying@anamai.moph.go.th")
    assert (new.unit_id, new.first_name_th, new.employee_id) == (world.unit.id, "สมหญิง", "0101")
    kanyada = await Person.get(id=world.people["กัญญาดา"].id)
    assert kanyada.position_th == "บรรณารักษ์ชำนาญการ" and kanyada.version == 2
    assert await AuditEvent.exists(action="person.import")


async def test_an_xlsx_file_imported_twice_changes_nothing_the_second_time(
    admin: GraphQLClient,
) -> None:
    world = await make_world(with_cycle=False)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["First name", "Email", "Employee ID"])
    sheet.append(["วิไล", "wilai@anamai.moph.go.th", 4711])
    buffer = io.BytesIO()
    book.save(buffer)

    first = await _import(admin, world, buffer.getvalue(), "people.xlsx", XLSX_TYPE)
    second = await _import(admin, world, buffer.getvalue(), "people.xlsx", XLSX_TYPE)

    assert (first["created"], second["created"], second["unchanged"]) == (1, 0, 1)
    assert (await Person.get(email="wilai@anamai.moph.go.th")).employee_id == "4711"
