"""Report exports: ``GET /exports/progress-reports/{global id}.{xlsx,html}`` and
``GET /exports/final-reports/{global id}.{xlsx,html}`` with the client's ``Authorization:
Bearer`` access token — a DOC 4.0 progress report or a final report as an Excel workbook, or as
a printable page (A4, print CSS: the browser's "Save as PDF" makes the PDF; LO Hub ships no PDF
renderer, whose system libraries and Thai fonts ``make install`` cannot provide).

Anyone signed in may read reports, as through GraphQL. 401 without a valid token, 404 for a
malformed or unknown id. Thai by default, English with ``Accept-Language: en``; Thai text is
stored as Unicode, every text written as text (never a formula) and escaped in HTML.
"""

import asyncio
import html
from collections.abc import Awaitable, Callable, Iterator
from decimal import Decimal
from typing import Any, Literal

from fastapi import APIRouter, Request, Response
from strawberry import relay
from strawberry.relay import GlobalIDValueError

from api.context import get_context
from api.exports import _refusal
from api.workbooks import XLSX_MEDIA_TYPE, Sheet, Styled, workbook_bytes
from schema.inputs import node_id
from schema.reports.types import FinalReportNode, ProgressReportNode
from services import report_exports
from services.errors import AuthError, DomainError, Unauthenticated
from services.messages import Language, render
from services.report_exports import ReportDocument
from services.storage import content_disposition

router = APIRouter()
Maker = Callable[..., Awaitable[ReportDocument]]


@router.get("/exports/progress-reports/{report_id}.{extension}", include_in_schema=False)
async def progress_report_export(
    request: Request, report_id: str, extension: Literal["xlsx", "html"]
) -> Response:
    return await _export(
        request, report_id, extension, ProgressReportNode, report_exports.progress_document
    )


@router.get("/exports/final-reports/{report_id}.{extension}", include_in_schema=False)
async def final_report_export(
    request: Request, report_id: str, extension: Literal["xlsx", "html"]
) -> Response:
    return await _export(
        request, report_id, extension, FinalReportNode, report_exports.final_document
    )


async def _export(
    request: Request, global_id: str, extension: str, node_type: type, make: Maker
) -> Response:
    context = await get_context(request)
    language = context.language
    if not context.actor.is_authenticated:
        message = render(context.auth_problem or "unauthenticated", language)
        return _refusal(401, message, {"WWW-Authenticate": "Bearer"})
    try:
        pk = node_id(relay.GlobalID.from_id(global_id), node_type)
        document = await make(actor=context.actor, report_id=pk, language=language)
    except Unauthenticated as refusal:
        return _refusal(401, render(refusal.message_key, language), {"WWW-Authenticate": "Bearer"})
    except AuthError as refusal:
        return _refusal(403, render(refusal.message_key, language, refusal.params))
    except (GlobalIDValueError, DomainError):
        return _refusal(404, render("not_found", language, {"what": "รายงาน", "what_en": "Report"}))
    headers = {"X-Content-Type-Options": "nosniff", "Cache-Control": "private, no-store"}
    if extension == "xlsx":
        data = await asyncio.to_thread(report_workbook, document)
        headers["Content-Disposition"] = content_disposition(f"{document.stem}.xlsx")
        return Response(data, media_type=XLSX_MEDIA_TYPE, headers=headers)
    headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    return Response(
        page_html(document, language), media_type="text/html; charset=utf-8", headers=headers
    )


def report_workbook(document: ReportDocument) -> bytes:
    """One sheet: the title, then each section's heading, header and rows."""
    return workbook_bytes(
        [
            Sheet(
                "Report",
                _report_rows(document),
                widths={"A": 36, "B": 70, "C": 18, "D": 18, "E": 18},
            )
        ]
    )


def _report_rows(document: ReportDocument) -> Iterator[list[Styled]]:
    yield [_styled(document.title, strong=True)]
    for section in document.sections:
        yield []
        yield [_styled(section.title, strong=True)]
        if section.header:
            yield [_styled(value, strong=True) for value in section.header]
        for row in section.rows:
            yield [_styled(value) for value in row]


def _styled(value: Any, *, strong: bool = False) -> Styled:
    number = float(value) if isinstance(value, Decimal) else value
    money = "#,##0.00" if isinstance(number, float) else None
    return Styled(number, number_format=money, bold=strong, wrap=True)


_CSS = """
@page { size: A4; margin: 18mm 15mm; }
body { font-family: "TH Sarabun New", "Sarabun", "Noto Sans Thai", "Leelawadee UI", Tahoma,
  sans-serif; font-size: 15px; color: #111; margin: 0 auto; max-width: 960px; }
h1 { font-size: 20px; text-align: center; margin: 12px 0 16px; }
h2 { font-size: 16px; border-bottom: 1px solid #444; margin: 18px 0 6px; }
table { border-collapse: collapse; width: 100%; page-break-inside: auto; }
tr { page-break-inside: avoid; }
th, td { border: 1px solid #999; padding: 4px 6px; vertical-align: top; text-align: left;
  white-space: pre-wrap; }
th { background: #eee; }
td.label { width: 32%; font-weight: bold; }
.num { text-align: right; }
@media print { .noprint { display: none; } body { max-width: none; } }
"""


def page_html(document: ReportDocument, language: Language) -> str:
    e = html.escape
    parts = [
        f'<!DOCTYPE html><html lang="{language}"><head><meta charset="utf-8">',
        f"<title>{e(document.title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{e(document.title)}</h1>",
    ]
    for section in document.sections:
        parts.append(f"<h2>{e(section.title)}</h2><table>")
        if section.header:
            parts.append("<tr>" + "".join(f"<th>{e(h)}</th>" for h in section.header) + "</tr>")
        for row in section.rows:
            cells = []
            for i, value in enumerate(row):
                text = "-" if value is None else str(value)
                if isinstance(value, Decimal):
                    text = f"{value:,.2f}"
                css = (
                    ' class="label"'
                    if not section.header and i == 0
                    else (' class="num"' if isinstance(value, int | Decimal) else "")
                )
                cells.append(f"<td{css}>{e(text)}</td>")
            parts.append("<tr>" + "".join(cells) + "</tr>")
        if not section.rows:
            span = max(len(section.header), 1)
            parts.append(f'<tr><td colspan="{span}">-</td></tr>')
        parts.append("</table>")
    parts.append("</body></html>")
    return "".join(parts)
