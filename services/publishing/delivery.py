"""Publishing's part of the outbox: sending a publication to its channel and taking it down
(the PUBLISH and RETRACT messages), with the never-twice rules of the package docstring."""

import logging
from typing import cast

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.expressions import F
from tortoise.transactions import in_transaction

from models.org import Unit
from models.publishing import (
    Channel,
    ChannelSettings,
    OutboxAction,
    OutboxMessage,
    OutboxStatus,
    Publication,
    PublicationStatus,
)
from models.work import Work, WorkFile, WorkFileKind, WorkStatus
from services import audit, encryption
from services.channels import ChannelConfig, ChannelError, FailureKind, Post, Sent
from services.outbox import WORKER, Dispatcher, Failure, Handler, register
from services.outbox.dispatcher import ERROR_MAX
from services.publishing.templates import message_values, render_message, slug_of
from services.storage import default_storage
from services.tokens import utcnow

log = logging.getLogger("lohub.publishing")


async def _context(message: OutboxMessage) -> tuple[Publication, Work, ChannelSettings | None]:
    publication = await Publication.filter(id=message.publication_id).select_related("work").get()
    work = publication.work
    settings = await ChannelSettings.get_or_none(unit_id=work.unit_id, channel=publication.channel)
    return publication, work, settings


async def _publish(dispatcher: Dispatcher, token: str, message: OutboxMessage) -> None:
    publication, work, settings = await _context(message)
    if publication.status in (PublicationStatus.PUBLISHED, PublicationStatus.RETRACTED):
        await dispatcher.finish(token, message)
        return
    if work.status != WorkStatus.PUBLISHED:
        async with in_transaction() as connection:
            await _cancel(
                dispatcher,
                token,
                message,
                f"cancelled: the work is {work.status.value}",
                connection,
            )
        return
    if settings is None or not settings.enabled or not settings.credential:
        await dispatcher.failed(
            token,
            message,
            ChannelError(FailureKind.PERMANENT, "the channel has no settings"),
        )
        return
    post = await _post(dispatcher, work, publication, settings, message)
    adapter = dispatcher.adapter(publication.channel)
    try:
        sent = await adapter.publish(_config(settings), post, in_doubt=message.in_doubt)
    except ChannelError as failure:
        await dispatcher.failed(token, message, failure, settings=settings)
        return
    await _published(dispatcher, token, message, publication, sent)


async def _post(
    dispatcher: Dispatcher,
    work: Work,
    publication: Publication,
    settings: ChannelSettings,
    message: OutboxMessage,
) -> Post:
    cover = None
    cover_file = None
    if publication.channel == Channel.WEBSITE:
        cover_file = (
            await WorkFile.filter(work_id=work.id, kind=WorkFileKind.COVER_IMAGE)
            .order_by("-version")
            .first()
        )
        if cover_file and cover_file.storage_key:
            cover = await (dispatcher.storage or default_storage()).read(cover_file.storage_key)
    values = await message_values(work, unit_name=await _unit_name(dispatcher, work.unit_id))
    return Post(
        slug=slug_of(work),
        title=work.title_th,
        message=render_message(settings, values),
        link=values["link"],
        retry_key=publication.retry_key,
        cover=cover,
        cover_type=cover_file.content_type if cover_file else None,
        cover_filename=cover_file.filename if cover_file else None,
        first_attempt_at=message.created_at,
        message_id=message.id,
    )


async def _sent_in_doubt(publication: Publication) -> bool:
    return await OutboxMessage.filter(
        publication_id=publication.id, action=OutboxAction.PUBLISH, in_doubt=True
    ).exists()


async def _retract(dispatcher: Dispatcher, token: str, message: OutboxMessage) -> None:
    publication, work, settings = await _context(message)
    sending = await OutboxMessage.filter(
        publication_id=publication.id,
        action=OutboxAction.PUBLISH,
        status=OutboxStatus.PENDING,
        lease_until__gte=utcnow(),
    ).exists()
    if sending:
        # A send is in flight: retract once it has finished.
        await dispatcher.failed(
            token, message, ChannelError(FailureKind.RETRY, "waiting for a send to finish")
        )
        return
    external_id = publication.external_id
    if settings is not None:
        adapter = dispatcher.adapter(publication.channel)
        try:
            if external_id is None and await _sent_in_doubt(publication):
                # A send cancelled by the retraction may have reached the channel.
                post = await _post(dispatcher, work, publication, settings, message)
                found = await adapter.find(_config(settings), post)
                external_id = found.external_id if found else None
            if external_id:
                await adapter.retract(_config(settings), external_id)
        except ChannelError as failure:
            await dispatcher.failed(token, message, failure, settings=settings)
            return
    async with in_transaction() as connection:
        if not await dispatcher.finish(token, message, connection):
            return
        await (
            Publication.filter(id=publication.id)
            .using_db(connection)
            .update(status=PublicationStatus.RETRACTED, last_error=None)
        )
        await audit.record(
            actor=WORKER,
            action="publication.retracted",
            object_type="Publication",
            object_id=publication.id,
            after={"channel": publication.channel.value, "externalId": external_id},
            connection=connection,
        )


async def _published(
    dispatcher: Dispatcher, token: str, message: OutboxMessage, publication: Publication, sent: Sent
) -> None:
    async with in_transaction() as connection:
        # The publication only when this worker still held the message: a worker whose
        # lease ran out must not overwrite what the one that took over recorded.
        won = await dispatcher.finish(token, message, connection)
        updated = 0
        if won:
            updated = await (
                Publication.filter(id=publication.id)
                .exclude(status=PublicationStatus.RETRACTED)
                .using_db(connection)
                .update(
                    status=PublicationStatus.PUBLISHED,
                    external_id=sent.external_id,
                    external_url=sent.url,
                    published_at=utcnow(),
                    last_error=None,
                )
            )
        if not updated and await _retracting(publication.id, connection):
            # The work was retracted while this send was on its way: the post it made
            # must come down too.
            await _take_down(message, publication, sent, connection)
            return
        if not updated:
            return
        await audit.record(
            actor=WORKER,
            action="publication.published",
            object_type="Publication",
            object_id=publication.id,
            after={
                "channel": publication.channel.value,
                "externalId": sent.external_id,
                "url": sent.url,
                "attempt": message.attempts,
            },
            connection=connection,
        )


async def _take_down(
    message: OutboxMessage,
    publication: Publication,
    sent: Sent,
    connection: BaseDBAsyncClient,
) -> None:
    """A send that landed after its work was retracted: keep the post's id and queue a
    retraction for it (unless one not yet started will read it anyway)."""
    kept = await (
        Publication.filter(id=publication.id, external_id__isnull=True)
        .using_db(connection)
        .update(external_id=sent.external_id, external_url=sent.url)
    )
    if not kept:
        known = (
            await Publication.filter(id=publication.id)
            .using_db(connection)
            .values_list("external_id", flat=True)
        )
        if sent.external_id not in known:
            # Another post is on record (a worker that took over made it): that one is
            # retracted; this one must be deleted by hand.
            log.error(
                "publication %s: post %s on %s was made by a late send and is not on "
                "record; delete it by hand",
                publication.id,
                sent.external_id,
                publication.channel.value,
            )
    waiting = (
        await OutboxMessage.filter(
            publication_id=publication.id,
            action=OutboxAction.RETRACT,
            status=OutboxStatus.PENDING,
            lease_until__isnull=True,
        )
        .using_db(connection)
        .exists()
    )
    if not waiting:
        await OutboxMessage.create(
            publication_id=publication.id,
            action=OutboxAction.RETRACT,
            available_at=utcnow(),
            using_db=connection,
        )
    log.warning(
        "publication %s: a send finished after the work was retracted; post %s is retracted too",
        publication.id,
        sent.external_id,
    )
    await audit.record(
        actor=WORKER,
        action="publication.sentAfterRetraction",
        object_type="Publication",
        object_id=publication.id,
        after={
            "channel": publication.channel.value,
            "externalId": sent.external_id,
            "attempt": message.attempts,
        },
        connection=connection,
    )


async def _cancel(
    dispatcher: Dispatcher,
    token: str,
    message: OutboxMessage,
    error: str,
    connection: BaseDBAsyncClient,
) -> None:
    error = error[:ERROR_MAX]
    won = await (
        dispatcher.held(token, message)
        .using_db(connection)
        .update(status=OutboxStatus.DONE, done_at=utcnow(), lease_until=None, last_error=error)
    )
    if not won:
        dispatcher.lost(token, message, error)
        return
    await (
        Publication.filter(id=message.publication_id)
        .exclude(status=PublicationStatus.RETRACTED)
        .using_db(connection)
        .update(status=PublicationStatus.FAILED, last_error=error)
    )
    log.info("publishing message %s: %s", message.id, error)


async def _claimed(sends: list[OutboxMessage], connection: BaseDBAsyncClient) -> None:
    """Marked in doubt before anything is sent: if this worker dies from here on, whoever
    takes a message over looks for the post first."""
    await (
        OutboxMessage.filter(id__in=[m.id for m in sends])
        .using_db(connection)
        .update(in_doubt=True)
    )
    await (
        Publication.filter(
            id__in=[m.publication_id for m in sends],
            status__in=[
                PublicationStatus.QUEUED,
                PublicationStatus.FAILED,
                PublicationStatus.SENDING,
            ],
        )
        .using_db(connection)
        .update(status=PublicationStatus.SENDING, attempts=F("attempts") + 1)
    )


async def _cancels(
    dispatcher: Dispatcher,
    token: str,
    message: OutboxMessage,
    error: str,
    connection: BaseDBAsyncClient,
) -> bool:
    """A failed send whose work was retracted (or is no longer published) meanwhile is never
    sent again."""
    if message.publication_id is None:
        return False
    why = await _publish_cancelled(message.publication_id, connection)
    if why:
        await _cancel(dispatcher, token, message, f"cancelled: {why}; {error}", connection)
    return bool(why)


async def _failed(failure: Failure, connection: BaseDBAsyncClient) -> None:
    message, error = failure.message, failure.text
    if message.action == OutboxAction.PUBLISH:
        await (
            Publication.filter(id=message.publication_id)
            .exclude(status=PublicationStatus.RETRACTED)
            .using_db(connection)
            .update(status=PublicationStatus.FAILED, last_error=error)
        )
    else:
        # The post is still up: said on the publication until the retraction succeeds.
        await (
            Publication.filter(id=message.publication_id)
            .using_db(connection)
            .update(last_error=f"retraction not done: {error}"[:ERROR_MAX])
        )
    if not failure.dead:
        return
    assert message.publication_id is not None
    log.warning(
        "publication %s is dead after %s attempts: %s",
        message.publication_id,
        message.attempts,
        error,
    )
    await audit.record(
        actor=WORKER,
        action="publication.dead",
        object_type="Publication",
        object_id=message.publication_id,
        after={"error": error, "attempts": message.attempts, "kind": failure.error.kind},
        connection=connection,
    )


async def _unit_name(dispatcher: Dispatcher, unit_id: int) -> str:
    async def load() -> str:
        return (await Unit.get(id=unit_id)).name_th

    # Kept a minute: one query less per send.
    return cast(str, await dispatcher.remembered(("unit name", unit_id), load, seconds=60.0))


async def _retracting(publication_id: int, connection: BaseDBAsyncClient) -> bool:
    """The publication is retracted, or a retraction of it is waiting."""
    retracted = (
        await Publication.filter(id=publication_id, status=PublicationStatus.RETRACTED)
        .using_db(connection)
        .exists()
    )
    return retracted or await _retraction_pending(publication_id, connection)


async def _retraction_pending(publication_id: int, connection: BaseDBAsyncClient) -> bool:
    return (
        await OutboxMessage.filter(
            publication_id=publication_id,
            action=OutboxAction.RETRACT,
            status=OutboxStatus.PENDING,
        )
        .using_db(connection)
        .exists()
    )


async def _publish_cancelled(publication_id: int, connection: BaseDBAsyncClient) -> str | None:
    """Why a failed send must not be tried again, if it must not: a retraction is waiting,
    or the work is no longer published."""
    if await _retraction_pending(publication_id, connection):
        return "retracted"
    work = await Work.filter(publications__id=publication_id).using_db(connection).first()
    if work is not None and work.status != WorkStatus.PUBLISHED:
        return f"the work is {work.status.value}"
    return None


def _config(settings: ChannelSettings) -> ChannelConfig:
    try:
        credential = encryption.decrypt(settings.credential)
    except encryption.SecretUnreadable as error:
        # As a refused credential: shown on the channel, and nothing is retried until fixed.
        raise ChannelError(FailureKind.CREDENTIAL, str(error)) from None
    return ChannelConfig(
        base_url=settings.base_url, account=settings.account, credential=credential
    )


register(
    OutboxAction.PUBLISH,
    Handler(carry_out=_publish, claimed=_claimed, cancels=_cancels, failed=_failed),
)
register(OutboxAction.RETRACT, Handler(carry_out=_retract, failed=_failed))
