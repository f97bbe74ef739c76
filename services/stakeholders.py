"""The stakeholder directory (ทำเนียบผู้รับบริการและผู้มีส่วนได้ส่วนเสีย): a unit's service
recipients, stakeholders and partners with their contact details, kept by hand or imported from
CSV and XLSX files.

Contact details are personal data: only the unit's committee members (any seat), managers and
administrators read them; the unit's chair or secretary (or an administrator) changes them.
Entries are never deleted — survey invitations refer to them — only deactivated.
"""

import asyncio
from collections.abc import Sequence
from typing import Annotated, Any, TypeVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, StringConstraints
from tortoise.exceptions import IntegrityError
from tortoise.expressions import Q
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from models.committee import Membership
from models.survey import Stakeholder, StakeholderGroup
from services import audit, spreadsheets
from services.actor import Actor
from services.errors import (
    DomainError,
    ErrorCode,
    Forbidden,
    ForbiddenReason,
    Problem,
    not_found,
    validated,
)
from services.org import get_unit
from services.permissions import (
    reads_everything,
    require_authenticated,
    require_unit_lead,
    seated_units,
    standing_in_unit,
)
from services.spreadsheets import ImportReport, RowRejection, key, text
from services.versioning import update_if_current

# Data rows an import may hold (the header and blank rows do not count).
MAX_IMPORT_ROWS = 5000

# Something@domain.tld: no spaces, one "@", a domain of non-empty labels with at least one dot.
EMAIL_PATTERN = r"^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$"
# Digits, spaces and hyphens, after an optional leading "+" (e.g. 02-590-4000, +66 81 234 5678).
PHONE_PATTERN = r"^\+?[0-9][0-9 -]*$"


def _blank_to_none(value: object) -> object:
    return None if isinstance(value, str) and not value.strip() else value


Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=255)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, max_length=255)]
Email = Annotated[
    Annotated[str, StringConstraints(strip_whitespace=True, max_length=255, pattern=EMAIL_PATTERN)]
    | None,
    BeforeValidator(_blank_to_none),
]
LineId = Annotated[
    Annotated[str, StringConstraints(strip_whitespace=True, max_length=64)] | None,
    BeforeValidator(_blank_to_none),
]
Phone = Annotated[
    Annotated[str, StringConstraints(strip_whitespace=True, max_length=32, pattern=PHONE_PATTERN)]
    | None,
    BeforeValidator(_blank_to_none),
]


class StakeholderFields(BaseModel):
    """What people edit of an entry; an entry stays in its unit."""

    model_config = ConfigDict(frozen=True)
    name: Name
    organisation: Text = ""
    group: StakeholderGroup
    email: Email = None
    line_id: LineId = None
    phone: Phone = None
    active: bool = True


class StakeholderData(StakeholderFields):
    unit_id: int


EDITABLE = tuple(StakeholderFields.model_fields)
# A field given in the wrong shape gets its own message rather than "the format is not valid".
_FORMAT_MESSAGES: dict[tuple[str, ...], str] = {
    ("email",): "email_invalid",
    ("phone",): "phone_invalid",
}

F = TypeVar("F", bound=StakeholderFields)


def checked(model: type[F], data: dict[str, Any]) -> F:
    """``data`` as ``model``, or a ``DomainError`` with one problem per invalid field."""
    try:
        return validated(model, data)
    except DomainError as error:
        raise DomainError(*(_specific(p) for p in error.problems)) from None


def _specific(problem: Problem) -> Problem:
    key = _FORMAT_MESSAGES.get(problem.field or ())
    if key and problem.message_key == "invalid_format":
        return Problem(problem.code, key, problem.field, problem.params)
    return problem


# Reading ---------------------------------------------------------------------------------------


def visible_stakeholders(actor: Actor) -> QuerySet[Stakeholder]:
    """Entries the actor may read: every unit's for managers and administrators, otherwise
    those of the units on whose current committee the actor sits."""
    require_authenticated(actor)
    if reads_everything(actor):
        return Stakeholder.all()
    return Stakeholder.filter(unit_id__in=seated_units(actor))


async def list_stakeholders(
    *,
    actor: Actor,
    unit_id: int | None = None,
    group: StakeholderGroup | None = None,
    search: str | None = None,
    active: bool | None = None,
    ordering: Sequence[str],
) -> QuerySet[Stakeholder]:
    """A unit's directory (every unit's, for managers and administrators, without ``unit_id``;
    the units the actor sits on for committee members). Others are refused."""
    require_authenticated(actor)
    queryset = Stakeholder.all()
    if unit_id is not None:
        if not (reads_everything(actor) or (await standing_in_unit(actor, unit_id)).is_member):
            raise Forbidden(ForbiddenReason.COMMITTEE_MEMBER_REQUIRED)
        queryset = queryset.filter(unit_id=unit_id)
    elif not reads_everything(actor):
        unit_ids = await Membership.filter(
            order__superseded_by_id__isnull=True, person__user_id=actor.user_id
        ).values_list("order__unit_id", flat=True)
        if not unit_ids:
            raise Forbidden(ForbiddenReason.COMMITTEE_MEMBER_REQUIRED)
        queryset = queryset.filter(unit_id__in=unit_ids)
    if group is not None:
        queryset = queryset.filter(group=group)
    if active is not None:
        queryset = queryset.filter(active=active)
    if search := (search or "").strip():
        queryset = queryset.filter(
            Q(name__icontains=search)
            | Q(organisation__icontains=search)
            | Q(email__icontains=search)
            | Q(line_id__icontains=search)
            | Q(phone__icontains=search)
        )
    return queryset.order_by(*ordering)


# Writing by hand -------------------------------------------------------------------------------


async def create_stakeholder(*, actor: Actor, data: StakeholderData) -> Stakeholder:
    await require_unit_lead(actor, data.unit_id)
    await get_unit(data.unit_id)
    try:
        async with in_transaction() as connection:
            stakeholder = await Stakeholder.create(**data.model_dump(), using_db=connection)
            await audit.record(
                actor=actor,
                action="stakeholder.create",
                object_type="Stakeholder",
                object_id=stakeholder.id,
                after=snapshot(stakeholder),
                connection=connection,
            )
    except IntegrityError:
        raise _taken(data) from None
    return stakeholder


async def update_stakeholder(
    *,
    actor: Actor,
    stakeholder_id: int,
    version: int,
    data: StakeholderFields,
    reason: str | None = None,
    keep_active: bool = False,
) -> Stakeholder:
    """Replace an entry's details; ``active=False`` takes it out of new surveys, and with
    ``keep_active`` the flag stays as it is."""
    require_authenticated(actor)
    stakeholder = await get_stakeholder(stakeholder_id)
    await require_unit_lead(actor, stakeholder.unit_id)
    if keep_active:
        data = data.model_copy(update={"active": stakeholder.active})
    before = snapshot(stakeholder)
    try:
        async with in_transaction() as connection:
            await update_if_current(
                Stakeholder,
                pk=stakeholder_id,
                version=version,
                current=stakeholder.version,
                connection=connection,
                **data.model_dump(),
            )
            await stakeholder.refresh_from_db(using_db=connection)
            await audit.record(
                actor=actor,
                action="stakeholder.update",
                object_type="Stakeholder",
                object_id=stakeholder.id,
                before=before,
                after=snapshot(stakeholder),
                reason=reason,
                connection=connection,
            )
    except IntegrityError:
        raise _taken(data) from None
    return stakeholder


async def get_stakeholder(stakeholder_id: int, field: str = "id") -> Stakeholder:
    stakeholder = await Stakeholder.get_or_none(id=stakeholder_id)
    if stakeholder is None:
        raise not_found(field, "ผู้รับบริการหรือผู้มีส่วนได้ส่วนเสีย", "Stakeholder")
    return stakeholder


def snapshot(stakeholder: Stakeholder) -> dict[str, Any]:
    return {name: getattr(stakeholder, name) for name in (*EDITABLE, "unit_id", "version")}


def _taken(data: StakeholderFields) -> DomainError:
    who = f"{data.name} ({data.organisation})" if data.organisation else data.name
    return DomainError.of(ErrorCode.DUPLICATE, "stakeholder_taken", field=("name",), who=who)


# Importing -------------------------------------------------------------------------------------


# field: accepted header names, compared by _key (case, spaces, "_", "-", "." ignored)
HEADERS: dict[str, tuple[str, ...]] = {
    "name": ("name", "full name", "ชื่อ", "ชื่อ-สกุล", "ชื่อ-นามสกุล", "ชื่อผู้ติดต่อ"),
    "organisation": ("organisation", "organization", "หน่วยงาน", "องค์กร", "สังกัด"),
    "group": ("group", "กลุ่ม", "ประเภท"),
    "email": ("email", "e-mail", "อีเมล", "อีเมล์"),
    "line_id": ("line_id", "line", "line id", "ไลน์"),
    "phone": ("phone", "telephone", "tel", "โทรศัพท์", "เบอร์โทร", "เบอร์โทรศัพท์", "โทร"),
}
REQUIRED_COLUMNS = ("name", "group")
COLUMN_LABELS = {
    "name": "ชื่อ/name",
    "organisation": "หน่วยงาน/organisation",
    "group": "กลุ่ม/group",
    "email": "อีเมล/email",
    "line_id": "LINE/line_id",
    "phone": "โทรศัพท์/phone",
}
GROUP_LABELS = {
    StakeholderGroup.SERVICE_RECIPIENT: ("ผู้รับบริการ", "service recipient"),
    StakeholderGroup.STAKEHOLDER: ("ผู้มีส่วนได้ส่วนเสีย",),
    StakeholderGroup.PARTNER: ("ภาคีเครือข่าย", "เครือข่าย"),
    StakeholderGroup.OTHER: ("อื่น ๆ", "อื่นๆ", "อื่น"),
}


_HEADER_KEYS = {key(name): column for column, names in HEADERS.items() for name in names}
_GROUP_KEYS = {
    key(label): group for group in StakeholderGroup for label in (group.value, *GROUP_LABELS[group])
}


async def import_stakeholders(
    *, actor: Actor, unit_id: int, filename: str, data: bytes | None
) -> ImportReport:
    """Create or update (matched on name and organisation) an entry per valid row of a CSV or
    XLSX file, all in one transaction; report each invalid row with its problems. ``data`` is
    None when the request carried no file."""
    await require_unit_lead(actor, unit_id)
    await get_unit(unit_id, "unit")
    if data is None:
        raise DomainError.of(ErrorCode.INVALID_INPUT, "required", field=("file",))
    columns, rows, rejected = await asyncio.to_thread(_parse, filename, data, unit_id)
    try:
        async with in_transaction() as connection:
            existing = {
                (s.name, s.organisation): s
                for s in await Stakeholder.filter(
                    unit_id=unit_id, name__in=sorted({r.name for r in rows})
                ).using_db(connection)
            }
            new: list[Stakeholder] = []
            changed: list[Stakeholder] = []
            previous: dict[str, dict[str, Any]] = {}
            for row in rows:
                entry = existing.get((row.name, row.organisation))
                if entry is None:
                    new.append(Stakeholder(**row.model_dump()))
                    continue
                # Columns the file does not have keep their values; `active` is left as it is.
                differences = {
                    c: getattr(entry, c) for c in columns if getattr(entry, c) != getattr(row, c)
                }
                if differences:
                    previous[str(entry.id)] = differences
                    for column in differences:
                        setattr(entry, column, getattr(row, column))
                    entry.version += 1
                    changed.append(entry)
            if new:
                await Stakeholder.bulk_create(new, batch_size=500, using_db=connection)
            if changed:
                await Stakeholder.bulk_update(
                    changed, fields=[*columns, "version"], batch_size=500, using_db=connection
                )
            report = ImportReport(
                created=len(new),
                updated=len(changed),
                unchanged=len(rows) - len(new) - len(changed),
                rejected=rejected,
            )
            if new or changed:
                await audit.record(
                    actor=actor,
                    action="stakeholder.import",
                    object_type="Unit",
                    object_id=unit_id,
                    before={"updated": previous} if previous else None,
                    after={
                        "filename": filename,
                        "created": report.created,
                        "updated": report.updated,
                        "unchanged": report.unchanged,
                        "rejected_rows": [r.row for r in rejected],
                    },
                    connection=connection,
                )
    except IntegrityError:
        # Someone added one of the file's entries while it was being imported.
        raise DomainError.of(ErrorCode.DUPLICATE, "import_conflict", field=("file",)) from None
    return report


def _parse(
    filename: str, data: bytes, unit_id: int
) -> tuple[list[str], list[StakeholderData], list[RowRejection]]:
    """The columns the file has (beyond name and organisation), its valid rows and its
    rejected ones. Runs in a worker thread: parsing a large file would stall the event loop."""
    table = spreadsheets.table(filename, data, max_rows=MAX_IMPORT_ROWS)
    header_row, columns = spreadsheets.header(
        table, keys=_HEADER_KEYS, required=REQUIRED_COLUMNS, labels=COLUMN_LABELS
    )
    valid: list[StakeholderData] = []
    rejected: list[RowRejection] = []
    first_seen: dict[tuple[str, str], int] = {}
    for number, cells in table:
        if len(valid) + len(rejected) >= MAX_IMPORT_ROWS:
            raise DomainError.of(
                ErrorCode.INVALID_INPUT,
                "import_too_many_rows",
                field=("file",),
                max=MAX_IMPORT_ROWS,
            )
        values = {c: cells[i] if i < len(cells) else None for i, c in columns.items()}
        problems, row = _row(values, unit_id)
        if row is not None:
            key = (row.name, row.organisation)
            if key in first_seen:
                problems = [
                    Problem(
                        ErrorCode.DUPLICATE,
                        "import_row_repeated",
                        ("name",),
                        {"row": first_seen[key]},
                    )
                ]
            else:
                first_seen[key] = number
                valid.append(row)
                continue
        rejected.append(RowRejection(number, problems))
    if not valid and not rejected:
        raise DomainError.of(
            ErrorCode.INVALID_INPUT, "import_no_rows", field=("file",), row=header_row
        )
    kept = [c for c in columns.values() if c not in ("name", "organisation")]
    return kept, valid, rejected


def _row(values: dict[str, object], unit_id: int) -> tuple[list[Problem], StakeholderData | None]:
    problems: list[Problem] = []
    group: StakeholderGroup | None = None
    group_text = text(values.get("group")).strip()
    if not group_text:
        problems.append(Problem(ErrorCode.INVALID_INPUT, "required", ("group",)))
    elif (group := _GROUP_KEYS.get(key(group_text))) is None:
        problems.append(
            Problem(
                ErrorCode.INVALID_INPUT,
                "stakeholder_group_unknown",
                ("group",),
                {"value": group_text},
            )
        )
    fields = {
        "unit_id": unit_id,
        "name": text(values.get("name")),
        "organisation": text(values.get("organisation")),
        # A placeholder while the group is wrong, so the other cells are still checked.
        "group": group or StakeholderGroup.OTHER,
        "email": text(values.get("email")),
        "line_id": text(values.get("line_id")),
        "phone": _phone(values.get("phone")),
    }
    try:
        row = checked(StakeholderData, fields)
    except DomainError as error:
        return problems + error.problems, None
    return problems, None if problems else row


def _phone(cell: object) -> str:
    """A phone number typed into a number cell has lost its leading zero: Thai numbers have 9
    (landline, 02…) or 10 (mobile, 08…) digits, so 8 or 9 digits get it back."""
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        digits = text(cell)
        return "0" + digits if digits.isdigit() and len(digits) in (8, 9) else digits
    return text(cell)
