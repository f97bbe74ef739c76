"""The dispatcher: claims, leases, backoff and the worker loop (see the package docstring)."""

import asyncio
import contextlib
import logging
import random
import secrets
import time
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, cast

import httpx
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.expressions import F, Q
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from models.publishing import Channel, ChannelSettings, OutboxAction, OutboxMessage, OutboxStatus
from models.user import Role
from services import channels
from services.actor import Actor
from services.channels import ChannelAdapter, ChannelError, FailureKind
from services.settings import Settings, get_settings
from services.storage import Storage
from services.tokens import utcnow

log = logging.getLogger("lohub.outbox")

# Who the worker's changes are recorded as, in the audit.
WORKER = Actor(user_id=None, roles=frozenset({Role.ADMIN}), request_id="worker", is_system=True)
ERROR_MAX = 500


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


@dataclass(frozen=True)
class Failure:
    """A failed attempt as a handler's ``failed`` hook sees it, after the message was put back
    (or declared dead) under the worker's lease."""

    message: OutboxMessage
    error: ChannelError
    text: str
    dead: bool
    settings: ChannelSettings | None


@dataclass(frozen=True)
class Handler:
    """What a domain does with the messages of one action.

    ``carry_out`` does the work and records the outcome through ``Dispatcher.finish`` or
    ``Dispatcher.failed``. The optional hooks run inside the dispatcher's transactions:
    ``claimed`` when messages were just claimed, ``cancels`` before a failure is recorded (true
    when it cancelled the message instead, for good), ``failed`` after a failure was recorded.
    """

    carry_out: Callable[["Dispatcher", str, OutboxMessage], Awaitable[None]]
    claimed: Callable[[list[OutboxMessage], BaseDBAsyncClient], Awaitable[None]] | None = None
    cancels: (
        Callable[["Dispatcher", str, OutboxMessage, str, BaseDBAsyncClient], Awaitable[bool]] | None
    ) = None
    failed: Callable[[Failure, BaseDBAsyncClient], Awaitable[None]] | None = None


_HANDLERS: dict[OutboxAction, Handler] = {}
_SCANS: list[Callable[[], Awaitable[object]]] = []


def register(action: OutboxAction, handler: Handler) -> None:
    """Called once by the domain whose messages carry ``action`` (when its module loads)."""
    _HANDLERS[action] = handler


def register_scan(scan: Callable[[], Awaitable[object]]) -> None:
    """A job the worker loop runs every ``scan_seconds`` (the reminder scan)."""
    if scan not in _SCANS:
        _SCANS.append(scan)


@dataclass
class Dispatcher:
    """Drains the outbox. Several may run at once (in one process or many)."""

    client: httpx.AsyncClient
    policy: RetryPolicy = field(default_factory=RetryPolicy)
    worker_id: str = field(default_factory=lambda: f"worker-{secrets.token_hex(4)}")
    batch: int = 20
    # The tools handlers work with: channel adapters over ``client``, the file storage (None:
    # the default) and the e-mail sender (None: SMTP from the settings).
    adapters: dict[Channel, ChannelAdapter] | None = None
    storage: Storage | None = None
    mailer: Any = None
    # How often the loop runs the registered scans (None: never; ``lohub worker`` sets it).
    scan_seconds: float | None = None
    _next_scan: float = field(default=0.0, repr=False)
    _remembered: dict[Hashable, tuple[Any, float]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        if self.adapters is None:
            self.adapters = channels.adapters(self.client)

    def adapter(self, channel: Channel) -> ChannelAdapter:
        return cast(dict[Channel, ChannelAdapter], self.adapters)[channel]

    async def remembered(
        self, key: Hashable, load: Callable[[], Awaitable[Any]], *, seconds: float
    ) -> Any:
        """A value handlers look up for every message (a unit's name), kept ``seconds``."""
        cached = self._remembered.get(key)
        if cached and cached[1] > time.monotonic():
            return cached[0]
        value = await load()
        self._remembered[key] = (value, time.monotonic() + seconds)
        return value

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
                    log.exception("outbox worker %s: claiming failed", self.worker_id)
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
                            "outbox worker %s: recording a send failed",
                            self.worker_id,
                            exc_info=task.exception(),
                        )
            else:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), idle_seconds)
        if in_flight:
            await asyncio.wait(in_flight)

    async def _scan_if_due(self) -> None:
        if self.scan_seconds is None:
            return
        loop_time = asyncio.get_running_loop().time()
        if loop_time < self._next_scan:
            return
        self._next_scan = loop_time + self.scan_seconds
        for scan in _SCANS:
            try:
                await scan()
            except Exception:
                log.exception("outbox worker %s: a scan failed", self.worker_id)

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
            for action, handler in _HANDLERS.items():
                mine = [m for m in claimed if m.action == action]
                if mine and handler.claimed is not None:
                    await handler.claimed(mine, connection)
        # Each message says whether it was in doubt before this attempt.
        before = {r.id: r.in_doubt for r in rows}
        for message in claimed:
            message.in_doubt = before[message.id]
        return token, claimed

    async def _carry_out(self, token: str, message: OutboxMessage) -> None:
        try:
            await _HANDLERS[message.action].carry_out(self, token, message)
        except Exception as error:
            # A bug or a surprise from a channel: logged, retried like any failure.
            log.exception("outbox message %s failed unexpectedly", message.id)
            failure = ChannelError(FailureKind.RETRY, f"internal error: {type(error).__name__}")
            await self.failed(token, message, failure)

    async def finish(
        self, token: str, message: OutboxMessage, connection: BaseDBAsyncClient | None = None
    ) -> bool:
        """The message DONE — only while this worker still holds it (fenced by the lease
        token). False, and the outcome dropped, when its lease ran out and the message was
        taken over, finished or cancelled meanwhile."""
        won = await (
            self.held(token, message)
            .using_db(connection)
            .update(status=OutboxStatus.DONE, done_at=utcnow(), lease_until=None)
        )
        if not won:
            self.lost(token, message, "done")
        return bool(won)

    @staticmethod
    def held(token: str, message: OutboxMessage) -> QuerySet[OutboxMessage]:
        return OutboxMessage.filter(id=message.id, leased_by=token, status=OutboxStatus.PENDING)

    def lost(self, token: str, message: OutboxMessage, outcome: str) -> None:
        log.warning(
            "outbox message %s: worker %s (lease %s) no longer holds it; its outcome "
            "(%s) is dropped",
            message.id,
            self.worker_id,
            token,
            outcome,
        )

    async def failed(
        self,
        token: str,
        message: OutboxMessage,
        failure: ChannelError,
        *,
        settings: ChannelSettings | None = None,
    ) -> None:
        """Put the message back for a later attempt, after a backoff, or declare it DEAD."""
        error = failure.message[:ERROR_MAX]
        dead = failure.kind != FailureKind.RETRY or message.attempts >= self.policy.max_attempts
        delay = self.policy.delay(
            message.attempts,
            failure.retry_after,
            throttled=failure.throttled,
            ambiguous=failure.ambiguous,
        )
        handler = _HANDLERS[message.action]
        async with in_transaction() as connection:
            if handler.cancels is not None and await handler.cancels(
                self, token, message, error, connection
            ):
                return
            won = await (
                self.held(token, message)
                .using_db(connection)
                .update(
                    status=OutboxStatus.DEAD if dead else OutboxStatus.PENDING,
                    available_at=utcnow() + timedelta(seconds=delay),
                    lease_until=None,
                    last_error=error,
                )
            )
            if not won:
                self.lost(token, message, f"failed: {error}")
                return
            if failure.kind == FailureKind.CREDENTIAL and settings is not None:
                # A refused credential stops the channel until an administrator changes it.
                await (
                    ChannelSettings.filter(id=settings.id)
                    .using_db(connection)
                    .update(credential_problem=error)
                )
                log.warning(
                    "sending to %s for unit %s stopped: the credential was refused (%s)",
                    settings.channel.value,
                    settings.unit_id,
                    error,
                )
            if handler.failed is not None:
                await handler.failed(Failure(message, failure, error, dead, settings), connection)


def http_client(settings: Settings | None = None) -> httpx.AsyncClient:
    timeout = (settings or get_settings()).publishing_http_timeout_seconds
    return httpx.AsyncClient(timeout=httpx.Timeout(timeout), follow_redirects=False)


def dispatcher_enabled(settings: Settings) -> bool:
    if settings.publishing_dispatcher is not None:
        return settings.publishing_dispatcher
    return settings.database_url.startswith("sqlite")
