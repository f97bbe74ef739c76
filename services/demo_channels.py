"""The unit's channels as they answered in the demo's story: every post accepted, with an id
and an address of its own, so the story's publications are published on the day it tells.
They stand in for the channels only while the story is told (``deliver``); afterwards the
unit's settings point at nothing real (services/demo_works.py)."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

import httpx

from models.publishing import Channel
from services.channels import ChannelConfig, Post, Sent
from services.outbox import Dispatcher

ADDRESSES = {
    Channel.WEBSITE: "https://www.anamai.moph.go.th/lo/{slug}",
    Channel.FACEBOOK: "https://www.facebook.com/anamai.lo/posts/{slug}",
    Channel.LINE: None,  # a broadcast has no address
}


@dataclass
class StoryChannel:
    channel: Channel

    async def publish(self, config: ChannelConfig, post: Post, *, in_doubt: bool) -> Sent:
        address = ADDRESSES.get(self.channel)
        return Sent(
            external_id=f"{self.channel.value.lower()}-{post.slug}",
            url=address.format(slug=post.slug) if address else None,
        )

    async def find(self, config: ChannelConfig, post: Post) -> Sent | None:
        return None

    async def retract(self, config: ChannelConfig, external_id: str) -> None:
        return None


@asynccontextmanager
async def story_dispatcher() -> AsyncIterator[Dispatcher]:
    """A dispatcher whose channels are the story's (one for a whole story: a client is dear)."""
    async with httpx.AsyncClient() as http:
        yield Dispatcher(
            http, adapters={channel: StoryChannel(channel) for channel in Channel}, batch=100
        )


async def deliver(dispatcher: Dispatcher) -> None:
    """Carry out what the story has queued so far, at the story's time."""
    while await dispatcher.run_once():
        pass
