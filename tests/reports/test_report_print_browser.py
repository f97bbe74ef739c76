"""A report's printable page in a real browser (Debian's Chromium, no outside network), opened
from its signed link in a tab that sends no Authorization header: a Thai official memo
(บันทึกข้อความ) set in TH Sarabun New 16 pt or its look-alike, with the approval blocks.
`LOHUB_UPDATE_SCREENSHOTS=1` writes the screenshot to docs/screenshots/ (the README's);
otherwise to the test's temporary folder."""

import os
from pathlib import Path
from typing import Any

from fastapi import FastAPI

from tests.browser import chromium, offline_page  # noqa: F401
from tests.helpers import GraphQLClient, make_user
from tests.live import HOST, in_process
from tests.reports.test_report_exports import two_reports

SCREENSHOTS = Path(__file__).parents[2] / "docs" / "screenshots"
LINK = "query L($id: ID!) { node(id: $id) { ... on FinalReport { printUrl } } }"
SARABUN_LIKE = ("TH Sarabun New", "TH SarabunPSK", "Sarabun", "Laksaman")


async def test_the_printable_report_is_a_thai_memo_in_a_browser_tab(
    app: FastAPI,
    client: GraphQLClient,
    chromium: Any,  # noqa: F811
    tmp_path: Path,
) -> None:
    _, final = await two_reports()
    viewer = client.signed_in_as(await make_user("viewer"))
    link = (await viewer.data(LINK, {"id": final}))["node"]["printUrl"]
    shots = SCREENSHOTS if os.environ.get("LOHUB_UPDATE_SCREENSHOTS") else tmp_path
    shots.mkdir(parents=True, exist_ok=True)

    async with in_process(app) as port:
        origin = f"http://{HOST}:{port}"
        page = await offline_page(chromium, origin)
        await page.set_viewport_size({"width": 900, "height": 1200})
        response = await page.goto(origin + link)
        heading = await page.locator("h1").inner_text()
        fields = await page.locator("p.field b").all_inner_texts()
        blocks = await page.locator("section.blocks").inner_text()
        font = await page.evaluate("getComputedStyle(document.body).fontFamily")
        size = await page.evaluate("getComputedStyle(document.body).fontSize")
        sarabun_like = await page.evaluate(
            'names => names.filter(n => document.fonts.check(`16pt "${n}"`))',
            list(SARABUN_LIKE),
        )
        await page.screenshot(path=shots / "report-print.png", full_page=True)

    assert response.status == 200
    assert heading == "บันทึกข้อความ"
    assert fields == ["ส่วนราชการ", "ที่", "วันที่", "เรื่อง"]
    assert "(ลงชื่อ)" in blocks and "ความเห็นและการอนุมัติของผู้บังคับบัญชา" in blocks
    assert font.startswith('"TH Sarabun New"') and size == "21.3333px"  # 16 pt
    # Set in TH Sarabun New or a font of the same design when it is not installed.
    assert sarabun_like
    assert (shots / "report-print.png").stat().st_size > 10_000
