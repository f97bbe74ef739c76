"""What keeps a judge from an entry of the LIKE Talk Award: the entry comes from the unit of the
judge's person record, the judge made it, wrote its work or presents it, or a conflict of
interest was declared (``conflict_of``). Read in a few statements for many judges and entries
(``conflicts_for``), inside the caller's transaction when given one."""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from tortoise.backends.base.client import BaseDBAsyncClient

from models.contest import ConflictDeclaration, Entry, EntryPresenter
from models.org import Person
from models.work import WorkAuthor


async def judge_units(
    judge_ids: Sequence[int], connection: BaseDBAsyncClient | None = None
) -> dict[int, set[int]]:
    """The units of each judge's person record(s)."""
    units: defaultdict[int, set[int]] = defaultdict(set)
    for user_id, unit_id in (
        await Person.filter(user_id__in=list(judge_ids))
        .using_db(connection)
        .values_list("user_id", "unit_id")
    ):
        units[int(user_id)].add(int(unit_id))
    return units


async def declared(
    entry_ids: Sequence[int], connection: BaseDBAsyncClient | None = None
) -> set[tuple[int, int]]:
    """(judge, entry) pairs with a declared conflict."""
    rows = (
        await ConflictDeclaration.filter(entry_id__in=list(entry_ids))
        .using_db(connection)
        .values_list("judge_id", "entry_id")
    )
    return {(int(j), int(e)) for j, e in rows}


async def entrants(
    entries: Sequence[Entry], connection: BaseDBAsyncClient | None = None
) -> dict[int, set[int]]:
    """The accounts behind each entry: its maker, the authors of its work and its presenters."""
    by_work: defaultdict[int, list[int]] = defaultdict(list)
    found: defaultdict[int, set[int]] = defaultdict(set)
    for entry in entries:
        by_work[entry.work_id].append(entry.id)
        if entry.created_by_id is not None:
            found[entry.id].add(entry.created_by_id)
    authors = (
        await WorkAuthor.filter(work_id__in=list(by_work), person__user_id__not_isnull=True)
        .using_db(connection)
        .values_list("work_id", "person__user_id")
    )
    for work_id, user_id in authors:
        for entry_id in by_work[int(work_id)]:
            found[entry_id].add(int(user_id))
    presenters = (
        await EntryPresenter.filter(
            entry_id__in=[e.id for e in entries], person__user_id__not_isnull=True
        )
        .using_db(connection)
        .values_list("entry_id", "person__user_id")
    )
    for entry_id, user_id in presenters:
        found[int(entry_id)].add(int(user_id))
    return found


@dataclass(frozen=True)
class Conflicts:
    """What stands between judges and entries: the judges' units, declared (judge, entry)
    pairs, and the accounts behind each entry."""

    units: dict[int, set[int]]
    declared: set[tuple[int, int]]
    entrants: dict[int, set[int]]


async def conflicts_for(
    judge_ids: Sequence[int],
    entries: Sequence[Entry],
    connection: BaseDBAsyncClient | None = None,
) -> Conflicts:
    return Conflicts(
        units=await judge_units(judge_ids, connection),
        declared=await declared([e.id for e in entries], connection),
        entrants=await entrants(entries, connection),
    )


def conflict_of(judge_id: int, entry: Entry, conflicts: Conflicts) -> str | None:
    """Why ``judge_id`` may not judge ``entry``: "OWN_UNIT" (the judge's person record is in the
    entry's unit), "ENTRANT" (they made the entry, wrote the work or present it), "DECLARED"
    or None."""
    if entry.unit_id in conflicts.units.get(judge_id, set()):
        return "OWN_UNIT"
    if judge_id in conflicts.entrants.get(entry.id, set()):
        return "ENTRANT"
    if (judge_id, entry.id) in conflicts.declared:
        return "DECLARED"
    return None
