"""The public pages in a real browser (Debian's Chromium through Playwright, no outside
network): a landing page shows its Thai title, authors and abstract; axe-core finds no serious
or critical accessibility violation on it or on the list. `LOHUB_UPDATE_SCREENSHOTS=1` writes
the screenshots to docs/screenshots/ (the README's); otherwise to the test's temporary folder."""

import os
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from axe_playwright_python.async_playwright import Axe
from fastapi import FastAPI

from services.publishing import work_link
from tests.browser import chromium, offline_page  # noqa: F401
from tests.live import HOST, in_process
from tests.public_world import make_public_world

SCREENSHOTS = Path(__file__).parents[2] / "docs" / "screenshots"


def _serious(results: Any) -> list[str]:
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


async def test_the_public_pages_read_well_and_pass_axe(
    app: FastAPI,
    chromium: Any,  # noqa: F811
    tmp_path: Path,
) -> None:
    public = await make_public_world()
    work = public.published[0]
    authors = ["ดร.ผู้ร่วม ภายนอก"]
    shots = SCREENSHOTS if os.environ.get("LOHUB_UPDATE_SCREENSHOTS") else tmp_path
    shots.mkdir(parents=True, exist_ok=True)
    axe = Axe()

    async with in_process(app) as port:
        origin = f"http://{HOST}:{port}"
        page = await offline_page(chromium, origin)
        await page.set_viewport_size({"width": 1000, "height": 900})
        # A Thai visitor's browser (Playwright's asks for en-US, which gets the English page).
        await page.set_extra_http_headers({"Accept-Language": "th-TH,th;q=0.9"})

        await page.goto(origin + urlsplit(work_link(work)).path)
        title = await page.locator("h1").inner_text()
        main = await page.locator("main").inner_text()
        cover_loaded = await page.evaluate(
            "() => { const i = document.querySelector('img.cover'); "
            "return i.complete && i.naturalWidth > 0 }"
        )
        landing = await axe.run(page)
        await page.screenshot(path=shots / "work-landing-page.png", full_page=True)

        await page.goto(f"{origin}/works?q=อนามัย")
        results = await page.locator("ol.results h2 a").all_inner_texts()
        listing = await axe.run(page)
        await page.goto(f"{origin}/works")
        listing_all = await axe.run(page)
        await page.screenshot(path=shots / "works-list.png", full_page=True)

        await page.goto(origin + urlsplit(work_link(work)).path + "?lang=en")
        english = await axe.run(page)
        await page.screenshot(path=shots / "work-landing-page-en.png", full_page=True)
        await page.context.close()

    assert title == work.title_th
    assert all(name in main for name in authors)
    assert f"บทคัดย่อของ{work.title_th}" in main
    assert cover_loaded
    assert results == [work.title_th]
    for report in (landing, listing, listing_all, english):
        assert _serious(report) == []
