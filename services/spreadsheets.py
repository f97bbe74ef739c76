"""Reading a table from an uploaded CSV or XLSX file as Thai offices save them — UTF-8, UTF-16
or the Thai Windows code page, any delimiter Excel writes, a title above the header — and the
report of an import: what was created, updated or left, and each rejected row with its problems.
Imports (services/stakeholders.py, services/people_import.py) say which columns they accept."""

import csv
import io
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import PurePath

from services.errors import DomainError, ErrorCode, Problem

# Rows read at most per data row allowed, blank ones included: a sheet formatted down to row
# 1,048,576 stops here.
SCANNED_ROWS_PER_ROW = 10
# The header is the first of these many non-blank rows that names a known column; the rows
# above it (a title, a date) are skipped.
HEADER_SEARCH_ROWS = 10


@dataclass(frozen=True)
class RowRejection:
    """A row of the file that was not imported: its number as a spreadsheet shows it (the
    header row included) and what is wrong with it, each problem on its column's field."""

    row: int
    problems: list[Problem]


@dataclass(frozen=True)
class ImportReport:
    created: int
    updated: int
    unchanged: int
    rejected: list[RowRejection] = field(default_factory=list)


def key(text: str) -> str:
    """A header or group cell as compared: NFKC (so ำ typed either way agrees), case-folded,
    without spaces, "_", "-", ".", "*", ":" and zero-width spaces."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return "".join(c for c in folded if not c.isspace() and c not in "_-.*:\u200b")


def text(cell: object) -> str:
    """A cell as typed: a whole number without ".0", a date in ISO form."""
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, datetime | date):
        return cell.isoformat()
    return str(cell)


def header(
    table: Iterator[tuple[int, list[object]]],
    *,
    keys: dict[str, str],
    required: Sequence[str],
    labels: dict[str, str],
) -> tuple[int, dict[int, str]]:
    """The header's row number and the field each recognised column holds: ``keys`` maps each
    accepted header name (as ``key`` gives it) to its field, ``labels`` names the fields in
    messages."""
    for _, (number, cells) in zip(range(HEADER_SEARCH_ROWS), table, strict=False):
        columns: dict[int, str] = {}
        for index, cell in enumerate(cells):
            column = keys.get(key(text(cell)))
            if column is None:
                continue  # an extra column (ลำดับ, remarks) is ignored
            if column in columns.values():
                raise DomainError.of(
                    ErrorCode.INVALID_INPUT,
                    "import_column_twice",
                    field=("file",),
                    column=labels[column],
                )
            columns[index] = column
        if columns:
            missing = [c for c in required if c not in columns.values()]
            if missing:
                raise DomainError.of(
                    ErrorCode.INVALID_INPUT,
                    "import_columns_missing",
                    field=("file",),
                    columns=", ".join(labels[c] for c in missing),
                    row=number,
                )
            return number, columns
    raise DomainError.of(
        ErrorCode.INVALID_INPUT,
        "import_no_header",
        field=("file",),
        columns=", ".join(labels[c] for c in required),
    )


ZIP_MAGIC = b"PK\x03\x04"
TEXT_SUFFIXES = {".csv", ".txt"}


def table(filename: str, data: bytes, *, max_rows: int) -> Iterator[tuple[int, list[object]]]:
    """The file's non-blank rows, numbered as a spreadsheet shows them; ``max_rows`` is the
    import's limit of data rows, named in the refusal of a file that scans past ten times it."""
    suffix = PurePath(filename.replace("\\", "/")).suffix.casefold()
    if suffix == ".xlsx" and data.startswith(ZIP_MAGIC):
        rows = _xlsx_rows(data)
    elif suffix in TEXT_SUFFIXES and not data.startswith(ZIP_MAGIC):
        rows = _csv_rows(data)
    else:
        raise DomainError.of(ErrorCode.INVALID_INPUT, "import_file_type", field=("file",))
    for scanned, (number, cells) in enumerate(rows, start=1):
        if scanned > SCANNED_ROWS_PER_ROW * max_rows:
            raise DomainError.of(
                ErrorCode.INVALID_INPUT,
                "import_too_many_rows",
                field=("file",),
                max=max_rows,
            )
        if any(text(c).strip() for c in cells):
            yield number, cells


def _csv_rows(data: bytes) -> Iterator[tuple[int, list[object]]]:
    decoded = _decode(data)
    lines = decoded.splitlines()
    first = next((line for line in lines if line.strip()), "")
    # Excel writes ";" where "," is the decimal mark, and tabs for "Unicode text".
    delimiter = max(",;\t", key=first.count)
    try:
        yield from enumerate(csv.reader(io.StringIO(decoded), delimiter=delimiter), start=1)
    except csv.Error:
        raise DomainError.of(
            ErrorCode.INVALID_INPUT, "import_file_unreadable", field=("file",)
        ) from None


def _decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM (Excel's "Unicode text"), else the Thai
    Windows code page (cp874, a superset of TIS-620) that Thai Excel writes CSV in."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings: tuple[str, ...] = ("utf-16",)
    elif b"\x00" in data:
        raise DomainError.of(ErrorCode.INVALID_INPUT, "import_file_type", field=("file",))
    else:
        encodings = ("utf-8-sig", "cp874")
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise DomainError.of(ErrorCode.INVALID_INPUT, "import_file_encoding", field=("file",))


def _xlsx_rows(data: bytes) -> Iterator[tuple[int, list[object]]]:
    from openpyxl import load_workbook  # imported when needed: it takes a while to load

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # whatever a damaged workbook makes openpyxl raise
        raise DomainError.of(
            ErrorCode.INVALID_INPUT, "import_file_unreadable", field=("file",)
        ) from None
    try:
        if not workbook.worksheets:
            return
        sheet = workbook.worksheets[0]
        # Read-only sheets trust the size the file states, which some writers get wrong.
        sheet.reset_dimensions()  # type: ignore[union-attr]
        for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, list(cells)
    except Exception:  # whatever a damaged workbook makes openpyxl raise
        raise DomainError.of(
            ErrorCode.INVALID_INPUT, "import_file_unreadable", field=("file",)
        ) from None
    finally:
        workbook.close()
