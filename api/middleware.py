"""Pure ASGI middleware: request id, access log and metrics, and the request-body cap."""

import json
import logging
import re
import time
import uuid
from functools import lru_cache
from ipaddress import IPv4Network, IPv6Network, ip_address, ip_network
from typing import Any

from prometheus_client import Counter, Histogram
from starlette.requests import HTTPConnection, Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.logging import current_request_id
from api.settings import get_settings

access_log = logging.getLogger("lohub.access")

REQUESTS = Counter(
    "lohub_http_requests_total", "HTTP requests answered", ["method", "route", "status"]
)
LATENCY = Histogram("lohub_http_request_duration_seconds", "HTTP request latency", ["route"])
KNOWN_ROUTES = {"/graphql", "/healthz", "/readyz", "/metrics"}
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


def request_id_of(request: Request) -> str | None:
    return request.scope.get("state", {}).get("request_id")


def client_address(connection: HTTPConnection) -> str:
    """The client's address, the one rule for throttling and audit: the peer's address, unless
    the peer is a configured proxy (``LOHUB_TRUSTED_PROXIES``, none by default); then
    ``X-Forwarded-For`` is read from the right, past the trusted proxies, and the first address
    that is not one of them is the client. Entries to its left are the client's own say and are
    never believed. ``lohub serve`` runs uvicorn without its own proxy-header handling, so this
    is the only place that decides."""
    peer = connection.client.host if connection.client else "unknown"
    proxies = _trusted_proxies(tuple(get_settings().trusted_proxies))
    if not proxies or not _is_trusted(peer, proxies):
        return peer
    hops = [
        hop.strip()
        for header in connection.headers.getlist("x-forwarded-for")
        for hop in header.split(",")
    ]
    address = peer
    for hop in reversed(hops):
        if not _is_ip(hop):
            break  # garbled: stop at the last address a trusted proxy vouched for
        address = hop
        if not _is_trusted(hop, proxies):
            break
    return address


@lru_cache
def _trusted_proxies(entries: tuple[str, ...]) -> tuple[IPv4Network | IPv6Network, ...]:
    return tuple(ip_network(entry, strict=False) for entry in entries)


def _is_trusted(address: str, proxies: tuple[IPv4Network | IPv6Network, ...]) -> bool:
    try:
        ip = ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in proxies)


def _is_ip(text: str) -> bool:
    try:
        ip_address(text)
    except ValueError:
        return False
    return True


class RequestContextMiddleware:
    """Gives each request an id (the client's ``X-Request-ID`` if well-formed), echoes it, and
    logs and counts the response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        offered = headers.get(b"x-request-id", b"").decode("latin-1")
        request_id = offered if _REQUEST_ID.match(offered) else uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id
        token = current_request_id.set(request_id)
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], (b"x-request-id", request_id.encode())]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            elapsed = time.perf_counter() - started
            route = scope["path"] if scope["path"] in KNOWN_ROUTES else "other"
            REQUESTS.labels(scope["method"], route, str(status)).inc()
            LATENCY.labels(route).observe(elapsed)
            access_log.info(
                "request",
                extra={
                    "method": scope["method"],
                    "path": scope["path"],
                    "status": status,
                    "duration_ms": round(elapsed * 1000, 2),
                },
            )
            current_request_id.reset(token)


class _BodyTooLarge(Exception):
    pass


class BodySizeLimitMiddleware:
    """Refuses bodies over the limit with 413, by Content-Length or while streaming: ``max_bytes``
    for ordinary requests, ``max_multipart_bytes`` for multipart uploads."""

    def __init__(self, app: ASGIApp, max_bytes: int, max_multipart_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.max_multipart_bytes = max_multipart_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        multipart = headers.get(b"content-type", b"").startswith(b"multipart/form-data")
        limit = self.max_multipart_bytes if multipart else self.max_bytes
        declared = headers.get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            await self._refuse(send, limit)
            return
        received = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise _BodyTooLarge
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except _BodyTooLarge:
            if not started:
                await self._refuse(send, limit)

    async def _refuse(self, send: Send, limit: int) -> None:
        body: dict[str, Any] = {"errors": [{"message": f"Request body larger than {limit} bytes"}]}
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [(b"content-type", b"application/json")],
            }
        )
        await send({"type": "http.response.body", "body": json.dumps(body).encode()})
