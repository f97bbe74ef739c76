"""Fakes of the publishing channels' HTTP APIs, served for real on loopback (127.0.0.1, an
ephemeral port) by uvicorn in a thread, answering with the real APIs' paths, status codes and
error bodies — and scriptable to fail.

- WordPress REST: ``GET/POST /wp-json/wp/v2/posts``, ``DELETE /wp-json/wp/v2/posts/{id}``,
  ``POST /wp-json/wp/v2/media``; application passwords (HTTP Basic); errors
  ``{"code", "message", "data": {"status"}}``.
- Facebook Graph: ``GET/POST /{page-id}/feed``, ``DELETE /{post-id}``; errors
  ``{"error": {"message", "type", "code", "error_subcode", "fbtrace_id"}}``; throttling codes 4,
  17, 32, 613; 190 for an expired token.
- LINE Messaging: ``POST /v2/bot/message/broadcast``, ``/narrowcast`` and ``/push`` with
  ``X-Line-Retry-Key`` (a repeated key is 409 with ``x-line-accepted-request-id``), 429, 401.

Faults (``Faults``): ``error`` (5xx before doing anything), ``error_after`` (did it, then 5xx),
``throttle`` (429, or Facebook's throttling codes), ``slow`` (did it, answered after the client
gave up), ``reset`` (did it, then dropped the connection mid-response), ``reset_before``,
``expired`` (token refused), ``forbidden`` (Facebook: 403, code 200, a permissions error).
"""

import asyncio
import base64
import hashlib
import hmac
import json
import random
import secrets
import threading
import time
from collections import Counter, deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

LINE_AUTH_FAILED = (
    "Authentication failed. Confirm that the access token in the authorization header is valid."
)
FAULTS = (
    "error",
    "error_after",
    "throttle",
    "slow",
    "reset",
    "reset_before",
    "expired",
    "forbidden",
)


@dataclass
class Faults:
    """Which requests fail and how: a scripted queue first, then a seeded random rate."""

    rate: float = 0.0
    kinds: tuple[str, ...] = ("error", "error_after", "throttle", "slow", "reset")
    seed: int = 6
    slow_seconds: float = 1.0
    retry_after: str | None = "1"
    script: deque[str | None] = field(default_factory=deque)
    # Only requests that change something fail at random (lookups too when set).
    reads_fail: bool = False

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)
        self.lock = threading.Lock()
        self.seen: Counter[str] = Counter()

    def next(self, writes: bool) -> str | None:
        with self.lock:
            if self.script:
                fault = self.script.popleft()
            elif (writes or self.reads_fail) and self.rng.random() < self.rate:
                fault = self.rng.choice(self.kinds)
            else:
                fault = None
            if fault:
                self.seen[fault] += 1
            return fault


class _Reset(Exception):
    """Drop the connection after the response has started."""


class ResetMiddleware:
    """Turns ``_Reset`` into a connection dropped mid-response (the client sees a broken read)."""

    def __init__(self, app: Callable[[Scope, Receive, Send], Awaitable[None]]) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await self.app(scope, receive, send)
        except _Reset:
            await send({"type": "http.response.start", "status": 200, "headers": []})
            await send({"type": "http.response.body", "body": b'{"partial', "more_body": True})
            raise RuntimeError("connection dropped on purpose") from None


class FakeChannel:
    """Shared plumbing: the fault step around each handler, and the server."""

    def __init__(self, faults: Faults | None = None) -> None:
        self.faults = faults or Faults()
        self.lock = threading.Lock()
        self.requests: Counter[str] = Counter()
        self.server: uvicorn.Server | None = None
        self.thread: threading.Thread | None = None
        self.base_url = ""

    def app(self) -> Any:
        raise NotImplementedError

    async def faulty(
        self,
        request: Request,
        act: Callable[[], Awaitable[Response]],
        errors: dict[str, Callable[[], Response]],
        *,
        writes: bool = True,
    ) -> Response:
        self.requests[f"{request.method} {request.url.path}"] += 1
        fault = self.faults.next(writes)
        if fault in errors:
            return errors[fault]()
        if fault == "reset_before":
            raise _Reset()
        response = await act()
        if fault == "error_after":
            return errors["error"]()
        if fault == "slow":
            await asyncio.sleep(self.faults.slow_seconds)
        if fault == "reset":
            raise _Reset()
        return response

    def __enter__(self) -> "FakeChannel":
        config = uvicorn.Config(
            ResetMiddleware(self.app()),
            host="127.0.0.1",
            port=0,
            log_level="critical",
            lifespan="off",
            timeout_graceful_shutdown=1,
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("fake server did not start")
            time.sleep(0.01)
        port = self.server.servers[0].sockets[0].getsockname()[1]
        self.base_url = f"http://127.0.0.1:{port}"
        return self

    def __exit__(self, *exc: object) -> None:
        assert self.server and self.thread
        self.server.should_exit = True
        self.thread.join(timeout=5)


# -- WordPress -------------------------------------------------------------------------------


def _wp_error(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse({"code": code, "message": message, "data": {"status": status}}, status)


class FakeWordPress(FakeChannel):
    def __init__(
        self, faults: Faults | None = None, *, user: str = "lohub", password: str = "abcd efgh"
    ) -> None:
        super().__init__(faults)
        self.user, self.password = user, password
        self.posts: dict[int, dict[str, Any]] = {}
        self.media: dict[int, dict[str, Any]] = {}
        self.next_id = 100

    def _authorised(self, request: Request) -> bool:
        scheme, _, value = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "basic":
            return False
        try:
            user, _, password = base64.b64decode(value).decode().partition(":")
        except ValueError:
            return False
        return (user, password) == (self.user, self.password)

    def _errors(self) -> dict[str, Callable[[], Response]]:
        throttled = _wp_error(429, "too_many_requests", "Too many requests.")
        if self.faults.retry_after:
            throttled.headers["retry-after"] = self.faults.retry_after
        return {
            "error": lambda: _wp_error(
                500, "internal_server_error", "There has been a critical error on this website."
            ),
            "throttle": lambda: throttled,
            "expired": lambda: _wp_error(
                401,
                "incorrect_password",
                "The provided password is an invalid application password.",
            ),
        }

    def app(self) -> Any:
        async def posts(request: Request) -> Response:
            if not self._authorised(request):
                return _wp_error(401, "rest_not_logged_in", "You are not currently logged in.")
            if request.method == "GET":

                async def find() -> Response:
                    slug = request.query_params.get("slug")
                    with self.lock:
                        found = [p for p in self.posts.values() if p["slug"] == slug]
                    return JSONResponse(found)

                return await self.faulty(request, find, self._errors(), writes=False)
            body = await request.json()

            async def create() -> Response:
                if not body.get("title"):
                    return _wp_error(400, "empty_content", "Content, title, and excerpt are empty.")
                with self.lock:
                    post_id = self.next_id
                    self.next_id += 1
                    slug = body.get("slug") or str(post_id)
                    # WordPress keeps slugs unique by renaming the newcomer.
                    taken = {p["slug"] for p in self.posts.values()}
                    final = slug
                    n = 2
                    while final in taken:
                        final, n = f"{slug}-{n}", n + 1
                    post = {
                        "id": post_id,
                        "slug": final,
                        "status": body.get("status", "draft"),
                        "title": {"rendered": body["title"]},
                        "content": {"rendered": body.get("content", "")},
                        "featured_media": body.get("featured_media", 0),
                        "link": f"{self.base_url}/{final}/",
                        "requested_slug": slug,
                    }
                    self.posts[post_id] = post
                return JSONResponse(post, 201)

            return await self.faulty(request, create, self._errors())

        async def post(request: Request) -> Response:
            if not self._authorised(request):
                return _wp_error(401, "rest_not_logged_in", "You are not currently logged in.")
            post_id = int(request.path_params["id"])

            async def delete() -> Response:
                with self.lock:
                    found = self.posts.get(post_id)
                    if found is None:
                        return _wp_error(404, "rest_post_invalid_id", "Invalid post ID.")
                    found["status"] = "trash"
                return JSONResponse(found)

            return await self.faulty(request, delete, self._errors())

        async def media(request: Request) -> Response:
            if not self._authorised(request):
                return _wp_error(401, "rest_not_logged_in", "You are not currently logged in.")
            data = await request.body()

            async def upload() -> Response:
                if "attachment" not in request.headers.get("content-disposition", ""):
                    return _wp_error(400, "rest_upload_no_content_disposition", "No filename.")
                with self.lock:
                    media_id = self.next_id
                    self.next_id += 1
                    self.media[media_id] = {
                        "id": media_id,
                        "size": len(data),
                        "mime_type": request.headers.get("content-type"),
                    }
                return JSONResponse(self.media[media_id], 201)

            return await self.faulty(request, upload, self._errors())

        return Starlette(
            routes=[
                Route("/wp-json/wp/v2/posts", posts, methods=["GET", "POST"]),
                Route("/wp-json/wp/v2/posts/{id:int}", post, methods=["DELETE"]),
                Route("/wp-json/wp/v2/media", media, methods=["POST"]),
            ]
        )

    def live_posts_by_requested_slug(self) -> Counter[str]:
        with self.lock:
            return Counter(
                p["requested_slug"] for p in self.posts.values() if p["status"] != "trash"
            )


# -- Facebook --------------------------------------------------------------------------------


def _fb_error(
    status: int,
    code: int,
    message: str,
    *,
    kind: str = "OAuthException",
    subcode: int | None = None,
) -> JSONResponse:
    return JSONResponse(
        {
            "error": {
                "message": message,
                "type": kind,
                "code": code,
                "error_subcode": subcode,
                "fbtrace_id": secrets.token_urlsafe(8),
            }
        },
        status,
    )


class FakeFacebook(FakeChannel):
    def __init__(
        self, faults: Faults | None = None, *, page_id: str = "1122334455", token: str = "EAAB-page"
    ) -> None:
        super().__init__(faults)
        self.page_id, self.token = page_id, token
        # Facebook's wait hint on throttling, in minutes (None: no usage header).
        self.regain_minutes: float | None = 0
        self.posts: list[dict[str, Any]] = []  # newest last
        self.deleted: set[str] = set()

    def _token(self, request: Request, form: dict[str, list[str]] | None = None) -> str | None:
        scheme, _, value = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() in ("bearer", "oauth"):
            return value
        return (
            request.query_params.get("access_token") or (form or {}).get("access_token", [None])[0]
        )

    def _throttled(self, code: int) -> Response:
        response = _fb_error(
            400, code, f"(#{code}) Application request limit reached", kind="OAuthException"
        )
        if self.regain_minutes is not None:
            usage = {
                self.page_id: [
                    {
                        "type": "pages",
                        "call_count": 100,
                        "total_cputime": 10,
                        "total_time": 10,
                        "estimated_time_to_regain_access": self.regain_minutes,
                    }
                ]
            }
            response.headers["x-business-use-case-usage"] = json.dumps(usage)
        return response

    def _errors(self) -> dict[str, Callable[[], Response]]:
        code = random.choice([4, 17, 32, 613])
        return {
            "error": lambda: _fb_error(
                500, 2, "An unexpected error has occurred. Please retry your request later."
            ),
            "throttle": lambda: self._throttled(code),
            "expired": lambda: _fb_error(
                400, 190, "Error validating access token: Session has expired.", subcode=463
            ),
            "forbidden": lambda: _fb_error(403, 200, "(#200) Permissions error"),
        }

    def app(self) -> Any:
        async def feed(request: Request) -> Response:
            form = parse_qs((await request.body()).decode()) if request.method == "POST" else {}
            if request.path_params["page"] != self.page_id:
                return _fb_error(
                    400,
                    100,
                    "Unsupported request: object does not exist",
                    kind="GraphMethodException",
                    subcode=33,
                )
            if self._token(request, form) != self.token:
                return _fb_error(400, 190, "Invalid OAuth access token - Cannot parse access token")
            if request.method == "GET":

                async def list_feed() -> Response:
                    since = int(request.query_params.get("since", "0"))
                    limit = min(int(request.query_params.get("limit", "25")), 100)
                    start = int(request.query_params.get("after", "0") or 0)
                    with self.lock:
                        live = [
                            p
                            for p in reversed(self.posts)
                            if p["id"] not in self.deleted and p["created"] >= since
                        ]
                    page = live[start : start + limit]
                    body: dict[str, Any] = {"data": page}
                    if start + limit < len(live):
                        body["paging"] = {
                            "cursors": {"after": str(start + limit)},
                            "next": f"{self.base_url}/{self.page_id}/feed?after={start + limit}",
                        }
                    return JSONResponse(body)

                return await self.faulty(request, list_feed, self._errors(), writes=False)

            async def create() -> Response:
                message = form.get("message", [""])[0]
                if not message and not form.get("link"):
                    return _fb_error(
                        400, 100, "(#100) Missing message or attachment", kind="OAuthException"
                    )
                with self.lock:
                    post_id = f"{self.page_id}_{len(self.posts) + 1000}"
                    self.posts.append(
                        {
                            "id": post_id,
                            "message": message,
                            "link": form.get("link", [None])[0],
                            "permalink_url": f"https://www.facebook.com/{post_id}",
                            "created": int(time.time()),
                        }
                    )
                return JSONResponse({"id": post_id})

            return await self.faulty(request, create, self._errors())

        async def node(request: Request) -> Response:
            if self._token(request) != self.token:
                return _fb_error(400, 190, "Invalid OAuth access token - Cannot parse access token")
            post_id = request.path_params["post"]

            async def delete() -> Response:
                with self.lock:
                    if post_id in self.deleted or all(p["id"] != post_id for p in self.posts):
                        return _fb_error(
                            400,
                            100,
                            "(#100) The post does not exist",
                            kind="GraphMethodException",
                            subcode=33,
                        )
                    self.deleted.add(post_id)
                return JSONResponse({"success": True})

            return await self.faulty(request, delete, self._errors())

        return Starlette(
            routes=[
                Route("/{page}/feed", feed, methods=["GET", "POST"]),
                Route("/{post}", node, methods=["DELETE"]),
            ]
        )

    def live_posts_by_link(self) -> Counter[str]:
        with self.lock:
            return Counter(p["link"] for p in self.posts if p["id"] not in self.deleted)


# -- LINE ------------------------------------------------------------------------------------


class FakeLine(FakeChannel):
    def __init__(self, faults: Faults | None = None, *, token: str = "line-channel-token") -> None:
        super().__init__(faults)
        self.token = token
        self.accepted: dict[str, dict[str, Any]] = {}  # retry key → message

    def _errors(self) -> dict[str, Callable[[], Response]]:
        throttled = JSONResponse(
            {"message": "The API rate limit has been exceeded. Try again later."}, 429
        )
        if self.faults.retry_after:
            throttled.headers["retry-after"] = self.faults.retry_after
        return {
            "error": lambda: JSONResponse({"message": "An error occurred in the backend"}, 500),
            "throttle": lambda: throttled,
            "expired": lambda: JSONResponse(
                {"message": LINE_AUTH_FAILED},
                401,
            ),
        }

    def app(self) -> Any:
        async def send(request: Request) -> Response:
            if request.headers.get("authorization") != f"Bearer {self.token}":
                return JSONResponse(
                    {"message": LINE_AUTH_FAILED},
                    401,
                )
            body = await request.json()
            key = request.headers.get("x-line-retry-key")
            narrowcast = request.url.path.endswith("narrowcast")

            async def accept() -> Response:
                if not body.get("messages"):
                    return JSONResponse(
                        {
                            "message": "The request body has 1 error(s)",
                            "details": [{"message": "must be specified", "property": "messages"}],
                        },
                        400,
                    )
                with self.lock:
                    if key and key in self.accepted:
                        return JSONResponse(
                            {"message": "The retry key is already accepted"},
                            409,
                            headers={
                                "x-line-request-id": secrets.token_hex(8),
                                "x-line-accepted-request-id": self.accepted[key]["request_id"],
                            },
                        )
                    request_id = secrets.token_hex(8)
                    self.accepted[key or request_id] = {
                        "request_id": request_id,
                        "text": body["messages"][0].get("text", ""),
                        "recipient": body.get("recipient"),
                        "to": body.get("to"),  # a push message's LINE user id
                    }
                return JSONResponse(
                    {}, 202 if narrowcast else 200, headers={"x-line-request-id": request_id}
                )

            return await self.faulty(request, accept, self._errors())

        return Starlette(
            routes=[
                Route("/v2/bot/message/broadcast", send, methods=["POST"]),
                Route("/v2/bot/message/narrowcast", send, methods=["POST"]),
                Route("/v2/bot/message/push", send, methods=["POST"]),
            ]
        )

    def expire_retry_keys(self) -> None:
        """A day has passed: LINE no longer recognises the keys it accepted (24 hours)."""
        with self.lock:
            self.accepted = {f"expired:{k}": m for k, m in self.accepted.items()}

    def messages_mentioning(self, marker: str) -> int:
        with self.lock:
            return sum(marker in m["text"] for m in self.accepted.values())

    def texts(self) -> list[str]:
        with self.lock:
            return [m["text"] for m in self.accepted.values()]


# -- SMTP ------------------------------------------------------------------------------------


class FakeSmtp:
    """A real SMTP server (aiosmtpd) on loopback, in the test's event loop: keeps every message
    it accepts. ``async with FakeSmtp() as smtp`` starts it on an ephemeral port."""

    def __init__(self) -> None:
        self.messages: list[Any] = []  # aiosmtpd envelopes: mail_from, rcpt_tos, content
        self.port = 0
        self._server: asyncio.Server | None = None

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(envelope)
        return "250 Message accepted for delivery"

    async def __aenter__(self) -> "FakeSmtp":
        from aiosmtpd.smtp import SMTP

        loop = asyncio.get_running_loop()
        self._server = await loop.create_server(
            lambda: SMTP(self, hostname="smtp.lohub.test"), "127.0.0.1", 0
        )
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self._server
        self._server.close()
        await self._server.wait_closed()

    def recipients(self) -> list[str]:
        return [to for m in self.messages for to in m.rcpt_tos]


# -- a webhook receiver ----------------------------------------------------------------------


class FakeWebhook(FakeChannel):
    """A department system receiving LO Hub's webhook: ``POST /hooks/lohub`` checks the
    HMAC-SHA256 signature over ``<timestamp>.<body>`` with its own copy of the secret (401 when
    it does not match or the timestamp is over five minutes off) and keeps one delivery per
    ``Idempotency-Key``, answering a repeat with the first one's id."""

    path = "/hooks/lohub"

    def __init__(self, faults: Faults | None = None, *, secret: str = "webhook-secret") -> None:
        super().__init__(faults)
        self.secret = secret
        self.deliveries: dict[str, dict[str, Any]] = {}  # idempotency key → delivery
        self.refused = 0

    @property
    def url(self) -> str:
        return self.base_url + self.path

    def _signed(self, request: Request, body: bytes) -> bool:
        timestamp = request.headers.get("x-lohub-timestamp", "")
        if not timestamp.isdigit() or abs(time.time() - int(timestamp)) > 300:
            return False
        digest = hmac.new(self.secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
        expected = "sha256=" + digest.hexdigest()
        return hmac.compare_digest(expected, request.headers.get("x-lohub-signature", ""))

    def app(self) -> Any:
        async def receive(request: Request) -> Response:
            body = await request.body()
            if not self._signed(request, body):
                with self.lock:
                    self.refused += 1
                return JSONResponse({"error": "bad signature"}, 401)
            key = request.headers.get("idempotency-key", "")

            async def accept() -> Response:
                with self.lock:
                    delivery = self.deliveries.setdefault(
                        key,
                        {
                            "id": f"hook-{len(self.deliveries) + 1}",
                            "event": request.headers.get("x-lohub-event"),
                            "body": json.loads(body),
                        },
                    )
                return JSONResponse({"id": delivery["id"]}, 200)

            errors: dict[str, Callable[[], Response]] = {
                "error": lambda: JSONResponse({"error": "unavailable"}, 500)
            }
            return await self.faulty(request, accept, errors)

        return Starlette(routes=[Route(self.path, receive, methods=["POST"])])

    def bodies(self, event: str = "work.published") -> list[dict[str, Any]]:
        with self.lock:
            return [d["body"] for d in self.deliveries.values() if d["event"] == event]
