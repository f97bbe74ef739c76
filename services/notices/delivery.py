"""Sending notices: the outbox's NOTIFY handler (through ``services/outbound.py``), the e-mail
with its unsubscribe headers, and the daily digest."""

import email.policy
import uuid
from collections import defaultdict
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import make_msgid
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from models.notice import Notice
from models.publishing import OutboxAction, OutboxMessage
from models.reminder import ReminderStatus
from services import outbound, signed_links
from services.outbox import Dispatcher, Failure, Handler, register, register_scan
from services.settings import Settings, get_settings
from services.tokens import utcnow

UNSUBSCRIBE_LINK_DAYS = 366
# Headers unfolded up to SMTP's own limit: a folded List-Unsubscribe would be sent as encoded
# words, which mail clients do not read as a link.
POLICY = email.policy.default.clone(max_line_length=998)
DIGEST_TITLE = ("สรุปการแจ้งเตือนจาก LO Hub", "Your LO Hub notices")


def unsubscribe_url(user_id: int, settings: Settings) -> str:
    expires = int(utcnow().timestamp()) + UNSUBSCRIBE_LINK_DAYS * 86400
    token = signed_links.sign(signed_links.LinkFor.UNSUBSCRIBE, user_id, expires)
    query = urlencode({"user": user_id, "token": token})
    return f"{settings.public_base_url.rstrip('/')}/notifications/unsubscribe?{query}"


def email_of(notice: Notice, settings: Settings) -> EmailMessage:
    """The notice in Thai then English, with a one-click unsubscribe (RFC 8058)."""
    link = unsubscribe_url(notice.user_id, settings)
    message = EmailMessage(policy=POLICY)
    message["From"] = settings.smtp_from
    message["To"] = notice.address
    message["Subject"] = "LO Hub: " + notice.text_th.partition("\n")[0][:150]
    message["Message-ID"] = make_msgid(
        idstring=f"notice-{notice.id}", domain=outbound.mail_domain(settings)
    )
    message["List-Unsubscribe"] = f"<{link}>"
    message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.set_content(
        f"{notice.text_th}\n\n{notice.text_en}\n\nเลิกรับอีเมลแจ้งเตือน / Stop these e-mails: {link}\n"
    )
    return message


async def deliver(dispatcher: Dispatcher, token: str, message: OutboxMessage) -> None:
    """Carry out one NOTIFY message (the dispatcher holds its lease)."""
    notice = await Notice.get(id=message.notice_id)
    await outbound.deliver(
        dispatcher,
        token,
        message,
        notice,
        text=notice.text_th,
        email=lambda settings: email_of(notice, settings),
    )


async def _failed(failure: Failure, connection: BaseDBAsyncClient) -> None:
    assert failure.message.notice_id is not None
    await outbound.record_dead(Notice, failure.message.notice_id, failure, connection)


# -- the daily digest -------------------------------------------------------------------------


def digest_day(now: datetime, settings: Settings) -> str:
    """The day whose digest is due at ``now``: today once its hour has come, else yesterday."""
    local = now.astimezone(ZoneInfo(settings.timezone))
    day = local.date() if local.hour >= settings.notice_digest_hour else local.date() - timedelta(1)
    return day.isoformat()


async def send_digests(*, now: datetime | None = None) -> int:
    """Gather each account's waiting notices of one channel into one digest notice and its
    outbox message; returns how many digests were written. Once a day per account and
    channel (the digest's key names the day), however often it runs and on however many
    workers."""
    settings = get_settings()
    day = digest_day(now or utcnow(), settings)
    waiting = await Notice.filter(digest=True, batch_id__isnull=True, status=ReminderStatus.PENDING)
    groups: defaultdict[tuple[int, str, str], list[Notice]] = defaultdict(list)
    for notice in waiting:
        groups[(notice.user_id, notice.channel.value, notice.address)].append(notice)
    written = 0
    for (user_id, channel, _), notices in sorted(groups.items()):
        key = f"digest:{user_id}:{channel}:{day}"
        if await Notice.exists(key=key):
            continue  # today's went out: these wait for tomorrow's
        notices.sort(key=lambda n: n.id)
        first = notices[0]
        try:
            async with in_transaction() as connection:
                digest = await Notice.create(
                    key=key,
                    event=None,
                    user_id=user_id,
                    unit_id=first.unit_id,
                    channel=first.channel,
                    address=first.address,
                    subject_type="User",
                    subject_id=user_id,
                    text_th="\n".join([DIGEST_TITLE[0], *(f"• {n.text_th}" for n in notices)]),
                    text_en="\n".join([DIGEST_TITLE[1], *(f"• {n.text_en}" for n in notices)]),
                    retry_key=str(uuid.uuid4()),
                    using_db=connection,
                )
                await (
                    Notice.filter(id__in=[n.id for n in notices], batch_id__isnull=True)
                    .using_db(connection)
                    .update(batch_id=digest.id, status=ReminderStatus.SENT, sent_at=utcnow())
                )
                await OutboxMessage.create(
                    notice_id=digest.id,
                    action=OutboxAction.NOTIFY,
                    available_at=utcnow(),
                    using_db=connection,
                )
        except IntegrityError:
            continue  # another worker wrote it first
        written += 1
    return written


register(OutboxAction.NOTIFY, Handler(carry_out=deliver, failed=_failed))
register_scan(send_digests)
