"""The public pages' words in Thai and English, and the formatting of dates and sizes."""

from datetime import datetime

from models.work import WorkFileKind, WorkKind
from services.fiscal import BE_OFFSET, ThaiDateStyle, thai_date
from services.messages import Language

WORDS: dict[str, tuple[str, str]] = {
    "unsubscribe_title": ("เลิกรับอีเมลแจ้งเตือน", "Stop notice e-mails"),
    "unsubscribe_body": (
        "LO Hub จะไม่ส่งอีเมลแจ้งการเปลี่ยนสถานะถึงท่านอีก (ยังเห็นการแจ้งเตือนในระบบ)",
        "LO Hub will stop e-mailing you status changes (you still see them in the app).",
    ),
    "unsubscribe_button": ("เลิกรับอีเมล", "Stop the e-mails"),
    "unsubscribed_title": ("เลิกรับอีเมลแล้ว", "E-mails stopped"),
    "unsubscribed_body": (
        "เปลี่ยนกลับได้ที่การตั้งค่าการแจ้งเตือนใน LO Hub",
        "You can choose e-mail again in LO Hub's notification settings.",
    ),
    "bad_link_title": ("ลิงก์ไม่ถูกต้องหรือหมดอายุ", "The link is not valid or has expired"),
    "bad_link_body": (
        "เปลี่ยนการแจ้งเตือนได้ที่การตั้งค่าใน LO Hub",
        "Change your notices in LO Hub's notification settings.",
    ),
    "site": (
        "คลังผลงานวิจัย วิชาการ และนวัตกรรม",
        "Registry of research, academic and innovation works",
    ),
    "skip": ("ข้ามไปยังเนื้อหา", "Skip to content"),
    "works": ("ผลงานทั้งหมด", "All works"),
    "language": ("English", "ภาษาไทย"),
    "registry_number": ("เลขทะเบียน", "Registry number"),
    "details": ("รายละเอียด", "Details"),
    "kind": ("ประเภท", "Kind"),
    "authors": ("ผู้จัดทำ", "Authors"),
    "unit": ("หน่วยงาน", "Unit"),
    "fiscal_year": ("ปีงบประมาณ", "Fiscal year"),
    "published": ("วันที่เผยแพร่", "Published"),
    "keywords": ("คำสำคัญ", "Keywords"),
    "topics": ("ประเด็นความรู้", "Knowledge topics"),
    "abstract": ("บทคัดย่อ", "Abstract"),
    "files": ("ไฟล์", "Files"),
    "video": ("วิดีโอ", "Video"),
    "watch": ("ชมวิดีโอ", "Watch the video"),
    "cite": ("การอ้างอิง", "How to cite"),
    "search": ("ค้นหา", "Search"),
    "search_label": ("คำค้น (ชื่อเรื่อง บทคัดย่อ คำสำคัญ)", "Search titles, abstracts, keywords"),
    "all": ("ทั้งหมด", "All"),
    "results": ("พบ {n} รายการ", "{n} works found"),
    "no_results": ("ไม่พบผลงานที่ตรงกับเงื่อนไข", "No works match"),
    "pages": ("หน้า", "Pages"),
    "previous": ("ก่อนหน้า", "Previous"),
    "next": ("ถัดไป", "Next"),
    "page_of": ("หน้า {page} จาก {pages}", "Page {page} of {pages}"),
    "filters": ("ตัวกรอง", "Filters"),
    "gone_title": ("ผลงานนี้ถูกถอนการเผยแพร่แล้ว", "This work has been withdrawn"),
    "gone_body": (
        "ผลงานเลขทะเบียน {number} ไม่ได้เผยแพร่ต่อสาธารณะแล้ว",
        "The work {number} is no longer published.",
    ),
    "not_found_title": ("ไม่พบผลงาน", "Work not found"),
    "not_found_body": (
        "ไม่มีผลงานที่เผยแพร่ด้วยเลขทะเบียนนี้",
        "No published work has this registry number.",
    ),
    "bad_request_title": ("คำขอไม่ถูกต้อง", "Bad request"),
    "back": ("กลับไปยังรายการผลงาน", "Back to the list of works"),
    "cover_alt": ("ภาพปกผลงาน {title}", "Cover of {title}"),
    "download": ("ดาวน์โหลด {what} ({size})", "Download the {what} ({size})"),
}
KINDS = {
    WorkKind.RESEARCH: ("ผลงานวิจัย", "Research"),
    WorkKind.ACADEMIC: ("ผลงานวิชาการ", "Academic work"),
    WorkKind.INNOVATION: ("นวัตกรรม", "Innovation"),
}
FILE_KINDS = {
    WorkFileKind.FULL_TEXT: ("ฉบับเต็ม", "full text"),
    WorkFileKind.SLIDES: ("สไลด์นำเสนอ", "slides"),
    WorkFileKind.POSTER: ("โปสเตอร์", "poster"),
}
MONTHS_EN = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


class Words:
    """``t("key", n=3)`` in a template: the word in the page's language."""

    def __init__(self, language: Language) -> None:
        self.language = language
        self._index = 0 if language == "th" else 1

    def __call__(self, key: str, **params: object) -> str:
        return WORDS[key][self._index].format(**params)

    def kind(self, kind: WorkKind) -> str:
        return KINDS[kind][self._index]

    def file_kind(self, kind: WorkFileKind) -> str:
        return FILE_KINDS[kind][self._index]

    def date(self, moment: datetime | None) -> str:
        if moment is None:
            return ""
        if self.language == "th":
            return thai_date(moment.date(), ThaiDateStyle.LONG)
        return f"{moment.day} {MONTHS_EN[moment.month - 1]} {moment.year}"

    def year(self, be_year: int) -> str:
        """A fiscal year: BE in Thai, with the CE span in English."""
        if self.language == "th":
            return str(be_year)
        return f"{be_year} BE ({be_year - BE_OFFSET - 1}–{str(be_year - BE_OFFSET)[-2:]})"

    @staticmethod
    def size(size: int) -> str:
        for unit, scale in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
            if size >= scale:
                return f"{size / scale:.1f} {unit}"
        return f"{size} B"
