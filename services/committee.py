"""Appointment orders and the committee they appoint (SOP step 1).

Invariants: an order lists each person once, all from the order's unit, with exactly one CHAIR
and one SECRETARY. A unit's current committee is its one order with no ``superseded_by``; a new
order (dated no earlier than the current one) supersedes it in the same transaction.
"""

from collections import Counter
from datetime import date
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from models.committee import AppointmentOrder, CommitteeRole, Membership
from models.org import Person, Unit
from models.user import Role
from services import audit
from services.actor import Actor
from services.errors import DomainError, ErrorCode, Problem
from services.org import get_unit
from services.permissions import (
    readable_by_anyone_signed_in,
    require_role,
    require_unit_lead,
)

OrderNumber = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^\d{1,5}/\d{4}$")]
# A duty the order gives a member, as SOP steps name it (``MEMBER:STAKEHOLDER_SURVEY``).
Duty = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[A-Z][A-Z0-9_]{0,39}$")]


class Seat(BaseModel):
    model_config = ConfigDict(frozen=True)
    person_id: int
    role: CommitteeRole
    position_th: Annotated[str, StringConstraints(max_length=255)] | None = None
    duties: list[Duty] = Field(default_factory=list, max_length=20)


class NewOrder(BaseModel):
    model_config = ConfigDict(frozen=True)
    unit_id: int
    number: OrderNumber
    order_date: date
    subject_th: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
    subject_en: str | None = None
    issuer_th: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
    members: list[Seat] = Field(min_length=2, max_length=100)


# -- read rules -----------------------------------------------------------------------------------


def visible_orders(actor: Actor) -> QuerySet[AppointmentOrder]:
    """Appointment orders and their seats: anyone signed in (the committee is named openly within
    the department)."""
    return readable_by_anyone_signed_in(actor, AppointmentOrder.all())


def list_orders(*, actor: Actor, unit_id: int | None = None) -> QuerySet[AppointmentOrder]:
    queryset = visible_orders(actor)
    if unit_id is not None:
        queryset = queryset.filter(unit_id=unit_id)
    return queryset.order_by("-order_date", "-id")


async def current_order(unit_id: int) -> AppointmentOrder | None:
    return await AppointmentOrder.get_or_none(unit_id=unit_id, superseded_by_id=None)


async def create_order(*, actor: Actor, data: NewOrder) -> AppointmentOrder:
    """Appoint a committee; the unit's previous order becomes history."""
    unit = await get_unit(data.unit_id)
    current = await current_order(unit.id)
    if current is None:
        # The first committee has no chair yet to appoint it: administrators do.
        require_role(actor, Role.ADMIN)
    else:
        await require_unit_lead(actor, unit.id)
    people = {p.id: p for p in await Person.filter(id__in=[s.person_id for s in data.members])}
    _check_seats(data, people)
    async with in_transaction() as connection:
        # One order at a time per unit: the unit row is the lock, so two orders submitted
        # together cannot both supersede the same one and leave two current committees.
        await Unit.filter(id=unit.id).select_for_update().using_db(connection).first()
        current = await AppointmentOrder.get_or_none(
            unit_id=unit.id, superseded_by_id=None, using_db=connection
        )
        if current and data.order_date < current.order_date:
            raise DomainError.of(
                ErrorCode.INVALID_INPUT,
                "order_older_than_current",
                field=("orderDate",),
                current=current.number,
            )
        if await AppointmentOrder.exists(unit_id=unit.id, number=data.number, using_db=connection):
            raise DomainError.of(
                ErrorCode.DUPLICATE, "order_number_taken", field=("number",), number=data.number
            )
        order = await AppointmentOrder.create(
            **data.model_dump(exclude={"members"}), using_db=connection
        )
        await Membership.bulk_create(
            [
                Membership(
                    order_id=order.id,
                    person_id=seat.person_id,
                    role=seat.role,
                    position_th=seat.position_th or people[seat.person_id].position_th,
                    seat=position,
                    duties=sorted(set(seat.duties)),
                )
                for position, seat in enumerate(data.members, start=1)
            ],
            using_db=connection,
        )
        if current:
            current.superseded_by_id = order.id
            await current.save(using_db=connection, update_fields=["superseded_by_id"])
        await audit.record(
            actor=actor,
            action="appointmentOrder.create",
            object_type="AppointmentOrder",
            object_id=order.id,
            after=data.model_dump(mode="json")
            | {"supersedes": current.number if current else None},
            connection=connection,
        )
    return order


def _check_seats(data: NewOrder, people: dict[int, Person]) -> None:
    problems = []
    roles = Counter(seat.role for seat in data.members)
    if roles[CommitteeRole.CHAIR] != 1 or roles[CommitteeRole.SECRETARY] != 1:
        problems.append(
            Problem(
                ErrorCode.INVALID_INPUT,
                "order_roles",
                ("members",),
                {
                    "chairs": roles[CommitteeRole.CHAIR],
                    "secretaries": roles[CommitteeRole.SECRETARY],
                },
            )
        )
    seen: set[int] = set()
    for index, seat in enumerate(data.members):
        field = ("members", str(index), "person")
        person = people.get(seat.person_id)
        if person is None:
            problems.append(
                Problem(
                    ErrorCode.NOT_FOUND, "not_found", field, {"what": "บุคลากร", "what_en": "Person"}
                )
            )
        elif person.unit_id != data.unit_id:
            problems.append(
                Problem(
                    ErrorCode.INVALID_INPUT,
                    "member_other_unit",
                    field,
                    {"name": person.full_name_th},
                )
            )
        elif seat.person_id in seen:
            problems.append(
                Problem(
                    ErrorCode.INVALID_INPUT, "member_twice", field, {"name": person.full_name_th}
                )
            )
        seen.add(seat.person_id)
    if problems:
        raise DomainError(*problems)
