"""User-facing messages in Thai and English, keyed by a stable name."""

from typing import Literal

Language = Literal["th", "en"]

MESSAGES: dict[str, tuple[str, str]] = {
    # key: (Thai, English)
    "invalid_input": ("ข้อมูลไม่ถูกต้อง: {detail}", "Invalid input: {detail}"),
    "required": ("จำเป็นต้องระบุ", "This field is required"),
    "too_short": ("ต้องยาวอย่างน้อย {min} ตัวอักษร", "Must be at least {min} characters long"),
    "too_long": ("ต้องยาวไม่เกิน {max} ตัวอักษร", "Must be at most {max} characters long"),
    "invalid_format": ("รูปแบบไม่ถูกต้อง", "The format is not valid"),
    "not_found": ("ไม่พบ{what}", "{what_en} not found"),
    "stale_version": (
        "ข้อมูลถูกแก้ไขโดยผู้อื่นแล้ว (ฉบับที่ {current}) กรุณาโหลดใหม่ก่อนบันทึก",
        "Someone else changed this (now version {current}); reload before saving",
    ),
    "username_taken": ("ชื่อผู้ใช้ {username} ถูกใช้แล้ว", "The username {username} is taken"),
    "invalid_credentials": (
        "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง",
        "The username or password is not correct",
    ),
    "throttled": (
        "เข้าสู่ระบบไม่สำเร็จหลายครั้งเกินไป กรุณาลองใหม่ในอีก {seconds} วินาที",
        "Too many failed logins; try again in {seconds} seconds",
    ),
    "token_invalid": ("โทเคนไม่ถูกต้องหรือถูกเพิกถอนแล้ว", "The token is invalid or revoked"),
    "token_expired": ("โทเคนหมดอายุแล้ว กรุณาเข้าสู่ระบบใหม่", "The token has expired; log in again"),
    "unauthenticated": ("กรุณาเข้าสู่ระบบ", "Authentication required"),
    "forbidden": ("ไม่มีสิทธิ์ดำเนินการนี้", "You are not allowed to do this"),
    "internal": ("เกิดข้อผิดพลาดภายในระบบ", "Internal server error"),
    "template_shared": (
        "แม่แบบกลางแก้ไขไม่ได้ ให้คัดลอกเป็นของหน่วยงานก่อน",
        "The shared template cannot be edited; copy it for the unit first",
    ),
    "order_roles": (
        "คำสั่งต้องมีประธาน 1 คนและเลขานุการ 1 คน (มีประธาน {chairs} คน เลขานุการ {secretaries} คน)",
        "An order needs exactly one chair and one secretary (has {chairs} and {secretaries})",
    ),
    "member_other_unit": (
        "{name} ไม่ได้สังกัดหน่วยงานนี้",
        "{name} does not belong to this unit",
    ),
    "member_twice": ("{name} อยู่ในคำสั่งเกินหนึ่งครั้ง", "{name} is listed more than once"),
    "order_older_than_current": (
        "คำสั่งใหม่ต้องลงวันที่ไม่ก่อนคำสั่งปัจจุบัน ({current})",
        "A new order cannot be dated before the current one ({current})",
    ),
    "order_number_taken": (
        "หน่วยงานนี้มีคำสั่งเลขที่ {number} แล้ว",
        "The unit already has order number {number}",
    ),
    "cycle_exists": (
        "หน่วยงานนี้มีรอบปีงบประมาณ {year} ตัวชี้วัด {indicator} แล้ว",
        "The unit already has a cycle for fiscal year {year}, indicator {indicator}",
    ),
    "outside_fiscal_year": (
        "วันที่ {day} อยู่นอกปีงบประมาณ {year}",
        "{day} is outside fiscal year {year}",
    ),
    "invalid_transition": (
        "ทำ{action}ไม่ได้เมื่อสถานะเป็น {status} (ทำได้: {allowed})",
        "Cannot {action} from {status} (allowed: {allowed})",
    ),
    "documents_missing": (
        "ยังไม่ได้แนบเอกสาร: {names} (ระบุ overrideMissingDocuments พร้อมเหตุผลหากจำเป็น)",
        "Documents missing: {names} (set overrideMissingDocuments with a reason to proceed)",
    ),
    "reason_required": ("ต้องระบุเหตุผล", "A reason is required"),
    "responsible_other_unit": (
        "ผู้รับผิดชอบต้องเป็นบุคลากรของหน่วยงานนี้",
        "Responsible people must belong to the unit",
    ),
    "step_finished": (
        "ขั้นตอนนี้เสร็จแล้ว ให้ประธานเปิดขั้นตอนใหม่ก่อนแก้ไขหลักฐาน",
        "The step is finished; the chair must reopen it before its evidence changes",
    ),
    "date_in_future": ("วันที่ต้องไม่เป็นวันในอนาคต", "The date cannot be in the future"),
    "file_too_large": ("ไฟล์ใหญ่เกิน {max} ไบต์", "The file is larger than {max} bytes"),
    "file_type_not_allowed": (
        "ไม่รับไฟล์ชนิดนี้ (รับ PDF รูปภาพ เอกสาร Office และข้อความ)",
        "This kind of file is not accepted (PDF, images, Office documents and text are)",
    ),
    "file_type_mismatch": (
        "เนื้อไฟล์เป็น {detected} ไม่ใช่ {declared} ตามที่แจ้ง",
        "The file's bytes are {detected}, not the declared {declared}",
    ),
    "attach_to_one": (
        "ระบุที่แนบไฟล์อย่างใดอย่างหนึ่ง: slot, order หรือ meeting",
        "Give exactly one of slot, order or meeting to attach the file to",
    ),
    "download_link_invalid": (
        "ลิงก์ดาวน์โหลดไม่ถูกต้องหรือหมดอายุแล้ว กรุณาเปิดจากหน้ารายการอีกครั้ง",
        "The download link is invalid or has expired; open it from the list again",
    ),
    "due_before_start": ("วันครบกำหนดต้องไม่ก่อนวันเริ่ม", "The due date cannot be before the start"),
    "unit_code_taken": ("รหัสหน่วยงาน {code} ถูกใช้แล้ว", "The unit code {code} is taken"),
    "user_has_person": (
        "บัญชีนี้ผูกกับบุคลากรคนอื่นแล้ว",
        "That account is already linked to another person",
    ),
}


def render(key: str, language: Language, params: dict[str, object] | None = None) -> str:
    thai, english = MESSAGES[key]
    template = thai if language == "th" else english
    return template.format(**(params or {}))


def language_from_header(accept_language: str | None) -> Language:
    """Thai unless the client prefers English (Accept-Language, q-values honoured)."""
    best: tuple[float, Language] = (0.0, "th")
    for part in (accept_language or "").split(","):
        tag, _, q = part.strip().partition(";q=")
        lang = tag.strip().lower()[:2]
        if lang not in ("th", "en"):
            continue
        try:
            weight = float(q) if q else 1.0
        except ValueError:
            weight = 0.0
        if weight > best[0]:
            best = (weight, "th" if lang == "th" else "en")
    return best[1]
