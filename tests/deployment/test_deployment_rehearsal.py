"""A rehearsal of the production shape, on PostgreSQL only: two `lohub serve` and two
`lohub worker` processes on loopback, one bucket (moto's S3 server) and a PostgreSQL of the
test's own, which the test stops and starts again under load.

- Files, publishing and the live scoreboard cross processes: a file uploaded through one API is
  downloaded through the other, a work published through one is posted once by the workers, a
  scoreboard subscriber on one API sees a score submitted through the other.
- PostgreSQL restarts under a bounded load: `/readyz` is 503 while it is down and 200 after;
  requests fail with SERVICE_UNAVAILABLE (503, Retry-After), never a 500 or a hang; the API
  processes, workers and scoreboard subscriptions recover without a restart; nothing
  acknowledged is lost and nothing is posted twice.
- A worker killed with SIGKILL mid-batch: the next one takes its messages over once their lease
  runs out, and posts nothing twice.

The figures (requests during the restart, recovery time) are printed: run with ``-s``.
"""

import asyncio
import json
import os
import signal
import time
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest
import websockets

from models.publishing import Channel
from models.user import User
from models.work import Work
from services import publishing
from services.actor import SYSTEM
from services.contests import assignments, scoreboard
from services.publishing import ChannelSettingsData, slug_of
from tests.contest_world import (
    ContestWorld,
    make_contest_world,
    registered_work,
    shortlisted_entry,
    start_judging,
)
from tests.cycles.test_documents import PDF
from tests.fakes import FakeFacebook, FakeLine, FakeWordPress
from tests.helpers import token_for
from tests.live import HOST, lohub_process, lohub_worker
from tests.object_storage import create_bucket, s3_environment
from tests.own_postgres import OwnPostgres
from tests.world import gid

pytestmark = pytest.mark.skipif(
    os.environ.get("LOHUB_TEST_BACKEND", "sqlite") != "postgres",
    reason="the deployment runs on PostgreSQL",
)

UPLOAD = """mutation Upload($input: DocumentUploadInput!) { documentUpload(input: $input) {
    document { id downloadUrl } errors { code } } }"""
PUBLISH = """mutation Publish($input: WorkPublishInput!) { workPublish(input: $input) {
    work { status } errors { code message } } }"""
READ = """query Work($id: ID!) { node(id: $id) { ... on Work { status registryNumber } } }"""
SUBSCRIBE = """subscription($id: ID!) { contestScoreboard(contestId: $id) {
    entry { id } count judges { judge { username } } } }"""
SCORE = """mutation($input: EntryScoreInput!) { entryScore(input: $input) {
    weightedTotal errors { code } } }"""
CHANNELS = ["WEBSITE", "FACEBOOK", "LINE"]
LEASE_SECONDS = 4
REQUEST_TIMEOUT = 10.0


@dataclass
class Deployment:
    postgres: OwnPostgres
    database_url: str
    apis: list[int]
    workers: list[asyncio.subprocess.Process]
    environment: dict[str, str]
    tmp: Path
    world: ContestWorld
    entry_id: str
    entry_pk: int
    works: list[Work]
    wordpress: FakeWordPress
    facebook: FakeFacebook
    line: FakeLine
    stack: AsyncExitStack = field(default_factory=AsyncExitStack)

    def url(self, api: int, path: str = "/graphql") -> str:
        return f"http://{HOST}:{api}{path}"

    def posts_of(self, work: Work) -> tuple[int, int, int]:
        """How many live posts each channel holds for ``work``: (website, Facebook, LINE)."""
        slug = slug_of(work)
        on_facebook = self.facebook.live_posts_by_link()
        return (
            self.wordpress.live_posts_by_requested_slug()[slug],
            sum(n for link, n in on_facebook.items() if link.endswith(f"/{slug}")),
            self.line.messages_mentioning(slug),
        )

    async def sql(self, query: str, *args: object) -> list[asyncpg.Record]:
        connection = await asyncpg.connect(self.database_url.replace("postgres", "postgresql", 1))
        try:
            return list(await connection.fetch(query, *args))
        finally:
            await connection.close()

    async def start_worker(self, name: str) -> asyncio.subprocess.Process:
        worker = await self.stack.enter_async_context(
            lohub_worker(self.tmp, env=self.environment, name=name)
        )
        self.workers.append(worker)
        return worker


def _bearer(user: User) -> dict[str, str]:
    return {"Authorization": f"Bearer {token_for(user)}"}


async def _seed() -> tuple[ContestWorld, int, list[Work]]:
    """In the suite's database (then copied): a contest in judging with one entry and two
    judges, three channels on the fakes (configured later), and works ready to publish."""
    cw = await make_contest_world()
    entry = await shortlisted_entry(cw, "สวนสุขภาพ")
    judge_ids = [cw.judges["judge_hpc"].id, cw.judges["judge_third"].id]
    await assignments.assign(
        actor=SYSTEM, contest_id=cw.contest.id, judge_ids=judge_ids, entry_ids=[entry.id]
    )
    await start_judging(cw)
    author = cw.world.people["กนกานต์"]
    works = [await registered_work(cw.world.unit, author, f"ผลงานซ้อม {n}") for n in range(12)]
    return cw, entry.id, [await Work.get(id=w.id) for w in works]


async def _configure(unit_id: int, wordpress: Any, facebook: Any, line: Any) -> None:
    for channel, fake, account, credential in (
        (Channel.WEBSITE, wordpress, wordpress.user, wordpress.password),
        (Channel.FACEBOOK, facebook, facebook.page_id, facebook.token),
        (Channel.LINE, line, "", line.token),
    ):
        await publishing.configure_channel(
            actor=SYSTEM,
            data=ChannelSettingsData(
                unit_id=unit_id,
                channel=channel,
                base_url=fake.base_url,
                account=account,
                credential=credential,
            ),
        )


@pytest.fixture(scope="module")
async def deployment(
    database: str, s3_endpoint: str, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Deployment]:
    started = time.monotonic()
    tmp = tmp_path_factory.mktemp("rehearsal")
    postgres = OwnPostgres()
    async with AsyncExitStack() as stack:
        stack.push_async_callback(postgres.discard)
        wordpress = stack.enter_context(FakeWordPress())
        facebook = stack.enter_context(FakeFacebook())
        line = stack.enter_context(FakeLine())
        # The server is made while the world is seeded in the suite's database.
        server = asyncio.create_task(postgres.initialise())
        cw, entry_pk, works = await _seed()
        await _configure(cw.world.unit.id, wordpress, facebook, line)
        await server
        await postgres.start()
        await postgres.copy_database(os.environ["LOHUB_DATABASE_URL"], "lohub")
        bucket = await create_bucket(s3_endpoint)
        environment = {
            "LOHUB_DATABASE_URL": postgres.url("lohub"),
            **s3_environment(s3_endpoint, bucket),
            "LOHUB_PUBLISHING_LEASE_SECONDS": str(LEASE_SECONDS),
            "LOHUB_PUBLISHING_BACKOFF_BASE_SECONDS": "0.2",
            "LOHUB_PUBLISHING_BACKOFF_MAX_SECONDS": "1",
            "LOHUB_PUBLISHING_SETTLE_SECONDS": "0.5",
            "LOHUB_PUBLISHING_THROTTLE_SECONDS": "1",
            "LOHUB_PUBLISHING_HTTP_TIMEOUT_SECONDS": "5",
        }
        deployment = Deployment(
            postgres=postgres,
            database_url=postgres.url("lohub"),
            apis=[],
            workers=[],
            environment=environment,
            tmp=tmp,
            world=cw,
            entry_id=gid("Entry", entry_pk),
            entry_pk=entry_pk,
            works=works,
            wordpress=wordpress,
            facebook=facebook,
            line=line,
        )
        await stack.enter_async_context(deployment.stack)
        # The four processes start together (each takes seconds to import and connect).
        apis = [lohub_process(tmp, env=environment) for _ in range(2)]
        ports = await asyncio.gather(*(deployment.stack.enter_async_context(a) for a in apis))
        deployment.apis = list(ports)
        await asyncio.gather(*(deployment.start_worker(f"worker-{n}") for n in (1, 2)))
        print(f"\ndeployment up in {time.monotonic() - started:.1f} s")
        yield deployment


async def _until(
    condition: Callable[[], Awaitable[bool]], seconds: float, what: str, every: float = 0.1
) -> float:
    """Poll ``condition`` until it holds; the seconds it took."""
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        if await condition():
            return time.monotonic() - started
        await asyncio.sleep(every)
    raise AssertionError(f"not within {seconds} s: {what}")


async def _all_published(d: Deployment, works: list[Work]) -> bool:
    rows = await d.sql(
        "SELECT status, count(*) AS n FROM publication WHERE work_id = ANY($1) GROUP BY status",
        [w.id for w in works],
    )
    return {r["status"]: r["n"] for r in rows} == {"PUBLISHED": 3 * len(works)}


async def _publish(http: httpx.AsyncClient, d: Deployment, api: int, work: Work) -> httpx.Response:
    chair = _bearer(d.world.world.users["CHAIR"])
    variables = {"input": {"id": gid("Work", work.id), "channels": CHANNELS}}
    return await http.post(
        d.url(api), json={"query": PUBLISH, "variables": variables}, headers=chair
    )


async def _upload(http: httpx.AsyncClient, d: Deployment, api: int) -> str:
    """A signed copy of the order uploaded through ``api``; its download URL."""
    order = gid("AppointmentOrder", d.world.world.order.id)
    operations = {"query": UPLOAD, "variables": {"input": {"order": order, "file": None}}}
    uploaded = await http.post(
        d.url(api),
        data={"operations": json.dumps(operations), "map": '{"0": ["variables.input.file"]}'},
        files={"0": ("คำสั่ง.pdf", PDF, "application/pdf")},
        headers={**_bearer(d.world.world.users["CHAIR"]), "GraphQL-Require-Preflight": "1"},
    )
    assert uploaded.status_code == 200, uploaded.text
    url: str = uploaded.json()["data"]["documentUpload"]["document"]["downloadUrl"]
    return url


async def _subscribe(d: Deployment, api: int) -> Any:
    socket = await websockets.connect(
        f"ws://{HOST}:{api}/graphql",
        subprotocols=["graphql-transport-ws"],  # type: ignore[list-item]
    )
    token = token_for(d.world.manager)
    await socket.send(
        json.dumps({"type": "connection_init", "payload": {"authorization": f"Bearer {token}"}})
    )
    assert json.loads(await socket.recv())["type"] == "connection_ack"
    contest = gid("Contest", d.world.contest.id)
    await socket.send(
        json.dumps(
            {
                "id": "1",
                "type": "subscribe",
                "payload": {"query": SUBSCRIBE, "variables": {"id": contest}},
            }
        )
    )
    # The API listens asynchronously: announce the entry until a push shows it does.
    announcement = f"{d.world.contest.id}:{d.entry_pk}"
    for _ in range(100):
        await d.sql("SELECT pg_notify($1, $2)", scoreboard.CHANNEL, announcement)
        try:
            await asyncio.wait_for(socket.recv(), timeout=0.3)
            return socket
        except TimeoutError:
            continue
    raise AssertionError("the scoreboard subscription never started")


async def _score(http: httpx.AsyncClient, d: Deployment, api: int, judge: str) -> dict[str, Any]:
    criteria = [gid("RubricCriterion", c.id) for c in d.world.criteria]
    scores = [{"criterion": criteria[0], "value": 8}, {"criterion": criteria[1], "value": 4}]
    variables = {"input": {"entry": d.entry_id, "scores": scores, "submit": True}}
    response = await http.post(
        d.url(api),
        json={"query": SCORE, "variables": variables},
        headers=_bearer(d.world.judges[judge]),
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def _pushed_score_of(socket: Any, judge: str, seconds: float = 20) -> dict[str, Any]:
    """The first push whose sheets include ``judge``'s."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        message = json.loads(await asyncio.wait_for(socket.recv(), timeout=seconds))
        board: dict[str, Any] = message["payload"]["data"]["contestScoreboard"]
        if judge in {j["judge"]["username"] for j in board["judges"]}:
            return board
    raise AssertionError(f"no push with {judge}'s score")


async def test_two_apis_and_two_workers_share_files_posts_and_the_scoreboard(
    deployment: Deployment,
) -> None:
    d = deployment
    first, second = d.apis
    work = d.works.pop()
    async with httpx.AsyncClient(timeout=REQUEST_TIMEOUT) as http:
        # A file uploaded through one API ...
        download_url = await _upload(http, d, first)
        # ... is downloaded through the other (a presigned link to the shared bucket).
        link = await http.get(d.url(second, download_url))
        fetched = await http.get(link.headers["location"])

        # A work published through one API is posted once, by one of the two workers.
        published = await _publish(http, d, first, work)
        await _until(lambda: _all_published(d, [work]), 30, "the work published")

        # A subscriber on one API sees a score submitted through the other.
        socket = await _subscribe(d, second)
        try:
            scored = await _score(http, d, first, "judge_hpc")
            board = await _pushed_score_of(socket, "judge_hpc")
        finally:
            await socket.close()

    assert link.status_code == 307
    assert fetched.content == PDF
    assert published.json()["data"]["workPublish"]["errors"] == []
    assert d.posts_of(work) == (1, 1, 1)
    assert scored["data"]["entryScore"]["errors"] == []
    assert board["entry"]["id"] == d.entry_id


@dataclass
class Load:
    """Requests sent while PostgreSQL restarts, and how each ended."""

    outcomes: Counter[str] = field(default_factory=Counter)
    unclean: list[str] = field(default_factory=list)
    acknowledged: list[Work] = field(default_factory=list)
    readiness: dict[int, list[int]] = field(default_factory=dict)

    def judge(self, response: httpx.Response) -> bool:
        """True when the request succeeded; a clean failure is a 503 that says to retry."""
        if response.status_code == 307 or (
            response.status_code == 200 and not response.json().get("errors")
        ):
            self.outcomes["succeeded"] += 1
            return True
        retry = response.headers.get("retry-after")
        codes = [
            (error.get("extensions") or {}).get("code")
            for error in response.json().get("errors", [])
        ]
        if response.status_code == 503 and retry and codes == ["SERVICE_UNAVAILABLE"]:
            self.outcomes["failed cleanly"] += 1
        else:
            self.outcomes["unclean"] += 1
            self.unclean.append(f"{response.status_code} {response.text[:300]}")
        return False


async def _keep_loading(
    d: Deployment, load: Load, to_publish: list[Work], stop: asyncio.Event, n: int, link: str
) -> None:
    """One client: GraphQL reads, file downloads (``link``), and publishing the works it is
    given (again after a clean failure, as a client told Retry-After would), alternating
    between the two APIs; bounded."""
    async with httpx.AsyncClient(timeout=REQUEST_TIMEOUT) as http:
        for turn in range(400):
            if stop.is_set() and not to_publish:
                return
            api = d.apis[(n + turn) % 2]
            try:
                if turn % 3 == 1:
                    load.judge(await http.get(d.url(api, link)))
                elif to_publish and turn % 3 == 0:
                    work = to_publish.pop()
                    response = await _publish(http, d, api, work)
                    if load.judge(response):
                        errors = response.json()["data"]["workPublish"]["errors"]
                        assert errors == [], errors
                        load.acknowledged.append(work)
                    else:
                        to_publish.insert(0, work)
                else:
                    variables = {"id": gid("Work", d.works[0].id)}
                    response = await http.post(
                        d.url(api),
                        json={"query": READ, "variables": variables},
                        headers=_bearer(d.world.world.users["CHAIR"]),
                    )
                    load.judge(response)
            except httpx.TimeoutException as error:
                load.outcomes["unclean"] += 1
                load.unclean.append(f"timed out: {error!r}")
            await asyncio.sleep(0.05)


async def _watch_readiness(d: Deployment, load: Load, stop: asyncio.Event) -> None:
    async with httpx.AsyncClient(timeout=REQUEST_TIMEOUT) as http:
        while not stop.is_set():
            for api in d.apis:
                status = (await http.get(d.url(api, "/readyz"))).status_code
                load.readiness.setdefault(api, []).append(status)
            await asyncio.sleep(0.1)


async def _serving(d: Deployment) -> bool:
    async with httpx.AsyncClient(timeout=REQUEST_TIMEOUT) as http:
        for api in d.apis:
            if (await http.get(d.url(api, "/readyz"))).status_code != 200:
                return False
            response = await http.post(
                d.url(api),
                json={"query": READ, "variables": {"id": gid("Work", d.works[0].id)}},
                headers=_bearer(d.world.world.users["CHAIR"]),
            )
            if response.status_code != 200 or response.json().get("errors"):
                return False
    return True


async def test_a_postgres_restart_under_load_loses_nothing_and_needs_no_restart_of_lo_hub(
    deployment: Deployment,
) -> None:
    d = deployment
    to_publish = [d.works.pop() for _ in range(6)]
    load, stop = Load(), asyncio.Event()
    socket = await _subscribe(d, d.apis[1])
    async with httpx.AsyncClient(timeout=REQUEST_TIMEOUT) as http:
        link = await _upload(http, d, d.apis[0])
    clients = [
        asyncio.create_task(_keep_loading(d, load, to_publish, stop, n, link)) for n in range(3)
    ]
    watcher = asyncio.create_task(_watch_readiness(d, load, stop))
    try:
        await asyncio.sleep(1.0)
        # When PostgreSQL stops (fast: sessions are cut, as at a patch window's restart) ...
        await d.postgres.stop("fast")
        await asyncio.sleep(2.0)
        await d.postgres.start()
        back = time.monotonic()
        # ... both APIs serve again by themselves.
        recovery = await _until(lambda: _serving(d), 30, "both APIs serving again", 0.05)
        await asyncio.sleep(1.0)
        stop.set()
        await asyncio.wait_for(asyncio.gather(*clients), 60)
        # The workers post what was acknowledged, and the subscriber hears of a score again.
        async with httpx.AsyncClient(timeout=REQUEST_TIMEOUT) as http:
            scored = await _score(http, d, d.apis[0], "judge_third")
        board = await _pushed_score_of(socket, "judge_third")
        await _until(lambda: _all_published(d, load.acknowledged), 40, "everything posted")
    finally:
        stop.set()
        await watcher
        await socket.close()
    figures = {
        **load.outcomes,
        "lost": sum(d.posts_of(w) != (1, 1, 1) for w in load.acknowledged),
        "recovery_seconds_after_postgres_is_back": round(recovery, 2),
        "since_restart_began_seconds": round(time.monotonic() - back, 2),
    }
    print(f"\nrestart figures: {json.dumps(figures)}")

    assert load.unclean == [], load.unclean
    assert load.outcomes["failed cleanly"] > 0  # the restart was felt
    assert load.outcomes["succeeded"] > 0
    assert len(load.acknowledged) == 6
    assert all(d.posts_of(w) == (1, 1, 1) for w in load.acknowledged)
    for api in d.apis:
        assert 503 in load.readiness[api] and load.readiness[api][-1] == 200
    assert scored["data"]["entryScore"]["errors"] == []
    assert board["entry"]["id"] == d.entry_id
    for worker in d.workers:
        assert worker.returncode is None  # never restarted


async def test_a_worker_killed_mid_batch_posts_nothing_twice(deployment: Deployment) -> None:
    d = deployment
    to_publish = [d.works.pop() for _ in range(3)]
    # One worker left to take the batch; every channel answers two seconds after posting.
    spare = d.workers[-1]
    spare.terminate()
    await spare.wait()
    doomed = d.workers[0]
    for fake in (d.wordpress, d.facebook, d.line):
        fake.faults.slow_seconds = 2
        fake.faults.script.extend(["slow"] * 6)
    async with httpx.AsyncClient(timeout=REQUEST_TIMEOUT) as http:
        for work in to_publish:
            assert (await _publish(http, d, d.apis[0], work)).status_code == 200

    async def posting() -> bool:
        return sum(sum(d.posts_of(w)) for w in to_publish) > 0

    await _until(posting, 20, "the first posts")
    doomed.send_signal(signal.SIGKILL)
    await doomed.wait()
    # The orchestrator starts a worker again; it takes the messages over once their lease ran
    # out, looking for each post before sending it again.
    await d.start_worker("worker-3")
    took = await _until(lambda: _all_published(d, to_publish), 40, "everything posted")
    print(f"\nafter SIGKILL: everything posted {took:.1f} s later (lease {LEASE_SECONDS} s)")

    assert doomed.returncode == -signal.SIGKILL
    assert [d.posts_of(w) for w in to_publish] == [(1, 1, 1)] * 3
