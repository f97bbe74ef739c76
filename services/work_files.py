"""Files of a work (ไฟล์ผลงาน): full text, slides, poster, cover image — each kind versioned —
and video links. The bytes' type is detected (services/documents.detect_type) and must suit the
kind: a poster is a PDF or an image, slides a PDF or a presentation, and so on."""

from tortoise.expressions import Subquery
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from models.work import Work, WorkFile, WorkFileKind, WorkStatus
from services import audit, signed_links, works
from services.actor import Actor
from services.documents import Upload, detect_type
from services.errors import DomainError, ErrorCode
from services.labels import words
from services.signed_links import LinkFor
from services.storage import FileFacts, Storage, content_disposition, default_storage, sha256_of
from services.works import WorkAction, WorkStanding

PDF = "application/pdf"
PNG, JPEG, WEBP = "image/png", "image/jpeg", "image/webp"
DOC = "application/msword"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PPT = "application/vnd.ms-powerpoint"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
TYPES = {
    WorkFileKind.FULL_TEXT: {PDF, DOC, DOCX},
    WorkFileKind.SLIDES: {PDF, PPT, PPTX},
    WorkFileKind.POSTER: {PDF, PNG, JPEG},
    WorkFileKind.COVER_IMAGE: {PNG, JPEG, WEBP},
}
URL_MAX = 2000
EDITABLE = (WorkStatus.DRAFT, WorkStatus.RETURNED)


async def add_file(
    *,
    actor: Actor,
    work_id: int,
    kind: WorkFileKind,
    upload: Upload | None = None,
    url: str | None = None,
    storage: Storage | None = None,
) -> WorkFile:
    """The next version of the work's file of ``kind``. Authors add files while they may edit
    the work; the unit lead also later (a poster after registration), until it is archived."""
    storage = storage or default_storage()
    # The request itself first (nothing read, nothing stored) ...
    content_type, link = "", None
    if kind == WorkFileKind.VIDEO_LINK:
        link = (url or "").strip()
        if upload is not None:
            raise DomainError.of(ErrorCode.INVALID_INPUT, "video_is_a_link", field=("file",))
        if not link.startswith(("https://", "http://")) or len(link) > URL_MAX:
            raise DomainError.of(ErrorCode.INVALID_INPUT, "invalid_url", field=("url",))
    else:
        if upload is None:
            raise DomainError.of(ErrorCode.INVALID_INPUT, "required", field=("file",))
        content_type = detect_type(upload)
        if content_type not in TYPES[kind]:
            raise DomainError.of(
                ErrorCode.INVALID_INPUT,
                "file_type_not_for_kind",
                field=("file",),
                detected=content_type,
                kind=words(kind),
            )
    # ... then the bytes, then one transaction that locks the work, decides who may add to it
    # and records the file; if it fails, the stored bytes go too.
    sha256 = sha256_of(upload.data) if upload is not None else ""
    key = None
    if upload is not None:
        facts = FileFacts(
            sha256, content_type, content_disposition(upload.filename[:255], content_type)
        )
        key = await storage.save(upload.data, facts)
    try:
        async with in_transaction() as connection:
            work, standing = await works.lock_work_with_standing(
                actor, work_id, WorkAction.EDIT, connection
            )
            _require_files_open(work, standing)
            latest = (
                await WorkFile.filter(work_id=work_id, kind=kind)
                .using_db(connection)
                .order_by("-version")
                .first()
            )
            file = await WorkFile.create(
                work_id=work_id,
                kind=kind,
                version=(latest.version + 1) if latest else 1,
                filename=upload.filename[:255] if upload else "",
                content_type=content_type,
                size=len(upload.data) if upload else 0,
                sha256=sha256,
                storage_key=key,
                url=link,
                uploaded_by_id=actor.user_id,
                using_db=connection,
            )
            await audit.record(
                actor=actor,
                action="workFile.add",
                object_type="Work",
                object_id=work_id,
                after={
                    "kind": kind.value,
                    "version": file.version,
                    "filename": file.filename,
                    "contentType": content_type,
                    "sha256": file.sha256,
                    "url": link,
                },
                connection=connection,
            )
    except BaseException:
        if key:
            await storage.delete(key)
        raise
    return file


def _require_files_open(work: Work, standing: WorkStanding) -> None:
    """Authors add files while they may edit the work; the unit lead also later, until it is
    archived."""
    if work.status == WorkStatus.ARCHIVED or (
        work.status not in EDITABLE and not standing.unit.is_lead
    ):
        raise DomainError.of(
            ErrorCode.INVALID_TRANSITION, "work_files_locked", status=words(work.status)
        )


def visible_work_files(actor: Actor) -> QuerySet[WorkFile]:
    """The files of the works the actor may read."""
    return WorkFile.filter(work_id__in=Subquery(works.visible_works(actor).values("id")))


def download_token(file_id: int) -> str:
    return signed_links.sign(LinkFor.WORK_FILE, file_id)


async def for_download(file_id: int, token: str) -> WorkFile:
    """The file behind a valid link; NOT_FOUND otherwise (one answer for all)."""
    file = await WorkFile.get_or_none(id=file_id)
    if (
        file is None
        or not file.storage_key
        or not signed_links.check(LinkFor.WORK_FILE, file_id, token)
    ):
        raise DomainError.of(ErrorCode.NOT_FOUND, "not_found", what="ไฟล์", what_en="File")
    return file


def facts_of(file: WorkFile) -> FileFacts:
    return FileFacts(
        sha256=file.sha256,
        content_type=file.content_type,
        content_disposition=content_disposition(file.filename, file.content_type),
    )
