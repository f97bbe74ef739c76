"""A real S3-compatible server on loopback for the storage tests: moto's server mode (the S3
HTTP API, in a thread of the test process), and a proxy in front of it that can cut uploads
halfway."""

import asyncio
import logging
import secrets
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass
from typing import Any

import pytest

from services import storage
from services.settings import get_settings
from services.storage import S3Storage
from tests.live import HOST, free_port


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    from moto.server import ThreadedMotoServer  # Flask and all of moto: only when asked for

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # one line per request otherwise
    port = free_port()
    server = ThreadedMotoServer(ip_address=HOST, port=port, verbose=False)
    server.start()
    try:
        yield f"http://{HOST}:{port}"
    finally:
        server.stop()


def s3_environment(endpoint: str, bucket: str, downloads: str = "presigned") -> dict[str, str]:
    """The settings that put LO Hub's files in ``bucket`` (for this process or a child)."""
    return {
        "LOHUB_STORAGE_URL": f"s3://{bucket}/files",
        "LOHUB_STORAGE_S3_ENDPOINT_URL": endpoint,
        "LOHUB_STORAGE_S3_ACCESS_KEY_ID": "lohub-test",
        "LOHUB_STORAGE_S3_SECRET_ACCESS_KEY": "lohub-test-secret",
        "LOHUB_STORAGE_DOWNLOADS": downloads,
    }


async def create_bucket(endpoint: str) -> str:
    bucket = f"lohub-{secrets.token_hex(4)}"
    with pytest.MonkeyPatch.context() as patch:
        for name, value in s3_environment(endpoint, bucket).items():
            patch.setenv(name, value)
        get_settings.cache_clear()
        admin = S3Storage(bucket, "", get_settings())
        try:
            await (await admin._s3()).create_bucket(Bucket=bucket)
        finally:
            await admin.close()
    get_settings.cache_clear()
    return bucket


@dataclass
class Bucket:
    """The bucket LO Hub writes to in a test, and a client to look into it."""

    name: str
    endpoint: str
    client: Any

    async def keys(self) -> list[str]:
        listed = await self.client.list_objects_v2(Bucket=self.name)
        return sorted(item["Key"] for item in listed.get("Contents", []))

    async def head(self, key: str) -> dict[str, Any]:
        head: dict[str, Any] = await self.client.head_object(
            Bucket=self.name, Key=f"files/{key[:2]}/{key}", ChecksumMode="ENABLED"
        )
        return head

    async def remove(self, key: str) -> None:
        await self.client.delete_object(Bucket=self.name, Key=f"files/{key[:2]}/{key}")


@asynccontextmanager
async def use_bucket(
    monkeypatch: pytest.MonkeyPatch, endpoint: str, downloads: str = "presigned"
) -> AsyncIterator[Bucket]:
    """LO Hub's storage in a fresh bucket while the block runs."""
    name = await create_bucket(endpoint)
    for variable, value in s3_environment(endpoint, name, downloads).items():
        monkeypatch.setenv(variable, value)
    get_settings.cache_clear()
    await storage.close_storage()
    looker = S3Storage(name, "", get_settings())
    try:
        yield Bucket(name, endpoint, await looker._s3())
    finally:
        await looker.close()
        await storage.close_storage()
        monkeypatch.undo()
        get_settings.cache_clear()


class CuttingProxy:
    """TCP on loopback to ``upstream``; while ``cutting``, each connection is dropped once
    ``after`` bytes of the request went through: an upload that fails halfway."""

    def __init__(self, upstream_port: int, after: int) -> None:
        self.upstream_port = upstream_port
        self.after = after
        self.cutting = False
        self.cuts = 0
        self.port = 0
        self._server: asyncio.Server | None = None

    async def __aenter__(self) -> "CuttingProxy":
        self._server = await asyncio.start_server(self._serve, HOST, 0)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(self, *_: object) -> None:
        assert self._server is not None
        self._server.close()
        with suppress(Exception):
            await asyncio.wait_for(self._server.wait_closed(), 2)

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        up_reader, up_writer = await asyncio.open_connection(HOST, self.upstream_port)

        async def upstream() -> None:
            sent = 0
            while chunk := await reader.read(16_384):
                if self.cutting and sent + len(chunk) > self.after:
                    up_writer.write(chunk[: self.after - sent])
                    self.cuts += 1
                    break
                sent += len(chunk)
                up_writer.write(chunk)
                await up_writer.drain()

        async def downstream() -> None:
            while chunk := await up_reader.read(16_384):
                writer.write(chunk)
                await writer.drain()

        tasks = [asyncio.create_task(upstream()), asyncio.create_task(downstream())]
        with suppress(Exception):
            await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        for task in tasks:
            task.cancel()
        for stream in (writer, up_writer):
            stream.transport.abort()


def endpoint_port(endpoint: str) -> int:
    return int(endpoint.rsplit(":", 1)[1])
