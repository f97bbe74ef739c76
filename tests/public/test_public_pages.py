"""The registry's public pages: a work's landing page (its head read back as Facebook, LINE,
Google Scholar and a JSON-LD reader would), the public list and search, the sitemap, the public
files, caching, and the links that posts and feeds carry."""

import json
from urllib.parse import urlsplit
from xml.etree import ElementTree as ET

import httpx
import pytest
from lxml import html

from models.org import Unit
from models.publishing import Channel
from models.work import Work, WorkAuthor
from services import publishing
from services.actor import SYSTEM
from services.publishing import work_link
from tests.helpers import GraphQLClient, count_queries
from tests.public_world import PublicWorld, make_public_world, make_work
from tests.world import gid

SEARCH = """
query ($search: String!) {
  works(search: $search, filter: {statuses: [PUBLISHED]}, first: 100) {
    nodes { registryNumber }
  }
}
"""


def _http(client: GraphQLClient) -> httpx.AsyncClient:
    return client.http  # type: ignore[attr-defined,no-any-return]


def _path(work: Work) -> str:
    return urlsplit(work_link(work)).path


def _head(page: str) -> dict[str, list[str]]:
    """Every ``<meta>`` of the head by its property or name, values in document order."""
    tree = html.fromstring(page)
    tags: dict[str, list[str]] = {}
    for meta in tree.xpath("//head/meta[@content]"):
        key = meta.get("property") or meta.get("name")
        tags.setdefault(key, []).append(meta.get("content"))
    return tags


@pytest.fixture
async def public() -> PublicWorld:
    return await make_public_world()


async def test_a_landing_page_carries_open_graph_highwire_and_json_ld(
    client: GraphQLClient, public: PublicWorld
) -> None:
    work = public.published[0]

    response = await _http(client).get(_path(work))

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    tree = html.fromstring(response.text)
    assert tree.get("lang") == "th"
    assert tree.xpath("string(//h1)") == "การส่งเสริมสุขภาพของกรมอนามัย"
    assert "บทคัดย่อของการส่งเสริมสุขภาพของกรมอนามัย" in tree.xpath("string(//main)")
    canonical = tree.xpath("//link[@rel='canonical']/@href")
    assert canonical == [work_link(work)]
    meta = _head(response.text)
    # Open Graph and Twitter: what Facebook and LINE show in a preview card.
    assert meta["og:title"] == ["การส่งเสริมสุขภาพของกรมอนามัย"]
    assert meta["og:url"] == [work_link(work)]
    assert meta["og:locale"] == ["th_TH"]
    assert meta["og:type"] == ["article"]
    assert meta["og:description"][0].startswith("บทคัดย่อของ")
    assert meta["og:image"] == [f"{work_link(work)}/cover"]
    assert meta["twitter:card"] == ["summary_large_image"]
    # Highwire Press: Google Scholar's inclusion guidelines.
    assert meta["citation_title"] == ["การส่งเสริมสุขภาพของกรมอนามัย"]
    authors = await WorkAuthor.filter(work_id=work.id).order_by("position")
    assert meta["citation_author"] == [a.name_th for a in authors]
    assert meta["citation_author"][1] == "ดร.ผู้ร่วม ภายนอก"
    assert meta["citation_author_institution"] == ["มหาวิทยาลัยมหิดล"]
    assert work.published_at is not None
    assert meta["citation_publication_date"] == [work.published_at.strftime("%Y/%m/%d")]
    assert meta["citation_technical_report_number"] == [work.registry_number]
    assert meta["citation_publisher"][0]
    pdf_url = meta["citation_pdf_url"][0]
    assert pdf_url == f"{work_link(work)}/files/full-text"
    # schema.org JSON-LD.
    (script,) = tree.xpath("//script[@type='application/ld+json']/text()")
    data = json.loads(script)
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "ScholarlyArticle"
    assert data["name"] == "การส่งเสริมสุขภาพของกรมอนามัย"
    assert data["url"] == work_link(work)
    assert [a["name"] for a in data["author"]][1] == "ดร.ผู้ร่วม ภายนอก"
    assert data["identifier"]["value"] == work.registry_number
    # The absolute URLs in the head are served by this server.
    for url in (meta["og:image"][0], pdf_url):
        answer = await _http(client).get(urlsplit(url).path)
        assert answer.status_code == 200
    cover = await _http(client).get(urlsplit(meta["og:image"][0]).path)
    assert cover.headers["content-type"] == "image/png"
    assert cover.content.startswith(b"\x89PNG")
    pdf = await _http(client).get(urlsplit(pdf_url).path)
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.headers["content-disposition"].startswith("inline;")


async def test_the_page_is_english_by_accept_language_or_lang(
    client: GraphQLClient, public: PublicWorld
) -> None:
    work = public.published[0]

    by_header = await _http(client).get(_path(work), headers={"Accept-Language": "en-GB,en"})
    by_query = await _http(client).get(_path(work), params={"lang": "en"})

    for response in (by_header, by_query):
        tree = html.fromstring(response.text)
        assert tree.get("lang") == "en"
        assert "How to cite" in response.text
        assert _head(response.text)["og:locale"] == ["en_US"]
        assert _head(response.text)["og:title"] == [f"English title of {work.title_th}"]
    assert by_header.headers["vary"] == "Accept-Language"


async def test_a_work_is_one_address_whatever_the_case_of_its_number(
    client: GraphQLClient, public: PublicWorld
) -> None:
    work = public.published[0]
    assert work.registry_number is not None

    response = await _http(client).get(f"/works/{work.registry_number}")

    assert response.status_code == 301
    assert response.headers["location"] == _path(work)


async def test_gone_unknown_and_unpublished_works(
    client: GraphQLClient, public: PublicWorld
) -> None:
    http = _http(client)
    assert public.retracted and public.archived and public.registered and public.draft

    for gone in (public.retracted, public.archived):
        response = await http.get(_path(gone))
        assert response.status_code == 410
        assert "ถอนการเผยแพร่" in response.text
        assert gone.title_th not in response.text
        assert (await http.get(f"{_path(gone)}/cover")).status_code == 410
    for hidden in ("/works/lo-2599-9999", "/works/nonsense", _path(public.registered)):
        response = await http.get(hidden)
        assert response.status_code == 404
        assert "ไม่พบผลงาน" in response.text
    # A registered work's title never shows, nor a draft's (it has no number at all).
    assert public.registered.title_th not in (await http.get(_path(public.registered))).text
    assert (await http.get(_path(public.draft))).status_code == 404


async def test_only_the_file_kinds_the_unit_makes_public_are_served(
    client: GraphQLClient, public: PublicWorld
) -> None:
    http = _http(client)
    work = public.published[0]

    page = (await http.get(_path(work))).text
    slides_before = await http.get(f"{_path(work)}/files/slides")
    await Unit.filter(id=public.world.unit.id).update(public_file_kinds=["SLIDES", "POSTER"])
    full_text_after = await http.get(f"{_path(work)}/files/full-text")
    slides_after = await http.get(f"{_path(work)}/files/slides")
    page_after = (await http.get(_path(work))).text

    assert "/files/full-text" in page
    assert "/files/slides" not in page
    assert slides_before.status_code == 404
    assert full_text_after.status_code == 404
    assert slides_after.status_code == 200
    assert "/files/slides" in page_after
    assert "citation_pdf_url" not in page_after


async def test_pages_answer_304_to_a_client_that_has_them(
    client: GraphQLClient, public: PublicWorld
) -> None:
    http = _http(client)
    path = _path(public.published[0])

    first = await http.get(path)
    again = await http.get(path, headers={"If-None-Match": first.headers["etag"]})
    since = await http.get(path, headers={"If-Modified-Since": first.headers["last-modified"]})
    listing = await http.get("/works")
    listing_again = await http.get("/works", headers={"If-None-Match": listing.headers["etag"]})

    assert first.headers["cache-control"].startswith("public")
    assert again.status_code == 304
    assert again.content == b""
    assert since.status_code == 304
    assert listing_again.status_code == 304


async def test_the_public_search_finds_what_the_api_finds(
    client: GraphQLClient, admin: GraphQLClient, public: PublicWorld
) -> None:
    api = await admin.data(SEARCH, {"search": "อนามัย"})
    expected = [n["registryNumber"] for n in api["works"]["nodes"]]

    response = await _http(client).get("/works", params={"q": "อนามัย"})

    assert response.status_code == 200
    tree = html.fromstring(response.text)
    links = tree.xpath("//ol[@class='results']//h2/a/@href")
    assert [link.rsplit("/", 1)[1].upper() for link in links] == expected
    assert expected == [public.published[0].registry_number]  # not the draft that matches too


async def test_the_list_filters_and_pages(client: GraphQLClient, public: PublicWorld) -> None:
    http = _http(client)

    everything = html.fromstring((await http.get("/works")).text)
    innovations = html.fromstring((await http.get("/works?kind=INNOVATION")).text)
    year = html.fromstring((await http.get("/works?year=2564&unit=" + public.world.unit.code)).text)

    assert len(everything.xpath("//ol[@class='results']/li")) == 3
    assert innovations.xpath("//ol[@class='results']//h2/a/text()") == ["ระบบจองห้องประชุม"]
    assert year.xpath("//ol[@class='results']//h2/a/text()") == ["ระบบจองห้องประชุม"]
    for bad in ("?page=0", "?page=9999", "?year=abc", "?kind=POEM", "?q=" + "ก" * 300):
        response = await http.get("/works" + bad)
        assert response.status_code == 400, bad
        assert response.headers["content-type"].startswith("text/html")


async def test_list_statements_do_not_grow_with_the_page(
    client: GraphQLClient, public: PublicWorld
) -> None:
    http = _http(client)
    with count_queries() as few:
        await http.get("/works?kind=INNOVATION")
    for n in range(4):
        await make_work(public.world, f"งานเพิ่ม {n}", kind="INNOVATION")
    with count_queries() as more:
        await http.get("/works?kind=INNOVATION")
    assert len(more) == len(few)


async def test_the_sitemap_lists_published_works(
    client: GraphQLClient, public: PublicWorld
) -> None:
    response = await _http(client).get("/sitemap.xml")

    assert response.status_code == 200
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locations = ET.fromstring(response.content).findall("s:url/s:loc", namespace)
    urls = {loc.text for loc in locations}
    assert {work_link(w) for w in public.published} <= urls
    assert len(urls) == len(public.published) + 1  # and the list page


async def test_links_in_posts_and_feeds_resolve_to_the_landing_pages(
    client: GraphQLClient, public: PublicWorld
) -> None:
    http = _http(client)
    work = public.published[0]
    assert work.registry_number is not None
    settings = await publishing.channel_settings_of_unit(actor=SYSTEM, unit_id=public.world.unit.id)
    line = next(s for s in settings if s.channel == Channel.LINE)

    post = publishing.render_message(line, await publishing.message_values(work))
    feed = (await http.get("/feeds/works.json")).json()
    rss = ET.fromstring((await http.get("/feeds/works.xml")).content)

    post_links = [word for word in post.split() if word.startswith("http")]
    feed_links = [item["url"] for item in feed["items"]]
    rss_links = [link.text for link in rss.findall("channel/item/link")]
    assert work_link(work) in post_links
    assert sorted(feed_links) == sorted(rss_links) == sorted(work_link(w) for w in public.published)
    for link in {*post_links, *feed_links}:
        response = await http.get(urlsplit(link).path)
        assert response.status_code == 200, link
        assert _head(response.text)["og:url"] == [link]


SET_KINDS = """
mutation ($input: UnitPublicFileKindsSetInput!) {
  unitPublicFileKindsSet(input: $input) {
    unit { publicFileKinds version }
    errors { code field }
  }
}
"""


async def test_the_unit_lead_chooses_the_public_file_kinds(
    client: GraphQLClient, public: PublicWorld
) -> None:
    world = public.world
    secretary = world.client(client, "SECRETARY")
    unit = gid("Unit", world.unit.id)
    path = _path(public.published[0])

    default = await secretary.data(
        "query ($id: ID!) { node(id: $id) { ... on Unit { publicFileKinds } } }", {"id": unit}
    )
    chosen = await secretary.data(
        SET_KINDS, {"input": {"unit": unit, "kinds": ["POSTER", "SLIDES"], "version": 1}}
    )
    refused = await secretary.data(
        SET_KINDS, {"input": {"unit": unit, "kinds": ["COVER_IMAGE"], "version": 2}}
    )
    stale = await secretary.data(SET_KINDS, {"input": {"unit": unit, "kinds": [], "version": 1}})

    assert default["node"]["publicFileKinds"] == ["FULL_TEXT"]
    assert chosen["unitPublicFileKindsSet"] == {
        "unit": {"publicFileKinds": ["SLIDES", "POSTER"], "version": 2},
        "errors": [],
    }
    assert refused["unitPublicFileKindsSet"]["errors"] == [
        {"code": "INVALID_INPUT", "field": ["input", "kinds", "0"]}
    ]
    assert stale["unitPublicFileKindsSet"]["errors"][0]["code"] == "STALE_VERSION"
    assert (await _http(client).get(f"{path}/files/slides")).status_code == 200
    assert (await _http(client).get(f"{path}/files/full-text")).status_code == 404


async def test_a_landing_page_runs_the_same_statements_however_much_the_work_holds(
    client: GraphQLClient, public: PublicWorld
) -> None:
    http = _http(client)
    small, large = public.published[1], public.published[0]  # no files; cover, full text, slides

    with count_queries() as few:
        assert (await http.get(_path(small))).status_code == 200
    with count_queries() as more:
        assert (await http.get(_path(large))).status_code == 200

    assert len(more) == len(few) <= 7
