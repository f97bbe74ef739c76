"""Publishing works to the website, Facebook, LINE and webhooks: publications and channel
settings."""

from datetime import datetime
from typing import Annotated, Any

import strawberry
from strawberry import relay

from models.publishing import Channel, ChannelSettings, Publication, PublicationStatus
from schema.cost import ListSize
from schema.errors import UserError, payload
from schema.inputs import Input, node_id
from schema.org import UnitNode
from schema.relay import ModelNode, read_rule
from schema.transitions import with_current
from schema.works.mutations import WorkPayload
from schema.works.types import WorkNode
from services import publishing
from services.channels import PLACEHOLDERS


@strawberry.type(name="Publication", description="A work on one channel (การเผยแพร่).")
class PublicationNode(ModelNode):
    model = Publication

    id: relay.NodeID[int]
    channel: Channel = strawberry.field(description="Where.")
    status: PublicationStatus = strawberry.field(description="Where it stands.")
    external_id: str | None = strawberry.field(description="The channel's id for the post.")
    external_url: str | None = strawberry.field(description="Where the post can be seen.")
    published_at: datetime | None = strawberry.field(description="When the channel took it (UTC).")
    updated_at: datetime = strawberry.field(description="Last change (UTC).")
    work_id: strawberry.Private[int]
    attempt_count: strawberry.Private[int]
    error: strawberry.Private[str | None]
    # The work's unit, when known already (from the work); else loaded.
    unit_id: strawberry.Private[int | None] = None

    @classmethod
    def from_model(
        cls, publication: Publication, *, unit_id: int | None = None
    ) -> "PublicationNode":
        return cls(
            id=publication.id,
            channel=publication.channel,
            status=publication.status,
            external_id=publication.external_id,
            external_url=publication.external_url,
            published_at=publication.published_at,
            updated_at=publication.updated_at,
            work_id=publication.work_id,
            attempt_count=publication.attempts,
            error=publication.last_error,
            unit_id=unit_id,
        )

    async def _may_see_delivery(self, info: strawberry.Info) -> bool:
        if not info.context.actor.is_authenticated:
            return False
        unit_id = self.unit_id
        if unit_id is None:
            work = await info.context.loaders.work.load(self.work_id)
            if work is None:
                return False
            unit_id = work.unit_id
        standing = await info.context.loaders.standing_in_unit.load(unit_id)
        return publishing.may_see_delivery(standing)

    @strawberry.field(
        description="Sends tried so far. Only for the work's unit chair or secretary and "
        "administrators; null for others."
    )
    async def attempts(self, info: strawberry.Info) -> int | None:
        return self.attempt_count if await self._may_see_delivery(info) else None

    @strawberry.field(
        description="What went wrong last, if anything (the channel's own words). Only for the "
        "work's unit chair or secretary and administrators; null for others."
    )
    async def last_error(self, info: strawberry.Info) -> str | None:
        return self.error if await self._may_see_delivery(info) else None

    visible = read_rule(publishing.visible_publications)


@strawberry.type(
    name="PublishingChannelSettings",
    description="How a unit publishes to one channel. The credential is write-only: only "
    "whether one is set is shown.",
)
class ChannelSettingsNode(ModelNode):
    model = ChannelSettings

    id: relay.NodeID[int]
    channel: Channel = strawberry.field(description="The channel.")
    enabled: bool = strawberry.field(description="Publishing to it is switched on.")
    base_url: str = strawberry.field(
        description="The site or API address, or the webhook's endpoint."
    )
    account: str = strawberry.field(
        description="WordPress user name, Facebook Page id, or LINE audience group id "
        "(narrowcast; empty broadcasts to every friend)."
    )
    template_th: str = strawberry.field(
        description="The Thai message template (a webhook's: the JSON body, placeholders in its "
        "strings); empty uses the default. Placeholders: "
        + ", ".join("{" + p + "}" for p in PLACEHOLDERS)
        + "."
    )
    has_credential: bool = strawberry.field(
        description="A credential (a webhook's signing secret) is stored."
    )
    credential_problem: str | None = strawberry.field(
        description="Why the channel last refused the credential (expired, invalid); cleared "
        "when a new one is set."
    )
    version: int = strawberry.field(description="Pass back when changing the settings.")
    unit_id: strawberry.Private[int]

    @classmethod
    def from_model(cls, settings: ChannelSettings) -> "ChannelSettingsNode":
        return cls(
            id=settings.id,
            channel=settings.channel,
            enabled=settings.enabled,
            base_url=settings.base_url,
            account=settings.account,
            template_th=settings.template_th,
            has_credential=bool(settings.credential),
            credential_problem=settings.credential_problem,
            version=settings.version,
            unit_id=settings.unit_id,
        )

    visible = read_rule(publishing.visible_channel_settings)


@strawberry.type
class PublishingQueries:
    @strawberry.field(
        description="A unit's publishing channel settings (unit chair or secretary).",
        directives=[ListSize(assumed_size=3)],
    )
    async def publishing_channels(
        self,
        info: strawberry.Info,
        unit: Annotated[relay.GlobalID, strawberry.argument(description="The unit.")],
    ) -> list[ChannelSettingsNode]:
        rows = await publishing.channel_settings_of_unit(
            actor=info.context.actor, unit_id=node_id(unit, UnitNode, "unit")
        )
        return [ChannelSettingsNode.from_model(s) for s in rows]


@strawberry.input(description="Announce a registered work on channels.")
class WorkPublishInput:
    id: relay.GlobalID = strawberry.field(description="The work (REGISTERED or PUBLISHED).")
    channels: list[Channel] = strawberry.field(
        description="Channels to publish to; ones already live are left as they are."
    )
    version: int | None = strawberry.field(
        default=None, description="When given, refused if the work moved on."
    )


@strawberry.input(description="Take a published work down from every channel.")
class WorkRetractInput:
    id: relay.GlobalID = strawberry.field(description="The work.")
    reason: str = strawberry.field(description="Why; kept in the audit.")
    version: int | None = strawberry.field(
        default=None, description="When given, refused if the work moved on."
    )


@strawberry.input(description="A dead publication to send again.")
class PublicationRetryInput:
    id: relay.GlobalID = strawberry.field(description="The publication.")
    send_again: bool = strawberry.field(
        default=False,
        description="LINE only: send under a new retry key, as a new message. Needed when an "
        "earlier send may have gone out and its retry key has expired (LINE honours one for 24 "
        "hours after the first send): check the LINE Official Account first, since the friends "
        "may get the message twice.",
    )


@strawberry.type(description="Result of `publicationRetry`.")
class PublicationPayload:
    publication: PublicationNode | None = strawberry.field(
        default=None, description="The publication, queued again."
    )
    errors: list[UserError] = strawberry.field(description="Why nothing changed, if so.")


@strawberry.input(description="Set a unit's settings for one channel.")
class PublishingChannelConfigureInput:
    unit: relay.GlobalID = strawberry.field(description="The unit.")
    channel: Channel = strawberry.field(description="The channel.")
    base_url: str = strawberry.field(
        description="WordPress site (https://…), Graph API (https://graph.facebook.com/v19.0) "
        "or Messaging API (https://api.line.me) address, or the webhook's endpoint (https://…)."
    )
    account: str = strawberry.field(
        default="", description="WordPress user, Facebook Page id or LINE audience group id."
    )
    credential: str | None = strawberry.field(
        default=None,
        description="Application password, page access token, channel access token or the "
        "webhook's signing secret (HMAC-SHA256); write-only. Omit to keep the stored one.",
    )
    template_th: str | None = strawberry.field(
        default=None,
        description="Thai message template (a webhook's: a JSON object, placeholders in its "
        "strings); omit to keep, empty for the default.",
    )
    enabled: bool = strawberry.field(default=True, description="Switch publishing on or off.")
    version: int | None = strawberry.field(
        default=None, description="When changing: the version the change is based on."
    )


@strawberry.type(description="Result of `publishingChannelConfigure`.")
class PublishingChannelConfigurePayload:
    settings: ChannelSettingsNode | None = strawberry.field(
        default=None, description="The settings as saved (without the credential)."
    )
    errors: list[UserError] = strawberry.field(description="Why nothing was saved, if so.")


@strawberry.type
class PublishingMutations:
    @strawberry.mutation(
        description="Publish a registered work to channels (→ PUBLISHED; unit chair or "
        "secretary): one publication per channel, sent by the publishing worker."
    )
    async def work_publish(
        self, info: strawberry.Info, input: Input[WorkPublishInput]
    ) -> WorkPayload:
        async def run() -> dict[str, Any]:
            work = await publishing.publish_work(
                actor=info.context.actor,
                work_id=node_id(input.id, WorkNode),
                channel_list=input.channels,
                version=input.version,
            )
            return {"work": WorkNode.from_model(work)}

        return await with_current(info, await payload(info, WorkPayload, run), input.id)

    @strawberry.mutation(
        description="Retract a published work from every channel, with a reason (→ REGISTERED)."
    )
    async def work_retract(
        self, info: strawberry.Info, input: Input[WorkRetractInput]
    ) -> WorkPayload:
        async def run() -> dict[str, Any]:
            work = await publishing.retract_work(
                actor=info.context.actor,
                work_id=node_id(input.id, WorkNode),
                reason=input.reason,
                version=input.version,
            )
            return {"work": WorkNode.from_model(work)}

        return await with_current(info, await payload(info, WorkPayload, run), input.id)

    @strawberry.mutation(
        description="Send a dead publication again, with a fresh set of attempts (unit lead)."
    )
    async def publication_retry(
        self, info: strawberry.Info, input: Input[PublicationRetryInput]
    ) -> PublicationPayload:
        async def run() -> dict[str, Any]:
            publication = await publishing.retry_publication(
                actor=info.context.actor,
                publication_id=node_id(input.id, PublicationNode),
                send_again=input.send_again,
            )
            return {"publication": PublicationNode.from_model(publication)}

        return await with_current(info, await payload(info, PublicationPayload, run), input.id)

    @strawberry.mutation(description="Set a unit's settings for a channel (administrators).")
    async def publishing_channel_configure(
        self, info: strawberry.Info, input: Input[PublishingChannelConfigureInput]
    ) -> PublishingChannelConfigurePayload:
        async def run() -> dict[str, Any]:
            settings = await publishing.configure_channel(
                actor=info.context.actor,
                data=publishing.ChannelSettingsData(
                    unit_id=node_id(input.unit, UnitNode, "unit"),
                    channel=input.channel,
                    base_url=input.base_url,
                    account=input.account,
                    credential=input.credential,
                    template_th=input.template_th,
                    enabled=input.enabled,
                    version=input.version,
                ),
            )
            return {"settings": ChannelSettingsNode.from_model(settings)}

        return await payload(info, PublishingChannelConfigurePayload, run)
