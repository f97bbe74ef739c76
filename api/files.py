"""File downloads: ``GET /files/{document global id}`` answers a document's bytes to a browser
following a signed link (``?token=``, from ``Document.downloadUrl``) or to a client sending its
``Authorization: Bearer`` access token.

401 without either, 403 for a link that does not check out, 404 for an id that is malformed,
unknown or deleted (one answer for all three). Credentials are checked before the lookup, so a
stranger cannot tell which documents exist.
"""

from fastapi import APIRouter, Request, Response
from strawberry import relay
from strawberry.relay import GlobalIDValueError

from api.context import get_context
from api.downloads import error_response, stored_file
from schema.documents import DocumentNode
from schema.inputs import node_id
from services import documents
from services.errors import AuthError, DomainError, Unauthenticated
from services.messages import Language, render

router = APIRouter()


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
        return error_response(401, message, {"WWW-Authenticate": "Bearer"})
    except AuthError as refusal:
        return error_response(403, render(refusal.message_key, language, refusal.params))
    except DomainError:
        return _not_found(language)
    return await stored_file(
        request,
        key=document.storage_key,
        facts=documents.facts_of(document),
        size=document.size,
        language=language,
    )


def _document_pk(document_id: str) -> int | None:
    """The database id in a Document's global id; None for anything else."""
    try:
        return node_id(relay.GlobalID.from_id(document_id), DocumentNode)
    except (GlobalIDValueError, DomainError):
        return None


def _not_found(language: Language) -> Response:
    return error_response(
        404, render("not_found", language, {"what": "เอกสาร", "what_en": "Document"})
    )
