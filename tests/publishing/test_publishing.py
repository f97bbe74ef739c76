"""Publishing works to WordPress, Facebook and LINE through their fakes on loopback: adapters over
real HTTP, the outbox and its workers, retries, dead messages, credentials, never twice."""

import asyncio
import os
import uuid
from collections.abc import Callable, Iterator
from datetime import timedelta

import httpx
import pytest

from models.publishing import (
    Channel,
    ChannelSettings,
    OutboxAction,
    OutboxMessage,
    OutboxStatus,
    Publication,
    PublicationStatus,
)
from models.work import Work, WorkAuthor, WorkFile, WorkFileKind, WorkKind, WorkStatus
from services import publishing, works
from services.actor import SYSTEM
from services.channels import (
    ChannelAdapter,
    ChannelConfig,
    ChannelError,
    FacebookAdapter,
    FailureKind,
    LineAdapter,
    Post,
    Sent,
    WordPressAdapter,
)
from services.channels import adapters as channel_adapters
from services.errors import DomainError
from services.outbox import Dispatcher, RetryPolicy
from services.storage import FileFacts, default_storage, sha256_of
from services.tokens import utcnow
from tests.fakes import FakeFacebook, FakeLine, FakeWordPress, Faults
from tests.helpers import GraphQLClient, assert_forbidden, make_user
from tests.world import World, gid, make_world

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
FAST = RetryPolicy(
    max_attempts=30,
    base_seconds=0.01,
    max_seconds=0.05,
    lease_seconds=30,
    throttle_seconds=0,
    settle_seconds=0,
)
# For many sends against flaky fakes in threads of a loaded machine: a request given up on is
# let land (as a real channel's would) before the next attempt looks for it.
SETTLING = RetryPolicy(
    max_attempts=30,
    base_seconds=0.01,
    max_seconds=0.05,
    lease_seconds=30,
    throttle_seconds=0,
    settle_seconds=1,
)


@pytest.fixture
def wordpress() -> Iterator[FakeWordPress]:
    with FakeWordPress() as fake:
        yield fake  # type: ignore[misc]


@pytest.fixture
def facebook() -> Iterator[FakeFacebook]:
    with FakeFacebook() as fake:
        yield fake  # type: ignore[misc]


@pytest.fixture
def line() -> Iterator[FakeLine]:
    with FakeLine() as fake:
        yield fake  # type: ignore[misc]


def _post(n: int = 1, **changes: object) -> Post:
    fields: dict[str, object] = {
        "slug": f"lo-2565-{n:04d}",
        "title": f"ผลงานที่ {n}",
        "message": f"นวัตกรรมใหม่ที่ {n} อ่านต่อ https://lohub.test/works/lo-2565-{n:04d}",
        "link": f"https://lohub.test/works/lo-2565-{n:04d}",
        "retry_key": str(uuid.uuid4()),
        **changes,
    }
    return Post(**fields)  # type: ignore[arg-type]


async def _until(condition: Callable[[], bool], seconds: float = 5) -> None:
    """Until a fake (in its own thread) has done something."""
    for _ in range(int(seconds / 0.02)):
        if condition():
            return
        await asyncio.sleep(0.02)
    raise AssertionError("the fake did not get there in time")


def _wp(fake: FakeWordPress, password: str = "abcd efgh") -> ChannelConfig:
    return ChannelConfig(fake.base_url, fake.user, password)


def _fb(fake: FakeFacebook, token: str | None = None) -> ChannelConfig:
    return ChannelConfig(fake.base_url, fake.page_id, token or fake.token)


def _line(fake: FakeLine, audience: str = "") -> ChannelConfig:
    return ChannelConfig(fake.base_url, audience, fake.token)


# -- adapters over real HTTP -----------------------------------------------------------------


async def test_wordpress_uploads_the_cover_then_posts_once_per_slug(
    wordpress: FakeWordPress,
) -> None:
    async with httpx.AsyncClient(timeout=2) as http:
        adapter = WordPressAdapter(http)
        post = _post(cover=PNG, cover_type="image/png", cover_filename="cover.png")

        first = await adapter.publish(_wp(wordpress), post, in_doubt=False)
        again = await adapter.publish(_wp(wordpress), post, in_doubt=True)

    assert first == again
    assert first.url == f"{wordpress.base_url}/lo-2565-0001/"
    [stored] = wordpress.posts.values()
    assert stored["featured_media"] in wordpress.media
    assert wordpress.live_posts_by_requested_slug() == {"lo-2565-0001": 1}


async def test_wordpress_refusing_the_password_is_a_credential_failure(
    wordpress: FakeWordPress,
) -> None:
    async with httpx.AsyncClient(timeout=2) as http:
        with pytest.raises(ChannelError) as refused:
            await WordPressAdapter(http).publish(_wp(wordpress, "wrong"), _post(), in_doubt=False)

    assert refused.value.kind == FailureKind.CREDENTIAL
    assert "wrong" not in refused.value.message


async def test_facebook_looks_for_the_post_after_a_timeout_instead_of_posting_again(
    facebook: FakeFacebook,
) -> None:
    facebook.faults.script.extend(["slow"])
    facebook.faults.slow_seconds = 2
    async with httpx.AsyncClient(timeout=0.5) as http:
        adapter = FacebookAdapter(http)
        with pytest.raises(ChannelError) as timed_out:
            await adapter.publish(_fb(facebook), _post(), in_doubt=False)
        await _until(lambda: bool(facebook.posts))
        sent = await adapter.publish(_fb(facebook), _post(), in_doubt=True)

    assert timed_out.value.kind == FailureKind.RETRY and timed_out.value.ambiguous
    assert facebook.live_posts_by_link() == {"https://lohub.test/works/lo-2565-0001": 1}
    assert sent.external_id == facebook.posts[0]["id"]
    assert sent.url == f"https://www.facebook.com/{sent.external_id}"


@pytest.mark.parametrize(("fault", "kind"), [("throttle", "RETRY"), ("expired", "CREDENTIAL")])
async def test_facebook_error_codes_are_classified(
    facebook: FakeFacebook, fault: str, kind: str
) -> None:
    facebook.faults.script.append(fault)
    async with httpx.AsyncClient(timeout=2) as http:
        with pytest.raises(ChannelError) as failed:
            await FacebookAdapter(http).publish(_fb(facebook), _post(), in_doubt=False)

    assert failed.value.kind == kind
    assert "fbtrace_id" in failed.value.message
    assert facebook.token not in failed.value.message


async def test_facebook_throttling_honours_its_usage_header(facebook: FakeFacebook) -> None:
    facebook.faults.script.extend(["throttle", "throttle"])
    facebook.regain_minutes = 3
    async with httpx.AsyncClient(timeout=2) as http:
        adapter = FacebookAdapter(http)
        with pytest.raises(ChannelError) as hinted:
            await adapter.publish(_fb(facebook), _post(), in_doubt=False)
        facebook.regain_minutes = None
        with pytest.raises(ChannelError) as unhinted:
            await adapter.publish(_fb(facebook), _post(), in_doubt=False)

    policy = RetryPolicy(base_seconds=1, max_seconds=2, throttle_seconds=60)
    assert hinted.value.retry_after == 180
    assert policy.delay(1, hinted.value.retry_after, throttled=True) == 180
    assert unhinted.value.throttled and unhinted.value.retry_after is None
    assert policy.delay(1, None, throttled=True) == 60
    assert policy.delay(1, None) <= 1


async def test_facebook_retract_deletes_the_post(facebook: FakeFacebook) -> None:
    async with httpx.AsyncClient(timeout=2) as http:
        adapter = FacebookAdapter(http)
        sent = await adapter.publish(_fb(facebook), _post(), in_doubt=False)
        await adapter.retract(_fb(facebook), sent.external_id)
        await adapter.retract(_fb(facebook), sent.external_id)  # already gone: fine

    assert facebook.live_posts_by_link() == {}


@pytest.mark.parametrize("answer", ["forbidden", "expired", "error"])
async def test_facebook_retract_counts_only_a_missing_post_as_gone(
    facebook: FakeFacebook, answer: str
) -> None:
    async with httpx.AsyncClient(timeout=2) as http:
        adapter = FacebookAdapter(http)
        sent = await adapter.publish(_fb(facebook), _post(), in_doubt=False)
        facebook.faults.script.append(answer)
        with pytest.raises(ChannelError) as refused:
            await adapter.retract(_fb(facebook), sent.external_id)
        assert facebook.live_posts_by_link() == {_post().link: 1}
        with pytest.raises(ChannelError) as elsewhere:  # another Page's post: not ours to say
            await adapter.retract(_fb(facebook, token="EAAB-other-page"), sent.external_id)

    assert refused.value.code == {"forbidden": 200, "expired": 190, "error": 2}[answer]
    assert refused.value.status == {"forbidden": 403, "expired": 400, "error": 500}[answer]
    assert elsewhere.value.code == 190
    assert facebook.live_posts_by_link() == {_post().link: 1}


async def test_line_resends_with_the_same_retry_key_are_recognised(line: FakeLine) -> None:
    post = _post()
    async with httpx.AsyncClient(timeout=2) as http:
        adapter = LineAdapter(http)
        first = await adapter.publish(_line(line), post, in_doubt=False)
        again = await adapter.publish(_line(line), post, in_doubt=True)  # 409
        narrow = await adapter.publish(_line(line, "4389303728991"), _post(2), in_doubt=False)

    assert again.external_id == first.external_id
    assert line.messages_mentioning("lo-2565-0001") == 1
    assert line.requests["POST /v2/bot/message/broadcast"] == 2
    assert line.requests["POST /v2/bot/message/narrowcast"] == 1
    assert narrow.external_id


async def test_line_throttling_honours_retry_after(line: FakeLine) -> None:
    line.faults.script.append("throttle")
    line.faults.retry_after = "7"
    async with httpx.AsyncClient(timeout=2) as http:
        with pytest.raises(ChannelError) as throttled:
            await LineAdapter(http).publish(_line(line), _post(), in_doubt=False)

    assert throttled.value.kind == FailureKind.RETRY
    assert throttled.value.retry_after == 7
    assert FAST.delay(1, throttled.value.retry_after) >= 7


def test_backoff_is_full_jitter_under_an_exponential_ceiling() -> None:
    policy = RetryPolicy(base_seconds=1, max_seconds=60)
    delays = [policy.delay(attempt, None) for attempt in range(1, 12) for _ in range(50)]

    assert all(0 <= d <= 60 for d in delays)
    assert max(policy.delay(1, None) for _ in range(50)) <= 1
    assert max(delays) > 30  # the ceiling grows


# -- through the API and the worker ----------------------------------------------------------

CONFIGURE = """mutation Configure($input: PublishingChannelConfigureInput!) {
    publishingChannelConfigure(input: $input) {
        settings { channel baseUrl account hasCredential credentialProblem templateTh version }
        errors { code field message } } }"""
PUBLISH = """mutation Publish($input: WorkPublishInput!) { workPublish(input: $input) {
    work { status publications { channel status } } errors { code field message } } }"""
WORK = """query Work($id: ID!) { node(id: $id) { ... on Work { status registryNumber
    publications { id channel status externalId externalUrl attempts lastError } } } }"""
RETRACT = """mutation Retract($input: WorkRetractInput!) { workRetract(input: $input) {
    work { status } errors { code } } }"""
RETRY = """mutation Retry($input: PublicationRetryInput!) { publicationRetry(input: $input) {
    publication { status } errors { code message } } }"""
CHANNELS = """query Channels($unit: ID!) { publishingChannels(unit: $unit) {
    channel hasCredential credentialProblem } }"""


async def _configure(
    admin: GraphQLClient,
    world: World,
    wordpress: FakeWordPress | None = None,
    facebook: FakeFacebook | None = None,
    line: FakeLine | None = None,
) -> None:
    settings = []
    if wordpress:
        settings.append(("WEBSITE", wordpress.base_url, wordpress.user, wordpress.password))
    if facebook:
        settings.append(("FACEBOOK", facebook.base_url, facebook.page_id, facebook.token))
    if line:
        settings.append(("LINE", line.base_url, "", line.token))
    for channel, url, account, credential in settings:
        body = await admin.data(
            CONFIGURE,
            {
                "input": {
                    "unit": gid("Unit", world.unit.id),
                    "channel": channel,
                    "baseUrl": url,
                    "account": account,
                    "credential": credential,
                }
            },
        )
        payload = body["publishingChannelConfigure"]
        assert payload["errors"] == []
        assert payload["settings"]["hasCredential"] is True
        assert credential not in str(body)


async def _registered_work(world: World, n: int = 1, title: str | None = None) -> Work:
    work = await works.create_work(
        actor=SYSTEM,
        unit_id=world.unit.id,
        data=works.WorkData(
            kind=WorkKind.INNOVATION,
            fiscal_year=2565,
            title_th=title or f"นวัตกรรมที่ {n}",
            abstract_th="บทคัดย่อ",
            authors=[works.AuthorData(person_id=world.people["กนกานต์"].id, corresponding=True)],
        ),
    )
    await works.act_on_work(actor=SYSTEM, work_id=work.id, action=works.WorkAction.SUBMIT)
    return await works.act_on_work(actor=SYSTEM, work_id=work.id, action=works.WorkAction.REGISTER)


async def _drain(dispatcher: Dispatcher, rounds: int = 50) -> None:
    for _ in range(rounds):
        if not await OutboxMessage.filter(status=OutboxStatus.PENDING).exists():
            return
        await OutboxMessage.filter(status=OutboxStatus.PENDING).update(available_at=utcnow())
        await dispatcher.run_once()
    raise AssertionError("the outbox did not drain")


async def test_a_work_is_published_everywhere_and_retracted(
    admin: GraphQLClient,
    client: GraphQLClient,
    wordpress: FakeWordPress,
    facebook: FakeFacebook,
    line: FakeLine,
) -> None:
    world = await make_world(with_cycle=False)
    await _configure(admin, world, wordpress, facebook, line)
    work = await _registered_work(world)
    key = await default_storage().save(PNG, FileFacts(sha256_of(PNG), "image/png", "attachment"))
    await WorkFile.create(
        work_id=work.id,
        kind=WorkFileKind.COVER_IMAGE,
        version=1,
        filename="cover.png",
        content_type="image/png",
        size=len(PNG),
        sha256=sha256_of(PNG),
        storage_key=key,
    )
    chair = world.client(client, "CHAIR")

    body = await chair.data(
        PUBLISH,
        {"input": {"id": gid("Work", work.id), "channels": ["WEBSITE", "FACEBOOK", "LINE"]}},
    )
    assert body["workPublish"]["work"]["status"] == "PUBLISHED"
    assert {p["status"] for p in body["workPublish"]["work"]["publications"]} == {"QUEUED"}

    async with httpx.AsyncClient(timeout=2) as http:
        await _drain(Dispatcher(http, FAST))

    shown = (await chair.data(WORK, {"id": gid("Work", work.id)}))["node"]
    by_channel = {p["channel"]: p for p in shown["publications"]}
    assert {p["status"] for p in by_channel.values()} == {"PUBLISHED"}
    assert by_channel["WEBSITE"]["externalUrl"] == f"{wordpress.base_url}/lo-2565-0001/"
    assert by_channel["FACEBOOK"]["externalUrl"].startswith("https://www.facebook.com/")
    assert len(wordpress.media) == 1
    assert "นวัตกรรมที่ 1" in line.texts()[0]

    retracted = await chair.data(
        RETRACT, {"input": {"id": gid("Work", work.id), "reason": "ข้อมูลผิด"}}
    )
    assert retracted["workRetract"]["work"]["status"] == "REGISTERED"
    async with httpx.AsyncClient(timeout=2) as http:
        await _drain(Dispatcher(http, FAST))

    shown = (await chair.data(WORK, {"id": gid("Work", work.id)}))["node"]
    assert {p["status"] for p in shown["publications"]} == {"RETRACTED"}
    assert facebook.live_posts_by_link() == {}
    assert wordpress.live_posts_by_requested_slug() == {}


async def test_bad_publishing_requests_are_typed_errors(
    admin: GraphQLClient, client: GraphQLClient, wordpress: FakeWordPress
) -> None:
    world = await make_world(with_cycle=False)
    await _configure(admin, world, wordpress=wordpress)
    chair = world.client(client, "CHAIR")
    draft = await works.create_work(
        actor=SYSTEM,
        unit_id=world.unit.id,
        data=works.WorkData(
            kind=WorkKind.RESEARCH,
            fiscal_year=2565,
            title_th="ร่าง",
            authors=[works.AuthorData(name_th="ผู้ร่วม", corresponding=True)],
        ),
    )
    registered = await _registered_work(world)
    long_title = await _registered_work(world, 2, title="ก" * 300)

    async def errors(work: Work, channels: list[str]) -> list[dict[str, object]]:
        body = await chair.data(
            PUBLISH, {"input": {"id": gid("Work", work.id), "channels": channels}}
        )
        return body["workPublish"]["errors"]

    [unregistered] = await errors(draft, ["WEBSITE"])
    assert unregistered["code"] == "INVALID_TRANSITION"
    [no_settings] = await errors(registered, ["FACEBOOK"])
    assert no_settings["code"] == "CHANNEL_NOT_CONFIGURED"
    assert no_settings["field"] == ["input", "channels", "0"]
    [too_long] = await errors(long_title, ["WEBSITE"])
    assert too_long["code"] == "INVALID_INPUT"
    [none] = await errors(registered, [])
    assert none["code"] == "INVALID_INPUT"
    unknown = await chair.post(
        PUBLISH, {"input": {"id": gid("Work", registered.id), "channels": ["MYSPACE"]}}
    )
    assert unknown["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert not await Publication.exists()

    bad = await admin.data(
        CONFIGURE,
        {
            "input": {
                "unit": gid("Unit", world.unit.id),
                "channel": "LINE",
                "baseUrl": "ftp://x",
                "templateTh": "{title} {secret}",
            }
        },
    )
    assert [e["field"] for e in bad["publishingChannelConfigure"]["errors"]] == [
        ["input", "baseUrl"],
        ["input", "templateTh"],
    ]


async def test_an_expired_token_stops_retrying_and_tells_the_administrator(
    admin: GraphQLClient, client: GraphQLClient, facebook: FakeFacebook
) -> None:
    world = await make_world(with_cycle=False)
    await _configure(admin, world, facebook=facebook)
    work = await _registered_work(world)
    await publishing.publish_work(actor=SYSTEM, work_id=work.id, channel_list=[Channel.FACEBOOK])
    facebook.faults.script.append("expired")

    async with httpx.AsyncClient(timeout=2) as http:
        await Dispatcher(http, FAST).run_once()

    message = await OutboxMessage.get()
    assert message.status == OutboxStatus.DEAD and message.attempts == 1
    channels = await admin.data(CHANNELS, {"unit": gid("Unit", world.unit.id)})
    [settings] = channels["publishingChannels"]
    assert "190" in settings["credentialProblem"]
    publication = await Publication.get()
    assert publication.status == PublicationStatus.FAILED

    retried = await world.client(client, "CHAIR").data(
        RETRY, {"input": {"id": gid("Publication", publication.id)}}
    )
    assert retried["publicationRetry"]["publication"]["status"] == "QUEUED"
    async with httpx.AsyncClient(timeout=2) as http:
        await _drain(Dispatcher(http, FAST))
    assert (await Publication.get()).status == PublicationStatus.PUBLISHED


async def test_a_refused_facebook_retraction_is_dead_and_shown_not_taken_for_done(
    admin: GraphQLClient, client: GraphQLClient, facebook: FakeFacebook
) -> None:
    world = await make_world(with_cycle=False)
    await _configure(admin, world, facebook=facebook)
    work = await _registered_work(world)
    await publishing.publish_work(actor=SYSTEM, work_id=work.id, channel_list=[Channel.FACEBOOK])
    async with httpx.AsyncClient(timeout=2) as http:
        await _drain(Dispatcher(http, FAST))
        await publishing.retract_work(actor=SYSTEM, work_id=work.id, reason="ผิด")
        facebook.faults.script.append("forbidden")
        await Dispatcher(http, FAST).run_once()

        retraction = await OutboxMessage.get(action=OutboxAction.RETRACT)
        assert retraction.status == OutboxStatus.DEAD
        chair = world.client(client, "CHAIR")
        [shown] = (await chair.data(WORK, {"id": gid("Work", work.id)}))["node"]["publications"]
        assert shown["status"] == "PUBLISHED"
        assert "code 200" in shown["lastError"]
        assert facebook.live_posts_by_link() == {publishing.work_link(work): 1}

        await chair.data(RETRY, {"input": {"id": shown["id"]}})
        await _drain(Dispatcher(http, FAST))

    assert facebook.live_posts_by_link() == {}
    publication = await Publication.get()
    assert (publication.status, publication.last_error) == (PublicationStatus.RETRACTED, None)


async def test_after_the_last_attempt_the_message_is_dead_until_retried(
    admin: GraphQLClient, client: GraphQLClient, line: FakeLine
) -> None:
    world = await make_world(with_cycle=False)
    await _configure(admin, world, line=line)
    work = await _registered_work(world)
    await publishing.publish_work(actor=SYSTEM, work_id=work.id, channel_list=[Channel.LINE])
    line.faults.script.extend(["error"] * 3)
    policy = RetryPolicy(max_attempts=3, base_seconds=0, max_seconds=0, lease_seconds=30)

    async with httpx.AsyncClient(timeout=2) as http:
        for _ in range(3):
            await Dispatcher(http, policy).run_once()
        assert not await Dispatcher(http, policy).run_once()

    publication = await Publication.get()
    assert publication.status == PublicationStatus.FAILED and publication.attempts == 3
    assert "HTTP 500" in (publication.last_error or "")
    assert (await OutboxMessage.get()).status == OutboxStatus.DEAD
    outsider = await world.client(client, "OUTSIDER").post(
        RETRY, {"input": {"id": gid("Publication", publication.id)}}
    )
    assert_forbidden(outsider)
    chair = world.client(client, "CHAIR")
    await chair.data(RETRY, {"input": {"id": gid("Publication", publication.id)}})
    again = await chair.data(RETRY, {"input": {"id": gid("Publication", publication.id)}})
    assert again["publicationRetry"]["errors"][0]["code"] == "INVALID_TRANSITION"
    async with httpx.AsyncClient(timeout=2) as http:
        await _drain(Dispatcher(http, policy))
    assert line.messages_mentioning("lo-2565-0001") == 1


async def test_a_dead_publication_of_a_work_no_longer_published_is_not_sent_again(
    admin: GraphQLClient, client: GraphQLClient, line: FakeLine
) -> None:
    world = await make_world(with_cycle=False)
    await _configure(admin, world, line=line)
    work = await _registered_work(world)
    await publishing.publish_work(actor=SYSTEM, work_id=work.id, channel_list=[Channel.LINE])
    line.faults.script.append("error")
    async with httpx.AsyncClient(timeout=2) as http:
        await Dispatcher(http, RetryPolicy(max_attempts=1, lease_seconds=30)).run_once()
    assert (await OutboxMessage.get()).status == OutboxStatus.DEAD
    await works.act_on_work(
        actor=SYSTEM, work_id=work.id, action=works.WorkAction.ARCHIVE, reason="เก็บ"
    )

    publication = await Publication.get()
    retried = await world.client(client, "CHAIR").data(
        RETRY, {"input": {"id": gid("Publication", publication.id)}}
    )

    [error] = retried["publicationRetry"]["errors"]
    assert error["code"] == "INVALID_TRANSITION" and "จัดเก็บแล้ว" in error["message"]
    assert (await OutboxMessage.get()).status == OutboxStatus.DEAD
    assert line.texts() == []


async def test_publishing_a_channel_whose_publication_is_dead_points_to_retry(
    admin: GraphQLClient, client: GraphQLClient, line: FakeLine, wordpress: FakeWordPress
) -> None:
    world = await make_world(with_cycle=False)
    await _configure(admin, world, wordpress=wordpress, line=line)
    work = await _registered_work(world)
    await publishing.publish_work(actor=SYSTEM, work_id=work.id, channel_list=[Channel.LINE])
    line.faults.script.append("error")
    async with httpx.AsyncClient(timeout=2) as http:
        await Dispatcher(http, RetryPolicy(max_attempts=1, lease_seconds=30)).run_once()
    assert (await OutboxMessage.get()).status == OutboxStatus.DEAD

    body = await world.client(client, "CHAIR").data(
        PUBLISH, {"input": {"id": gid("Work", work.id), "channels": ["WEBSITE", "LINE"]}}
    )

    [error] = body["workPublish"]["errors"]
    assert error["code"] == "INVALID_TRANSITION"
    assert error["field"] == ["input", "channels", "1"]
    assert "LINE" in error["message"] and "publicationRetry" in error["message"]
    assert await OutboxMessage.all().count() == 1  # nothing queued, not even the website
    assert not await Publication.filter(channel=Channel.WEBSITE).exists()


async def test_a_queued_send_of_a_work_archived_meanwhile_is_cancelled(
    admin: GraphQLClient, line: FakeLine
) -> None:
    work = await _one_queued_line_message(admin, line)
    await works.act_on_work(
        actor=SYSTEM, work_id=work.id, action=works.WorkAction.ARCHIVE, reason="เก็บ"
    )
    async with httpx.AsyncClient(timeout=2) as http:
        await _drain(Dispatcher(http, FAST))

    assert line.texts() == []
    message = await OutboxMessage.get()
    assert (message.status, message.last_error) == (
        OutboxStatus.DONE,
        "cancelled: the work is ARCHIVED",
    )


@pytest.mark.parametrize("channel", ["WEBSITE", "FACEBOOK", "LINE"])
async def test_a_worker_killed_mid_send_does_not_post_twice(
    admin: GraphQLClient,
    wordpress: FakeWordPress,
    facebook: FakeFacebook,
    line: FakeLine,
    channel: str,
) -> None:
    world = await make_world(with_cycle=False)
    await _configure(admin, world, wordpress, facebook, line)
    work = await _registered_work(world)
    await publishing.publish_work(actor=SYSTEM, work_id=work.id, channel_list=[Channel(channel)])
    fake = {"WEBSITE": wordpress, "FACEBOOK": facebook, "LINE": line}[channel]
    fake.faults.slow_seconds = 3
    # The request that reaches the channel is taken, but answered too late (WordPress first
    # looks the slug up).
    fake.faults.script.extend([None, "slow"] if channel == "WEBSITE" else ["slow"])

    async with httpx.AsyncClient(timeout=5) as http:
        doomed = asyncio.create_task(Dispatcher(http, FAST, worker_id="doomed").run_once())
        # Until the channel has taken the post; its answer is not back yet.
        for _ in range(100):
            await asyncio.sleep(0.05)
            if wordpress.posts or facebook.posts or line.accepted:
                break
        assert not doomed.done()
        doomed.cancel()
        with pytest.raises(asyncio.CancelledError):
            await doomed
        message = await OutboxMessage.get()
        assert message.in_doubt and message.status == OutboxStatus.PENDING
        # The lease runs out; another worker takes the message over.
        await OutboxMessage.all().update(lease_until=utcnow() - timedelta(seconds=1))
        await _drain(Dispatcher(http, FAST, worker_id="survivor"))

    link = publishing.work_link(work)
    if channel == "WEBSITE":
        assert wordpress.live_posts_by_requested_slug() == {"lo-2565-0001": 1}
    elif channel == "FACEBOOK":
        assert facebook.live_posts_by_link() == {link: 1}
    else:
        assert line.messages_mentioning(link) == 1
    assert (await Publication.get()).status == PublicationStatus.PUBLISHED


class _Stalling:
    """A channel adapter that holds its sends until told to go: a worker stalled mid-send."""

    def __init__(self, inner: ChannelAdapter) -> None:
        self.inner, self.channel = inner, inner.channel
        self.reached, self.go = asyncio.Event(), asyncio.Event()

    async def publish(self, config: ChannelConfig, post: Post, *, in_doubt: bool) -> Sent:
        self.reached.set()
        await self.go.wait()
        return await self.inner.publish(config, post, in_doubt=in_doubt)

    async def find(self, config: ChannelConfig, post: Post) -> Sent | None:
        return await self.inner.find(config, post)

    async def retract(self, config: ChannelConfig, external_id: str) -> None:
        await self.inner.retract(config, external_id)


def _stalled_dispatcher(http: httpx.AsyncClient, channel: Channel) -> tuple[Dispatcher, _Stalling]:
    adapters = channel_adapters(http)
    stalling = _Stalling(adapters[channel])
    adapters[channel] = stalling
    return Dispatcher(http, FAST, worker_id="stalled", adapters=adapters), stalling


async def test_a_worker_whose_lease_ran_out_cannot_undo_what_the_next_one_recorded(
    admin: GraphQLClient, facebook: FakeFacebook
) -> None:
    world = await make_world(with_cycle=False)
    await _configure(admin, world, facebook=facebook)
    work = await _registered_work(world)
    await publishing.publish_work(actor=SYSTEM, work_id=work.id, channel_list=[Channel.FACEBOOK])

    async with httpx.AsyncClient(timeout=2) as http:
        stalled, stalling = _stalled_dispatcher(http, Channel.FACEBOOK)
        sending = asyncio.create_task(stalled.run_once())
        await asyncio.wait_for(stalling.reached.wait(), 5)
        # It stalls; its lease runs out and another worker publishes.
        await OutboxMessage.all().update(lease_until=utcnow() - timedelta(seconds=1))
        await _drain(Dispatcher(http, FAST, worker_id="next"))
        published = await Publication.get()
        assert published.status == PublicationStatus.PUBLISHED

        # The stalled worker wakes up and its send fails: the outcome is dropped.
        facebook.faults.script.append("error")
        stalling.go.set()
        await sending
        assert (await OutboxMessage.get()).status == OutboxStatus.DONE
        await OutboxMessage.all().update(available_at=utcnow())
        assert not await Dispatcher(http, FAST, worker_id="later").run_once()

    after = await Publication.get()
    assert (after.status, after.external_id, after.last_error) == (
        PublicationStatus.PUBLISHED,
        published.external_id,
        None,
    )
    assert facebook.live_posts_by_link() == {publishing.work_link(work): 1}


async def test_a_late_success_of_a_worker_that_lost_its_lease_is_dropped(
    admin: GraphQLClient, line: FakeLine
) -> None:
    work = await _one_queued_line_message(admin, line)
    async with httpx.AsyncClient(timeout=2) as http:
        stalled = Dispatcher(http, FAST, worker_id="stalled")
        token, [message] = await stalled.claim()
        await OutboxMessage.all().update(lease_until=utcnow() - timedelta(seconds=1))
        # The worker that took over fails and will try again later.
        line.faults.script.append("error")
        taken_over = Dispatcher(http, FAST, worker_id="next")
        assert await taken_over.run_once() == 1
        assert (await Publication.get()).status == PublicationStatus.FAILED

        await stalled._carry_out(token, message)  # sent: but no longer its message
        assert (await OutboxMessage.get()).status == OutboxStatus.PENDING
        assert (await Publication.get()).status == PublicationStatus.FAILED
        await _drain(taken_over)  # the same retry key: LINE says it already took it

    assert (await Publication.get()).status == PublicationStatus.PUBLISHED
    assert line.messages_mentioning(publishing.work_link(work)) == 1


async def test_a_send_that_lands_after_the_retraction_is_retracted_too(
    admin: GraphQLClient, facebook: FakeFacebook
) -> None:
    world = await make_world(with_cycle=False)
    await _configure(admin, world, facebook=facebook)
    work = await _registered_work(world)
    await publishing.publish_work(actor=SYSTEM, work_id=work.id, channel_list=[Channel.FACEBOOK])

    async with httpx.AsyncClient(timeout=2) as http:
        stalled, stalling = _stalled_dispatcher(http, Channel.FACEBOOK)
        sending = asyncio.create_task(stalled.run_once())
        await asyncio.wait_for(stalling.reached.wait(), 5)
        await publishing.retract_work(actor=SYSTEM, work_id=work.id, reason="ผิด")
        # The send's lease runs out before it is back (nobody has taken it over yet), so the
        # retraction goes ahead: nothing to delete so far.
        await OutboxMessage.filter(action=OutboxAction.PUBLISH).update(
            lease_until=utcnow() - timedelta(seconds=1), available_at=utcnow() + timedelta(hours=1)
        )
        assert await Dispatcher(http, FAST, worker_id="next").run_once() == 1
        assert (await Publication.get()).status == PublicationStatus.RETRACTED

        stalling.go.set()  # the stalled send lands
        await sending
        assert len(facebook.live_posts_by_link()) == 1
        publication = await Publication.get()
        assert publication.status == PublicationStatus.RETRACTED
        assert publication.external_id == facebook.posts[0]["id"]
        await OutboxMessage.filter(action=OutboxAction.PUBLISH).update(available_at=utcnow())
        await _drain(Dispatcher(http, FAST, worker_id="next"))

    assert facebook.live_posts_by_link() == {}
    assert (await Publication.get()).status == PublicationStatus.RETRACTED


@pytest.mark.parametrize("then", ["retract", "archive"])
async def test_a_send_failing_after_the_work_was_taken_down_is_not_tried_again(
    admin: GraphQLClient, facebook: FakeFacebook, then: str
) -> None:
    world = await make_world(with_cycle=False)
    await _configure(admin, world, facebook=facebook)
    work = await _registered_work(world)
    await publishing.publish_work(actor=SYSTEM, work_id=work.id, channel_list=[Channel.FACEBOOK])

    async with httpx.AsyncClient(timeout=2) as http:
        stalled, stalling = _stalled_dispatcher(http, Channel.FACEBOOK)
        sending = asyncio.create_task(stalled.run_once())
        await asyncio.wait_for(stalling.reached.wait(), 5)
        if then == "retract":
            await publishing.retract_work(actor=SYSTEM, work_id=work.id, reason="ผิด")
        else:
            await works.act_on_work(
                actor=SYSTEM, work_id=work.id, action=works.WorkAction.ARCHIVE, reason="เก็บ"
            )
        facebook.faults.script.append("error")
        stalling.go.set()
        await sending
        send = await OutboxMessage.get(action=OutboxAction.PUBLISH)
        assert send.status == OutboxStatus.DONE
        assert (send.last_error or "").startswith("cancelled: ")
        await _drain(Dispatcher(http, FAST, worker_id="next"))

    assert facebook.posts == []
    expected = PublicationStatus.RETRACTED if then == "retract" else PublicationStatus.FAILED
    assert (await Publication.get()).status == expected


# -- many works through two workers ---------------------------------------------------------

# 150 in the suite; `make stress` sends 1,000 (LOHUB_STRESS_WORKS), as the closing figures quote.
MANY = int(os.environ.get("LOHUB_STRESS_WORKS", "150"))


async def _many_registered_works(world: World, count: int) -> list[int]:
    """Registered works made in bulk (the lifecycle is tested above; this is about sending)."""
    now = utcnow()
    await Work.bulk_create(
        [
            Work(
                unit_id=world.unit.id,
                fiscal_year=2565,
                kind=WorkKind.RESEARCH,
                status=WorkStatus.REGISTERED,
                title_th=f"งานวิจัยที่ {n}",
                registry_number=f"LO-2565-{n:04d}",
                registered_at=now,
            )
            for n in range(1, count + 1)
        ],
        batch_size=500,
    )
    ids = list(await Work.all().order_by("id").values_list("id", flat=True))
    await WorkAuthor.bulk_create(
        [WorkAuthor(work_id=i, position=1, name_th="ผู้วิจัย", corresponding=True) for i in ids],
        batch_size=500,
    )
    return [int(i) for i in ids]  # type: ignore[call-overload]


async def test_many_works_through_two_workers_against_failing_channels(
    admin: GraphQLClient, database: str
) -> None:
    faults = {
        "kinds": ("error", "error_after", "throttle", "slow", "reset", "reset_before"),
        "rate": 0.2,
        "slow_seconds": 0.5,
        "retry_after": "1",
    }
    with (
        FakeWordPress(Faults(seed=1, **faults)) as wordpress,  # type: ignore[arg-type]
        FakeFacebook(Faults(seed=2, **faults)) as facebook,  # type: ignore[arg-type]
        FakeLine(Faults(seed=3, **faults)) as line,  # type: ignore[arg-type]
    ):
        world = await make_world(with_cycle=False)
        await _configure(admin, world, wordpress, facebook, line)  # type: ignore[arg-type]
        ids = await _many_registered_works(world, MANY)
        for work_id in ids:
            await publishing.publish_work(
                actor=SYSTEM,
                work_id=work_id,
                channel_list=[Channel.WEBSITE, Channel.FACEBOOK, Channel.LINE],
            )

        await drain_with_two_workers(batch=25)

        assert not await OutboxMessage.exclude(status=OutboxStatus.DONE).exists()
        statuses = await Publication.all().values_list("status", flat=True)
        assert len(statuses) == 3 * MANY
        assert set(statuses) == {PublicationStatus.PUBLISHED}
        slugs = wordpress.live_posts_by_requested_slug()
        assert len(slugs) == MANY and set(slugs.values()) == {1}
        links = facebook.live_posts_by_link()
        assert len(links) == MANY and set(links.values()) == {1}
        texts = line.texts()
        assert len(texts) == MANY
        assert len({t.rsplit("/", 1)[-1] for t in texts}) == MANY
        # The faults really happened, on every channel.
        for fake in (wordpress, facebook, line):
            assert sum(fake.faults.seen.values()) > MANY * 0.1, fake.faults.seen
        assert await ChannelSettings.filter(credential_problem__isnull=False).count() == 0


# -- where the worker runs -------------------------------------------------------------------


async def _one_queued_line_message(admin: GraphQLClient, line: FakeLine) -> Work:
    world = await make_world(with_cycle=False)
    await _configure(admin, world, line=line)
    work = await _registered_work(world)
    await publishing.publish_work(actor=SYSTEM, work_id=work.id, channel_list=[Channel.LINE])
    return work


async def _until_published(seconds: float) -> None:
    for _ in range(int(seconds * 20)):
        if await Publication.filter(status=PublicationStatus.PUBLISHED).exists():
            return
        await asyncio.sleep(0.05)
    raise AssertionError("not published in time")


async def test_the_in_process_dispatcher_of_lohub_serve_sends(
    admin: GraphQLClient, line: FakeLine
) -> None:
    from api.app import run_dispatcher
    from services.settings import get_settings

    await _one_queued_line_message(admin, line)
    stop = asyncio.Event()
    settings = get_settings().model_copy(update={"publishing_backoff_base_seconds": 0.01})

    task = asyncio.create_task(run_dispatcher(settings, stop))
    await _until_published(10)
    stop.set()
    await asyncio.wait_for(task, 5)

    assert line.messages_mentioning("lo-2565-0001") == 1


async def test_lohub_worker_drains_the_outbox_and_stops_on_sigterm(
    admin: GraphQLClient, line: FakeLine
) -> None:
    import os
    import signal
    import sys

    await _one_queued_line_message(admin, line)
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        "from api.cli import main; main(['worker'])",
        env={**os.environ, "LOHUB_LOG_LEVEL": "WARNING"},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        await _until_published(120)  # a process start on a busy machine
    finally:
        process.send_signal(signal.SIGTERM)
        out, err = await asyncio.wait_for(process.communicate(), 10)

    assert process.returncode == 0, err.decode()
    assert b"publishing worker started" in out
    assert line.messages_mentioning("lo-2565-0001") == 1
    assert line.token.encode() not in out + err


async def test_a_publication_is_seen_by_whoever_may_see_its_work(
    admin: GraphQLClient, client: GraphQLClient, line: FakeLine
) -> None:
    work = await _one_queued_line_message(admin, line)
    publication = await Publication.get()
    outsider = client.signed_in_as(await make_user("someone.else"))
    query = """query P($id: ID!) { node(id: $id) { ... on Publication { channel status } } }"""

    seen = await outsider.data(query, {"id": gid("Publication", publication.id)})
    await works.act_on_work(
        actor=SYSTEM, work_id=work.id, action=works.WorkAction.ARCHIVE, reason="เก็บ"
    )
    hidden = await outsider.data(query, {"id": gid("Publication", publication.id)})

    assert seen["node"] == {"channel": "LINE", "status": "QUEUED"}
    assert hidden["node"] is None


async def test_attempts_and_the_last_error_are_for_the_unit_lead_and_administrators(
    admin: GraphQLClient, client: GraphQLClient, line: FakeLine
) -> None:
    world = await make_world(with_cycle=False)
    await _configure(admin, world, line=line)
    work = await _registered_work(world)
    await publishing.publish_work(actor=SYSTEM, work_id=work.id, channel_list=[Channel.LINE])
    line.faults.script.append("error")
    async with httpx.AsyncClient(timeout=2) as http:
        await Dispatcher(http, FAST).run_once()
    publication = await Publication.get()
    by_node = (
        """query P($id: ID!) { node(id: $id) { ... on Publication { attempts lastError } } }"""
    )

    async def seen(who: GraphQLClient) -> list[dict[str, object]]:
        through_work = (await who.data(WORK, {"id": gid("Work", work.id)}))["node"]
        alone = (await who.data(by_node, {"id": gid("Publication", publication.id)}))["node"]
        return [
            {k: p[k] for k in ("attempts", "lastError")} for p in through_work["publications"]
        ] + [alone]

    delivery = {"attempts": 1, "lastError": publication.last_error}
    hidden = {"attempts": None, "lastError": None}
    assert "HTTP 500" in (publication.last_error or "")
    for who in ("CHAIR", "SECRETARY"):
        assert await seen(world.client(client, who)) == [delivery, delivery]
    assert await seen(admin) == [delivery, delivery]
    for who in ("MEMBER", "OUTSIDER"):
        assert await seen(world.client(client, who)) == [hidden, hidden]


async def test_a_line_message_in_doubt_past_its_retry_key_is_sent_again_only_when_asked(
    admin: GraphQLClient, client: GraphQLClient, line: FakeLine
) -> None:
    world = await make_world(with_cycle=False)
    await _configure(admin, world, line=line)
    work = await _registered_work(world)
    await publishing.publish_work(actor=SYSTEM, work_id=work.id, channel_list=[Channel.LINE])
    first = await Publication.get()
    line.faults.script.append("error_after")  # taken, but the answer is a 500: in doubt
    async with httpx.AsyncClient(timeout=2) as http:
        await Dispatcher(http, FAST).run_once()
        # A day later (workers were down): LINE no longer knows the retry key.
        line.expire_retry_keys()
        await OutboxMessage.all().update(created_at=utcnow() - timedelta(hours=24))
        await _drain(Dispatcher(http, FAST))

    link = publishing.work_link(work)
    assert line.messages_mentioning(link) == 1
    message = await OutboxMessage.get()
    assert message.status == OutboxStatus.DEAD
    publication = await Publication.get()
    assert publication.status == PublicationStatus.FAILED
    assert (publication.last_error or "").startswith("may have been sent: ")

    chair = world.client(client, "CHAIR")
    plain = await chair.data(RETRY, {"input": {"id": gid("Publication", publication.id)}})
    [refused] = plain["publicationRetry"]["errors"]
    assert refused["code"] == "INVALID_TRANSITION"
    assert "sendAgain" in refused["message"]
    assert (await OutboxMessage.get()).status == OutboxStatus.DEAD

    again = await chair.data(
        RETRY, {"input": {"id": gid("Publication", publication.id), "sendAgain": True}}
    )
    assert again["publicationRetry"]["publication"]["status"] == "QUEUED"
    async with httpx.AsyncClient(timeout=2) as http:
        await _drain(Dispatcher(http, FAST))

    assert line.messages_mentioning(link) == 2  # asked for: a new message under a new key
    publication = await Publication.get()
    assert publication.status == PublicationStatus.PUBLISHED
    assert publication.retry_key != first.retry_key


async def test_publishing_again_never_makes_a_second_message(
    admin: GraphQLClient, line: FakeLine
) -> None:
    work = await _one_queued_line_message(admin, line)
    line.faults.script.append("error_after")  # taken, but the answer is a 500
    async with httpx.AsyncClient(timeout=2) as http:
        await Dispatcher(http, FAST).run_once()
    assert (await Publication.get()).status == PublicationStatus.FAILED

    await publishing.publish_work(actor=SYSTEM, work_id=work.id, channel_list=[Channel.LINE])
    assert await OutboxMessage.all().count() == 1
    async with httpx.AsyncClient(timeout=2) as http:
        await _drain(Dispatcher(http, FAST))
    assert line.messages_mentioning("lo-2565-0001") == 1

    await publishing.retract_work(actor=SYSTEM, work_id=work.id, reason="แก้ไข")
    with pytest.raises(DomainError) as busy:
        await publishing.publish_work(actor=SYSTEM, work_id=work.id, channel_list=[Channel.LINE])
    assert busy.value.problems[0].message_key == "retraction_in_progress"
    async with httpx.AsyncClient(timeout=2) as http:
        await _drain(Dispatcher(http, FAST))
        await publishing.publish_work(actor=SYSTEM, work_id=work.id, channel_list=[Channel.LINE])
        await _drain(Dispatcher(http, FAST))

    # Published again after the retraction: a new message under a new retry key.
    assert line.messages_mentioning("lo-2565-0001") == 2
    assert (await Publication.get()).status == PublicationStatus.PUBLISHED


async def test_retracting_finds_and_deletes_a_post_whose_send_was_in_doubt(
    admin: GraphQLClient, facebook: FakeFacebook
) -> None:
    world = await make_world(with_cycle=False)
    await _configure(admin, world, facebook=facebook)
    work = await _registered_work(world)
    await publishing.publish_work(actor=SYSTEM, work_id=work.id, channel_list=[Channel.FACEBOOK])
    facebook.faults.script.append("slow")
    facebook.faults.slow_seconds = 2
    async with httpx.AsyncClient(timeout=0.5) as http:
        await Dispatcher(http, FAST).run_once()  # timed out: posted, but the id is unknown
        await _until(lambda: bool(facebook.posts))
        assert (await Publication.get()).external_id is None
        assert len(facebook.live_posts_by_link()) == 1

        await publishing.retract_work(actor=SYSTEM, work_id=work.id, reason="ผิด")
        await _drain(Dispatcher(http, FAST))

    assert facebook.live_posts_by_link() == {}
    assert (await Publication.get()).status == PublicationStatus.RETRACTED


async def test_two_workers_claiming_at_once_never_share_a_message(
    admin: GraphQLClient, line: FakeLine
) -> None:
    world = await make_world(with_cycle=False)
    await _configure(admin, world, line=line)
    for n in range(1, 31):
        work = await _registered_work(world, n)
        await publishing.publish_work(actor=SYSTEM, work_id=work.id, channel_list=[Channel.LINE])
    async with httpx.AsyncClient(timeout=2) as http:
        one, two = Dispatcher(http, FAST, batch=20), Dispatcher(http, FAST, batch=20)

        (_, first), (_, second) = await asyncio.gather(one.claim(), two.claim())

    mine = {m.id for m in first}
    theirs = {m.id for m in second}
    assert not mine & theirs
    assert len(mine | theirs) == 30


async def test_the_channels_list_runs_fixed_sql_and_never_shows_a_credential(
    admin: GraphQLClient, client: GraphQLClient, wordpress: FakeWordPress, line: FakeLine
) -> None:
    from tests.helpers import count_queries

    world = await make_world(with_cycle=False)
    query = """query C($unit: ID!) { publishingChannels(unit: $unit) {
        id channel baseUrl account hasCredential credentialProblem templateTh version } }"""
    chair = world.client(client, "CHAIR")
    await _configure(admin, world, line=line)
    with count_queries() as one:
        few = await chair.data(query, {"unit": gid("Unit", world.unit.id)})
    await _configure(admin, world, wordpress=wordpress)
    with count_queries() as two:
        more = await chair.data(query, {"unit": gid("Unit", world.unit.id)})
    by_node = await admin.data(
        "query N($id: ID!) { node(id: $id) { ... on PublishingChannelSettings { channel } } }",
        {"id": more["publishingChannels"][0]["id"]},
    )
    member = await world.client(client, "MEMBER").post(query, {"unit": gid("Unit", world.unit.id)})

    assert len(few["publishingChannels"]) == 1 and len(more["publishingChannels"]) == 2
    assert len(one) == len(two)
    assert by_node["node"] == {"channel": "LINE"}
    assert wordpress.password not in str(more) and line.token not in str(few)
    assert_forbidden(member)


async def drain_with_two_workers(batch: int) -> None:
    """Two workers share the outbox until nothing is pending (two minutes at most)."""
    stop = asyncio.Event()
    async with httpx.AsyncClient(timeout=0.25) as http:
        workers = [
            asyncio.create_task(
                Dispatcher(http, SETTLING, worker_id=f"w{n}", batch=batch).run(
                    stop, idle_seconds=0.05
                )
            )
            for n in (1, 2)
        ]
        for _ in range(1200):
            await asyncio.sleep(0.1)
            if not await OutboxMessage.filter(status=OutboxStatus.PENDING).exists():
                break
        stop.set()
        await asyncio.gather(*workers)
