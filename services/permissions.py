"""The shared vocabulary of permission rules: who the actor is in a unit (``Standing``) and the
checks every domain uses. Each domain's own rules live in its service module, next to the
transitions they guard:

- Read rules: ``visible_<things>(actor)`` returns the rows the actor may read as a queryset the
  database filters (lists and ``node(id:)`` both start from it; a GraphQL node type without
  one is refused), and field-level rules (answers, contacts, marks, delivery errors) are
  functions of the viewer's ``Standing``.
- Write rules: ``viewer_can``/``may_*`` over a ``Standing`` and the transition tables.

The rules themselves, in short:

- ADMIN: everything. MANAGER: read everything. Anyone signed in: read.
- Unit lead (the chair or secretary of a unit's current committee): manage the unit's committee
  orders, cycles, templates and meetings; reschedule and skip steps.
- Chair: reopen a finished step.
- Unit approver (the unit head, a unit role administrators grant): decide the unit's plans.
- Any member of a unit's current committee: draft plans and recommend on submitted ones.
- A person responsible for a step (any member, for a whole-committee step): start and complete
  it, attach its evidence, and do the step's work where it is done (designing its survey,
  submitting the plans for approval in step 8, recording the final report in DOC 4.0 in step 16:
  ``services.cycles.CycleStanding``).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, TypeVar, cast

from tortoise.expressions import Subquery
from tortoise.models import Model
from tortoise.queryset import QuerySet

from models.committee import CommitteeRole, Membership
from models.org import Person, UnitRole, UnitRoleGrant
from models.user import Role
from services.actor import Actor
from services.errors import Forbidden, ForbiddenReason, Unauthenticated

LEADS = frozenset({CommitteeRole.CHAIR, CommitteeRole.SECRETARY})

ModelT = TypeVar("ModelT", bound=Model)


def require_authenticated(actor: Actor) -> None:
    if not actor.is_authenticated:
        raise Unauthenticated()


def require_role(actor: Actor, *roles: Role) -> None:
    """Allow when the actor holds any of ``roles``; ADMIN holds every installation role."""
    require_authenticated(actor)
    if Role.ADMIN in actor.roles or actor.roles.intersection(roles):
        return
    raise Forbidden(ForbiddenReason.ROLE_REQUIRED, roles=", ".join(roles or (Role.ADMIN,)))


def readable_by_anyone_signed_in(actor: Actor, rows: QuerySet[ModelT]) -> QuerySet[ModelT]:
    """The read rule of the programme's open records: the LO programme is run in the open
    within the department, so anyone signed in reads every unit's rows; no one else reads any."""
    require_authenticated(actor)
    return rows


def reads_everything(actor: Actor) -> bool:
    """Administrators, managers (who read everything) and the system."""
    return actor.is_system or bool(actor.roles & {Role.ADMIN, Role.MANAGER})


def seated_units(actor: Actor) -> Subquery:
    """The units on whose current committee the actor sits (any seat), for the database."""
    return Subquery(
        Membership.filter(
            order__superseded_by_id__isnull=True, person__user_id=actor.user_id
        ).values("order__unit_id")
    )


@dataclass(frozen=True)
class Standing:
    """The actor's place in one unit: their staff records there and their committee seats."""

    is_admin: bool
    person_ids: frozenset[int]
    committee_roles: frozenset[CommitteeRole]
    is_approver: bool = False

    @property
    def is_lead(self) -> bool:
        return self.is_admin or bool(self.committee_roles & LEADS)

    @property
    def is_chair(self) -> bool:
        return self.is_admin or CommitteeRole.CHAIR in self.committee_roles

    @property
    def is_member(self) -> bool:
        return self.is_admin or bool(self.committee_roles)

    @property
    def is_linked(self) -> bool:
        """The actor is someone of the unit: a staff record there or a committee seat."""
        return bool(self.person_ids or self.committee_roles)

    def refusal(self, needed: ForbiddenReason) -> Forbidden:
        """The refusal for an actor who lacks ``needed``; one who is nobody of the unit hears
        that first, since that is what an administrator can put right."""
        if not (self.is_linked or self.is_approver):
            return Forbidden(ForbiddenReason.NOT_LINKED_TO_UNIT)
        return Forbidden(needed)


async def standing_in_unit(actor: Actor, unit_id: int) -> Standing:
    """The actor's seats on the unit's current committee."""
    return (await standings_in_units(actor, [unit_id]))[unit_id]


async def standings_in_units(actor: Actor, unit_ids: Iterable[int]) -> dict[int, Standing]:
    """Three queries: the actor's staff records in each unit (a step may be given to anyone of
    the unit), their seats on each unit's current committee and their unit roles."""
    require_authenticated(actor)
    unit_ids = list(unit_ids)
    if actor.user_id is None:
        people: list[tuple[Any, ...]] = []
        seats: list[tuple[Any, ...]] = []
        approving: set[int] = set()
    else:
        people = await Person.filter(user_id=actor.user_id, unit_id__in=unit_ids).values_list(
            "unit_id", "id"
        )
        seats = await Membership.filter(
            order__unit_id__in=unit_ids,
            order__superseded_by_id__isnull=True,
            person__user_id=actor.user_id,
        ).values_list("order__unit_id", "role")
        approving = set(
            cast(
                list[int],
                await UnitRoleGrant.filter(
                    user_id=actor.user_id, unit_id__in=unit_ids, role=UnitRole.APPROVER
                ).values_list("unit_id", flat=True),
            )
        )
    return {
        unit_id: Standing(
            is_admin=Role.ADMIN in actor.roles,
            person_ids=frozenset(int(p) for u, p in people if u == unit_id),
            committee_roles=frozenset(CommitteeRole(str(r)) for u, r in seats if u == unit_id),
            is_approver=unit_id in approving,
        )
        for unit_id in unit_ids
    }


async def require_unit_lead(actor: Actor, unit_id: int) -> Standing:
    standing = await standing_in_unit(actor, unit_id)
    if not standing.is_lead:
        raise standing.refusal(ForbiddenReason.UNIT_LEAD_REQUIRED)
    return standing
