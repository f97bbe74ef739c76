"""How status changes reach people: each account's choice of channel and pace, and the
administrators' wording of each event."""

from typing import Any

import strawberry

from models.notice import NoticeEvent, NotificationPreference
from models.reminder import ReminderChannel
from schema.errors import UserError, payload
from schema.inputs import Input
from services.notices import choices


@strawberry.type(
    name="NotificationPreferences",
    description="How status changes reach the signed-in account beyond the app.",
)
class NotificationPreferencesType:
    channel: ReminderChannel = strawberry.field(
        description="IN_APP: the app only; EMAIL (the default) or LINE as well."
    )
    digest: bool = strawberry.field(
        description="One message a day (a digest) instead of one per change."
    )
    version: int | None = strawberry.field(
        description="Pass back to `notificationPreferencesSet`; null until first set."
    )

    @classmethod
    def of(cls, row: NotificationPreference) -> "NotificationPreferencesType":
        return cls(channel=row.channel, digest=row.digest, version=row.version if row.pk else None)


@strawberry.type(description="The wording of one event's notices, in Thai and English.")
class NotificationTemplate:
    event: NoticeEvent = strawberry.field(description="The status change.")
    placeholders: list[str] = strawberry.field(
        description="The names a template may use, as `{name}`."
    )
    template_th: str = strawberry.field(description="The Thai wording in use.")
    template_en: str = strawberry.field(description="The English wording in use.")
    default_th: str = strawberry.field(description="LO Hub's own Thai wording.")
    default_en: str = strawberry.field(description="LO Hub's own English wording.")
    version: int | None = strawberry.field(
        description="Pass back to `notificationTemplateSet`; null while the default is in use."
    )

    @classmethod
    def of(cls, template: choices.Template) -> "NotificationTemplate":
        return cls(
            event=template.event,
            placeholders=list(template.placeholders),
            template_th=template.template_th,
            template_en=template.template_en,
            default_th=template.default_th,
            default_en=template.default_en,
            version=template.version,
        )


@strawberry.type
class NoticeQueries:
    @strawberry.field(description="How status changes reach you (the signed-in account).")
    async def notification_preferences(self, info: strawberry.Info) -> NotificationPreferencesType:
        return NotificationPreferencesType.of(await choices.preference_of(actor=info.context.actor))

    @strawberry.field(
        description="Every event's notice wording with its placeholders (administrators)."
    )
    async def notification_templates(self, info: strawberry.Info) -> list[NotificationTemplate]:
        return [
            NotificationTemplate.of(t)
            for t in await choices.list_templates(actor=info.context.actor)
        ]


@strawberry.input(description="How status changes should reach you.")
class NotificationPreferencesSetInput:
    channel: ReminderChannel = strawberry.field(
        description="IN_APP, EMAIL or LINE (LINE needs your LINE user id, see `meUpdate`)."
    )
    digest: bool = strawberry.field(default=False, description="One message a day.")
    version: int | None = strawberry.field(
        default=None, description="The version the change is based on."
    )


@strawberry.type(description="Result of `notificationPreferencesSet`.")
class NotificationPreferencesSetPayload:
    preferences: NotificationPreferencesType | None = strawberry.field(
        default=None, description="The choice as saved."
    )
    errors: list[UserError] = strawberry.field(
        description="INVALID_INPUT (LINE without a LINE user id), STALE_VERSION."
    )


@strawberry.input(description="One event's wording; both templates null: back to LO Hub's.")
class NotificationTemplateSetInput:
    event: NoticeEvent = strawberry.field(description="The status change.")
    template_th: str | None = strawberry.field(
        default=None, description="Thai wording; null keeps the current one."
    )
    template_en: str | None = strawberry.field(
        default=None, description="English wording; null keeps the current one."
    )
    version: int | None = strawberry.field(
        default=None, description="The version the change is based on."
    )


@strawberry.type(description="Result of `notificationTemplateSet`.")
class NotificationTemplateSetPayload:
    template: NotificationTemplate | None = strawberry.field(
        default=None, description="The wording now in use."
    )
    errors: list[UserError] = strawberry.field(
        description="INVALID_INPUT (unknown placeholders, empty text), STALE_VERSION."
    )


@strawberry.type
class NoticeMutations:
    @strawberry.mutation(
        description="Choose how status changes reach you; audited as `notificationPreference.set`."
    )
    async def notification_preferences_set(
        self, info: strawberry.Info, input: Input[NotificationPreferencesSetInput]
    ) -> NotificationPreferencesSetPayload:
        async def action() -> dict[str, Any]:
            row = await choices.set_preference(
                actor=info.context.actor,
                channel=input.channel,
                digest=input.digest,
                version=input.version,
            )
            return {"preferences": NotificationPreferencesType.of(row)}

        return await payload(info, NotificationPreferencesSetPayload, action)

    @strawberry.mutation(
        description="Set or reset one event's notice wording (administrators); placeholders "
        "are checked; audited as `notificationTemplate.set`/`.reset`."
    )
    async def notification_template_set(
        self, info: strawberry.Info, input: Input[NotificationTemplateSetInput]
    ) -> NotificationTemplateSetPayload:
        async def action() -> dict[str, Any]:
            template = await choices.set_template(
                actor=info.context.actor,
                event=input.event,
                template_th=input.template_th,
                template_en=input.template_en,
                version=input.version,
            )
            return {"template": NotificationTemplate.of(template)}

        return await payload(info, NotificationTemplateSetPayload, action)
