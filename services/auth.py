"""Login, token refresh with rotation, logout, and login throttling kept in the database."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.transactions import in_transaction

from models.user import LoginAttempt, RefreshToken, User
from services import audit
from services.actor import Actor
from services.errors import DomainError, ErrorCode
from services.passwords import verify_password
from services.settings import get_settings
from services.tokens import (
    hash_refresh_token,
    issue_access_token,
    new_refresh_token,
    new_token_family,
    utcnow,
)
from services.users import roles_of


@dataclass(frozen=True)
class Session:
    """What a successful login or refresh hands the client."""

    user: User
    access_token: str
    access_token_expires_at: datetime
    refresh_token: str
    refresh_token_expires_at: datetime


async def login(*, username: str, password: str, actor: Actor) -> Session:
    username = username.strip().lower()
    now = utcnow()
    # Recorded as a failure before the (slow) password check, so attempts made in parallel
    # count against each other; a success is marked afterwards.
    attempt = await LoginAttempt.create(
        username=username, client_address=actor.client_address, succeeded=False
    )
    try:
        await _refuse_if_throttled(username, actor.client_address, now, attempt.id)
    except DomainError:
        await attempt.delete()  # a refused attempt does not prolong the wait
        raise
    user = await User.get_or_none(username=username)
    ok = await verify_password(user.password_hash if user else None, password)
    ok = ok and user is not None and user.is_active
    if ok:
        attempt.succeeded = True
        await attempt.save(update_fields=["succeeded"])
    if not ok or user is None:
        raise DomainError.of(ErrorCode.INVALID_CREDENTIALS, "invalid_credentials")
    async with in_transaction() as connection:
        session = await _open_session(user, new_token_family(), now, connection)
        await audit.record(
            actor=Actor(user_id=user.id, request_id=actor.request_id),
            action="user.login",
            object_type="User",
            object_id=user.id,
            after={"clientAddress": actor.client_address},
            connection=connection,
        )
    return session


async def refresh(*, refresh_token: str, actor: Actor) -> Session:
    """Rotate: the presented token is used up and a new one of the same family issued. A token
    presented twice means it leaked, so its whole family is revoked."""
    now = utcnow()
    reused = False
    async with in_transaction() as connection:
        token = (
            await RefreshToken.filter(token_hash=hash_refresh_token(refresh_token))
            .select_for_update()
            .using_db(connection)
            .first()
        )
        if token is None or token.revoked_at is not None:
            raise DomainError.of(ErrorCode.TOKEN_INVALID, "token_invalid")
        if token.used_at is not None:
            reused = True
            await _revoke_family(token.family, now, connection)
        elif token.expires_at <= now:
            raise DomainError.of(ErrorCode.TOKEN_EXPIRED, "token_expired")
        else:
            token.used_at = now
            await token.save(using_db=connection, update_fields=["used_at"])
            user = await User.get(id=token.user_id, using_db=connection)
            if user.is_active:
                return await _open_session(user, token.family, now, connection)
    # Outside the transaction, so the family's revocation above is committed.
    raise DomainError.of(ErrorCode.TOKEN_INVALID, "token_invalid", reused=reused)


async def logout(*, refresh_token: str, actor: Actor) -> None:
    """Revoke every token of the presented token's family (this device's session)."""
    token = await RefreshToken.get_or_none(token_hash=hash_refresh_token(refresh_token))
    if token is None:
        raise DomainError.of(ErrorCode.TOKEN_INVALID, "token_invalid")
    async with in_transaction() as connection:
        await _revoke_family(token.family, utcnow(), connection)
        await audit.record(
            actor=Actor(user_id=token.user_id, request_id=actor.request_id),
            action="user.logout",
            object_type="User",
            object_id=token.user_id,
            connection=connection,
        )


async def _open_session(
    user: User, family: str, now: datetime, connection: BaseDBAsyncClient
) -> Session:
    settings = get_settings()
    roles = await roles_of(user.id)
    access_token, access_expires = issue_access_token(user.id, roles, now)
    token, token_hash = new_refresh_token()
    refresh_expires = now + timedelta(days=settings.refresh_token_days)
    await RefreshToken.create(
        user_id=user.id,
        token_hash=token_hash,
        family=family,
        expires_at=refresh_expires,
        using_db=connection,
    )
    return Session(user, access_token, access_expires, token, refresh_expires)


async def _revoke_family(family: str, now: datetime, connection: BaseDBAsyncClient) -> None:
    await (
        RefreshToken.filter(family=family, revoked_at__isnull=True)
        .using_db(connection)
        .update(revoked_at=now)
    )


async def _refuse_if_throttled(
    username: str, client_address: str, now: datetime, attempt_id: int
) -> None:
    """Refuse when the account, or the client address, has too many recent failures. A
    successful login clears the account's count; the address's count only ages out."""
    settings = get_settings()
    window = timedelta(minutes=settings.login_window_minutes)
    since = now - window
    last_success = (
        await LoginAttempt.filter(username=username, succeeded=True, at__gte=since)
        .order_by("-at")
        .first()
        .values_list("at", flat=True)
    )
    account_failures = LoginAttempt.filter(
        username=username, succeeded=False, at__gte=since
    ).exclude(id=attempt_id)
    if last_success is not None:
        account_failures = account_failures.filter(at__gt=last_success)
    address_failures = LoginAttempt.filter(
        client_address=client_address, succeeded=False, at__gte=since
    ).exclude(id=attempt_id)
    for failures, limit in (
        (account_failures, settings.login_max_failures_per_account),
        (address_failures, settings.login_max_failures_per_address),
    ):
        recent = await failures.order_by("-at").limit(limit).values_list("at", flat=True)
        if len(recent) >= limit:
            retry_at: datetime = recent[-1] + window  # type: ignore[operator]
            seconds = max(1, int((retry_at - now).total_seconds()) + 1)
            raise DomainError.of(ErrorCode.THROTTLED, "throttled", seconds=seconds)
