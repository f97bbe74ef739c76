"""Placeholder evidence for the demo: a one-page PDF standing in for scanned documents."""

from services import documents
from services.actor import SYSTEM

PLACEHOLDER_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


async def attach_placeholder(target: documents.AttachTo, target_id: int, filename: str) -> None:
    await documents.attach(
        actor=SYSTEM,
        target=target,
        target_id=target_id,
        upload=documents.Upload(filename, PLACEHOLDER_PDF, "application/pdf"),
    )
