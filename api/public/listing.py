"""The public list and search of published works ``GET /works?q=&unit=&kind=&year=&page=``
(the API's Thai search, 20 a page, at most 250 pages) and ``GET /sitemap.xml``."""

from urllib.parse import urlencode
from xml.etree import ElementTree as ET

from fastapi import APIRouter, Request, Response

from api.public.pages import cached, error_page, language, public_base, render
from models.work import WorkKind
from services import public_works
from services.errors import DomainError
from services.messages import render as message
from services.public_works import ListQuery
from services.publishing import slug_of

router = APIRouter()
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"


@router.get("/works", include_in_schema=False)
async def works_list(request: Request) -> Response:
    params = request.query_params
    try:
        query = ListQuery.parse(
            q=params.get("q"),
            unit=params.get("unit"),
            kind=params.get("kind"),
            year=params.get("year"),
            page=params.get("page"),
        )
    except DomainError as error:
        problem = error.problems[0]
        return error_page(
            request,
            400,
            "bad_request_title",
            message(problem.message_key, language(request), problem.params),
        )
    page = await public_works.list_page(query)
    units, years = await public_works.list_choices()
    html = render(
        "works.html",
        request,
        page=page,
        query=query,
        q=params.get("q", ""),
        units=units,
        years=years,
        kinds=list(WorkKind),
        slug=slug_of,
        page_link=lambda n: (
            "/works?"
            + urlencode(
                {**query.as_params(n), **({"lang": "en"} if language(request) == "en" else {})}
            )
        ),
    )
    return cached(request, html, media_type="text/html; charset=utf-8")


@router.get("/sitemap.xml", include_in_schema=False)
async def sitemap(request: Request) -> Response:
    base = public_base()
    urlset = ET.Element("urlset", xmlns=SITEMAP_NS)
    ET.SubElement(ET.SubElement(urlset, "url"), "loc").text = f"{base}/works"
    rows = await public_works.sitemap_rows()
    for number, changed_at in rows:
        url = ET.SubElement(urlset, "url")
        ET.SubElement(url, "loc").text = f"{base}/works/{number.lower()}"
        ET.SubElement(url, "lastmod").text = changed_at.date().isoformat()
    body = ET.tostring(urlset, encoding="utf-8", xml_declaration=True)
    return cached(
        request,
        body,
        media_type="application/xml",
        last_modified=max((at for _, at in rows), default=None),
        vary_language=False,
    )
