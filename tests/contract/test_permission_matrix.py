"""Every mutation × every kind of caller: who may call it at all. A mutation missing from
MATRIX fails the suite, so each new mutation states its rule here.

"ok" means no top-level error (the payload may still carry user errors); otherwise the expected
top-level code. CHAIR, SECRETARY, ASSISTANT_SECRETARY and MEMBER sit on the unit's current
committee; MEMBER is responsible for the whole-committee steps (5, 6, 7, 9, 12–14) and step 4 (the
staff self-assessment, the duty the order gives them), and owns the plans' activities;
ASSISTANT_SECRETARY is named by steps 2, 3, 8, 10, 15 and 16 besides the whole-committee ones;
APPROVER is the unit head, who decides plans and sits on no committee. CONTEST_ORGANISER holds
that installation role; JUDGE, for the LIKE Talk Award's rows, judges a shortlisted entry of an
edition in JUDGING (the rows then name that edition, entry and the entry's work), and elsewhere
is someone without a role.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import pytest

from models.kpi import ReportRound
from models.publishing import Channel, OutboxMessage, Publication
from models.survey import KnowledgeTopic
from models.work import WorkKind
from schema.schema import build_schema
from services import cycles, sop, surveys, works
from services.actor import SYSTEM, Actor
from services.contests import assignments
from services.cycles import StepAction
from services.reports import create_final_report, create_progress_report
from services.settings import Settings
from services.tokens import utcnow
from tests.contest_world import make_contest_world, shortlisted_entry, start_judging
from tests.helpers import GraphQLClient, error_codes, make_user
from tests.plans_world import PlanSet, make_plans
from tests.surveys_world import make_surveys
from tests.world import World, gid, make_world

CALLERS = (
    "anonymous",
    "no_role",
    "MANAGER",
    "ADMIN",
    "CHAIR",
    "SECRETARY",
    "ASSISTANT_SECRETARY",
    "MEMBER",
    "APPROVER",
    "CONTEST_ORGANISER",
    "JUDGE",
)


def _allowed(*who: str) -> dict[str, str]:
    return {
        c: "ok" if c in who else ("UNAUTHENTICATED" if c == "anonymous" else "FORBIDDEN")
        for c in CALLERS
    }


OPEN = dict.fromkeys(CALLERS, "ok")
ADMIN_ONLY = _allowed("ADMIN")
UNIT_LEAD = _allowed("ADMIN", "CHAIR", "SECRETARY")
RESPONSIBLE = _allowed("ADMIN", "CHAIR", "SECRETARY", "ASSISTANT_SECRETARY", "MEMBER")
CHAIR = _allowed("ADMIN", "CHAIR")
COMMITTEE = _allowed("ADMIN", "CHAIR", "SECRETARY", "ASSISTANT_SECRETARY", "MEMBER")
# A step's work: whoever the step names, and the unit leads (services.cycles.CycleStanding).
# Steps 3 (the stakeholder survey), 8, 10 (publishing works) and 16 name the assistant secretary
# and not MEMBER; step 4 (the staff survey) names MEMBER and not the assistant secretary; step 13
# the whole committee.
NAMES_ASSISTANT = _allowed("ADMIN", "CHAIR", "SECRETARY", "ASSISTANT_SECRETARY")
NAMES_MEMBER = _allowed("ADMIN", "CHAIR", "SECRETARY", "MEMBER")
# Decided on MEMBER's own rows (the draft work they wrote, the activity they own): theirs and
# the unit leads'.
OWNER_OR_LEAD = NAMES_MEMBER
APPROVER = _allowed("APPROVER")
SIGNED_IN = _allowed(*(c for c in CALLERS if c != "anonymous"))
ORGANISER = _allowed("ADMIN", "CONTEST_ORGANISER")
# Decided on the entry: its entrant may; a judge of it may not.
ENTRANT = {**SIGNED_IN, "JUDGE": "FORBIDDEN"}


@dataclass(frozen=True)
class ContestIds:
    """Global ids the LIKE Talk Award's rows refer to: of rows that do not exist, except for
    JUDGE."""

    contest: str = gid("Contest", 1)
    entry: str = gid("Entry", 1)
    work: str = gid("Work", 1)


@dataclass(frozen=True)
class ContestDocument:
    text: Callable[[ContestIds], str]


Document = str | Callable[["Ids"], str] | ContestDocument


@dataclass
class Ids:
    """Global ids the documents refer to."""

    world: World
    steps: dict[int, str]
    template: str
    unit_template: str
    needs_survey: str  # stakeholder survey, DRAFT
    staff_survey: str  # staff survey, OPEN
    topic: str
    stakeholder: str
    plans: PlanSet
    draft_work: str = ""  # a DRAFT by MEMBER
    review_work: str = ""  # IN_REVIEW
    registered_work: str = ""  # REGISTERED, no channel set up
    dead_publication: str = ""  # of the registered work, dead on LINE
    progress_report: str = ""  # the M5 report, DRAFT (version 1)
    final_report: str = ""  # the cycle's final report, DRAFT (version 1), made by the system


def _step_action(mutation: str, no: int, extra: str = "") -> Callable[[Ids], str]:
    def document(ids: Ids) -> str:
        return (
            f'mutation {{ {mutation}(input: {{id: "{ids.steps[no]}"{extra}}}) '
            "{ errors { code } } }"
        )

    return document


def _plan(mutation: str, which: str, extra: str = "") -> Callable[[Ids], str]:
    def document(ids: Ids) -> str:
        plan = getattr(ids.plans, which)
        fields = f'id: "{gid("Plan", plan.id)}", version: {plan.version}'
        return (
            f"mutation {{ {mutation}(input: {{{fields}{', ' + extra if extra else ''}}}) "
            "{ errors { code } } }"
        )

    return document


# mutation name: (document, expected outcome per caller)
MATRIX: dict[str, tuple[Document, dict[str, str]]] = {
    "login": (
        'mutation { login(input: {username: "x", password: "y"}) { errors { code } } }',
        OPEN,
    ),
    "tokenRefresh": (
        'mutation { tokenRefresh(input: {refreshToken: "x"}) { errors { code } } }',
        OPEN,
    ),
    "logout": ('mutation { logout(input: {refreshToken: "x"}) { errors { code } } }', OPEN),
    "userCreate": (
        'mutation { userCreate(input: {username: "new.user", password: "long enough pw", '
        'displayName: "N"}) { errors { code } } }',
        ADMIN_ONLY,
    ),
    "userUpdate": (
        'mutation { userUpdate(input: {id: "VXNlcjox", version: 1}) { errors { code } } }',
        ADMIN_ONLY,
    ),
    "userUnlock": (
        'mutation { userUnlock(input: {id: "VXNlcjox"}) { errors { code } } }',
        ADMIN_ONLY,
    ),
    "userLinkPerson": (
        lambda w: (
            'mutation { userLinkPerson(input: {user: "VXNlcjox", '
            f'person: "{gid("Person", w.world.people["กัญญาดา"].id)}"}}) {{ errors {{ code }} }} }}'
        ),
        ADMIN_ONLY,
    ),
    "userUnlinkPerson": (
        'mutation { userUnlinkPerson(input: {user: "VXNlcjox"}) { errors { code } } }',
        ADMIN_ONLY,
    ),
    "meUpdate": (
        'mutation { meUpdate(input: {version: 1, email: "me@anamai.moph.go.th"}) '
        "{ errors { code } } }",
        SIGNED_IN,
    ),
    "unitCreate": (
        'mutation { unitCreate(input: {code: "NEW", nameTh: "ใหม่"}) { errors { code } } }',
        ADMIN_ONLY,
    ),
    "unitPublicFileKindsSet": (
        lambda w: (
            f'mutation {{ unitPublicFileKindsSet(input: {{unit: "{gid("Unit", w.world.unit.id)}", '
            "kinds: [SLIDES], version: 1}) { errors { code } } }"
        ),
        UNIT_LEAD,
    ),
    "personCreate": (
        lambda w: (
            f'mutation {{ personCreate(input: {{unit: "{gid("Unit", w.world.unit.id)}", '
            'firstNameTh: "ใหม่"}) { errors { code } } }'
        ),
        ADMIN_ONLY,
    ),
    "personUpdate": (
        lambda w: (
            "mutation { personUpdate(input: {"
            f'id: "{gid("Person", w.world.people["กัญญาดา"].id)}", version: 1, '
            f'unit: "{gid("Unit", w.world.unit.id)}", firstNameTh: "กัญญา"}}) '
            "{ errors { code } } }"
        ),
        ADMIN_ONLY,
    ),
    "calendarOverrideSet": (
        'mutation { calendarOverrideSet(input: {day: "2022-01-04", isWorkingDay: false, '
        'reasonTh: "มติ ครม."}) { errors { code } } }',
        ADMIN_ONLY,
    ),
    "calendarOverrideDelete": (
        'mutation { calendarOverrideDelete(input: {day: "2022-01-04"}) { errors { code } } }',
        ADMIN_ONLY,
    ),
    "appointmentOrderCreate": (
        lambda w: (
            "mutation { appointmentOrderCreate(input: {"
            f'unit: "{gid("Unit", w.world.unit.id)}", number: "5/2565", orderDate: "2022-01-10", '
            'subjectTh: "แต่งตั้ง", issuerTh: "สลก.", members: ['
            f'{{person: "{gid("Person", w.world.people["จุฑามาศ"].id)}", role: CHAIR}}, '
            f'{{person: "{gid("Person", w.world.people["พิกุล"].id)}", role: SECRETARY}}]}}) '
            "{ errors { code } } }"
        ),
        UNIT_LEAD,
    ),
    "sopTemplateCopy": (
        lambda w: (
            "mutation { sopTemplateCopy(input: {"
            f'template: "{w.template}", unit: "{gid("Unit", w.world.unit.id)}"}}) '
            "{ errors { code } } }"
        ),
        UNIT_LEAD,
    ),
    "sopTemplateRevise": (
        lambda w: (
            f'mutation {{ sopTemplateRevise(input: {{id: "{w.unit_template}", '
            'steps: [{titleTh: "ขั้นเดียว", days: 1}]}) { errors { code } } }'
        ),
        UNIT_LEAD,
    ),
    "cycleCreate": (
        lambda w: (
            f'mutation {{ cycleCreate(input: {{unit: "{gid("Unit", w.world.unit.id)}", '
            'fiscalYear: 2566, startDate: "2022-10-11"}) { errors { code } } }'
        ),
        UNIT_LEAD,
    ),
    "cycleStepStart": (_step_action("cycleStepStart", 5), RESPONSIBLE),
    "cycleStepComplete": (_step_action("cycleStepComplete", 5), RESPONSIBLE),
    "cycleStepSkip": (_step_action("cycleStepSkip", 5, ', reason: "ไม่จำเป็น"'), UNIT_LEAD),
    "cycleStepReopen": (_step_action("cycleStepReopen", 1, ', reason: "แก้ไข"'), CHAIR),
    "cycleStepAssign": (
        lambda w: (
            f'mutation {{ cycleStepAssign(input: {{id: "{w.steps[8]}", version: 1, '
            f'responsible: ["{gid("Person", w.world.people["กัญญาดา"].id)}"]}}) '
            "{ errors { code } } }"
        ),
        UNIT_LEAD,
    ),
    "cycleStepReschedule": (
        _step_action("cycleStepReschedule", 3, ', version: 1, plannedStart: "2021-10-19"'),
        UNIT_LEAD,
    ),
    "meetingCreate": (
        lambda w: (
            f'mutation {{ meetingCreate(input: {{cycle: "{gid("Cycle", w.world.cycle.id)}", '
            'kind: MONTHLY, heldOn: "2021-11-30", titleTh: "ประชุมประจำเดือน"}) '
            "{ errors { code } } }"
        ),
        UNIT_LEAD,
    ),
    # Over JSON the file cannot be sent: who may attach is decided before the missing file is.
    "documentUpload": (
        lambda w: (
            f'mutation {{ documentUpload(input: {{file: "x", '
            f'order: "{gid("AppointmentOrder", w.world.order.id)}"}}) {{ errors {{ code }} }} }}'
        ),
        UNIT_LEAD,
    ),
    # The world holds no document: this row checks sign-in; who may delete is in test_documents.
    "documentDelete": (
        f'mutation {{ documentDelete(input: {{id: "{gid("Document", 1)}"}}) '
        "{ errors { code } } }",
        SIGNED_IN,
    ),
    "surveyCreate": (
        lambda w: (
            f'mutation {{ surveyCreate(input: {{cycle: "{gid("Cycle", w.world.cycle.id)}", '
            'kind: STAKEHOLDER_NEEDS, titleTh: "แบบสำรวจ", questions: [{kind: TEXT, '
            'textTh: "ข้อเสนอแนะ"}]}) { errors { code } } }'
        ),
        NAMES_ASSISTANT,
    ),
    "surveyRedesign": (
        lambda w: (
            f'mutation {{ surveyRedesign(input: {{id: "{w.needs_survey}", version: 1, '
            'titleTh: "ใหม่", questions: [{kind: TEXT, textTh: "อื่น"}]}) { errors { code } } }'
        ),
        NAMES_ASSISTANT,
    ),
    "surveyNewVersion": (
        lambda w: (
            f'mutation {{ surveyNewVersion(input: {{id: "{w.needs_survey}"}}) '
            "{ errors { code } } }"
        ),
        NAMES_ASSISTANT,
    ),
    "surveyOpen": (
        lambda w: (
            f'mutation {{ surveyOpen(input: {{id: "{w.needs_survey}"}}) {{ errors {{ code }} }} }}'
        ),
        NAMES_ASSISTANT,
    ),
    # The staff survey's designers include the members responsible for step 4.
    "surveyClose": (
        lambda w: (
            f'mutation {{ surveyClose(input: {{id: "{w.staff_survey}"}}) {{ errors {{ code }} }} }}'
        ),
        NAMES_MEMBER,
    ),
    "surveyInvite": (
        lambda w: (
            f'mutation {{ surveyInvite(input: {{id: "{w.needs_survey}"}}) '
            "{ errors { code } } }"
        ),
        NAMES_ASSISTANT,
    ),
    # Anyone with a link may answer: a forged one is a user error, not a refusal.
    "surveyRespond": (
        'mutation { surveyRespond(input: {token: "forged", answers: []}) { errors { code } } }',
        OPEN,
    ),
    "gapAnalysisConfirm": (
        lambda w: (
            f'mutation {{ gapAnalysisConfirm(input: {{cycle: "{gid("Cycle", w.world.cycle.id)}"}}) '
            "{ errors { code } } }"
        ),
        UNIT_LEAD,
    ),
    "knowledgeTopicCreate": (
        lambda w: (
            f'mutation {{ knowledgeTopicCreate(input: {{cycle: "{gid("Cycle", w.world.cycle.id)}", '
            'titleTh: "หัวข้อใหม่"}) { errors { code } } }'
        ),
        UNIT_LEAD,
    ),
    "knowledgeTopicAssign": (
        lambda w: (
            f'mutation {{ knowledgeTopicAssign(input: {{topic: "{w.topic}", assignments: []}}) '
            "{ errors { code } } }"
        ),
        UNIT_LEAD,
    ),
    "measureCreate": (
        lambda w: (
            f'mutation {{ measureCreate(input: {{cycle: "{gid("Cycle", w.world.cycle.id)}", '
            'titleTh: "มาตรการ", levers: ["P"]}) { errors { code } } }'
        ),
        UNIT_LEAD,
    ),
    "measuresConfirm": (
        lambda w: (
            f'mutation {{ measuresConfirm(input: {{cycle: "{gid("Cycle", w.world.cycle.id)}"}}) '
            "{ errors { code } } }"
        ),
        UNIT_LEAD,
    ),
    "stakeholderCreate": (
        lambda w: (
            f'mutation {{ stakeholderCreate(input: {{unit: "{gid("Unit", w.world.unit.id)}", '
            'name: "สมชาย ใจดี", group: SERVICE_RECIPIENT}) { errors { code } } }'
        ),
        UNIT_LEAD,
    ),
    "stakeholderUpdate": (
        lambda w: (
            f'mutation {{ stakeholderUpdate(input: {{id: "{w.stakeholder}", version: 1, '
            'name: "สมชาย ใจดี", group: PARTNER}) { errors { code } } }'
        ),
        UNIT_LEAD,
    ),
    # Over JSON the file cannot be sent: who may import is decided before the missing file is.
    "personImport": (
        lambda w: (
            f'mutation {{ personImport(input: {{file: "x", '
            f'unit: "{gid("Unit", w.world.unit.id)}"}}) {{ errors {{ code }} }} }}'
        ),
        ADMIN_ONLY,
    ),
    "stakeholderImport": (
        lambda w: (
            f'mutation {{ stakeholderImport(input: {{file: "x", '
            f'unit: "{gid("Unit", w.world.unit.id)}"}}) {{ errors {{ code }} }} }}'
        ),
        UNIT_LEAD,
    ),
    "unitRoleGrant": (
        lambda w: (
            f'mutation {{ unitRoleGrant(input: {{unit: "{gid("Unit", w.world.unit.id)}", '
            f'user: "{gid("User", w.world.users["CHAIR"].id)}"}}) {{ errors {{ code }} }} }}'
        ),
        ADMIN_ONLY,
    ),
    "unitRoleRevoke": (
        lambda w: (
            f'mutation {{ unitRoleRevoke(input: {{unit: "{gid("Unit", w.world.unit.id)}", '
            f'user: "{gid("User", w.world.users["CHAIR"].id)}"}}) {{ errors {{ code }} }} }}'
        ),
        ADMIN_ONLY,
    ),
    # The cycle has both plans already: an allowed caller gets a DUPLICATE user error.
    "planCreate": (
        lambda w: (
            f'mutation {{ planCreate(input: {{cycle: "{gid("Cycle", w.world.cycle.id)}", '
            'kind: ACTION_PLAN, titleTh: "แผน"}) { errors { code } } }'
        ),
        COMMITTEE,
    ),
    "planUpdate": (_plan("planUpdate", "revision", 'titleTh: "ใหม่"'), COMMITTEE),
    "planSubmit": (_plan("planSubmit", "revision"), NAMES_ASSISTANT),
    "planRecommend": (_plan("planRecommend", "submitted", "recommendation: APPROVE"), COMMITTEE),
    "planApprove": (_plan("planApprove", "submitted"), APPROVER),
    "planReturn": (_plan("planReturn", "submitted", 'comment: "แก้ไข"'), APPROVER),
    "planReject": (_plan("planReject", "submitted", 'comment: "ไม่เหมาะสม"'), APPROVER),
    "planRevise": (_plan("planRevise", "revision"), COMMITTEE),
    # Who may decide is answered per plan, in the results: a refusal is not a top-level error.
    "planDecideMany": (
        lambda w: (
            "mutation { planDecideMany(input: {decisions: ["
            f'{{id: "{gid("Plan", w.plans.submitted.id)}", version: {w.plans.submitted.version}, '
            "decision: APPROVE}]}) { errors { code } } }"
        ),
        SIGNED_IN,
    ),
    "activityCreate": (
        lambda w: (
            f'mutation {{ activityCreate(input: {{plan: "{gid("Plan", w.plans.revision.id)}", '
            'titleTh: "กิจกรรมใหม่", startMonth: "2021-12", endMonth: "2022-01"}) '
            "{ errors { code } } }"
        ),
        COMMITTEE,
    ),
    "activityUpdate": (
        lambda w: (
            "mutation { activityUpdate(input: {"
            f'id: "{gid("Activity", w.plans.draft_activity.id)}", version: 1, budget: "500"}}) '
            "{ errors { code } } }"
        ),
        COMMITTEE,
    ),
    "activityDelete": (
        lambda w: (
            "mutation { activityDelete(input: {"
            f'id: "{gid("Activity", w.plans.draft_activity.id)}", version: 1}}) '
            "{ errors { code } } }"
        ),
        COMMITTEE,
    ),
    # The member owns the activity; the chair and secretary report for anyone.
    "activityProgressReport": (
        lambda w: (
            "mutation { activityProgressReport(input: {"
            f'activity: "{gid("Activity", w.plans.approved_activity.id)}", percent: 10, '
            'on: "2021-11-30"}) { errors { code } } }'
        ),
        OWNER_OR_LEAD,
    ),
    "notificationMarkRead": (
        "mutation { notificationMarkRead(input: {}) { errors { code } } }",
        SIGNED_IN,
    ),
    "notificationPreferencesSet": (
        "mutation { notificationPreferencesSet(input: {channel: IN_APP, digest: true}) "
        "{ errors { code } } }",
        SIGNED_IN,
    ),
    "notificationTemplateSet": (
        'mutation { notificationTemplateSet(input: {event: WORK_RETURNED, templateTh: "{title}"}) '
        "{ errors { code } } }",
        ADMIN_ONLY,
    ),
    "workCreate": (
        lambda w: (
            f'mutation {{ workCreate(input: {{unit: "{gid("Unit", w.world.unit.id)}", '
            'kind: RESEARCH, fiscalYear: 2565, titleTh: "งานวิจัย", '
            f'authors: [{{person: "{gid("Person", w.world.people["กัญญาดา"].id)}", '
            "corresponding: true}]}) { errors { code } } }"
        ),
        RESPONSIBLE,
    ),
    "workUpdate": (
        lambda w: (
            f'mutation {{ workUpdate(input: {{id: "{w.draft_work}", version: 1, '
            'kind: RESEARCH, fiscalYear: 2565, titleTh: "งานวิจัย", '
            'authors: [{nameTh: "ผู้ร่วม", corresponding: true}]}) { errors { code } } }'
        ),
        OWNER_OR_LEAD,
    ),
    "workSubmit": (
        lambda w: (
            f'mutation {{ workSubmit(input: {{id: "{w.draft_work}"}}) {{ errors {{ code }} }} }}'
        ),
        OWNER_OR_LEAD,
    ),
    # Any member of the unit's committee reviews.
    "workReturn": (
        lambda w: (
            f'mutation {{ workReturn(input: {{id: "{w.review_work}", reason: "แก้ไข"}}) '
            "{ errors { code } } }"
        ),
        RESPONSIBLE,
    ),
    "workRegister": (
        lambda w: (
            f'mutation {{ workRegister(input: {{id: "{w.review_work}"}}) {{ errors {{ code }} }} }}'
        ),
        RESPONSIBLE,
    ),
    "workArchive": (
        lambda w: (
            f'mutation {{ workArchive(input: {{id: "{w.draft_work}", reason: "ซ้ำ"}}) '
            "{ errors { code } } }"
        ),
        UNIT_LEAD,
    ),
    "workPublish": (
        lambda w: (
            f'mutation {{ workPublish(input: {{id: "{w.registered_work}", channels: [WEBSITE]}}) '
            "{ errors { code } } }"
        ),
        NAMES_ASSISTANT,
    ),
    "workRetract": (
        lambda w: (
            f'mutation {{ workRetract(input: {{id: "{w.registered_work}", reason: "ผิด"}}) '
            "{ errors { code } } }"
        ),
        NAMES_ASSISTANT,
    ),
    "publicationRetry": (
        lambda w: (
            f'mutation {{ publicationRetry(input: {{id: "{w.dead_publication}"}}) '
            "{ errors { code } } }"
        ),
        UNIT_LEAD,
    ),
    "publishingChannelConfigure": (
        lambda w: (
            "mutation { publishingChannelConfigure(input: {"
            f'unit: "{gid("Unit", w.world.unit.id)}", channel: LINE, '
            'baseUrl: "http://127.0.0.1:9", credential: "x"}) { errors { code } } }'
        ),
        ADMIN_ONLY,
    ),
    "workFileAdd": (
        lambda w: (
            f'mutation {{ workFileAdd(input: {{work: "{w.draft_work}", kind: VIDEO_LINK, '
            'url: "https://www.youtube.com/watch?v=x"}) { errors { code } } }'
        ),
        OWNER_OR_LEAD,
    ),
    # LIKE Talk Award. Organiser rows: CONTEST_ORGANISER may do what ADMIN does here
    # (tests/contests/test_contests.py, tests/contests/test_judging.py); nothing else grants it.
    "contestCreate": (
        'mutation { contestCreate(input: {fiscalYear: 2570, nameTh: "ก", '
        'opensAt: "2026-01-01T00:00:00Z", closesAt: "2026-02-01T00:00:00Z", '
        'changesUntil: "2026-02-02T00:00:00Z", categories: [{code: "A", nameTh: "ก"}], '
        'criteria: [{nameTh: "ก"}]}) { errors { code } } }',
        ORGANISER,
    ),
    **{
        name: (
            ContestDocument(
                lambda c, name=name: (
                    f'mutation {{ {name}(input: {{id: "{c.contest}"}}) {{ errors {{ code }} }} }}'
                )
            ),
            ORGANISER,
        )
        for name in ("contestOpen", "contestClose", "contestJudgingStart", "contestResultsPublish")
    },
    "contestFormRevise": (
        ContestDocument(
            lambda c: (
                f'mutation {{ contestFormRevise(input: {{id: "{c.contest}", form: []}}) '
                "{ errors { code } } }"
            )
        ),
        ORGANISER,
    ),
    # Authors enter their works: who may is decided on the work (tests/contests/test_contests.py).
    "entryCreate": (
        ContestDocument(
            lambda c: (
                f'mutation {{ entryCreate(input: {{contest: "{c.contest}", work: "{c.work}", '
                f'category: "{gid("ContestCategory", 1)}"}}) {{ errors {{ code }} }} }}'
            )
        ),
        ENTRANT,
    ),
    "entryUpdate": (
        ContestDocument(
            lambda c: (
                f'mutation {{ entryUpdate(input: {{id: "{c.entry}", version: 1, '
                f'category: "{gid("ContestCategory", 1)}"}}) {{ errors {{ code }} }} }}'
            )
        ),
        ENTRANT,
    ),
    **{
        name: (
            ContestDocument(
                lambda c, name=name: (
                    f'mutation {{ {name}(input: {{id: "{c.entry}"}}) {{ errors {{ code }} }} }}'
                )
            ),
            rule,
        )
        for name, rule in (
            ("entrySubmit", ENTRANT),
            ("entryWithdraw", ENTRANT),
            ("entryPresent", ORGANISER),
        )
    },
    "entryScreen": (
        ContestDocument(
            lambda c: (
                f'mutation {{ entryScreen(input: {{id: "{c.entry}", decision: SHORTLISTED}}) '
                "{ errors { code } } }"
            )
        ),
        ORGANISER,
    ),
    "judgeAssign": (
        ContestDocument(
            lambda c: (
                f'mutation {{ judgeAssign(input: {{contest: "{c.contest}", '
                f'judges: ["{gid("User", 1)}"]}}) {{ errors {{ code }} }} }}'
            )
        ),
        ORGANISER,
    ),
    "judgeAssignAuto": (
        ContestDocument(
            lambda c: (
                f'mutation {{ judgeAssignAuto(input: {{contest: "{c.contest}", '
                f'judges: ["{gid("User", 1)}"]}}) {{ errors {{ code }} }} }}'
            )
        ),
        ORGANISER,
    ),
    # A judge declares their own conflicts; only organisers declare for another judge.
    "conflictDeclare": (
        ContestDocument(
            lambda c: (
                f'mutation {{ conflictDeclare(input: {{entry: "{c.entry}", reason: "ญาติ"}}) '
                "{ errors { code } } }"
            )
        ),
        SIGNED_IN,
    ),
    # Judges score what they are assigned: decided per entry (tests/contests/test_judging.py).
    "entryScore": (
        ContestDocument(
            lambda c: (
                f'mutation {{ entryScore(input: {{entry: "{c.entry}", scores: []}}) '
                "{ errors { code } } }"
            )
        ),
        SIGNED_IN,
    ),
    "scoreSheetReopen": (
        f'mutation {{ scoreSheetReopen(input: {{id: "{gid("ScoreSheet", 1)}", reason: "แก้"}}) '
        "{ errors { code } } }",
        ORGANISER,
    ),
    "entryAwardDecide": (
        ContestDocument(
            lambda c: (
                f'mutation {{ entryAwardDecide(input: {{entry: "{c.entry}", level: "GOLD"}}) '
                "{ errors { code } } }"
            )
        ),
        ORGANISER,
    ),
    "progressReportCreate": (
        lambda w: (
            f'mutation {{ progressReportCreate(input: {{cycle: "{gid("Cycle", w.world.cycle.id)}", '  # type: ignore[union-attr]
            "round: M10}) { errors { code } } }"
        ),
        COMMITTEE,
    ),
    "progressReportUpdate": (
        lambda w: (
            f'mutation {{ progressReportUpdate(input: {{id: "{w.progress_report}", version: 1, '
            'narrative: "ดำเนินการ"}) { errors { code } } }'
        ),
        COMMITTEE,
    ),
    "progressReportSubmit": (
        lambda w: (
            f'mutation {{ progressReportSubmit(input: {{id: "{w.progress_report}", version: 1}}) '
            "{ errors { code } } }"
        ),
        UNIT_LEAD,
    ),
    # On a DRAFT report: the leads get INVALID_TRANSITION in the payload, others are refused.
    "progressReportRecordDoc": (
        lambda w: (
            f'mutation {{ progressReportRecordDoc(input: {{id: "{w.progress_report}", version: 1, '
            'reference: "DOC-1", docDate: "2022-03-10"}) { errors { code } } }'
        ),
        UNIT_LEAD,
    ),
    "finalReportCreate": (
        lambda w: (
            f'mutation {{ finalReportCreate(input: {{cycle: "{gid("Cycle", w.world.cycle.id)}"}}) '  # type: ignore[union-attr]
            "{ errors { code } } }"
        ),
        COMMITTEE,
    ),
    "finalReportUpdate": (
        lambda w: (
            f'mutation {{ finalReportUpdate(input: {{id: "{w.final_report}", version: 1, '
            'results: "บรรลุ"}) { errors { code } } }'
        ),
        COMMITTEE,
    ),
    "finalReportApprove": (
        lambda w: (
            f'mutation {{ finalReportApprove(input: {{id: "{w.final_report}", version: 1}}) '
            "{ errors { code } } }"
        ),
        APPROVER,
    ),
    # On a DRAFT report: whoever step 16 names gets INVALID_TRANSITION, others are refused.
    "finalReportRecordDoc": (
        lambda w: (
            f'mutation {{ finalReportRecordDoc(input: {{id: "{w.final_report}", version: 1, '
            'reference: "DOC-16", docDate: "2022-08-10"}) { errors { code } } }'
        ),
        NAMES_ASSISTANT,
    ),
    "kpiDefinitionUpdate": (
        "mutation { kpiDefinitionUpdate(input: {fiscalYear: 2565, version: 0, levels: [], "
        "targets: []}) { errors { code } } }",
        ADMIN_ONLY,
    ),
}


def test_every_mutation_is_in_the_matrix() -> None:
    mutations = set(build_schema(Settings())._schema.mutation_type.fields)  # type: ignore[union-attr]

    assert mutations == set(MATRIX)


async def _ids() -> Ids:
    world = await make_world()
    assert world.cycle
    steps = {s.no: s for s in await world.cycle.steps.all()}
    await cycles.act_on_step(
        actor=SYSTEM,
        step_id=steps[1].id,
        action=StepAction.COMPLETE,
        override_missing_documents=True,
        reason="ทดสอบ",
        on=date(2021, 10, 14),
    )
    default = await sop.ensure_default_template()
    own = await sop.copy_template(actor=SYSTEM, template_id=default.id, unit_id=world.unit.id)
    made = await make_surveys(world, open_them=False, stakeholders=1)
    await surveys.change_status(
        actor=SYSTEM, survey_id=made.staff.id, action=surveys.SurveyAction.OPEN
    )
    topic = await KnowledgeTopic.filter(cycle_id=world.cycle.id).first()
    assert topic
    draft, review, registered, dead = await _works(world)
    return Ids(
        world=world,
        steps={no: gid("CycleStep", s.id) for no, s in steps.items()},
        template=gid("SopTemplate", default.id),
        unit_template=gid("SopTemplate", own.id),
        needs_survey=gid("Survey", made.needs.id),
        staff_survey=gid("Survey", made.staff.id),
        topic=gid("KnowledgeTopic", topic.id),
        stakeholder=gid("Stakeholder", made.stakeholders[0].id),
        plans=await make_plans(world),
        draft_work=gid("Work", draft),
        review_work=gid("Work", review),
        registered_work=gid("Work", registered),
        dead_publication=gid("Publication", dead),
    )


async def _reports(ids: Ids) -> None:
    """The M5 progress report and the final report, both DRAFT: only for the rows about them
    (their figures cost a KPI evaluation each)."""
    assert ids.world.cycle
    progress = await create_progress_report(
        actor=SYSTEM, cycle_id=ids.world.cycle.id, round_=ReportRound.M5
    )
    final = await create_final_report(actor=SYSTEM, cycle_id=ids.world.cycle.id)
    ids.progress_report = gid("ProgressReport", progress.id)
    ids.final_report = gid("FinalReport", final.id)


async def _works(world: World) -> tuple[int, int, int, int]:
    """A draft created by MEMBER, a work in review, a registered one and its dead
    publication."""
    member = world.users["MEMBER"]
    actor = Actor(user_id=member.id)
    data = works.WorkData(
        kind=WorkKind.RESEARCH,
        fiscal_year=2565,
        title_th="งานวิจัย",
        authors=[works.AuthorData(person_id=world.people["กนกานต์"].id, corresponding=True)],
    )
    draft = await works.create_work(actor=actor, unit_id=world.unit.id, data=data)
    review = await works.create_work(actor=SYSTEM, unit_id=world.unit.id, data=data)
    await works.act_on_work(actor=SYSTEM, work_id=review.id, action=works.WorkAction.SUBMIT)
    registered = await works.create_work(actor=SYSTEM, unit_id=world.unit.id, data=data)
    for action in (works.WorkAction.SUBMIT, works.WorkAction.REGISTER):
        await works.act_on_work(actor=SYSTEM, work_id=registered.id, action=action)
    publication = await Publication.create(
        work_id=registered.id, channel=Channel.LINE, retry_key="k", status="FAILED"
    )
    await OutboxMessage.create(
        publication_id=publication.id, action="PUBLISH", status="DEAD", available_at=utcnow()
    )
    return draft.id, review.id, registered.id, publication.id


async def _caller(client: GraphQLClient, world: World | None, caller: str) -> GraphQLClient:
    if caller == "anonymous":
        return client
    if world and caller in world.users:
        return world.client(client, caller)
    roles = set() if caller in ("no_role", "JUDGE") else {caller}
    return client.signed_in_as(await make_user(f"caller.{caller.lower()}", roles=roles))


async def _judging(client: GraphQLClient) -> tuple[GraphQLClient, ContestIds]:
    """A judge of a shortlisted entry of an edition in JUDGING, from another unit."""
    cw = await make_contest_world()
    entry = await shortlisted_entry(cw, "ผลงานที่ตัดสิน")
    await start_judging(cw)
    judge = cw.judges["judge_hpc"]
    await assignments.assign(
        actor=SYSTEM, contest_id=cw.contest.id, judge_ids=[judge.id], entry_ids=[entry.id]
    )
    return client.signed_in_as(judge), ContestIds(
        contest=gid("Contest", cw.contest.id),
        entry=gid("Entry", entry.id),
        work=gid("Work", entry.work_id),
    )


@pytest.mark.parametrize("mutation", sorted(MATRIX))
@pytest.mark.parametrize("caller", CALLERS)
async def test_mutation_permission(client: GraphQLClient, mutation: str, caller: str) -> None:
    document, expected = MATRIX[mutation]
    if caller == "JUDGE" and isinstance(document, ContestDocument):
        signed_in, contest = await _judging(client)
        text = document.text(contest)
    else:
        plain = document.text(ContestIds()) if isinstance(document, ContestDocument) else document
        signed_in, text = await _world_call(client, mutation, plain, caller)

    body = await signed_in.post(text)

    outcome = error_codes(body)[0] if body.get("errors") else "ok"
    assert outcome == expected[caller], body


async def _world_call(
    client: GraphQLClient, mutation: str, document: Document, caller: str
) -> tuple[GraphQLClient, str]:
    needs_world = callable(document) or caller in (
        "CHAIR",
        "SECRETARY",
        "ASSISTANT_SECRETARY",
        "MEMBER",
        "APPROVER",
    )
    ids = await _ids() if needs_world else None
    if ids and mutation.startswith(("progressReport", "finalReport")):
        await _reports(ids)
    text = document(ids) if callable(document) and ids else document
    return await _caller(client, ids.world if ids else None, caller), str(text)
