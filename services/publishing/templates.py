"""What a post says: the work's link and slug, and the message from the channel's template."""

from typing import cast

from tortoise.backends.base.client import BaseDBAsyncClient

from models.org import Unit
from models.publishing import Channel, ChannelSettings
from models.work import Work, WorkAuthor
from services import channels
from services.settings import Settings, get_settings


def work_link(work: Work, settings: Settings | None = None) -> str:
    base = (settings or get_settings()).public_base_url.rstrip("/")
    return f"{base}/works/{slug_of(work)}"


def slug_of(work: Work) -> str:
    """Fixed per work: the registry number, lower case (WordPress's idempotency key)."""
    return (work.registry_number or f"work-{work.id}").lower()


async def message_values(
    work: Work, connection: BaseDBAsyncClient | None = None, *, unit_name: str | None = None
) -> dict[str, str]:
    authors = (
        await WorkAuthor.filter(work_id=work.id)
        .using_db(connection)
        .order_by("position")
        .values_list("name_th", flat=True)
    )
    if unit_name is None:
        unit_name = (await Unit.filter(id=work.unit_id).using_db(connection).get()).name_th
    return {
        "title": work.title_th,
        "kind_th": channels.KIND_TH[work.kind.value],
        "authors": ", ".join(cast(list[str], authors)),
        "abstract": work.abstract_th,
        "registry_number": work.registry_number or "",
        "unit": unit_name,
        "link": work_link(work),
        "year": str(work.fiscal_year),
    }


def render_message(settings: ChannelSettings, values: dict[str, str]) -> str:
    template = settings.template_th or channels.DEFAULT_TEMPLATES[settings.channel]
    if settings.channel == Channel.WEBHOOK:
        return channels.render_json(template, values)
    return channels.render(template, values)
