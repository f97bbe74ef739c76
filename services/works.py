"""The works registry (SOP step 10): works, their authors, review, registration and archiving.

Work transitions — state, action, next state, who:

| from                              | action   | to         | who                               |
|-----------------------------------|----------|------------|-----------------------------------|
| DRAFT, RETURNED                   | EDIT     | (same)     | an author, unit lead              |
| DRAFT, RETURNED                   | SUBMIT   | IN_REVIEW  | an author, unit lead              |
| IN_REVIEW                         | RETURN   | RETURNED   | committee member, with a reason   |
| IN_REVIEW                         | REGISTER | REGISTERED | committee member (gives the no.)  |
| REGISTERED, PUBLISHED             | PUBLISH  | PUBLISHED  | step 10's people (publishing)     |
| PUBLISHED                         | RETRACT  | REGISTERED | step 10's people, with a reason   |
| DRAFT, RETURNED, REGISTERED,      | ARCHIVE  | ARCHIVED   | unit lead, with a reason          |
| PUBLISHED                         |          |            |                                   |

"An author" is the person who created the work or an author linked to the viewer's account;
"committee member" sits on the unit's current committee; "unit lead" is its chair or secretary
(administrators may do everything); "step 10's people" are whoever the step (publishing through
every channel) names in the unit's cycle of the work's fiscal year, and the unit leads
(``services.cycles.CycleStanding``). Registration gives the next registry number of the work's
fiscal year, ``LO-<BE year>-<4 digits>``; numbers are never reused.
"""

from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated, Any, cast

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.expressions import Q, Subquery
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from models.cycle import Cycle
from models.org import Person
from models.plan import Activity
from models.survey import KnowledgeTopic
from models.work import RegistryCounter, Work, WorkAuthor, WorkKind, WorkStatus
from services import audit, notices, search
from services.actor import Actor
from services.cycles import CycleStanding, steps_naming
from services.errors import (
    DomainError,
    ErrorCode,
    Forbidden,
    ForbiddenReason,
    Problem,
    check_version,
    invalid_transition,
    not_found,
)
from services.fiscal import BE_YEARS
from services.org import get_unit
from services.permissions import (
    reads_everything,
    require_authenticated,
    seated_units,
    standing_in_unit,
)
from services.tokens import utcnow
from services.versioning import save_version


class WorkAction(StrEnum):
    EDIT = "EDIT"
    SUBMIT = "SUBMIT"
    RETURN = "RETURN"
    REGISTER = "REGISTER"
    PUBLISH = "PUBLISH"
    RETRACT = "RETRACT"
    ARCHIVE = "ARCHIVE"


TRANSITIONS: dict[tuple[WorkStatus, WorkAction], WorkStatus] = {
    (WorkStatus.DRAFT, WorkAction.EDIT): WorkStatus.DRAFT,
    (WorkStatus.RETURNED, WorkAction.EDIT): WorkStatus.RETURNED,
    (WorkStatus.DRAFT, WorkAction.SUBMIT): WorkStatus.IN_REVIEW,
    (WorkStatus.RETURNED, WorkAction.SUBMIT): WorkStatus.IN_REVIEW,
    (WorkStatus.IN_REVIEW, WorkAction.RETURN): WorkStatus.RETURNED,
    (WorkStatus.IN_REVIEW, WorkAction.REGISTER): WorkStatus.REGISTERED,
    (WorkStatus.REGISTERED, WorkAction.PUBLISH): WorkStatus.PUBLISHED,
    (WorkStatus.PUBLISHED, WorkAction.PUBLISH): WorkStatus.PUBLISHED,
    (WorkStatus.PUBLISHED, WorkAction.RETRACT): WorkStatus.REGISTERED,
    (WorkStatus.DRAFT, WorkAction.ARCHIVE): WorkStatus.ARCHIVED,
    (WorkStatus.RETURNED, WorkAction.ARCHIVE): WorkStatus.ARCHIVED,
    (WorkStatus.REGISTERED, WorkAction.ARCHIVE): WorkStatus.ARCHIVED,
    (WorkStatus.PUBLISHED, WorkAction.ARCHIVE): WorkStatus.ARCHIVED,
}
NEEDS_REASON = {WorkAction.RETURN, WorkAction.RETRACT, WorkAction.ARCHIVE}
PUBLISHING_STEP = 10  # เผยแพร่ผลงาน/การแลกเปลี่ยนเรียนรู้ ฯลฯ ทุกช่องทาง

# What the authors are told (publishing tells of a publication, with its links).
NOTICES = {
    WorkAction.RETURN: notices.NoticeEvent.WORK_RETURNED,
    WorkAction.REGISTER: notices.NoticeEvent.WORK_REGISTERED,
    WorkAction.RETRACT: notices.NoticeEvent.WORK_RETRACTED,
}
# Works anyone signed in may see; drafts and works in review are for their authors and the unit.
PUBLIC_STATUSES = (WorkStatus.REGISTERED, WorkStatus.PUBLISHED)
MAX_REGISTRY_NUMBER = 9999
TITLE_MAX = 500
ABSTRACT_MAX = 20_000

Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
Keyword = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]


@dataclass(frozen=True)
class WorkStanding(CycleStanding):
    """What one actor is to one work: to its unit, to the steps of the unit's cycle of the
    work's year that name them, and whether they are an author."""

    is_author: bool = False

    def may(self, action: WorkAction) -> bool:
        if action in (WorkAction.EDIT, WorkAction.SUBMIT):
            return self.is_author or self.unit.is_lead
        if action in (WorkAction.RETURN, WorkAction.REGISTER):
            return self.unit.is_member
        if action in (WorkAction.PUBLISH, WorkAction.RETRACT):
            return self.does_step(PUBLISHING_STEP)
        return self.unit.is_lead

    def refusal(self, action: WorkAction) -> Forbidden:
        """Why ``may(action)`` said no."""
        if action in (WorkAction.EDIT, WorkAction.SUBMIT):
            return self.unit.refusal(ForbiddenReason.AUTHOR_OR_LEAD_REQUIRED)
        if action in (WorkAction.RETURN, WorkAction.REGISTER):
            return self.unit.refusal(ForbiddenReason.COMMITTEE_MEMBER_REQUIRED)
        if action in (WorkAction.PUBLISH, WorkAction.RETRACT):
            return self.unit.refusal(ForbiddenReason.RESPONSIBLE_REQUIRED)
        return self.unit.refusal(ForbiddenReason.UNIT_LEAD_REQUIRED)


def allowed_actions(status: WorkStatus) -> list[WorkAction]:
    return [action for (state, action) in TRANSITIONS if state == status]


def viewer_can(status: WorkStatus, standing: WorkStanding, action: WorkAction) -> bool:
    return standing.may(action) and (status, action) in TRANSITIONS


def is_author(actor: Actor, created_by_id: int | None, author_user_ids: set[int | None]) -> bool:
    return actor.user_id is not None and (
        actor.user_id == created_by_id or actor.user_id in author_user_ids
    )


class AuthorData(BaseModel):
    model_config = ConfigDict(frozen=True)
    person_id: int | None = None
    name_th: Annotated[str, StringConstraints(strip_whitespace=True, max_length=255)] = ""
    name_en: Annotated[str, StringConstraints(strip_whitespace=True, max_length=255)] | None = None
    affiliation: Annotated[str, StringConstraints(strip_whitespace=True, max_length=255)] = ""
    corresponding: bool = False


class WorkData(BaseModel):
    """Everything an author writes about a work."""

    model_config = ConfigDict(frozen=True)
    kind: WorkKind
    fiscal_year: int
    title_th: Title
    title_en: Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)] | None = None
    abstract_th: Annotated[str, StringConstraints(max_length=ABSTRACT_MAX)] = ""
    abstract_en: Annotated[str, StringConstraints(max_length=ABSTRACT_MAX)] | None = None
    keywords: list[Keyword] = Field(default_factory=list, max_length=30)
    authors: list[AuthorData] = Field(min_length=1, max_length=50)
    topic_ids: list[int] = Field(default_factory=list, max_length=30)
    activity_ids: list[int] = Field(default_factory=list, max_length=30)

    @field_validator("fiscal_year")
    @classmethod
    def _be_year(cls, value: int) -> int:
        if value not in BE_YEARS:
            raise ValueError("a Buddhist Era year such as 2565")
        return value


def list_works(
    *,
    actor: Actor,
    kinds: list[WorkKind] | None = None,
    unit_id: int | None = None,
    fiscal_year: int | None = None,
    statuses: list[WorkStatus] | None = None,
    author_person_id: int | None = None,
    search_text: str | None = None,
    ordering: list[str],
) -> QuerySet[Work]:
    """Works the actor may see, filtered; with ``search_text`` only those matching it (ordered
    by relevance unless ``ordering`` says otherwise)."""
    queryset = visible_works(actor)
    conditions: dict[str, Any] = {
        "kind__in": kinds or None,
        "unit_id": unit_id,
        "fiscal_year": fiscal_year,
        "status__in": statuses or None,
    }
    queryset = queryset.filter(**{k: v for k, v in conditions.items() if v is not None})
    if author_person_id is not None:
        queryset = queryset.filter(
            id__in=Subquery(WorkAuthor.filter(person_id=author_person_id).values("work_id"))
        )
    if search_text is not None:
        queryset = search.apply_search(queryset, search.query_text(search_text))
        ordering = ordering or ["search_position", "-fiscal_year"]
    return queryset.order_by(*(ordering or ["-fiscal_year", "-id"]))


def visible_works(actor: Actor) -> QuerySet[Work]:
    """Administrators and managers see every work; others registered and published ones, the
    works they wrote, and every work of units whose committee they sit on."""
    require_authenticated(actor)
    if reads_everything(actor):
        return Work.all()
    own = Subquery(WorkAuthor.filter(person__user_id=actor.user_id).values("work_id"))
    return Work.filter(
        Q(status__in=PUBLIC_STATUSES)
        | Q(created_by_id=actor.user_id)
        | Q(id__in=own)
        | Q(unit_id__in=seated_units(actor))
    )


notices.readable(Work, visible_works)


async def create_work(*, actor: Actor, unit_id: int, data: WorkData) -> Work:
    """A new draft by staff of the unit (or a unit lead), who may then edit and submit it."""
    unit = await get_unit(unit_id)
    standing = await standing_in_unit(actor, unit.id)
    if not (standing.person_ids or standing.is_lead):
        raise Forbidden(ForbiddenReason.NOT_LINKED_TO_UNIT)
    await _check(data, unit.id)
    async with in_transaction() as connection:
        work = await Work.create(
            unit_id=unit.id,
            created_by_id=actor.user_id,
            **_columns(data),
            using_db=connection,
        )
        await _write_authors_and_links(work, data, connection, replace=False)
        await audit.record(
            actor=actor,
            action="work.create",
            object_type="Work",
            object_id=work.id,
            after=snapshot(work, data),
            connection=connection,
        )
    return work


async def update_work(*, actor: Actor, work_id: int, version: int, data: WorkData) -> Work:
    async with in_transaction() as connection:
        work = await _locked(actor, work_id, connection)
        await _require(actor, work, WorkAction.EDIT, connection)
        check_version(work.version, version)
        await _check(data, work.unit_id)
        before = await _snapshot_of(work, connection)
        for name, value in _columns(data).items():
            setattr(work, name, value)
        work.version += 1
        await work.save(using_db=connection)
        await _write_authors_and_links(work, data, connection, replace=True)
        await audit.record(
            actor=actor,
            action="work.update",
            object_type="Work",
            object_id=work.id,
            before=before,
            after=snapshot(work, data),
            connection=connection,
        )
    return work


async def act_on_work(
    *,
    actor: Actor,
    work_id: int,
    action: WorkAction,
    version: int | None = None,
    reason: str | None = None,
) -> Work:
    """SUBMIT, RETURN, REGISTER, ARCHIVE (publishing and retracting are in services/publishing,
    which call ``transition`` inside their own transaction)."""
    async with in_transaction() as connection:
        work = await _locked(actor, work_id, connection)
        await transition(
            actor=actor,
            work=work,
            action=action,
            version=version,
            reason=reason,
            connection=connection,
        )
    return work


async def transition(
    *,
    actor: Actor,
    work: Work,
    action: WorkAction,
    connection: BaseDBAsyncClient,
    version: int | None = None,
    reason: str | None = None,
    after_extra: dict[str, Any] | None = None,
) -> None:
    """One transition of the table, inside the caller's transaction, with its audit event."""
    reason = (reason or "").strip() or None
    await _require(actor, work, action, connection)
    check_version(work.version, version)
    target = TRANSITIONS.get((work.status, action))
    if target is None:
        allowed = [a for a in allowed_actions(work.status) if a != WorkAction.EDIT]
        raise invalid_transition(action, work.status, allowed)
    if action in NEEDS_REASON and not reason:
        raise DomainError.of(ErrorCode.INVALID_INPUT, "reason_required", field=("reason",))
    before = {"status": work.status.value, "version": work.version}
    now = utcnow()
    if action == WorkAction.SUBMIT:
        work.submitted_at = now
    elif action == WorkAction.REGISTER:
        work.registry_number = await _next_registry_number(work.fiscal_year, connection)
        work.registered_at = now
    elif action == WorkAction.PUBLISH:
        work.published_at = work.published_at or now
    work.status_reason = reason if action in NEEDS_REASON else None
    work.status = target
    await save_version(
        work,
        actor=actor,
        action=f"work.{action.value.lower()}",
        before=before,
        after={
            "status": work.status.value,
            "version": work.version,
            "registryNumber": work.registry_number,
            **(after_extra or {}),
        },
        reason=reason,
        connection=connection,
    )
    if action in NOTICES:
        await notices.tell(connection, NOTICES[action], work, actor=actor, reason=reason)


async def work_standing(
    actor: Actor, work: Work, connection: BaseDBAsyncClient | None = None
) -> WorkStanding:
    standing = await standing_in_unit(actor, work.unit_id)
    rows = (
        await WorkAuthor.filter(work_id=work.id, person_id__isnull=False)
        .using_db(connection)
        .values_list("person__user_id", flat=True)
    )
    author_users = set(cast(list[int | None], rows))
    cycle_id = await (
        Cycle.filter(unit_id=work.unit_id, fiscal_year=work.fiscal_year)
        .using_db(connection)
        .order_by("id")
        .first()
        .values_list("id", flat=True)
    )
    named = await steps_naming(standing, cast(int, cycle_id), connection) if cycle_id else None
    return WorkStanding(
        standing,
        actor.user_id,
        named or frozenset(),
        is_author=is_author(actor, work.created_by_id, author_users),
    )


async def lock_work(
    actor: Actor, work_id: int, action: WorkAction, connection: BaseDBAsyncClient
) -> Work:
    """The work, locked for ``action``, which the actor must be allowed (FORBIDDEN if not)."""
    return (await lock_work_with_standing(actor, work_id, action, connection))[0]


async def lock_work_with_standing(
    actor: Actor, work_id: int, action: WorkAction, connection: BaseDBAsyncClient
) -> tuple[Work, WorkStanding]:
    """``lock_work``, with the actor's standing it decided by (for further rules)."""
    work = await _locked(actor, work_id, connection)
    standing = await work_standing(actor, work, connection)
    if not standing.may(action):
        raise standing.refusal(action)
    return work, standing


async def _require(
    actor: Actor, work: Work, action: WorkAction, connection: BaseDBAsyncClient
) -> None:
    standing = await work_standing(actor, work, connection)
    if not standing.may(action):
        raise standing.refusal(action)


async def _locked(actor: Actor, work_id: int, connection: BaseDBAsyncClient) -> Work:
    """The work, locked; who may act on it is decided next (FORBIDDEN, not hidden)."""
    require_authenticated(actor)
    work = await Work.filter(id=work_id).select_for_update().using_db(connection).first()
    if work is None:
        raise not_found("id", "ผลงาน", "Work")
    return work


async def _next_registry_number(fiscal_year: int, connection: BaseDBAsyncClient) -> str:
    """The next number of the year, under a row lock so two registrations never share one."""
    # Made if missing without failing the transaction when another one makes it first.
    await connection.execute_query(
        "INSERT INTO work_registry_counter (fiscal_year, last_number) "
        f"VALUES ({int(fiscal_year)}, 0) ON CONFLICT (fiscal_year) DO NOTHING"
    )
    counter = (
        await RegistryCounter.filter(fiscal_year=fiscal_year)
        .select_for_update()
        .using_db(connection)
        .first()
    )
    assert counter is not None
    if counter.last_number >= MAX_REGISTRY_NUMBER:
        raise DomainError.of(ErrorCode.INVALID_INPUT, "registry_full", year=fiscal_year)
    counter.last_number += 1
    await counter.save(using_db=connection, update_fields=["last_number"])
    return f"LO-{fiscal_year}-{counter.last_number:04d}"


async def _check(data: WorkData, unit_id: int) -> None:
    problems = []
    people_ids = {a.person_id for a in data.authors if a.person_id is not None}
    known = set(await Person.filter(id__in=people_ids).values_list("id", flat=True))
    for index, author in enumerate(data.authors):
        path = ("authors", str(index))
        if author.person_id is None and not author.name_th:
            problems.append(Problem(ErrorCode.INVALID_INPUT, "author_needs_name", path, {}))
        if author.person_id is not None and author.person_id not in known:
            problems.append(
                Problem(
                    ErrorCode.NOT_FOUND,
                    "not_found",
                    (*path, "person"),
                    {"what": "บุคลากร", "what_en": "Person"},
                )
            )
    if len(people_ids) != len([a for a in data.authors if a.person_id is not None]):
        problems.append(Problem(ErrorCode.INVALID_INPUT, "author_twice", ("authors",), {}))
    if sum(a.corresponding for a in data.authors) != 1:
        problems.append(Problem(ErrorCode.INVALID_INPUT, "one_corresponding", ("authors",), {}))
    topics = await KnowledgeTopic.filter(id__in=data.topic_ids, cycle__unit_id=unit_id).count()
    if topics != len(set(data.topic_ids)):
        problems.append(Problem(ErrorCode.INVALID_INPUT, "work_topics", ("knowledgeTopics",), {}))
    activities = await Activity.filter(
        id__in=data.activity_ids, plan__cycle__unit_id=unit_id
    ).count()
    if activities != len(set(data.activity_ids)):
        problems.append(Problem(ErrorCode.INVALID_INPUT, "work_activities", ("activities",), {}))
    if problems:
        raise DomainError(*problems)


def _columns(data: WorkData) -> dict[str, Any]:
    return {
        "kind": data.kind,
        "fiscal_year": data.fiscal_year,
        "title_th": data.title_th,
        "title_en": data.title_en or None,
        "abstract_th": data.abstract_th,
        "abstract_en": data.abstract_en or None,
        "keywords": list(data.keywords),
        "search_text": search.index_text(
            data.title_th,
            data.title_en,
            data.abstract_th,
            data.abstract_en,
            keywords=data.keywords,
        ),
    }


async def _write_authors_and_links(
    work: Work, data: WorkData, connection: BaseDBAsyncClient, *, replace: bool
) -> None:
    people = {
        p.id: p
        for p in await Person.filter(
            id__in=[a.person_id for a in data.authors if a.person_id]
        ).using_db(connection)
    }
    if replace:
        await WorkAuthor.filter(work_id=work.id).using_db(connection).delete()
        await work.knowledge_topics.clear(using_db=connection)
        await work.activities.clear(using_db=connection)
    await WorkAuthor.bulk_create(
        [
            WorkAuthor(
                work_id=work.id,
                position=position,
                person_id=a.person_id,
                name_th=a.name_th or (people[a.person_id].full_name_th if a.person_id else ""),
                name_en=a.name_en or (people[a.person_id].name_en if a.person_id else None),
                affiliation=a.affiliation,
                corresponding=a.corresponding,
            )
            for position, a in enumerate(data.authors, start=1)
        ],
        using_db=connection,
    )
    if data.topic_ids:
        topics = await KnowledgeTopic.filter(id__in=data.topic_ids).using_db(connection)
        await work.knowledge_topics.add(*topics, using_db=connection)
    if data.activity_ids:
        activities = await Activity.filter(id__in=data.activity_ids).using_db(connection)
        await work.activities.add(*activities, using_db=connection)


def snapshot(work: Work, data: WorkData) -> dict[str, Any]:
    return {
        **data.model_dump(mode="json"),
        "status": work.status.value,
        "version": work.version,
    }


async def _snapshot_of(work: Work, connection: BaseDBAsyncClient) -> dict[str, Any]:
    authors = (
        await WorkAuthor.filter(work_id=work.id)
        .using_db(connection)
        .order_by("position")
        .values("person_id", "name_th", "affiliation", "corresponding")
    )
    return {
        "kind": work.kind.value,
        "fiscalYear": work.fiscal_year,
        "titleTh": work.title_th,
        "titleEn": work.title_en,
        "abstractTh": work.abstract_th,
        "keywords": list(work.keywords),
        "authors": authors,
        "status": work.status.value,
        "version": work.version,
    }
