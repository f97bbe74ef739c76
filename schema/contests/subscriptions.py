"""Live updates of the LIKE Talk Award: the scoreboard (transports in api/subscriptions.py)."""

from collections.abc import AsyncGenerator
from typing import Annotated

import strawberry
from strawberry import relay

from schema.contests.judging import EntryAggregate
from schema.contests.types import ContestNode
from schema.inputs import node_id
from services.actor import Actor
from services.contests import scoreboard
from services.messages import Language


@strawberry.type
class ContestSubscriptions:
    @strawberry.subscription(
        description="An entry's updated aggregates each time a judge submits, a sheet is "
        "reopened or the results are published, on presentation day (organisers and managers; "
        "over WebSocket or HTTP streams, see the README)."
    )
    async def contest_scoreboard(
        self,
        info: strawberry.Info,
        contest_id: Annotated[relay.GlobalID, strawberry.argument(description="The edition.")],
    ) -> AsyncGenerator[EntryAggregate, None]:
        # Checked before the stream is returned, so a refusal is the subscription's error
        # (graphql-transport-ws `error`), not a first result carrying errors.
        contest_pk = node_id(contest_id, ContestNode, "contestId")
        await scoreboard.check_watch(actor=info.context.actor, contest_id=contest_pk)
        return _scoreboard_updates(contest_pk, info.context.actor, info.context.language)


async def _scoreboard_updates(
    contest_id: int, actor: Actor, language: Language
) -> AsyncGenerator[EntryAggregate, None]:
    async with scoreboard.subscribe(contest_id) as queue:
        while True:
            # Computed once per change for every subscriber of this process.
            result = await queue.get()
            actor = await scoreboard.still_watching(actor)
            yield EntryAggregate.of(result, language, True)
