"""LIKE Talk Award exports: ``GET /exports/contests/{contest id}/{entries,judges}.{xlsx,csv}``
with the client's ``Authorization: Bearer`` access token, or a link signed for the viewer
(``Contest.exportUrl``, ``?lang=th|en``) — one table by entry (aggregates, rank,
per-criterion means, judges' comments) or by judge (every criterion's score and comment, weighted
total, z-score). For organisers and managers.

401 without a valid token, 403 for anyone else, 404 for a malformed or unknown id. Headings
follow ``Accept-Language`` (Thai by default). CSV is UTF-8 with a byte-order mark (so Excel
reads Thai) and a text that starts like a formula is prefixed with an apostrophe.
"""

import asyncio
import csv
import io
from datetime import datetime
from typing import Any, Literal

from fastapi import APIRouter, Request, Response
from strawberry import relay
from strawberry.relay import GlobalIDValueError

from api.context import get_context
from api.export_links import export_language, export_viewer
from api.exports import _refusal
from api.workbooks import XLSX_MEDIA_TYPE, Sheet, workbook_bytes
from models.contest import Contest
from schema.contests.types import ContestNode
from schema.inputs import node_id
from services.contests import access, exports
from services.contests.exports import Table
from services.errors import AuthError, DomainError, Unauthenticated
from services.messages import render
from services.signed_links import LinkFor
from services.storage import content_disposition

router = APIRouter()
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@router.get("/exports/contests/{contest_id}/{table}.{extension}", include_in_schema=False)
async def contest_table(
    request: Request,
    contest_id: str,
    table: Literal["entries", "judges"],
    extension: Literal["xlsx", "csv"],
) -> Response:
    context = await get_context(request)
    language = export_language(request, context)
    pk = _contest_pk(contest_id)
    actor = await export_viewer(request, context, LinkFor.CONTEST_EXPORT, pk)
    if actor is None:
        message = render(context.auth_problem or "unauthenticated", language)
        return _refusal(401, message, {"WWW-Authenticate": "Bearer"})
    contest = await Contest.get_or_none(id=pk) if pk is not None else None
    if contest is None:
        return _not_found(language)
    try:
        await access.get_contest(actor, contest.id)
        found = await exports.tables(actor=actor, contest=contest, language=language, only=table)
    except Unauthenticated as refusal:
        return _refusal(401, render(refusal.message_key, language), {"WWW-Authenticate": "Bearer"})
    except AuthError as refusal:
        return _refusal(403, render(refusal.message_key, language, refusal.params))
    except DomainError:
        return _not_found(language)
    chosen = next(t for t in found if t.name == table)
    if extension == "xlsx":
        data = await asyncio.to_thread(table_workbook, chosen)
        media_type = XLSX_MEDIA_TYPE
    else:
        data = csv_bytes(chosen)
        media_type = "text/csv; charset=utf-8"
    return Response(
        data,
        media_type=media_type,
        headers={
            "Content-Disposition": content_disposition(
                f"like-talk-{contest.fiscal_year}-{table}.{extension}"
            ),
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "private, no-store",
        },
    )


def table_workbook(table: Table) -> bytes:
    return workbook_bytes([Sheet(table.name, [table.header, *table.rows])])


def _csv_value(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="minutes")
    if value is None:
        return ""
    return value


def csv_bytes(table: Table) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(table.header)
    for row in table.rows:
        writer.writerow([_csv_value(v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode()


def _contest_pk(contest_id: str) -> int | None:
    try:
        return node_id(relay.GlobalID.from_id(contest_id), ContestNode)
    except (GlobalIDValueError, DomainError):
        return None


def _not_found(language: Any) -> Response:
    return _refusal(404, render("not_found", language, {"what": "การประกวด", "what_en": "Contest"}))
