"""Servers on loopback for tests where the network matters: the app in this process, or
`lohub serve` as a process of its own (on the test database, from the environment)."""

import asyncio
import os
import socket
import subprocess
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import uvicorn
from fastapi import FastAPI

HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


@asynccontextmanager
async def in_process(app: FastAPI) -> AsyncIterator[int]:
    """Serve ``app`` with uvicorn in this event loop; yields the port."""
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host=HOST, port=port, lifespan="off", log_level="warning")
    )
    task = asyncio.create_task(server.serve())
    try:
        while not server.started:  # noqa: ASYNC110 - uvicorn offers no event to wait on
            await asyncio.sleep(0.01)
        yield port
    finally:
        server.should_exit = True
        await task


async def wait_healthy(port: int, attempts: int = 600) -> None:
    async with httpx.AsyncClient() as http:
        for _ in range(attempts):
            try:
                if (await http.get(f"http://{HOST}:{port}/healthz")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.05)
    raise TimeoutError(f"nothing healthy on port {port}")


@asynccontextmanager
async def lohub_process(
    tmp: Path, *args: str, env: dict[str, str] | None = None
) -> AsyncIterator[int]:
    """`lohub serve` (extra ``args`` appended) as a process of its own; yields the port."""
    port = free_port()
    environment = {**os.environ, "LOHUB_LOG_LEVEL": "WARNING", **(env or {})}
    lohub = Path(sys.executable).parent / "lohub"
    with (tmp / f"serve-{port}.log").open("wb") as log:
        process = await asyncio.create_subprocess_exec(
            *(str(lohub), "serve", "--host", HOST, "--port", str(port), "--workers", "1", *args),
            env=environment,
            cwd=tmp,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            await wait_healthy(port)
            yield port
        finally:
            process.terminate()
            await asyncio.wait_for(process.wait(), timeout=10)


@asynccontextmanager
async def lohub_worker(
    tmp: Path, *, env: dict[str, str] | None = None, name: str = "worker"
) -> AsyncIterator[asyncio.subprocess.Process]:
    """`lohub worker` as a process of its own, once it has started; stopped with SIGTERM (a
    test may have killed it already)."""
    environment = {**os.environ, "LOHUB_LOG_LEVEL": "WARNING", **(env or {})}
    lohub = Path(sys.executable).parent / "lohub"
    log_path = tmp / f"{name}.log"
    with log_path.open("wb") as log:
        process = await asyncio.create_subprocess_exec(
            str(lohub), "worker", env=environment, cwd=tmp, stdout=log, stderr=subprocess.STDOUT
        )
        try:
            for _ in range(600):
                if b"publishing worker started" in log_path.read_bytes():
                    break
                if process.returncode is not None:
                    raise RuntimeError(f"{name} exited: {log_path.read_text()}")
                await asyncio.sleep(0.05)
            yield process
        finally:
            if process.returncode is None:
                process.terminate()
                await asyncio.wait_for(process.wait(), timeout=30)
