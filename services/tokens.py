"""Access tokens (short-lived JWT) and refresh tokens (random, stored hashed)."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import jwt

from models.user import Role
from services.errors import Unauthenticated
from services.settings import get_settings

_ALGORITHM = "HS256"


@dataclass(frozen=True)
class AccessClaims:
    user_id: int
    roles: frozenset[Role]


def issue_access_token(user_id: int, roles: frozenset[Role], now: datetime) -> tuple[str, datetime]:
    settings = get_settings()
    expires_at = now + timedelta(minutes=settings.access_token_minutes)
    claims = {
        "sub": str(user_id),
        "roles": sorted(roles),
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
            options={"require": ["sub", "exp", "typ"]},
        )
    except jwt.ExpiredSignatureError:
        raise Unauthenticated("token_expired") from None
    except jwt.PyJWTError:
        raise Unauthenticated("token_invalid") from None
    if claims.get("typ") != "access":
        raise Unauthenticated("token_invalid")
    try:
        roles = frozenset(Role(r) for r in claims.get("roles", []))
        return AccessClaims(user_id=int(claims["sub"]), roles=roles)
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
    return datetime.now(UTC)
