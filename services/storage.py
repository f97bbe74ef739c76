"""Where uploaded bytes live. One protocol, two backends: a local folder (the default) and an
S3-compatible bucket (``LOHUB_STORAGE_URL=s3://bucket/prefix``). Files are addressed by an
opaque key that is the same in every backend, so ``lohub storage copy`` moves them without
touching the database.

A backend is told the SHA-256 LO Hub keeps with each file: the bucket (AWS S3, MinIO) checks the
bytes it receives against it (``x-amz-checksum-sha256``) and keeps it, so a copy can be verified
without reading the bytes back.
"""

import asyncio
import base64
import binascii
import hashlib
import re
import secrets
from collections.abc import AsyncIterator, Iterator
from contextlib import AsyncExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import quote, urlsplit

from services.errors import ServiceUnavailable
from services.settings import Settings, get_settings

CHUNK_BYTES = 256 * 1024
# What cannot stand in the quoted ASCII ``filename``: non-ASCII and control characters, the
# quote and backslash, and "%", which some browsers percent-decode there (RFC 6266 appendix D).
_NOT_FOR_FALLBACK = re.compile(r'[^\x20-\x7e]+|["\\%]')


class StoredFileMissing(Exception):
    """The bytes behind a key are gone from the store (deleted behind LO Hub's back)."""


class StorageUnavailable(ServiceUnavailable):
    """The store could not be reached or refused the request; trying again later may work."""


@dataclass(frozen=True)
class FileFacts:
    """What LO Hub knows of a file; the bucket keeps it on the object too."""

    sha256: str
    content_type: str
    content_disposition: str


class Storage(Protocol):
    async def save(self, data: bytes, facts: FileFacts) -> str:
        """Store ``data`` under a new key; returns the key."""
        ...

    async def put(self, key: str, data: bytes, facts: FileFacts) -> None:
        """Store ``data`` under ``key`` (replacing what is there)."""
        ...

    async def read(self, key: str) -> bytes:
        """The bytes; ``StoredFileMissing`` when they are gone."""
        ...

    async def stream(self, key: str) -> AsyncIterator[bytes]:
        """The bytes in chunks; ``StoredFileMissing`` is raised before the first chunk."""
        ...

    async def checksum(self, key: str) -> str | None:
        """The SHA-256 (hex) of what the store holds under ``key``; None when nothing is."""
        ...

    async def delete(self, key: str) -> None: ...

    async def download_url(self, key: str, facts: FileFacts) -> str | None:
        """A short-lived URL a browser fetches the file from directly, or None when LO Hub
        must stream it. ``StoredFileMissing`` when the bytes are gone."""
        ...

    async def close(self) -> None: ...


def new_key() -> str:
    return secrets.token_hex(16)


def _check_key(key: str) -> str:
    if not (key.isascii() and key.isalnum()):
        raise ValueError("not a storage key")
    return key


class LocalStorage:
    """Files under one folder, named by their keys in two-character shards."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, key: str) -> Path:
        return self.root / _check_key(key)[:2] / key

    async def save(self, data: bytes, facts: FileFacts) -> str:
        key = new_key()
        await self.put(key, data, facts)
        return key

    async def put(self, key: str, data: bytes, facts: FileFacts) -> None:
        path = self._path(key)

        def write() -> None:
            # Written aside and renamed: a reader never sees half a file.
            path.parent.mkdir(parents=True, exist_ok=True)
            partial = path.with_name(f"{key}.partial")
            partial.write_bytes(data)
            partial.replace(path)

        await asyncio.to_thread(write)

    async def read(self, key: str) -> bytes:
        try:
            return await asyncio.to_thread(self._path(key).read_bytes)
        except FileNotFoundError:
            raise StoredFileMissing(key) from None

    async def stream(self, key: str) -> AsyncIterator[bytes]:
        data = await self.read(key)
        return _chunks_of(data)

    async def checksum(self, key: str) -> str | None:
        try:
            return sha256_of(await self.read(key))
        except StoredFileMissing:
            return None

    async def delete(self, key: str) -> None:
        await asyncio.to_thread(self._path(key).unlink, missing_ok=True)

    async def download_url(self, key: str, facts: FileFacts) -> str | None:
        return None

    async def close(self) -> None:
        return None


async def _chunks_of(data: bytes) -> AsyncIterator[bytes]:
    for start in range(0, len(data), CHUNK_BYTES):
        yield data[start : start + CHUNK_BYTES]


class S3Storage:
    """Objects in an S3-compatible bucket (AWS S3, MinIO, Ceph …) under ``prefix``, in the
    same two-character shards as the folder. One client per event loop, opened on first use."""

    def __init__(self, bucket: str, prefix: str, settings: Settings) -> None:
        self.bucket = bucket
        self.prefix = prefix.strip("/")
        self.settings = settings
        self._client: Any = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stack = AsyncExitStack()

    def _object_key(self, key: str) -> str:
        path = f"{_check_key(key)[:2]}/{key}"
        return f"{self.prefix}/{path}" if self.prefix else path

    async def _s3(self) -> Any:
        loop = asyncio.get_running_loop()
        if self._client is None or self._loop is not loop:
            # Imported here: botocore takes a while to load, and most installations keep
            # their files in a folder.
            from aiobotocore.config import AioConfig
            from aiobotocore.session import get_session

            s = self.settings
            self._stack = AsyncExitStack()
            self._client = await self._stack.enter_async_context(
                get_session().create_client(
                    "s3",
                    endpoint_url=s.storage_s3_endpoint_url or None,
                    region_name=s.storage_s3_region,
                    aws_access_key_id=s.storage_s3_access_key_id or None,
                    aws_secret_access_key=s.storage_s3_secret_access_key.get_secret_value() or None,
                    config=AioConfig(
                        s3={"addressing_style": s.storage_s3_addressing_style},
                        signature_version="s3v4",
                        connect_timeout=s.storage_timeout_seconds,
                        read_timeout=s.storage_timeout_seconds,
                        retries={"mode": "standard", "max_attempts": 3},
                        # Checksums only where LO Hub asks for them (the SHA-256 it keeps).
                        request_checksum_calculation="when_required",
                        response_checksum_validation="when_required",
                    ),
                )
            )
            self._loop = loop
        return self._client

    async def save(self, data: bytes, facts: FileFacts) -> str:
        key = new_key()
        await self.put(key, data, facts)
        return key

    async def put(self, key: str, data: bytes, facts: FileFacts) -> None:
        s3 = await self._s3()
        with _translated(key):
            answer = await s3.put_object(
                Bucket=self.bucket,
                Key=self._object_key(key),
                Body=data,
                ContentType=facts.content_type,
                ContentDisposition=facts.content_disposition,
                # The bucket refuses bytes that do not hash to this, and keeps it.
                ChecksumAlgorithm="SHA256",
                ChecksumSHA256=_base64_of_hex(facts.sha256),
                Metadata={"sha256": facts.sha256},
            )
        stored = answer.get("ChecksumSHA256")
        if stored is not None and _hex_of_base64(stored) != facts.sha256:
            await self.delete(key)
            raise StorageUnavailable(f"the store's checksum of {key} is not LO Hub's")

    async def _get(self, key: str) -> Any:
        s3 = await self._s3()
        with _translated(key):
            return await s3.get_object(Bucket=self.bucket, Key=self._object_key(key))

    async def read(self, key: str) -> bytes:
        answer = await self._get(key)
        with _translated(key):
            async with answer["Body"] as body:
                return bytes(await body.read())

    async def stream(self, key: str) -> AsyncIterator[bytes]:
        answer = await self._get(key)

        async def chunks() -> AsyncIterator[bytes]:
            async with answer["Body"] as body:
                async for chunk in body.iter_chunks(CHUNK_BYTES):
                    yield chunk

        return chunks()

    async def _head(self, key: str) -> dict[str, Any]:
        s3 = await self._s3()
        with _translated(key):
            head: dict[str, Any] = await s3.head_object(
                Bucket=self.bucket, Key=self._object_key(key), ChecksumMode="ENABLED"
            )
            return head

    async def checksum(self, key: str) -> str | None:
        try:
            head = await self._head(key)
        except StoredFileMissing:
            return None
        if head.get("ChecksumSHA256"):
            return _hex_of_base64(head["ChecksumSHA256"])
        metadata: dict[str, str] = head.get("Metadata") or {}
        return metadata.get("sha256")

    async def delete(self, key: str) -> None:
        s3 = await self._s3()
        with _translated(key):
            await s3.delete_object(Bucket=self.bucket, Key=self._object_key(key))

    async def download_url(self, key: str, facts: FileFacts) -> str | None:
        if self.settings.storage_downloads != "presigned":
            return None
        # Asked first, so that a link to vanished bytes is a clear error here, not the
        # bucket's XML in the browser.
        await self._head(key)
        s3 = await self._s3()
        url: str = await s3.generate_presigned_url(
            "get_object",
            Params={
                "Bucket": self.bucket,
                "Key": self._object_key(key),
                "ResponseContentType": facts.content_type,
                "ResponseContentDisposition": facts.content_disposition,
            },
            ExpiresIn=self.settings.storage_presign_seconds,
        )
        return url

    async def close(self) -> None:
        await self._stack.aclose()
        self._client = None


@contextmanager
def _translated(key: str) -> Iterator[None]:
    """botocore's errors as the storage's own: missing bytes, or a store to retry later."""
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        yield
    except ClientError as error:
        code = str(error.response.get("Error", {}).get("Code", ""))
        if code in {"NoSuchKey", "404", "NotFound"}:
            raise StoredFileMissing(key) from error
        raise StorageUnavailable(f"{code}: {error}") from error
    except (BotoCoreError, OSError) as error:
        raise StorageUnavailable(str(error)) from error


def _base64_of_hex(digest: str) -> str:
    return base64.b64encode(bytes.fromhex(digest)).decode()


def _hex_of_base64(digest: str) -> str:
    try:
        return base64.b64decode(digest.split("-", 1)[0]).hex()
    except (binascii.Error, ValueError):
        return ""


def open_storage(url: str, settings: Settings | None = None) -> Storage:
    """The backend a URL names: ``s3://bucket/prefix``, or a folder (a path or ``file://``)."""
    settings = settings or get_settings()
    parts = urlsplit(url)
    if parts.scheme == "s3":
        if not parts.netloc:
            raise ValueError(f"no bucket in {url!r}")
        return S3Storage(parts.netloc, parts.path, settings)
    if parts.scheme in ("", "file"):
        return LocalStorage(Path(parts.path if parts.scheme else url))
    raise ValueError(f"not a storage URL: {url!r} (s3://bucket/prefix or a folder)")


_opened: dict[str, Storage] = {}


def default_storage() -> Storage:
    """The configured backend: the bucket of ``LOHUB_STORAGE_URL``, else the folder of
    ``LOHUB_STORAGE_DIR``. One per URL in a process, so the bucket's client is reused."""
    settings = get_settings()
    url = settings.storage_url or settings.storage_dir
    if url not in _opened:
        _opened[url] = open_storage(url, settings)
    return _opened[url]


async def close_storage() -> None:
    for storage in _opened.values():
        await storage.close()
    _opened.clear()


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# Shown in the browser rather than saved: images only. A PDF is saved, because the sandboxing
# policy files are served with stops browsers' PDF viewers, and an image cannot run script.
INLINE_TYPES = frozenset({"image/png", "image/jpeg", "image/webp", "image/gif"})


def content_disposition(filename: str, content_type: str | None = None) -> str:
    """``attachment`` (``inline`` for the image types above) with the exact name in
    ``filename*`` (UTF-8, percent-encoded: RFC 6266, RFC 8187 which replaced RFC 5987) and an
    ASCII ``filename`` for clients that lack it."""
    fallback = _NOT_FOR_FALLBACK.sub("_", filename)
    disposition = "inline" if content_type in INLINE_TYPES else "attachment"
    return f"{disposition}; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"
