"""Publishing works to the website, Facebook and LINE: publications and channel settings."""

from datetime import datetime

import strawberry
from strawberry import relay

from models.publishing import Channel, Publication, PublicationStatus
from schema.relay import ModelNode

ChannelEnum = strawberry.enum(
    Channel,
    name="PublishingChannel",
    description="WEBSITE (the department's WordPress site), FACEBOOK (the unit's Page) or LINE "
    "(the unit's LINE Official Account).",
)
PublicationStatusEnum = strawberry.enum(
    PublicationStatus,
    name="PublicationStatus",
    description="QUEUED, SENDING, PUBLISHED, FAILED (retried, or dead until retried by hand), "
    "RETRACTED.",
)


@strawberry.type(name="Publication", description="A work on one channel (การเผยแพร่).")
class PublicationNode(ModelNode):
    model = Publication

    id: relay.NodeID[int]
    channel: ChannelEnum = strawberry.field(description="Where.")  # type: ignore[valid-type]
    status: PublicationStatusEnum = strawberry.field(description="Where it stands.")  # type: ignore[valid-type]
    external_id: str | None = strawberry.field(description="The channel's id for the post.")
    external_url: str | None = strawberry.field(description="Where the post can be seen.")
    attempts: int = strawberry.field(description="Sends tried so far.")
    last_error: str | None = strawberry.field(description="What went wrong last, if anything.")
    published_at: datetime | None = strawberry.field(description="When the channel took it (UTC).")
    updated_at: datetime = strawberry.field(description="Last change (UTC).")
    work_id: strawberry.Private[int]

    @classmethod
    def from_model(cls, p: Publication) -> "PublicationNode":
        return cls(
            id=p.id,
            channel=p.channel,
            status=p.status,
            external_id=p.external_id,
            external_url=p.external_url,
            attempts=p.attempts,
            last_error=p.last_error,
            published_at=p.published_at,
            updated_at=p.updated_at,
            work_id=p.work_id,
        )
