"""Where uploaded bytes live. One protocol, a local-folder default; an S3-compatible backend
can replace it without touching callers (files are addressed by an opaque key)."""

import asyncio
import hashlib
import secrets
from pathlib import Path
from typing import Protocol

from services.settings import get_settings


class Storage(Protocol):
    async def save(self, data: bytes) -> str:
        """Store ``data``; returns the key to read it back."""
        ...

    async def read(self, key: str) -> bytes: ...

    async def delete(self, key: str) -> None: ...


class LocalStorage:
    """Files under one folder, named by random keys in two-character shards."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, key: str) -> Path:
        if not key.isalnum():
            raise ValueError("not a storage key")
        return self.root / key[:2] / key

    async def save(self, data: bytes) -> str:
        key = secrets.token_hex(16)
        path = self._path(key)

        def write() -> None:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)

        await asyncio.to_thread(write)
        return key

    async def read(self, key: str) -> bytes:
        return await asyncio.to_thread(self._path(key).read_bytes)

    async def delete(self, key: str) -> None:
        await asyncio.to_thread(self._path(key).unlink, missing_ok=True)


def default_storage() -> Storage:
    return LocalStorage(Path(get_settings().storage_dir))


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
