"""Publishing registered works through every channel, losing nothing and posting nothing twice.

Publication transitions — state, event, next state, by whom:

| from                      | event                       | to        | by                         |
|---------------------------|-----------------------------|-----------|----------------------------|
| (none), RETRACTED         | workPublish                 | QUEUED    | unit lead                  |
| QUEUED, FAILED            | a worker takes the message  | SENDING   | worker                     |
| SENDING                   | the channel accepted it     | PUBLISHED | worker                     |
| SENDING                   | the send failed             | FAILED    | worker (retried, or DEAD)  |
| FAILED (message DEAD)     | publicationRetry            | QUEUED    | unit lead (work PUBLISHED) |
| PUBLISHED, QUEUED, FAILED | workRetract                 | RETRACTED | unit lead (worker deletes) |
| SENDING, FAILED           | work retracted or archived  | FAILED    | worker (send cancelled)    |

``workPublish`` changes the work's state, writes one publication per channel and one outbox
message each in the same transaction. The worker (``Dispatcher``) claims messages with a lease
(PostgreSQL: ``FOR UPDATE SKIP LOCKED``, so several workers share the queue), marks the message
*in doubt* before it sends, calls the channel's adapter and records the outcome. Retries back off
exponentially with full jitter, never sooner than the channel's ``Retry-After``; a refused
credential stops at once and is reported on the channel's settings; after the last attempt the
message is DEAD until ``publicationRetry``. A worker that dies mid-send leaves its lease to
expire; whoever takes the message over sees it is in doubt, and the adapters' never-twice checks
(services/channels.py) find the earlier post instead of making a second one.

Every outcome is fenced by the lease: it is recorded only while the message is still PENDING
under the recording worker's lease token, so a worker whose lease ran out (a stall, a slow
lookup) cannot undo what the worker that took over recorded; its outcome is logged and dropped.
A send that lands after its work was retracted keeps the post's id and queues a retraction for
it. A LINE message in doubt whose retry key has expired (LINE honours one for 24 hours after the
first send) is not resent on its own: it goes DEAD as "may have been sent", and
``publicationRetry(sendAgain: true)`` sends it under a new key.

Reminders (services/reminders.py) ride the same queue as REMIND messages, with the same claiming,
leases, backoff and dead letters; the worker loop also runs the reminder scan.
"""

import asyncio
import contextlib
import logging
import random
import secrets
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, cast

import httpx
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.expressions import F, Q
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from api.settings import Settings, get_settings
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
from models.user import Role
from models.work import Work, WorkAuthor, WorkFile, WorkFileKind, WorkStatus
from services import audit, channels, encryption, reminders, works
from services.actor import Actor
from services.channels import (
    ChannelAdapter,
    ChannelConfig,
    ChannelError,
    FailureKind,
    Post,
    Sent,
)
from services.errors import DomainError, ErrorCode, Problem, check_version, not_found
from services.org import get_unit
from services.permissions import Standing, require_role, require_unit_lead
from services.storage import Storage, default_storage
from services.tokens import utcnow
from services.works import WorkAction

log = logging.getLogger("lohub.publishing")

WORKER = Actor(user_id=None, roles=frozenset({Role.ADMIN}), request_id="worker", is_system=True)
ERROR_MAX = 500
UNIT_NAME_SECONDS = 60.0
TITLE_LIMITS = {
    Channel.WEBSITE: channels.WEBSITE_TITLE_MAX,
    Channel.FACEBOOK: channels.FACEBOOK_MESSAGE_MAX,
    Channel.LINE: channels.LINE_TEXT_MAX,
}
MESSAGE_LIMITS = {
    Channel.WEBSITE: 100_000,
    Channel.FACEBOOK: channels.FACEBOOK_MESSAGE_MAX,
    Channel.LINE: channels.LINE_TEXT_MAX,
}


# -- channel settings ------------------------------------------------------------------------


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
    problems = []
    base_url = data.base_url.strip()
    if not base_url.startswith(("http://", "https://")) or len(base_url) > 500:
        problems.append(Problem(ErrorCode.INVALID_INPUT, "invalid_url", ("baseUrl",), {}))
    template = data.template_th if data.template_th is not None else None
    if template is not None:
        unknown = channels.template_problems(template)
        if unknown:
            problems.append(
                Problem(
                    ErrorCode.INVALID_INPUT,
                    "template_placeholders",
                    ("templateTh",),
                    {"names": ", ".join(unknown), "known": ", ".join(channels.PLACEHOLDERS)},
                )
            )
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


def may_see_delivery(standing: Standing) -> bool:
    """A publication's attempts and last error carry the channels' internal details (trace
    ids, HTTP answers): for the work's unit lead (chair, secretary) and administrators only."""
    return standing.is_lead


# -- publish, retract, retry -----------------------------------------------------------------


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
    return channels.render(template, values)


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
            raise DomainError.of(
                ErrorCode.INVALID_TRANSITION,
                "invalid_transition",
                action="RETRY",
                status=publication.status.value,
                allowed="-",
            )
        now = utcnow()
        sends = [m for m in dead if m.action == OutboxAction.PUBLISH]
        if sends and work.status != WorkStatus.PUBLISHED:
            # Archived (or taken down) since: sending it now would publish it again.
            raise DomainError.of(
                ErrorCode.INVALID_TRANSITION,
                "retry_needs_published",
                field=("id",),
                status=work.status.value,
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
        publication.version += 1
        await publication.save(using_db=connection)
        await audit.record(
            actor=actor,
            action="publication.retry",
            object_type="Publication",
            object_id=publication.id,
            before={"status": before},
            after={"status": publication.status.value, "sendAgain": renewed},
            connection=connection,
        )
    return publication


# -- the worker ------------------------------------------------------------------------------


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 8
    base_seconds: float = 2.0
    max_seconds: float = 900.0
    lease_seconds: float = 300.0
    # At least this long after a channel said "too many requests" without saying how long.
    throttle_seconds: float = 60.0
    # At least this long after a send that may have arrived (timeout, dropped connection): a
    # request the client gave up on can still land, so the next attempt looks after it has.
    settle_seconds: float = 30.0

    @classmethod
    def from_settings(cls, settings: Settings) -> "RetryPolicy":
        return cls(
            max_attempts=settings.publishing_max_attempts,
            base_seconds=settings.publishing_backoff_base_seconds,
            max_seconds=settings.publishing_backoff_max_seconds,
            lease_seconds=settings.publishing_lease_seconds,
            throttle_seconds=settings.publishing_throttle_seconds,
            settle_seconds=settings.publishing_settle_seconds,
        )

    def delay(
        self,
        attempts: int,
        retry_after: float | None,
        *,
        throttled: bool = False,
        ambiguous: bool = False,
    ) -> float:
        """Full jitter: uniform over [0, min(cap, base·2^(attempts−1))], but never before the
        channel's own wait (``Retry-After``, Facebook's usage header), nor, when throttled
        without one, before ``throttle_seconds``, nor after a send that may have arrived before
        ``settle_seconds``."""
        ceiling = min(self.max_seconds, self.base_seconds * 2 ** max(attempts - 1, 0))
        floor = retry_after if retry_after is not None else 0.0
        if throttled and retry_after is None:
            floor = self.throttle_seconds
        if ambiguous:
            floor = max(floor, self.settle_seconds)
        return max(random.uniform(0, ceiling), floor)


@dataclass
class Dispatcher:
    """Drains the outbox. Several may run at once (in one process or many)."""

    client: httpx.AsyncClient
    policy: RetryPolicy = field(default_factory=RetryPolicy)
    worker_id: str = field(default_factory=lambda: f"worker-{secrets.token_hex(4)}")
    batch: int = 20
    adapters: dict[Channel, ChannelAdapter] | None = None
    storage: Storage | None = None
    # Reminders (services/reminders.py): the e-mail sender (None: SMTP from the settings) and
    # how often the loop scans for what is due (None: never; ``lohub worker`` sets it).
    mailer: Any = None
    reminder_scan_seconds: float | None = None
    _next_scan: float = field(default=0.0, repr=False)

    # Unit names for messages, kept a minute: one query less per send.
    _unit_names: dict[int, tuple[str, float]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.adapters is None:
            self.adapters = channels.adapters(self.client)

    async def _unit_name(self, unit_id: int) -> str:
        cached = self._unit_names.get(unit_id)
        if cached and cached[1] > time.monotonic():
            return cached[0]
        name = (await Unit.get(id=unit_id)).name_th
        self._unit_names[unit_id] = (name, time.monotonic() + UNIT_NAME_SECONDS)
        return name

    async def run(self, stop: asyncio.Event, *, idle_seconds: float = 1.0) -> None:
        """Until ``stop`` is set: keep up to ``batch`` messages in flight, claiming more as
        sends finish (so one slow channel does not hold the others up); sleep when there is
        nothing to do. On stop, the sends in flight are finished first."""
        in_flight: set[asyncio.Task[None]] = set()
        while not stop.is_set():
            await self._scan_if_due()
            free = self.batch - len(in_flight)
            claimed: list[OutboxMessage] = []
            if free > 0:
                try:
                    token, claimed = await self.claim(free)
                except Exception:
                    log.exception("publishing worker %s: claiming failed", self.worker_id)
                for message in claimed:
                    in_flight.add(asyncio.create_task(self._carry_out(token, message)))
            if in_flight:
                # Until a send finishes (a slot is free again) or the next poll for due ones.
                done, in_flight = await asyncio.wait(
                    in_flight, timeout=idle_seconds, return_when=asyncio.FIRST_COMPLETED
                )
                for task in done:
                    if task.exception():
                        # Recording the outcome failed (database gone?): the lease expires
                        # and the message is taken again, in doubt.
                        log.error(
                            "publishing worker %s: recording a send failed",
                            self.worker_id,
                            exc_info=task.exception(),
                        )
            else:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), idle_seconds)
        if in_flight:
            await asyncio.wait(in_flight)

    async def _scan_if_due(self) -> None:
        if self.reminder_scan_seconds is None:
            return
        loop_time = asyncio.get_running_loop().time()
        if loop_time < self._next_scan:
            return
        self._next_scan = loop_time + self.reminder_scan_seconds
        try:
            await reminders.scan()
        except Exception:
            log.exception("publishing worker %s: the reminder scan failed", self.worker_id)

    async def run_once(self) -> int:
        """Claim up to ``batch`` due messages and carry them out concurrently."""
        token, messages = await self.claim()
        if messages:
            await asyncio.gather(*(self._carry_out(token, m) for m in messages))
        return len(messages)

    async def claim(self, limit: int | None = None) -> tuple[str, list[OutboxMessage]]:
        token = f"{self.worker_id}:{secrets.token_hex(4)}"
        now = utcnow()
        due = Q(status=OutboxStatus.PENDING, available_at__lte=now) & (
            Q(lease_until__isnull=True) | Q(lease_until__lt=now)
        )
        async with in_transaction() as connection:
            # PostgreSQL: rows another worker is claiming are skipped, not waited for.
            rows = (
                await OutboxMessage.filter(due)
                .order_by("available_at", "id")
                .limit(limit or self.batch)
                .select_for_update(skip_locked=True)
                .using_db(connection)
            )
            if not rows:
                return token, []
            # Conditional, so that on SQLite (no row locks) two workers never both win a row.
            await (
                OutboxMessage.filter(due, id__in=[r.id for r in rows])
                .using_db(connection)
                .update(
                    lease_until=now + timedelta(seconds=self.policy.lease_seconds),
                    leased_by=token,
                    attempts=F("attempts") + 1,
                )
            )
            claimed = list(
                await OutboxMessage.filter(id__in=[r.id for r in rows], leased_by=token)
                .using_db(connection)
                .order_by("id")
            )
            sends = [m for m in claimed if m.action == OutboxAction.PUBLISH]
            if sends:
                # Marked in doubt before anything is sent: if this worker dies from here on,
                # whoever takes a message over looks for the post first.
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
        # Each message says whether it was in doubt before this attempt.
        before = {r.id: r.in_doubt for r in rows}
        for message in claimed:
            message.in_doubt = before[message.id]
        return token, claimed

    async def _carry_out(self, token: str, message: OutboxMessage) -> None:
        try:
            if message.action == OutboxAction.PUBLISH:
                await self._publish(token, message)
            elif message.action == OutboxAction.REMIND:
                await reminders.deliver(self, token, message)
            else:
                await self._retract(token, message)
        except Exception as error:
            # A bug or a surprise from a channel: logged, retried like any failure.
            log.exception("publishing message %s failed unexpectedly", message.id)
            failure = ChannelError(FailureKind.RETRY, f"internal error: {type(error).__name__}")
            await self._failed(token, message, failure)

    async def _context(
        self, message: OutboxMessage
    ) -> tuple[Publication, Work, ChannelSettings | None]:
        publication = (
            await Publication.filter(id=message.publication_id).select_related("work").get()
        )
        work = publication.work
        settings = await ChannelSettings.get_or_none(
            unit_id=work.unit_id, channel=publication.channel
        )
        return publication, work, settings

    async def _publish(self, token: str, message: OutboxMessage) -> None:
        publication, work, settings = await self._context(message)
        if publication.status in (PublicationStatus.PUBLISHED, PublicationStatus.RETRACTED):
            await self._finish(token, message)
            return
        if work.status != WorkStatus.PUBLISHED:
            async with in_transaction() as connection:
                await self._cancel(
                    token, message, f"cancelled: the work is {work.status.value}", connection
                )
            return
        if settings is None or not settings.enabled or not settings.credential:
            await self._failed(
                token,
                message,
                ChannelError(FailureKind.PERMANENT, "the channel has no settings"),
            )
            return
        post = await self._post(work, publication, settings, message)
        adapter = cast(dict[Channel, ChannelAdapter], self.adapters)[publication.channel]
        try:
            sent = await adapter.publish(_config(settings), post, in_doubt=message.in_doubt)
        except ChannelError as failure:
            await self._failed(token, message, failure, settings=settings)
            return
        await self._published(token, message, publication, sent)

    async def _post(
        self,
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
                cover = await (self.storage or default_storage()).read(cover_file.storage_key)
        values = await message_values(work, unit_name=await self._unit_name(work.unit_id))
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
        )

    async def _sent_in_doubt(self, publication: Publication) -> bool:
        return await OutboxMessage.filter(
            publication_id=publication.id, action=OutboxAction.PUBLISH, in_doubt=True
        ).exists()

    async def _retract(self, token: str, message: OutboxMessage) -> None:
        publication, work, settings = await self._context(message)
        sending = await OutboxMessage.filter(
            publication_id=publication.id,
            action=OutboxAction.PUBLISH,
            status=OutboxStatus.PENDING,
            lease_until__gte=utcnow(),
        ).exists()
        if sending:
            # A send is in flight: retract once it has finished.
            await self._failed(
                token, message, ChannelError(FailureKind.RETRY, "waiting for a send to finish")
            )
            return
        external_id = publication.external_id
        if settings is not None:
            adapter = cast(dict[Channel, ChannelAdapter], self.adapters)[publication.channel]
            try:
                if external_id is None and await self._sent_in_doubt(publication):
                    # A send cancelled by the retraction may have reached the channel.
                    post = await self._post(work, publication, settings, message)
                    found = await adapter.find(_config(settings), post)
                    external_id = found.external_id if found else None
                if external_id:
                    await adapter.retract(_config(settings), external_id)
            except ChannelError as failure:
                await self._failed(token, message, failure, settings=settings)
                return
        async with in_transaction() as connection:
            if not await self._finish(token, message, connection):
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
        self, token: str, message: OutboxMessage, publication: Publication, sent: Sent
    ) -> None:
        async with in_transaction() as connection:
            # The publication only when this worker still held the message: a worker whose
            # lease ran out must not overwrite what the one that took over recorded.
            won = await self._finish(token, message, connection)
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
                await self._take_down(message, publication, sent, connection)
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
        self,
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
            "publication %s: a send finished after the work was retracted; post %s is "
            "retracted too",
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

    async def _finish(
        self, token: str, message: OutboxMessage, connection: BaseDBAsyncClient | None = None
    ) -> bool:
        """The message DONE — only while this worker still holds it (fenced by the lease
        token). False, and the outcome dropped, when its lease ran out and the message was
        taken over, finished or cancelled meanwhile."""
        won = await (
            self._held(token, message)
            .using_db(connection)
            .update(status=OutboxStatus.DONE, done_at=utcnow(), lease_until=None)
        )
        if not won:
            self._lost(token, message, "done")
        return bool(won)

    async def _cancel(
        self, token: str, message: OutboxMessage, error: str, connection: BaseDBAsyncClient
    ) -> None:
        error = error[:ERROR_MAX]
        won = await (
            self._held(token, message)
            .using_db(connection)
            .update(status=OutboxStatus.DONE, done_at=utcnow(), lease_until=None, last_error=error)
        )
        if not won:
            self._lost(token, message, error)
            return
        await (
            Publication.filter(id=message.publication_id)
            .exclude(status=PublicationStatus.RETRACTED)
            .using_db(connection)
            .update(status=PublicationStatus.FAILED, last_error=error)
        )
        log.info("publishing message %s: %s", message.id, error)

    @staticmethod
    def _held(token: str, message: OutboxMessage) -> QuerySet[OutboxMessage]:
        return OutboxMessage.filter(id=message.id, leased_by=token, status=OutboxStatus.PENDING)

    def _lost(self, token: str, message: OutboxMessage, outcome: str) -> None:
        log.warning(
            "publishing message %s: worker %s (lease %s) no longer holds it; its outcome "
            "(%s) is dropped",
            message.id,
            self.worker_id,
            token,
            outcome,
        )

    async def _failed(
        self,
        token: str,
        message: OutboxMessage,
        failure: ChannelError,
        *,
        settings: ChannelSettings | None = None,
    ) -> None:
        error = failure.message[:ERROR_MAX]
        dead = failure.kind != FailureKind.RETRY or message.attempts >= self.policy.max_attempts
        delay = self.policy.delay(
            message.attempts,
            failure.retry_after,
            throttled=failure.throttled,
            ambiguous=failure.ambiguous,
        )
        async with in_transaction() as connection:
            if message.action == OutboxAction.PUBLISH and message.publication_id is not None:
                why = await _publish_cancelled(message.publication_id, connection)
                if why:
                    # Retracted (or no longer published) meanwhile: never sent again.
                    await self._cancel(token, message, f"cancelled: {why}; {error}", connection)
                    return
            won = await (
                self._held(token, message)
                .using_db(connection)
                .update(
                    status=OutboxStatus.DEAD if dead else OutboxStatus.PENDING,
                    available_at=utcnow() + timedelta(seconds=delay),
                    lease_until=None,
                    last_error=error,
                )
            )
            if not won:
                self._lost(token, message, f"failed: {error}")
                return
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
            if failure.kind == FailureKind.CREDENTIAL and settings is not None:
                await (
                    ChannelSettings.filter(id=settings.id)
                    .using_db(connection)
                    .update(credential_problem=error)
                )
                log.warning(
                    "publishing to %s for unit %s stopped: the credential was refused (%s)",
                    settings.channel.value,
                    settings.unit_id,
                    error,
                )
            if dead and message.action == OutboxAction.REMIND:
                assert message.reminder_id is not None
                await reminders.mark_dead(message.reminder_id, connection)
                await audit.record(
                    actor=WORKER,
                    action="reminder.dead",
                    object_type="Reminder",
                    object_id=message.reminder_id,
                    after={"error": error, "attempts": message.attempts, "kind": failure.kind},
                    connection=connection,
                )
            elif dead:
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
                    after={"error": error, "attempts": message.attempts, "kind": failure.kind},
                    connection=connection,
                )


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


def http_client(settings: Settings | None = None) -> httpx.AsyncClient:
    timeout = (settings or get_settings()).publishing_http_timeout_seconds
    return httpx.AsyncClient(timeout=httpx.Timeout(timeout), follow_redirects=False)


def dispatcher_enabled(settings: Settings) -> bool:
    if settings.publishing_dispatcher is not None:
        return settings.publishing_dispatcher
    return settings.database_url.startswith("sqlite")
