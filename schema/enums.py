"""The enums more than one domain of the schema shows, below every domain module."""

import strawberry

from models.kpi import ReportRound
from models.plan import PlanKind
from models.survey import SurveyKind

PlanKindEnum = strawberry.enum(
    PlanKind,
    name="PlanKind",
    description="ACTION_PLAN: the LO action plan; RESEARCH_INNOVATION_PLAN: the plan to create "
    "or develop research and innovation works.",
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
