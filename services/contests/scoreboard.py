"""Live scoreboard fan-out: "an entry's aggregates changed" reaches every subscriber of its
edition, in every API process.

On PostgreSQL a change is a ``NOTIFY lohub_scoreboard, '<contest>:<entry>'`` (sent after the
change committed); each process that has subscribers holds one asyncpg connection that LISTENs
and hands the notifications to its local subscribers, so two or more API processes see the same
changes. On SQLite (one process) the change goes to the local subscribers directly. When the
listening connection is lost (PostgreSQL restarted), it is made again with backoff and every
watched edition's entries are pushed once, so what changed meanwhile is not missed.

Each process computes an announced entry's aggregates once per announcement (announcements
arriving together share one computation) and hands the same result to all its subscribers of
the edition (``deliver``), whatever their number.
"""

import asyncio
import logging
from collections import defaultdict
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any, cast

import asyncpg
from tortoise import connections

from models.contest import Contest, Entry
from services import auth
from services.actor import Actor
from services.contests import access
from services.contests import results as contest_results
from services.contests.results import EntryResult
from services.errors import DomainError, ErrorCode
from services.settings import get_settings

CHANNEL = "lohub_scoreboard"
# A subscriber that falls this far behind loses the oldest news, not the process its memory.
QUEUE_SIZE = 256
RECONNECT_FIRST_SECONDS = 0.2
RECONNECT_MAX_SECONDS = 5.0
log = logging.getLogger("lohub.scoreboard")

_subscribers: defaultdict[int, set[asyncio.Queue[EntryResult]]] = defaultdict(set)
# Fan-outs under way (kept so they are not garbage-collected mid-flight), and the entries each
# edition's next fan-out will compute.
_fanning: set[asyncio.Task[None]] = set()
_waiting: defaultdict[int, set[int]] = defaultdict(set)
_listener: Any = None
_lock = asyncio.Lock()


def _on_postgres() -> bool:
    return bool(connections.get("default").capabilities.dialect == "postgres")


async def announce(contest_id: int, entry_ids: list[int]) -> None:
    """``publish`` each entry, after the change committed; a failure is logged, never raised
    (the change itself is saved)."""
    for entry_id in entry_ids:
        try:
            await publish(contest_id, entry_id)
        except Exception:
            log.exception("scoreboard: could not announce entry %s", entry_id)


async def publish(contest_id: int, entry_id: int) -> None:
    """Announce that ``entry_id`` of ``contest_id`` changed (call after the commit)."""
    if _on_postgres():
        await connections.get("default").execute_query(
            "SELECT pg_notify($1, $2)", [CHANNEL, f"{contest_id}:{entry_id}"]
        )
    else:
        deliver(contest_id, entry_id)


def deliver(contest_id: int, entry_id: int) -> None:
    """Queue the entry for a fan-out of its edition: announcements arriving together (a
    publication announces every entry) share one computation of the results."""
    if not _subscribers.get(contest_id):
        return
    started = contest_id in _waiting
    _waiting[contest_id].add(entry_id)
    if started:
        return
    task = asyncio.get_running_loop().create_task(_fan_out(contest_id))
    _fanning.add(task)
    task.add_done_callback(_fanning.discard)


async def _fan_out(contest_id: int) -> None:
    await asyncio.sleep(0)  # let announcements that arrive together gather
    entry_ids = sorted(_waiting.pop(contest_id, set()))
    try:
        contest = await Contest.get_or_none(id=contest_id)
        if contest is None:
            return
        results = await contest_results.compute(contest)
    except Exception:
        log.exception("scoreboard: could not compute the aggregates of %s", entry_ids)
        return
    for entry_id in entry_ids:
        result = results.by_entry.get(entry_id)
        if result is None:
            continue
        for queue in list(_subscribers.get(contest_id, ())):
            if queue.full():
                queue.get_nowait()
            queue.put_nowait(result)


def _on_notify(_connection: Any, _pid: int, _channel: str, payload: str) -> None:
    try:
        contest, entry = (int(part) for part in payload.split(":", 1))
    except ValueError:
        log.warning("ignored scoreboard notification %r", payload)
        return
    deliver(contest, entry)


async def _ensure_listener() -> None:
    global _listener
    async with _lock:
        if _listener is not None and not _listener.is_closed():
            return
        url = get_settings().database_url.replace("postgres://", "postgresql://", 1)
        _listener = await asyncpg.connect(url)
        await _listener.add_listener(CHANNEL, _on_notify)
        _listener.add_termination_listener(_on_listener_lost)


def _on_listener_lost(_connection: Any) -> None:
    """The database restarted or the connection was cut: listen again while anyone watches."""
    if any(_subscribers.values()):
        task = asyncio.get_running_loop().create_task(_listen_again())
        _fanning.add(task)
        task.add_done_callback(_fanning.discard)


async def _listen_again() -> None:
    """Reconnect with backoff; then every watched edition's entries are pushed once, since
    the announcements made while nobody listened are lost."""
    delay = RECONNECT_FIRST_SECONDS
    while any(_subscribers.values()):
        try:
            await _ensure_listener()
        except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError) as error:
            log.warning("scoreboard: cannot listen yet (%r); again in %.1f s", error, delay)
            await asyncio.sleep(delay)
            delay = min(delay * 2, RECONNECT_MAX_SECONDS)
            continue
        log.info("scoreboard: listening again")
        for contest_id in list(_subscribers):
            await _catch_up(contest_id)
        return


async def _catch_up(contest_id: int) -> None:
    try:
        entry_ids = await Entry.filter(contest_id=contest_id).values_list("id", flat=True)
    except Exception:
        log.exception("scoreboard: could not catch up with contest %s", contest_id)
        return
    for entry_id in entry_ids:
        deliver(contest_id, cast(int, entry_id))


async def _release_listener() -> None:
    global _listener
    async with _lock:
        if _listener is not None and not any(_subscribers.values()):
            listener, _listener = _listener, None
            await listener.close()


def may_watch(actor: Actor) -> bool:
    """Organisers and managers watch scoreboards: the only live updates there are, so whoever
    may not watch them may subscribe to nothing."""
    return access.may_read_everything(actor)


async def check_watch(*, actor: Actor, contest_id: int) -> None:
    """Refuse, before anything is subscribed, unless ``actor`` may watch ``contest_id``."""
    access.require_reads_everything(actor)
    if not await Contest.exists(id=contest_id):
        raise DomainError.of(ErrorCode.NOT_FOUND, "not_found", what="การประกวด", what_en="Contest")


async def still_watching(actor: Actor) -> Actor:
    """``actor`` as its session stands now, if it may still watch: asked before each update, so
    a subscription ends with the session or the right that opened it."""
    actor = await auth.reconfirm(actor)
    access.require_reads_everything(actor)
    return actor


@asynccontextmanager
async def subscribe(contest_id: int) -> AsyncIterator[asyncio.Queue[EntryResult]]:
    """A queue of the updated results of entries of ``contest_id``, while the block runs."""
    if _on_postgres():
        await _ensure_listener()
    queue: asyncio.Queue[EntryResult] = asyncio.Queue(maxsize=QUEUE_SIZE)
    _subscribers[contest_id].add(queue)
    try:
        yield queue
    finally:
        _subscribers[contest_id].discard(queue)
        if not _subscribers[contest_id]:
            del _subscribers[contest_id]
        if _on_postgres():
            await _release_listener()
