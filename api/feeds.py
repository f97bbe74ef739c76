"""Public feeds of published works: ``GET /feeds/works.json`` (JSON Feed 1.1) and
``GET /feeds/works.xml`` (RSS 2.0), newest first, so the website can embed them too.

Only PUBLISHED works, and only what is public about them: registry number, kind, titles,
abstract, keywords, authors' names as credited, unit and fiscal year. No sign-in needed.
``?unit=<code>`` narrows to one unit, ``?limit=`` takes 1–100 (default 50); another limit is
answered 400 in the API's error shape (``{"errors": [{"message": …}]}``).
"""

import json
from collections import defaultdict
from email.utils import format_datetime
from typing import Any
from urllib.parse import urlencode
from xml.etree import ElementTree as ET

from fastapi import APIRouter, Request, Response

from models.org import Unit
from models.work import Work, WorkAuthor, WorkStatus
from services.channels import KIND_TH
from services.publishing import work_link
from services.settings import get_settings

router = APIRouter()
FEED_TITLE = "ผลงานวิจัย วิชาการ และนวัตกรรม (LO Hub)"
FEED_DESCRIPTION = "ผลงานที่ขึ้นทะเบียนและเผยแพร่แล้ว"


async def _published(unit: str | None, limit: int) -> list[dict[str, Any]]:
    """Three queries whatever the length: works, their authors, their units."""
    queryset = Work.filter(status=WorkStatus.PUBLISHED)
    if unit:
        queryset = queryset.filter(unit__code=unit.strip().upper())
    rows = await queryset.order_by("-published_at", "-id").limit(limit)
    authors: defaultdict[int, list[str]] = defaultdict(list)
    for work_id, name in (
        await WorkAuthor.filter(work_id__in=[w.id for w in rows])
        .order_by("position")
        .values_list("work_id", "name_th")
    ):
        authors[int(work_id)].append(str(name))  # type: ignore[call-overload]
    units = {
        u.id: u for u in await Unit.filter(id__in={w.unit_id for w in rows}).only("id", "name_th")
    }
    settings = get_settings()
    return [
        {
            "work": w,
            "authors": authors[w.id],
            "unit": units[w.unit_id].name_th,
            "link": work_link(w, settings),
        }
        for w in rows
    ]


MAX_LIMIT = 100
BAD_LIMIT = f"limit must be a number from 1 to {MAX_LIMIT}"


def _limit(raw: str) -> int | None:
    """How many works the query asks for (newest first); None if that is no such number."""
    try:
        limit = int(raw)
    except ValueError:
        return None
    return limit if 1 <= limit <= MAX_LIMIT else None


def _bad_limit() -> Response:
    return Response(
        json.dumps({"errors": [{"message": BAD_LIMIT}]}),
        status_code=400,
        media_type="application/json; charset=utf-8",
    )


def _summary(text: str, length: int = 200) -> str:
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


@router.get("/feeds/works.json", include_in_schema=False)
async def json_feed(request: Request, unit: str | None = None, limit: str = "50") -> Response:
    count = _limit(limit)
    if count is None:
        return _bad_limit()
    base = get_settings().public_base_url.rstrip("/")
    # The feed's own address, filter included, so a reader subscribes to what it was given.
    query = urlencode({k: v for k, v in request.query_params.items() if k in ("unit", "limit")})
    items = [
        {
            "id": row["work"].registry_number,
            "url": row["link"],
            "title": row["work"].title_th,
            "content_text": row["work"].abstract_th,
            "summary": _summary(row["work"].abstract_th),
            "date_published": row["work"].published_at.isoformat()
            if row["work"].published_at
            else None,
            "tags": list(row["work"].keywords),
            "authors": [{"name": name} for name in row["authors"]],
            "language": "th",
            "_lohub": {
                "registry_number": row["work"].registry_number,
                "kind": row["work"].kind.value,
                "kind_th": KIND_TH[row["work"].kind.value],
                "title_en": row["work"].title_en,
                "fiscal_year": row["work"].fiscal_year,
                "unit": row["unit"],
            },
        }
        for row in await _published(unit, count)
    ]
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": FEED_TITLE,
        "description": FEED_DESCRIPTION,
        "home_page_url": base,
        "feed_url": f"{base}/feeds/works.json" + (f"?{query}" if query else ""),
        "language": "th",
        "items": items,
    }
    return Response(
        json.dumps(feed, ensure_ascii=False),
        media_type="application/feed+json; charset=utf-8",
        headers={"Cache-Control": "public, max-age=300"},
    )


@router.get("/feeds/works.xml", include_in_schema=False)
async def rss_feed(request: Request, unit: str | None = None, limit: str = "50") -> Response:
    count = _limit(limit)
    if count is None:
        return _bad_limit()
    base = get_settings().public_base_url.rstrip("/")
    rss = ET.Element("rss", version="2.0")
    channel = ET.SubElement(rss, "channel")
    ET.SubElement(channel, "title").text = FEED_TITLE
    ET.SubElement(channel, "link").text = base
    ET.SubElement(channel, "description").text = FEED_DESCRIPTION
    ET.SubElement(channel, "language").text = "th"
    for row in await _published(unit, count):
        work: Work = row["work"]
        item = ET.SubElement(channel, "item")
        ET.SubElement(item, "title").text = work.title_th
        ET.SubElement(item, "link").text = row["link"]
        ET.SubElement(item, "guid", isPermaLink="false").text = work.registry_number
        ET.SubElement(item, "description").text = work.abstract_th
        if work.published_at:
            ET.SubElement(item, "pubDate").text = format_datetime(work.published_at)
        ET.SubElement(item, "category").text = KIND_TH[work.kind.value]
        for keyword in work.keywords:
            ET.SubElement(item, "category").text = keyword
    body = ET.tostring(rss, encoding="utf-8", xml_declaration=True)
    return Response(
        body,
        media_type="application/rss+xml; charset=utf-8",
        headers={"Cache-Control": "public, max-age=300"},
    )
