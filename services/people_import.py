"""Importing a unit's people with their work e-mails (and employee ids) from a CSV or XLSX file,
so department sign-ins find them (services/oidc.py). Files are read as stakeholder files are
(services/spreadsheets.py).

A row is the person of the unit with the same employee id, or else the same e-mail, updated
with the row's cells, or a new person. An e-mail or employee id that belongs to a person of
another unit rejects the row: moving people between units is an administrator's edit. The valid
rows are saved together in one transaction, audited once."""

import asyncio
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, StringConstraints
from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from models.org import Person
from models.user import Role
from services import audit, spreadsheets
from services.actor import Actor
from services.errors import DomainError, ErrorCode, Problem, validated
from services.org import get_unit
from services.permissions import require_role
from services.spreadsheets import ImportReport, RowRejection

MAX_IMPORT_ROWS = 5000

# field: accepted header names, compared by spreadsheets.key
HEADERS: dict[str, tuple[str, ...]] = {
    "title_th": ("title", "คำนำหน้า", "คำนำหน้าชื่อ"),
    "first_name_th": ("first name", "first_name_th", "ชื่อ"),
    "last_name_th": ("last name", "last_name_th", "นามสกุล", "สกุล"),
    "position_th": ("position", "ตำแหน่ง"),
    "email": ("email", "e-mail", "work email", "อีเมล", "อีเมล์"),
    "employee_id": ("employee id", "employee_id", "รหัสพนักงาน", "เลขประจำตัว", "รหัสบุคลากร"),
}
REQUIRED_COLUMNS = ("first_name_th", "email")
COLUMN_LABELS = {
    "title_th": "คำนำหน้า/title",
    "first_name_th": "ชื่อ/first name",
    "last_name_th": "นามสกุล/last name",
    "position_th": "ตำแหน่ง/position",
    "email": "อีเมล/email",
    "employee_id": "รหัสพนักงาน/employee id",
}
_HEADER_KEYS = {spreadsheets.key(n): column for column, names in HEADERS.items() for n in names}


def _blank_to_none(value: object) -> object:
    return value.strip() or None if isinstance(value, str) else value


class PersonRow(BaseModel):
    model_config = ConfigDict(frozen=True, str_strip_whitespace=True)
    title_th: Annotated[str, StringConstraints(max_length=64)] = ""
    first_name_th: Annotated[str, StringConstraints(min_length=1, max_length=128)]
    last_name_th: Annotated[str, StringConstraints(max_length=128)] = ""
    position_th: Annotated[str, StringConstraints(max_length=255)] = ""
    email: Annotated[
        str, StringConstraints(to_lower=True, max_length=255, pattern=r"^[^\s@]+@[^\s@]+\.[^\s@]+$")
    ]
    employee_id: Annotated[
        Annotated[str, StringConstraints(max_length=64)] | None, BeforeValidator(_blank_to_none)
    ] = None


async def import_people(
    *, actor: Actor, unit_id: int, filename: str, data: bytes | None
) -> ImportReport:
    """Create or update a person per valid row; report each invalid row with its problems."""
    require_role(actor, Role.ADMIN)
    await get_unit(unit_id, "unit")
    if data is None:
        raise DomainError.of(ErrorCode.INVALID_INPUT, "required", field=("file",))
    columns, rows, rejected = await asyncio.to_thread(_parse, filename, data)
    async with in_transaction() as connection:
        known = await Person.filter(
            Q(email__in=[r.email for _, r in rows])
            | Q(employee_id__in=[r.employee_id for _, r in rows if r.employee_id])
        ).using_db(connection)
        by_employee_id = {p.employee_id: p for p in known if p.employee_id}
        by_email = {p.email.lower(): p for p in known if p.email}
        created = updated = unchanged = 0
        for number, row in rows:
            person = (by_employee_id.get(row.employee_id) if row.employee_id else None) or (
                by_email.get(row.email)
            )
            if person is not None and person.unit_id != unit_id:
                problem = Problem(ErrorCode.DUPLICATE, "person_of_other_unit", ("email",))
                rejected.append(RowRejection(number, [problem]))
                continue
            values = {c: getattr(row, c) for c in columns}
            if person is None:
                person = await Person.create(unit_id=unit_id, **values, using_db=connection)
                created += 1
            elif any(getattr(person, c) != v for c, v in values.items()):
                for column, value in values.items():
                    setattr(person, column, value)
                person.version += 1
                await person.save(update_fields=[*columns, "version"], using_db=connection)
                updated += 1
            else:
                unchanged += 1
            by_email[row.email] = person
            if row.employee_id:
                by_employee_id[row.employee_id] = person
        rejected.sort(key=lambda r: r.row)
        report = ImportReport(created, updated, unchanged, rejected)
        if created or updated:
            await audit.record(
                actor=actor,
                action="person.import",
                object_type="Unit",
                object_id=unit_id,
                after={
                    "filename": filename,
                    "created": created,
                    "updated": updated,
                    "unchanged": unchanged,
                    "rejected_rows": [r.row for r in rejected],
                },
                connection=connection,
            )
    return report


def _parse(
    filename: str, data: bytes
) -> tuple[list[str], list[tuple[int, PersonRow]], list[RowRejection]]:
    """The columns the file has, its valid rows (with their numbers) and its rejected ones."""
    table = spreadsheets.table(filename, data, max_rows=MAX_IMPORT_ROWS)
    header_row, columns = spreadsheets.header(
        table, keys=_HEADER_KEYS, required=REQUIRED_COLUMNS, labels=COLUMN_LABELS
    )
    valid: list[tuple[int, PersonRow]] = []
    rejected: list[RowRejection] = []
    seen: dict[str, int] = {}
    for number, cells in table:
        if len(valid) + len(rejected) >= MAX_IMPORT_ROWS:
            raise DomainError.of(
                ErrorCode.INVALID_INPUT,
                "import_too_many_rows",
                field=("file",),
                max=MAX_IMPORT_ROWS,
            )
        values: dict[str, Any] = {
            c: spreadsheets.text(cells[i] if i < len(cells) else None) for i, c in columns.items()
        }
        try:
            row = validated(PersonRow, values)
        except DomainError as error:
            rejected.append(RowRejection(number, error.problems))
            continue
        if row.email in seen:
            problem = Problem(
                ErrorCode.DUPLICATE, "import_row_repeated", ("email",), {"row": seen[row.email]}
            )
            rejected.append(RowRejection(number, [problem]))
            continue
        seen[row.email] = number
        valid.append((number, row))
    if not valid and not rejected:
        raise DomainError.of(
            ErrorCode.INVALID_INPUT, "import_no_rows", field=("file",), row=header_row
        )
    return sorted(set(columns.values())), valid, rejected
