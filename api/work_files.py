"""Work file downloads: ``GET /files/work-files/{WorkFile global id}?token=`` answers the bytes
of a work's file to whoever follows a signed link from ``WorkFile.downloadUrl`` (handed only to
viewers who may see the work). A link naming the file by its database id still opens while its
signature holds. 404 for an unknown id, a missing or bad token and a link past its time alike."""

from fastapi import APIRouter, Request, Response
from strawberry import relay
from strawberry.relay import GlobalIDValueError

from api.context import get_context
from api.downloads import error_response, stored_file
from schema.inputs import node_id
from schema.works.types import WorkFileNode
from services import work_files
from services.errors import DomainError, ErrorCode
from services.messages import render

router = APIRouter()


@router.get("/files/work-files/{file_id}", include_in_schema=False)
async def download(request: Request, file_id: str, token: str = "") -> Response:
    language = (await get_context(request)).language
    try:
        file = await work_files.for_download(_file_pk(file_id), token)
    except DomainError:
        message = render("not_found", language, {"what": "ไฟล์", "what_en": "File"})
        return error_response(404, message)
    assert file.storage_key is not None  # for_download answers files with bytes only
    return await stored_file(
        request,
        key=file.storage_key,
        facts=work_files.facts_of(file),
        size=file.size,
        language=language,
    )


def _file_pk(file_id: str) -> int:
    """The database id in a WorkFile's global id, or the id itself (the signature covers it)."""
    if file_id.isascii() and file_id.isdigit() and len(file_id) <= 10:
        return int(file_id)
    try:
        return node_id(relay.GlobalID.from_id(file_id), WorkFileNode)
    except GlobalIDValueError:
        raise DomainError.of(ErrorCode.NOT_FOUND, "not_found") from None
