"""Publishing channels behind one protocol, each talking HTTP through an injected
``httpx.AsyncClient``: the department's WordPress site, the unit's Facebook Page, its LINE
Official Account, and a webhook for any other channel (the SOP's "ฯลฯ").

Never twice:
- WordPress: every work has a fixed slug (its registry number); the adapter looks for a post
  with that slug before creating one.
- Facebook has no idempotency key: after a send whose outcome is unknown (timeout, dropped
  connection, 5xx) the adapter looks through the Page's recent posts for the work's link before
  posting again.
- LINE: one ``X-Line-Retry-Key`` per publication, kept with it; a 409 means LINE already
  accepted that message.
- Webhook: every request carries an ``Idempotency-Key`` (its outbox message's id, the same on
  every attempt), so the receiver recognises a resend; it is signed (HMAC-SHA256 with the
  channel's secret over the timestamp and the body) so the receiver knows it came from LO Hub.

Failures are classified for the worker: ``RETRY`` (try again later, honouring ``retry_after``),
``CREDENTIAL`` (token expired or refused: stop and tell the administrator) and ``PERMANENT``.
Credentials never appear in errors or logs.
"""

import hashlib
import hmac
import ipaddress
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime
from enum import StrEnum
from typing import Any, Protocol

import httpx

from models.publishing import Channel
from services.settings import get_settings
from services.tokens import utcnow

# Facebook's throttling error codes (application, user, page, and "too many calls").
FACEBOOK_THROTTLING = {4, 17, 32, 613}
# LINE honours an X-Line-Retry-Key for 24 hours after the first request with it; later, a
# resend is a new broadcast. An hour's margin for clocks and the send itself.
LINE_RETRY_KEY_SAFE = timedelta(hours=23)
LINE_MAY_HAVE_BEEN_SENT = "may have been sent"
FACEBOOK_EXPIRED_TOKEN = 190
LINE_TEXT_MAX = 5000
FACEBOOK_MESSAGE_MAX = 63206
WEBSITE_TITLE_MAX = 200
WEBHOOK_BODY_MAX = 100_000
_FEED_PAGES = 10


class FailureKind(StrEnum):
    RETRY = "RETRY"
    CREDENTIAL = "CREDENTIAL"
    PERMANENT = "PERMANENT"


class ChannelError(Exception):
    """A send that did not succeed. ``ambiguous`` says the channel may have taken it anyway."""

    def __init__(
        self,
        kind: FailureKind,
        message: str,
        *,
        retry_after: float | None = None,
        ambiguous: bool = False,
        throttled: bool = False,
        status: int | None = None,
        code: int | None = None,
    ) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.retry_after = retry_after
        self.ambiguous = ambiguous
        # The channel's answer: HTTP status and its own error code (Graph API ``code``).
        self.status = status
        self.code = code
        # The channel said "too many requests": the worker waits at least its throttle pause.
        self.throttled = throttled


@dataclass(frozen=True)
class ChannelConfig:
    base_url: str
    account: str
    credential: str


@dataclass(frozen=True)
class Post:
    """What one publication says on its channel."""

    slug: str  # fixed per work: the registry number, lower case
    title: str
    message: str  # rendered from the channel's Thai template
    link: str  # the work's page: unique per work, so a Facebook post can be recognised
    retry_key: str
    cover: bytes | None = None
    cover_type: str | None = None
    cover_filename: str | None = None
    # Never after the first send under ``retry_key`` (when its outbox message was queued).
    first_attempt_at: datetime | None = None
    # The outbox message carrying this send: the webhook's idempotency key.
    message_id: int | None = None


@dataclass(frozen=True)
class Sent:
    external_id: str
    url: str | None


class ChannelAdapter(Protocol):
    """One channel. ``in_doubt`` is true when an earlier attempt may have reached it."""

    channel: Channel

    async def publish(self, config: ChannelConfig, post: Post, *, in_doubt: bool) -> Sent: ...

    async def find(self, config: ChannelConfig, post: Post) -> Sent | None:
        """The post an earlier, uncertain send made, if the channel can tell."""
        ...

    async def retract(self, config: ChannelConfig, external_id: str) -> None: ...


def retry_after_seconds(response: httpx.Response) -> float | None:
    """``Retry-After`` as seconds (delta or HTTP date), if present and sensible."""
    value = response.headers.get("retry-after")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (when - utcnow()).total_seconds())


def facebook_wait_seconds(response: httpx.Response) -> float | None:
    """Facebook's own wait hint: ``estimated_time_to_regain_access`` (minutes) in the
    ``X-Business-Use-Case-Usage`` header, else ``Retry-After``."""
    waits = []
    try:
        usage = json.loads(response.headers.get("x-business-use-case-usage", "{}"))
        for entries in usage.values() if isinstance(usage, dict) else []:
            for entry in entries if isinstance(entries, list) else []:
                minutes = (
                    entry.get("estimated_time_to_regain_access")
                    if isinstance(entry, dict)
                    else None
                )
                if isinstance(minutes, int | float) and minutes >= 0:
                    waits.append(minutes * 60.0)
    except (json.JSONDecodeError, AttributeError):
        pass
    return max(waits) if waits else retry_after_seconds(response)


def _transport_error(error: httpx.HTTPError) -> ChannelError:
    # A request that never connected did not arrive; anything later may have.
    ambiguous = not isinstance(error, httpx.ConnectError)
    detail = str(error)[:200] or "network error"
    return ChannelError(FailureKind.RETRY, f"{type(error).__name__}: {detail}", ambiguous=ambiguous)


def _json(response: httpx.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        return {}
    return body if isinstance(body, dict) else {}


def _http_failure(
    response: httpx.Response, detail: str, *, server_ambiguous: bool, code: int | None = None
) -> ChannelError:
    status = response.status_code
    message = f"HTTP {status}: {detail}"[:500]
    if status == 401:
        return ChannelError(FailureKind.CREDENTIAL, message, status=status, code=code)
    if status == 429:
        return ChannelError(
            FailureKind.RETRY,
            message,
            retry_after=retry_after_seconds(response),
            throttled=True,
            status=status,
            code=code,
        )
    if status >= 500:
        return ChannelError(
            FailureKind.RETRY,
            message,
            retry_after=retry_after_seconds(response),
            ambiguous=server_ambiguous,
            status=status,
            code=code,
        )
    return ChannelError(FailureKind.PERMANENT, message, status=status, code=code)


GONE_STATUSES = (404, 410)
# Graph API: "object does not exist" (a post already deleted).
FACEBOOK_DOES_NOT_EXIST = 100


def _already_gone(error: ChannelError) -> bool:
    return error.status in GONE_STATUSES


class WordPressAdapter:
    """WordPress REST API with an application password (HTTP Basic)."""

    channel = Channel.WEBSITE

    def __init__(self, client: httpx.AsyncClient) -> None:
        self.client = client

    def _url(self, config: ChannelConfig, path: str) -> str:
        return config.base_url.rstrip("/") + "/wp-json/wp/v2" + path

    def _auth(self, config: ChannelConfig) -> httpx.BasicAuth:
        return httpx.BasicAuth(config.account, config.credential)

    async def _request(self, config: ChannelConfig, method: str, path: str, **kw: Any) -> Any:
        try:
            response = await self.client.request(
                method, self._url(config, path), auth=self._auth(config), **kw
            )
        except httpx.HTTPError as error:
            raise _transport_error(error) from None
        if response.status_code >= 400:
            body = _json(response)
            detail = f"{body.get('code', '')} {body.get('message', '')}".strip()
            raise _http_failure(response, detail or "error", server_ambiguous=True)
        return response.json()

    async def find(self, config: ChannelConfig, post: Post) -> Sent | None:
        found = await self._request(
            config,
            "GET",
            "/posts",
            params={"slug": post.slug, "status": "publish,future,draft,pending,private"},
        )
        if isinstance(found, list) and found:
            return Sent(str(found[0]["id"]), found[0].get("link"))
        return None

    async def publish(self, config: ChannelConfig, post: Post, *, in_doubt: bool) -> Sent:
        # Looked up every time, not only when in doubt: the slug is the idempotency key.
        found = await self.find(config, post)
        if found:
            return found
        body: dict[str, Any] = {
            "title": post.title,
            "content": post.message,
            "slug": post.slug,
            "status": "publish",
        }
        if post.cover:
            media = await self._request(
                config,
                "POST",
                "/media",
                content=post.cover,
                headers={
                    "content-type": post.cover_type or "application/octet-stream",
                    "content-disposition": (
                        f'attachment; filename="{post.cover_filename or post.slug}"'
                    ),
                },
            )
            body["featured_media"] = media["id"]
        created = await self._request(config, "POST", "/posts", json=body)
        return Sent(str(created["id"]), created.get("link"))

    async def retract(self, config: ChannelConfig, external_id: str) -> None:
        try:
            await self._request(config, "DELETE", f"/posts/{external_id}")
        except ChannelError as error:
            if not _already_gone(error):
                raise


class FacebookAdapter:
    """Graph API Page posts with a page access token."""

    channel = Channel.FACEBOOK

    def __init__(self, client: httpx.AsyncClient) -> None:
        self.client = client

    async def _request(self, config: ChannelConfig, method: str, path: str, **kw: Any) -> Any:
        url = config.base_url.rstrip("/") + path
        # The token goes in a header, never the URL, so no access log ever holds it.
        headers = {"authorization": f"Bearer {config.credential}"}
        try:
            response = await self.client.request(method, url, headers=headers, **kw)
        except httpx.HTTPError as error:
            raise _transport_error(error) from None
        body = _json(response)
        if response.status_code < 400 and "error" not in body:
            return body
        problem: dict[str, Any] = body["error"] if isinstance(body.get("error"), dict) else {}
        code = problem.get("code")
        code = code if isinstance(code, int) else None
        status = response.status_code
        detail = (
            f"code {code} subcode {problem.get('error_subcode')}: {problem.get('message', '')}"
            f" (fbtrace_id {problem.get('fbtrace_id')})"
        )
        if code == FACEBOOK_EXPIRED_TOKEN:
            raise ChannelError(
                FailureKind.CREDENTIAL, f"token refused, {detail}"[:500], status=status, code=code
            )
        if code in FACEBOOK_THROTTLING:
            raise ChannelError(
                FailureKind.RETRY,
                f"throttled, {detail}"[:500],
                retry_after=facebook_wait_seconds(response),
                throttled=True,
                status=status,
                code=code,
            )
        raise _http_failure(response, detail, server_ambiguous=True, code=code)

    async def find(self, config: ChannelConfig, post: Post) -> Sent | None:
        """The Page's post with the work's link, among those since the first attempt."""
        params: dict[str, Any] = {"fields": "id,message,link,permalink_url", "limit": 100}
        if post.first_attempt_at:
            params["since"] = int(post.first_attempt_at.timestamp()) - 60
        for _ in range(_FEED_PAGES):
            page = await self._request(config, "GET", f"/{config.account}/feed", params=params)
            for item in page.get("data", []):
                if item.get("link") == post.link or post.link in (item.get("message") or ""):
                    return Sent(str(item["id"]), item.get("permalink_url"))
            after = page.get("paging", {}).get("cursors", {}).get("after")
            if not after or not page.get("paging", {}).get("next"):
                return None
            params["after"] = after
        return None

    async def publish(self, config: ChannelConfig, post: Post, *, in_doubt: bool) -> Sent:
        if in_doubt:
            found = await self.find(config, post)
            if found:
                return found
        body = await self._request(
            config,
            "POST",
            f"/{config.account}/feed",
            data={"message": post.message, "link": post.link},
        )
        post_id = str(body["id"])
        return Sent(post_id, f"https://www.facebook.com/{post_id}")

    async def retract(self, config: ChannelConfig, external_id: str) -> None:
        try:
            await self._request(config, "DELETE", f"/{external_id}")
        except ChannelError as error:
            # Only a post that is not there (code 100, "does not exist"; 404, 410) counts as
            # retracted: a refusal (403, code 200, another Page's post) leaves it up, so the
            # retraction is tried again or goes DEAD where the unit lead sees it.
            if error.code != FACEBOOK_DOES_NOT_EXIST and not _already_gone(error):
                raise


def line_retry_key_expired(first_attempt_at: datetime | None, now: datetime) -> bool:
    """Whether a resend under the same retry key might no longer be recognised by LINE."""
    return first_attempt_at is not None and now - first_attempt_at >= LINE_RETRY_KEY_SAFE


class LineAdapter:
    """Messaging API broadcast (or narrowcast to an audience) with a channel access token."""

    channel = Channel.LINE

    def __init__(self, client: httpx.AsyncClient) -> None:
        self.client = client

    async def publish(self, config: ChannelConfig, post: Post, *, in_doubt: bool) -> Sent:
        if in_doubt and line_retry_key_expired(post.first_attempt_at, utcnow()):
            # An earlier send may have gone out and LINE no longer recognises its key: never
            # resent on its own (it could reach every friend twice); a person decides.
            raise ChannelError(
                FailureKind.PERMANENT,
                f"{LINE_MAY_HAVE_BEEN_SENT}: an earlier send may have reached LINE and its retry "
                "key has expired (24 hours after the first send); check the LINE Official "
                "Account, then publicationRetry with sendAgain: true to send it again",
            )
        messages = [{"type": "text", "text": post.message[:LINE_TEXT_MAX]}]
        audience = config.account.strip()
        if audience:
            path = "/v2/bot/message/narrowcast"
            body: dict[str, Any] = {
                "messages": messages,
                "recipient": {
                    "type": "audience",
                    "audienceGroupId": int(audience) if audience.isdigit() else audience,
                },
            }
        else:
            path, body = "/v2/bot/message/broadcast", {"messages": messages}
        try:
            response = await self.client.post(
                config.base_url.rstrip("/") + path,
                json=body,
                headers={
                    "authorization": f"Bearer {config.credential}",
                    "x-line-retry-key": post.retry_key,
                },
            )
        except httpx.HTTPError as error:
            raise _transport_error(error) from None
        if response.status_code == 409:
            # The same retry key was accepted before: the message went out then.
            accepted = response.headers.get("x-line-accepted-request-id") or post.retry_key
            return Sent(accepted, None)
        if response.status_code < 300:
            return Sent(response.headers.get("x-line-request-id") or post.retry_key, None)
        detail = str(_json(response).get("message", "error"))
        raise _http_failure(response, detail, server_ambiguous=False)

    async def find(self, config: ChannelConfig, post: Post) -> Sent | None:
        """LINE cannot list what was sent; a resend with the same retry key is recognised."""
        return None

    async def retract(self, config: ChannelConfig, external_id: str) -> None:
        """LINE messages cannot be taken back once delivered: retracting only records it."""


WEBHOOK_EVENT = "x-lohub-event"
WEBHOOK_TIMESTAMP = "x-lohub-timestamp"
WEBHOOK_SIGNATURE = "x-lohub-signature"
IDEMPOTENCY_KEY = "idempotency-key"


def webhook_signature(secret: str, timestamp: str, body: bytes) -> str:
    """``sha256=`` and the hex HMAC-SHA256 of ``<timestamp>.<body>`` under the channel's secret:
    the timestamp is signed too, so a captured request cannot be replayed later as new."""
    signed = timestamp.encode() + b"." + body
    return "sha256=" + hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def webhook_url_allowed(url: str, *, http_loopback: bool) -> bool:
    """An https:// address; http:// only to a loopback address, and only when allowed."""
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL:
        return False
    if not parsed.host:
        return False
    if parsed.scheme == "https":
        return True
    if parsed.scheme != "http" or not http_loopback:
        return False
    try:
        return ipaddress.ip_address(parsed.host).is_loopback
    except ValueError:
        return parsed.host == "localhost"


class WebhookAdapter:
    """A signed JSON POST to the unit's endpoint, for channels LO Hub has no adapter for. The
    body is rendered from the channel's JSON template; a retraction is a ``work.retracted``
    event. Events are named in the ``X-LOHub-Event`` header."""

    channel = Channel.WEBHOOK

    def __init__(self, client: httpx.AsyncClient) -> None:
        self.client = client

    async def _send(
        self, config: ChannelConfig, event: str, body: bytes, key: str
    ) -> httpx.Response:
        if not webhook_url_allowed(
            config.base_url, http_loopback=get_settings().webhook_allow_http_loopback
        ):
            raise ChannelError(FailureKind.PERMANENT, "the endpoint must be an https:// address")
        timestamp = str(int(utcnow().timestamp()))
        headers = {
            "content-type": "application/json",
            WEBHOOK_EVENT: event,
            WEBHOOK_TIMESTAMP: timestamp,
            WEBHOOK_SIGNATURE: webhook_signature(config.credential, timestamp, body),
            IDEMPOTENCY_KEY: key,
        }
        try:
            response = await self.client.post(config.base_url, content=body, headers=headers)
        except httpx.HTTPError as error:
            raise _transport_error(error) from None
        if response.status_code >= 300:
            detail = response.text[:200].strip() or "error"
            raise _http_failure(response, detail, server_ambiguous=True)
        return response

    async def publish(self, config: ChannelConfig, post: Post, *, in_doubt: bool) -> Sent:
        # A resend (in doubt or not) carries the same key: the receiver keeps one of them.
        key = str(post.message_id) if post.message_id is not None else post.retry_key
        response = await self._send(config, "work.published", post.message.encode(), key)
        answer = _json(response)
        external_id, url = answer.get("id"), answer.get("url")
        return Sent(
            str(external_id) if isinstance(external_id, str | int) else key,
            url if isinstance(url, str) else None,
        )

    async def find(self, config: ChannelConfig, post: Post) -> Sent | None:
        """A webhook cannot be asked what it received; a resend carries the same key."""
        return None

    async def retract(self, config: ChannelConfig, external_id: str) -> None:
        body = json.dumps({"event": "work.retracted", "id": external_id}).encode()
        try:
            await self._send(config, "work.retracted", body, f"retract-{external_id}")
        except ChannelError as error:
            if not _already_gone(error):
                raise


def adapters(client: httpx.AsyncClient) -> dict[Channel, ChannelAdapter]:
    return {
        Channel.WEBSITE: WordPressAdapter(client),
        Channel.FACEBOOK: FacebookAdapter(client),
        Channel.LINE: LineAdapter(client),
        Channel.WEBHOOK: WebhookAdapter(client),
    }


# -- messages from per-channel Thai templates ----------------------------------------------

DEFAULT_TEMPLATES = {
    Channel.WEBSITE: "<p>{kind_th} โดย {authors}</p>\n<p>{abstract}</p>\n"
    "<p>เลขทะเบียน {registry_number} · {unit}</p>",
    Channel.FACEBOOK: "ขอแนะนำ{kind_th}: {title}\nโดย {authors} ({unit})\n\n{abstract}\n\n"
    "อ่านต่อ {link}",
    Channel.LINE: "{kind_th}ใหม่: {title}\nโดย {authors}\nอ่านต่อ {link}",
    Channel.WEBHOOK: json.dumps(
        {
            "event": "work.published",
            "title": "{title}",
            "kind": "{kind_th}",
            "authors": "{authors}",
            "abstract": "{abstract}",
            "registryNumber": "{registry_number}",
            "unit": "{unit}",
            "link": "{link}",
            "year": "{year}",
        }
    ),
}
PLACEHOLDERS = (
    "title",
    "kind_th",
    "authors",
    "abstract",
    "registry_number",
    "unit",
    "link",
    "year",
)
KIND_TH = {"RESEARCH": "ผลงานวิจัย", "ACADEMIC": "ผลงานวิชาการ", "INNOVATION": "นวัตกรรม"}
_FIELD = re.compile(r"{([^{}]*)}")


def template_problems(template: str, known: Sequence[str] = PLACEHOLDERS) -> list[str]:
    """Placeholders a template names that are not ``known`` (or braces that do not pair)."""
    names = [m.group(1) for m in _FIELD.finditer(template.replace("{{", "").replace("}}", ""))]
    unknown = [n for n in names if n not in known]
    if unknown:
        return unknown
    try:
        template.format_map(dict.fromkeys(known, ""))
    except (ValueError, KeyError, IndexError):
        return ["{…}"]
    return []


def render(template: str, values: dict[str, str], known: Sequence[str] = PLACEHOLDERS) -> str:
    return template.format_map({k: values.get(k, "") for k in known})


# A JSON template: placeholders go in its strings (never its keys), and the values are
# written into the parsed document, so a title with quotes cannot break the JSON.


def json_template_strings(template: str) -> list[str] | None:
    """The strings of a JSON body template, or None when it is not a JSON object."""
    try:
        document = json.loads(template)
    except ValueError:
        return None
    if not isinstance(document, dict):
        return None
    strings: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, str):
            strings.append(node)
        elif isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, dict):
            for item in node.values():
                walk(item)

    walk(document)
    return strings


def render_json(template: str, values: dict[str, str]) -> str:
    def fill(node: Any) -> Any:
        if isinstance(node, str):
            return render(node, values)
        if isinstance(node, list):
            return [fill(item) for item in node]
        if isinstance(node, dict):
            return {key: fill(item) for key, item in node.items()}
        return node

    return json.dumps(fill(json.loads(template)), ensure_ascii=False)
