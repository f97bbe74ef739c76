"""The outbox: work a change leaves for later, done by a worker that may crash at any moment.

A service writes an ``OutboxMessage`` in the same transaction as its change (a publication
queued, a reminder due). The worker (``Dispatcher``) claims due messages with a lease
(PostgreSQL: ``FOR UPDATE SKIP LOCKED``, so several workers share the queue), hands each to the
``Handler`` its domain registered for the message's action, and records the outcome fenced by
the lease token: a worker whose lease ran out cannot undo what the one that took over recorded.
Failures back off exponentially with full jitter (``RetryPolicy``), never sooner than the
channel's ``Retry-After``; after the last attempt a message is DEAD until retried by hand. A
refused credential stops its channel at once and is reported on the channel's settings.

Handlers: publishing (``services/publishing/delivery.py``: PUBLISH, RETRACT), reminders
(``services/reminders.py``: REMIND, and the reminder scan the loop runs) and status-change
notices (``services/notices/delivery.py``: NOTIFY, and the daily digest's scan).
"""

from services.outbox.dispatcher import (
    WORKER,
    Dispatcher,
    Failure,
    Handler,
    RetryPolicy,
    dispatcher_enabled,
    http_client,
    register,
    register_scan,
)

__all__ = [
    "WORKER",
    "Dispatcher",
    "Failure",
    "Handler",
    "RetryPolicy",
    "dispatcher_enabled",
    "http_client",
    "register",
    "register_scan",
]
