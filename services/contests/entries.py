"""LIKE Talk Award entries: a registered work entered in a category, with presenters and answers.

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
| SCORED                         | REOPEN        | PRESENTED (†)   | when a sheet is reopened   |
| SCORED                         | AWARD         | AWARDED         | at publication             |
| SHORTLISTED, PRESENTED, SCORED | NOT_AWARD     | NOT_AWARDED     | at publication             |
| DRAFT … NOT_SHORTLISTED (*)    | WITHDRAW      | WITHDRAWN       | entrant, before judging    |

(*) DRAFT, SUBMITTED, RETURNED, SHORTLISTED and NOT_SHORTLISTED.
(†) Or SHORTLISTED: back to the state the entry was SCORED from (``REOPEN_TO``).

The entrant is whoever created the entry, an author of the work, or an organiser. Entries change
(answers, presenters, category) only in DRAFT or RETURNED and only until the last day for changes.
"""

from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from tortoise.backends.base.client import BaseDBAsyncClient
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
)
from models.org import Person
from models.user import Role
from models.work import Work, WorkAuthor, WorkStatus
from services import audit, notices
from services.actor import Actor
from services.contests.access import (
    EntryStanding,
    get_contest,
    is_entrant,
    is_organiser,
    require_organiser,
    visible_entries,
)
from services.contests.editions import (
    audit_name,
    changes_open,
    current_form,
    definition_of,
    now,
    window_open,
)
from services.contests.forms import validate_answers
from services.errors import (
    DomainError,
    ErrorCode,
    Forbidden,
    ForbiddenReason,
    check_version,
    invalid_transition,
    not_found,
)
from services.permissions import require_authenticated

ENTERABLE_WORKS = (WorkStatus.REGISTERED, WorkStatus.PUBLISHED)


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
# REOPEN returns an entry to the state it was SCORED from, one of these.
REOPEN_TO = (S.SHORTLISTED, S.PRESENTED)
# What the entrants are told (an award, or none, only when the results are published).
NOTICES = {
    EntryAction.SUBMIT: notices.NoticeEvent.ENTRY_SUBMITTED,
    EntryAction.NOT_SHORTLIST: notices.NoticeEvent.ENTRY_SCREENED_OUT,
    EntryAction.RETURN: notices.NoticeEvent.ENTRY_RETURNED,
    EntryAction.SHORTLIST: notices.NoticeEvent.ENTRY_SHORTLISTED,
    EntryAction.PRESENT: notices.NoticeEvent.ENTRY_PRESENTED,
    EntryAction.AWARD: notices.NoticeEvent.ENTRY_AWARDED,
    EntryAction.NOT_AWARD: notices.NoticeEvent.ENTRY_NOT_AWARDED,
}
# Entries judges are assigned to and score (and that publication settles).
JUDGEABLE = (EntryStatus.SHORTLISTED, EntryStatus.PRESENTED, EntryStatus.SCORED)


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


def viewer_may_submit(standing: EntryStanding, contest: Contest, entry: Entry) -> bool:
    return standing.entrant and may_submit(contest, entry)


def viewer_may_withdraw(standing: EntryStanding, contest: Contest, entry: Entry) -> bool:
    return standing.entrant and may_withdraw(contest, entry)


def viewer_may_screen(actor: Actor, contest: Contest, entry: Entry) -> bool:
    return is_organiser(actor) and may_screen(contest, entry)


class EntryData(BaseModel):
    model_config = ConfigDict(frozen=True)
    category_id: int
    presenter_ids: list[int] = Field(default_factory=list, max_length=20)
    answers: dict[str, Any] = Field(default_factory=dict)


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
        visible_entries(actor)
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
        raise Forbidden(ForbiddenReason.ENTRANT_REQUIRED)
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
        entry = await locked_entry(entry_id, connection)
        if not await is_entrant(actor, entry, connection):
            raise Forbidden(ForbiddenReason.ENTRANT_REQUIRED)
        check_version(entry.version, version)
        contest = await Contest.get(id=entry.contest_id, using_db=connection)
        if entry.status not in EDITABLE:
            raise invalid_transition("UPDATE", entry.status, _allowed(entry.status))
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
        raise Forbidden(ForbiddenReason.ROLE_REQUIRED, roles=Role.CONTEST_ORGANISER)
    async with in_transaction() as connection:
        entry = await locked_entry(entry_id, connection)
        contest = await Contest.get(id=entry.contest_id, using_db=connection)
        if action in (EntryAction.SUBMIT, EntryAction.WITHDRAW) and not await is_entrant(
            actor, entry, connection
        ):
            raise Forbidden(ForbiddenReason.ENTRANT_REQUIRED)
        check_version(entry.version, version)
        if (entry.status, action) not in ENTRY_TRANSITIONS:
            raise invalid_transition(action, entry.status, _allowed(entry.status))
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
    to: EntryStatus | None = None,
) -> None:
    """Move ``entry`` along the table (the caller checked who may) and audit it; ``to`` picks
    REOPEN's target among ``REOPEN_TO``."""
    target = ENTRY_TRANSITIONS.get((entry.status, action))
    if target is None:
        raise invalid_transition(action, entry.status, _allowed(entry.status))
    if to is not None and action == EntryAction.REOPEN and to in REOPEN_TO:
        target = to
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
    if action in NOTICES:
        await notices.tell(connection, NOTICES[action], entry, actor=actor, comment=reason)


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


async def locked_entry(entry_id: int, connection: BaseDBAsyncClient, field: str = "id") -> Entry:
    entry = await Entry.filter(id=entry_id).select_for_update().using_db(connection).first()
    if entry is None:
        raise not_found(field, "ผลงานที่ส่งประกวด", "Entry")
    return entry
