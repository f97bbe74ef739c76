"""Access tokens (short-lived JWT naming the user and the session) and refresh tokens (random,
stored hashed). An access token carries no roles: who may do what is read from the database at
each request (services/auth.py ``authenticate``)."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import jwt

from services import clock
from services.errors import Unauthenticated
from services.settings import get_settings

_ALGORITHM = "HS256"


@dataclass(frozen=True)
class AccessClaims:
    user_id: int
    session_id: str


def issue_access_token(user_id: int, session_id: str, now: datetime) -> tuple[str, datetime]:
    settings = get_settings()
    expires_at = now + timedelta(minutes=settings.access_token_minutes)
    claims = {
        "sub": str(user_id),
        "sid": session_id,
        "iat": int(now.timestamp()),
        "exp": int(expires_at.timestamp()),
        "typ": "access",
    }
    token = jwt.encode(claims, settings.secret_key.get_secret_value(), algorithm=_ALGORITHM)
    return token, expires_at


def decode_access_token(token: str) -> AccessClaims:
    """The claims of a valid token; ``Unauthenticated`` saying why otherwise."""
    try:
        claims = jwt.decode(
            token,
            get_settings().secret_key.get_secret_value(),
            algorithms=[_ALGORITHM],
            options={"require": ["sub", "sid", "exp", "typ"]},
        )
    except jwt.ExpiredSignatureError:
        raise Unauthenticated("token_expired") from None
    except jwt.PyJWTError:
        raise Unauthenticated("token_invalid") from None
    session_id = claims["sid"]
    if claims.get("typ") != "access" or not isinstance(session_id, str):
        raise Unauthenticated("token_invalid")
    try:
        return AccessClaims(user_id=int(claims["sub"]), session_id=session_id)
    except ValueError:
        raise Unauthenticated("token_invalid") from None


def new_refresh_token() -> tuple[str, str]:
    """A fresh refresh token and the hash that is stored in its place."""
    token = secrets.token_urlsafe(32)
    return token, hash_refresh_token(token)


def hash_refresh_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_token_family() -> str:
    return secrets.token_hex(16)


def utcnow() -> datetime:
    return clock.now()
