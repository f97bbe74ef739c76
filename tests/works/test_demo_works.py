"""`lohub demo` also loads a dozen Thai works, some published in the story it tells; the
channels point nowhere since, so what is published now fails visibly."""

from hashlib import sha256
from urllib.parse import urlsplit

import httpx

from models.publishing import (
    OutboxMessage,
    OutboxStatus,
    Publication,
    PublicationStatus,
)
from models.work import Work, WorkFile, WorkFileKind, WorkStatus
from services import publishing
from services.actor import SYSTEM
from services.demo import load_demo
from services.demo_works import CHANNEL_ACCOUNTS
from services.fiscal import FiscalYear
from services.outbox import Dispatcher, RetryPolicy
from tests.helpers import GraphQLClient


async def test_the_demo_works_published_in_the_story_and_failing_now(
    database: str, client: GraphQLClient
) -> None:
    await load_demo(admin_password="demo-pass-123", reset_password=False)
    await load_demo(admin_password="demo-pass-123", reset_password=False)

    # Each published work has its landing page, with a cover of its own and its full text.
    http: httpx.AsyncClient = client.http  # type: ignore[attr-defined]
    for work in await Work.filter(status=WorkStatus.PUBLISHED):
        page = await http.get(urlsplit(publishing.work_link(work)).path)
        assert page.status_code == 200
        assert work.title_th in page.text
        cover = await WorkFile.get(work_id=work.id, kind=WorkFileKind.COVER_IMAGE)
        served = await http.get(urlsplit(publishing.work_link(work)).path + "/cover")
        assert sha256(served.content).hexdigest() == cover.sha256
        assert "citation_pdf_url" in page.text

    # A dozen works, plus the twenty entered in the demo's LIKE Talk Award (demo_contest.py).
    assert await Work.all().count() == 12 + 20
    kinds = set(await Work.all().values_list("kind", flat=True))
    assert len(kinds) == 3
    assert len(set(await Work.all().values_list("fiscal_year", flat=True))) == 4
    published = await Work.filter(status=WorkStatus.PUBLISHED).count()
    assert published == 4
    assert await Publication.all().count() == 3 * published
    # The story's publications went out on the days it tells, in their works' fiscal years.
    for publication in await Publication.all().select_related("work"):
        assert publication.status == PublicationStatus.PUBLISHED
        assert publication.published_at is not None
        assert FiscalYear(publication.work.fiscal_year).contains(publication.published_at.date())

    # Since the story the channels point nowhere: what is published now fails visibly.
    registered = await Work.filter(status=WorkStatus.REGISTERED).order_by("id").first()
    assert registered is not None
    await publishing.publish_work(
        actor=SYSTEM, work_id=registered.id, channel_list=[c for c, _ in CHANNEL_ACCOUNTS]
    )
    policy = RetryPolicy(max_attempts=1, base_seconds=0, max_seconds=0)
    async with httpx.AsyncClient(timeout=2) as http:
        await Dispatcher(http, policy, batch=100).run_once()

    failed = await Publication.filter(status=PublicationStatus.FAILED).count()
    assert failed == 3
    assert await OutboxMessage.filter(status=OutboxStatus.DEAD).count() == 3
    errors = set(
        await Publication.filter(status=PublicationStatus.FAILED).values_list(
            "last_error", flat=True
        )
    )
    assert all(str(e).startswith("ConnectError") for e in errors), errors
