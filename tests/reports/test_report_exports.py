"""Report exports: the XLSX of a progress report and of a final report read back with openpyxl
(Thai intact, texts as texts), the printable Thai page, and who may download."""

import io
from datetime import date

import pytest
from openpyxl import load_workbook

from models.kpi import ReportRound
from services import reports
from services.actor import SYSTEM
from services.reports import FinalText, Lesson, LessonKind, ProgressText
from tests.helpers import GraphQLClient, make_user
from tests.world import gid, make_world

pytestmark = pytest.mark.usefixtures("database")


async def two_reports() -> tuple[str, str]:
    world = await make_world()
    assert world.cycle
    progress = await reports.create_progress_report(
        actor=SYSTEM,
        cycle_id=world.cycle.id,
        round_=ReportRound.M5,
        text=ProgressText(narrative="=SUM(A1) จัดอบรมการจัดการความรู้", problems="<b>ไม่มี</b>"),
    )
    final = await reports.create_final_report(
        actor=SYSTEM,
        cycle_id=world.cycle.id,
        text=FinalText(
            results="บรรลุเป้าหมาย",
            lessons=(Lesson(kind=LessonKind.CHANGE, text="เริ่มสำรวจให้เร็วขึ้น"),),
        ),
    )
    return gid("ProgressReport", progress.id), gid("FinalReport", final.id)


def _texts(data: bytes) -> list[str]:
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet is not None
    return [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]


async def test_the_xlsx_exports_keep_thai_text(client: GraphQLClient) -> None:
    progress, final = await two_reports()
    viewer = client.signed_in_as(await make_user("viewer"))

    response = await viewer.http.get(
        f"/exports/progress-reports/{progress}.xlsx", headers=viewer.headers
    )
    assert response.status_code == 200
    assert "spreadsheetml" in response.headers["content-type"]
    texts = _texts(response.content)
    assert texts[0] == "รายงานความก้าวหน้าการดำเนินงาน (DOC 4.0) รอบ 5 เดือน ปีงบประมาณ 2565"
    assert "=SUM(A1) จัดอบรมการจัดการความรู้" in texts
    assert "สำนักงานเลขานุการกรม" in texts

    response = await viewer.http.get(f"/exports/final-reports/{final}.xlsx", headers=viewer.headers)
    texts = _texts(response.content)
    assert "เริ่มสำรวจให้เร็วขึ้น" in texts and "สิ่งที่ควรปรับในปีถัดไป" in texts

    english = await viewer.http.get(
        f"/exports/final-reports/{final}.xlsx",
        headers={**viewer.headers, "accept-language": "en"},
    )
    assert "Lessons learned" in _texts(english.content)
    # Labels in either language, never codes.
    assert "What to change next year" in _texts(english.content)
    assert "CHANGE" not in _texts(english.content) + texts
    assert "ร่าง" in texts and "DRAFT" not in texts


async def test_the_printable_page_is_thai_and_escaped(client: GraphQLClient) -> None:
    progress, _ = await two_reports()
    viewer = client.signed_in_as(await make_user("viewer"))
    response = await viewer.http.get(
        f"/exports/progress-reports/{progress}.html", headers=viewer.headers
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    page = response.text
    assert '<html lang="th">' in page and "@page { size: A4" in page
    assert "&lt;b&gt;ไม่มี&lt;/b&gt;" in page and "<b>ไม่มี" not in page
    assert f"{date(2022, 2, 28).day} กุมภาพันธ์ 2565" in page


async def test_downloads_need_a_token_and_a_real_id(client: GraphQLClient) -> None:
    progress, final = await two_reports()
    anonymous = await client.http.get(f"/exports/progress-reports/{progress}.xlsx")
    assert anonymous.status_code == 401
    viewer = client.signed_in_as(await make_user("viewer"))
    for path in (
        f"/exports/progress-reports/{final}.xlsx",  # the id of another type
        f"/exports/final-reports/{gid('FinalReport', 999)}.html",
        "/exports/final-reports/not-an-id.xlsx",
    ):
        response = await viewer.http.get(path, headers=viewer.headers)
        assert response.status_code == 404, path


LINKS = """query L($id: ID!) { node(id: $id) { ... on ProgressReport {
    printUrl xlsxUrl englishPage: printUrl(language: EN) } } }"""


async def test_signed_links_open_in_a_browser_tab_in_the_language_they_name(
    client: GraphQLClient,
) -> None:
    progress, _ = await two_reports()
    viewer = client.signed_in_as(await make_user("viewer"))
    links = (await viewer.data(LINKS, {"id": progress}))["node"]

    # No Authorization header: the link's signature says for whom it was made.
    thai = await client.http.get(links["printUrl"], headers={"accept-language": "en"})
    english = await client.http.get(links["englishPage"])
    workbook = await client.http.get(links["xlsxUrl"])
    forged = await client.http.get(links["printUrl"].replace("token=", "token=1"))
    elsewhere = await client.http.get(
        links["printUrl"].replace(progress, gid("ProgressReport", 999))
    )

    assert thai.status_code == 200 and '<html lang="th">' in thai.text
    assert english.status_code == 200 and "Five-month round" in english.text
    assert workbook.status_code == 200 and workbook.content[:2] == b"PK"
    assert forged.status_code == 401 and elsewhere.status_code == 401
    assert "lang=th" in links["xlsxUrl"] and "lang=en" in links["englishPage"]
