"""Work file downloads: ``GET /files/work-files/{id}?token=`` answers the bytes of a work's file
to whoever follows a signed link from ``WorkFile.downloadUrl`` (handed only to viewers who may
see the work). 404 for an unknown id, a missing or bad token and a link past its time alike."""

import json

from fastapi import APIRouter, Request, Response

from api.context import get_context
from api.files import download_headers
from services import work_files
from services.errors import DomainError, ErrorCode
from services.messages import render

router = APIRouter()


@router.get("/files/work-files/{file_id}", include_in_schema=False)
async def download(request: Request, file_id: str, token: str = "") -> Response:
    language = (await get_context(request)).language
    try:
        if not (file_id.isascii() and file_id.isdigit() and len(file_id) <= 10):
            raise DomainError.of(ErrorCode.NOT_FOUND, "not_found")
        file, data = await work_files.for_download(int(file_id), token)
    except DomainError:
        message = render("not_found", language, {"what": "ไฟล์", "what_en": "File"})
        return Response(
            json.dumps({"errors": [{"message": message}]}, ensure_ascii=False),
            status_code=404,
            media_type="application/json",
        )
    return Response(
        data,
        media_type=file.content_type,
        headers=download_headers(file.filename, file.content_type, file.sha256),
    )
