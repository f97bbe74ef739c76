"""Clearing an account's login lock (`userUnlock`)."""

from typing import Any

import strawberry
from strawberry import relay

from schema.errors import UserError, payload
from schema.inputs import Input, node_id
from schema.users import UserNode
from services import login_throttle


@strawberry.input(description="The account whose failed logins to forget.")
class UserUnlockInput:
    id: relay.GlobalID = strawberry.field(description="The user's global id.")
    reason: str | None = strawberry.field(default=None, description="Why; kept in the audit trail.")


@strawberry.type(description="Result of `userUnlock`.")
class UserUnlockPayload:
    user: UserNode | None = strawberry.field(default=None, description="The unlocked account.")
    errors: list[UserError] = strawberry.field(description="NOT_FOUND for an unknown user.")


@strawberry.type
class UserLockMutations:
    @strawberry.mutation(
        description="Forget an account's failed logins (administrators): the account-wide "
        "lock and every address's growing delay end at once. Audited as `user.unlock`."
    )
    async def user_unlock(
        self, info: strawberry.Info, input: Input[UserUnlockInput]
    ) -> UserUnlockPayload:
        async def action() -> dict[str, Any]:
            user = await login_throttle.unlock(
                actor=info.context.actor, user_id=node_id(input.id, UserNode), reason=input.reason
            )
            return {"user": UserNode.from_model(user)}

        return await payload(info, UserUnlockPayload, action)
