"""How subscriptions reach clients, and who may open one.

Two transports, one rule. Over WebSocket (``graphql-transport-ws``, what the npm ``graphql-ws``
client and so Apollo Client, urql and GraphiQL speak) a client signs in with its
``connection_init`` payload (``{"authorization": "Bearer <token>"}``; browsers cannot set headers
on a WebSocket) or with the handshake's ``Authorization`` header. Over HTTP (GraphQL over SSE in
distinct-connections mode, ``Accept: text/event-stream``; or multipart subscriptions,
``Accept: multipart/mixed;subscriptionSpec=1.0``) the request's ``Authorization`` header signs in.

Either way the same function as for every HTTP request (api/context.py) reads the token, and a
connection that is not signed in is refused before it is acknowledged (close 4401, HTTP 401); one
whose user may subscribe to nothing, likewise (4403, HTTP 403). A subscription refused by its own
rules (an unknown edition, say) ends with the protocol's error: an ``error`` message. Each update
asks again (``scoreboard.still_watching``): once the session has ended or the right is withdrawn,
the stream's last result carries UNAUTHENTICATED or FORBIDDEN and the operation completes.
"""

from dataclasses import dataclass
from typing import Any

from strawberry.subscriptions import (
    GRAPHQL_SSE_PROTOCOL,
    GRAPHQL_TRANSPORT_WS_PROTOCOL,
    MULTIPART_SUBSCRIPTION_PROTOCOL,
)
from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import (
    BaseGraphQLTransportWSHandler,
)
from strawberry.subscriptions.protocols.graphql_transport_ws.types import ConnectionInitMessage

from api.context import Context, actor_for
from services.actor import Actor
from services.contests import scoreboard

# The legacy ``graphql-ws`` subprotocol (subscriptions-transport-ws) is not offered: it has no
# way to refuse a connection, and every current client speaks ``graphql-transport-ws``.
PROTOCOLS = (GRAPHQL_TRANSPORT_WS_PROTOCOL, GRAPHQL_SSE_PROTOCOL, MULTIPART_SUBSCRIPTION_PROTOCOL)


@dataclass(frozen=True)
class Refusal:
    """Why a connection may not subscribe: its WebSocket close code and HTTP status."""

    close_code: int
    status: int
    reason: str


UNAUTHORIZED = Refusal(4401, 401, "Unauthorized: sign in with a bearer access token")
FORBIDDEN = Refusal(4403, 403, "Forbidden: this account may not subscribe to anything")


def refusal_for(actor: Actor) -> Refusal | None:
    if not actor.is_authenticated:
        return UNAUTHORIZED
    if not scoreboard.may_watch(actor):
        return FORBIDDEN
    return None


async def sign_in(context: Context, connection_params: dict[str, Any]) -> Refusal | None:
    """Sign the WebSocket of ``context`` in with its ``connection_init`` payload, else with its
    handshake's header (already read into ``context``)."""
    authorization = connection_params.get("authorization") or connection_params.get("Authorization")
    if authorization is not None:
        actor, _ = await actor_for(
            str(authorization),
            request_id=context.actor.request_id,
            client_address=context.actor.client_address,
        )
        context.act_as(actor)
    return refusal_for(context.actor)


class GraphQLTransportWS(BaseGraphQLTransportWSHandler[Context, None]):
    """graphql-transport-ws whose ``connection_init`` must sign in."""

    async def handle_connection_init(self, message: ConnectionInitMessage) -> None:
        payload = message.get("payload") or {}
        # A malformed or repeated init is the base handler's to refuse (4400, 4429).
        if isinstance(payload, dict) and not self.connection_init_received:
            refusal = await sign_in(self.context, payload)
            if refusal is not None:
                await self.websocket.close(code=refusal.close_code, reason=refusal.reason)
                return
        await super().handle_connection_init(message)
