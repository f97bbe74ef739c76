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
message each in the same transaction (``transitions``). The outbox's worker (``services/outbox/``:
claims, leases, backoff, dead letters) hands PUBLISH and RETRACT messages to ``delivery``, which
marks a message *in doubt* before it sends, calls the channel's adapter and records the outcome;
a DEAD message waits for ``publicationRetry``. A worker that dies mid-send leaves its lease to
expire; whoever takes the message over sees it is in doubt, and the adapters' never-twice checks
(services/channels.py) find the earlier post instead of making a second one.

Every outcome is fenced by the lease: it is recorded only while the message is still PENDING
under the recording worker's lease token, so a worker whose lease ran out (a stall, a slow
lookup) cannot undo what the worker that took over recorded; its outcome is logged and dropped.
A send that lands after its work was retracted keeps the post's id and queues a retraction for
it. A LINE message in doubt whose retry key has expired (LINE honours one for 24 hours after the
first send) is not resent on its own: it goes DEAD as "may have been sent", and
``publicationRetry(sendAgain: true)`` sends it under a new key.

Modules: ``channel_settings`` (a unit's settings per channel), ``templates`` (what a post says),
``transitions`` (publish, retract, retry), ``delivery`` (the outbox handlers).
"""

from services.publishing import delivery
from services.publishing.channel_settings import (
    ChannelSettingsData,
    channel_settings_of_unit,
    configure_channel,
    visible_channel_settings,
)
from services.publishing.templates import message_values, render_message, slug_of, work_link
from services.publishing.transitions import (
    may_see_delivery,
    publish_work,
    retract_work,
    retry_publication,
    visible_publications,
)

__all__ = [
    "ChannelSettingsData",
    "channel_settings_of_unit",
    "configure_channel",
    "delivery",
    "may_see_delivery",
    "message_values",
    "publish_work",
    "render_message",
    "retract_work",
    "retry_publication",
    "slug_of",
    "visible_channel_settings",
    "visible_publications",
    "work_link",
]
