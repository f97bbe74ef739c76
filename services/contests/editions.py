"""LIKE Talk Award editions (SOP step 15): configuration and lifecycle.

Edition transitions — state, action, next state, who (organisers: CONTEST_ORGANISER, ADMIN):

| from      | action          | to                | who       | needs                            |
|-----------|-----------------|-------------------|-----------|----------------------------------|
| DRAFT     | OPEN            | OPEN              | organiser | categories, a rubric for each    |
| OPEN      | CLOSE           | CLOSED            | organiser |                                  |
| CLOSED    | START_JUDGING   | JUDGING           | organiser |                                  |
| JUDGING   | PUBLISH_RESULTS | RESULTS_PUBLISHED | organiser | (judging: awards)                |

Entries are in ``entries``; who may read an edition is in ``access``.
"""

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from models.contest import (
    Contest,
    ContestCategory,
    ContestForm,
    ContestStatus,
    RankingMethod,
    RubricCriterion,
    TieBreak,
)
from services import audit, clock
from services.actor import Actor
from services.contests.access import require_organiser, visible_contests
from services.contests.forms import FormDefinition, parse_definition
from services.errors import DomainError, ErrorCode, check_version, invalid_transition, not_found
from services.fiscal import BE_YEARS

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=255)]
OptionalText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=255)] | None
Code = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[A-Za-z0-9_-]{1,32}$")]
DEFAULT_AWARDS = [
    {"code": "GOLD", "label_th": "รางวัลระดับทอง", "label_en": "Gold"},
    {"code": "SILVER", "label_th": "รางวัลระดับเงิน", "label_en": "Silver"},
    {"code": "BRONZE", "label_th": "รางวัลระดับทองแดง", "label_en": "Bronze"},
    {"code": "HONOURABLE_MENTION", "label_th": "รางวัลชมเชย", "label_en": "Honourable mention"},
]
DEFAULT_TIE_BREAKS = [TieBreak.MEDIAN, TieBreak.FIRST_CRITERION, TieBreak.EARLIER_SUBMISSION]


class ContestAction(StrEnum):
    OPEN = "OPEN"
    CLOSE = "CLOSE"
    START_JUDGING = "START_JUDGING"
    PUBLISH_RESULTS = "PUBLISH_RESULTS"


CONTEST_TRANSITIONS: dict[tuple[ContestStatus, ContestAction], ContestStatus] = {
    (ContestStatus.DRAFT, ContestAction.OPEN): ContestStatus.OPEN,
    (ContestStatus.OPEN, ContestAction.CLOSE): ContestStatus.CLOSED,
    (ContestStatus.CLOSED, ContestAction.START_JUDGING): ContestStatus.JUDGING,
    (ContestStatus.JUDGING, ContestAction.PUBLISH_RESULTS): ContestStatus.RESULTS_PUBLISHED,
}


def now() -> datetime:
    return clock.now()


def window_open(contest: Contest) -> bool:
    """The call is open: new entries may be made and handed in."""
    return contest.status == ContestStatus.OPEN and contest.opens_at <= now() <= contest.closes_at


def changes_open(contest: Contest) -> bool:
    """Entries may still change (returned ones be resubmitted)."""
    return (
        contest.status in (ContestStatus.OPEN, ContestStatus.CLOSED)
        and now() <= contest.changes_until
    )


def may_enter(actor: Actor, contest: Contest) -> bool:
    """The viewer may enter a work now (which work, ``entries.create_entry`` decides)."""
    return actor.user_id is not None and window_open(contest)


def audit_name(action: StrEnum) -> str:
    """START_JUDGING → startJudging, as audit actions are named."""
    head, *rest = action.value.lower().split("_")
    return head + "".join(part.title() for part in rest)


def allowed_contest_actions(status: ContestStatus) -> list[str]:
    return [a.value for (s, a) in CONTEST_TRANSITIONS if s == status]


# ---- configuration -------------------------------------------------------------------------


class CategoryData(BaseModel):
    model_config = ConfigDict(frozen=True)
    code: Code
    name_th: Text
    name_en: OptionalText = None


class Descriptor(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    score: float
    text_th: Text
    text_en: OptionalText = None


class CriterionData(BaseModel):
    model_config = ConfigDict(frozen=True)
    name_th: Text
    name_en: OptionalText = None
    category_code: str | None = None
    descriptors: list[Descriptor] = Field(default_factory=list, max_length=21)
    scale_min: float = 0
    scale_max: float = 10
    scale_step: float = Field(default=1, gt=0)
    weight: float = Field(default=1, gt=0, le=1000)

    @model_validator(mode="after")
    def _scale(self) -> "CriterionData":
        if self.scale_max <= self.scale_min:
            raise ValueError("the scale's maximum must be above its minimum")
        steps = (self.scale_max - self.scale_min) / self.scale_step
        if abs(steps - round(steps)) > 1e-9 or round(steps) > 1000:
            raise ValueError("the scale's step must divide it into at most 1000 steps")
        return self


class AwardLevelData(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    code: Code
    label_th: Text
    label_en: OptionalText = None


class ContestData(BaseModel):
    model_config = ConfigDict(frozen=True)
    fiscal_year: int
    name_th: Text
    name_en: OptionalText = None
    opens_at: datetime
    closes_at: datetime
    changes_until: datetime
    results_at: datetime | None = None
    ranking_method: RankingMethod = RankingMethod.MEAN
    tie_breaks: list[TieBreak] = Field(default_factory=lambda: list(DEFAULT_TIE_BREAKS))
    disagreement_threshold: float = Field(default=15.0, ge=0, le=100)
    judges_per_entry: int = Field(default=3, ge=1, le=50)
    award_levels: list[AwardLevelData] = Field(
        default_factory=lambda: [AwardLevelData(**a) for a in DEFAULT_AWARDS], min_length=1
    )
    categories: list[CategoryData] = Field(min_length=1, max_length=50)
    criteria: list[CriterionData] = Field(min_length=1, max_length=50)
    form: list[dict[str, Any]] = Field(default_factory=list)

    @model_validator(mode="before")
    @classmethod
    def _default_tie_breaks(cls, data: Any) -> Any:
        # The default order, less the ranking method itself (ranking by it again decides nothing).
        if isinstance(data, dict) and data.get("tie_breaks") is None:
            method = str(data.get("ranking_method") or RankingMethod.MEAN)
            data = {**data, "tie_breaks": [t for t in DEFAULT_TIE_BREAKS if t.value != method]}
        return data

    @model_validator(mode="after")
    def _consistent(self) -> "ContestData":
        if self.fiscal_year not in BE_YEARS:
            raise ValueError("fiscal year out of range")
        if not self.opens_at < self.closes_at <= self.changes_until:
            raise ValueError("the window must open before it closes, changes end last")
        codes = [c.code for c in self.categories]
        if len(set(codes)) != len(codes):
            raise ValueError("category codes must be unique")
        if any(c.category_code and c.category_code not in codes for c in self.criteria):
            raise ValueError("a criterion names an unknown category")
        if len(set(self.tie_breaks)) != len(self.tie_breaks):
            raise ValueError("a tie-break is repeated")
        if any(t.value == self.ranking_method.value for t in self.tie_breaks):
            raise ValueError("the ranking method cannot also break its own ties")
        levels = [a.code for a in self.award_levels]
        if len(set(levels)) != len(levels):
            raise ValueError("award level codes must be unique")
        return self


def list_contests(*, actor: Actor, fiscal_year: int | None = None) -> QuerySet[Contest]:
    rows = visible_contests(actor)
    if fiscal_year is not None:
        rows = rows.filter(fiscal_year=fiscal_year)
    return rows.order_by("-fiscal_year", "id")


async def create_contest(*, actor: Actor, data: ContestData) -> Contest:
    require_organiser(actor)
    definition = parse_definition(data.form)
    if await Contest.exists(fiscal_year=data.fiscal_year):
        raise DomainError.of(
            ErrorCode.DUPLICATE, "contest_exists", field=("fiscalYear",), year=data.fiscal_year
        )
    async with in_transaction() as connection:
        contest = await Contest.create(
            fiscal_year=data.fiscal_year,
            name_th=data.name_th,
            name_en=data.name_en,
            opens_at=data.opens_at,
            closes_at=data.closes_at,
            changes_until=data.changes_until,
            results_at=data.results_at,
            ranking_method=data.ranking_method,
            tie_breaks=[t.value for t in data.tie_breaks],
            disagreement_threshold=data.disagreement_threshold,
            judges_per_entry=data.judges_per_entry,
            award_levels=[a.model_dump() for a in data.award_levels],
            using_db=connection,
        )
        categories = {}
        for position, category in enumerate(data.categories, start=1):
            categories[category.code] = await ContestCategory.create(
                contest_id=contest.id,
                position=position,
                code=category.code,
                name_th=category.name_th,
                name_en=category.name_en,
                using_db=connection,
            )
        for position, criterion in enumerate(data.criteria, start=1):
            await RubricCriterion.create(
                contest_id=contest.id,
                category_id=categories[criterion.category_code].id
                if criterion.category_code
                else None,
                position=position,
                name_th=criterion.name_th,
                name_en=criterion.name_en,
                descriptors=[d.model_dump() for d in criterion.descriptors],
                scale_min=criterion.scale_min,
                scale_max=criterion.scale_max,
                scale_step=criterion.scale_step,
                weight=criterion.weight,
                using_db=connection,
            )
        await ContestForm.create(
            contest_id=contest.id,
            version=1,
            definition=definition.model_dump(mode="json")["fields"],
            using_db=connection,
        )
        await audit.record(
            actor=actor,
            action="contest.create",
            object_type="Contest",
            object_id=contest.id,
            after={
                "fiscalYear": data.fiscal_year,
                "nameTh": data.name_th,
                "categories": [c.code for c in data.categories],
                "criteria": len(data.criteria),
                "rankingMethod": data.ranking_method.value,
                "tieBreaks": [t.value for t in data.tie_breaks],
            },
            connection=connection,
        )
    return contest


async def revise_form(
    *, actor: Actor, contest_id: int, version: int | None, form: list[dict[str, Any]]
) -> ContestForm:
    """A new version of the application form; entries keep the version they were made with."""
    require_organiser(actor)
    definition = parse_definition(form)
    async with in_transaction() as connection:
        contest = await _locked_contest(contest_id, connection)
        check_version(contest.version, version)
        if contest.status not in (ContestStatus.DRAFT, ContestStatus.OPEN):
            raise invalid_transition("REVISE_FORM", contest.status, [])
        latest = (
            await ContestForm.filter(contest_id=contest.id)
            .using_db(connection)
            .order_by("-version")
            .first()
        )
        number = (latest.version if latest else 0) + 1
        row = await ContestForm.create(
            contest_id=contest.id,
            version=number,
            definition=definition.model_dump(mode="json")["fields"],
            using_db=connection,
        )
        contest.version += 1
        await contest.save(using_db=connection, update_fields=["version"])
        await audit.record(
            actor=actor,
            action="contest.reviseForm",
            object_type="Contest",
            object_id=contest.id,
            after={"formVersion": number, "fields": [f.key for f in definition.fields]},
            connection=connection,
        )
    return row


async def current_form(contest_id: int, connection: BaseDBAsyncClient | None = None) -> ContestForm:
    form = (
        await ContestForm.filter(contest_id=contest_id)
        .using_db(connection)
        .order_by("-version")
        .first()
    )
    assert form is not None, "every edition has a form"
    return form


def definition_of(form: ContestForm) -> FormDefinition:
    return FormDefinition.model_validate({"fields": form.definition})


async def change_contest_status(
    *, actor: Actor, contest_id: int, action: ContestAction, version: int | None = None
) -> Contest:
    require_organiser(actor)
    async with in_transaction() as connection:
        contest = await _locked_contest(contest_id, connection)
        await contest_transition(
            actor=actor, contest=contest, action=action, version=version, connection=connection
        )
    return contest


async def contest_transition(
    *,
    actor: Actor,
    contest: Contest,
    action: ContestAction,
    connection: BaseDBAsyncClient,
    version: int | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    check_version(contest.version, version)
    target = CONTEST_TRANSITIONS.get((contest.status, action))
    if target is None:
        raise invalid_transition(action, contest.status, allowed_contest_actions(contest.status))
    if action == ContestAction.OPEN:
        await _require_rubric(contest, connection)
    before = contest.status
    contest.status = target
    contest.version += 1
    if target == ContestStatus.RESULTS_PUBLISHED:
        contest.results_published_at = now()
    await contest.save(using_db=connection)
    await audit.record(
        actor=actor,
        action=f"contest.{audit_name(action)}",
        object_type="Contest",
        object_id=contest.id,
        before={"status": before.value},
        after={"status": target.value, **(after or {})},
        connection=connection,
    )


async def _require_rubric(contest: Contest, connection: BaseDBAsyncClient) -> None:
    categories = await ContestCategory.filter(contest_id=contest.id).using_db(connection)
    criteria = await RubricCriterion.filter(contest_id=contest.id).using_db(connection)
    general = any(c.category_id is None for c in criteria)
    missing = [
        c.code
        for c in categories
        if not general and not any(r.category_id == c.id for r in criteria)
    ]
    if not categories or missing:
        raise DomainError.of(
            ErrorCode.INVALID_INPUT, "contest_rubric_missing", categories=", ".join(missing) or "-"
        )


async def require_contest(contest_id: int) -> None:
    """The edition exists (whoever may see it)."""
    if not await Contest.exists(id=contest_id):
        raise DomainError.of(ErrorCode.NOT_FOUND, "not_found", what="การประกวด", what_en="Contest")


async def _locked_contest(contest_id: int, connection: BaseDBAsyncClient) -> Contest:
    contest = await Contest.filter(id=contest_id).select_for_update().using_db(connection).first()
    if contest is None:
        raise not_found("id", "การประกวด", "Contest")
    return contest
