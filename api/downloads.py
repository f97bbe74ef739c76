"""A stored file's answer to a browser, the same for documents and work files: a redirect to a
short-lived URL of the bucket (``LOHUB_STORAGE_DOWNLOADS=presigned``), else the bytes streamed
through LO Hub. Bytes missing from the store are a 404 that says so, a store out of reach a 503
with ``Retry-After``; neither is a 500."""

import json
import logging
from collections.abc import Mapping

from fastapi import Request, Response
from fastapi.responses import RedirectResponse, StreamingResponse

from services.errors import RETRY_AFTER_SECONDS, unavailable_error
from services.messages import Language, render
from services.storage import FileFacts, StorageUnavailable, StoredFileMissing, default_storage

log = logging.getLogger("lohub.files")
# Whatever a file holds, a browser that opens it runs nothing and loads nothing.
SANDBOX_POLICY = "default-src 'none'; sandbox"


async def stored_file(
    request: Request, *, key: str, facts: FileFacts, size: int, language: Language
) -> Response:
    headers = {
        "Content-Disposition": facts.content_disposition,
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": SANDBOX_POLICY,
        "Cache-Control": "private, max-age=0",
        "ETag": f'"{facts.sha256}"',
    }
    if _matches(request.headers.get("if-none-match"), headers["ETag"]):
        return Response(status_code=304, headers=headers)
    storage = default_storage()
    try:
        url = await storage.download_url(key, facts)
        if url is not None:
            # The URL expires: neither the browser nor a proxy may keep the redirect.
            return RedirectResponse(url, status_code=307, headers={"Cache-Control": "no-store"})
        chunks = await storage.stream(key)
    except StoredFileMissing:
        log.error("stored file %s is missing from the storage", key)
        return error_response(404, render("file_content_missing", language))
    except StorageUnavailable as error:
        log.warning("storage unavailable: %s", error)
        return unavailable_response(language)
    headers["Content-Length"] = str(size)
    return StreamingResponse(chunks, media_type=facts.content_type, headers=headers)


def unavailable_response(language: Language) -> Response:
    return Response(
        json.dumps({"errors": [unavailable_error(language)]}, ensure_ascii=False),
        status_code=503,
        media_type="application/json",
        headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
    )


def error_response(status: int, message: str, headers: Mapping[str, str] | None = None) -> Response:
    """The same error shape as the rest of the API."""
    return Response(
        json.dumps({"errors": [{"message": message}]}, ensure_ascii=False),
        status_code=status,
        media_type="application/json",
        headers=headers,
    )


def _matches(if_none_match: str | None, etag: str) -> bool:
    """RFC 9110 §13.1.2: weak comparison, any of a list, or ``*``."""
    tags = [tag.strip().removeprefix("W/") for tag in (if_none_match or "").split(",")]
    return "*" in tags or etag in tags
