"""Login throttling that slows a password guesser without letting a stranger lock anyone out
(OWASP Authentication and Credential Stuffing cheat sheets).

Every attempt is a ``LoginAttempt`` row (account name, client address, success, time) in the
database, so the rules hold across API processes. An attempt is recorded as a failure before
the slow password check, so attempts made in parallel count against each other; a refused
attempt is removed again, so waiting is never prolonged by asking. Rows are kept only while a
rule below reads them; each attempt drops the older ones.

1. **Per (account, address) pair, exponential delay.** The pair's failures since its last
   success (at most ``LOHUB_LOGIN_PAIR_MEMORY_HOURS`` back) are counted: the first
   ``LOHUB_LOGIN_PAIR_FREE_FAILURES`` are free; after n failures beyond that the next attempt
   must wait ``BASE_SECONDS · 2ⁿ`` (at most ``MAX_SECONDS``) after the last failure. A guesser
   gets about a hundred tries a day from one address, and only that address waits.
2. **Account-wide, at a far higher threshold.** ``LOHUB_LOGIN_MAX_FAILURES_PER_ACCOUNT``
   failures from anywhere within ``LOHUB_LOGIN_WINDOW_MINUTES`` lock the account — but only
   against addresses it is not known from (rule 4). Reaching the threshold notifies the
   account's owner and the administrators in the app (at most once a day per account).
3. **Address-wide, at a far higher threshold.** ``LOHUB_LOGIN_MAX_FAILURES_PER_ADDRESS``
   failures from one address within the window, over any accounts (credential stuffing),
   refuse that address — again except for accounts it is known for (rule 4), so the people
   behind one office NAT keep signing in.
4. **Known addresses.** An address with a successful login for the account within
   ``LOHUB_LOGIN_KNOWN_ADDRESS_DAYS`` is known for it: the wide limits do not apply to that
   pair, so the right password from a usual address still works during an attack. Only rule 1
   does.
5. A refusal is ``THROTTLED`` with the seconds to wait, before the password is looked at, so
   it says nothing about whether the password was right; unknown accounts are throttled alike.
6. **Unlock.** Administrators clear an account's failures (``userUnlock``, audited): its
   pairs' delays and the account-wide lock end at once.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from models.notification import Notification
from models.user import LoginAttempt, Role, RoleGrant, User
from services import audit
from services.actor import Actor
from services.errors import DomainError, ErrorCode, not_found
from services.notifications import notify
from services.permissions import require_role
from services.settings import get_settings
from services.tokens import utcnow

LOCK_NOTICE = "login_account_locked"
# A sustained attack keeps the account at its threshold; its owner hears of it once a day.
LOCK_NOTICE_EVERY = timedelta(hours=24)


@dataclass(frozen=True)
class PendingAttempt:
    """An attempt let through to the password check, recorded as a failure until it succeeds."""

    row: LoginAttempt
    at: datetime


async def admit(username: str, client_address: str) -> PendingAttempt:
    """Record the attempt, or refuse it (``THROTTLED``) by the rules above."""
    now = utcnow()
    await _forget_old_attempts(now)
    row = await LoginAttempt.create(
        username=username, client_address=client_address, succeeded=False
    )
    wait = await _seconds_to_wait(username, client_address, now, row.id)
    if wait is not None:
        await row.delete()
        raise DomainError.of(ErrorCode.THROTTLED, "throttled", seconds=wait)
    return PendingAttempt(row, now)


async def _forget_old_attempts(now: datetime) -> None:
    """Drop the rows no rule reads any more: failures past the pair's memory and the account's
    window, successes past the time they keep an address known."""
    settings = get_settings()
    failures_matter = max(
        timedelta(hours=settings.login_pair_memory_hours),
        timedelta(minutes=settings.login_window_minutes),
    )
    await LoginAttempt.filter(
        Q(at__lt=now - timedelta(days=settings.login_known_address_days))
        | Q(succeeded=False, at__lt=now - failures_matter)
    ).delete()


async def succeeded(attempt: PendingAttempt) -> None:
    attempt.row.succeeded = True
    await attempt.row.save(update_fields=["succeeded"])


async def failed(attempt: PendingAttempt, user: User | None) -> None:
    """The attempt stays a failure; the one that brings the account to its threshold tells
    the owner and the administrators."""
    if user is None:
        return
    settings = get_settings()
    window = timedelta(minutes=settings.login_window_minutes)
    failures = await LoginAttempt.filter(
        username=attempt.row.username, succeeded=False, at__gte=attempt.at - window
    ).count()
    if failures < settings.login_max_failures_per_account:
        return
    if await Notification.exists(
        user_id=user.id, message_key=LOCK_NOTICE, created_at__gte=attempt.at - LOCK_NOTICE_EVERY
    ):
        return
    admins: list[int] = await RoleGrant.filter(  # type: ignore[assignment]
        role=Role.ADMIN, user__is_active=True
    ).values_list("user_id", flat=True)
    async with in_transaction() as connection:
        await notify(
            [user.id, *admins],
            message_key=LOCK_NOTICE,
            subject_type="User",
            subject_id=user.id,
            connection=connection,
            username=user.username,
            failures=failures,
            minutes=settings.login_window_minutes,
        )


async def unlock(*, actor: Actor, user_id: int, reason: str | None) -> User:
    """Forget the account's failed logins (administrators)."""
    require_role(actor, Role.ADMIN)
    user = await User.get_or_none(id=user_id)
    if user is None:
        raise not_found("id", "ผู้ใช้", "User")
    async with in_transaction() as connection:
        failures = LoginAttempt.filter(username=user.username, succeeded=False)
        cleared = await failures.using_db(connection).delete()
        await audit.record(
            actor=actor,
            action="user.unlock",
            object_type="User",
            object_id=user.id,
            before={"failedLogins": cleared},
            after={"failedLogins": 0},
            reason=reason,
            connection=connection,
        )
    return user


async def _seconds_to_wait(
    username: str, client_address: str, now: datetime, attempt_id: int
) -> int | None:
    settings = get_settings()
    pair = LoginAttempt.filter(username=username, client_address=client_address)
    last_success = (
        await pair.filter(
            succeeded=True, at__gte=now - timedelta(days=settings.login_known_address_days)
        )
        .order_by("-at")
        .first()
        .values_list("at", flat=True)
    )
    since = now - timedelta(hours=settings.login_pair_memory_hours)
    if last_success is not None and last_success > since:  # type: ignore[operator]
        since = last_success  # type: ignore[assignment]
    # Past this many failures the delay is at its cap: no need to count further.
    enough = settings.login_pair_free_failures + settings.login_pair_delay_max_seconds.bit_length()
    pair_failures = (
        await pair.filter(succeeded=False, at__gt=since)
        .exclude(id=attempt_id)
        .order_by("-at")
        .limit(enough)
        .values_list("at", flat=True)
    )
    beyond = len(pair_failures) - settings.login_pair_free_failures
    if beyond >= 0:
        delay = min(
            settings.login_pair_delay_max_seconds, settings.login_pair_delay_base_seconds << beyond
        )
        retry_at: datetime = pair_failures[0] + timedelta(seconds=delay)  # type: ignore[operator]
        if retry_at > now:
            return _seconds_until(retry_at, now)
    if last_success is not None:
        return None  # a known address: the wide limits spare it
    window_start = now - timedelta(minutes=settings.login_window_minutes)
    recent = LoginAttempt.filter(succeeded=False, at__gte=window_start).exclude(id=attempt_id)
    for failures, limit in (
        (recent.filter(username=username), settings.login_max_failures_per_account),
        (recent.filter(client_address=client_address), settings.login_max_failures_per_address),
    ):
        newest = await failures.order_by("-at").limit(limit).values_list("at", flat=True)
        if len(newest) >= limit:
            oldest_counted: datetime = newest[-1]  # type: ignore[assignment]
            return _seconds_until(
                oldest_counted + timedelta(minutes=settings.login_window_minutes), now
            )
    return None


def _seconds_until(moment: datetime, now: datetime) -> int:
    return max(1, int((moment - now).total_seconds()) + 1)
