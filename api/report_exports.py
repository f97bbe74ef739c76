"""Report exports: ``GET /exports/progress-reports/{global id}.{xlsx,html}`` and
``GET /exports/final-reports/{global id}.{xlsx,html}`` with the client's ``Authorization:
Bearer`` access token, or following a link signed for its viewer (``xlsxUrl``/``printUrl``,
which a browser tab opens) — a DOC 4.0 progress report or a final report as an Excel workbook,
or as a printable page laid out as a Thai official memo (บันทึกข้อความ; A4, print CSS: the
browser's "Save as PDF" makes the PDF; LO Hub ships no PDF renderer, whose system libraries and
Thai fonts ``make install`` cannot provide).

Anyone signed in may read reports, as through GraphQL. 401 without a valid token or link, 404
for a malformed or unknown id. In the link's ``lang`` (th or en), else Thai unless
``Accept-Language`` asks for English; Thai text is stored as Unicode, every text written as text
(never a formula) and escaped in HTML.
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
from api.export_links import export_language, export_viewer
from api.exports import _refusal
from api.workbooks import XLSX_MEDIA_TYPE, Sheet, Styled, workbook_bytes
from schema.inputs import node_id
from schema.reports.types import FinalReportNode, ProgressReportNode
from services import report_exports
from services.errors import AuthError, DomainError, ErrorCode, Unauthenticated
from services.messages import Language, render
from services.report_exports import Memo, ReportDocument
from services.signed_links import LinkFor
from services.storage import content_disposition

router = APIRouter()
Maker = Callable[..., Awaitable[ReportDocument]]


@router.get("/exports/progress-reports/{report_id}.{extension}", include_in_schema=False)
async def progress_report_export(
    request: Request, report_id: str, extension: Literal["xlsx", "html"]
) -> Response:
    return await _export(
        request,
        report_id,
        extension,
        ProgressReportNode,
        report_exports.progress_document,
        LinkFor.PROGRESS_REPORT,
    )


@router.get("/exports/final-reports/{report_id}.{extension}", include_in_schema=False)
async def final_report_export(
    request: Request, report_id: str, extension: Literal["xlsx", "html"]
) -> Response:
    return await _export(
        request,
        report_id,
        extension,
        FinalReportNode,
        report_exports.final_document,
        LinkFor.FINAL_REPORT,
    )


async def _export(
    request: Request, global_id: str, extension: str, node_type: type, make: Maker, kind: LinkFor
) -> Response:
    context = await get_context(request)
    language = export_language(request, context)
    pk = _pk(global_id, node_type)
    actor = await export_viewer(request, context, kind, pk)
    if actor is None:
        message = render(context.auth_problem or "unauthenticated", language)
        return _refusal(401, message, {"WWW-Authenticate": "Bearer"})
    try:
        if pk is None:
            raise DomainError.of(ErrorCode.NOT_FOUND, "not_found")
        document = await make(actor=actor, report_id=pk, language=language)
    except Unauthenticated as refusal:
        return _refusal(401, render(refusal.message_key, language), {"WWW-Authenticate": "Bearer"})
    except AuthError as refusal:
        return _refusal(403, render(refusal.message_key, language, refusal.params))
    except DomainError:
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


def _pk(global_id: str, node_type: type) -> int | None:
    try:
        return node_id(relay.GlobalID.from_id(global_id), node_type)
    except (GlobalIDValueError, DomainError):
        return None


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


# A Thai official memo (ระเบียบงานสารบรรณ): TH Sarabun New 16 pt where installed, else its
# look-alikes (Laksaman is TLWG's TH SarabunPSK, same metrics) and the Thai fonts most machines
# have; the heading บันทึกข้อความ large and bold, its fields on dotted lines.
_CSS = """
@page { size: A4; margin: 2.5cm 2cm 2cm 3cm; }
body { font-family: "TH Sarabun New", "TH SarabunPSK", "Sarabun", "Laksaman", "Garuda", "Loma",
  "Noto Sans Thai", "Leelawadee UI", Tahoma, sans-serif; font-size: 16pt; line-height: 1.35;
  color: #000; margin: 0 auto; max-width: 17cm; padding: 1cm 0; }
.memo-title { font-size: 29pt; font-weight: bold; text-align: center; margin: 0 0 6pt; }
.field { display: flex; gap: 6pt; align-items: baseline; margin: 0; }
.field b { font-size: 20pt; white-space: nowrap; }
.field span { flex: 1; border-bottom: 1px dotted #000; padding: 0 4pt; }
.pair { display: flex; gap: 18pt; }
.pair .field { flex: 1; }
hr { border: 0; border-top: 1px solid #000; margin: 8pt 0 12pt; }
h2 { font-size: 16pt; font-weight: bold; margin: 14pt 0 4pt; }
table { border-collapse: collapse; width: 100%; page-break-inside: auto; font-size: 14pt; }
tr { page-break-inside: avoid; }
th, td { border: 1px solid #555; padding: 2pt 5pt; vertical-align: top; text-align: left;
  white-space: pre-wrap; }
th { background: #eee; }
td.label { width: 32%; font-weight: bold; }
.num { text-align: right; }
.blocks { display: flex; justify-content: space-between; gap: 24pt; margin-top: 28pt;
  page-break-inside: avoid; }
.block { flex: 1; text-align: center; }
.block .heading { font-weight: bold; text-align: left; }
.block .choices { text-align: left; }
.block .line { margin-top: 28pt; }
@media print { body { max-width: none; padding: 0; } }
"""
_WORDS = {
    "th": {
        "memo": "บันทึกข้อความ",
        "agency": "ส่วนราชการ",
        "reference": "ที่",
        "dated": "วันที่",
        "subject": "เรื่อง",
        "prepared": "ผู้จัดทำรายงาน",
        "approval": "ความเห็นและการอนุมัติของผู้บังคับบัญชา",
        "approve": "☐ อนุมัติ    ☐ ไม่อนุมัติ",
        "approved": "อนุมัติแล้ว เมื่อ",
        "approver": "ผู้อนุมัติ",
        "signed": "(ลงชื่อ)",
    },
    "en": {
        "memo": "Memorandum",
        "agency": "From",
        "reference": "Ref.",
        "dated": "Date",
        "subject": "Subject",
        "prepared": "Prepared by",
        "approval": "Superior's opinion and approval",
        "approve": "☐ Approved    ☐ Not approved",
        "approved": "Approved on",
        "approver": "Approver",
        "signed": "(Signed)",
    },
}
_DOTS = "." * 40


def page_html(document: ReportDocument, language: Language) -> str:
    e = html.escape
    parts = [
        f'<!DOCTYPE html><html lang="{language}"><head><meta charset="utf-8">',
        f"<title>{e(document.title)}</title><style>{_CSS}</style></head><body>",
        *_memo_heading(document, language),
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
    parts += _signature_blocks(document.memo, language)
    parts.append("</body></html>")
    return "".join(parts)


def _memo_heading(document: ReportDocument, language: Language) -> list[str]:
    e, w, memo = html.escape, _WORDS[language], document.memo

    def field(word: str, value: str) -> str:
        return f'<p class="field"><b>{e(w[word])}</b><span>{e(value)}</span></p>'

    return [
        f'<h1 class="memo-title">{e(w["memo"])}</h1>',
        field("agency", memo.agency),
        f'<div class="pair">{field("reference", memo.reference)}{field("dated", memo.dated)}</div>',
        field("subject", document.title),
        "<hr>",
    ]


def _signature_blocks(memo: Memo, language: Language) -> list[str]:
    """Who prepared it; the approver's opinion, filled in when approved in LO Hub."""
    e, w = html.escape, _WORDS[language]

    def signature(name: str | None, role: str) -> str:
        return (
            f'<p class="line">{e(w["signed"])} {_DOTS}</p>'
            f"<p>({e(name) if name else _DOTS})</p><p>{e(role)}</p>"
        )

    decision = (
        f'<p class="choices">{e(w["approved"])} {e(memo.approved_on)}</p>'
        if memo.approved_on
        else f'<p class="choices">{e(w["approve"])}</p>'
    )
    return [
        '<section class="blocks">',
        f'<div class="block">{signature(memo.prepared_by, w["prepared"])}</div>',
        f'<div class="block"><p class="heading">{e(w["approval"])}</p>{decision}'
        f"{signature(memo.approved_by, w['approver'])}</div>",
        "</section>",
    ]
