"""``tell``: what a service calls, inside the transaction of its change (see the package
docstring)."""

import uuid
from collections.abc import Callable, Iterable
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.models import Model
from tortoise.queryset import QuerySet

from models.notice import Notice, NoticeEvent, NotificationPreference, NotificationTemplate
from models.notification import Notification
from models.org import Person
from models.publishing import Channel, ChannelSettings, OutboxAction, OutboxMessage
from models.reminder import ReminderChannel
from models.user import RoleGrant, User
from services import channels
from services.actor import Actor
from services.notices.catalogue import CATALOGUE, placeholders, users_of
from services.settings import get_settings
from services.tokens import utcnow

# The read rule of each subject's model, registered by the domain that owns it: a notice goes
# only to those who may read what it is about.
_READ_RULES: dict[type[Model], Callable[[Actor], QuerySet[Any]]] = {}
NOTICE_KEY = "notice"  # the message catalogue's key of an in-app notice: its text as written


def readable(model: type[Model], rule: Callable[[Actor], QuerySet[Any]]) -> None:
    """Called once by the domain whose rows notices are about."""
    _READ_RULES[model] = rule


async def templates_of(
    event: NoticeEvent, connection: BaseDBAsyncClient | None = None
) -> tuple[str, str]:
    """The event's wording (Thai, English): the administrators' or the catalogue's."""
    row = await NotificationTemplate.get_or_none(event=event, using_db=connection)
    spec = CATALOGUE[event]
    return (row.template_th, row.template_en) if row else (spec.th, spec.en)


async def tell(
    connection: BaseDBAsyncClient,
    event: NoticeEvent,
    subject: Model,
    *,
    actor: Actor,
    users: Iterable[int | None] | None = None,
    people: Iterable[int] | None = None,
    change: object = None,
    **params: object,
) -> None:
    """Tell the event's people (``users`` and the accounts of ``people``, or else the
    catalogue's audience) of a change to ``subject``: a notification each, and a notice by the
    channel each chose. ``change`` tells this change from others of the same subject (default:
    the subject's version); with the event, subject and recipient it makes the once-only key.
    ``params`` fill the event's own placeholders (those it does not name are left out)."""
    spec = CATALOGUE[event]
    assert isinstance(subject, spec.model), (event, subject)
    if users is None and people is None:
        wanted = await spec.audience(subject, connection)
    else:
        wanted = {u for u in users or () if u} | await users_of(set(people or ()), connection)
    if not spec.tells_actor:
        wanted.discard(actor.user_id)
    recipients = await _readers(spec.model, subject, {u for u in wanted if u}, connection)
    if not recipients:
        return
    subject_id: int = subject.pk
    stamp = change if change is not None else getattr(subject, "version", "")
    keys = {u: f"{event.value}:{subject_id}:{stamp}:{u}" for u in recipients}
    told = set(
        await Notification.filter(key__in=list(keys.values()))
        .using_db(connection)
        .values_list("key", flat=True)
    )
    recipients = {u: a for u, a in recipients.items() if keys[u] not in told}
    if not recipients:
        return
    values = {
        **await spec.values(subject, connection),
        **{k: "" if v is None else str(v) for k, v in params.items() if k in spec.extra},
    }
    known = placeholders(event)
    th, en = await templates_of(event, connection)
    text_th = channels.render(th, values, known)
    text_en = channels.render(en, values, known)
    subject_type = type(subject).__name__
    await Notification.bulk_create(
        [
            Notification(
                user_id=u,
                key=keys[u],
                message_key=NOTICE_KEY,
                params={"th": text_th, "en": text_en},
                subject_type=subject_type,
                subject_id=subject_id,
            )
            for u in sorted(recipients)
        ],
        using_db=connection,
    )
    for user_id, (channel, address, unit_id, digest) in sorted(
        (await _addresses(recipients, connection)).items()
    ):
        notice = await Notice.create(
            key=f"{keys[user_id]}:{channel.value}",
            event=event,
            user_id=user_id,
            unit_id=unit_id,
            channel=channel,
            address=address,
            subject_type=subject_type,
            subject_id=subject_id,
            text_th=text_th,
            text_en=text_en,
            digest=digest,
            retry_key=str(uuid.uuid4()),
            using_db=connection,
        )
        if not digest:
            await OutboxMessage.create(
                notice_id=notice.id,
                action=OutboxAction.NOTIFY,
                available_at=utcnow(),
                using_db=connection,
            )


async def _readers(
    model: type[Model], subject: Model, user_ids: set[int], connection: BaseDBAsyncClient
) -> dict[int, str | None]:
    """The active accounts among ``user_ids`` that may read ``subject``, with their e-mail."""
    if not user_ids:
        return {}
    rule = _READ_RULES[model]
    accounts = dict(
        await User.filter(id__in=sorted(user_ids), is_active=True)
        .using_db(connection)
        .values_list("id", "email")
    )
    roles: dict[int, set[Any]] = {u: set() for u in accounts}
    for user_id, role in (
        await RoleGrant.filter(user_id__in=list(accounts))
        .using_db(connection)
        .values_list("user_id", "role")
    ):
        roles[user_id].add(role)
    readers = {}
    for user_id, email in accounts.items():
        reader = Actor(user_id=user_id, roles=frozenset(roles[user_id]))
        if await rule(reader).filter(pk=subject.pk).using_db(connection).exists():
            readers[user_id] = email
    return readers


async def _addresses(
    recipients: dict[int, str | None], connection: BaseDBAsyncClient
) -> dict[int, tuple[ReminderChannel, str, int | None, bool]]:
    """Each recipient's chosen channel beyond the app, where it can reach them: (channel,
    address, the unit whose LINE account pushes, digest?)."""
    chosen = {
        p.user_id: p
        for p in await NotificationPreference.filter(user_id__in=list(recipients)).using_db(
            connection
        )
    }
    people = {
        p.user_id: p for p in await Person.filter(user_id__in=list(recipients)).using_db(connection)
    }
    smtp = bool(get_settings().smtp_host)
    line_units: set[int] | None = None
    out: dict[int, tuple[ReminderChannel, str, int | None, bool]] = {}
    for user_id, account_email in recipients.items():
        preference = chosen.get(user_id)
        channel = preference.channel if preference else ReminderChannel.EMAIL
        digest = preference.digest if preference else False
        person = people.get(user_id)
        if channel == ReminderChannel.EMAIL:
            email = (person.email if person else None) or account_email
            if smtp and email:
                out[user_id] = (channel, email, person.unit_id if person else None, digest)
        elif channel == ReminderChannel.LINE and person and person.line_user_id:
            if line_units is None:
                line_units = await _line_units(connection)
            if person.unit_id in line_units:
                out[user_id] = (channel, person.line_user_id, person.unit_id, digest)
    return out


async def _line_units(connection: BaseDBAsyncClient) -> set[int]:
    rows: list[Any] = (
        await ChannelSettings.filter(channel=Channel.LINE, enabled=True)
        .exclude(credential="")
        .using_db(connection)
        .values_list("unit_id", flat=True)
    )
    return {int(u) for u in rows}
