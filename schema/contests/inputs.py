"""Inputs of the LIKE Talk Award in GraphQL: list filters and orderings, and every mutation's
``input``."""

from datetime import datetime
from enum import Enum

import strawberry
from strawberry import relay
from strawberry.scalars import JSON

from schema.contests.enums import EntryStatus, FormFieldKind, RankingMethod, TieBreak
from schema.relay import OrderTerm


@strawberry.input(description="Narrows the editions listed.")
class ContestFilter:
    fiscal_year: int | None = strawberry.field(default=None, description="BE year, e.g. 2565.")


@strawberry.enum(description="Fields entries can be ordered by.")
class EntryOrderField(Enum):
    ID = "id"
    SUBMITTED_AT = "submitted_at"
    STATUS = "status"
    FINAL_RANK = "final_rank"


@strawberry.input(description="One ordering term for entries.")
class EntryOrder(OrderTerm):
    field: EntryOrderField = strawberry.field(description="What to order by.")


@strawberry.input(description="Narrows the entries listed; all given conditions must hold.")
class EntryFilter:
    category: relay.GlobalID | None = strawberry.field(
        default=None, description="In this category."
    )
    status: EntryStatus | None = strawberry.field(default=None, description="In this state.")
    unit: relay.GlobalID | None = strawberry.field(default=None, description="From this unit.")
    assigned_to_me: bool = strawberry.field(
        default=False, description="Only entries the viewer is assigned to judge."
    )


@strawberry.input(description="A category of a new edition.")
class ContestCategoryInput:
    code: str = strawberry.field(description="Short code, e.g. INNOVATION.")
    name_th: str = strawberry.field(description="Name in Thai.")
    name_en: str | None = strawberry.field(default=None, description="Name in English.")


@strawberry.input(description="What a score means.")
class ScoreDescriptorInput:
    score: float = strawberry.field(description="The score described.")
    text_th: str = strawberry.field(description="In Thai.")
    text_en: str | None = strawberry.field(default=None, description="In English.")


@strawberry.input(description="A rubric criterion.")
class RubricCriterionInput:
    name_th: str = strawberry.field(description="Name in Thai.")
    name_en: str | None = strawberry.field(default=None, description="Name in English.")
    category_code: str | None = strawberry.field(
        default=None,
        description="Only for this category (a category with criteria of its own uses only "
        "those); every category when omitted.",
    )
    descriptors: list[ScoreDescriptorInput] = strawberry.field(
        default_factory=list, description="What scores mean."
    )
    scale_min: float = strawberry.field(default=0, description="Lowest score.")
    scale_max: float = strawberry.field(default=10, description="Highest score.")
    scale_step: float = strawberry.field(default=1, description="Step between scores.")
    weight: float = strawberry.field(default=1, description="Weight in the weighted total.")


@strawberry.input(description="A choice of a CHOICE field.")
class FormChoiceInput:
    value: str = strawberry.field(description="Stored value.")
    label_th: str = strawberry.field(description="Label in Thai.")
    label_en: str | None = strawberry.field(default=None, description="Label in English.")


@strawberry.input(description="A field of the application form.")
class FormFieldInput:
    key: str = strawberry.field(description="Answer key: lower case letters, digits, _.")
    kind: FormFieldKind = strawberry.field(description="Kind of answer.")
    label_th: str = strawberry.field(description="Label in Thai.")
    label_en: str | None = strawberry.field(default=None, description="Label in English.")
    required: bool = strawberry.field(default=False, description="Needed to submit.")
    min_length: int | None = strawberry.field(default=None, description="Fewest characters.")
    max_length: int | None = strawberry.field(default=None, description="Most characters.")
    minimum: float | None = strawberry.field(default=None, description="Lowest number.")
    maximum: float | None = strawberry.field(default=None, description="Highest number.")
    earliest: str | None = strawberry.field(default=None, description="Earliest date (ISO).")
    latest: str | None = strawberry.field(default=None, description="Latest date (ISO).")
    choices: list[FormChoiceInput] = strawberry.field(
        default_factory=list, description="Choices (CHOICE)."
    )
    multiple: bool = strawberry.field(default=False, description="Several choices allowed.")
    max_items: int | None = strawberry.field(default=None, description="Most items (lists).")


@strawberry.input(description="A level of award.")
class AwardLevelInput:
    code: str = strawberry.field(description="Stable code, e.g. GOLD.")
    label_th: str = strawberry.field(description="Name in Thai.")
    label_en: str | None = strawberry.field(default=None, description="Name in English.")


@strawberry.input(description="A new edition, in DRAFT.")
class ContestCreateInput:
    fiscal_year: int = strawberry.field(description="BE year, e.g. 2565; one edition per year.")
    name_th: str = strawberry.field(description="Name in Thai.")
    name_en: str | None = strawberry.field(default=None, description="Name in English.")
    opens_at: datetime = strawberry.field(description="The call opens.")
    closes_at: datetime = strawberry.field(description="The call closes.")
    changes_until: datetime = strawberry.field(description="Last moment for changes.")
    results_at: datetime | None = strawberry.field(default=None, description="Planned results.")
    ranking_method: RankingMethod = strawberry.field(
        default=RankingMethod.MEAN, description="How entries are ranked."
    )
    tie_breaks: list[TieBreak] | None = strawberry.field(
        default=None,
        description="Tie-breaks in order; MEDIAN, FIRST_CRITERION, EARLIER_SUBMISSION if omitted.",
    )
    disagreement_threshold: float = strawberry.field(
        default=15.0, description="Standard deviation (0–100 points) that flags disagreement."
    )
    judges_per_entry: int = strawberry.field(default=3, description="Judges per entry (k).")
    award_levels: list[AwardLevelInput] | None = strawberry.field(
        default=None,
        description="Award levels; GOLD, SILVER, BRONZE, HONOURABLE_MENTION if omitted.",
    )
    categories: list[ContestCategoryInput] = strawberry.field(description="Categories.")
    criteria: list[RubricCriterionInput] = strawberry.field(description="The rubric.")
    form: list[FormFieldInput] = strawberry.field(
        default_factory=list, description="Fields of the application form."
    )


@strawberry.input(description="A status change of an edition.")
class ContestActionInput:
    id: relay.GlobalID = strawberry.field(description="The edition.")
    version: int | None = strawberry.field(
        default=None, description="When given, refused if the edition changed since."
    )


@strawberry.input(description="A new version of an edition's application form.")
class ContestFormReviseInput:
    id: relay.GlobalID = strawberry.field(description="The edition.")
    version: int | None = strawberry.field(default=None, description="The edition's version.")
    form: list[FormFieldInput] = strawberry.field(description="Every field of the new version.")


@strawberry.input(description="Enter a registered work (a draft until submitted).")
class EntryCreateInput:
    contest: relay.GlobalID = strawberry.field(description="The edition.")
    work: relay.GlobalID = strawberry.field(description="A registered work.")
    category: relay.GlobalID = strawberry.field(description="The category entered.")
    presenters: list[relay.GlobalID] = strawberry.field(
        default_factory=list, description="People who present it."
    )
    answers: JSON | None = strawberry.field(
        default=None, description="Answers to the form, by field key (an object)."
    )


@strawberry.input(description="Change a draft or returned entry (until the last day for changes).")
class EntryUpdateInput:
    id: relay.GlobalID = strawberry.field(description="The entry.")
    version: int = strawberry.field(description="The version the change is based on.")
    category: relay.GlobalID = strawberry.field(description="The category.")
    presenters: list[relay.GlobalID] = strawberry.field(
        default_factory=list, description="People who present it; replaces the list."
    )
    answers: JSON | None = strawberry.field(
        default=None, description="Every answer (an object); replaces the answers."
    )


@strawberry.input(description="A status change of an entry.")
class EntryActionInput:
    id: relay.GlobalID = strawberry.field(description="The entry.")
    version: int | None = strawberry.field(
        default=None, description="When given, refused if the entry changed since."
    )
    comment: str | None = strawberry.field(default=None, description="Why; kept in the audit.")


@strawberry.enum(description="The screening committee's decision.")
class ScreeningDecision(Enum):
    SHORTLISTED = "SHORTLIST"
    NOT_SHORTLISTED = "NOT_SHORTLIST"
    RETURNED = "RETURN"


@strawberry.input(description="Screen a submitted entry.")
class EntryScreenInput:
    id: relay.GlobalID = strawberry.field(description="The entry.")
    decision: ScreeningDecision = strawberry.field(description="Shortlist, not, or return.")
    comment: str | None = strawberry.field(
        default=None, description="Required to return or not shortlist; shown to the entrant."
    )
    version: int | None = strawberry.field(default=None, description="The entry's version.")


@strawberry.input(description="Assign judges to entries, or to every judged entry of a category.")
class JudgeAssignInput:
    contest: relay.GlobalID = strawberry.field(description="The edition.")
    judges: list[relay.GlobalID] = strawberry.field(description="The judges' accounts.")
    entries: list[relay.GlobalID] | None = strawberry.field(
        default=None, description="These shortlisted entries."
    )
    category: relay.GlobalID | None = strawberry.field(
        default=None, description="Every shortlisted entry of this category."
    )


@strawberry.input(description="Balance judges over entries automatically.")
class JudgeAssignAutoInput:
    contest: relay.GlobalID = strawberry.field(description="The edition.")
    judges: list[relay.GlobalID] = strawberry.field(description="The pool of judges.")
    category: relay.GlobalID | None = strawberry.field(
        default=None, description="Only this category."
    )
    per_entry: int | None = strawberry.field(
        default=None, description="Judges per entry (k); the edition's setting if omitted."
    )


@strawberry.input(description="Declare a conflict of interest with an entry.")
class ConflictDeclareInput:
    entry: relay.GlobalID = strawberry.field(description="The entry.")
    reason: str = strawberry.field(description="Why (kept in the audit).")
    judge: relay.GlobalID | None = strawberry.field(
        default=None, description="The judge (organisers only); the viewer if omitted."
    )


@strawberry.input(description="A score for one criterion.")
class ScoreInput:
    criterion: relay.GlobalID = strawberry.field(description="The criterion.")
    value: float | None = strawberry.field(default=None, description="The score; null clears it.")
    comment: str | None = strawberry.field(default=None, description="Comment on it.")


@strawberry.input(description="One judge's scores for one entry.")
class EntryScoreInput:
    entry: relay.GlobalID = strawberry.field(description="The entry.")
    scores: list[ScoreInput] = strawberry.field(
        description="Scores to save (replacing earlier ones for the same criteria)."
    )
    comment: str | None = strawberry.field(default=None, description="Overall comment.")
    submit: bool = strawberry.field(
        default=False, description="Hand the sheet in; every criterion must be scored."
    )
    version: int | None = strawberry.field(
        default=None, description="The sheet's version, when refusing stale saves is wanted."
    )


@strawberry.input(description="Reopen a submitted score sheet.")
class ScoreSheetReopenInput:
    id: relay.GlobalID = strawberry.field(description="The sheet.")
    reason: str = strawberry.field(description="Why (kept in the audit).")


@strawberry.input(description="Decide (privately) an entry's award before publication.")
class EntryAwardDecideInput:
    entry: relay.GlobalID = strawberry.field(description="A scored entry.")
    level: str | None = strawberry.field(
        default=None, description="An award level code of the edition; null: no award."
    )
    note: str | None = strawberry.field(default=None, description="Note kept with the decision.")
