"""What every enum value is called, in Thai and in English: the one catalogue that the schema's
value descriptions, the ``labels(language:)`` query, the messages and the exports read, so that a
Thai reader never meets a code. Keyed by the Python enum's class name and the member's name (the
name GraphQL shows); ``tests/contract/test_labels.py`` checks that every enum of the schema is
here in full.

Actions (what a transition mutation does) have their Thai verbs in ``ACTIONS``: messages say
"cannot approve", in Thai words, when a transition is refused."""

from collections.abc import Iterable
from enum import Enum

from services.messages import Language, Words

Label = tuple[str, str]  # (Thai, English)

_CREATED_AT: Label = ("วันที่สร้าง", "Date created")
_DRAFT: Label = ("ร่าง", "Draft")
_SUBMITTED: Label = ("ส่งแล้ว", "Submitted")
_RETURNED: Label = ("ส่งกลับให้แก้ไข", "Returned for changes")
_ROUNDS: dict[str, Label] = {
    "M5": ("รอบ 5 เดือน", "Five-month round"),
    "M10": ("รอบ 10 เดือน", "Ten-month round"),
    "M12": ("รอบ 12 เดือน", "Twelve-month round"),
}

ENUMS: dict[str, dict[str, Label]] = {
    "ActivityStatus": {
        "NOT_STARTED": ("ยังไม่เริ่ม", "Not started"),
        "ON_TRACK": ("ตามแผน", "On track"),
        "AT_RISK": ("มีความเสี่ยง", "At risk"),
        "DELAYED": ("ล่าช้า", "Delayed"),
        "DONE": ("เสร็จสิ้น", "Done"),
    },
    "AuditEventOrderField": {"AT": ("เวลาที่เกิดขึ้น", "Time it happened")},
    "CommitteeRole": {
        "CHAIR": ("ประธาน", "Chair"),
        "MEMBER": ("กรรมการ", "Member"),
        "SECRETARY": ("กรรมการและเลขานุการ", "Member and secretary"),
        "ASSISTANT_SECRETARY": ("กรรมการและผู้ช่วยเลขานุการ", "Member and assistant secretary"),
    },
    "ContestExportTable": {
        "ENTRIES": ("ตารางรายผลงาน", "By entry"),
        "JUDGES": ("ตารางรายกรรมการ", "By judge"),
    },
    "ContestStatus": {
        "DRAFT": _DRAFT,
        "OPEN": ("เปิดรับผลงาน", "Open for entries"),
        "CLOSED": ("ปิดรับผลงาน", "Closed for entries"),
        "JUDGING": ("อยู่ระหว่างการตัดสิน", "Judging"),
        "RESULTS_PUBLISHED": ("ประกาศผลแล้ว", "Results published"),
    },
    "KpiRound": dict(_ROUNDS),
    "DayKind": {
        "HOLIDAY": ("วันหยุดราชการ", "Public holiday"),
        "OVERRIDE_HOLIDAY": ("วันหยุดที่ผู้ดูแลระบบกำหนด", "Holiday set by an administrator"),
        "OVERRIDE_WORKING_DAY": (
            "วันทำการที่ผู้ดูแลระบบกำหนด",
            "Working day set by an administrator",
        ),
    },
    "EntryOrderField": {
        "ID": ("ลำดับการสร้าง", "Order of creation"),
        "SUBMITTED_AT": ("วันเวลาที่ส่ง", "Time submitted"),
        "STATUS": ("สถานะ", "Status"),
        "FINAL_RANK": ("อันดับสุดท้าย", "Final rank"),
    },
    "EntryStatus": {
        "DRAFT": _DRAFT,
        "SUBMITTED": _SUBMITTED,
        "SHORTLISTED": ("ผ่านการคัดเลือก", "Shortlisted"),
        "NOT_SHORTLISTED": ("ไม่ผ่านการคัดเลือก", "Not shortlisted"),
        "RETURNED": _RETURNED,
        "PRESENTED": ("นำเสนอแล้ว", "Presented"),
        "SCORED": ("ให้คะแนนแล้ว", "Scored"),
        "AWARDED": ("ได้รับรางวัล", "Awarded"),
        "NOT_AWARDED": ("ไม่ได้รับรางวัล", "Not awarded"),
        "WITHDRAWN": ("ถอนผลงานแล้ว", "Withdrawn"),
    },
    "ExportFormat": {
        "XLSX": ("ไฟล์ Excel (XLSX)", "Excel workbook (XLSX)"),
        "CSV": ("ไฟล์ CSV (UTF-8)", "CSV (UTF-8)"),
    },
    "FinalReportOrderField": {
        "CREATED_AT": _CREATED_AT,
        "APPROVED_ON": ("วันที่อนุมัติ", "Date approved"),
    },
    "FinalReportStatus": {
        "DRAFT": _DRAFT,
        "APPROVED": ("อนุมัติแล้ว", "Approved"),
        "REPORTED": ("รายงานในระบบ DOC 4.0 แล้ว", "Recorded in DOC 4.0"),
    },
    "FormFieldKind": {
        "TEXT": ("ข้อความสั้น", "Short text"),
        "LONG_TEXT": ("ข้อความยาว", "Long text"),
        "NUMBER": ("ตัวเลข", "Number"),
        "DATE": ("วันที่", "Date"),
        "CHOICE": ("ตัวเลือก", "Choice"),
        "FILE": ("ไฟล์แนบ", "File"),
        "PERSON_LIST": ("รายชื่อบุคลากร", "List of people"),
    },
    "GapRound": {
        "START_OF_YEAR": ("วิเคราะห์ GAP ต้นปี", "Start-of-year GAP analysis"),
        "FIVE_MONTH_REVIEW": ("ทบทวน GAP รอบ 5 เดือน", "Five-month GAP review"),
    },
    "JudgeFlag": {
        "TOO_FEW_ENTRIES": ("ให้คะแนนผลงานน้อยเกินไป", "Scored too few entries"),
        "NO_SPREAD": ("ให้คะแนนทุกผลงานเท่ากัน", "Gave every entry the same total"),
    },
    "KnowledgeTopicStatus": {
        "CANDIDATE": ("ประเด็นที่สำรวจ", "Candidate"),
        "SELECTED": ("ประเด็นที่เลือกแล้ว", "Selected"),
    },
    "CriterionKind": {
        "STEPS_DONE": ("ขั้นตอนเสร็จสิ้น", "Steps done"),
        "DOCUMENTS_ATTACHED": ("แนบเอกสารหลักฐาน", "Documents attached"),
        "PLANS_APPROVED": ("แผนได้รับอนุมัติ", "Plans approved"),
        "SURVEYS_CLOSED": ("ปิดแบบสำรวจแล้ว", "Surveys closed"),
        "WORKS_REGISTERED": ("ขึ้นทะเบียนผลงาน", "Works registered"),
        "WORKS_PUBLISHED": ("เผยแพร่ผลงาน", "Works published"),
        "ENTRIES_SUBMITTED": (
            "ส่งผลงานเข้าประกวด LIKE Talk Award",
            "Entries submitted to the LIKE Talk Award",
        ),
        "PROGRESS_REPORTED": ("รายงานความก้าวหน้าใน DOC 4.0", "Progress reported in DOC 4.0"),
        "FINAL_REPORT_APPROVED": ("รายงานผลการดำเนินงานได้รับอนุมัติ", "Final report approved"),
        "FINAL_REPORT_RECORDED": (
            "รายงานผลการดำเนินงานในระบบ DOC 4.0 แล้ว",
            "Final report recorded in DOC 4.0",
        ),
    },
    "Language": {"TH": ("ภาษาไทย", "Thai"), "EN": ("ภาษาอังกฤษ", "English")},
    "LessonKind": {
        "WORKED": ("สิ่งที่ทำได้ดี", "What worked"),
        "DID_NOT_WORK": ("สิ่งที่ยังไม่ได้ผล", "What did not work"),
        "CHANGE": ("สิ่งที่ควรปรับในปีถัดไป", "What to change next year"),
    },
    "MeetingKind": {
        "PLANNING": ("ประชุมวางแผน", "Planning meeting"),
        "MONTHLY": ("ประชุมประจำเดือน", "Monthly meeting"),
        "FIVE_MONTH_REVIEW": ("ประชุมทบทวนผลรอบ 5 เดือน", "Five-month review"),
        "OTHER": ("ประชุมอื่น ๆ", "Other meeting"),
    },
    "OrderDirection": {"ASC": ("น้อยไปมาก", "Ascending"), "DESC": ("มากไปน้อย", "Descending")},
    "PersonOrderField": {
        "FIRST_NAME_TH": ("ชื่อ", "First name (Thai)"),
        "LAST_NAME_TH": ("นามสกุล", "Last name (Thai)"),
    },
    "PlanAction": {
        "CREATE": ("สร้างแผน", "Created"),
        "EDIT": ("แก้ไข", "Edited"),
        "SUBMIT": ("เสนอ", "Submitted"),
        "RECOMMEND": ("ให้ความเห็น", "Recommended"),
        "APPROVE": ("อนุมัติ", "Approved"),
        "RETURN": ("ส่งกลับให้แก้ไข", "Returned for changes"),
        "REJECT": ("ไม่อนุมัติ", "Rejected"),
        "REVISE": ("จัดทำฉบับปรับปรุง", "Revised"),
        "SUPERSEDE": ("ถูกแทนที่ด้วยฉบับปรับปรุง", "Superseded"),
    },
    "PlanDecisionKind": {
        "APPROVE": ("อนุมัติ", "Approve"),
        "RETURN": ("ส่งกลับให้แก้ไข", "Return for changes"),
        "REJECT": ("ไม่อนุมัติ", "Reject"),
    },
    "PlanKind": {
        "ACTION_PLAN": ("แผนปฏิบัติการ LO", "LO action plan"),
        "RESEARCH_INNOVATION_PLAN": (
            "แผนการสร้างหรือพัฒนาผลงานวิจัยและนวัตกรรม",
            "Research and innovation plan",
        ),
    },
    "PlanOrderField": {
        "KIND": ("ประเภทแผน", "Kind"),
        "REVISION": ("ฉบับที่", "Revision"),
        "CREATED_AT": _CREATED_AT,
    },
    "PlanStatus": {
        "DRAFT": _DRAFT,
        "SUBMITTED": ("เสนอแล้ว", "Submitted"),
        "APPROVED": ("อนุมัติแล้ว", "Approved"),
        "RETURNED": _RETURNED,
        "REJECTED": ("ไม่อนุมัติ", "Rejected"),
        "SUPERSEDED": ("ถูกแทนที่ด้วยฉบับปรับปรุง", "Superseded"),
    },
    "ProgressReportOrderField": {
        "PERIOD_START": ("วันเริ่มช่วงรายงาน", "Start of the period"),
        "PERIOD_END": ("วันสิ้นสุดช่วงรายงาน", "End of the period"),
        "CREATED_AT": _CREATED_AT,
    },
    "ReportStatus": {
        "DRAFT": _DRAFT,
        "SUBMITTED": ("เสนอแล้ว", "Submitted"),
        "REPORTED": ("รายงานใน DOC 4.0 แล้ว", "Reported in DOC 4.0"),
    },
    "PublicationStatus": {
        "QUEUED": ("รอส่ง", "Queued"),
        "SENDING": ("กำลังส่ง", "Sending"),
        "PUBLISHED": ("เผยแพร่แล้ว", "Published"),
        "FAILED": ("ส่งไม่สำเร็จ", "Failed"),
        "RETRACTED": ("ถอนการเผยแพร่แล้ว", "Retracted"),
    },
    "Channel": {
        "WEBSITE": ("เว็บไซต์ของกรม", "The department's website"),
        "FACEBOOK": ("เพจเฟซบุ๊กของหน่วยงาน", "The unit's Facebook Page"),
        "LINE": ("บัญชีไลน์ทางการของหน่วยงาน", "The unit's LINE Official Account"),
        "WEBHOOK": (
            "ช่องทางอื่นของหน่วยงาน (เว็บฮุก)",
            "Another channel of the unit (webhook)",
        ),
    },
    "NoticeEvent": {
        "WORK_RETURNED": ("ผลงานถูกส่งกลับให้แก้ไข", "Work returned for changes"),
        "WORK_REGISTERED": ("ผลงานได้รับการขึ้นทะเบียน", "Work registered"),
        "WORK_PUBLISHED": ("ผลงานได้รับการเผยแพร่", "Work published"),
        "WORK_RETRACTED": ("ผลงานถูกถอนการเผยแพร่", "Work retracted"),
        "ENTRY_SUBMITTED": ("ส่งผลงานเข้าประกวดแล้ว", "Entry submitted"),
        "ENTRY_SCREENED_OUT": ("ผลงานไม่ผ่านการคัดกรอง", "Entry not shortlisted"),
        "ENTRY_RETURNED": ("ใบสมัครถูกส่งกลับให้แก้ไข", "Entry returned for changes"),
        "ENTRY_SHORTLISTED": ("ผลงานผ่านการคัดกรอง", "Entry shortlisted"),
        "ENTRY_PRESENTED": ("นำเสนอผลงานแล้ว", "Entry presented"),
        "ENTRY_AWARDED": ("ผลงานได้รับรางวัล", "Entry awarded"),
        "ENTRY_NOT_AWARDED": ("ผลงานไม่ได้รับรางวัล", "Entry not awarded"),
        "JUDGE_ASSIGNED": ("ได้รับมอบหมายให้ตัดสินผลงาน", "Assigned to judge entries"),
        "SHEET_REOPENED": ("ใบให้คะแนนถูกเปิดให้แก้ไข", "Score sheet reopened"),
        "RESULTS_PUBLISHED": ("ประกาศผลการประกวดแล้ว", "Results published"),
        "STEP_RESPONSIBLE": ("ได้รับมอบหมายให้รับผิดชอบขั้นตอน", "Named responsible for a step"),
        "STEP_STARTED": ("ขั้นตอนเริ่มดำเนินการ", "Step started"),
        "STEP_COMPLETED": ("ขั้นตอนเสร็จสิ้น", "Step completed"),
        "STEP_REOPENED": ("ขั้นตอนถูกเปิดใหม่", "Step reopened"),
        "REPORT_SUBMITTED": ("ส่งรายงานแล้ว", "Report submitted"),
        "REPORT_RECORDED": ("บันทึกรายงานในระบบ DOC 4.0 แล้ว", "Report recorded in DOC 4.0"),
    },
    "ReminderChannel": {
        "IN_APP": ("ในระบบ LO Hub เท่านั้น", "In LO Hub only"),
        "LINE": ("ไลน์", "LINE"),
        "EMAIL": ("อีเมล", "E-mail"),
    },
    "QuestionKind": {
        "RATING": ("มาตรประมาณค่า", "Rating"),
        "SINGLE_CHOICE": ("เลือกตอบข้อเดียว", "Single choice"),
        "MULTI_CHOICE": ("เลือกตอบได้หลายข้อ", "Multiple choice"),
        "TEXT": ("ปลายเปิด", "Open answer"),
    },
    "RankingMethod": {
        "MEAN": ("ค่าเฉลี่ย", "Mean"),
        "MEDIAN": ("มัธยฐาน", "Median"),
        "NORMALISED": ("คะแนนมาตรฐาน", "Normalised score"),
    },
    "Recommendation": {
        "APPROVE": ("ควรอนุมัติ", "Approve"),
        "RETURN": ("ควรส่งกลับให้แก้ไข", "Return for changes"),
        "REJECT": ("ไม่ควรอนุมัติ", "Reject"),
    },
    "ReportRound": {**_ROUNDS, "MONTHLY": ("รายเดือน", "Monthly")},
    "ResponseStatus": {"DRAFT": ("บันทึกร่าง", "Draft"), "SUBMITTED": _SUBMITTED},
    "Role": {
        "ADMIN": ("ผู้ดูแลระบบ", "Administrator"),
        "MANAGER": ("ผู้บริหาร", "Manager"),
        "CONTEST_ORGANISER": ("ผู้จัดการประกวด", "Contest organiser"),
    },
    "ScheduleKind": {
        "DAYS": ("จำนวนวันทำการ", "Working days"),
        "PERIOD": ("ช่วงเดือน", "Whole months"),
    },
    "SheetStatus": {"DRAFT": _DRAFT, "SUBMITTED": _SUBMITTED},
    "ScreeningDecision": {
        "SHORTLISTED": ("ผ่านการคัดเลือก", "Shortlisted"),
        "NOT_SHORTLISTED": ("ไม่ผ่านการคัดเลือก", "Not shortlisted"),
        "RETURNED": _RETURNED,
    },
    "StakeholderGroup": {
        "SERVICE_RECIPIENT": ("ผู้รับบริการ", "Service recipients"),
        "STAKEHOLDER": ("ผู้มีส่วนได้ส่วนเสีย", "Stakeholders"),
        "PARTNER": ("ภาคีเครือข่าย", "Partners"),
        "OTHER": ("อื่น ๆ", "Others"),
    },
    "StakeholderOrderField": {
        "NAME": ("ชื่อ", "Name"),
        "ORGANISATION": ("หน่วยงานหรือองค์กร", "Organisation"),
        "GROUP": ("กลุ่ม", "Group"),
        "CREATED_AT": _CREATED_AT,
    },
    "StepStatus": {
        "NOT_STARTED": ("ยังไม่เริ่ม", "Not started"),
        "IN_PROGRESS": ("อยู่ระหว่างดำเนินการ", "In progress"),
        "DONE": ("เสร็จสิ้น", "Done"),
        "SKIPPED": ("ข้ามขั้นตอน", "Skipped"),
    },
    "SurveyKind": {
        "STAKEHOLDER_NEEDS": (
            "ความต้องการของผู้รับบริการและผู้มีส่วนได้ส่วนเสีย",
            "Stakeholders' needs",
        ),
        "STAFF_SELF_ASSESSMENT": (
            "การประเมินตนเองด้านองค์ความรู้ของบุคลากร",
            "Staff self-assessment",
        ),
    },
    "SurveyStatus": {
        "DRAFT": _DRAFT,
        "OPEN": ("เปิดรับคำตอบ", "Open"),
        "CLOSED": ("ปิดรับคำตอบแล้ว", "Closed"),
    },
    "ThaiDateStyle": {
        "SHORT": ("แบบย่อ (12 ต.ค. 2564)", "Short (12 ต.ค. 2564)"),
        "LONG": ("แบบเต็ม (12 ตุลาคม 2564)", "Long (12 ตุลาคม 2564)"),
    },
    "TieBreak": {
        "MEAN": ("ค่าเฉลี่ย", "Mean"),
        "MEDIAN": ("มัธยฐาน", "Median"),
        "NORMALISED": ("คะแนนมาตรฐาน", "Normalised score"),
        "FIRST_CRITERION": ("คะแนนเกณฑ์แรก", "Score of the first criterion"),
        "EARLIER_SUBMISSION": ("การส่งผลงานก่อน", "Earlier submission"),
    },
    "TopicMeasure": {
        "IMPORTANCE": ("ความสำคัญ", "Importance"),
        "PROFICIENCY": ("ความรู้ความสามารถ", "Proficiency"),
    },
    "UnitOrderField": {"CODE": ("รหัสหน่วยงาน", "Code"), "NAME_TH": ("ชื่อหน่วยงาน", "Thai name")},
    "UnitRole": {"APPROVER": ("ผู้อนุมัติ (หัวหน้าหน่วยงาน)", "Approver (head of the unit)")},
    "ErrorCode": {
        "INVALID_INPUT": ("ข้อมูลไม่ถูกต้อง", "Invalid input"),
        "NOT_FOUND": ("ไม่พบข้อมูล", "Not found"),
        "DUPLICATE": ("ข้อมูลซ้ำ", "Duplicate"),
        "STALE_VERSION": ("ข้อมูลถูกแก้ไขโดยผู้อื่นแล้ว", "Changed by someone else"),
        "INVALID_TRANSITION": ("ทำรายการนี้ในสถานะปัจจุบันไม่ได้", "Not possible in this state"),
        "INVALID_CREDENTIALS": ("ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง", "Wrong username or password"),
        "THROTTLED": ("ลองหลายครั้งเกินไป", "Too many attempts"),
        "TOKEN_INVALID": ("โทเคนไม่ถูกต้อง", "Invalid token"),
        "TOKEN_EXPIRED": ("โทเคนหมดอายุ", "Expired token"),
        "DOCUMENTS_MISSING": ("เอกสารหลักฐานไม่ครบ", "Documents missing"),
        "CONFLICT_OF_INTEREST": ("มีผลประโยชน์ทับซ้อน", "Conflict of interest"),
        "NOT_PERMITTED": ("ไม่มีสิทธิ์", "Not permitted"),
        "CHANNEL_NOT_CONFIGURED": ("ยังไม่ได้ตั้งค่าช่องทาง", "Channel not configured"),
        "NOT_ASSIGNED": ("ไม่ได้รับมอบหมาย", "Not assigned"),
    },
    "UserOrderField": {
        "USERNAME": ("ชื่อผู้ใช้", "Username"),
        "DISPLAY_NAME": ("ชื่อที่แสดง", "Display name"),
        "CREATED_AT": _CREATED_AT,
    },
    "WorkFileKind": {
        "FULL_TEXT": ("ฉบับเต็ม", "Full text"),
        "SLIDES": ("สไลด์นำเสนอ", "Slides"),
        "POSTER": ("โปสเตอร์", "Poster"),
        "VIDEO_LINK": ("ลิงก์วิดีโอ", "Video link"),
        "COVER_IMAGE": ("ภาพปก", "Cover image"),
    },
    "WorkKind": {
        "RESEARCH": ("ผลงานวิจัย", "Research"),
        "ACADEMIC": ("ผลงานวิชาการ", "Academic work"),
        "INNOVATION": ("นวัตกรรม", "Innovation"),
    },
    "WorkOrderField": {
        "FISCAL_YEAR": ("ปีงบประมาณ", "Fiscal year"),
        "TITLE_TH": ("ชื่อผลงาน", "Thai title"),
        "REGISTRY_NUMBER": ("เลขทะเบียนผลงาน", "Registry number"),
        "CREATED_AT": _CREATED_AT,
        "UPDATED_AT": ("วันที่แก้ไขล่าสุด", "Date last changed"),
    },
    "WorkStatus": {
        "DRAFT": _DRAFT,
        "IN_REVIEW": ("อยู่ระหว่างตรวจสอบ", "In review"),
        "RETURNED": _RETURNED,
        "REGISTERED": ("ขึ้นทะเบียนแล้ว", "Registered"),
        "PUBLISHED": ("เผยแพร่แล้ว", "Published"),
        "ARCHIVED": ("จัดเก็บแล้ว", "Archived"),
    },
}

# What each transition does, in Thai: "ไม่สามารถ{action}ได้ …".
ACTIONS: dict[str, str] = {
    "APPROVE": "อนุมัติ",
    "ARCHIVE": "จัดเก็บ",
    "AWARD": "มอบรางวัล",
    "CLOSE": "ปิด",
    "COMPLETE": "บันทึกว่าเสร็จสิ้น",
    "CREATE": "สร้าง",
    "EDIT": "แก้ไข",
    "NOT_AWARD": "บันทึกว่าไม่ได้รับรางวัล",
    "NOT_SHORTLIST": "บันทึกว่าไม่ผ่านการคัดเลือก",
    "OPEN": "เปิด",
    "PRESENT": "บันทึกการนำเสนอ",
    "PUBLISH": "เผยแพร่",
    "PUBLISH_RESULTS": "ประกาศผล",
    "RECOMMEND": "ให้ความเห็น",
    "RECORD_DOC": "บันทึกเลขที่ DOC 4.0",
    "REGISTER": "ขึ้นทะเบียน",
    "REJECT": "ไม่อนุมัติ",
    "REOPEN": "เปิดใหม่",
    "RESCHEDULE": "เลื่อนกำหนด",
    "RETRACT": "ถอนการเผยแพร่",
    "RETRY": "ส่งซ้ำ",
    "RETURN": "ส่งกลับให้แก้ไข",
    "REVISE": "จัดทำฉบับปรับปรุง",
    "REVISE_FORM": "แก้ไขแบบฟอร์ม",
    "SCORE": "ให้คะแนน",
    "SHORTLIST": "คัดเลือก",
    "SKIP": "ข้ามขั้นตอน",
    "START": "เริ่ม",
    "START_JUDGING": "เริ่มการตัดสิน",
    "SUBMIT": "เสนอ",
    "SUPERSEDE": "แทนที่",
    "UPDATE": "แก้ไข",
    "WITHDRAW": "ถอนผลงาน",
}


def pair(member: Enum) -> Label:
    """The Thai and English label of an enum member."""
    return ENUMS[type(member).__name__][member.name]


def label(member: Enum, language: Language) -> str:
    thai, english = pair(member)
    return thai if language == "th" else english


def words(member: Enum) -> Words:
    """The member's label as a message parameter: Thai in Thai, the code in English (the name
    the API shows)."""
    return Words(pair(member)[0], member.name)


def action_words(actions: Iterable[str]) -> Words:
    """Actions as a message parameter: Thai verbs in Thai, their codes in English."""
    names = [str(action) for action in actions]
    return Words(
        ", ".join(ACTIONS.get(name, name) for name in names) or "ไม่มี",
        ", ".join(names) or "-",
    )
