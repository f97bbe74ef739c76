"""What the notices' tests share: e-mail through a real SMTP server on loopback, the outbox
drained by a worker (restarted as often as a test likes), and what each account was told."""

from collections import Counter
from email import message_from_bytes
from email.message import Message

import httpx

from models.notice import Notice
from models.notification import Notification
from models.publishing import OutboxMessage, OutboxStatus
from services import outbound
from services.outbox import Dispatcher, RetryPolicy
from services.settings import get_settings
from services.tokens import utcnow
from tests.fakes import FakeSmtp

FAST = RetryPolicy(max_attempts=5, base_seconds=0.01, max_seconds=0.05, lease_seconds=30)


def mailer() -> outbound.SmtpMailer:
    return outbound.SmtpMailer(get_settings())


async def drain(http: httpx.AsyncClient, dispatcher: Dispatcher | None = None) -> None:
    """A worker (a fresh one unless given) works until nothing is left to do."""
    dispatcher = dispatcher or Dispatcher(http, FAST, mailer=mailer())
    for _ in range(30):
        if not await OutboxMessage.filter(status=OutboxStatus.PENDING).exists():
            return
        await OutboxMessage.filter(status=OutboxStatus.PENDING).update(available_at=utcnow())
        await dispatcher.run_once()
    raise AssertionError("the outbox did not drain")


async def told_in_app(user_id: int) -> list[str]:
    """The account's notifications, oldest first, as the text the app shows in Thai."""
    rows = await Notification.filter(user_id=user_id, message_key="notice").order_by("id")
    return [n.params["th"] for n in rows]


async def events_told(user_id: int) -> Counter[str]:
    """How many notices of each event the account got beyond the app."""
    return Counter(
        str(e) for e in await Notice.filter(user_id=user_id).values_list("event", flat=True)
    )


def mails(server: FakeSmtp) -> list[Message]:
    return [message_from_bytes(m.original_content) for m in server.messages]
