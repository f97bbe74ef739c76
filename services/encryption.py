"""Secrets at rest: what LO Hub must keep in its database in order to act for someone else —
the channel credentials (WordPress application password, Facebook page token, LINE channel
token) — is stored encrypted, so a dump or a backup of the database does not give them away.

- Fernet (AES-128-CBC with HMAC-SHA256, from `cryptography`) under keys from the setting
  ``LOHUB_SECRET_KEYS``, comma-separated: the first key encrypts, every key decrypts
  (``MultiFernet``). To rotate, put a new key first, run ``lohub rotate-secrets`` (re-encrypts
  every stored secret under it), then drop the old key.
- Production refuses to start without a key (api/settings.py). In development, without keys,
  a key derived from ``LOHUB_SECRET_KEY`` is used, with a warning; it stays a decryption key
  when real keys are set later, so a laptop's data stays readable.
- The empty string stays empty: "no credential" is not a secret, and queries ask for it.
- The SMTP password is not here: it comes only from settings (``LOHUB_SMTP_PASSWORD``) and is
  never written to the database.
"""

import base64
import hashlib
import logging
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from tortoise.transactions import in_transaction

from api.settings import get_settings
from models.publishing import ChannelSettings

log = logging.getLogger(__name__)


class SecretUnreadable(Exception):
    """A stored secret none of the configured keys opens (a key was dropped too early)."""


def encrypt(plaintext: str) -> str:
    return _cipher().encrypt(plaintext.encode()).decode() if plaintext else ""


def decrypt(stored: str) -> str:
    if not stored:
        return ""
    try:
        return _cipher().decrypt(stored.encode()).decode()
    except InvalidToken:
        raise SecretUnreadable(
            "a stored secret cannot be decrypted with any key in LOHUB_SECRET_KEYS"
        ) from None


def reencrypt(stored: str) -> str:
    """The same secret under the first (newest) key."""
    if not stored:
        return ""
    try:
        return _cipher().rotate(stored.encode()).decode()
    except InvalidToken:
        raise SecretUnreadable(
            "a stored secret cannot be decrypted with any key in LOHUB_SECRET_KEYS"
        ) from None


async def rotate_stored_secrets() -> int:
    """Re-encrypt every stored secret under the newest key, in one transaction; how many."""
    rotated = 0
    async with in_transaction() as connection:
        rows = (
            await ChannelSettings.exclude(credential="")
            .select_for_update()
            .using_db(connection)
            .values_list("id", "credential")
        )
        for row_id, stored in rows:
            await (
                ChannelSettings.filter(id=row_id)
                .using_db(connection)
                .update(credential=reencrypt(str(stored)))
            )
            rotated += 1
    return rotated


def new_key() -> str:
    return Fernet.generate_key().decode()


def forget_keys() -> None:
    """Read the keys from the settings again (after the settings changed)."""
    _cipher.cache_clear()


@lru_cache
def _cipher() -> MultiFernet:
    settings = get_settings()
    configured = [k.strip() for k in settings.secret_keys.get_secret_value().split(",")]
    keys = [Fernet(k) for k in configured if k]
    if settings.env == "development":
        if not keys:
            log.warning(
                "LOHUB_SECRET_KEYS is not set: secrets in the database are encrypted with a key "
                "derived from LOHUB_SECRET_KEY (development only)"
            )
        keys.append(Fernet(_development_key(settings.secret_key.get_secret_value())))
    return MultiFernet(keys)


def _development_key(secret: str) -> bytes:
    digest = hashlib.sha256(b"lohub secrets at rest\0" + secret.encode()).digest()
    return base64.urlsafe_b64encode(digest)
