"""XLSX files, written one way: openpyxl's write-only mode (rows are streamed, not kept as
cells), text always stored as text (a value starting with "=" is not a formula) and without the
control characters XML cannot hold."""

import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Styled:
    """A value with an Excel number format, in bold, or wrapped."""

    value: Any
    number_format: str | None = None
    bold: bool = False
    wrap: bool = False


@dataclass(frozen=True)
class Sheet:
    name: str
    rows: Iterable[Sequence[Any]]
    # Column letter → width in characters.
    widths: Mapping[str, float] = field(default_factory=dict)


def workbook_bytes(sheets: Iterable[Sheet]) -> bytes:
    workbook = Workbook(write_only=True)
    for spec in sheets:
        sheet = workbook.create_sheet(spec.name)
        for column, width in spec.widths.items():
            sheet.column_dimensions[column].width = width
        for row in spec.rows:
            sheet.append([_cell(sheet, value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _cell(sheet: WriteOnlyWorksheet, value: Any) -> Any:
    styled = value if isinstance(value, Styled) else Styled(value)
    plain = styled.value
    if isinstance(plain, Decimal):
        plain = float(plain)  # Excel has no decimal type
    if isinstance(plain, str):
        plain = ILLEGAL_CHARACTERS_RE.sub("", plain)
    elif not isinstance(value, Styled):
        return plain
    cell = WriteOnlyCell(sheet, value=plain)
    if isinstance(plain, str):
        cell.data_type = "s"
    if styled.number_format:
        cell.number_format = styled.number_format
    if styled.bold:
        cell.font = Font(bold=True)
    if styled.wrap:
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    return cell
