"""What every public page shares: the language, the templates, the public address, and
answers that caches and crawlers can keep (ETag, Last-Modified, 304)."""

import hashlib
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import Request, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape

from api.public.text import Words
from services.messages import Language, language_from_header
from services.settings import get_settings

TEMPLATES = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)
# Pages change when their work does; a cache may keep them a little while without asking.
CACHE_CONTROL = "public, max-age=300"


def language(request: Request) -> Language:
    """``?lang=en`` or ``?lang=th`` first, then Accept-Language; Thai by default."""
    asked = request.query_params.get("lang", "")
    if asked in ("th", "en"):
        return "th" if asked == "th" else "en"
    return language_from_header(request.headers.get("accept-language"))


def public_base() -> str:
    """``LOHUB_PUBLIC_BASE_URL`` without its trailing slash: absolute links in pages' heads."""
    return get_settings().public_base_url.rstrip("/")


def render(template: str, request: Request, **values: Any) -> str:
    lang = language(request)
    other: Language = "en" if lang == "th" else "th"
    # The same page in the other language: the query string kept, ``lang`` swapped.
    params = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
    switch = f"{request.url.path}?{urlencode([*params, ('lang', other)])}"
    return TEMPLATES.get_template(template).render(
        t=Words(lang), lang=lang, other=other, switch=switch, base=public_base(), **values
    )


def cached(
    request: Request,
    body: str | bytes,
    *,
    media_type: str,
    last_modified: datetime | None = None,
    status_code: int = 200,
    vary_language: bool = True,
) -> Response:
    """``body`` with a strong ETag (its hash) and Last-Modified; 304 when the client has it
    (RFC 9110 §13.1: If-None-Match wins over If-Modified-Since)."""
    data = body.encode() if isinstance(body, str) else body
    headers = {"ETag": f'"{hashlib.sha256(data).hexdigest()[:32]}"', "Cache-Control": CACHE_CONTROL}
    if vary_language:
        headers["Vary"] = "Accept-Language"
    if last_modified is not None:
        headers["Last-Modified"] = format_datetime(last_modified.astimezone(UTC), usegmt=True)
    if status_code == 200 and _not_modified(request, headers["ETag"], last_modified):
        return Response(status_code=304, headers=headers)
    return Response(data, status_code=status_code, media_type=media_type, headers=headers)


def _not_modified(request: Request, etag: str, last_modified: datetime | None) -> bool:
    if_none_match = request.headers.get("if-none-match")
    if if_none_match is not None:
        tags = [tag.strip().removeprefix("W/") for tag in if_none_match.split(",")]
        return "*" in tags or etag in tags
    since = request.headers.get("if-modified-since")
    if since is None or last_modified is None:
        return False
    try:
        return last_modified.replace(microsecond=0) <= parsedate_to_datetime(since)
    except (TypeError, ValueError):
        return False


def error_page(
    request: Request, status_code: int, title_key: str, body: str | None = None, **params: object
) -> Response:
    """A short page in the visitor's language (404, 410, 400), not cached for long: ``body``
    is the text itself or, when None, the words under ``<title_key>``'s pair."""
    words = Words(language(request))
    body_key = title_key.removesuffix("_title") + "_body"
    html = render(
        "message.html", request, title=words(title_key), body=body or words(body_key, **params)
    )
    return Response(
        html,
        status_code=status_code,
        media_type="text/html; charset=utf-8",
        headers={"Cache-Control": "public, max-age=60", "Vary": "Accept-Language"},
    )
