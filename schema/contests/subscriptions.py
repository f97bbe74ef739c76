"""Live updates of the LIKE Talk Award over WebSocket (graphql-transport-ws): the scoreboard."""

from collections.abc import AsyncGenerator
from typing import Annotated, Any

import strawberry
from strawberry import relay

from schema.contests.judging import EntryAggregate
from schema.contests.types import ContestNode
from schema.inputs import node_id
from services.auth import authenticate
from services.contests import access, editions, scoreboard


async def _subscriber(info: strawberry.Info) -> Any:
    """The actor of a WebSocket: its headers' bearer token, or ``authorization`` in the
    ``connection_init`` payload (browsers cannot set headers on a WebSocket)."""
    actor = info.context.actor
    params = info.context.connection_params
    if actor.user_id is None and isinstance(params, dict):
        header = str(params.get("authorization") or params.get("Authorization") or "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() == "bearer" and token:
            actor = await authenticate(
                token.strip(), request_id=actor.request_id, client_address=actor.client_address
            )
    return actor


@strawberry.type
class ContestSubscriptions:
    @strawberry.subscription(
        description="An entry's updated aggregates each time a judge submits, a sheet is "
        "reopened or the results are published, on presentation day (organisers and managers; "
        "graphql-transport-ws)."
    )
    async def contest_scoreboard(
        self,
        info: strawberry.Info,
        contest_id: Annotated[relay.GlobalID, strawberry.argument(description="The edition.")],
    ) -> AsyncGenerator[EntryAggregate, None]:
        actor = await _subscriber(info)
        access.require_reads_everything(actor)
        contest_pk = node_id(contest_id, ContestNode, "contestId")
        await editions.require_contest(contest_pk)
        async with scoreboard.subscribe(contest_pk) as queue:
            while True:
                # Computed once per change for every subscriber of this process.
                result = await queue.get()
                yield EntryAggregate.of(result, info.context.language, True)
