"""Works in every state the public can tell apart: published, gone (published, then retracted
or archived) and never published, for the public pages and OAI-PMH tests."""

from dataclasses import dataclass, field

from models.publishing import Channel
from models.work import Work, WorkFileKind
from services import publishing, work_files, works
from services.actor import SYSTEM
from services.cover_images import cover_png
from services.demo_files import PLACEHOLDER_PDF
from services.documents import Upload
from tests.world import World, make_world


@dataclass
class PublicWorld:
    world: World
    published: list[Work] = field(default_factory=list)
    retracted: Work | None = None
    archived: Work | None = None
    registered: Work | None = None
    draft: Work | None = None


async def make_work(
    world: World,
    title: str,
    *,
    stage: str = "PUBLISHED",
    kind: str = "RESEARCH",
    year: int = 2565,
    keywords: tuple[str, ...] = ("สุขภาพ",),
    files: bool = False,
) -> Work:
    """A work of the world's unit taken to ``stage`` (DRAFT, REGISTERED, PUBLISHED, RETRACTED,
    ARCHIVED — the last two published first)."""
    work = await works.create_work(
        actor=SYSTEM,
        unit_id=world.unit.id,
        data=works.WorkData(
            kind=kind,
            fiscal_year=year,
            title_th=title,
            title_en=f"English title of {title}",
            abstract_th=f"บทคัดย่อของ{title}",
            abstract_en="An abstract in English.",
            keywords=list(keywords),
            authors=[
                works.AuthorData(person_id=world.people["กนกานต์"].id, corresponding=True),
                works.AuthorData(name_th="ดร.ผู้ร่วม ภายนอก", affiliation="มหาวิทยาลัยมหิดล"),
            ],
        ),
    )
    if files:
        for kind_of_file, upload in (
            (WorkFileKind.COVER_IMAGE, Upload("cover.png", cover_png(kind), "image/png")),
            (WorkFileKind.FULL_TEXT, Upload("ฉบับเต็ม.pdf", PLACEHOLDER_PDF, "application/pdf")),
            (WorkFileKind.SLIDES, Upload("slides.pdf", PLACEHOLDER_PDF, "application/pdf")),
        ):
            await work_files.add_file(
                actor=SYSTEM, work_id=work.id, kind=kind_of_file, upload=upload
            )
    if stage == "DRAFT":
        return work
    await works.act_on_work(actor=SYSTEM, work_id=work.id, action=works.WorkAction.SUBMIT)
    await works.act_on_work(actor=SYSTEM, work_id=work.id, action=works.WorkAction.REGISTER)
    if stage == "REGISTERED":
        return await Work.get(id=work.id)
    await publishing.configure_channel(
        actor=SYSTEM,
        data=publishing.ChannelSettingsData(
            unit_id=world.unit.id,
            channel=Channel.LINE,
            base_url="http://127.0.0.1:9",
            credential="token-never-shown",
        ),
    )
    await publishing.publish_work(actor=SYSTEM, work_id=work.id, channel_list=[Channel.LINE])
    if stage == "RETRACTED":
        await publishing.retract_work(actor=SYSTEM, work_id=work.id, reason="ข้อมูลผิดพลาด")
    elif stage == "ARCHIVED":
        await works.act_on_work(
            actor=SYSTEM, work_id=work.id, action=works.WorkAction.ARCHIVE, reason="เลิกใช้"
        )
    return await Work.get(id=work.id)


async def make_public_world() -> PublicWorld:
    world = await make_world(with_cycle=False)
    public = PublicWorld(world)
    public.published = [
        await make_work(world, "การส่งเสริมสุขภาพของกรมอนามัย", files=True),
        await make_work(world, "คู่มือการจัดการความรู้", kind="ACADEMIC", keywords=("ความรู้",)),
        await make_work(world, "ระบบจองห้องประชุม", kind="INNOVATION", year=2564),
    ]
    public.retracted = await make_work(world, "งานที่ถอนแล้ว", stage="RETRACTED")
    public.archived = await make_work(world, "งานที่เก็บถาวร", stage="ARCHIVED")
    public.registered = await make_work(world, "งานขึ้นทะเบียนยังไม่เผยแพร่", stage="REGISTERED")
    public.draft = await make_work(world, "ร่างงานอนามัย", stage="DRAFT")
    return public
