"""Signed links: ``<expiry>.<signature>`` lets a browser fetch one file (or unsubscribe one
account from e-mail notices) without an Authorization header until the expiry (Unix seconds).
The signature covers what the link is for, so a document's link never opens the work file of
the same id.

An export's link (``<expiry>.<user id>.<signature>``) also names the viewer it was made for:
what an export holds depends on who reads it, so the export is built for that user, with the
roles they hold when the link is followed."""

import hashlib
import hmac
import time
from enum import StrEnum

from services.actor import Actor
from services.errors import Unauthenticated
from services.settings import get_settings

LIFETIME_SECONDS = 600


class LinkFor(StrEnum):
    DOCUMENT = "document"
    WORK_FILE = "work_file"
    PROGRESS_REPORT = "progress_report"
    FINAL_REPORT = "final_report"
    CONTEST_EXPORT = "contest_export"
    SURVEY_EXPORT = "survey_export"
    UNSUBSCRIBE = "unsubscribe"  # an account's e-mail notices (the object id is the account's)


def sign(kind: LinkFor, object_id: int, expires_at: int | None = None) -> str:
    expires_at = expires_at or int(time.time()) + LIFETIME_SECONDS
    return f"{expires_at}.{_signature(kind, object_id, expires_at)}"


def check(kind: LinkFor, object_id: int, token: str) -> bool:
    expires, _, signature = token.partition(".")
    if not _live(expires):
        return False
    return _matches(signature, _signature(kind, object_id, int(expires)))


def sign_for_viewer(kind: LinkFor, object_id: int, actor: Actor) -> str:
    """An export link for the actor, who must be a signed-in user."""
    if actor.user_id is None:
        raise Unauthenticated()
    user_id = actor.user_id
    expires_at = int(time.time()) + LIFETIME_SECONDS
    return f"{expires_at}.{user_id}.{_signature(kind, object_id, expires_at, user_id)}"


def viewer_of(kind: LinkFor, object_id: int, token: str) -> int | None:
    """The user an export link was made for, if it is genuine and not past its time."""
    expires, _, rest = token.partition(".")
    user, _, signature = rest.partition(".")
    if not (_live(expires) and _number(user)):
        return None
    expected = _signature(kind, object_id, int(expires), int(user))
    return int(user) if _matches(signature, expected) else None


def _number(text: str) -> bool:
    # isascii: str.isdigit() also holds for digits int() refuses, such as "²".
    return text.isascii() and text.isdigit() and len(text) <= 12


def _live(expires: str) -> bool:
    return _number(expires) and int(expires) >= time.time()


def _matches(signature: str, expected: str) -> bool:
    # As bytes: compare_digest refuses str with non-ASCII characters, and a token is client input.
    return hmac.compare_digest(signature.encode(), expected.encode())


def _signature(kind: LinkFor, object_id: int, expires_at: int, user_id: int | None = None) -> str:
    key = get_settings().secret_key.get_secret_value().encode()
    viewer = "" if user_id is None else f":{user_id}"
    message = f"{kind.value}:{object_id}:{expires_at}{viewer}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()
