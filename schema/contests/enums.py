"""The LIKE Talk Award's enums, registered with GraphQL under their names here. Registration marks
the Python enum itself, so fields are annotated with it (``status: EntryStatus``), imported from
this module so that it is registered first."""

import strawberry

from models.contest import ContestStatus, EntryStatus, RankingMethod, SheetStatus, TieBreak
from services.contests.forms import FormFieldKind
from services.contests.results import JudgeFlag

strawberry.enum(ContestStatus, name="ContestStatus", description="Where an edition stands.")
strawberry.enum(EntryStatus, name="EntryStatus", description="Where an entry stands.")
strawberry.enum(
    RankingMethod,
    name="RankingMethod",
    description="How entries are ranked: mean or median weighted total, or normalised score.",
)
strawberry.enum(
    TieBreak,
    name="TieBreak",
    description="A key that breaks ties, higher first (EARLIER_SUBMISSION: handed in first).",
)
strawberry.enum(
    FormFieldKind, name="FormFieldKind", description="The kind of answer a form field takes."
)
strawberry.enum(
    SheetStatus,
    name="ScoreSheetStatus",
    description="A score sheet is a draft until submitted.",
)
strawberry.enum(
    JudgeFlag,
    name="JudgeFlag",
    description="Why a judge's totals are left out of the normalised score in a category.",
)

__all__ = [
    "ContestStatus",
    "EntryStatus",
    "FormFieldKind",
    "JudgeFlag",
    "RankingMethod",
    "SheetStatus",
    "TieBreak",
]
