"""Sign-in, sessions and who is asking.

Session invariants:

1. A session is one sign-in: a ``UserSession`` row whose id is the family of the refresh
   tokens rotated from that login. Every access token names its session (``sid``) and its user
   (``sub``), and nothing else about them: no roles.
2. ``authenticate(token)`` is the one door for every transport (the HTTP context, WebSocket
   ``connection_init``, file and export downloads). It checks the signature and expiry without
   the database, then reads in ONE SQL statement whether the session is the user's and has not
   ended, whether the user exists and is active, and the user's roles. The actor it returns
   carries those roles; callers keep it for the request (or the connection), so a request costs
   one statement however many resolvers ask, and an anonymous request costs none.
3. A session ends — for every process at its next request, since the check reads the shared
   database — on ``logout``, on a password change and on deactivation (every session of the
   user), and when a rotated refresh token is presented again (stolen-token detection). An
   ended session's refresh tokens are revoked with it and it never comes back; a user who is
   reactivated signs in again.
4. Role changes do not end sessions: roles are read at each request, so a role granted or
   removed (installation roles here, unit roles by the rules that read them) counts from the
   next request on. A deleted user's sessions are deleted with it.
5. Login throttling is in ``services/login_throttle.py``.
"""

import base64
import json
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from models.user import RefreshToken, Role, User, UserSession
from services import audit, login_throttle
from services.actor import Actor
from services.errors import DomainError, ErrorCode, Unauthenticated
from services.passwords import verify_password
from services.settings import get_settings
from services.tokens import (
    AccessClaims,
    decode_access_token,
    hash_refresh_token,
    issue_access_token,
    new_refresh_token,
    new_token_family,
    utcnow,
)


@dataclass(frozen=True)
class Session:
    """What a successful login or refresh hands the client."""

    user: User
    access_token: str
    access_token_expires_at: datetime
    refresh_token: str
    refresh_token_expires_at: datetime


async def authenticate(
    token: str, *, request_id: str | None = None, client_address: str = "unknown"
) -> Actor:
    """The actor an access token stands for, read from the database now (invariant 2).
    Raises ``Unauthenticated`` with ``token_expired``, ``token_invalid`` or ``session_ended``."""
    claims = _checked_claims(token)
    return await _session_actor(
        claims.user_id, claims.session_id, request_id=request_id, client_address=client_address
    )


async def reconfirm(actor: Actor) -> Actor:
    """``actor`` as its session stands now, for a connection that outlives a request (a
    subscription): ``session_ended`` once it is over, the roles as they are now."""
    if actor.user_id is None or actor.session_id is None:
        raise Unauthenticated("session_ended")
    return await _session_actor(
        actor.user_id,
        actor.session_id,
        request_id=actor.request_id,
        client_address=actor.client_address,
    )


async def _session_actor(
    user_id: int, session_id: str, *, request_id: str | None, client_address: str
) -> Actor:
    # One statement: the session joined to its (active) user and, left-joined, the user's
    # role grants; one row per role, a single row with no role, or none.
    rows = await UserSession.filter(
        id=session_id,
        user_id=user_id,
        ended_at__isnull=True,
        user__is_active=True,
    ).values_list("user__role_grants__role", flat=True)
    if not rows:
        raise Unauthenticated("session_ended")
    return Actor(
        user_id=user_id,
        roles=frozenset(Role(str(r)) for r in rows if r is not None),
        request_id=request_id,
        client_address=client_address,
        session_id=session_id,
    )


async def viewer_of_link(user_id: int) -> Actor:
    """The user a signed export link was made for, with the roles they hold now (one statement).
    Raises ``Unauthenticated`` when the account is gone or deactivated."""
    rows = await User.filter(id=user_id, is_active=True).values_list("role_grants__role", flat=True)
    if not rows:
        raise Unauthenticated("token_invalid")
    return Actor(user_id=user_id, roles=frozenset(Role(str(r)) for r in rows if r is not None))


def _checked_claims(token: str) -> AccessClaims:
    """``decode_access_token(token)``, remembered: a client sends the same token with every
    request until it expires, and checking its signature is a fair share of a small request.
    Only a token that passed the whole check is remembered, with the secret it was checked
    against, and its expiry is compared again at every use."""
    claims, expires = _checked(get_settings().secret_key.get_secret_value(), token)
    if expires <= time.time():
        return decode_access_token(token)  # refused as expired, as it is the first time
    return claims


@lru_cache(maxsize=1024)
def _checked(secret: str, token: str) -> tuple[AccessClaims, int]:
    claims = decode_access_token(token)  # raises for a token it refuses: nothing is remembered
    payload = token.split(".")[1]
    expires = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))["exp"]
    return claims, int(expires)


async def login(*, username: str, password: str, actor: Actor) -> Session:
    if not get_settings().password_login:
        raise DomainError.of(ErrorCode.NOT_PERMITTED, "password_login_off")
    username = username.strip().lower()
    attempt = await login_throttle.admit(username, actor.client_address)
    user = await User.get_or_none(username=username)
    ok = await verify_password(user.password_hash if user else None, password)
    if not ok or user is None or not user.is_active:
        await login_throttle.failed(attempt, user)
        raise DomainError.of(ErrorCode.INVALID_CREDENTIALS, "invalid_credentials")
    await login_throttle.succeeded(attempt)
    async with in_transaction() as connection:
        return await start_session(user, actor=actor, at=attempt.at, connection=connection)


async def start_session(
    user: User,
    *,
    actor: Actor,
    at: datetime,
    connection: BaseDBAsyncClient,
    provider: str | None = None,
) -> Session:
    """A new session of ``user`` (invariant 1), audited as a login, in the caller's
    transaction: after a password check, or a department sign-in through ``provider``."""
    family = new_token_family()
    await UserSession.create(id=family, user_id=user.id, using_db=connection)
    session = await _issue_tokens(user, family, at, connection)
    after = {"clientAddress": actor.client_address}
    await audit.record(
        actor=Actor(user_id=user.id, request_id=actor.request_id),
        action="user.login",
        object_type="User",
        object_id=user.id,
        after=after if provider is None else {**after, "provider": provider},
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
            await _end(UserSession.filter(id=token.family), "TOKEN_REUSED", now, connection)
        elif token.expires_at <= now:
            raise DomainError.of(ErrorCode.TOKEN_EXPIRED, "token_expired")
        else:
            token.used_at = now
            await token.save(using_db=connection, update_fields=["used_at"])
            user = await User.get(id=token.user_id, using_db=connection)
            live = await UserSession.exists(
                id=token.family, ended_at__isnull=True, using_db=connection
            )
            if user.is_active and live:
                return await _issue_tokens(user, token.family, now, connection)
    # Outside the transaction, so the family's revocation above is committed.
    raise DomainError.of(ErrorCode.TOKEN_INVALID, "token_invalid", reused=reused)


async def logout(*, refresh_token: str, actor: Actor) -> None:
    """End the presented token's session (this device's sign-in) and revoke its tokens."""
    token = await RefreshToken.get_or_none(token_hash=hash_refresh_token(refresh_token))
    if token is None:
        raise DomainError.of(ErrorCode.TOKEN_INVALID, "token_invalid")
    async with in_transaction() as connection:
        await _end(UserSession.filter(id=token.family), "LOGOUT", utcnow(), connection)
        await audit.record(
            actor=Actor(user_id=token.user_id, request_id=actor.request_id),
            action="user.logout",
            object_type="User",
            object_id=token.user_id,
            connection=connection,
        )


async def end_sessions(user_id: int, reason: str, connection: BaseDBAsyncClient) -> None:
    """End every session of the user (a password change, deactivation), in the caller's
    transaction."""
    await _end(UserSession.filter(user_id=user_id), reason, utcnow(), connection)


async def _issue_tokens(
    user: User, family: str, now: datetime, connection: BaseDBAsyncClient
) -> Session:
    settings = get_settings()
    access_token, access_expires = issue_access_token(user.id, family, now)
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


async def _end(
    sessions: QuerySet[UserSession], reason: str, now: datetime, connection: BaseDBAsyncClient
) -> None:
    """End the sessions and revoke their refresh tokens."""
    live = sessions.filter(ended_at__isnull=True).using_db(connection)
    families = await live.values_list("id", flat=True)
    await live.update(ended_at=now, end_reason=reason)
    await (
        RefreshToken.filter(family__in=families, revoked_at__isnull=True)
        .using_db(connection)
        .update(revoked_at=now)
    )
