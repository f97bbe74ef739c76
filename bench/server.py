"""A throw-away LO Hub for benchmarks: its own SQLite database, and `lohub serve` processes that
are always stopped. Every address here is loopback."""

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
from cryptography.fernet import Fernet

HOST = "127.0.0.1"
BIN = Path(sys.executable).parent
LOHUB = BIN / "lohub"
START_TIMEOUT_S = 30.0
STOP_TIMEOUT_S = 10.0
POLL_INTERVAL_S = 0.01


@dataclass(frozen=True)
class Sandbox:
    """A temporary directory holding the database and server logs, and the child environment."""

    root: Path
    env: dict[str, str]
    admin_password: str


def make_sandbox(root: Path) -> Sandbox:
    """Production settings (as the container runs), with a fresh database and a known admin
    password. Inherited LOHUB_* variables are dropped so a developer's setup can't leak in."""
    admin_password = secrets.token_urlsafe(16)
    env = {k: v for k, v in os.environ.items() if not k.startswith("LOHUB_")}
    env.update(
        LOHUB_ENV="production",
        LOHUB_SECRET_KEY=secrets.token_urlsafe(48),
        LOHUB_SECRET_KEYS=Fernet.generate_key().decode(),
        LOHUB_DATABASE_URL=f"sqlite://{root / 'bench.sqlite3'}",
        LOHUB_DEMO_ADMIN_PASSWORD=admin_password,
        LOHUB_LOG_LEVEL="INFO",
    )
    return Sandbox(root=root, env=env, admin_password=admin_password)


def prepare_database(sandbox: Sandbox) -> None:
    for command in ("migrate", "demo"):
        result = subprocess.run(
            [str(LOHUB), command],
            env=sandbox.env,
            cwd=sandbox.root,  # away from the checkout, so no .env or data/ is picked up
            capture_output=True,
            text=True,
            timeout=120,
        )
        if result.returncode != 0:
            raise RuntimeError(f"lohub {command} failed:\n{result.stdout}{result.stderr}")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def base_url(port: int) -> str:
    return f"http://{HOST}:{port}"


@contextmanager
def running_server(
    sandbox: Sandbox, port: int, workers: int = 1
) -> Iterator[subprocess.Popen[bytes]]:
    """`lohub serve` with ``workers`` workers (one by default); stopped (SIGTERM, then SIGKILL)
    however the block ends. Its log goes to a file: an unread pipe would fill up and stall the
    server."""
    log_path = sandbox.root / f"serve-{port}.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [str(LOHUB), "serve", "--host", HOST, "--port", str(port), "--workers", str(workers)],
            env=sandbox.env,
            cwd=sandbox.root,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            yield process
        finally:
            stop(process)


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=STOP_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=STOP_TIMEOUT_S)


def wait_until_healthy(process: subprocess.Popen[bytes], port: int) -> None:
    """Poll /healthz until it answers 200; bounded by START_TIMEOUT_S."""
    url = f"{base_url(port)}/healthz"
    deadline = time.monotonic() + START_TIMEOUT_S
    with httpx.Client(timeout=1.0) as client:
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"lohub serve exited with {process.returncode} before /healthz")
            try:
                if client.get(url).status_code == 200:
                    return
            except httpx.TransportError:
                pass  # not listening yet
            time.sleep(POLL_INTERVAL_S)
    raise TimeoutError(f"/healthz did not answer 200 within {START_TIMEOUT_S} s")


def seconds_to_healthy(sandbox: Sandbox) -> float:
    """From launching `lohub serve` until /healthz answers 200 (includes interpreter start,
    imports, schema build and ORM init)."""
    port = free_port()
    started = time.perf_counter()
    with running_server(sandbox, port) as process:
        wait_until_healthy(process, port)
        return time.perf_counter() - started


def seconds_to_import_app(sandbox: Sandbox) -> float:
    """`import api.app` in a fresh interpreter: imports plus the module-level create_app()."""
    code = "import time; t = time.perf_counter(); import api.app; print(time.perf_counter() - t)"
    result = subprocess.run(
        [sys.executable, "-c", code],
        env=sandbox.env,
        cwd=sandbox.root,
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    )
    return float(result.stdout.strip().splitlines()[-1])


LOGIN = """
mutation Login($input: LoginInput!) {
  login(input: $input) { session { accessToken } errors { code } }
}"""


def log_in(port: int, password: str) -> str:
    """An access token for the demo admin, through the `login` mutation."""
    variables = {"input": {"username": "admin", "password": password}}
    response = httpx.post(
        f"{base_url(port)}/graphql", json={"query": LOGIN, "variables": variables}, timeout=10
    )
    response.raise_for_status()
    login = response.json()["data"]["login"]
    if login["errors"]:
        raise RuntimeError(f"login refused: {login['errors']}")
    return str(login["session"]["accessToken"])
