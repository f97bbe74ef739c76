"""A work's landing page ``GET /works/{registry number}`` (any case; the canonical address is
the one posts link to), its cover ``/works/{number}/cover`` and its public files
``/works/{number}/files/{kind}``. 404 for an unknown or unpublished number, 410 for a work
that was published and no longer is."""

from fastapi import APIRouter, Request, Response
from fastapi.responses import RedirectResponse

from api.public import metadata
from api.public.pages import cached, error_page, language, render
from api.public.text import Words
from models.work import Work, WorkFileKind
from services import public_works
from services.cover_images import cover_png
from services.public_works import Visibility
from services.publishing import slug_of
from services.storage import content_disposition, default_storage

router = APIRouter()
FILE_KINDS = {kind.value.lower().replace("_", "-"): kind for kind in WorkFileKind}


async def _published(request: Request, number: str) -> Work | Response:
    """The published work, or the page that says why there is none."""
    found, work = await public_works.find(number)
    if found == Visibility.PUBLIC and work is not None:
        return work
    if found == Visibility.GONE and work is not None:
        return error_page(request, 410, "gone_title", number=work.registry_number)
    return error_page(request, 404, "not_found_title")


@router.get("/works/{number}", include_in_schema=False)
async def landing(request: Request, number: str) -> Response:
    work = await _published(request, number)
    if isinstance(work, Response):
        return work
    if number != slug_of(work):
        # One address per work, as posts write it: LO-2565-0001 → lo-2565-0001.
        target = f"/works/{slug_of(work)}"
        return RedirectResponse(
            target + (f"?{request.url.query}" if request.url.query else ""), 301
        )
    view = await public_works.load(work)
    words = Words(language(request))
    html = render(
        "work.html",
        request,
        view=view,
        title=metadata.title(view, words),
        description=metadata.description(view, words),
        canonical=metadata.page_url(view),
        open_graph=metadata.open_graph(view, words),
        highwire=metadata.highwire(view),
        json_ld=metadata.json_ld(view),
        citation=metadata.citation(view, words),
        file_path=lambda file: metadata.file_path(view, file),
        author_name=lambda author: metadata.author_name(author, words),
    )
    return cached(
        request, html, media_type="text/html; charset=utf-8", last_modified=view.changed_at
    )


@router.get("/works/{number}/cover", include_in_schema=False)
async def cover(request: Request, number: str) -> Response:
    """The work's latest cover image, or a plain one of its kind's colours."""
    work = await _published(request, number)
    if isinstance(work, Response):
        return work
    file = await public_works.public_file(work, WorkFileKind.COVER_IMAGE)
    if file is None or not file.storage_key:
        return cached(
            request,
            cover_png(work.kind.value, work.id),
            media_type="image/png",
            last_modified=work.updated_at,
            vary_language=False,
        )
    data = await default_storage().read(file.storage_key)
    return cached(
        request,
        data,
        media_type=file.content_type,
        last_modified=file.uploaded_at,
        vary_language=False,
    )


@router.get("/works/{number}/files/{kind}", include_in_schema=False)
async def public_file(request: Request, number: str, kind: str) -> Response:
    """The latest version of a file of a kind the work's unit makes public."""
    work = await _published(request, number)
    if isinstance(work, Response):
        return work
    file_kind = FILE_KINDS.get(kind)
    file = await public_works.public_file(work, file_kind) if file_kind else None
    if file is None or not file.storage_key:
        return error_page(request, 404, "not_found_title")
    response = cached(
        request,
        await default_storage().read(file.storage_key),
        media_type=file.content_type,
        last_modified=file.uploaded_at,
        vary_language=False,
    )
    if response.status_code == 200:
        # A PDF opens in the browser (Google Scholar reads it there); others download.
        disposition = content_disposition(file.filename)
        if file.content_type == metadata.PDF:
            disposition = disposition.replace("attachment", "inline", 1)
        response.headers["Content-Disposition"] = disposition
        response.headers["X-Content-Type-Options"] = "nosniff"
    return response
