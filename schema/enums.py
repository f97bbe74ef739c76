"""Every enum of the schema, registered with its GraphQL name and description before any
module annotates a field with it (``schema/__init__.py`` imports this module first), so that
fields are annotated with the models' own enums."""

import strawberry

from models.committee import CommitteeRole
from models.cycle import ScheduleKind, StepStatus
from models.kpi import FinalReportStatus, ReportRound, ReportStatus
from models.meeting import MeetingKind
from models.notice import NoticeEvent
from models.org import UnitRole
from models.plan import ActivityStatus, PlanAction, PlanKind, PlanStatus, Recommendation
from models.publishing import Channel, PublicationStatus
from models.reminder import ReminderChannel
from models.survey import (
    GapRound,
    KnowledgeTopicStatus,
    QuestionKind,
    ResponseStatus,
    StakeholderGroup,
    SurveyKind,
    SurveyStatus,
)
from models.user import Role
from models.work import WorkFileKind, WorkKind, WorkStatus
from services import dashboard, survey_summary
from services.errors import ErrorCode
from services.fiscal import ThaiDateStyle
from services.kpi import CriterionKind
from services.reports import LessonKind

PlanKindEnum = strawberry.enum(
    PlanKind,
    name="PlanKind",
    description="ACTION_PLAN: the LO action plan; RESEARCH_INNOVATION_PLAN: the plan to create "
    "or develop research and innovation works.",
)
GapRoundEnum = strawberry.enum(
    GapRound,
    name="GapRound",
    description="Which GAP analysis: START_OF_YEAR (SOP step 5) or FIVE_MONTH_REVIEW (step 12, "
    "redone at the five-month review meeting).",
)
SurveyKindEnum = strawberry.enum(
    SurveyKind,
    name="SurveyKind",
    description="STAKEHOLDER_NEEDS (step 3, importance) or STAFF_SELF_ASSESSMENT (step 4).",
)
ReportRoundEnum = strawberry.enum(
    ReportRound,
    name="ReportRound",
    description="A DOC 4.0 reporting round: M5 (1 Oct – end of February), M10 (to 31 July), "
    "M12 (to 30 September), MONTHLY (one month).",
)
ActivityStatusEnum = strawberry.enum(
    ActivityStatus,
    name="ActivityStatus",
    description="How an activity is doing: set in its last progress report, or derived from "
    "its progress against its schedule.",
)
ChannelEnum = strawberry.enum(
    Channel,
    name="PublishingChannel",
    description="WEBSITE (the department's WordPress site), FACEBOOK (the unit's Page), LINE "
    "(the unit's LINE Official Account) or WEBHOOK (any other channel: a signed JSON POST to "
    "the unit's HTTPS endpoint).",
)
CommitteeRoleEnum = strawberry.enum(
    CommitteeRole,
    name="CommitteeRole",
    description="CHAIR ประธาน, MEMBER กรรมการ, SECRETARY กรรมการและเลขานุการ, "
    "ASSISTANT_SECRETARY กรรมการและผู้ช่วยเลขานุการ.",
)
DashboardRoundEnum = strawberry.enum(
    dashboard.KpiRound,
    name="DashboardRound",
    description="A DOC 4.0 reporting round: M5 (1 Oct – end of February), M10 (to 31 July), "
    "M12 (the whole fiscal year).",
)
FinalReportStatusEnum = strawberry.enum(
    FinalReportStatus,
    name="FinalReportStatus",
    description="DRAFT, APPROVED by the unit head (step 16 done), then REPORTED in DOC 4.0 "
    "(still approved, with its DOC reference).",
)
KnowledgeTopicStatusEnum = strawberry.enum(
    KnowledgeTopicStatus,
    name="KnowledgeTopicStatus",
    description="CANDIDATE (surveyed) or SELECTED (one of the year's topics).",
)
KpiCriterionKindEnum = strawberry.enum(
    CriterionKind,
    name="KpiCriterionKind",
    description="What a KPI criterion checks: STEPS_DONE, DOCUMENTS_ATTACHED, PLANS_APPROVED, "
    "SURVEYS_CLOSED, WORKS_REGISTERED, WORKS_PUBLISHED, ENTRIES_SUBMITTED (LIKE Talk Award), "
    "PROGRESS_REPORTED (a DOC 4.0 round), FINAL_REPORT_APPROVED (step 16), "
    "FINAL_REPORT_RECORDED (the final report reported in DOC 4.0).",
)
LessonKindEnum = strawberry.enum(
    LessonKind,
    name="LessonKind",
    description="WORKED (สิ่งที่ทำได้ดี), DID_NOT_WORK (สิ่งที่ยังไม่ได้ผล), CHANGE (สิ่งที่ควรปรับในปีถัดไป).",
)
MeetingKindEnum = strawberry.enum(
    MeetingKind,
    name="MeetingKind",
    description="PLANNING (step 2), MONTHLY, FIVE_MONTH_REVIEW (step 12) or OTHER.",
)
PlanActionEnum = strawberry.enum(
    PlanAction, name="PlanAction", description="What happened to a plan (its timeline)."
)
PlanStatusEnum = strawberry.enum(
    PlanStatus,
    name="PlanStatus",
    description="Where a plan revision stands in its approval: DRAFT, SUBMITTED, APPROVED (in "
    "force), RETURNED (for changes), REJECTED, SUPERSEDED (a later revision is approved).",
)
ProgressReportStatusEnum = strawberry.enum(
    ReportStatus,
    name="ProgressReportStatus",
    description="DRAFT (figures follow the data), SUBMITTED (figures frozen), REPORTED (entered "
    "in DOC 4.0, with its reference number and date).",
)
PublicationStatusEnum = strawberry.enum(
    PublicationStatus,
    name="PublicationStatus",
    description="QUEUED, SENDING, PUBLISHED, FAILED (retried, or dead until retried by hand), "
    "RETRACTED.",
)
QuestionKindEnum = strawberry.enum(
    QuestionKind, name="QuestionKind", description="How it is answered."
)
RecommendationEnum = strawberry.enum(
    Recommendation,
    name="Recommendation",
    description="A committee member's advice to the approver; not a decision.",
)
ResponseStatusEnum = strawberry.enum(
    ResponseStatus, name="ResponseStatus", description="DRAFT (saved) or SUBMITTED."
)
RoleEnum = strawberry.enum(Role, name="Role", description="Installation-wide role.")
ScheduleKindEnum = strawberry.enum(
    ScheduleKind,
    name="ScheduleKind",
    description="DAYS: lasts N working days after the steps it follows; PERIOD: whole months.",
)
StakeholderGroupEnum = strawberry.enum(
    StakeholderGroup,
    name="StakeholderGroup",
    description="SERVICE_RECIPIENT ผู้รับบริการ, STAKEHOLDER ผู้มีส่วนได้ส่วนเสีย, "
    "PARTNER ภาคีเครือข่าย, OTHER อื่น ๆ.",
)
StepStatusEnum = strawberry.enum(StepStatus, name="StepStatus", description="Where a step stands.")
SurveyStatusEnum = strawberry.enum(
    SurveyStatus, name="SurveyStatus", description="DRAFT, OPEN, CLOSED."
)
ThaiDateStyleEnum = strawberry.enum(
    ThaiDateStyle, name="ThaiDateStyle", description="SHORT: 12 ต.ค. 2564; LONG: 12 ตุลาคม 2564."
)
TopicMeasureEnum = strawberry.enum(
    survey_summary.TopicMeasure,
    name="TopicMeasure",
    description="What a topic's mean measures: IMPORTANCE (stakeholders' need, step 3) or "
    "PROFICIENCY (staff's self-assessment, step 4).",
)
UnitRoleEnum = strawberry.enum(
    UnitRole, name="UnitRole", description="APPROVER: the unit head, who decides the unit's plans."
)
UserErrorCode = strawberry.enum(
    ErrorCode, name="UserErrorCode", description="Why a mutation could not be carried out."
)
WorkFileKindEnum = strawberry.enum(
    WorkFileKind,
    name="WorkFileKind",
    description="FULL_TEXT (PDF, Word), SLIDES (PDF, PowerPoint), POSTER (PDF, PNG, JPEG), "
    "COVER_IMAGE (PNG, JPEG, WebP; the website post's image) or VIDEO_LINK (a URL).",
)
WorkKindEnum = strawberry.enum(
    WorkKind,
    name="WorkKind",
    description="RESEARCH (ผลงานวิจัย), ACADEMIC (ผลงานวิชาการ) or INNOVATION (นวัตกรรม).",
)
WorkStatusEnum = strawberry.enum(
    WorkStatus,
    name="WorkStatus",
    description="DRAFT → IN_REVIEW → REGISTERED → PUBLISHED; RETURNED for changes; ARCHIVED.",
)
NotificationChannelEnum = strawberry.enum(
    ReminderChannel,
    name="NotificationChannel",
    description="IN_APP (in LO Hub only), EMAIL or LINE (from the unit's LINE Official Account).",
)
NotificationEventEnum = strawberry.enum(
    NoticeEvent,
    name="NotificationEvent",
    description="A status change that is told to the people it concerns: of works, contest "
    "entries, judging, cycle steps and progress reports.",
)
