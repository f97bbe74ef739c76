"""User-facing messages in Thai and English, keyed by a stable name."""

from dataclasses import dataclass
from typing import Literal

Language = Literal["th", "en"]


@dataclass(frozen=True)
class Words:
    """A message parameter said differently in each language (what an enum value is called)."""

    th: str
    en: str


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
    "password_login_off": (
        "การเข้าสู่ระบบด้วยรหัสผ่านถูกปิด กรุณาเข้าสู่ระบบด้วยบัญชีของกรม",
        "Signing in with a password is switched off; sign in with the department's account",
    ),
    "oidc_unknown_provider": ("ไม่รู้จักผู้ให้บริการยืนยันตัวตนนี้", "Unknown identity provider"),
    "oidc_failed": (
        "เข้าสู่ระบบด้วยบัญชีของกรมไม่สำเร็จ ({detail}) กรุณาเริ่มใหม่",
        "Signing in with the department failed ({detail}); please start again",
    ),
    "oidc_no_email": (
        "ผู้ให้บริการยืนยันตัวตนไม่ได้ส่งอีเมลที่ยืนยันแล้วมา",
        "The identity provider sent no verified e-mail address",
    ),
    "oidc_domain_refused": (
        "อีเมล {email} ไม่อยู่ในโดเมนที่อนุญาตให้เข้าสู่ระบบ ({domains})",
        "The e-mail {email} is not of a domain allowed to sign in ({domains})",
    ),
    "oidc_account_inactive": (
        "บัญชีนี้ถูกระงับการใช้งาน กรุณาติดต่อผู้ดูแลระบบ",
        "This account is deactivated; ask an administrator",
    ),
    "oidc_waiting_for_link": (
        "สร้างบัญชี {username} แล้ว แต่ยังไม่พบบุคลากรที่มีอีเมลนี้ในระบบ "
        "ผู้ดูแลระบบต้องเชื่อมบัญชีกับข้อมูลบุคลากรของคุณก่อน แล้วจึงเข้าสู่ระบบใหม่",
        "The account {username} was created, but no person with this e-mail is on record: an "
        "administrator must link the account to your person record; then sign in again",
    ),
    "person_of_other_unit": (
        "อีเมลหรือรหัสพนักงานนี้เป็นของบุคลากรหน่วยงานอื่น (ย้ายหน่วยงานได้ที่ข้อมูลบุคลากร)",
        "This e-mail or employee id is of a person of another unit (move people in their record)",
    ),
    "person_has_account": (
        "บุคลากรนี้เชื่อมกับบัญชีอื่นอยู่แล้ว (ยกเลิกการเชื่อมก่อน)",
        "The person is linked to another account already (unlink it first)",
    ),
    "user_has_no_person": (
        "บัญชีนี้ยังไม่ได้เชื่อมกับบุคลากร",
        "The account is not linked to a person",
    ),
    "account_not_linked": (
        "บัญชีของคุณยังไม่ได้เชื่อมกับข้อมูลบุคลากร กรุณาติดต่อผู้ดูแลระบบ",
        "Your account is not linked to a person record — ask an administrator",
    ),
    "token_invalid": ("โทเคนไม่ถูกต้องหรือถูกเพิกถอนแล้ว", "The token is invalid or revoked"),
    "token_expired": ("โทเคนหมดอายุแล้ว กรุณาเข้าสู่ระบบใหม่", "The token has expired; log in again"),
    "session_ended": (
        "เซสชันนี้สิ้นสุดแล้ว กรุณาเข้าสู่ระบบใหม่",
        "This session has ended; log in again",
    ),
    "login_account_locked": (
        "มีการเข้าสู่ระบบบัญชี {username} ด้วยรหัสผ่านผิด {failures} ครั้งภายใน {minutes} นาที "
        "บัญชีจึงเข้าได้เฉพาะจากเครื่องที่เคยเข้าสำเร็จ จนกว่าจะพ้นช่วงเวลาหรือผู้ดูแลระบบปลดล็อก",
        "{failures} wrong passwords for the account {username} within {minutes} minutes: it can "
        "now be signed in to only from addresses it was used from before, until the attempts age "
        "out or an administrator unlocks it",
    ),
    "unauthenticated": ("กรุณาเข้าสู่ระบบ", "Authentication required"),
    "forbidden": ("ไม่มีสิทธิ์ดำเนินการนี้", "You are not allowed to do this"),
    "file_type_ambiguous": (
        "ไฟล์นี้อ่านได้เป็นสองชนิด ({detected} และ {other}) จึงไม่รับ",
        "The file reads as two types ({detected} and {other}) and is refused",
    ),
    # Refusals that say what is missing (services/errors.py ForbiddenReason).
    "forbidden.NOT_LINKED_TO_UNIT": (
        "บัญชีของคุณยังไม่ได้เชื่อมกับบุคลากรของหน่วยงานนี้ กรุณาติดต่อผู้ดูแลระบบให้เชื่อมบัญชี",
        "Your account is not linked to a person of this unit — ask an administrator to link it",
    ),
    "forbidden.ROLE_REQUIRED": (
        "ต้องมีบทบาท {roles} จึงจะทำรายการนี้ได้ กรุณาติดต่อผู้ดูแลระบบ",
        "This needs the role {roles} — ask an administrator",
    ),
    "forbidden.UNIT_LEAD_REQUIRED": (
        "เฉพาะประธานหรือเลขานุการคณะทำงานของหน่วยงานเท่านั้นที่ทำรายการนี้ได้",
        "Only the chair or the secretary of the unit's committee may do this",
    ),
    "forbidden.CHAIR_REQUIRED": (
        "เฉพาะประธานคณะทำงานของหน่วยงานเท่านั้นที่ทำรายการนี้ได้",
        "Only the chair of the unit's committee may do this",
    ),
    "forbidden.COMMITTEE_MEMBER_REQUIRED": (
        "เฉพาะกรรมการในคำสั่งคณะทำงานปัจจุบันของหน่วยงานเท่านั้นที่ทำรายการนี้ได้",
        "Only members of the unit's current committee may do this",
    ),
    "forbidden.APPROVER_REQUIRED": (
        "เฉพาะผู้อนุมัติของหน่วยงาน (หัวหน้าหน่วยงาน) เท่านั้นที่ทำรายการนี้ได้",
        "Only the unit's approver (the head of the unit) may do this",
    ),
    "forbidden.AUTHOR_OR_LEAD_REQUIRED": (
        "เฉพาะผู้จัดทำผลงานหรือประธาน/เลขานุการคณะทำงานของหน่วยงานเท่านั้นที่ทำรายการนี้ได้",
        "Only the work's authors or the chair or secretary of the unit's committee may do this",
    ),
    "forbidden.RESPONSIBLE_REQUIRED": (
        "เฉพาะผู้รับผิดชอบขั้นตอนนี้หรือประธาน/เลขานุการคณะทำงานเท่านั้นที่ทำรายการนี้ได้",
        "Only the people responsible for this step or the committee's chair or secretary may "
        "do this",
    ),
    "forbidden.NOT_ASSIGNED": (
        "คุณไม่ได้รับมอบหมายให้ตัดสินผลงานนี้",
        "You are not assigned to this entry",
    ),
    "forbidden.ACTIVITY_OWNER_REQUIRED": (
        "เฉพาะผู้รับผิดชอบกิจกรรมหรือประธาน/เลขานุการคณะทำงานเท่านั้นที่รายงานความก้าวหน้าของกิจกรรมนี้ได้",
        "Only the activity's owners or the committee's chair or secretary may report its progress",
    ),
    "forbidden.ENTRANT_REQUIRED": (
        "เฉพาะผู้จัดทำผลงานเท่านั้นที่ส่งผลงานเข้าประกวดหรือแก้ไขใบสมัครได้",
        "Only the work's authors may enter it or change its entry",
    ),
    "forbidden.RESULTS_NOT_PUBLISHED": (
        "ผลการตัดสินจะแสดงต่อทุกคนเมื่อประกาศผลแล้ว",
        "The results are shown to everyone once they are published",
    ),
    "forbidden.INVITATION_REQUIRED": (
        "แบบสำรวจนี้ตอบได้ผ่านลิงก์คำเชิญเท่านั้น",
        "This survey is answered through its invitation link",
    ),
    "forbidden.DASHBOARD_UNITS_ONLY": (
        "แดชบอร์ดแสดงเฉพาะหน่วยงานที่คุณเป็นประธานคณะทำงานหรือผู้อนุมัติ ผู้บริหารดูได้ทุกหน่วยงาน",
        "The dashboard shows the units whose committee you chair or which you approve; managers "
        "see every unit",
    ),
    "text_lone_surrogate": (
        "ข้อความมีอักขระที่ไม่สมบูรณ์ (surrogate เดี่ยว) ซึ่งบันทึกไม่ได้",
        "The text holds a lone surrogate, which cannot be stored",
    ),
    "text_control_character": (
        "ข้อความมีอักขระควบคุม (เช่น NUL) ซึ่งไม่รับ",
        "The text holds a control character (such as NUL), which is not accepted",
    ),
    "text_line_break": (
        "ช่องนี้รับข้อความบรรทัดเดียว ไม่รับการขึ้นบรรทัดใหม่หรือแท็บ",
        "This field takes one line of text: no line breaks or tabs",
    ),
    "text_bidi_control": (
        "ชื่อมีอักขระควบคุมทิศทางข้อความ (U+202A–U+202E, U+2066–U+2069) ซึ่งไม่รับ",
        "Names may not hold bidirectional control characters (U+202A–U+202E, U+2066–U+2069)",
    ),
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
        "ไม่สามารถ{action}ได้ เนื่องจากสถานะเป็น “{status}” (ทำได้: {allowed})",
        "Cannot {action} from {status} (allowed: {allowed})",
    ),
    "documents_missing": (
        "ยังไม่ได้แนบเอกสาร: {names} (ระบุ overrideMissingDocuments พร้อมเหตุผลหากจำเป็น)",
        "Documents missing: {names} (set overrideMissingDocuments with a reason to proceed)",
    ),
    "reason_required": ("ต้องระบุเหตุผล", "A reason is required"),
    "duplicate_race": (
        "มีผู้บันทึกรายการเดียวกันไปพร้อมกัน กรุณาโหลดใหม่แล้วตรวจสอบ",
        "Someone saved the same thing at the same moment; reload and check",
    ),
    "fiscal_year_range": (
        "ปีงบประมาณต้องเป็นปี พ.ศ. เช่น 2565",
        "The fiscal year must be a Buddhist Era year such as 2565",
    ),
    "questions_locked": (
        "มีผู้ตอบแล้ว แก้คำถามไม่ได้ ให้สร้างแบบสำรวจฉบับใหม่",
        "Answers exist, so the questions cannot change; make a new version instead",
    ),
    "invite_staff_survey": (
        "แบบประเมินตนเองของบุคลากรตอบโดยเข้าสู่ระบบ ไม่ต้องส่งลิงก์",
        "Staff answer the self-assessment signed in; it takes no links",
    ),
    "survey_closed": ("แบบสำรวจปิดแล้ว", "The survey is closed"),
    "survey_not_open": ("แบบสำรวจไม่ได้เปิดรับคำตอบ", "The survey is not open for answers"),
    "survey_link_invalid": (
        "ลิงก์แบบสำรวจไม่ถูกต้อง",
        "This survey link is not valid",
    ),
    "response_submitted": (
        "ส่งคำตอบแล้ว แก้ไขไม่ได้",
        "The answers were submitted and can no longer change",
    ),
    "answer_required": ("ต้องตอบข้อ {no}", "Question {no} needs an answer"),
    "topic_exists": ('มีประเด็นความรู้ "{title}" แล้ว', 'The topic "{title}" exists'),
    "unknown_lever": ("ไม่มีกลยุทธ์ PIRAB รหัส {code}", "No PIRAB lever has the code {code}"),
    "measure_topics": (
        "มาตรการต้องเชื่อมกับประเด็นความรู้ที่เลือกแล้วของรอบนี้",
        "A measure links only to this cycle's selected knowledge topics",
    ),
    "measures_incomplete": (
        "ต้องมอบหมายประเด็นความรู้อย่างน้อยหนึ่งเรื่องและกำหนดมาตรการอย่างน้อยหนึ่งข้อก่อน",
        "Assign at least one knowledge topic and set at least one measure first",
    ),
    "survey_designed_reason": (
        "ออกแบบและจัดเก็บแบบสำรวจใน LO Hub",
        "Survey designed and kept in LO Hub",
    ),
    "gap_no_data": (
        "ยังไม่มีประเด็นความรู้ที่มีคำตอบทั้งจากผู้รับบริการและบุคลากร",
        "No knowledge topic has answers from both stakeholders and staff yet",
    ),
    "gap_confirmed_reason": (
        "ยืนยันผลวิเคราะห์ GAP ใน LO Hub (ผลสรุปแบบสำรวจอยู่ในระบบ)",
        "GAP analysis confirmed in LO Hub (the survey summaries are kept there)",
    ),
    "measures_confirmed_reason": (
        "ยืนยันมาตรการและประเด็นความรู้ใน LO Hub",
        "Measures and knowledge topics confirmed in LO Hub",
    ),
    "answer_unknown_question": (
        "ไม่มีคำถามนี้ในแบบสำรวจ หรือตอบซ้ำ",
        "No such question in this survey, or answered twice",
    ),
    "answer_out_of_scale": (
        "คะแนนต้องอยู่ระหว่าง {min} ถึง {max}",
        "The rating must be from {min} to {max}",
    ),
    "answer_unknown_choice": ("เลือกได้จาก: {choices}", "Choose from: {choices}"),
    "answer_one_choice": ("เลือกได้ข้อเดียว", "Choose exactly one"),
    "answer_text": (
        "ต้องพิมพ์คำตอบ ไม่เกิน {max} ตัวอักษร",
        "Write an answer of at most {max} characters",
    ),
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
    "stakeholder_taken": (
        "{who} อยู่ในทำเนียบของหน่วยงานนี้แล้ว",
        "{who} is already in the unit's directory",
    ),
    "email_invalid": (
        "อีเมลไม่ถูกต้อง (เช่น name@example.go.th)",
        "Not a valid e-mail address (e.g. name@example.go.th)",
    ),
    "phone_invalid": (
        "หมายเลขโทรศัพท์ใช้ได้เฉพาะตัวเลข ช่องว่าง + และ -",
        "A phone number may hold only digits, spaces, + and -",
    ),
    "stakeholder_group_unknown": (
        "ไม่รู้จักกลุ่ม “{value}” (ใช้ได้: ผู้รับบริการ ผู้มีส่วนได้ส่วนเสีย ภาคีเครือข่าย อื่น ๆ)",
        "Unknown group “{value}” (use SERVICE_RECIPIENT, STAKEHOLDER, PARTNER or OTHER, "
        "or their Thai names)",
    ),
    "import_file_type": (
        "นำเข้าได้เฉพาะไฟล์ CSV (.csv) หรือ Excel (.xlsx)",
        "Only CSV (.csv) or Excel (.xlsx) files can be imported",
    ),
    "import_file_unreadable": (
        "อ่านไฟล์ไม่ได้ ไฟล์อาจเสียหาย",
        "The file cannot be read; it may be damaged",
    ),
    "import_file_encoding": (
        "อ่านตัวอักษรในไฟล์ไม่ได้ กรุณาบันทึกเป็น CSV UTF-8",
        "The file's text encoding is not recognised; save it as CSV UTF-8",
    ),
    "import_no_header": (
        "ไม่พบแถวหัวตาราง ต้องมีคอลัมน์ {columns}",
        "No header row found: the file needs the columns {columns}",
    ),
    "import_columns_missing": (
        "หัวตาราง (แถวที่ {row}) ไม่มีคอลัมน์ {columns}",
        "The header (row {row}) lacks the columns {columns}",
    ),
    "import_column_twice": (
        "คอลัมน์ {column} มีมากกว่าหนึ่งคอลัมน์",
        "The column {column} appears more than once",
    ),
    "import_no_rows": (
        "ไม่มีข้อมูลใต้หัวตาราง (แถวที่ {row})",
        "There are no rows under the header (row {row})",
    ),
    "import_too_many_rows": (
        "ไฟล์มีข้อมูลเกิน {max} แถว กรุณาแบ่งเป็นหลายไฟล์",
        "The file has more than {max} rows; split it into several files",
    ),
    "import_row_repeated": (
        "ซ้ำกับแถวที่ {row} (ชื่อและหน่วยงานเดียวกัน)",
        "Repeats row {row} (same name and organisation)",
    ),
    "import_conflict": (
        "ทำเนียบถูกแก้ไขระหว่างนำเข้า ไม่ได้บันทึกข้อมูลใด กรุณานำเข้าอีกครั้ง",
        "The directory changed during the import and nothing was saved; import again",
    ),
    # Survey summary export (XLSX): sheet titles, headings and group names.
    "export_survey": ("แบบสำรวจ", "Survey"),
    "export_status": ("สถานะ", "Status"),
    "export_rates": ("อัตราการตอบกลับ", "Response rates"),
    "export_group": ("กลุ่ม", "Group"),
    "export_invited": ("จำนวนที่เชิญ", "Invited"),
    "export_draft": ("บันทึกร่าง", "Drafts"),
    "export_submitted": ("ส่งแล้ว", "Submitted"),
    "export_rate": ("อัตราการตอบกลับ", "Rate"),
    "export_total": ("รวม", "Total"),
    "export_questions": ("ผลรายข้อ", "Questions"),
    "export_position": ("ข้อ", "No."),
    "export_question": ("คำถาม", "Question"),
    "export_kind": ("ประเภท", "Kind"),
    "export_count": ("จำนวนคำตอบ", "Answers"),
    "export_mean": ("ค่าเฉลี่ย", "Mean"),
    "export_median": ("มัธยฐาน", "Median"),
    "export_value": ("ค่า", "Value"),
    "export_label": ("ความหมาย", "Label"),
    "export_share": ("สัดส่วน", "Share"),
    "export_topics": ("ประเด็นความรู้", "Knowledge topics"),
    "export_topic": ("ประเด็นความรู้", "Topic"),
    "export_measure_IMPORTANCE": ("ความสำคัญเฉลี่ย (1–5)", "Mean importance (1–5)"),
    "export_measure_PROFICIENCY": ("ความรู้ความสามารถเฉลี่ย (1–5)", "Mean proficiency (1–5)"),
    "export_response": ("ผู้ตอบลำดับที่", "Response no."),
    "export_submitted_at": ("วันเวลาที่ส่ง", "Submitted at"),
    "export_staff": ("บุคลากรของหน่วยงาน", "The unit's staff"),
    "plan_exists": (
        "รอบนี้มี “{kind}” แล้ว ให้ปรับปรุงแผนเดิมแทน",
        "The cycle already has a plan of kind {kind}; revise it instead",
    ),
    "comment_required": ("ต้องระบุความเห็น", "A comment is required"),
    "plan_own_approval": (
        "ผู้จัดทำหรือผู้เสนอแผนอนุมัติแผนของตนเองไม่ได้",
        "The author or submitter of a plan cannot approve it",
    ),
    "plan_without_activities": (
        "แผนต้องมีกิจกรรมอย่างน้อยหนึ่งกิจกรรมก่อนเสนอขออนุมัติ",
        "A plan needs at least one activity before it is submitted",
    ),
    "plan_not_in_force": (
        "รายงานความก้าวหน้าได้เฉพาะกิจกรรมของแผนที่อนุมัติและใช้อยู่",
        "Progress is reported only on the activities of the approved plan in force",
    ),
    "month_outside_fiscal_year": (
        "เดือน {month} อยู่นอกปีงบประมาณ {year}",
        "The month {month} is outside fiscal year {year}",
    ),
    "end_before_start": ("เดือนสิ้นสุดต้องไม่ก่อนเดือนเริ่มต้น", "The end cannot be before the start"),
    "not_of_cycle": ("ไม่ได้อยู่ในรอบนี้", "Not of this cycle"),
    "owners_of_unit": (
        "ผู้รับผิดชอบต้องเป็นบุคลากรของหน่วยงาน และไม่ซ้ำกัน",
        "Owners must be people of the unit, each listed once",
    ),
    "done_means_complete": (
        "สถานะเสร็จสิ้นต้องมีความก้าวหน้า 100% และความก้าวหน้า 100% คือเสร็จสิ้น",
        "DONE means 100% progress, and 100% progress means DONE",
    ),
    "plans_submitted_reason": (
        "จัดทำแผนทั้งสองและเสนอขออนุมัติใน LO Hub แล้ว",
        "Both plans were drafted and submitted in LO Hub",
    ),
    "plans_approved_reason": (
        "แผนทั้งสองได้รับอนุมัติใน LO Hub แล้ว",
        "Both plans were approved in LO Hub",
    ),
    "plan_revised_reason": (
        "แผนดำเนินการสร้างหรือพัฒนาผลงานวิจัย/นวัตกรรมฉบับปรับปรุงได้รับอนุมัติใน LO Hub แล้ว",
        "The revised research and innovation plan was approved in LO Hub",
    ),
    "plan_submit_notice": (
        "มีแผนเสนอขออนุมัติ: {title} (ฉบับที่ {revision})",
        "A plan awaits your decision: {title} (revision {revision})",
    ),
    "plan_recommend_notice": (
        "มีข้อเสนอแนะต่อแผน: {title} (ฉบับที่ {revision})",
        "A committee member recommended on {title} (revision {revision})",
    ),
    "plan_approve_notice": (
        "แผนได้รับอนุมัติ: {title} (ฉบับที่ {revision})",
        "Plan approved: {title} (revision {revision})",
    ),
    "plan_return_notice": (
        "แผนถูกส่งกลับให้แก้ไข: {title} (ฉบับที่ {revision})",
        "Plan returned for changes: {title} (revision {revision})",
    ),
    "plan_reject_notice": (
        "แผนไม่ได้รับอนุมัติ: {title} (ฉบับที่ {revision})",
        "Plan rejected: {title} (revision {revision})",
    ),
    "activity_behind_notice": (
        "กิจกรรมล่าช้ากว่าแผน: {title} ({percent}%)",
        "Activity behind schedule: {title} ({percent}%)",
    ),
    "unit_role_held": ("ผู้ใช้นี้มีบทบาทนี้ในหน่วยงานแล้ว", "The user already holds this unit role"),
    "too_many": ("รายการมากเกินไป (ไม่เกิน {max})", "Too many items (at most {max})"),
    "not_permitted": ("ไม่มีสิทธิ์ดำเนินการกับรายการนี้", "You are not allowed to act on this item"),
    "search_empty": ("ต้องระบุคำค้นหา", "The search text is empty"),
    "search_too_long": (
        "คำค้นหายาวเกิน {max} ตัวอักษร",
        "The search text is longer than {max} characters",
    ),
    "author_needs_name": (
        "ผู้จัดทำจากภายนอกต้องระบุชื่อ",
        "An outside co-author needs a name",
    ),
    "author_twice": ("มีผู้จัดทำซ้ำกัน", "An author is listed more than once"),
    "one_corresponding": (
        "ต้องมีผู้ประสานงานหลัก (corresponding author) 1 คน",
        "Exactly one author must be the corresponding author",
    ),
    "work_activities": (
        "กิจกรรมต้องเป็นกิจกรรมในแผนของหน่วยงานนี้ และไม่ซ้ำกัน",
        "Activities must be of this unit's plans, each listed once",
    ),
    "work_topics": (
        "ประเด็นความรู้ต้องเป็นของหน่วยงานเจ้าของผลงาน",
        "Knowledge topics must be the work's unit's",
    ),
    "registry_full": (
        "เลขทะเบียนผลงานปี {year} เต็มแล้ว",
        "The registry numbers of {year} are used up",
    ),
    "channel_not_configured": (
        "ยังไม่ได้ตั้งค่าช่องทาง {channel} ของหน่วยงาน (หรือปิดใช้งานอยู่)",
        "The unit's {channel} channel is not set up (or is switched off)",
    ),
    "too_long_for_channel": (
        "ข้อความ ({what}) ยาวเกินที่ช่องทาง {channel} รับได้ ({max} ตัวอักษร)",
        "The {what} is longer than {channel} accepts ({max} characters)",
    ),
    "invalid_url": ("ที่อยู่ต้องขึ้นต้นด้วย http:// หรือ https://", "Must be an http(s) address"),
    "template_placeholders": (
        "แม่แบบข้อความมีตัวแทนที่ไม่รู้จัก: {names} (ใช้ได้: {known})",
        "The template has unknown placeholders: {names} (known: {known})",
    ),
    "template_not_json": (
        'แม่แบบของเว็บฮุกต้องเป็นออบเจกต์ JSON โดยใส่ตัวแทนไว้ในข้อความ เช่น {{"title": "{{title}}"}}',
        "A webhook template must be a JSON object with the placeholders in its strings, e.g. "
        '{{"title": "{{title}}"}}',
    ),
    "webhook_https": (
        "ที่อยู่ของเว็บฮุกต้องขึ้นต้นด้วย https://",
        "A webhook's address must be https://",
    ),
    "work_files_locked": (
        "เพิ่มไฟล์ไม่ได้เมื่อผลงานมีสถานะ “{status}”",
        "Files cannot be added while the work is {status}",
    ),
    "video_is_a_link": ("วิดีโอให้ระบุเป็นลิงก์ (url)", "A video is given as a link (url)"),
    "file_type_not_for_kind": (
        "ไฟล์ชนิด {detected} ใช้เป็น “{kind}” ไม่ได้",
        "A {detected} file cannot be a {kind}",
    ),
    "retraction_in_progress": (
        "กำลังถอนการเผยแพร่ผลงานนี้อยู่ กรุณาลองใหม่เมื่อเสร็จแล้ว",
        "The work is still being retracted; try again once that is done",
    ),
    # LIKE Talk Award
    "contest_exists": (
        "มีการประกวดของปีงบประมาณ {year} แล้ว",
        "There is already a contest for fiscal year {year}",
    ),
    "contest_rubric_missing": (
        "ต้องมีประเภทรางวัลและเกณฑ์การให้คะแนนของทุกประเภทก่อนเปิดรับสมัคร (ขาด: {categories})",
        "Every category needs rubric criteria before the call opens (missing: {categories})",
    ),
    "contest_window_closed": (
        "อยู่นอกช่วงเวลารับสมัคร",
        "Outside the call window",
    ),
    "contest_changes_closed": (
        "พ้นกำหนดวันสุดท้ายของการแก้ไขแล้ว",
        "The last day for changes has passed",
    ),
    "contest_not_judging": (
        "การประกวดไม่อยู่ในขั้นตอนที่ทำรายการนี้ได้",
        "The contest is not at a stage that allows this",
    ),
    "work_not_registered": (
        "ส่งประกวดได้เฉพาะผลงานที่ขึ้นทะเบียนแล้ว",
        "Only a registered work can be entered",
    ),
    "work_already_entered": (
        "ผลงานนี้ส่งประกวดในรุ่นนี้แล้ว",
        "This work is already entered in this edition",
    ),
    "presenter_twice": ("มีผู้นำเสนอซ้ำ", "A presenter is listed twice"),
    "entry_withdraw_judging": (
        "ถอนผลงานไม่ได้เมื่อเริ่มการตัดสินแล้ว",
        "An entry cannot be withdrawn once judging has started",
    ),
    "entry_screening_over": (
        "พ้นขั้นตอนการคัดกรองแล้ว",
        "Screening is over",
    ),
    "judge_conflict_own_unit": (
        "กรรมการสังกัดหน่วยงานเดียวกับผลงาน {entry} จึงให้คะแนนไม่ได้",
        "The judge belongs to the unit of entry {entry} and may not judge it",
    ),
    "judge_conflict_declared": (
        "กรรมการแจ้งผลประโยชน์ทับซ้อนกับผลงาน {entry} ไว้แล้ว",
        "The judge declared a conflict of interest with entry {entry}",
    ),
    "judge_not_assigned": (
        "ท่านไม่ได้รับมอบหมายให้ให้คะแนนผลงานนี้",
        "You are not assigned to score this entry",
    ),
    "judges_per_entry_range": (
        "จำนวนกรรมการต่อผลงานต้องอยู่ระหว่าง 1 ถึง {max}",
        "Judges per entry must be between 1 and {max}",
    ),
    "conflict_exists": (
        "แจ้งผลประโยชน์ทับซ้อนกับผลงานนี้ไว้แล้ว",
        "A conflict with this entry is already declared",
    ),
    "score_unknown_criterion": (
        "ไม่ใช่เกณฑ์ของผลงานนี้ หรือระบุซ้ำ",
        "Not a criterion of this entry's rubric, or given twice",
    ),
    "score_off_scale": (
        "คะแนนต้องอยู่ระหว่าง {min} ถึง {max} ทีละ {step}",
        "The score must be from {min} to {max} in steps of {step}",
    ),
    "score_missing": (
        "ยังไม่ได้ให้คะแนนเกณฑ์ {criterion} (บันทึกเป็นร่างแล้ว)",
        "No score yet for {criterion_en} (saved as a draft)",
    ),
    "scoring_closed": (
        "ยังให้คะแนนผลงานนี้ไม่ได้ หรือปิดการให้คะแนนแล้ว",
        "This entry cannot be scored now",
    ),
    "award_level_unknown": (
        "ไม่มีระดับรางวัลนี้ (มี: {levels})",
        "No such award level (there are: {levels})",
    ),
    "rank_reason_alone": ("จัดอันดับตาม{method}", "Ranked by {method}"),
    "rank_reason_tie": (
        "{method}เท่ากับผลงาน {others} ตัดสินด้วย{key}",
        "Tied on {method} with entries {others}; placed by {key}",
    ),
    "rank_reason_unresolved": (
        "{method}และเกณฑ์ตัดสินทุกข้อเท่ากับผลงาน {others} จึงได้อันดับร่วม",
        "Tied on {method} and every tie-break with entries {others}: rank shared",
    ),
    "rank_reason_unscored": ("ยังไม่มีคะแนนที่ส่งแล้ว", "No submitted scores yet"),
    "xc_category": ("ประเภท", "Category"),
    "xc_entry": ("รหัสผลงานที่ส่ง", "Entry"),
    "xc_registry": ("เลขทะเบียนผลงาน", "Registry number"),
    "xc_title": ("ชื่อผลงาน", "Title"),
    "xc_unit": ("หน่วยงาน", "Unit"),
    "xc_status": ("สถานะ", "Status"),
    "xc_count": ("จำนวนกรรมการ", "Judges"),
    "xc_mean": ("ค่าเฉลี่ย", "Mean"),
    "xc_median": ("มัธยฐาน", "Median"),
    "xc_std_dev": ("ส่วนเบี่ยงเบนมาตรฐาน", "Standard deviation"),
    "xc_normalised": ("คะแนนมาตรฐาน", "Normalised score"),
    "xc_disagreement": ("ความเห็นต่างกันมาก", "Disagreement"),
    "xc_rank": ("อันดับ", "Rank"),
    "xc_rank_reason": ("เหตุผลของอันดับ", "Rank reason"),
    "xc_award": ("รางวัล", "Award"),
    "xc_comments": ("ความเห็นกรรมการ", "Judges' comments"),
    "xc_judge": ("กรรมการ", "Judge"),
    "xc_judge_name": ("ชื่อกรรมการ", "Judge's name"),
    "xc_sheet_status": ("สถานะใบให้คะแนน", "Sheet status"),
    "xc_submitted_at": ("ส่งเมื่อ", "Submitted at"),
    "xc_comment": ("ความเห็น", "Comment"),
    "xc_total": ("คะแนนรวมถ่วงน้ำหนัก", "Weighted total"),
    "xc_z": ("คะแนน z", "z-score"),
    "xc_flag": ("ไม่นำมาคิดคะแนนมาตรฐาน", "Left out of normalisation"),
    # KPI success level, DOC 4.0 progress reports and the final report (issue 8a)
    "kpi_levels_incomplete": (
        "ต้องกำหนดระดับ 1–5 ครบทุกระดับ ระดับละไม่ซ้ำกัน",
        "Levels 1 to 5 must each be given once",
    ),
    "kpi_target_invalid": (
        "ค่าเป้าหมายต้องเป็นรอบ M5, M10 หรือ M12 และระดับ 0–5",
        "A target is for round M5, M10 or M12 and is a level from 0 to 5",
    ),
    "kpi_unknown_step": ("ไม่มีขั้นตอนที่ {no} ในแม่แบบ SOP", "The SOP templates have no step {no}"),
    "kpi_unknown_kind": ("ไม่รู้จักเกณฑ์ประเภท {kind}", "Unknown criterion kind {kind}"),
    "kpi_steps_required": ("เกณฑ์นี้ต้องระบุขั้นตอน", "This criterion needs its steps"),
    "kpi_round_required": ("เกณฑ์นี้ต้องระบุรอบรายงาน", "This criterion needs its round"),
    "report_round_not_ended": (
        "รอบ {round} ยังไม่สิ้นสุด (สิ้นสุด {end}) จึงยังจัดทำรายงานไม่ได้",
        "Round {round} has not ended (it ends on {end}); its report cannot be made yet",
    ),
    "report_month_required": (
        "รายงานรายเดือนต้องระบุเดือน (1–12)",
        "A monthly report needs its month (1 to 12)",
    ),
    "report_exists": ("มีรายงานของรอบนี้แล้ว", "This round already has its report"),
    "doc_on_unsubmitted": (
        "บันทึกเลขที่ DOC 4.0 ได้เฉพาะรายงานที่เสนอแล้ว (สถานะปัจจุบัน {status})",
        "A DOC 4.0 reference can only be recorded on a submitted report (it is {status})",
    ),
    "doc_date_before_submission": (
        "วันที่รายงานใน DOC 4.0 ต้องไม่ก่อนวันที่เสนอรายงาน",
        "The DOC 4.0 date cannot be before the report was submitted",
    ),
    "doc_date_before_approval": (
        "วันที่รายงานใน DOC 4.0 ต้องไม่ก่อนวันที่อนุมัติรายงาน",
        "The DOC 4.0 date cannot be before the report was approved",
    ),
    "doc_on_unapproved": (
        "บันทึกเลขที่ DOC 4.0 ได้เฉพาะรายงานผลที่อนุมัติแล้ว (สถานะปัจจุบัน {status})",
        "A DOC 4.0 reference can only be recorded on an approved final report (it is {status})",
    ),
    "final_report_exists": ("รอบนี้มีรายงานผลการดำเนินงานแล้ว", "This cycle has its final report"),
    "final_report_own_approval": (
        "ผู้จัดทำรายงานอนุมัติรายงานของตนเองไม่ได้",
        "The author of the final report cannot approve it",
    ),
    "progress_reported_reason": (
        "เสนอรายงานความก้าวหน้ารอบ 5 เดือนใน LO Hub แล้ว",
        "The five-month progress report was submitted in LO Hub",
    ),
    "final_report_approved_reason": (
        "รายงานผลการดำเนินงานและสรุปบทเรียนได้รับอนุมัติใน LO Hub แล้ว",
        "The final report and lessons learned were approved in LO Hub",
    ),
    # Publishing (review fixes)
    "publication_needs_retry": (
        "การเผยแพร่ทางช่องทาง {channel} ล้มเหลวและไม่ได้ลองใหม่แล้ว ใช้ publicationRetry เพื่อส่งอีกครั้ง",
        "The {channel} publication failed and is no longer retried: send it again with "
        "publicationRetry",
    ),
    "retry_needs_published": (
        "ส่งการเผยแพร่ซ้ำได้เฉพาะเมื่อผลงานอยู่ในสถานะเผยแพร่แล้ว (ตอนนี้: {status})",
        "A publication can be sent again only while its work is PUBLISHED (it is {status})",
    ),
    "line_may_have_been_sent": (
        "ข้อความ LINE นี้อาจส่งออกไปแล้ว และคีย์กันส่งซ้ำ (X-Line-Retry-Key) หมดอายุแล้ว "
        "(24 ชั่วโมงหลังการส่งครั้งแรก) ตรวจสอบใน LINE Official Account ก่อน "
        "แล้วส่ง sendAgain: true หากต้องการส่งใหม่",
        "This LINE message may have been sent already, and its retry key (X-Line-Retry-Key) "
        "has expired (24 hours after the first send): check the LINE Official Account, then "
        "pass sendAgain: true to send it again",
    ),
    # ---- judging review fixes
    "results_published": (
        "ประกาศผลการประกวดแล้ว จึงทำรายการนี้ไม่ได้",
        "The results are published; this can no longer be done",
    ),
    "conflict_sheet_submitted": (
        "ส่งใบให้คะแนนผลงานนี้แล้ว ต้องให้ผู้จัดการประกวดเป็นผู้แจ้งผลประโยชน์ทับซ้อน",
        "Your score sheet for this entry is submitted; only an organiser can declare the "
        "conflict now",
    ),
    "judge_conflict_entrant": (
        "กรรมการเป็นผู้ส่ง ผู้จัดทำ หรือผู้นำเสนอผลงาน {entry} จึงให้คะแนนไม่ได้",
        "The judge made, wrote or presents entry {entry} (their own entry) and may not judge it",
    ),
    "rank_reason_unnormalised": (
        "กรรมการทุกคนของผลงานนี้ไม่ถูกนำมาคิดคะแนนมาตรฐาน จึงจัดอันดับตามค่าเฉลี่ยต่อจากผลงานที่มีคะแนนมาตรฐาน",
        "No judge of this entry counts in the normalised score: ranked by mean after the "
        "entries that have one",
    ),
    "award_on_unscored": (
        "ผลงาน {entries} มีการตัดสินรางวัลไว้แต่ยังให้คะแนนไม่ครบ ต้องให้คะแนนให้ครบหรือยกเลิกรางวัลก่อนประกาศผล",
        "Entries {entries} have an award decided but are not completely scored: score them or "
        "withdraw the award before publishing",
    ),
    # Managers' dashboard and reminders (issue 8b)
    "dashboard_years": (
        "จำนวนปีงบประมาณต้องอยู่ระหว่าง 1 ถึง {max}",
        "The number of fiscal years must be 1 to {max}",
    ),
    "file_content_missing": (
        "ไม่พบเนื้อไฟล์ในที่จัดเก็บ กรุณาแจ้งผู้ดูแลระบบ",
        "The file's content is missing from storage; tell an administrator",
    ),
    "service_unavailable": (
        "ระบบไม่พร้อมให้บริการชั่วคราว กรุณาลองใหม่ในอีก {seconds} วินาที",
        "The service is temporarily unavailable; try again in {seconds} seconds",
    ),
    "reminder_due": (
        "แจ้งเตือน: {what} ครบกำหนด {due} (อีก {days} วันทำการ)",
        "Reminder: {what_en} is due on {due_en} ({days} working days left)",
    ),
    "reminder_overdue": (
        "แจ้งเตือน: {what} เลยกำหนด {due} แล้ว",
        "Reminder: {what_en} was due on {due_en} and is overdue",
    ),
    # A status-change notice: its text as written in each language when the change was made.
    "notice": ("{th}", "{en}"),
    "notice_needs_line_id": (
        "ต้องระบุ LINE user id ในข้อมูลติดต่อของท่านก่อนเลือกรับการแจ้งเตือนทาง LINE",
        "Add your LINE user id to your contact details before choosing LINE",
    ),
}


def render(key: str, language: Language, params: dict[str, object] | None = None) -> str:
    thai, english = MESSAGES[key]
    template = thai if language == "th" else english
    said = {
        name: (value.th if language == "th" else value.en) if isinstance(value, Words) else value
        for name, value in (params or {}).items()
    }
    return template.format(**said)


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
