"""The per-request GraphQL context: who is asking, in which language, and the loaders."""

from typing import cast

from fastapi import Request
from starlette.requests import HTTPConnection
from strawberry.fastapi import BaseContext

from api.middleware import client_address, request_id_of
from schema.loaders import Loaders
from services.actor import Actor
from services.auth import authenticate
from services.errors import Unauthenticated
from services.messages import Language, language_from_header


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

    def act_as(self, actor: Actor) -> None:
        """Speak for ``actor`` from now on: a WebSocket signs in after its handshake."""
        self.actor = actor
        self.loaders = Loaders(actor)


async def get_context(connection: HTTPConnection) -> Context:
    """Build the context once per request: an anonymous request touches no database; a bearer
    token is checked by ``services.auth.authenticate`` (one SQL statement), and the actor it
    gives stands for the whole request. A WebSocket (subscriptions) is a connection too; its
    token may also come in the ``connection_init`` payload instead (api/subscriptions.py)."""
    request = cast(Request, connection)
    actor, auth_problem = await actor_for(
        request.headers.get("authorization"),
        request_id=request_id_of(request),
        client_address=client_address(request),
    )
    return Context(
        actor=actor,
        language=language_from_header(request.headers.get("accept-language")),
        auth_problem=auth_problem,
    )


async def actor_for(
    authorization: str | None, *, request_id: str | None, client_address: str
) -> tuple[Actor, str | None]:
    """Who an ``Authorization`` value (``Bearer <access token>``) speaks for, and why a presented
    token was not accepted (None when none was presented or it was). HTTP requests and
    WebSocket connections both sign in here."""
    anonymous = Actor(user_id=None, request_id=request_id, client_address=client_address)
    scheme, _, token = (authorization or "").partition(" ")
    if not scheme:
        return anonymous, None
    if scheme.lower() != "bearer" or not token.strip():
        return anonymous, "token_invalid"
    try:
        actor = await authenticate(
            token.strip(), request_id=request_id, client_address=client_address
        )
    except Unauthenticated as error:
        return anonymous, error.message_key
    return actor, None
