"""GraphiQL served by LO Hub itself, in Debian's Chromium with every other host blocked: it
loads, signs in with a token in its headers editor, runs a query and watches the scoreboard over
the WebSocket. `LOHUB_UPDATE_SCREENSHOTS=1` refreshes docs/screenshots/graphiql.png (the
README's) from this run; otherwise the screenshot goes to the test's temporary folder."""

import asyncio
import json
import os
import shutil
from pathlib import Path
from urllib.parse import urlencode

import httpx
from fastapi import FastAPI

from services.contests import scoreboard
from tests.browser import chromium, offline_page  # noqa: F401
from tests.contest_world import make_contest_world, shortlisted_entry
from tests.helpers import token_for
from tests.live import HOST, in_process
from tests.world import gid

SCREENSHOT = Path(__file__).parents[2] / "docs" / "screenshots" / "graphiql.png"
ME = "query Me { me { username roles } }"
WATCH = """subscription Scoreboard($id: ID!) {
  contestScoreboard(contestId: $id) { entry { work { titleTh } } count mean }
}"""


async def _run(page: object, query: str, variables: dict[str, str] | None = None) -> None:
    """Open GraphiQL with ``query`` (a shareable link) and press Run."""
    parameters = {"q": query, **({"variables": json.dumps(variables)} if variables else {})}
    await page.goto(f"{page.origin}/graphql?{urlencode(parameters)}")  # type: ignore[attr-defined]
    await page.locator(".graphiql-execute-button").click()  # type: ignore[attr-defined]


async def _result(page: object, text: str) -> str:
    result = page.locator(".result-window")  # type: ignore[attr-defined]
    await result.get_by_text(text).first.wait_for(timeout=10_000)
    return str(await result.inner_text())


async def test_graphiql_runs_offline_and_watches_the_scoreboard(
    app: FastAPI,
    chromium: object,  # noqa: F811
    tmp_path: Path,
) -> None:
    cw = await make_contest_world()
    entry = await shortlisted_entry(cw, "สวนสุขภาพ")
    headers = json.dumps({"Authorization": f"Bearer {token_for(cw.manager)}"})

    async with in_process(app) as port:
        origin = f"http://{HOST}:{port}"
        async with httpx.AsyncClient() as http:
            html = (await http.get(f"{origin}/graphql", headers={"accept": "text/html"})).text
        page = await offline_page(chromium, origin)
        page.origin = origin  # type: ignore[attr-defined]
        # As if typed into the headers editor earlier: GraphiQL keeps its headers there.
        await page.add_init_script(  # type: ignore[attr-defined]
            f"localStorage.setItem('graphiql:headers', {json.dumps(headers)})"
        )

        await _run(page, ME)
        me = await _result(page, "manager")

        await _run(page, WATCH, {"id": gid("Contest", cw.contest.id)})
        # The subscription starts listening asynchronously: announce the entry until it shows.
        for _ in range(50):
            await scoreboard.publish(cw.contest.id, entry.id)
            try:
                board = await asyncio.wait_for(_result(page, "สวนสุขภาพ"), timeout=0.3)
                break
            except TimeoutError:
                continue
        screenshot = tmp_path / "graphiql.png"
        await page.screenshot(path=str(screenshot))  # type: ignore[attr-defined]
        await page.context.close()  # type: ignore[attr-defined]

    assert "https://" not in html.replace("https://github.com", "")
    assert '"username": "manager"' in me and "MANAGER" in me
    assert "contestScoreboard" in board and '"count": 0' in board
    if os.environ.get("LOHUB_UPDATE_SCREENSHOTS"):
        SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(screenshot, SCREENSHOT)
