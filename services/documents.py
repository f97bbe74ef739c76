"""Evidence files: upload into a step's document slot, an appointment order, a meeting or a
progress report; soft deletion kept in the audit trail; short-lived signed download links.

The content type is what the bytes are, not what the client says: an upload whose bytes
contradict its declared type, or whose type is not on the list, is refused.
"""

from dataclasses import dataclass
from enum import StrEnum
from typing import cast

import puremagic
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from models.committee import AppointmentOrder
from models.cycle import Cycle, CycleStep, DocumentSlot
from models.document import Document
from models.plan import ActivityOwner, ActivityProgressReport
from services import audit, signed_links
from services.activities import may_report
from services.actor import Actor
from services.cycles import FINISHED, StepAction, step_standing
from services.errors import (
    DomainError,
    ErrorCode,
    Forbidden,
    ForbiddenReason,
    Unauthenticated,
    not_found,
)
from services.permissions import require_authenticated, require_unit_lead, standing_in_unit
from services.polyglots import second_type
from services.settings import get_settings
from services.signed_links import LinkFor
from services.storage import FileFacts, Storage, content_disposition, default_storage, sha256_of
from services.tokens import utcnow

ALLOWED_TYPES = {
    "application/pdf",
    "image/png",
    "image/jpeg",
    "image/webp",
    "application/msword",
    "application/vnd.ms-excel",
    "application/vnd.ms-powerpoint",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "text/plain",
    "text/csv",
}
# Text has no magic number: accepted when declared so and valid UTF-8.
TEXT_TYPES = {"text/plain", "text/csv"}
# Declared types that say nothing, so any detected type agrees with them.
UNSPECIFIC_TYPES = {"", "application/octet-stream"}


class AttachTo(StrEnum):
    SLOT = "SLOT"
    ORDER = "ORDER"
    MEETING = "MEETING"
    ACTIVITY_REPORT = "ACTIVITY_REPORT"


@dataclass(frozen=True)
class Upload:
    filename: str
    data: bytes
    declared_type: str


async def attach(
    *,
    actor: Actor,
    target: AttachTo,
    target_id: int,
    upload: Upload | None,
    storage: Storage | None = None,
) -> Document:
    """``upload`` is None when the request carried no file."""
    storage = storage or default_storage()
    await _require_may_attach(actor, target, target_id)
    if upload is None:
        raise DomainError.of(ErrorCode.INVALID_INPUT, "required", field=("file",))
    content_type = detect_type(upload)
    filename = _safe_filename(upload.filename)
    sha256 = sha256_of(upload.data)
    key = await storage.save(
        upload.data, FileFacts(sha256, content_type, content_disposition(filename, content_type))
    )
    try:
        async with in_transaction() as connection:
            await _lock_unfinished_step(target, target_id, connection)
            document = await Document.create(
                **{f"{target.value.lower()}_id": target_id},
                filename=filename,
                content_type=content_type,
                size=len(upload.data),
                sha256=sha256,
                storage_key=key,
                uploaded_by_id=actor.user_id,
                using_db=connection,
            )
            await audit.record(
                actor=actor,
                action="document.upload",
                object_type="Document",
                object_id=document.id,
                after={
                    "attachedTo": f"{target.value}:{target_id}",
                    "filename": document.filename,
                    "contentType": content_type,
                    "size": document.size,
                    "sha256": document.sha256,
                },
                connection=connection,
            )
    except BaseException:
        await storage.delete(key)
        raise
    return document


async def delete(*, actor: Actor, document_id: int, reason: str | None) -> Document:
    """Mark deleted (the bytes and the row stay, for the audit trail); the slot is empty again."""
    require_authenticated(actor)
    document = await _attached().get_or_none(id=document_id)
    if document is None:
        raise _document_not_found()
    target, target_id = _target_of(document)
    await _require_may_attach(actor, target, target_id)
    async with in_transaction() as connection:
        await _lock_unfinished_step(target, target_id, connection)
        document.deleted_at = utcnow()
        # Conditional, so that of two concurrent deletions only one happens and is audited.
        deleted = (
            await _attached()
            .filter(id=document.id)
            .using_db(connection)
            .update(deleted_at=document.deleted_at)
        )
        if not deleted:
            raise _document_not_found()
        await audit.record(
            actor=actor,
            action="document.delete",
            object_type="Document",
            object_id=document.id,
            before={"filename": document.filename, "sha256": document.sha256},
            reason=reason,
            connection=connection,
        )
    return document


def visible_to(actor: Actor) -> QuerySet[Document]:
    """Anyone signed in sees every document still attached; deleted ones live on in the audit."""
    require_authenticated(actor)
    return _attached()


async def for_download(*, actor: Actor, document_id: int, token: str | None) -> Document:
    """The document behind a signed link (``token``) or a signed-in request. The credentials
    are checked before the lookup, so that a stranger cannot probe which ids exist."""
    signed = token is not None and signed_links.check(LinkFor.DOCUMENT, document_id, token)
    if not (signed or actor.is_authenticated):
        # A link that does not check out is refused as such; no credentials at all are asked for.
        if token is not None:
            raise Forbidden(message_key="download_link_invalid")
        raise Unauthenticated()
    document = await _attached().get_or_none(id=document_id)
    if document is None:
        raise _document_not_found()
    return document


def detect_type(upload: Upload) -> str:
    settings = get_settings()
    if len(upload.data) > settings.max_upload_bytes:
        raise DomainError.of(
            ErrorCode.INVALID_INPUT,
            "file_too_large",
            field=("file",),
            max=settings.max_upload_bytes,
        )
    declared = upload.declared_type.split(";")[0].strip().lower()
    try:
        detected = puremagic.from_string(upload.data, mime=True) or None
    except (puremagic.PureError, ValueError):
        detected = None
    if detected is None and declared in TEXT_TYPES and _is_utf8(upload.data):
        detected = declared
    if detected is None or detected not in ALLOWED_TYPES:
        raise DomainError.of(ErrorCode.INVALID_INPUT, "file_type_not_allowed", field=("file",))
    other = second_type(upload.data, detected)
    if other is not None:
        raise DomainError.of(
            ErrorCode.INVALID_INPUT,
            "file_type_ambiguous",
            field=("file",),
            detected=detected,
            other=other,
        )
    if declared not in UNSPECIFIC_TYPES and declared != detected:
        raise DomainError.of(
            ErrorCode.INVALID_INPUT,
            "file_type_mismatch",
            field=("file",),
            declared=declared,
            detected=detected,
        )
    return detected


def download_link_token(actor: Actor, document_id: int) -> str:
    """A download token for a viewer: links are handed to signed-in people only."""
    require_authenticated(actor)
    return signed_links.sign(LinkFor.DOCUMENT, document_id)


def facts_of(document: Document) -> FileFacts:
    return FileFacts(
        sha256=document.sha256,
        content_type=document.content_type,
        content_disposition=content_disposition(document.filename, document.content_type),
    )


async def _require_may_attach(actor: Actor, target: AttachTo, target_id: int) -> None:
    """Evidence for a step: whoever may complete it, while it is not finished (a finished step's
    evidence changes only after the chair reopens it). Orders and meetings: the unit lead."""
    require_authenticated(actor)
    if target == AttachTo.SLOT:
        slot = await DocumentSlot.get_or_none(id=target_id)
        step = await CycleStep.get_or_none(id=slot.step_id) if slot else None
        if step is None:
            raise _missing_target()
        standing = await step_standing(actor, step)
        if not standing.may(StepAction.COMPLETE):
            raise standing.refusal(StepAction.COMPLETE)
        if step.status in FINISHED:
            raise DomainError.of(ErrorCode.INVALID_TRANSITION, "step_finished", field=("slot",))
        return
    if target == AttachTo.ACTIVITY_REPORT:
        await _require_may_report(actor, target_id)
        return
    if target == AttachTo.ORDER:
        unit_id = (
            await AppointmentOrder.filter(id=target_id).first().values_list("unit_id", flat=True)
        )
    else:
        unit_id = (
            await Cycle.filter(meetings__id=target_id).first().values_list("unit_id", flat=True)
        )
    if unit_id is None:
        raise _missing_target()
    await require_unit_lead(actor, cast(int, unit_id))


async def _require_may_report(actor: Actor, report_id: int) -> None:
    report = await ActivityProgressReport.get_or_none(id=report_id).prefetch_related(
        "activity__plan__cycle"
    )
    if report is None:
        raise _missing_target()
    activity = report.activity
    standing = await standing_in_unit(actor, activity.plan.cycle.unit_id)
    owners = await ActivityOwner.filter(activity_id=activity.id).values_list("person_id", flat=True)
    if not may_report(standing, cast(list[int], owners)):
        raise standing.refusal(ForbiddenReason.ACTIVITY_OWNER_REQUIRED)


async def _lock_unfinished_step(
    target: AttachTo, target_id: int, connection: BaseDBAsyncClient
) -> None:
    """Inside the change's transaction, hold the slot's step as completing it does, and check
    again that it is not finished: an upload or deletion racing a completion cannot slip in."""
    if target != AttachTo.SLOT:
        return
    slot = await DocumentSlot.get(id=target_id, using_db=connection)
    step = await CycleStep.filter(id=slot.step_id).select_for_update().using_db(connection).get()
    if step.status in FINISHED:
        raise DomainError.of(ErrorCode.INVALID_TRANSITION, "step_finished", field=("slot",))


def _target_of(document: Document) -> tuple[AttachTo, int]:
    for target in AttachTo:
        target_id = getattr(document, f"{target.value.lower()}_id")
        if target_id is not None:
            return target, target_id
    raise AssertionError("a document is attached to something")


def _attached() -> QuerySet[Document]:
    return Document.filter(deleted_at__isnull=True)


def _document_not_found() -> DomainError:
    return not_found("id", "เอกสาร", "Document")


def _missing_target() -> DomainError:
    return not_found("attachTo", "ที่แนบ", "Target")


def _safe_filename(name: str) -> str:
    cleaned = "".join(c for c in name.replace("\\", "/").rsplit("/", 1)[-1] if c.isprintable())
    return cleaned.strip()[:255] or "file"


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True
