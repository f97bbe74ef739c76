"""Who may read what of the LIKE Talk Award. Organisers (CONTEST_ORGANISER, ADMIN) and managers
read everything; anyone else signed in reads as follows.

Rows — a filter the database applies, for lists and ``node(id:)`` alike:

- editions (``visible_contests``) and their set-up, categories, criteria and forms
  (``visible_parts``): all but DRAFT editions;
- entries (``visible_entries``): those the viewer made, wrote or judges, and the judged
  entries (AWARDED, NOT_AWARDED) of an edition whose results are published;
- judges' rows — assignments, conflict declarations, score sheets (``visible_judge_rows``):
  the viewer's own.

Fields — functions of the viewer's standing towards one entry (``EntryStanding``, from
``standing_of``): its answers (entrant, judges), its screening comment (entrant), every judge's
sheet and its aggregates (once the viewer submitted their own sheet), the aggregates of anyone
once the results are published (``EntryStanding.sees_aggregate``); awards and ranks once
published (``results_visible``).
"""

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Protocol, TypeVar

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.expressions import Q
from tortoise.queryset import QuerySet

from models.contest import (
    ConflictDeclaration,
    Contest,
    ContestCategory,
    ContestForm,
    ContestStatus,
    Entry,
    EntryStatus,
    JudgeAssignment,
    RubricCriterion,
    ScoreSheet,
    SheetStatus,
)
from models.user import Role
from models.work import WorkAuthor
from services import notices
from services.actor import Actor
from services.contests.conflicts import Conflicts, conflict_of
from services.contests.results import Results, compute
from services.errors import Forbidden, ForbiddenReason, not_found
from services.permissions import require_authenticated, require_role

PartT = TypeVar("PartT", ContestCategory, RubricCriterion, ContestForm)
JudgeRowT = TypeVar("JudgeRowT", JudgeAssignment, ConflictDeclaration, ScoreSheet)

# What anyone signed in sees of an edition once its results are published.
PUBLIC_AFTER_RESULTS = (EntryStatus.AWARDED, EntryStatus.NOT_AWARDED)


def is_organiser(actor: Actor) -> bool:
    return actor.is_system or bool(actor.roles & {Role.ADMIN, Role.CONTEST_ORGANISER})


def may_read_everything(actor: Actor) -> bool:
    return is_organiser(actor) or Role.MANAGER in actor.roles


def require_organiser(actor: Actor) -> None:
    require_role(actor, Role.CONTEST_ORGANISER)


def require_reads_everything(actor: Actor) -> None:
    """Organisers and managers only: live results, statistics, exports, the scoreboard."""
    require_role(actor, Role.CONTEST_ORGANISER, Role.MANAGER)


def entrant_of(actor: Actor, entry: Entry, author_users: Collection[int]) -> bool:
    """May act as the entrant (submit, withdraw, read the answers): an organiser, the entry's
    maker, or an author of its work (``author_users``: their accounts)."""
    if is_organiser(actor):
        return True
    if actor.user_id is None:
        return False
    return entry.created_by_id == actor.user_id or actor.user_id in author_users


async def is_entrant(
    actor: Actor, entry: Entry, connection: BaseDBAsyncClient | None = None
) -> bool:
    if is_organiser(actor) or actor.user_id is None or entry.created_by_id == actor.user_id:
        return entrant_of(actor, entry, ())
    author = (
        await WorkAuthor.filter(work_id=entry.work_id, person__user_id=actor.user_id)
        .using_db(connection)
        .exists()
    )
    return entrant_of(actor, entry, [actor.user_id] if author else [])


# ---- rows ----------------------------------------------------------------------------------


def visible_contests(actor: Actor) -> QuerySet[Contest]:
    require_authenticated(actor)
    if may_read_everything(actor):
        return Contest.all()
    return Contest.exclude(status=ContestStatus.DRAFT)


async def get_contest(actor: Actor, contest_id: int, field: str = "contest") -> Contest:
    """The edition, when the viewer may see it; not found otherwise."""
    contest = await visible_contests(actor).get_or_none(id=contest_id)
    if contest is None:
        raise not_found(field, "การประกวด", "Contest")
    return contest


def visible_parts(actor: Actor, model: type[PartT]) -> QuerySet[PartT]:
    """Rows of an edition's set-up (categories, criteria, forms): those of the editions the
    actor may see."""
    require_authenticated(actor)
    if may_read_everything(actor):
        return model.all()
    return model.exclude(contest__status=ContestStatus.DRAFT)


def visible_entries(actor: Actor) -> QuerySet[Entry]:
    """Never a draft, withdrawn or screened-out entry of someone else (see the module's rule)."""
    require_authenticated(actor)
    if may_read_everything(actor):
        return Entry.all()
    return Entry.filter(
        Q(created_by_id=actor.user_id)
        | Q(assignments__judge_id=actor.user_id)
        | Q(work__authors__person__user_id=actor.user_id)
        | Q(
            contest__status=ContestStatus.RESULTS_PUBLISHED,
            status__in=PUBLIC_AFTER_RESULTS,
        )
    ).distinct()


notices.readable(Contest, visible_contests)
notices.readable(Entry, visible_entries)


def visible_judge_rows(actor: Actor, model: type[JudgeRowT]) -> QuerySet[JudgeRowT]:
    """Assignments, conflict declarations and score sheets: a judge's own."""
    if may_read_everything(actor):
        return model.all()
    return model.filter(judge_id=actor.user_id or 0)


# Each node type's rule, by the rows it shows.
visible_categories = partial(visible_parts, model=ContestCategory)
visible_criteria = partial(visible_parts, model=RubricCriterion)
visible_forms = partial(visible_parts, model=ContestForm)
visible_assignments = partial(visible_judge_rows, model=JudgeAssignment)
visible_conflict_declarations = partial(visible_judge_rows, model=ConflictDeclaration)
visible_score_sheets = partial(visible_judge_rows, model=ScoreSheet)


def sees_judge_row(actor: Actor, judge_id: int) -> bool:
    """``visible_judge_rows`` for a row already loaded."""
    return may_read_everything(actor) or judge_id == actor.user_id


# ---- fields --------------------------------------------------------------------------------


def results_visible(actor: Actor, contest: Contest) -> bool:
    """Live results for organisers and managers; published ones for anyone signed in."""
    return may_read_everything(actor) or contest.status == ContestStatus.RESULTS_PUBLISHED


async def visible_results(actor: Actor, contest_id: int, category_id: int | None) -> Results:
    """An edition's ranked results, or one category's: live for organisers and managers, for
    anyone else signed in once published."""
    contest = await get_contest(actor, contest_id, "contestId")
    if not results_visible(actor, contest):
        raise Forbidden(ForbiddenReason.RESULTS_NOT_PUBLISHED)
    if category_id is not None and not await ContestCategory.exists(
        id=category_id, contest_id=contest.id
    ):
        raise not_found("categoryId", "ประเภทรางวัล", "Category")
    return await compute(contest, category_id=category_id)


@dataclass(frozen=True)
class EntryStanding:
    """What the viewer is to one entry, and so what they see of it."""

    viewer: int | None
    reads_everything: bool
    entrant: bool
    assigned: bool
    conflicted: bool
    own_sheet: ScoreSheet | None

    @property
    def sees_scores(self) -> bool:
        """Every sheet of the entry and its aggregates: organisers and managers always; a judge
        once their own sheet for it is submitted."""
        return self.reads_everything or (
            self.own_sheet is not None and self.own_sheet.status == SheetStatus.SUBMITTED
        )

    @property
    def sees_answers(self) -> bool:
        return self.entrant or self.assigned or self.reads_everything

    @property
    def sees_screening_comment(self) -> bool:
        return self.entrant or self.reads_everything

    def sees_sheet(self, sheet: ScoreSheet) -> bool:
        return self.sees_scores or sheet.judge_id == self.viewer

    def sees_aggregate(self, contest: Contest) -> bool:
        return self.sees_scores or contest.status == ContestStatus.RESULTS_PUBLISHED

    @property
    def may_score(self) -> bool:
        return (
            self.assigned
            and not self.conflicted
            and (self.own_sheet is None or self.own_sheet.status == SheetStatus.DRAFT)
        )


class StandingSources(Protocol):
    """The rows ``standing_of`` reads, one entry at a time: the caller batches them (GraphQL
    loaders) across the entries of a request."""

    async def author_users(self, work_id: int) -> Collection[int]: ...

    async def judges(self, entry_id: int) -> Collection[int]: ...

    async def declared_judges(self, entry_id: int) -> Collection[int]: ...

    async def units(self, user_id: int) -> Collection[int]: ...

    async def presenter_users(self, entry_id: int) -> Collection[int]: ...

    async def sheets(self, entry_id: int) -> Sequence[ScoreSheet]: ...


async def standing_of(actor: Actor, entry: Entry, sources: StandingSources) -> EntryStanding:
    """The one statement of who the viewer is to ``entry``. Entrants are as ``is_entrant``; the
    conflict is ``conflicts.conflict_of`` (the entry's presenters are read only when the viewer
    judges it: only a judge can conflict with its presenters)."""
    everything = may_read_everything(actor)
    user = actor.user_id
    if user is None:
        return EntryStanding(None, everything, False, False, False, None)
    authors = await sources.author_users(entry.work_id)
    judges = await sources.judges(entry.id)
    declared = {(judge, entry.id) for judge in await sources.declared_judges(entry.id)}
    units = set(await sources.units(user))
    entrants = set(authors) | ({entry.created_by_id} if entry.created_by_id is not None else set())
    if user in judges and user not in entrants:
        entrants |= set(await sources.presenter_users(entry.id))
    sheets = await sources.sheets(entry.id)
    conflicts = Conflicts({user: units}, declared, {entry.id: entrants})
    return EntryStanding(
        viewer=user,
        reads_everything=everything,
        entrant=entrant_of(actor, entry, authors),
        assigned=user in judges,
        conflicted=conflict_of(user, entry, conflicts) is not None,
        own_sheet=next((s for s in sheets if s.judge_id == user), None),
    )
