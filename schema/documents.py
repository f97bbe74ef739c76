"""Files attached as evidence: document slots of steps, appointment orders, meetings."""

from collections.abc import Iterable
from datetime import datetime
from typing import Any
from urllib.parse import quote, urlencode

import strawberry
from starlette.datastructures import UploadFile
from strawberry import relay
from strawberry.file_uploads import Upload

from models.document import Document
from schema.errors import UserError, payload
from schema.inputs import Input, node_id
from schema.relay import ModelNode, read_rule
from schema.users import UserNode, user_node
from services import documents, signed_links
from services.documents import AttachTo
from services.errors import DomainError, ErrorCode

LINK_MINUTES = signed_links.LIFETIME_SECONDS // 60


@strawberry.type(name="Document", description="An uploaded file (เอกสาร).")
class DocumentNode(ModelNode):
    model = Document

    id: relay.NodeID[int]
    filename: str = strawberry.field(description="Name as uploaded.")
    content_type: str = strawberry.field(description="MIME type detected from the bytes.")
    size: int = strawberry.field(description="Size in bytes.")
    sha256: str = strawberry.field(description="SHA-256 of the bytes, hex.")
    uploaded_at: datetime = strawberry.field(description="When it was uploaded (UTC).")
    uploaded_by_id: strawberry.Private[int | None]

    @classmethod
    def from_model(cls, obj: Document) -> "DocumentNode":
        return cls(
            id=obj.id,
            filename=obj.filename,
            content_type=obj.content_type,
            size=obj.size,
            sha256=obj.sha256,
            uploaded_at=obj.uploaded_at,
            uploaded_by_id=obj.uploaded_by_id,
        )

    visible = read_rule(documents.visible_to)

    @strawberry.field(description="Who uploaded it.")
    async def uploaded_by(self, info: strawberry.Info) -> UserNode | None:
        return await user_node(info, self.uploaded_by_id)

    @strawberry.field(
        description=f"Where to download the file: a relative URL, signed and valid for "
        f"{LINK_MINUTES} minutes, that a browser can follow without an Authorization header."
    )
    def download_url(self, info: strawberry.Info) -> str:
        token = documents.download_link_token(info.context.actor, self.id)
        # Safe in a path already (a document's global id is letters, digits and "="); quoted
        # so that the URL stays right whatever an id ever holds.
        path = quote(relay.to_base64(DocumentNode, self.id), safe="=")
        return f"/files/{path}?{urlencode({'token': token})}"


def document_nodes(rows: Iterable[Document]) -> list[DocumentNode]:
    return [DocumentNode.from_model(d) for d in rows]


@strawberry.input(
    description="A file and the one thing it is attached to: give exactly one of `slot`, "
    '`order` and `meeting` (a problem with them is reported on ["input", "attachTo"]). Sent as '
    "a GraphQL multipart request with a GraphQL-Require-Preflight header."
)
class DocumentUploadInput:
    file: Upload = strawberry.field(
        description="The file (a multipart part). Its bytes must be PDF, an image, an Office "
        "document or UTF-8 text, and agree with the declared type."
    )
    slot: relay.GlobalID | None = strawberry.field(
        default=None, description="A step's document slot: evidence for the step."
    )
    order: relay.GlobalID | None = strawberry.field(
        default=None, description="An appointment order: e.g. its signed copy."
    )
    meeting: relay.GlobalID | None = strawberry.field(
        default=None, description="A meeting: e.g. its minutes."
    )
    activity_report: relay.GlobalID | None = strawberry.field(
        default=None, description="An activity's progress report: its evidence."
    )


@strawberry.type(description="Result of `documentUpload`.")
class DocumentUploadPayload:
    document: DocumentNode | None = strawberry.field(default=None, description="The new file.")
    errors: list[UserError] = strawberry.field(description="Why nothing was stored, if so.")


@strawberry.input(description="Remove a file; its record stays in the audit trail.")
class DocumentDeleteInput:
    id: relay.GlobalID = strawberry.field(description="The document.")
    reason: str | None = strawberry.field(default=None, description="Why; kept in the audit.")


@strawberry.type(description="Result of `documentDelete`.")
class DocumentDeletePayload:
    document: DocumentNode | None = strawberry.field(
        default=None, description="The file as it was; it can no longer be downloaded."
    )
    errors: list[UserError] = strawberry.field(description="Why nothing changed, if so.")


def _target(input: DocumentUploadInput) -> tuple[AttachTo, int]:
    given = [
        (target, global_id, node_type, field)
        for target, global_id, node_type, field in (
            (AttachTo.SLOT, input.slot, "DocumentSlot", "slot"),
            (AttachTo.ORDER, input.order, "AppointmentOrder", "order"),
            (AttachTo.MEETING, input.meeting, "Meeting", "meeting"),
            (
                AttachTo.ACTIVITY_REPORT,
                input.activity_report,
                "ActivityProgressReport",
                "activityReport",
            ),
        )
        if global_id is not None
    ]
    if len(given) != 1:
        raise DomainError.of(ErrorCode.INVALID_INPUT, "attach_to_one", field=("attachTo",))
    target, global_id, node_type, field = given[0]
    return target, node_id(global_id, node_type, field)


async def _upload(file: object) -> documents.Upload | None:
    # None when the request carried no file: a JSON request can put any value in an Upload.
    if not isinstance(file, UploadFile):
        return None
    return documents.Upload(
        filename=file.filename or "", data=await file.read(), declared_type=file.content_type or ""
    )


@strawberry.type
class DocumentMutations:
    @strawberry.mutation(
        description="Attach a file to a step's document slot (whoever may complete the step), "
        "an appointment order or a meeting (unit chair or secretary), or a progress report "
        "(whoever may report the activity's progress)."
    )
    async def document_upload(
        self, info: strawberry.Info, input: Input[DocumentUploadInput]
    ) -> DocumentUploadPayload:
        async def run() -> dict[str, Any]:
            target, target_id = _target(input)
            document = await documents.attach(
                actor=info.context.actor,
                target=target,
                target_id=target_id,
                upload=await _upload(input.file),
            )
            return {"document": DocumentNode.from_model(document)}

        return await payload(info, DocumentUploadPayload, run)

    @strawberry.mutation(
        description="Remove a file (whoever may attach it); a slot left empty no longer counts "
        "as given."
    )
    async def document_delete(
        self, info: strawberry.Info, input: Input[DocumentDeleteInput]
    ) -> DocumentDeletePayload:
        async def run() -> dict[str, Any]:
            document = await documents.delete(
                actor=info.context.actor,
                document_id=node_id(input.id, DocumentNode),
                reason=input.reason,
            )
            return {"document": DocumentNode.from_model(document)}

        return await payload(info, DocumentDeletePayload, run)
