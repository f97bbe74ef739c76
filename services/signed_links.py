"""Signed links: ``<expiry>.<signature>`` lets a browser fetch one file (or unsubscribe one
account from e-mail notices) without an Authorization header until the expiry (Unix seconds).
The signature covers what the link is for, so a document's link never opens the work file of
the same id."""

import hashlib
import hmac
import time
from enum import StrEnum

from services.settings import get_settings

LIFETIME_SECONDS = 600


class LinkFor(StrEnum):
    DOCUMENT = "document"
    WORK_FILE = "work_file"
    UNSUBSCRIBE = "unsubscribe"  # an account's e-mail notices (the object id is the account's)


def sign(kind: LinkFor, object_id: int, expires_at: int | None = None) -> str:
    expires_at = expires_at or int(time.time()) + LIFETIME_SECONDS
    return f"{expires_at}.{_signature(kind, object_id, expires_at)}"


def check(kind: LinkFor, object_id: int, token: str) -> bool:
    expires, _, signature = token.partition(".")
    # isascii: str.isdigit() also holds for digits int() refuses, such as "²".
    if not (expires.isascii() and expires.isdigit() and len(expires) <= 12):
        return False
    if int(expires) < time.time():
        return False
    # As bytes: compare_digest refuses str with non-ASCII characters, and a token is client input.
    expected = _signature(kind, object_id, int(expires))
    return hmac.compare_digest(signature.encode(), expected.encode())


def _signature(kind: LinkFor, object_id: int, expires_at: int) -> str:
    key = get_settings().secret_key.get_secret_value().encode()
    message = f"{kind.value}:{object_id}:{expires_at}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()
