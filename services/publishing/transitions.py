"""Publication transitions (the table in the package docstring): publish, retract, retry."""

import logging
import uuid
from collections.abc import Iterable

from tortoise.expressions import Q, Subquery
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from models.publishing import (
    Channel,
    ChannelSettings,
    OutboxAction,
    OutboxMessage,
    OutboxStatus,
    Publication,
    PublicationStatus,
)
from models.work import Work, WorkStatus
from services import channels, notices, works
from services.actor import Actor
from services.errors import DomainError, ErrorCode, Problem, invalid_transition, not_found
from services.labels import words
from services.permissions import Standing, require_unit_lead
from services.publishing.templates import message_values, render_message, work_link
from services.tokens import utcnow
from services.versioning import save_version
from services.works import WorkAction

log = logging.getLogger("lohub.publishing")

TITLE_LIMITS = {
    Channel.WEBSITE: channels.WEBSITE_TITLE_MAX,
    Channel.FACEBOOK: channels.FACEBOOK_MESSAGE_MAX,
    Channel.LINE: channels.LINE_TEXT_MAX,
    Channel.WEBHOOK: channels.WEBHOOK_BODY_MAX,
}
MESSAGE_LIMITS = {
    Channel.WEBSITE: 100_000,
    Channel.FACEBOOK: channels.FACEBOOK_MESSAGE_MAX,
    Channel.LINE: channels.LINE_TEXT_MAX,
    Channel.WEBHOOK: channels.WEBHOOK_BODY_MAX,
}


def visible_publications(actor: Actor) -> QuerySet[Publication]:
    """A publication is seen by whoever may see its work."""
    return Publication.filter(work_id__in=Subquery(works.visible_works(actor).values("id")))


def may_see_delivery(standing: Standing) -> bool:
    """A publication's attempts and last error carry the channels' internal details (trace
    ids, HTTP answers): for the work's unit lead (chair, secretary) and administrators only."""
    return standing.is_lead


async def publish_work(
    *, actor: Actor, work_id: int, channel_list: Iterable[Channel], version: int | None = None
) -> Work:
    """Queue the work on each channel (ones already live are left as they are)."""
    wanted = list(dict.fromkeys(Channel(c) for c in channel_list))
    if not wanted:
        raise DomainError.of(ErrorCode.INVALID_INPUT, "required", field=("channels",))
    async with in_transaction() as connection:
        work = await works.lock_work(actor, work_id, WorkAction.PUBLISH, connection)
        configured = {
            s.channel: s
            for s in await ChannelSettings.filter(unit_id=work.unit_id, channel__in=wanted)
            .using_db(connection)
            .all()
        }
        problems = []
        values = await message_values(work, connection)
        for index, channel in enumerate(wanted):
            path = ("channels", str(index))
            settings = configured.get(channel)
            if settings is None or not settings.enabled or not settings.credential:
                problems.append(
                    Problem(
                        ErrorCode.CHANNEL_NOT_CONFIGURED,
                        "channel_not_configured",
                        path,
                        {"channel": channel.value},
                    )
                )
                continue
            if len(work.title_th) > TITLE_LIMITS[channel]:
                problems.append(
                    Problem(
                        ErrorCode.INVALID_INPUT,
                        "too_long_for_channel",
                        path,
                        {"channel": channel.value, "max": TITLE_LIMITS[channel], "what": "title"},
                    )
                )
            elif len(render_message(settings, values)) > MESSAGE_LIMITS[channel]:
                problems.append(
                    Problem(
                        ErrorCode.INVALID_INPUT,
                        "too_long_for_channel",
                        path,
                        {"channel": channel.value, "max": MESSAGE_LIMITS[channel], "what": "text"},
                    )
                )
        existing = {
            p.channel: p
            for p in await Publication.filter(work_id=work.id).using_db(connection).all()
        }
        if work.status not in (WorkStatus.REGISTERED, WorkStatus.PUBLISHED):
            # The transition's own error (names the allowed actions) comes first.
            await works.transition(
                actor=actor, work=work, action=WorkAction.PUBLISH, connection=connection
            )
        retracting = (
            await OutboxMessage.filter(
                publication_id__in=[p.id for p in existing.values()],
                action=OutboxAction.RETRACT,
                status=OutboxStatus.PENDING,
            )
            .using_db(connection)
            .exists()
        )
        if retracting:
            problems.append(Problem(ErrorCode.INVALID_TRANSITION, "retraction_in_progress", None))
        retried = set(
            await OutboxMessage.filter(
                publication_id__in=[p.id for p in existing.values()],
                action=OutboxAction.PUBLISH,
                status=OutboxStatus.PENDING,
            )
            .using_db(connection)
            .values_list("publication_id", flat=True)
        )
        for index, channel in enumerate(wanted):
            failed = existing.get(channel)
            if (
                failed is not None
                and failed.status == PublicationStatus.FAILED
                and failed.id not in retried
            ):
                # Dead (or stopped): nothing would be queued; publicationRetry sends it again.
                problems.append(
                    Problem(
                        ErrorCode.INVALID_TRANSITION,
                        "publication_needs_retry",
                        ("channels", str(index)),
                        {"channel": channel.value},
                    )
                )
        if problems:
            raise DomainError(*problems)
        queued = []
        now = utcnow()
        for channel in wanted:
            publication = existing.get(channel)
            if publication is not None and publication.status != PublicationStatus.RETRACTED:
                # Live, on its way, or failed and retried by the worker: never a second
                # message, which could post it twice.
                continue
            if publication is None:
                publication = await Publication.create(
                    work_id=work.id,
                    channel=channel,
                    retry_key=str(uuid.uuid4()),
                    using_db=connection,
                )
            else:
                # Published again after a retraction: a new post, so a new retry key.
                publication.status = PublicationStatus.QUEUED
                publication.retry_key = str(uuid.uuid4())
                publication.external_id = publication.external_url = None
                publication.attempts = 0
                publication.last_error = None
                publication.version += 1
                await publication.save(using_db=connection)
            await OutboxMessage.create(
                publication_id=publication.id,
                action=OutboxAction.PUBLISH,
                available_at=now,
                using_db=connection,
            )
            queued.append(channel.value)
        await works.transition(
            actor=actor,
            work=work,
            action=WorkAction.PUBLISH,
            version=version,
            connection=connection,
            after_extra={"queued": queued},
        )
        if queued:
            await notices.tell(
                connection,
                notices.NoticeEvent.WORK_PUBLISHED,
                work,
                actor=actor,
                link=work_link(work),
                channels=", ".join(queued),
            )
    return work


async def retract_work(
    *, actor: Actor, work_id: int, reason: str | None, version: int | None = None
) -> Work:
    """Take the work down everywhere: live posts are deleted by the worker; queued ones never
    go out. The work is REGISTERED again."""
    async with in_transaction() as connection:
        work = await works.lock_work(actor, work_id, WorkAction.RETRACT, connection)
        await works.transition(
            actor=actor,
            work=work,
            action=WorkAction.RETRACT,
            version=version,
            reason=reason,
            connection=connection,
        )
        now = utcnow()
        for publication in (
            await Publication.filter(work_id=work.id)
            .exclude(status=PublicationStatus.RETRACTED)
            .select_for_update()
            .using_db(connection)
        ):
            # Pending sends not yet taken by a worker are cancelled; one being sent finishes and
            # the retraction that follows deletes it.
            await (
                OutboxMessage.filter(
                    publication_id=publication.id,
                    action=OutboxAction.PUBLISH,
                    status__in=[OutboxStatus.PENDING, OutboxStatus.DEAD],
                )
                .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now))
                .using_db(connection)
                .update(status=OutboxStatus.DONE, done_at=now, last_error="cancelled: retracted")
            )
            await OutboxMessage.create(
                publication_id=publication.id,
                action=OutboxAction.RETRACT,
                available_at=now,
                using_db=connection,
            )
    return work


async def retry_publication(
    *, actor: Actor, publication_id: int, send_again: bool = False
) -> Publication:
    """Bring a dead publication back to the queue, with a fresh set of attempts.

    A LINE message that may have gone out already, whose retry key LINE no longer honours
    (24 hours after the first send), is sent again only with ``send_again``: under a new
    retry key, as a new message."""
    async with in_transaction() as connection:
        publication = (
            await Publication.filter(id=publication_id)
            .select_for_update()
            .using_db(connection)
            .first()
        )
        if publication is None:
            raise not_found("id", "การเผยแพร่", "Publication")
        work = await Work.filter(id=publication.work_id).using_db(connection).get()
        await require_unit_lead(actor, work.unit_id)
        dead = (
            await OutboxMessage.filter(publication_id=publication.id, status=OutboxStatus.DEAD)
            .using_db(connection)
            .all()
        )
        if not dead:
            raise invalid_transition("RETRY", publication.status, [])
        now = utcnow()
        sends = [m for m in dead if m.action == OutboxAction.PUBLISH]
        if sends and work.status != WorkStatus.PUBLISHED:
            # Archived (or taken down) since: sending it now would publish it again.
            raise DomainError.of(
                ErrorCode.INVALID_TRANSITION,
                "retry_needs_published",
                field=("id",),
                status=words(work.status),
            )
        renewed = False
        if sends and publication.channel == Channel.LINE:
            expired = any(
                m.in_doubt and channels.line_retry_key_expired(m.created_at, now) for m in sends
            )
            if expired and not send_again:
                raise DomainError.of(
                    ErrorCode.INVALID_TRANSITION, "line_may_have_been_sent", field=("sendAgain",)
                )
            renewed = expired or send_again
        if renewed:
            # A new message under a new key: its 24 hours start with its own first send.
            await (
                OutboxMessage.filter(id__in=[m.id for m in sends])
                .using_db(connection)
                .update(
                    status=OutboxStatus.DONE,
                    done_at=now,
                    last_error="superseded: sent again under a new retry key",
                )
            )
            publication.retry_key = str(uuid.uuid4())
            await OutboxMessage.create(
                publication_id=publication.id,
                action=OutboxAction.PUBLISH,
                available_at=now,
                using_db=connection,
            )
            dead = [m for m in dead if m.action != OutboxAction.PUBLISH]
        await (
            OutboxMessage.filter(id__in=[m.id for m in dead])
            .using_db(connection)
            .update(status=OutboxStatus.PENDING, attempts=0, available_at=now, lease_until=None)
        )
        before = publication.status.value
        if sends:
            publication.status = PublicationStatus.QUEUED
        await save_version(
            publication,
            actor=actor,
            action="publication.retry",
            before={"status": before},
            after={"status": publication.status.value, "sendAgain": renewed},
            connection=connection,
        )
    return publication
