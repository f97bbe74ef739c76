"""LIKE Talk Award editions (SOP step 15): configuration, lifecycle and entries.

Edition transitions — state, action, next state, who (organisers: CONTEST_ORGANISER, ADMIN):

| from      | action          | to                | who       | needs                            |
|-----------|-----------------|-------------------|-----------|----------------------------------|
| DRAFT     | OPEN            | OPEN              | organiser | categories, a rubric for each    |
| OPEN      | CLOSE           | CLOSED            | organiser |                                  |
| CLOSED    | START_JUDGING   | JUDGING           | organiser |                                  |
| JUDGING   | PUBLISH_RESULTS | RESULTS_PUBLISHED | organiser | (services/judging.py: awards)    |

Entry transitions:

| from                           | action        | to              | who                        |
|--------------------------------|---------------|-----------------|----------------------------|
| DRAFT                          | SUBMIT        | SUBMITTED       | entrant, in the call window|
| RETURNED                       | SUBMIT        | SUBMITTED       | entrant, until changes end |
| SUBMITTED                      | SHORTLIST     | SHORTLISTED     | organiser                  |
| SUBMITTED                      | NOT_SHORTLIST | NOT_SHORTLISTED | organiser, with a comment  |
| SUBMITTED                      | RETURN        | RETURNED        | organiser, with a comment  |
| SHORTLISTED                    | PRESENT       | PRESENTED       | organiser                  |
| SHORTLISTED, PRESENTED         | SCORE         | SCORED          | when every judge submitted |
| SCORED                         | REOPEN        | PRESENTED       | when a sheet is reopened   |
| SCORED                         | AWARD         | AWARDED         | at publication             |
| SHORTLISTED, PRESENTED, SCORED | NOT_AWARD     | NOT_AWARDED     | at publication             |
| DRAFT … NOT_SHORTLISTED (*)    | WITHDRAW      | WITHDRAWN       | entrant, before judging    |

(*) DRAFT, SUBMITTED, RETURNED, SHORTLISTED and NOT_SHORTLISTED.

The entrant is whoever created the entry, an author of the work, or an organiser. Entries change
(answers, presenters, category) only in DRAFT or RETURNED and only until the last day for changes.
"""

from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.expressions import Q
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from models.contest import (
    Contest,
    ContestCategory,
    ContestForm,
    ContestStatus,
    Entry,
    EntryPresenter,
    EntryStatus,
    RankingMethod,
    RubricCriterion,
    TieBreak,
)
from models.org import Person
from models.user import Role
from models.work import Work, WorkAuthor, WorkStatus
from services import audit
from services.actor import Actor
from services.contest_forms import FormDefinition, parse_definition, validate_answers
from services.errors import DomainError, ErrorCode, Forbidden, check_version, not_found
from services.fiscal import BE_YEARS
from services.permissions import require_authenticated

ENTERABLE_WORKS = (WorkStatus.REGISTERED, WorkStatus.PUBLISHED)
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


class EntryAction(StrEnum):
    SUBMIT = "SUBMIT"
    SHORTLIST = "SHORTLIST"
    NOT_SHORTLIST = "NOT_SHORTLIST"
    RETURN = "RETURN"
    PRESENT = "PRESENT"
    SCORE = "SCORE"
    REOPEN = "REOPEN"
    AWARD = "AWARD"
    NOT_AWARD = "NOT_AWARD"
    WITHDRAW = "WITHDRAW"


S = EntryStatus
ENTRY_TRANSITIONS: dict[tuple[EntryStatus, EntryAction], EntryStatus] = {
    (S.DRAFT, EntryAction.SUBMIT): S.SUBMITTED,
    (S.RETURNED, EntryAction.SUBMIT): S.SUBMITTED,
    (S.SUBMITTED, EntryAction.SHORTLIST): S.SHORTLISTED,
    (S.SUBMITTED, EntryAction.NOT_SHORTLIST): S.NOT_SHORTLISTED,
    (S.SUBMITTED, EntryAction.RETURN): S.RETURNED,
    (S.SHORTLISTED, EntryAction.PRESENT): S.PRESENTED,
    (S.SHORTLISTED, EntryAction.SCORE): S.SCORED,
    (S.PRESENTED, EntryAction.SCORE): S.SCORED,
    (S.SCORED, EntryAction.REOPEN): S.PRESENTED,
    (S.SCORED, EntryAction.AWARD): S.AWARDED,
    (S.SHORTLISTED, EntryAction.NOT_AWARD): S.NOT_AWARDED,
    (S.PRESENTED, EntryAction.NOT_AWARD): S.NOT_AWARDED,
    (S.SCORED, EntryAction.NOT_AWARD): S.NOT_AWARDED,
    **{
        (s, EntryAction.WITHDRAW): S.WITHDRAWN
        for s in (S.DRAFT, S.SUBMITTED, S.RETURNED, S.SHORTLISTED, S.NOT_SHORTLISTED)
    },
}
SCREENING = {EntryAction.SHORTLIST, EntryAction.NOT_SHORTLIST, EntryAction.RETURN}
NEEDS_COMMENT = {EntryAction.NOT_SHORTLIST, EntryAction.RETURN}
EDITABLE = {S.DRAFT, S.RETURNED}


# ---- who may do what -----------------------------------------------------------------------


def is_organiser(actor: Actor) -> bool:
    return actor.is_system or bool(actor.roles & {Role.ADMIN, Role.CONTEST_ORGANISER})


def may_read_everything(actor: Actor) -> bool:
    return is_organiser(actor) or Role.MANAGER in actor.roles


def require_organiser(actor: Actor) -> None:
    require_authenticated(actor)
    if not is_organiser(actor):
        raise Forbidden()


async def is_entrant(
    actor: Actor, entry: Entry, connection: BaseDBAsyncClient | None = None
) -> bool:
    if is_organiser(actor):
        return True
    if actor.user_id is None:
        return False
    if entry.created_by_id == actor.user_id:
        return True
    return (
        await WorkAuthor.filter(work_id=entry.work_id, person__user_id=actor.user_id)
        .using_db(connection)
        .exists()
    )


def now() -> datetime:
    return datetime.now(UTC)


def window_open(contest: Contest) -> bool:
    """The call is open: new entries may be made and handed in."""
    return contest.status == ContestStatus.OPEN and contest.opens_at <= now() <= contest.closes_at


def changes_open(contest: Contest) -> bool:
    """Entries may still change (returned ones be resubmitted)."""
    return (
        contest.status in (ContestStatus.OPEN, ContestStatus.CLOSED)
        and now() <= contest.changes_until
    )


def may_submit(contest: Contest, entry: Entry) -> bool:
    if entry.status == EntryStatus.DRAFT:
        return window_open(contest)
    return entry.status == EntryStatus.RETURNED and changes_open(contest)


def may_withdraw(contest: Contest, entry: Entry) -> bool:
    return (entry.status, EntryAction.WITHDRAW) in ENTRY_TRANSITIONS and contest.status not in (
        ContestStatus.JUDGING,
        ContestStatus.RESULTS_PUBLISHED,
    )


def may_screen(contest: Contest, entry: Entry) -> bool:
    return entry.status == EntryStatus.SUBMITTED and contest.status in (
        ContestStatus.OPEN,
        ContestStatus.CLOSED,
    )


def invalid_transition(action: str, status: str, allowed: list[str]) -> DomainError:
    return DomainError.of(
        ErrorCode.INVALID_TRANSITION,
        "invalid_transition",
        action=action,
        status=status,
        allowed=", ".join(allowed) or "-",
    )


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
        levels = [a.code for a in self.award_levels]
        if len(set(levels)) != len(levels):
            raise ValueError("award level codes must be unique")
        return self


def list_contests(*, actor: Actor, fiscal_year: int | None = None) -> QuerySet[Contest]:
    require_authenticated(actor)
    rows = Contest.all()
    if not may_read_everything(actor):
        rows = rows.exclude(status=ContestStatus.DRAFT)
    if fiscal_year is not None:
        rows = rows.filter(fiscal_year=fiscal_year)
    return rows.order_by("-fiscal_year", "id")


async def get_contest(actor: Actor, contest_id: int, field: str = "contest") -> Contest:
    require_authenticated(actor)
    contest = await Contest.get_or_none(id=contest_id)
    if contest is None or (
        contest.status == ContestStatus.DRAFT and not may_read_everything(actor)
    ):
        raise not_found(field, "การประกวด", "Contest")
    return contest


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
            raise invalid_transition("REVISE_FORM", contest.status.value, [])
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
        raise invalid_transition(
            action.value, contest.status.value, allowed_contest_actions(contest.status)
        )
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


async def _locked_contest(contest_id: int, connection: BaseDBAsyncClient) -> Contest:
    contest = await Contest.filter(id=contest_id).select_for_update().using_db(connection).first()
    if contest is None:
        raise not_found("id", "การประกวด", "Contest")
    return contest


# ---- entries -------------------------------------------------------------------------------


class EntryData(BaseModel):
    model_config = ConfigDict(frozen=True)
    category_id: int
    presenter_ids: list[int] = Field(default_factory=list, max_length=20)
    answers: dict[str, Any] = Field(default_factory=dict)


def entries_visible_to(actor: Actor) -> QuerySet[Entry]:
    """Organisers and managers see every entry; anyone else the entries they made or are
    judging, and every entry of an edition whose results are published."""
    require_authenticated(actor)
    if may_read_everything(actor):
        return Entry.all()
    return Entry.filter(
        Q(created_by_id=actor.user_id)
        | Q(assignments__judge_id=actor.user_id)
        | Q(work__authors__person__user_id=actor.user_id)
        | Q(contest__status=ContestStatus.RESULTS_PUBLISHED)
    ).distinct()


def list_entries(
    *,
    actor: Actor,
    contest_id: int | None = None,
    category_id: int | None = None,
    status: EntryStatus | None = None,
    unit_id: int | None = None,
    judge_id: int | None = None,
    ordering: list[str],
) -> QuerySet[Entry]:
    conditions = {
        "contest_id": contest_id,
        "category_id": category_id,
        "status": status,
        "unit_id": unit_id,
        "assignments__judge_id": judge_id,
    }
    return (
        entries_visible_to(actor)
        .filter(**{k: v for k, v in conditions.items() if v is not None})
        .order_by(*ordering)
    )


async def create_entry(*, actor: Actor, contest_id: int, work_id: int, data: EntryData) -> Entry:
    require_authenticated(actor)
    contest = await get_contest(actor, contest_id)
    work = await Work.get_or_none(id=work_id)
    if work is None:
        raise not_found("work", "ผลงาน", "Work")
    if not is_organiser(actor) and not await WorkAuthor.exists(
        work_id=work.id, person__user_id=actor.user_id
    ):
        raise Forbidden()
    if not window_open(contest):
        raise DomainError.of(ErrorCode.INVALID_INPUT, "contest_window_closed", field=("contest",))
    if work.status not in ENTERABLE_WORKS:
        raise DomainError.of(ErrorCode.INVALID_INPUT, "work_not_registered", field=("work",))
    if await Entry.exists(contest_id=contest.id, work_id=work.id):
        raise DomainError.of(ErrorCode.DUPLICATE, "work_already_entered", field=("work",))
    await _check_category(contest, data.category_id)
    await _check_presenters(data.presenter_ids)
    form = await current_form(contest.id)
    answers = validate_answers(definition_of(form), data.answers, draft=True)
    async with in_transaction() as connection:
        entry = await Entry.create(
            contest_id=contest.id,
            category_id=data.category_id,
            work_id=work.id,
            unit_id=work.unit_id,
            form_id=form.id,
            answers=answers,
            created_by_id=actor.user_id,
            using_db=connection,
        )
        await _write_presenters(entry, data.presenter_ids, connection)
        await audit.record(
            actor=actor,
            action="entry.create",
            object_type="Entry",
            object_id=entry.id,
            after={
                "contest": contest.id,
                "work": work.id,
                "category": data.category_id,
                "formVersion": form.version,
                "presenters": data.presenter_ids,
            },
            connection=connection,
        )
    return entry


async def update_entry(*, actor: Actor, entry_id: int, version: int, data: EntryData) -> Entry:
    """Change a DRAFT or RETURNED entry until the last day for changes."""
    require_authenticated(actor)
    async with in_transaction() as connection:
        entry = await _locked_entry(entry_id, connection)
        if not await is_entrant(actor, entry, connection):
            raise Forbidden()
        check_version(entry.version, version)
        contest = await Contest.get(id=entry.contest_id, using_db=connection)
        if entry.status not in EDITABLE:
            raise invalid_transition("UPDATE", entry.status.value, _allowed(entry.status))
        if now() > contest.changes_until:
            raise DomainError.of(ErrorCode.INVALID_INPUT, "contest_changes_closed")
        await _check_category(contest, data.category_id)
        await _check_presenters(data.presenter_ids)
        form = await ContestForm.get(id=entry.form_id, using_db=connection)
        answers = validate_answers(definition_of(form), data.answers, draft=True)
        before = {"category": entry.category_id, "answers": entry.answers}
        entry.category_id = data.category_id
        entry.answers = answers
        entry.version += 1
        await entry.save(using_db=connection)
        await EntryPresenter.filter(entry_id=entry.id).using_db(connection).delete()
        await _write_presenters(entry, data.presenter_ids, connection)
        await audit.record(
            actor=actor,
            action="entry.update",
            object_type="Entry",
            object_id=entry.id,
            before=before,
            after={"category": entry.category_id, "answers": answers},
            connection=connection,
        )
    return entry


def audit_name(action: StrEnum) -> str:
    """START_JUDGING → startJudging, as audit actions are named."""
    head, *rest = action.value.lower().split("_")
    return head + "".join(part.title() for part in rest)


def allowed_contest_actions(status: ContestStatus) -> list[str]:
    return [a.value for (s, a) in CONTEST_TRANSITIONS if s == status]


def _allowed(status: EntryStatus) -> list[str]:
    return [a.value for (s, a) in ENTRY_TRANSITIONS if s == status]


async def act_on_entry(
    *,
    actor: Actor,
    entry_id: int,
    action: EntryAction,
    version: int | None = None,
    comment: str | None = None,
) -> Entry:
    """SUBMIT, WITHDRAW (entrant), SHORTLIST / NOT_SHORTLIST / RETURN / PRESENT (organiser)."""
    comment = (comment or "").strip() or None
    require_authenticated(actor)
    if action in SCREENING or action == EntryAction.PRESENT:
        require_organiser(actor)
    elif action not in (EntryAction.SUBMIT, EntryAction.WITHDRAW):
        raise Forbidden()
    async with in_transaction() as connection:
        entry = await _locked_entry(entry_id, connection)
        contest = await Contest.get(id=entry.contest_id, using_db=connection)
        if action in (EntryAction.SUBMIT, EntryAction.WITHDRAW) and not await is_entrant(
            actor, entry, connection
        ):
            raise Forbidden()
        check_version(entry.version, version)
        if (entry.status, action) not in ENTRY_TRANSITIONS:
            raise invalid_transition(action.value, entry.status.value, _allowed(entry.status))
        if action in NEEDS_COMMENT and not comment:
            raise DomainError.of(ErrorCode.INVALID_INPUT, "comment_required", field=("comment",))
        if action == EntryAction.SUBMIT:
            if not may_submit(contest, entry):
                raise DomainError.of(ErrorCode.INVALID_INPUT, "contest_window_closed")
            form = await ContestForm.get(id=entry.form_id, using_db=connection)
            entry.answers = validate_answers(definition_of(form), entry.answers, draft=False)
            entry.submitted_at = now()
        if action == EntryAction.WITHDRAW and not may_withdraw(contest, entry):
            raise DomainError.of(ErrorCode.INVALID_TRANSITION, "entry_withdraw_judging")
        if action in SCREENING and not may_screen(contest, entry):
            raise DomainError.of(ErrorCode.INVALID_TRANSITION, "entry_screening_over")
        if action in SCREENING:
            entry.screening_comment = comment
        await entry_transition(
            actor=actor, entry=entry, action=action, reason=comment, connection=connection
        )
    return entry


async def entry_transition(
    *,
    actor: Actor,
    entry: Entry,
    action: EntryAction,
    connection: BaseDBAsyncClient,
    reason: str | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    """Move ``entry`` along the table (the caller checked who may) and audit it."""
    target = ENTRY_TRANSITIONS.get((entry.status, action))
    if target is None:
        raise invalid_transition(action.value, entry.status.value, _allowed(entry.status))
    before = entry.status
    entry.status = target
    entry.version += 1
    await entry.save(using_db=connection)
    await audit.record(
        actor=actor,
        action=f"entry.{audit_name(action)}",
        object_type="Entry",
        object_id=entry.id,
        before={"status": before.value},
        after={"status": target.value, **(after or {})},
        reason=reason,
        connection=connection,
    )


async def _check_category(contest: Contest, category_id: int) -> None:
    if not await ContestCategory.exists(id=category_id, contest_id=contest.id):
        raise not_found("category", "ประเภทรางวัล", "Category")


async def _check_presenters(person_ids: list[int]) -> None:
    if len(set(person_ids)) != len(person_ids):
        raise DomainError.of(ErrorCode.INVALID_INPUT, "presenter_twice", field=("presenters",))
    found = await Person.filter(id__in=person_ids).count() if person_ids else 0
    if found != len(person_ids):
        raise not_found("presenters", "ผู้นำเสนอ", "Presenter")


async def _write_presenters(
    entry: Entry, person_ids: list[int], connection: BaseDBAsyncClient
) -> None:
    await EntryPresenter.bulk_create(
        [
            EntryPresenter(entry_id=entry.id, person_id=p, position=i)
            for i, p in enumerate(person_ids, start=1)
        ],
        using_db=connection,
    )


async def _locked_entry(entry_id: int, connection: BaseDBAsyncClient) -> Entry:
    entry = await Entry.filter(id=entry_id).select_for_update().using_db(connection).first()
    if entry is None:
        raise not_found("id", "ผลงานที่ส่งประกวด", "Entry")
    return entry
