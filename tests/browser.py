"""A real browser for tests: Debian's Chromium driven by Playwright with the system executable
(nothing downloads a browser build). Without Chromium the tests skip, except under CI, where
`.ci/run` installs it and a missing browser is a failure."""

import os
import shutil
from collections.abc import AsyncIterator

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
async def chromium() -> AsyncIterator[object]:
    """A headless Chromium (``playwright.async_api.Browser``) for the whole run."""
    if CHROMIUM is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium is not installed (apt-get install chromium)")
        pytest.skip("Chromium is not installed")
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-dev-shm-usage"]
        )
        try:
            yield browser
        finally:
            await browser.close()


async def offline_page(browser: object, origin: str) -> object:
    """A page in a fresh context whose requests to anything but ``origin`` are aborted, so a
    test shows the page works with no outside network."""
    context = await browser.new_context()  # type: ignore[attr-defined]

    async def only_origin(route: object) -> None:
        url = route.request.url  # type: ignore[attr-defined]
        if url.startswith(origin) or url.startswith("data:") or url.startswith("blob:"):
            await route.continue_()  # type: ignore[attr-defined]
        else:
            await route.abort()  # type: ignore[attr-defined]

    await context.route("**/*", only_origin)
    return await context.new_page()
