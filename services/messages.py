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
