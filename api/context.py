"""The per-request GraphQL context: who is asking, in which language, and the loaders."""

from typing import cast

from fastapi import Request
from starlette.requests import HTTPConnection
from strawberry.fastapi import BaseContext

from api.middleware import client_address, request_id_of
from schema.loaders import Loaders
from services.actor import Actor
from services.errors import Unauthenticated
from services.messages import Language, language_from_header
from services.tokens import decode_access_token


class Context(BaseContext):
    def __init__(self, *, actor: Actor, language: Language, auth_problem: str | None) -> None:
        super().__init__()
        self.actor = actor
        self.language = language
        # Why a presented bearer token was not accepted ("token_expired", "token_invalid").
        self.auth_problem = auth_problem
        self.loaders = Loaders(actor)

    @property
    def request_id(self) -> str | None:
        return self.actor.request_id


async def get_context(connection: HTTPConnection) -> Context:
    """Build the context from headers alone: the access token is verified without the database.
    A WebSocket (subscriptions) is a connection too; its token may also come in the
    ``connection_init`` payload instead (schema/judging.py)."""
    request = cast(Request, connection)
    request_id = request_id_of(request)
    address = client_address(request)
    actor = Actor(user_id=None, request_id=request_id, client_address=address)
    auth_problem = None
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer" and token:
        try:
            claims = decode_access_token(token.strip())
            actor = Actor(
                user_id=claims.user_id,
                roles=claims.roles,
                request_id=request_id,
                client_address=address,
            )
        except Unauthenticated as error:
            auth_problem = error.message_key
    elif scheme:
        auth_problem = "token_invalid"
    return Context(
        actor=actor,
        language=language_from_header(request.headers.get("accept-language")),
        auth_problem=auth_problem,
    )
