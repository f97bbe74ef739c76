"""Messages to one person by LINE push or e-mail, carried out by the outbox's worker: reminders
(``services/reminders.py``) and status-change notices (``services/notices/``) alike.

A message is a row (``Reminder`` or ``Notice``) with its channel, address, the unit whose LINE
Official Account pushes it, a fixed retry key and a status, and the outbox message that points
at it. The guarantees:

- LINE: ``POST /v2/bot/message/push`` with the row's ``X-Line-Retry-Key`` — a retry after a
  crash is answered 409 by LINE if the first push went through, and counts as sent;
- e-mail: SMTP has no idempotency key, so the outbox message is marked *in doubt* right before
  the DATA command; a worker that takes over an in-doubt e-mail records it IN_DOUBT instead of
  sending it again (a crash in that instant may lose an e-mail; it never sends two).
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any, Protocol

import aiosmtplib
import httpx
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.transactions import in_transaction

from models.notice import Notice
from models.publishing import Channel, ChannelSettings, OutboxMessage
from models.reminder import Reminder, ReminderChannel, ReminderStatus
from services import audit, encryption
from services.channels import (
    LINE_TEXT_MAX,
    ChannelError,
    FailureKind,
    _http_failure,
    _json,
    _transport_error,
)
from services.outbox import WORKER, Dispatcher, Failure
from services.settings import Settings, get_settings
from services.tokens import utcnow

log = logging.getLogger("lohub.outbound")

Row = Reminder | Notice


class Mailer(Protocol):
    async def send(self, message: EmailMessage, *, before_data: Any) -> None:
        """Send one message; call ``before_data()`` (async) right before the DATA command."""


@dataclass
class SmtpMailer:
    """SMTP through aiosmtplib, with the installation's server and credentials."""

    settings: Settings

    async def send(self, message: EmailMessage, *, before_data: Any) -> None:
        s = self.settings
        smtp = aiosmtplib.SMTP(
            hostname=s.smtp_host,
            port=s.smtp_port,
            use_tls=s.smtp_tls,
            start_tls=s.smtp_starttls and not s.smtp_tls,
            timeout=s.smtp_timeout_seconds,
        )
        await smtp.connect()
        try:
            if s.smtp_username:
                await smtp.login(s.smtp_username, s.smtp_password.get_secret_value())
            await smtp.mail(address_of(s.smtp_from))
            await smtp.rcpt(str(message["To"]))
            await before_data()
            await smtp.data(message.as_bytes())
        finally:
            try:
                await smtp.quit()
            except aiosmtplib.SMTPException:
                smtp.close()


def address_of(header: str) -> str:
    """The bare address of a ``Name <address>`` header."""
    return header[header.index("<") + 1 : header.index(">")] if "<" in header else header


def mail_domain(settings: Settings) -> str:
    return address_of(settings.smtp_from).rpartition("@")[2] or "lohub.local"


async def push_line(
    client: httpx.AsyncClient, settings: ChannelSettings, row: Row, text: str
) -> str:
    """One push message; the accepted request id. A repeated retry key (409) means an earlier
    push of the same row went through."""
    try:
        response = await client.post(
            settings.base_url.rstrip("/") + "/v2/bot/message/push",
            json={"to": row.address, "messages": [{"type": "text", "text": text[:LINE_TEXT_MAX]}]},
            headers={
                "authorization": f"Bearer {encryption.decrypt(settings.credential)}",
                "x-line-retry-key": row.retry_key,
            },
        )
    except httpx.HTTPError as error:
        raise _transport_error(error) from None
    if response.status_code == 409:
        return response.headers.get("x-line-accepted-request-id") or row.retry_key
    if response.status_code < 300:
        return response.headers.get("x-line-request-id") or row.retry_key
    detail = str(_json(response).get("message", "error"))
    raise _http_failure(response, detail, server_ambiguous=False)


async def deliver(
    dispatcher: Dispatcher,
    token: str,
    message: OutboxMessage,
    row: Row,
    *,
    text: str,
    email: Callable[[Settings], EmailMessage],
) -> None:
    """Carry out one outbox message for ``row`` (the dispatcher holds its lease): ``text`` for
    LINE, ``email`` builds the e-mail."""
    kind = type(row).__name__.lower()
    if row.status != ReminderStatus.PENDING:
        await dispatcher.finish(token, message)
        return
    if row.channel == ReminderChannel.LINE:
        settings = await ChannelSettings.get_or_none(unit_id=row.unit_id, channel=Channel.LINE)
        if settings is None or not settings.enabled or not settings.credential:
            await dispatcher.failed(
                token, message, ChannelError(FailureKind.PERMANENT, "the unit has no LINE settings")
            )
            return
        await _mark_in_doubt(token, message)
        try:
            external_id = await push_line(dispatcher.client, settings, row, text)
        except ChannelError as failure:
            await dispatcher.failed(token, message, failure, settings=settings)
            return
        await _sent(dispatcher, token, message, row, external_id)
        return
    if message.in_doubt:
        # An earlier worker may have handed the e-mail to the server: never send it twice.
        async with in_transaction() as connection:
            await (
                type(row)
                .filter(id=row.id)
                .using_db(connection)
                .update(status=ReminderStatus.IN_DOUBT)
            )
            await dispatcher.finish(token, message, connection)
        log.warning("%s %s: an e-mail in doubt after a crash is not sent again", kind, row.id)
        return
    settings_ = get_settings()
    mailer = dispatcher.mailer or SmtpMailer(settings_)

    async def before_data() -> None:
        await _mark_in_doubt(token, message)

    try:
        await mailer.send(email(settings_), before_data=before_data)
    except aiosmtplib.SMTPRecipientsRefused as error:
        await dispatcher.failed(
            token, message, ChannelError(FailureKind.PERMANENT, _smtp_error(error))
        )
        return
    except aiosmtplib.SMTPAuthenticationError as error:
        await dispatcher.failed(
            token, message, ChannelError(FailureKind.CREDENTIAL, _smtp_error(error))
        )
        return
    except aiosmtplib.SMTPResponseException as error:
        kind_ = FailureKind.RETRY if 400 <= error.code < 500 else FailureKind.PERMANENT
        await dispatcher.failed(token, message, ChannelError(kind_, _smtp_error(error)))
        return
    except (aiosmtplib.SMTPException, OSError) as error:
        await dispatcher.failed(token, message, ChannelError(FailureKind.RETRY, _smtp_error(error)))
        return
    await _sent(dispatcher, token, message, row, None)


def _smtp_error(error: Exception) -> str:
    # The server's words only: never the credentials.
    return f"SMTP {type(error).__name__}: {str(error)[:300]}"


async def _mark_in_doubt(token: str, message: OutboxMessage) -> None:
    await OutboxMessage.filter(id=message.id, leased_by=token).update(in_doubt=True)


async def _sent(
    dispatcher: Dispatcher,
    token: str,
    message: OutboxMessage,
    row: Row,
    external_id: str | None,
) -> None:
    async with in_transaction() as connection:
        await (
            type(row)
            .filter(id=row.id)
            .using_db(connection)
            .update(status=ReminderStatus.SENT, sent_at=utcnow(), external_id=external_id)
        )
        await dispatcher.finish(token, message, connection)
        await audit.record(
            actor=WORKER,
            action=f"{type(row).__name__.lower()}.sent",
            object_type=type(row).__name__,
            object_id=row.id,
            after={"channel": row.channel.value, "attempt": message.attempts},
            connection=connection,
        )


async def record_dead(
    model: type[Row], row_id: int, failure: Failure, connection: BaseDBAsyncClient
) -> None:
    """The ``failed`` hook's work: a row whose attempts are used up is DEAD, and audited."""
    if not failure.dead:
        return
    await model.filter(id=row_id).using_db(connection).update(status=ReminderStatus.DEAD)
    await audit.record(
        actor=WORKER,
        action=f"{model.__name__.lower()}.dead",
        object_type=model.__name__,
        object_id=row_id,
        after={
            "error": failure.text,
            "attempts": failure.message.attempts,
            "kind": failure.error.kind,
        },
        connection=connection,
    )
