"""Users: the ``User`` type, the ``me``/``users`` queries and the user mutations."""

from datetime import datetime
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from strawberry import relay

from models.user import Role, User
from schema.errors import UserError, payload
from schema.inputs import Input, input_dict, node_id
from schema.relay import (
    After,
    Before,
    Conditions,
    Connection,
    First,
    Last,
    ModelNode,
    OrderTerm,
    SortOrder,
    node_of,
    order_by_terms,
    paginate,
    read_rule,
)
from services import users
from services.errors import Unauthenticated, validated

if TYPE_CHECKING:
    from schema.org import PersonNode


@strawberry.type(name="User", description="A login account (บัญชีผู้ใช้).")
class UserNode(ModelNode):
    model = User

    id: relay.NodeID[int]
    username: str = strawberry.field(description="Login name, lower case.")
    display_name: str = strawberry.field(description="Name shown to others.")
    email: str | None = strawberry.field(description="E-mail address for notifications.")
    is_active: bool = strawberry.field(description="False when the account may not log in.")
    version: int = strawberry.field(description="Pass back when updating; bumps on every change.")
    created_at: datetime = strawberry.field(description="When the account was created (UTC).")

    @classmethod
    def from_model(cls, obj: User) -> "UserNode":
        return cls(
            id=obj.id,
            username=obj.username,
            display_name=obj.display_name,
            email=obj.email,
            is_active=obj.is_active,
            version=obj.version,
            created_at=obj.created_at,
        )

    visible = read_rule(users.visible_users)

    @strawberry.field(
        description="The staff record linked to the account: its unit, and through the unit the "
        "committee and cycles."
    )
    async def person(
        self, info: strawberry.Info
    ) -> Annotated["PersonNode", strawberry.lazy("schema.org")] | None:
        people = await info.context.loaders.person_of_user.load(self.id)
        return node_of(people[0]) if people else None

    @strawberry.field(description="Installation-wide roles held.")
    async def roles(self, info: strawberry.Info) -> list[Role]:
        return [Role(r) for r in await info.context.loaders.roles_of_user.load(self.id)]


async def user_node(info: strawberry.Info, user_id: int | None) -> UserNode | None:
    """The account behind a reference (uploader, confirmer, linked person), or null when there
    is none or the viewer may not see accounts."""
    if user_id is None or not users.may_see_user(info.context.actor, user_id):
        return None
    user = await info.context.loaders.user.load(user_id)
    return UserNode.from_model(user) if user else None


@strawberry.enum(description="Fields users can be ordered by.")
class UserOrderField(Enum):
    USERNAME = "username"
    DISPLAY_NAME = "display_name"
    CREATED_AT = "created_at"


@strawberry.input(description="One ordering term for users.")
class UserOrder(OrderTerm):
    field: UserOrderField = strawberry.field(description="Field to order by.")


@strawberry.input(description="Narrows the users listed; all given conditions must hold.")
class UserFilter:
    search: str | None = strawberry.field(
        default=None, description="Part of the username or display name."
    )
    role: Role | None = strawberry.field(default=None, description="Holds this role.")
    is_active: bool | None = strawberry.field(default=None, description="Active or not.")


@strawberry.type
class UserQueries:
    @strawberry.field(
        description="The signed-in user; null when no one is signed in. An expired or invalid "
        "bearer token is an UNAUTHENTICATED error, so the client knows to refresh."
    )
    async def me(self, info: strawberry.Info) -> UserNode | None:
        actor = info.context.actor
        if actor.user_id is None:
            if info.context.auth_problem:
                raise Unauthenticated()
            return None
        user = await info.context.loaders.user.load(actor.user_id)
        return UserNode.from_model(user) if user else None

    @strawberry.field(description="User accounts. Administrators and managers see all.")
    async def users(
        self,
        info: strawberry.Info,
        filter: Conditions[UserFilter] = None,
        order_by: SortOrder[UserOrder] = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[UserNode]:
        filter = filter or UserFilter()
        queryset = users.list_users(
            actor=info.context.actor,
            search=filter.search,
            role=filter.role,
            is_active=filter.is_active,
            ordering=order_by_terms(order_by, default=["username"]),
        )
        return await paginate(
            queryset, UserNode.from_model, first=first, after=after, last=last, before=before
        )


@strawberry.input(description="A new user account.")
class UserCreateInput:
    username: str = strawberry.field(description="3–150 of a–z, 0–9, '.', '_' or '-'.")
    password: str = strawberry.field(description="At least 8 characters.")
    display_name: str = strawberry.field(description="Name shown to others.")
    email: str | None = strawberry.field(default=None, description="E-mail address.")
    roles: list[Role] = strawberry.field(
        default_factory=list, description="Installation-wide roles to grant."
    )


@strawberry.type(description="Result of `userCreate`.")
class UserCreatePayload:
    user: UserNode | None = strawberry.field(default=None, description="The new account.")
    errors: list[UserError] = strawberry.field(description="Why nothing was created, if so.")


@strawberry.input(description="Changes to a user account; omitted fields stay as they are.")
class UserUpdateInput:
    id: relay.GlobalID = strawberry.field(description="The user's global id.")
    version: int = strawberry.field(description="The version the change is based on.")
    display_name: str | None = strawberry.field(default=None, description="New display name.")
    email: str | None = strawberry.field(default=None, description="New e-mail address.")
    is_active: bool | None = strawberry.field(default=None, description="Enable or disable.")
    roles: list[Role] | None = strawberry.field(
        default=None, description="The complete new set of roles."
    )
    password: str | None = strawberry.field(default=None, description="A new password.")
    reason: str | None = strawberry.field(default=None, description="Why; kept in the audit trail.")


@strawberry.type(description="Result of `userUpdate`.")
class UserUpdatePayload:
    user: UserNode | None = strawberry.field(default=None, description="The account as saved.")
    errors: list[UserError] = strawberry.field(description="Why nothing was changed, if so.")


@strawberry.type
class UserMutations:
    @strawberry.mutation(description="Create a user account (administrators).")
    async def user_create(
        self, info: strawberry.Info, input: Input[UserCreateInput]
    ) -> UserCreatePayload:
        async def action() -> dict[str, Any]:
            data = validated(users.NewUser, input_dict(input))
            user = await users.create_user(actor=info.context.actor, data=data)
            return {"user": UserNode.from_model(user)}

        return await payload(info, UserCreatePayload, action)

    @strawberry.mutation(description="Change a user account (administrators).")
    async def user_update(
        self, info: strawberry.Info, input: Input[UserUpdateInput]
    ) -> UserUpdatePayload:
        async def action() -> dict[str, Any]:
            changes = validated(
                users.UserChanges, input_dict(input, exclude={"id", "version", "reason"})
            )
            user = await users.update_user(
                actor=info.context.actor,
                user_id=node_id(input.id, UserNode),
                version=input.version,
                changes=changes,
                reason=input.reason,
            )
            return {"user": UserNode.from_model(user)}

        return await payload(info, UserUpdatePayload, action)
