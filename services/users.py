"""User accounts and their installation-wide roles."""

from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, StringConstraints
from tortoise.exceptions import IntegrityError
from tortoise.expressions import Q, Subquery
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from models.user import Role, RoleGrant, User
from services import audit, auth
from services.actor import SYSTEM, Actor
from services.errors import DomainError, ErrorCode, not_found, validated
from services.passwords import hash_password
from services.permissions import require_authenticated, require_role
from services.versioning import update_if_current

Username = Annotated[
    str,
    BeforeValidator(lambda v: v.strip().lower() if isinstance(v, str) else v),
    StringConstraints(pattern=r"^[a-z0-9._-]{3,150}$"),
]
Password = Annotated[str, StringConstraints(min_length=8, max_length=256)]
DisplayName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=255)]
Email = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=255, pattern=r"^[^@\s]+@[^@\s]+$")
]


class NewUser(BaseModel):
    model_config = ConfigDict(frozen=True)

    username: Username
    password: Password
    display_name: DisplayName
    email: Email | None = None
    roles: frozenset[Role] = frozenset()


class UserChanges(BaseModel):
    """Fields to change; ``None`` leaves a field as it is."""

    model_config = ConfigDict(frozen=True)

    display_name: DisplayName | None = None
    email: Email | None = None
    is_active: bool | None = None
    roles: frozenset[Role] | None = None
    password: Password | None = None


async def create_user(*, actor: Actor, data: NewUser) -> User:
    require_role(actor, Role.ADMIN)
    password_hash = await hash_password(data.password)
    try:
        async with in_transaction() as connection:
            user = await User.create(
                username=data.username,
                password_hash=password_hash,
                display_name=data.display_name,
                email=data.email,
                using_db=connection,
            )
            await RoleGrant.bulk_create(
                [RoleGrant(user_id=user.id, role=role) for role in sorted(data.roles)],
                using_db=connection,
            )
            await audit.record(
                actor=actor,
                action="user.create",
                object_type="User",
                object_id=user.id,
                after=_snapshot(user, data.roles),
                connection=connection,
            )
    except IntegrityError:
        raise DomainError.of(
            ErrorCode.DUPLICATE, "username_taken", field=("username",), username=data.username
        ) from None
    return user


async def update_user(
    *, actor: Actor, user_id: int, version: int, changes: UserChanges, reason: str | None
) -> User:
    require_role(actor, Role.ADMIN)
    async with in_transaction() as connection:
        user = await User.filter(id=user_id).select_for_update().using_db(connection).first()
        if user is None:
            raise not_found("id", "ผู้ใช้", "User")
        before_roles = await roles_of(user.id, connection)
        before = _snapshot(user, before_roles)
        fields = {
            name: value
            for name, value in changes.model_dump(exclude={"roles", "password"}).items()
            if value is not None
        }
        if changes.password:
            fields["password_hash"] = await hash_password(changes.password)
            # A new password ends every session the old one opened.
            await auth.end_sessions(user.id, "PASSWORD_CHANGED", connection)
        if changes.is_active is False and user.is_active:
            await auth.end_sessions(user.id, "DEACTIVATED", connection)
        await update_if_current(
            User,
            pk=user_id,
            version=version,
            current=user.version,
            connection=connection,
            **fields,
        )
        roles = before_roles if changes.roles is None else changes.roles
        if changes.roles is not None and changes.roles != before_roles:
            await RoleGrant.filter(user_id=user.id).using_db(connection).delete()
            await RoleGrant.bulk_create(
                [RoleGrant(user_id=user.id, role=role) for role in sorted(roles)],
                using_db=connection,
            )
        await user.refresh_from_db(using_db=connection)
        await audit.record(
            actor=actor,
            action="user.update",
            object_type="User",
            object_id=user.id,
            before=before,
            after=_snapshot(user, roles) | {"passwordChanged": bool(changes.password)},
            reason=reason,
            connection=connection,
        )
    return user


async def ensure_user(
    *, username: str, password: str, display_name: str, roles: frozenset[Role]
) -> bool:
    """Create the user unless the username exists; True when created. For the CLI and demo."""
    if await User.exists(username=username):
        return False
    await create_user(
        actor=SYSTEM,
        data=validated(
            NewUser,
            {
                "username": username,
                "password": password,
                "display_name": display_name,
                "roles": roles,
            },
        ),
    )
    return True


async def roles_of(user_id: int, connection: Any = None) -> frozenset[Role]:
    values = (
        await RoleGrant.filter(user_id=user_id).using_db(connection).values_list("role", flat=True)
    )
    return frozenset(Role(str(v)) for v in values)


def _snapshot(user: User, roles: frozenset[Role]) -> dict[str, Any]:
    return {
        "username": user.username,
        "displayName": user.display_name,
        "email": user.email,
        "isActive": user.is_active,
        "roles": sorted(roles),
        "version": user.version,
    }


def may_see_user(actor: Actor, user_id: int) -> bool:
    """Accounts (login names, roles) are for administrators, managers and their owner."""
    return actor.user_id == user_id or bool(actor.roles & {Role.ADMIN, Role.MANAGER})


def users_visible_to(actor: Actor) -> QuerySet[User]:
    """Administrators and managers see every account; anyone else sees only their own."""
    require_authenticated(actor)
    if actor.roles & {Role.ADMIN, Role.MANAGER}:
        return User.all()
    return User.filter(id=actor.user_id)


def list_users(
    *,
    actor: Actor,
    search: str | None = None,
    role: Role | None = None,
    is_active: bool | None = None,
    ordering: list[str],
) -> QuerySet[User]:
    queryset = users_visible_to(actor)
    if search:
        queryset = queryset.filter(
            Q(username__icontains=search) | Q(display_name__icontains=search)
        )
    if role:
        queryset = queryset.filter(id__in=Subquery(RoleGrant.filter(role=role).values("user_id")))
    if is_active is not None:
        queryset = queryset.filter(is_active=is_active)
    return queryset.order_by(*ordering)
