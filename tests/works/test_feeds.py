"""The public feeds of published works: JSON Feed and RSS, only published works, nothing private."""

from xml.etree import ElementTree as ET

import httpx
import pytest

from models.publishing import Channel
from models.work import Work
from services import publishing, works
from services.actor import SYSTEM
from tests.helpers import count_queries
from tests.world import World, make_world


async def _work(world: World, title: str, *, publish: bool, register: bool = True) -> Work:
    work = await works.create_work(
        actor=SYSTEM,
        unit_id=world.unit.id,
        data=works.WorkData(
            kind="RESEARCH",
            fiscal_year=2565,
            title_th=title,
            abstract_th=f"บทคัดย่อของ{title}",
            keywords=["สุขภาพ"],
            authors=[
                works.AuthorData(person_id=world.people["กนกานต์"].id, corresponding=True),
                works.AuthorData(name_th="ผู้ร่วมภายนอก", affiliation="มหาวิทยาลัย"),
            ],
        ),
    )
    if register:
        await works.act_on_work(actor=SYSTEM, work_id=work.id, action=works.WorkAction.SUBMIT)
        await works.act_on_work(actor=SYSTEM, work_id=work.id, action=works.WorkAction.REGISTER)
    if publish:
        await publishing.configure_channel(
            actor=SYSTEM,
            data=publishing.ChannelSettingsData(
                unit_id=world.unit.id,
                channel=Channel.LINE,
                base_url="http://127.0.0.1:9",
                credential="token-never-shown",
            ),
        )
        await publishing.publish_work(actor=SYSTEM, work_id=work.id, channel_list=[Channel.LINE])
    return await Work.get(id=work.id)


async def test_the_json_feed_lists_only_published_works_and_nothing_private(
    client: object,
) -> None:
    world = await make_world(with_cycle=False)
    await _work(world, "งานเผยแพร่", publish=True)
    await _work(world, "งานขึ้นทะเบียน", publish=False)
    await _work(world, "ร่าง", publish=False, register=False)
    http: httpx.AsyncClient = client.http  # type: ignore[attr-defined]

    with count_queries() as statements:
        response = await http.get("/feeds/works.json")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/feed+json")
    feed = response.json()
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    [item] = feed["items"]
    assert item["id"] == "LO-2565-0001"
    assert item["title"] == "งานเผยแพร่"
    assert item["url"].endswith("/works/lo-2565-0001")
    assert [a["name"] for a in item["authors"]] == ["นางสาวกนกานต์ ทดสอบ", "ผู้ร่วมภายนอก"]
    text = response.text
    for private in ("token-never-shown", "search_text", "status", "created_by", "บทคัดย่อของร่าง"):
        assert private not in text
    assert len(statements) == 3


async def test_the_rss_feed_and_its_unit_filter(client: object) -> None:
    world = await make_world(with_cycle=False)
    await _work(world, "งานเผยแพร่", publish=True)
    http: httpx.AsyncClient = client.http  # type: ignore[attr-defined]

    response = await http.get("/feeds/works.xml")
    other_unit = await http.get("/feeds/works.xml", params={"unit": world.other_unit.code})

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/rss+xml")
    channel = ET.fromstring(response.content).find("channel")
    assert channel is not None
    [item] = channel.findall("item")
    assert item.findtext("title") == "งานเผยแพร่"
    assert item.findtext("guid") == "LO-2565-0001"
    assert item.findtext("pubDate")
    channel = ET.fromstring(other_unit.content).find("channel")
    assert channel is not None and channel.findall("item") == []


async def test_the_json_feed_names_its_filter_and_speaks_thai_unescaped(client: object) -> None:
    world = await make_world(with_cycle=False)
    await _work(world, "งานเผยแพร่", publish=True)
    http: httpx.AsyncClient = client.http  # type: ignore[attr-defined]

    response = await http.get("/feeds/works.json", params={"unit": world.unit.code, "limit": 5})

    assert response.headers["content-type"] == "application/feed+json; charset=utf-8"
    assert "งานเผยแพร่" in response.text and "\\u0e" not in response.text
    feed = response.json()
    assert feed["feed_url"].endswith(f"/feeds/works.json?unit={world.unit.code}&limit=5")
    [item] = feed["items"]
    assert item["summary"] == "บทคัดย่อของงานเผยแพร่"


@pytest.mark.parametrize("limit", ["0", "101", "many"])
async def test_a_limit_out_of_range_is_answered_in_the_api_s_error_shape(
    client: object, limit: str
) -> None:
    http: httpx.AsyncClient = client.http  # type: ignore[attr-defined]

    for feed in ("/feeds/works.json", "/feeds/works.xml"):
        response = await http.get(feed, params={"limit": limit})

        assert response.status_code == 400
        assert response.json() == {"errors": [{"message": "limit must be a number from 1 to 100"}]}
