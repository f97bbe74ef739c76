"""Login, token refresh and logout."""

from datetime import datetime
from typing import Any

import strawberry

from schema.errors import UserError, payload
from schema.inputs import Input
from schema.users import UserNode
from services import auth


@strawberry.type(description="Tokens for a signed-in session.")
class AuthSession:
    access_token: str = strawberry.field(
        description="Short-lived JWT; send as `Authorization: Bearer <token>`."
    )
    access_token_expires_at: datetime = strawberry.field(description="When it stops working.")
    refresh_token: str = strawberry.field(
        description="Exchange with `tokenRefresh` for new tokens; usable once."
    )
    refresh_token_expires_at: datetime = strawberry.field(description="When it stops working.")
    user: UserNode = strawberry.field(description="The signed-in user.")

    @classmethod
    def from_session(cls, session: auth.Session) -> "AuthSession":
        return cls(
            access_token=session.access_token,
            access_token_expires_at=session.access_token_expires_at,
            refresh_token=session.refresh_token,
            refresh_token_expires_at=session.refresh_token_expires_at,
            user=UserNode.from_model(session.user),
        )


@strawberry.input(description="Credentials.")
class LoginInput:
    username: str = strawberry.field(description="Login name.")
    password: str = strawberry.field(description="Password.")


@strawberry.type(description="Result of `login`.")
class LoginPayload:
    session: AuthSession | None = strawberry.field(default=None, description="The new session.")
    errors: list[UserError] = strawberry.field(
        description="INVALID_CREDENTIALS, or THROTTLED after too many failures."
    )


@strawberry.input(description="A refresh token to exchange.")
class TokenRefreshInput:
    refresh_token: str = strawberry.field(description="The refresh token from the last session.")


@strawberry.type(description="Result of `tokenRefresh`.")
class TokenRefreshPayload:
    session: AuthSession | None = strawberry.field(default=None, description="The new tokens.")
    errors: list[UserError] = strawberry.field(
        description="TOKEN_INVALID (unknown, revoked or reused) or TOKEN_EXPIRED."
    )


@strawberry.input(description="The session to end.")
class LogoutInput:
    refresh_token: str = strawberry.field(description="The session's current refresh token.")


@strawberry.type(description="Result of `logout`.")
class LogoutPayload:
    logged_out: bool = strawberry.field(default=False, description="The session was revoked.")
    errors: list[UserError] = strawberry.field(description="TOKEN_INVALID for an unknown token.")


@strawberry.type
class AuthMutations:
    @strawberry.mutation(description="Sign in with a username and password.")
    async def login(self, info: strawberry.Info, input: Input[LoginInput]) -> LoginPayload:
        async def action() -> dict[str, Any]:
            session = await auth.login(
                username=input.username, password=input.password, actor=info.context.actor
            )
            return {"session": AuthSession.from_session(session)}

        return await payload(info, LoginPayload, action)

    @strawberry.mutation(description="Exchange a refresh token for new tokens (rotation).")
    async def token_refresh(
        self, info: strawberry.Info, input: Input[TokenRefreshInput]
    ) -> TokenRefreshPayload:
        async def action() -> dict[str, Any]:
            session = await auth.refresh(
                refresh_token=input.refresh_token, actor=info.context.actor
            )
            return {"session": AuthSession.from_session(session)}

        return await payload(info, TokenRefreshPayload, action)

    @strawberry.mutation(description="End a session: its refresh tokens stop working.")
    async def logout(self, info: strawberry.Info, input: Input[LogoutInput]) -> LogoutPayload:
        async def action() -> dict[str, Any]:
            await auth.logout(refresh_token=input.refresh_token, actor=info.context.actor)
            return {"logged_out": True}

        return await payload(info, LogoutPayload, action)
