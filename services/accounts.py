"""Accounts and the people they are: administrators link and unlink an account and a person
and see the accounts waiting for one; a person keeps their own contact details.

An account is linked to at most one person and a person to at most one account
(``Person.user``). What an account may do in a unit follows from its person (permissions.py),
so an account with no person — a new department sign-in, an account an administrator made —
waits here until an administrator links it.
"""

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, StringConstraints
from tortoise.expressions import Subquery
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from models.org import Person
from models.user import Role, User
from services import audit
from services.actor import Actor
from services.errors import DomainError, ErrorCode, check_version, not_found
from services.permissions import require_authenticated, require_role
from services.users import Email

LineUserId = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^U[0-9a-f]{32}$")]


def waiting_for_person(*, actor: Actor) -> QuerySet[User]:
    """Active accounts linked to no person, the newest first (administrators and managers)."""
    require_role(actor, Role.MANAGER)
    linked = Person.filter(user_id__isnull=False).values("user_id")
    return (
        User.filter(is_active=True).exclude(id__in=Subquery(linked)).order_by("-created_at", "-id")
    )


async def link_person(
    *, actor: Actor, user_id: int, person_id: int, reason: str | None = None
) -> tuple[User, Person]:
    """Link the account to the person; both must be free (unlink first to move a link)."""
    require_role(actor, Role.ADMIN)
    async with in_transaction() as connection:
        person = await Person.filter(id=person_id).select_for_update().using_db(connection).first()
        if person is None:
            raise not_found("person", "บุคลากร", "Person")
        user = await User.get_or_none(id=user_id, using_db=connection)
        if user is None:
            raise not_found("user", "บัญชีผู้ใช้", "User")
        if person.user_id == user.id:
            return user, person
        if person.user_id is not None:
            raise DomainError.of(ErrorCode.DUPLICATE, "person_has_account", field=("person",))
        if await Person.exists(user_id=user.id, using_db=connection):
            raise DomainError.of(ErrorCode.DUPLICATE, "user_has_person", field=("user",))
        person.user_id = user.id
        person.version += 1
        await person.save(update_fields=["user_id", "version"], using_db=connection)
        await audit.record(
            actor=actor,
            action="person.link_user",
            object_type="Person",
            object_id=person.id,
            before={"user": None},
            after={"user": user.id},
            reason=reason,
            connection=connection,
        )
    return user, person


async def unlink_person(*, actor: Actor, user_id: int, reason: str | None = None) -> User:
    """Take the account's person away from it; the account then waits again."""
    require_role(actor, Role.ADMIN)
    async with in_transaction() as connection:
        user = await User.get_or_none(id=user_id, using_db=connection)
        if user is None:
            raise not_found("user", "บัญชีผู้ใช้", "User")
        person = (
            await Person.filter(user_id=user.id).select_for_update().using_db(connection).first()
        )
        if person is None:
            raise DomainError.of(ErrorCode.NOT_FOUND, "user_has_no_person", field=("user",))
        person.user_id = None
        person.version += 1
        await person.save(update_fields=["user_id", "version"], using_db=connection)
        await audit.record(
            actor=actor,
            action="person.unlink_user",
            object_type="Person",
            object_id=person.id,
            before={"user": user.id},
            after={"user": None},
            reason=reason,
            connection=connection,
        )
    return user


class ContactDetails(BaseModel):
    """What a person may correct about themselves: how notifications reach them."""

    model_config = ConfigDict(frozen=True)
    email: Email | None = None
    line_user_id: LineUserId | None = None


async def own_person(actor: Actor) -> Person | None:
    require_authenticated(actor)
    return None if actor.user_id is None else await Person.get_or_none(user_id=actor.user_id)


async def update_own_contact(
    *, actor: Actor, version: int, data: ContactDetails, fields: set[str]
) -> Person:
    """Set the given ``fields`` of the actor's own person (an empty value clears one)."""
    require_authenticated(actor)
    async with in_transaction() as connection:
        person = (
            await Person.filter(user_id=actor.user_id)
            .select_for_update()
            .using_db(connection)
            .first()
        )
        if person is None or actor.user_id is None:
            raise DomainError.of(ErrorCode.NOT_FOUND, "account_not_linked")
        check_version(person.version, version)
        before = _contact(person)
        for name in fields:
            setattr(person, name, getattr(data, name) or None)
        person.version += 1
        await person.save(update_fields=[*sorted(fields), "version"], using_db=connection)
        await audit.record(
            actor=actor,
            action="person.update_self",
            object_type="Person",
            object_id=person.id,
            before=before,
            after=_contact(person),
            connection=connection,
        )
    return person


def _contact(person: Person) -> dict[str, Any]:
    # The LINE id itself stays out of the audit trail, as it does out of PersonNode.
    return {"email": person.email, "hasLineUserId": bool(person.line_user_id)}
