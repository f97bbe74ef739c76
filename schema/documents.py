"""Files attached as evidence: document slots of steps, appointment orders, meetings."""

from collections.abc import Iterable
from datetime import datetime

import strawberry
from strawberry import relay

from models.document import Document
from schema.relay import ModelNode
from schema.users import UserNode


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

    @strawberry.field(description="Who uploaded it.")
    async def uploaded_by(self, info: strawberry.Info) -> UserNode | None:
        if self.uploaded_by_id is None:
            return None
        user = await info.context.loaders.user.load(self.uploaded_by_id)
        return UserNode.from_model(user) if user else None


def document_nodes(documents: Iterable[Document]) -> list[DocumentNode]:
    return [DocumentNode.from_model(d) for d in documents]
