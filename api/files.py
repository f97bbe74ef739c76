"""File downloads: ``GET /files/{document global id}`` answers a document's bytes to a browser
following a signed link (``?token=``, from ``Document.downloadUrl``) or to a client sending its
``Authorization: Bearer`` access token.

401 without either, 403 for a link that does not check out, 404 for an id that is malformed,
unknown or deleted (one answer for all three). Credentials are checked before the lookup, so a
stranger cannot tell which documents exist.
"""

import json
import re
from collections.abc import Mapping
from urllib.parse import quote

from fastapi import APIRouter, Request, Response
from strawberry import relay
from strawberry.relay import GlobalIDValueError

from api.context import get_context
from schema.documents import DocumentNode
from schema.inputs import node_id
from services import documents
from services.errors import AuthError, DomainError, Unauthenticated
from services.messages import Language, render

router = APIRouter()

# What cannot stand in the quoted ASCII ``filename``: non-ASCII and control characters, the
# quote and backslash, and "%", which some browsers percent-decode there (RFC 6266 appendix D).
_NOT_FOR_FALLBACK = re.compile(r'[^\x20-\x7e]+|["\\%]')


@router.get("/files/{document_id}", include_in_schema=False)
async def download(request: Request, document_id: str, token: str | None = None) -> Response:
    context = await get_context(request)
    language = context.language
    pk = _document_pk(document_id)
    if pk is None:
        return _not_found(language)
    try:
        document = await documents.for_download(actor=context.actor, document_id=pk, token=token)
    except Unauthenticated as refusal:
        # An expired or invalid bearer token says which, as GraphQL's UNAUTHENTICATED does.
        message = render(context.auth_problem or refusal.message_key, language)
        return _refusal(401, message, {"WWW-Authenticate": "Bearer"})
    except AuthError as refusal:
        return _refusal(403, render(refusal.message_key, language))
    except DomainError:
        return _not_found(language)
    headers = download_headers(document.filename, document.content_type, document.sha256)
    if _matches(request.headers.get("if-none-match"), headers["ETag"]):
        return Response(status_code=304, headers=headers)
    data = await documents.read(document)
    return Response(data, media_type=document.content_type, headers=headers)


# Shown in the browser rather than saved: images only. A PDF is saved, because the sandboxing
# policy below stops browsers' PDF viewers, and an image cannot run script.
INLINE_TYPES = frozenset({"image/png", "image/jpeg", "image/webp", "image/gif"})
# Whatever a file holds, a browser that opens it runs nothing and loads nothing.
SANDBOX_POLICY = "default-src 'none'; sandbox"


def download_headers(filename: str, content_type: str, sha256: str) -> dict[str, str]:
    """The headers every uploaded file is served with."""
    return {
        "Content-Disposition": content_disposition(filename, inline=content_type in INLINE_TYPES),
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": SANDBOX_POLICY,
        "Cache-Control": "private, max-age=0",
        "ETag": f'"{sha256}"',
    }


def content_disposition(filename: str, *, inline: bool = False) -> str:
    """``attachment`` (or ``inline``) with the exact name in ``filename*`` (UTF-8,
    percent-encoded: RFC 6266, RFC 8187 which replaced RFC 5987) and an ASCII ``filename`` for
    clients that lack it."""
    fallback = _NOT_FOR_FALLBACK.sub("_", filename)
    disposition = "inline" if inline else "attachment"
    return f"{disposition}; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def _document_pk(document_id: str) -> int | None:
    """The database id in a Document's global id; None for anything else."""
    try:
        return node_id(relay.GlobalID.from_id(document_id), DocumentNode)
    except (GlobalIDValueError, DomainError):
        return None


def _matches(if_none_match: str | None, etag: str) -> bool:
    """RFC 9110 §13.1.2: weak comparison, any of a list, or ``*``."""
    tags = [tag.strip().removeprefix("W/") for tag in (if_none_match or "").split(",")]
    return "*" in tags or etag in tags


def _not_found(language: Language) -> Response:
    return _refusal(404, render("not_found", language, {"what": "เอกสาร", "what_en": "Document"}))


def _refusal(status: int, message: str, headers: Mapping[str, str] | None = None) -> Response:
    # The same error shape as the rest of the API.
    return Response(
        json.dumps({"errors": [{"message": message}]}, ensure_ascii=False),
        status_code=status,
        media_type="application/json",
        headers=headers,
    )
