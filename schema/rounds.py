"""The DOC 4.0 reporting round enum, on its own so that cycles and reports can both use it."""

import strawberry

from models.kpi import ReportRound

ReportRoundEnum = strawberry.enum(
    ReportRound,
    name="ReportRound",
    description="A DOC 4.0 reporting round: M5 (1 Oct – end of February), M10 (to 31 July), "
    "M12 (to 30 September), MONTHLY (one month).",
)
