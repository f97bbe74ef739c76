"""A unit's settings for one channel: where to post, as whom, with which template. The
credential is write-only."""

from dataclasses import dataclass
from typing import Any

from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from models.publishing import Channel, ChannelSettings
from models.user import Role
from services import audit, channels, encryption
from services.actor import Actor
from services.errors import DomainError, ErrorCode, Problem, check_version
from services.org import get_unit
from services.permissions import require_role, require_unit_lead
from services.settings import get_settings


@dataclass(frozen=True)
class ChannelSettingsData:
    unit_id: int
    channel: Channel
    base_url: str
    account: str = ""
    credential: str | None = None  # None keeps the stored one
    template_th: str | None = None
    enabled: bool = True
    version: int | None = None


async def configure_channel(*, actor: Actor, data: ChannelSettingsData) -> ChannelSettings:
    """Create or change a unit's settings for one channel (administrators). The credential is
    write-only: it is stored, never returned, and the audit notes only that it changed."""
    require_role(actor, Role.ADMIN)
    unit = await get_unit(data.unit_id)
    base_url = data.base_url.strip()
    template = data.template_th
    problems = [*_url_problems(data.channel, base_url)]
    if template is not None:
        problems += _template_problems(data.channel, template)
    if data.channel == Channel.FACEBOOK and not data.account.strip():
        problems.append(Problem(ErrorCode.INVALID_INPUT, "required", ("account",), {}))
    if problems:
        raise DomainError(*problems)
    async with in_transaction() as connection:
        settings = (
            await ChannelSettings.filter(unit_id=unit.id, channel=data.channel)
            .select_for_update()
            .using_db(connection)
            .first()
        )
        before = _settings_snapshot(settings) if settings else None
        if settings is None:
            settings = ChannelSettings(unit_id=unit.id, channel=data.channel)
        else:
            check_version(settings.version, data.version)
            settings.version += 1
        settings.base_url = base_url
        settings.account = data.account.strip()
        settings.enabled = data.enabled
        if data.credential is not None:
            settings.credential = encryption.encrypt(data.credential.strip())
            settings.credential_problem = None
        if template is not None:
            settings.template_th = template
        await settings.save(using_db=connection)
        await audit.record(
            actor=actor,
            action="publishingChannel.configure",
            object_type="ChannelSettings",
            object_id=settings.id,
            before=before,
            after={
                **_settings_snapshot(settings),
                "credentialChanged": data.credential is not None,
            },
            connection=connection,
        )
    return settings


def _url_problems(channel: Channel, base_url: str) -> list[Problem]:
    if not base_url.startswith(("http://", "https://")) or len(base_url) > 500:
        return [Problem(ErrorCode.INVALID_INPUT, "invalid_url", ("baseUrl",), {})]
    if channel == Channel.WEBHOOK and not channels.webhook_url_allowed(
        base_url, http_loopback=get_settings().webhook_allow_http_loopback
    ):
        return [Problem(ErrorCode.INVALID_INPUT, "webhook_https", ("baseUrl",), {})]
    return []


def _template_problems(channel: Channel, template: str) -> list[Problem]:
    """Unknown placeholders; a webhook's template must also be a JSON object, with the
    placeholders in its strings."""
    strings: list[str] | None = [template]
    if channel == Channel.WEBHOOK and template:
        strings = channels.json_template_strings(template)
        if strings is None:
            return [Problem(ErrorCode.INVALID_INPUT, "template_not_json", ("templateTh",), {})]
    unknown = [name for s in strings or () for name in channels.template_problems(s)]
    if not unknown:
        return []
    return [
        Problem(
            ErrorCode.INVALID_INPUT,
            "template_placeholders",
            ("templateTh",),
            {"names": ", ".join(dict.fromkeys(unknown)), "known": ", ".join(channels.PLACEHOLDERS)},
        )
    ]


async def channel_settings_of_unit(*, actor: Actor, unit_id: int) -> list[ChannelSettings]:
    await require_unit_lead(actor, unit_id)
    return await ChannelSettings.filter(unit_id=unit_id).order_by("channel")


def _settings_snapshot(settings: ChannelSettings) -> dict[str, Any]:
    return {
        "channel": settings.channel.value,
        "baseUrl": settings.base_url,
        "account": settings.account,
        "enabled": settings.enabled,
        "templateTh": settings.template_th,
        "hasCredential": bool(settings.credential),
    }


def visible_channel_settings(actor: Actor) -> QuerySet[ChannelSettings]:
    """Channel settings by id are for administrators; a unit's lead reads their own unit's
    through ``channel_settings_of_unit``."""
    require_role(actor, Role.ADMIN)
    return ChannelSettings.all()
