"""Publishing to a webhook (the department's other channels): a signed JSON POST to a real
receiver on loopback that checks the signature and keeps one delivery per idempotency key."""

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from models.publishing import (
    Channel,
    ChannelSettings,
    OutboxMessage,
    OutboxStatus,
    Publication,
    PublicationStatus,
)
from services import encryption, publishing
from services.actor import SYSTEM
from services.channels import webhook_url_allowed
from services.outbox import Dispatcher
from services.settings import get_settings
from tests.fakes import FakeWebhook, Faults
from tests.helpers import GraphQLClient
from tests.publishing.test_publishing import (
    CHANNELS,
    CONFIGURE,
    FAST,
    PUBLISH,
    RETRACT,
    WORK,
    _drain,
    _many_registered_works,
    _registered_work,
    drain_with_two_workers,
)
from tests.world import World, gid, make_world

TEMPLATE = json.dumps(
    {"text": "{title} โดย {authors}", "link": "{link}", "meta": {"tags": ["LO", "{year}"]}},
    ensure_ascii=False,
)


@pytest.fixture
def webhook() -> Iterator[FakeWebhook]:
    with FakeWebhook() as fake:
        yield fake  # type: ignore[misc]


@pytest.fixture
def loopback_http(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The fake listens on http://127.0.0.1: allowed as in development."""
    monkeypatch.setenv("LOHUB_WEBHOOK_ALLOW_HTTP_LOOPBACK", "true")
    get_settings.cache_clear()
    yield
    monkeypatch.delenv("LOHUB_WEBHOOK_ALLOW_HTTP_LOOPBACK")
    get_settings.cache_clear()


async def _configure(
    admin: GraphQLClient, world: World, url: str, secret: str, template: str | None = None
) -> dict[str, Any]:
    body = await admin.data(
        CONFIGURE,
        {
            "input": {
                "unit": gid("Unit", world.unit.id),
                "channel": "WEBHOOK",
                "baseUrl": url,
                "credential": secret,
                "templateTh": template,
            }
        },
    )
    assert secret not in str(body)
    return body["publishingChannelConfigure"]


async def test_a_work_goes_to_the_webhook_signed_and_once_through_500s(
    admin: GraphQLClient, client: GraphQLClient, webhook: FakeWebhook, loopback_http: None
) -> None:
    world = await make_world(with_cycle=False)
    assert (await _configure(admin, world, webhook.url, webhook.secret, TEMPLATE))["errors"] == []
    stored = await ChannelSettings.get(unit_id=world.unit.id, channel=Channel.WEBHOOK)
    assert webhook.secret not in stored.credential
    assert encryption.decrypt(stored.credential) == webhook.secret
    work = await _registered_work(world, title='นวัตกรรม "เรียนรู้" \\ ใหม่')
    assert work.registry_number
    chair = world.client(client, "CHAIR")
    # A 500 before taking it, then one after taking it: the resend carries the same key.
    webhook.faults.script.extend(["error", "error_after"])

    body = await chair.data(
        PUBLISH, {"input": {"id": gid("Work", work.id), "channels": ["WEBHOOK"]}}
    )
    assert body["workPublish"]["errors"] == []
    async with httpx.AsyncClient(timeout=2) as http:
        await _drain(Dispatcher(http, FAST))

    [message] = await OutboxMessage.all()
    assert (message.status, message.attempts) == (OutboxStatus.DONE, 3)
    assert webhook.requests[f"POST {webhook.path}"] == 3
    assert (list(webhook.deliveries), webhook.refused) == ([str(message.id)], 0)
    assert webhook.bodies() == [
        {
            "text": 'นวัตกรรม "เรียนรู้" \\ ใหม่ โดย ' + "นางสาวกนกานต์ ทดสอบ",
            "link": f"{get_settings().public_base_url}/works/{work.registry_number.lower()}",
            "meta": {"tags": ["LO", "2565"]},
        }
    ]
    [shown] = (await chair.data(WORK, {"id": gid("Work", work.id)}))["node"]["publications"]
    assert (shown["status"], shown["externalId"], shown["attempts"]) == ("PUBLISHED", "hook-1", 3)

    await chair.data(RETRACT, {"input": {"id": gid("Work", work.id), "reason": "ข้อมูลผิด"}})
    async with httpx.AsyncClient(timeout=2) as http:
        await _drain(Dispatcher(http, FAST))

    assert webhook.bodies("work.retracted") == [{"event": "work.retracted", "id": "hook-1"}]
    [shown] = (await chair.data(WORK, {"id": gid("Work", work.id)}))["node"]["publications"]
    assert shown["status"] == "RETRACTED"


async def test_many_works_through_two_workers_against_a_failing_receiver_arrive_once(
    admin: GraphQLClient, loopback_http: None
) -> None:
    faults = Faults(
        seed=4,
        rate=0.3,
        kinds=("error", "error_after", "slow", "reset", "reset_before"),
        slow_seconds=0.5,
    )
    with FakeWebhook(faults) as webhook:
        world = await make_world(with_cycle=False)
        await _configure(admin, world, webhook.url, webhook.secret)  # type: ignore[attr-defined]
        ids = await _many_registered_works(world, 40)
        for work_id in ids:
            await publishing.publish_work(
                actor=SYSTEM, work_id=work_id, channel_list=[Channel.WEBHOOK]
            )

        await drain_with_two_workers(batch=10)

        statuses = await Publication.all().values_list("status", flat=True)
        assert set(statuses) == {PublicationStatus.PUBLISHED} and len(statuses) == len(ids)
        titles = [body["title"] for body in webhook.bodies()]  # type: ignore[attr-defined]
        assert len(titles) == len(set(titles)) == len(ids)
        assert sum(faults.seen.values()) > 4, faults.seen
        assert webhook.refused == 0  # type: ignore[attr-defined]


async def test_a_signature_the_receiver_refuses_stops_and_shows_on_the_channel(
    admin: GraphQLClient, client: GraphQLClient, webhook: FakeWebhook, loopback_http: None
) -> None:
    world = await make_world(with_cycle=False)
    await _configure(admin, world, webhook.url, "not-the-receivers-secret")
    work = await _registered_work(world)

    await world.client(client, "CHAIR").data(
        PUBLISH, {"input": {"id": gid("Work", work.id), "channels": ["WEBHOOK"]}}
    )
    async with httpx.AsyncClient(timeout=2) as http:
        await _drain(Dispatcher(http, FAST))

    assert (webhook.deliveries, webhook.refused) == ({}, 1)
    assert (await OutboxMessage.get()).status == OutboxStatus.DEAD
    [channel] = (await admin.data(CHANNELS, {"unit": gid("Unit", world.unit.id)}))[
        "publishingChannels"
    ]
    assert channel["channel"] == "WEBHOOK"
    assert "HTTP 401" in channel["credentialProblem"]


async def test_bad_webhook_settings_are_typed_errors(admin: GraphQLClient) -> None:
    world = await make_world(with_cycle=False)

    async def errors(url: str, template: str | None = None) -> list[tuple[str, list[str], str]]:
        payload = await _configure(admin, world, url, "s3cret", template)
        return [(e["code"], e["field"], e["message"]) for e in payload["errors"]]

    [not_json] = await errors("https://hooks.example.go.th/lo", "{title}")
    assert not_json[:2] == ("INVALID_INPUT", ["input", "templateTh"])
    assert "JSON" in not_json[2]
    [(_, _, a_list)] = await errors("https://hooks.example.go.th/lo", '["{title}"]')
    assert "JSON" in a_list
    [(code, field, unknown)] = await errors(
        "https://hooks.example.go.th/lo", '{"t": "{title}", "s": {"x": "{secret}"}}'
    )
    assert (code, field) == ("INVALID_INPUT", ["input", "templateTh"])
    assert "{secret}" not in unknown and "secret" in unknown
    for url in ("http://hooks.example.go.th/lo", "http://127.0.0.1:9/lo"):
        [(code, field, _)] = await errors(url)
        assert (code, field) == ("INVALID_INPUT", ["input", "baseUrl"])
    assert not await ChannelSettings.exists()


def test_webhook_addresses_are_https_or_allowed_loopback() -> None:
    assert webhook_url_allowed("https://hooks.example.go.th/lo", http_loopback=False)
    assert not webhook_url_allowed("http://127.0.0.1:8080/lo", http_loopback=False)
    assert webhook_url_allowed("http://127.0.0.1:8080/lo", http_loopback=True)
    assert webhook_url_allowed("http://[::1]:8080/lo", http_loopback=True)
    assert webhook_url_allowed("http://localhost/lo", http_loopback=True)
    assert not webhook_url_allowed("http://10.0.0.5/lo", http_loopback=True)
    assert not webhook_url_allowed("https://", http_loopback=True)
    assert not webhook_url_allowed("ftp://127.0.0.1/lo", http_loopback=True)
