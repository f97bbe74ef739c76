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


async def get_context(connection: HTTPConnection) -> Context:
    """Build the context once per request: an anonymous request touches no database; a bearer
    token is checked by ``services.auth.authenticate`` (one SQL statement), and the actor it
    gives stands for the whole request. A WebSocket (subscriptions) is a connection too; its
    token may also come in the ``connection_init`` payload instead (schema/judging.py)."""
    request = cast(Request, connection)
    request_id = request_id_of(request)
    address = client_address(request)
    actor = Actor(user_id=None, request_id=request_id, client_address=address)
    auth_problem = None
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer" and token:
        try:
            actor = await authenticate(token.strip(), request_id=request_id, client_address=address)
        except Unauthenticated as error:
            auth_problem = error.message_key
    elif scheme:
        auth_problem = "token_invalid"
    return Context(
        actor=actor,
        language=language_from_header(request.headers.get("accept-language")),
        auth_problem=auth_problem,
    )
