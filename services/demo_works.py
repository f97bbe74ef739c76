"""Demo works for `lohub demo`: a dozen works in Thai across kinds and fiscal years, in every
state, some published, each on the story's clock in its own fiscal year (the published ones
went out to the website, Facebook and LINE as the story's channels answered). Once the story
is told the unit's channels point at nothing real (a closed port on loopback), so whatever is
published now fails visibly — retried, then dead — until an administrator configures real ones
with `publishingChannelConfigure`."""

from datetime import date, timedelta

from models.org import Person, Unit
from models.publishing import Channel
from models.work import Work, WorkFileKind, WorkKind
from services import clock, publishing, work_files, works
from services.actor import SYSTEM
from services.cover_images import cover_png
from services.demo_channels import deliver, story_dispatcher
from services.demo_files import PLACEHOLDER_PDF
from services.documents import Upload
from services.fiscal import FiscalYear
from services.outbox import Dispatcher
from services.works import AuthorData, WorkAction, WorkData

# Nothing listens on the discard port of loopback: every send fails with "connection refused".
NOWHERE = "http://127.0.0.1:9"
# (kind, BE year, Thai title, English title, keywords, how far along)
WORKS = [
    (
        WorkKind.INNOVATION,
        2565,
        "ระบบจองห้องประชุมออนไลน์ของกรมอนามัย",
        "Online meeting-room booking for the Department of Health",
        ["การจอง", "ห้องประชุม", "ดิจิทัล"],
        "PUBLISHED",
    ),
    (
        WorkKind.RESEARCH,
        2565,
        "ปัจจัยที่มีผลต่อการเรียนรู้ในองค์กรของบุคลากรสำนักงานเลขานุการกรม",
        "Factors in organisational learning among the Secretariat's staff",
        ["องค์กรแห่งการเรียนรู้", "บุคลากร"],
        "PUBLISHED",
    ),
    (
        WorkKind.ACADEMIC,
        2565,
        "คู่มือการจัดการความรู้ สำหรับหน่วยงานสังกัดกรมอนามัย",
        "A knowledge management handbook for units of the Department of Health",
        ["การจัดการความรู้", "คู่มือ"],
        "PUBLISHED",
    ),
    (
        WorkKind.INNOVATION,
        2564,
        "แอปพลิเคชันติดตามการเบิกจ่ายงบประมาณ",
        "An app to follow budget disbursement",
        ["งบประมาณ", "แอปพลิเคชัน"],
        "PUBLISHED",
    ),
    (
        WorkKind.RESEARCH,
        2564,
        "ความพึงพอใจของผู้รับบริการต่อระบบสารบรรณอิเล็กทรอนิกส์",
        "Service users' satisfaction with the e-document system",
        ["สารบรรณ", "ความพึงพอใจ"],
        "REGISTERED",
    ),
    (
        WorkKind.ACADEMIC,
        2564,
        "แนวทางการเขียนหนังสือราชการให้กระชับ",
        "Writing official letters concisely",
        ["หนังสือราชการ"],
        "REGISTERED",
    ),
    (
        WorkKind.INNOVATION,
        2563,
        "ตู้รับเอกสารอัจฉริยะ",
        "A smart document drop box",
        ["เอกสาร", "นวัตกรรม"],
        "REGISTERED",
    ),
    (
        WorkKind.RESEARCH,
        2566,
        "การเรียนรู้แบบผสมผสานของบุคลากรภาครัฐหลังโควิด-19",
        "Blended learning of civil servants after COVID-19",
        ["การเรียนรู้", "โควิด-19"],
        "IN_REVIEW",
    ),
    (
        WorkKind.ACADEMIC,
        2566,
        "บทเรียนจากการถอดความรู้ผู้เกษียณอายุราชการ",
        "Lessons from capturing retirees' knowledge",
        ["การถอดบทเรียน", "ผู้เกษียณ"],
        "RETURNED",
    ),
    (
        WorkKind.INNOVATION,
        2566,
        "ระบบแจ้งเตือนกำหนดส่งงานผ่านไลน์",
        "Deadline reminders over LINE",
        ["ไลน์", "แจ้งเตือน"],
        "DRAFT",
    ),
    (
        WorkKind.RESEARCH,
        2563,
        "การประเมินผลโครงการพัฒนาศักยภาพบุคลากร ปี ๒๕๖๓",
        "Evaluating the 2020 staff development programme",
        ["การประเมินผล", "พัฒนาศักยภาพ"],
        "REGISTERED",
    ),
    (
        WorkKind.ACADEMIC,
        2565,
        "สรุปองค์ความรู้จากเวที LIKE Talk",
        "What the LIKE Talk stage taught us",
        ["LIKE Talk", "องค์ความรู้"],
        "DRAFT",
    ),
]
ORDER = ["DRAFT", "IN_REVIEW", "RETURNED", "REGISTERED", "PUBLISHED"]
CHANNEL_ACCOUNTS = (
    (Channel.WEBSITE, "lohub"),
    (Channel.FACEBOOK, "000000000000000"),
    (Channel.LINE, ""),
)
# What the settings said while the story's channels answered (services/demo_channels.py).
STORY_CHANNELS = "https://www.anamai.moph.go.th"
SUBMITTED_AFTER, REGISTERED_AFTER, PUBLISHED_AFTER = (timedelta(days=d) for d in (2, 7, 14))


async def load_works(unit_code: str) -> None:
    """Once: when the unit has no works yet."""
    unit = await Unit.get_or_none(code=unit_code)
    if unit is None or await Work.exists(unit_id=unit.id):
        return
    timeline = _timeline()
    with clock.story(timeline[0][1]):
        async with story_dispatcher() as dispatcher:
            await _register(unit, timeline, dispatcher)


async def _register(unit: Unit, timeline: list[tuple[int, date]], dispatcher: Dispatcher) -> None:
    people = await Person.filter(unit_id=unit.id).order_by("id").limit(9)
    await _point_channels(unit, STORY_CHANNELS)
    for n, started in timeline:
        kind, year, title_th, title_en, keywords, stage = WORKS[n]
        clock.walk_to(started)
        first, second = people[n % len(people)], people[(n + 3) % len(people)]
        work = await works.create_work(
            actor=SYSTEM,
            unit_id=unit.id,
            data=WorkData(
                kind=kind,
                fiscal_year=year,
                title_th=title_th,
                title_en=title_en,
                abstract_th=f"{title_th}: ผลงานของ{unit.name_th} ปีงบประมาณ {year}",
                keywords=keywords,
                authors=[
                    AuthorData(person_id=first.id, corresponding=True),
                    AuthorData(person_id=second.id),
                    AuthorData(name_th="ดร.สมศักดิ์ ใจดี", affiliation="มหาวิทยาลัยมหิดล"),
                ],
            ),
        )
        reached = ORDER.index(stage)
        if stage == "PUBLISHED":
            await _add_public_files(work, n)
        if reached >= ORDER.index("IN_REVIEW"):
            clock.walk_to(started + SUBMITTED_AFTER)
            await works.act_on_work(actor=SYSTEM, work_id=work.id, action=WorkAction.SUBMIT)
        if stage == "RETURNED":
            clock.walk_to(started + REGISTERED_AFTER)
            await works.act_on_work(
                actor=SYSTEM,
                work_id=work.id,
                action=WorkAction.RETURN,
                reason="กรุณาเพิ่มบทคัดย่อภาษาอังกฤษ",
            )
        if reached >= ORDER.index("REGISTERED"):
            clock.walk_to(started + REGISTERED_AFTER)
            await works.act_on_work(actor=SYSTEM, work_id=work.id, action=WorkAction.REGISTER)
        if stage == "PUBLISHED":
            clock.walk_to(started + PUBLISHED_AFTER)
            await publishing.publish_work(
                actor=SYSTEM, work_id=work.id, channel_list=[c for c, _ in CHANNEL_ACCOUNTS]
            )
            await deliver(dispatcher)
    # From now on the channels point nowhere (see the module's docstring).
    await _point_channels(unit, NOWHERE)


async def _point_channels(unit: Unit, base_url: str) -> None:
    for channel, account in CHANNEL_ACCOUNTS:
        await publishing.configure_channel(
            actor=SYSTEM,
            data=publishing.ChannelSettingsData(
                unit_id=unit.id,
                channel=channel,
                base_url=base_url,
                account=account,
                credential="demo-placeholder-not-a-real-secret",
            ),
        )


def _timeline() -> list[tuple[int, date]]:
    """Each work's first day: from March of its fiscal year, three weeks apart, so those of FY
    2565 are registered and published between March and May 2022 (the M10 report's period)."""
    days = []
    for year in sorted({w[1] for w in WORKS}):
        mine = [n for n, work in enumerate(WORKS) if work[1] == year]
        for k, n in enumerate(mine):
            days.append((n, FiscalYear(year).month_start(3) + timedelta(days=21 * k)))
    return days


async def _add_public_files(work: Work, n: int) -> None:
    """A cover for the work's public page and preview cards, and its full text."""
    for kind, upload in (
        (
            WorkFileKind.COVER_IMAGE,
            Upload(f"cover-{n + 1}.png", cover_png(work.kind.value, n), "image/png"),
        ),
        (
            WorkFileKind.FULL_TEXT,
            Upload(f"fulltext-{n + 1}.pdf", PLACEHOLDER_PDF, "application/pdf"),
        ),
    ):
        await work_files.add_file(actor=SYSTEM, work_id=work.id, kind=kind, upload=upload)
