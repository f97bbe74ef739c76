"""Evidence files (SOP step evidence, appointment orders, meeting minutes): uploads over the GraphQL
multipart request spec, what is refused, signed download links, deletion kept in the audit."""

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from strawberry import relay

from models.audit import AuditEvent
from models.cycle import DocumentSlot
from models.document import Document
from models.meeting import MeetingKind
from models.plan import Activity
from services import activities, documents, meetings, signed_links
from services.actor import SYSTEM, Actor
from services.documents import AttachTo
from services.settings import get_settings
from services.signed_links import LinkFor
from tests.helpers import (
    GraphQLClient,
    assert_forbidden,
    assert_unauthenticated,
    count_queries,
    error_codes,
)
from tests.plans_world import approved_plan
from tests.world import World, gid, make_world

PREFLIGHT = {"GraphQL-Require-Preflight": "1"}
PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
THAI_TEXT = "บันทึกการประชุมคณะกรรมการ LO ครั้งที่ 1/2565\n".encode()
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + bytes(48) + b"PE\x00\x00"

UPLOAD = """
mutation Upload($input: DocumentUploadInput!) {
  documentUpload(input: $input) {
    document { id filename contentType size sha256 downloadUrl uploadedBy { username } }
    errors { code field message }
  }
}"""
DELETE = """
mutation Delete($input: DocumentDeleteInput!) {
  documentDelete(input: $input) { document { id filename } errors { code field } }
}"""
COMPLETE = """
mutation Complete($input: CycleStepActionInput!) {
  cycleStepComplete(input: $input) { step { status statusReason } errors { code } }
}"""
STEP_FILES = """
query Step($id: ID!) {
  node(id: $id) {
    ... on CycleStep { documents { files { id filename contentType size sha256 } } }
  }
}"""
CYCLE_FILES = """
query Cycle($id: ID!) {
  node(id: $id) {
    ... on Cycle { steps { no documents { files { id filename downloadUrl } } } }
  }
}"""


@dataclass(frozen=True)
class Part:
    """The file part of a multipart upload, as a browser would send it."""

    content: bytes = PDF
    filename: str = "evidence.pdf"
    content_type: str = "application/pdf"


async def _slot(world: World, step_no: int) -> str:
    """The global id of the step's first document slot."""
    step = await world.step(step_no)
    slot = await DocumentSlot.filter(step_id=step.id).order_by("position").first()
    assert slot
    return gid("DocumentSlot", slot.id)


async def _post_upload(
    client: GraphQLClient,
    target: dict[str, str],
    part: Part = Part(),
    headers: dict[str, str] = PREFLIGHT,
) -> httpx.Response:
    """A GraphQL multipart request: the file is part "0", mapped into the input's ``file``."""
    operations = {"query": UPLOAD, "variables": {"input": {**target, "file": None}}}
    return await client.http.post(
        "/graphql",
        data={
            "operations": json.dumps(operations),
            "map": json.dumps({"0": ["variables.input.file"]}),
        },
        files={"0": (part.filename, part.content, part.content_type)},
        headers={**client.headers, **headers},
    )


async def _upload_body(
    client: GraphQLClient, target: dict[str, str], part: Part = Part()
) -> dict[str, Any]:
    response = await _post_upload(client, target, part)
    assert response.status_code == 200, response.text
    return response.json()


async def _upload(
    client: GraphQLClient, target: dict[str, str], part: Part = Part()
) -> dict[str, Any]:
    """The ``documentUpload`` payload; fails on a top-level error."""
    body = await _upload_body(client, target, part)
    assert not body.get("errors"), body["errors"]
    return body["data"]["documentUpload"]


async def _uploaded(
    client: GraphQLClient, target: dict[str, str], part: Part = Part()
) -> dict[str, Any]:
    """The new document of an upload that must succeed."""
    result = await _upload(client, target, part)
    assert result["errors"] == []
    return result["document"]


async def _step_files(client: GraphQLClient, world: World, step_no: int) -> list[dict[str, Any]]:
    step = await world.step(step_no)
    data = await client.data(STEP_FILES, {"id": gid("CycleStep", step.id)})
    return data["node"]["documents"][0]["files"]


async def _complete(client: GraphQLClient, world: World, step_no: int, **extra: Any) -> Any:
    step = await world.step(step_no)
    data = await client.data(COMPLETE, {"input": {"id": gid("CycleStep", step.id), **extra}})
    return data["cycleStepComplete"]


def _pk(document: dict[str, Any]) -> int:
    return int(relay.GlobalID.from_id(document["id"]).node_id)


def _stored_files() -> set[Path]:
    return {p for p in Path(get_settings().storage_dir).rglob("*") if p.is_file()}


async def test_the_chair_uploads_step_evidence_and_the_step_can_be_completed(
    client: GraphQLClient,
) -> None:
    world = await make_world()
    chair = world.client(client, "CHAIR")

    document = await _uploaded(chair, {"slot": await _slot(world, 1)})
    files = await _step_files(chair, world, 1)
    completed = await _complete(chair, world, 1)

    assert document["filename"] == "evidence.pdf"
    assert document["uploadedBy"] == {"username": "chair"}
    assert files == [
        {
            "id": document["id"],
            "filename": "evidence.pdf",
            "contentType": "application/pdf",
            "size": len(PDF),
            "sha256": documents.sha256_of(PDF),
        }
    ]
    assert completed == {"step": {"status": "DONE", "statusReason": None}, "errors": []}
    assert await AuditEvent.filter(action="document.upload").count() == 1


async def test_a_step_without_its_documents_completes_only_with_an_override(
    client: GraphQLClient,
) -> None:
    world = await make_world()
    chair = world.client(client, "CHAIR")

    missing = await _complete(chair, world, 1)
    overridden = await _complete(
        chair, world, 1, overrideMissingDocuments=True, reason="คำสั่งอยู่ระหว่างลงนาม"
    )

    # Refused, with the step as it is.
    assert missing == {
        "step": {"status": "NOT_STARTED", "statusReason": None},
        "errors": [{"code": "DOCUMENTS_MISSING"}],
    }
    assert overridden["errors"] == []
    assert overridden["step"]["status"] == "DONE"


async def test_bytes_that_contradict_the_declared_type_are_refused_and_nothing_is_stored(
    client: GraphQLClient,
) -> None:
    world = await make_world()
    before = _stored_files()

    result = await _upload(
        world.client(client, "CHAIR").with_headers(**{"accept-language": "en"}),
        {"slot": await _slot(world, 1)},
        Part(PNG, filename="order.pdf"),
    )

    assert result["document"] is None
    assert [(e["code"], e["field"]) for e in result["errors"]] == [
        ("INVALID_INPUT", ["input", "file"])
    ]
    assert "image/png" in result["errors"][0]["message"]
    assert await Document.all().count() == 0
    assert _stored_files() == before


async def test_a_file_over_the_upload_limit_is_refused(
    client: GraphQLClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = await make_world()
    monkeypatch.setattr(get_settings(), "max_upload_bytes", 1024)

    result = await _upload(
        world.client(client, "CHAIR"), {"slot": await _slot(world, 1)}, Part(PDF + bytes(1024))
    )

    assert [(e["code"], e["field"]) for e in result["errors"]] == [
        ("INVALID_INPUT", ["input", "file"])
    ]
    assert await Document.all().count() == 0


async def test_an_image_is_shown_inline_in_a_sandbox(client: GraphQLClient) -> None:
    world = await make_world()
    document = await _uploaded(
        world.client(client, "CHAIR"),
        {"slot": await _slot(world, 1)},
        Part(PNG, "ภาพ.png", "image/png"),
    )

    response = await client.http.get(document["downloadUrl"])

    assert response.headers["content-disposition"].startswith('inline; filename="_.png"')
    assert response.headers["content-security-policy"] == "default-src 'none'; sandbox"
    assert response.headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize(
    "content",
    [
        PDF + b"<html><body><script>alert(document.cookie)</script></body></html>\n",
        PDF + b"<SVG onload=alert(1)>",
        PNG + bytes(64) + b"PK\x05\x06" + bytes(18),  # a ZIP archive's end record: GIFAR-like
    ],
)
async def test_a_file_that_reads_as_two_types_is_refused(
    client: GraphQLClient, content: bytes
) -> None:
    world = await make_world()
    declared = "image/png" if content.startswith(PNG) else "application/pdf"

    result = await _upload(
        world.client(client, "CHAIR"),
        {"slot": await _slot(world, 1)},
        Part(content, "evidence", declared),
    )

    assert [(e["code"], e["field"]) for e in result["errors"]] == [
        ("INVALID_INPUT", ["input", "file"])
    ]
    assert await Document.all().count() == 0


async def test_utf8_text_declared_as_text_is_accepted_under_its_bare_name(
    client: GraphQLClient,
) -> None:
    world = await make_world()

    document = await _uploaded(
        world.client(client, "CHAIR"),
        {"slot": await _slot(world, 1)},
        Part(THAI_TEXT, "C:\\fakepath\\บันทึก.txt", "text/plain; charset=utf-8"),
    )

    assert document["contentType"] == "text/plain"
    assert document["filename"] == "บันทึก.txt"
    assert document["size"] == len(THAI_TEXT)


@pytest.mark.parametrize(
    ("content", "content_type"),
    [
        (EXE, "application/x-msdownload"),
        (EXE, "application/octet-stream"),
        (bytes(range(256)) * 4, "application/octet-stream"),
        (b"\xc3\x28 not UTF-8", "text/plain"),
    ],
    ids=["exe", "exe-undeclared", "unknown-binary", "text-not-utf8"],
)
async def test_executables_and_unknown_binaries_are_refused(
    client: GraphQLClient, content: bytes, content_type: str
) -> None:
    world = await make_world()

    result = await _upload(
        world.client(client, "CHAIR"),
        {"slot": await _slot(world, 1)},
        Part(content, "setup.exe", content_type),
    )

    assert [(e["code"], e["field"]) for e in result["errors"]] == [
        ("INVALID_INPUT", ["input", "file"])
    ]
    assert await Document.all().count() == 0


async def test_only_those_who_may_complete_the_step_attach_its_evidence(
    client: GraphQLClient,
) -> None:
    world = await make_world()
    slot = {"slot": await _slot(world, 1)}  # step 1: the chair alone is responsible

    as_member = await _upload_body(world.client(client, "MEMBER"), slot)
    as_outsider = await _upload_body(world.client(client, "OUTSIDER"), slot)
    anonymous = await _upload_body(client, slot)
    # Step 5 is the whole committee's: any member may attach its evidence.
    for_step_5 = await _upload(world.client(client, "MEMBER"), {"slot": await _slot(world, 5)})

    assert_forbidden(as_member)
    assert_forbidden(as_outsider)
    assert_unauthenticated(anonymous)
    assert for_step_5["errors"] == []
    assert await Document.all().count() == 1


async def test_a_multipart_request_without_a_preflight_header_is_refused(
    client: GraphQLClient,
) -> None:
    world = await make_world()
    before = _stored_files()

    response = await _post_upload(
        world.client(client, "CHAIR"), {"slot": await _slot(world, 1)}, headers={}
    )

    assert response.status_code == 400
    assert "Preflight" in response.json()["errors"][0]["message"]
    assert await Document.all().count() == 0
    assert _stored_files() == before


async def test_the_target_is_exactly_one_slot_order_or_meeting(client: GraphQLClient) -> None:
    world = await make_world()
    chair = world.client(client, "CHAIR")
    slot = await _slot(world, 1)
    order = gid("AppointmentOrder", world.order.id)

    results = [
        await _upload(chair, target)
        for target in (
            {},
            {"slot": slot, "order": order},
            {"slot": order},
            {"slot": gid("DocumentSlot", 999_999)},
        )
    ]

    assert [[(e["code"], e["field"]) for e in r["errors"]] for r in results] == [
        [("INVALID_INPUT", ["input", "attachTo"])],
        [("INVALID_INPUT", ["input", "attachTo"])],
        [("INVALID_INPUT", ["input", "slot"])],
        [("NOT_FOUND", ["input", "attachTo"])],
    ]
    assert await Document.all().count() == 0


async def test_the_secretary_attaches_the_signed_order_and_the_minutes(
    client: GraphQLClient,
) -> None:
    world = await make_world()
    assert world.cycle
    meeting = await meetings.create_meeting(
        actor=SYSTEM,
        data=meetings.NewMeeting(
            cycle_id=world.cycle.id,
            kind=MeetingKind.PLANNING,
            held_on=date(2021, 10, 15),
            title_th="ประชุมวางแผน",
        ),
    )
    secretary = world.client(client, "SECRETARY")
    order_target = {"order": gid("AppointmentOrder", world.order.id)}
    meeting_target = {"meeting": gid("Meeting", meeting.id)}

    signed = await _uploaded(secretary, order_target, Part(filename="คำสั่ง 20-2564.pdf"))
    minutes = await _uploaded(secretary, meeting_target, Part(filename="รายงานการประชุม.pdf"))
    by_member = await _upload_body(world.client(client, "MEMBER"), meeting_target)
    listed = await secretary.data(
        """query($order: ID!, $meeting: ID!) {
          order: node(id: $order) { ... on AppointmentOrder { documents { id } } }
          meeting: node(id: $meeting) { ... on Meeting { documents { id } } }
        }""",
        {"order": order_target["order"], "meeting": meeting_target["meeting"]},
    )

    assert listed["order"]["documents"] == [{"id": signed["id"]}]
    assert listed["meeting"]["documents"] == [{"id": minutes["id"]}]
    assert_forbidden(by_member)  # orders and meetings are the unit lead's


async def test_an_activity_owner_attaches_evidence_to_a_progress_report(
    client: GraphQLClient,
) -> None:
    world = await make_world()
    plan = await approved_plan(world)
    activity = await Activity.get(plan_id=plan.id)
    report = await activities.report_progress(
        actor=Actor(user_id=world.users["MEMBER"].id),
        data=activities.ProgressData(activity_id=activity.id, percent=40, on=date(2021, 12, 20)),
    )
    target = {"activityReport": gid("ActivityProgressReport", report.id)}

    photo = await _uploaded(world.client(client, "MEMBER"), target, Part(filename="ภาพกิจกรรม.pdf"))
    by_outsider = await _upload_body(world.client(client, "OUTSIDER"), target)
    listed = await world.client(client, "OUTSIDER").data(
        """query($id: ID!) {
            node(id: $id) { ... on ActivityProgressReport { evidence { id } } } }""",
        {"id": target["activityReport"]},
    )

    assert listed["node"]["evidence"] == [{"id": photo["id"]}]
    assert_forbidden(by_outsider)


async def test_the_download_url_serves_the_bytes_with_safe_headers(client: GraphQLClient) -> None:
    world = await make_world()
    filename = "คำสั่ง; ฉบับลงนาม 100%.pdf"
    document = await _uploaded(
        world.client(client, "CHAIR"), {"slot": await _slot(world, 1)}, Part(filename=filename)
    )

    url = document["downloadUrl"]
    response = await client.http.get(url)  # no Authorization header: the link is enough
    revalidated = await client.http.get(url, headers={"If-None-Match": f'"{document["sha256"]}"'})

    assert url.startswith(f"/files/{document['id']}?token=")
    assert response.status_code == 200
    assert response.content == PDF
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-length"] == str(len(PDF))
    assert response.headers["content-disposition"] == (
        "attachment; filename=\"_; _ 100_.pdf\"; filename*=UTF-8''" + quote(filename, safe="")
    )
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["content-security-policy"] == "default-src 'none'; sandbox"
    assert response.headers["cache-control"] == "private, max-age=0"
    assert response.headers["etag"] == f'"{documents.sha256_of(PDF)}"'
    assert revalidated.status_code == 304
    assert revalidated.content == b""


async def test_a_tampered_expired_or_borrowed_link_is_refused(client: GraphQLClient) -> None:
    world = await make_world()
    chair = world.client(client, "CHAIR")
    slot = {"slot": await _slot(world, 1)}
    first, second = [await _uploaded(chair, slot) for _ in range(2)]
    path, _, token = first["downloadUrl"].partition("?token=")
    expires, _, signature = token.partition(".")

    refused = [
        await client.http.get(path, params={"token": bad})
        for bad in (
            f"{expires}.{signature[:-1]}{'0' if signature[-1] != '0' else '1'}",
            f"{int(expires) + 60}.{signature}",
            signed_links.sign(LinkFor.DOCUMENT, _pk(first), expires_at=1_600_000_000),
            second["downloadUrl"].partition("?token=")[2],
            f"{expires}.ลายเซ็น",  # non-ASCII, once a crash in the comparison
            "²².x",  # a digit int() refuses, once a crash too
            "",
        )
    ]

    assert [r.status_code for r in refused] == [403] * len(refused)
    assert (await client.http.get(first["downloadUrl"])).status_code == 200


async def test_a_download_needs_a_link_or_a_bearer_token(client: GraphQLClient) -> None:
    world = await make_world()
    chair = world.client(client, "CHAIR")
    document = await _uploaded(chair, {"slot": await _slot(world, 1)})
    path = f"/files/{document['id']}"

    anonymous = await client.http.get(path)
    bad_bearer = await client.http.get(path, headers={"Authorization": "Bearer not-a-jwt"})
    # Any signed-in person may read the evidence, not only who may attach it.
    member = await client.http.get(path, headers=world.client(client, "MEMBER").headers)
    bearer_and_bad_link = await client.http.get(
        path, params={"token": "1.x"}, headers=chair.headers
    )

    assert anonymous.status_code == 401
    assert anonymous.headers["www-authenticate"] == "Bearer"
    assert bad_bearer.status_code == 401
    assert member.status_code == 200
    assert member.content == PDF
    assert bearer_and_bad_link.status_code == 200


async def test_unknown_deleted_and_malformed_ids_all_answer_404(client: GraphQLClient) -> None:
    world = await make_world()
    chair = world.client(client, "CHAIR")
    kept = await _uploaded(chair, {"slot": await _slot(world, 1)})
    deleted = await _uploaded(chair, {"slot": await _slot(world, 1)})
    await chair.data(DELETE, {"input": {"id": deleted["id"]}})

    answers = [
        await client.http.get(f"/files/{document_id}", headers=chair.headers)
        for document_id in (
            gid("Document", 999_999),
            deleted["id"],
            "not-an-id",
            gid("User", world.users["CHAIR"].id),
        )
    ]
    # A link signed before the deletion is no key to the bytes either.
    by_link = await client.http.get(
        f"/files/{deleted['id']}",
        params={"token": signed_links.sign(LinkFor.DOCUMENT, _pk(deleted))},
    )

    assert [a.status_code for a in [*answers, by_link]] == [404] * 5
    assert len({a.content for a in [*answers, by_link]}) == 1  # the same answer for each
    assert (await client.http.get(kept["downloadUrl"])).status_code == 200


async def test_deleting_evidence_empties_the_slot_and_is_audited(client: GraphQLClient) -> None:
    world = await make_world()
    chair = world.client(client, "CHAIR")
    document = await _uploaded(chair, {"slot": await _slot(world, 1)})

    deleted = await chair.data(DELETE, {"input": {"id": document["id"], "reason": "แนบผิดฉบับ"}})
    files = await _step_files(chair, world, 1)
    completed = await _complete(chair, world, 1)
    again = await chair.data(DELETE, {"input": {"id": document["id"]}})
    download = await client.http.get(document["downloadUrl"])

    assert deleted["documentDelete"] == {
        "document": {"id": document["id"], "filename": "evidence.pdf"},
        "errors": [],
    }
    assert files == []
    assert completed["errors"] == [{"code": "DOCUMENTS_MISSING"}]
    event = await AuditEvent.get(action="document.delete")
    assert (event.reason, event.before["sha256"]) == ("แนบผิดฉบับ", documents.sha256_of(PDF))
    assert again["documentDelete"]["errors"] == [{"code": "NOT_FOUND", "field": ["input", "id"]}]
    assert download.status_code == 404
    assert await Document.all().count() == 1  # kept, marked, for the audit trail


async def test_only_those_who_may_attach_delete(client: GraphQLClient) -> None:
    world = await make_world()
    document = await _uploaded(world.client(client, "CHAIR"), {"slot": await _slot(world, 1)})

    by_member = await world.client(client, "MEMBER").post(DELETE, {"input": {"id": document["id"]}})
    anonymous = await client.post(DELETE, {"input": {"id": document["id"]}})

    assert_forbidden(by_member)
    assert_unauthenticated(anonymous)
    assert await Document.filter(deleted_at__isnull=True).count() == 1


async def test_documents_and_their_links_are_for_signed_in_viewers(client: GraphQLClient) -> None:
    world = await make_world()
    assert world.cycle
    chair = world.client(client, "CHAIR")
    document = await _uploaded(chair, {"slot": await _slot(world, 1)})
    node = "query($id: ID!) { node(id: $id) { ... on Document { filename downloadUrl } } }"

    as_chair = await chair.data(node, {"id": document["id"]})
    anonymous = await client.post(node, {"id": document["id"]})
    through_cycle = await client.post(CYCLE_FILES, {"id": gid("Cycle", world.cycle.id)})

    assert as_chair["node"]["filename"] == "evidence.pdf"
    assert_unauthenticated(anonymous)
    # node(id:) hands anonymous callers a cycle; the files in it still come without links.
    assert set(error_codes(through_cycle)) == {"UNAUTHENTICATED"}
    assert "/files/" not in json.dumps(through_cycle)


async def test_listing_a_cycles_files_reads_in_fixed_sql(client: GraphQLClient) -> None:
    world = await make_world()
    assert world.cycle
    cycle_id = gid("Cycle", world.cycle.id)
    chair = world.client(client, "CHAIR")
    slots = [s.id for s in await DocumentSlot.filter(step__cycle_id=world.cycle.id)]

    async def attach_to_every_slot(times: int) -> None:
        for slot_id in slots:
            for _ in range(times):
                await documents.attach(
                    actor=SYSTEM,
                    target=AttachTo.SLOT,
                    target_id=slot_id,
                    upload=documents.Upload("evidence.pdf", PDF, "application/pdf"),
                )

    async def listing() -> tuple[int, int]:
        with count_queries() as statements:
            data = await chair.data(CYCLE_FILES, {"id": cycle_id})
        files = sum(len(s["files"]) for step in data["node"]["steps"] for s in step["documents"])
        return len(statements), files

    await attach_to_every_slot(1)
    one_each = await listing()
    await attach_to_every_slot(4)
    five_each = await listing()

    assert one_each[1] == len(slots) and five_each[1] == 5 * len(slots)
    assert one_each[0] == five_each[0]


async def test_a_finished_steps_evidence_changes_only_after_reopening(
    client: GraphQLClient,
) -> None:
    world = await make_world()
    chair = world.client(client, "CHAIR")
    slot = {"slot": await _slot(world, 1)}
    document = await _uploaded(chair, slot)
    assert (await _complete(chair, world, 1))["errors"] == []

    refused = await _upload(chair, slot)
    refused_delete = await chair.data(DELETE, {"input": {"id": document["id"], "reason": "ผิดไฟล์"}})

    assert refused["errors"][0]["code"] == "INVALID_TRANSITION"
    assert refused_delete["documentDelete"]["errors"][0]["code"] == "INVALID_TRANSITION"
