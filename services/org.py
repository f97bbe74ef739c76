"""Departments, units and people. Administrators manage them; anyone signed in reads."""

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, StringConstraints
from tortoise.exceptions import IntegrityError
from tortoise.expressions import Q
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from models.org import Department, Person, Unit
from models.user import Role, User
from services import audit
from services.actor import Actor
from services.errors import DomainError, ErrorCode, not_found
from services.permissions import readable_by_anyone_signed_in, require_role
from services.versioning import update_if_current

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=255)]
Code = Annotated[
    str, StringConstraints(strip_whitespace=True, to_upper=True, pattern=r"^[A-Za-z0-9_-]{2,32}$")
]


class NewUnit(BaseModel):
    model_config = ConfigDict(frozen=True)
    code: Code
    name_th: Name
    name_en: str | None = None
    department_name_th: Name = "กรมอนามัย"
    department_name_en: str | None = "Department of Health"


class PersonData(BaseModel):
    model_config = ConfigDict(frozen=True)
    unit_id: int
    title_th: str = ""
    first_name_th: Name
    last_name_th: str = ""
    name_en: str | None = None
    position_th: str = ""
    position_en: str | None = None
    email: str | None = None
    user_id: int | None = None
    # LINE user id (U + 32 hex digits) for reminders pushed by the unit's LINE Official Account.
    line_user_id: Annotated[str, StringConstraints(pattern=r"^U[0-9a-f]{32}$")] | None = None


# -- read rules -----------------------------------------------------------------------------------


def visible_departments(actor: Actor) -> QuerySet[Department]:
    """The department: anyone signed in."""
    return readable_by_anyone_signed_in(actor, Department.all())


def visible_units(actor: Actor) -> QuerySet[Unit]:
    """Units: anyone signed in."""
    return readable_by_anyone_signed_in(actor, Unit.all())


def visible_people(actor: Actor) -> QuerySet[Person]:
    """Staff records (name, position, unit): anyone signed in, as a staff directory."""
    return readable_by_anyone_signed_in(actor, Person.all())


def list_units(*, actor: Actor, search: str | None = None, ordering: list[str]) -> QuerySet[Unit]:
    queryset = visible_units(actor)
    if search:
        queryset = queryset.filter(
            Q(code__icontains=search) | Q(name_th__icontains=search) | Q(name_en__icontains=search)
        )
    return queryset.order_by(*ordering)


def list_people(
    *, actor: Actor, unit_id: int | None = None, search: str | None = None, ordering: list[str]
) -> QuerySet[Person]:
    queryset = visible_people(actor)
    if unit_id is not None:
        queryset = queryset.filter(unit_id=unit_id)
    if search:
        queryset = queryset.filter(
            Q(first_name_th__icontains=search)
            | Q(last_name_th__icontains=search)
            | Q(name_en__icontains=search)
        )
    return queryset.order_by(*ordering)


async def create_unit(*, actor: Actor, data: NewUnit) -> Unit:
    require_role(actor, Role.ADMIN)
    try:
        async with in_transaction() as connection:
            department, _ = await Department.get_or_create(
                name_th=data.department_name_th,
                defaults={"name_en": data.department_name_en},
                using_db=connection,
            )
            unit = await Unit.create(
                department_id=department.id,
                code=data.code,
                name_th=data.name_th,
                name_en=data.name_en,
                using_db=connection,
            )
            await audit.record(
                actor=actor,
                action="unit.create",
                object_type="Unit",
                object_id=unit.id,
                after=data.model_dump(),
                connection=connection,
            )
    except IntegrityError:
        raise DomainError.of(
            ErrorCode.DUPLICATE, "unit_code_taken", field=("code",), code=data.code
        ) from None
    return unit


async def create_person(*, actor: Actor, data: PersonData) -> Person:
    require_role(actor, Role.ADMIN)
    await _check_references(data)
    try:
        async with in_transaction() as connection:
            person = await Person.create(**data.model_dump(), using_db=connection)
            await audit.record(
                actor=actor,
                action="person.create",
                object_type="Person",
                object_id=person.id,
                after=data.model_dump(),
                connection=connection,
            )
    except IntegrityError:
        raise DomainError.of(ErrorCode.DUPLICATE, "user_has_person", field=("user",)) from None
    return person


async def update_person(
    *,
    actor: Actor,
    person_id: int,
    version: int,
    data: PersonData,
    reason: str | None,
    keep_user_link: bool = False,
) -> Person:
    """Replace a person's details; with ``keep_user_link`` the account link stays as it is."""
    require_role(actor, Role.ADMIN)
    person = await get_person(person_id)
    if keep_user_link:
        data = data.model_copy(update={"user_id": person.user_id})
    await _check_references(data)
    before = _person_snapshot(person)
    try:
        async with in_transaction() as connection:
            await update_if_current(
                Person,
                pk=person_id,
                version=version,
                current=person.version,
                connection=connection,
                **data.model_dump(),
            )
            await person.refresh_from_db(using_db=connection)
            await audit.record(
                actor=actor,
                action="person.update",
                object_type="Person",
                object_id=person.id,
                before=before,
                after=_person_snapshot(person),
                reason=reason,
                connection=connection,
            )
    except IntegrityError:
        raise DomainError.of(ErrorCode.DUPLICATE, "user_has_person", field=("user",)) from None
    return person


async def get_unit(unit_id: int, field: str = "unit") -> Unit:
    unit = await Unit.get_or_none(id=unit_id)
    if unit is None:
        raise not_found(field, "หน่วยงาน", "Unit")
    return unit


async def get_person(person_id: int, field: str = "id") -> Person:
    person = await Person.get_or_none(id=person_id)
    if person is None:
        raise not_found(field, "บุคลากร", "Person")
    return person


async def _check_references(data: PersonData) -> None:
    await get_unit(data.unit_id)
    if data.user_id is not None and not await User.exists(id=data.user_id):
        raise not_found("user", "ผู้ใช้", "User")


def _person_snapshot(person: Person) -> dict[str, Any]:
    fields = PersonData.model_fields
    return {name: getattr(person, name) for name in fields} | {"version": person.version}
