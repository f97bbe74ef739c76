"""What people choose: each account its channel and pace (and a one-click unsubscribe from
e-mail), administrators the wording of each event."""

from dataclasses import dataclass

from tortoise.transactions import in_transaction

from models.notice import NoticeEvent, NotificationPreference, NotificationTemplate
from models.org import Person
from models.reminder import ReminderChannel
from models.user import Role, User
from services import audit, channels, signed_links
from services.actor import Actor
from services.errors import DomainError, ErrorCode, Problem, check_version
from services.notices.catalogue import CATALOGUE, placeholders
from services.permissions import require_authenticated, require_role

# -- preferences ------------------------------------------------------------------------------


async def preference_of(*, actor: Actor) -> NotificationPreference:
    """The signed-in account's choice (the defaults, unsaved, when it made none)."""
    require_authenticated(actor)
    if actor.user_id is None:
        return NotificationPreference(user_id=0)
    found = await NotificationPreference.get_or_none(user_id=actor.user_id)
    return found or NotificationPreference(user_id=actor.user_id)


async def set_preference(
    *, actor: Actor, channel: ReminderChannel, digest: bool, version: int | None = None
) -> NotificationPreference:
    """Choose how notices reach the signed-in account; LINE needs the person's LINE user id."""
    require_authenticated(actor)
    if actor.user_id is None:
        raise DomainError.of(ErrorCode.NOT_FOUND, "account_not_linked")
    if channel == ReminderChannel.LINE and not await Person.exists(
        user_id=actor.user_id, line_user_id__isnull=False
    ):
        raise DomainError.of(ErrorCode.INVALID_INPUT, "notice_needs_line_id", field=("channel",))
    async with in_transaction() as connection:
        row = (
            await NotificationPreference.filter(user_id=actor.user_id)
            .select_for_update()
            .using_db(connection)
            .first()
        )
        before = None
        if row is None:
            row = NotificationPreference(user_id=actor.user_id)
        else:
            check_version(row.version, version)
            before = {"channel": row.channel.value, "digest": row.digest}
            row.version += 1
        row.channel = channel
        row.digest = digest
        await row.save(using_db=connection)
        await audit.record(
            actor=actor,
            action="notificationPreference.set",
            object_type="User",
            object_id=actor.user_id,
            before=before,
            after={"channel": channel.value, "digest": digest},
            connection=connection,
        )
    return row


def unsubscribe_link_valid(user_id: int, token: str) -> bool:
    return signed_links.check(signed_links.LinkFor.UNSUBSCRIBE, user_id, token)


async def unsubscribe(user_id: int, token: str) -> bool:
    """A signed unsubscribe link, followed: e-mail notices stop (the app's go on). False when
    the link is not valid."""
    if not unsubscribe_link_valid(user_id, token):
        return False
    if not await User.exists(id=user_id):
        return False
    async with in_transaction() as connection:
        row = (
            await NotificationPreference.filter(user_id=user_id)
            .select_for_update()
            .using_db(connection)
            .first()
        )
        if row is not None and row.channel != ReminderChannel.EMAIL:
            return True
        if row is None:
            row = NotificationPreference(user_id=user_id)
        else:
            row.version += 1
        row.channel = ReminderChannel.IN_APP
        await row.save(using_db=connection)
        await audit.record(
            actor=Actor(user_id=user_id, request_id="unsubscribe"),
            action="notificationPreference.unsubscribe",
            object_type="User",
            object_id=user_id,
            after={"channel": ReminderChannel.IN_APP.value},
            connection=connection,
        )
    return True


# -- templates --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Template:
    """One event's wording as it stands, with what it may name and the catalogue's default."""

    event: NoticeEvent
    placeholders: tuple[str, ...]
    template_th: str
    template_en: str
    default_th: str
    default_en: str
    version: int | None  # None: the catalogue's default


async def list_templates(*, actor: Actor) -> list[Template]:
    require_role(actor, Role.ADMIN)
    rows = {t.event: t for t in await NotificationTemplate.all()}
    return [_template(event, rows.get(event)) for event in NoticeEvent]


async def set_template(
    *,
    actor: Actor,
    event: NoticeEvent,
    template_th: str | None,
    template_en: str | None,
    version: int | None = None,
) -> Template:
    """Set the event's wording, checked against its placeholders; both None: back to the
    catalogue's default."""
    require_role(actor, Role.ADMIN)
    known = placeholders(event)
    problems = []
    for name, text in (("templateTh", template_th), ("templateEn", template_en)):
        if text is None:
            continue
        if not text.strip():
            problems.append(Problem(ErrorCode.INVALID_INPUT, "required", (name,), {}))
            continue
        unknown = channels.template_problems(text, known)
        if unknown:
            names: dict[str, object] = {"names": ", ".join(unknown), "known": ", ".join(known)}
            problems.append(
                Problem(ErrorCode.INVALID_INPUT, "template_placeholders", (name,), names)
            )
    if problems:
        raise DomainError(*problems)
    async with in_transaction() as connection:
        row = (
            await NotificationTemplate.filter(event=event)
            .select_for_update()
            .using_db(connection)
            .first()
        )
        before = {"th": row.template_th, "en": row.template_en} if row else None
        if row is not None:
            check_version(row.version, version)
        if template_th is None and template_en is None:
            if row is not None:
                await row.delete(using_db=connection)
            row = None
        else:
            spec = CATALOGUE[event]
            if row is None:
                row = NotificationTemplate(event=event, template_th=spec.th, template_en=spec.en)
            else:
                row.version += 1
            row.template_th = template_th if template_th is not None else row.template_th
            row.template_en = template_en if template_en is not None else row.template_en
            row.updated_by_id = actor.user_id
            await row.save(using_db=connection)
        await audit.record(
            actor=actor,
            action="notificationTemplate.set" if row else "notificationTemplate.reset",
            object_type="NotificationTemplate",
            object_id=event.value,
            before=before,
            after={"th": row.template_th, "en": row.template_en} if row else None,
            connection=connection,
        )
    return _template(event, row)


def _template(event: NoticeEvent, row: NotificationTemplate | None) -> Template:
    spec = CATALOGUE[event]
    return Template(
        event=event,
        placeholders=placeholders(event),
        template_th=row.template_th if row else spec.th,
        template_en=row.template_en if row else spec.en,
        default_th=spec.th,
        default_en=spec.en,
        version=row.version if row else None,
    )
