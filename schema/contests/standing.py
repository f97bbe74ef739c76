"""The viewer's standing towards an entry (``services.contests.access.standing_of``), read through
the request's loaders so that a list of entries costs a fixed number of statements."""

from collections.abc import Collection, Sequence

import strawberry

from models.contest import Entry, ScoreSheet
from schema.loaders import Loaders
from services.contests import access


class LoadedSources:
    """``access.StandingSources`` over the request's loaders."""

    def __init__(self, loaders: Loaders) -> None:
        self.loaders = loaders

    async def author_users(self, work_id: int) -> Collection[int]:
        return await self.loaders.author_users_of_work.load(work_id)

    async def judges(self, entry_id: int) -> Collection[int]:
        return [j.judge_id for j in await self.loaders.judges_of_entry.load(entry_id)]

    async def declared_judges(self, entry_id: int) -> Collection[int]:
        return [c.judge_id for c in await self.loaders.conflicts_of_entry.load(entry_id)]

    async def units(self, user_id: int) -> Collection[int]:
        return await self.loaders.units_of_user.load(user_id)

    async def presenter_users(self, entry_id: int) -> Collection[int]:
        presenters = await self.loaders.presenters_of_entry.load(entry_id)
        people = await self.loaders.person.load_many([p.person_id for p in presenters])
        return [p.user_id for p in people if p is not None and p.user_id is not None]

    async def sheets(self, entry_id: int) -> Sequence[ScoreSheet]:
        return await self.loaders.sheets_of_entry.load(entry_id)


async def entry_standing(info: strawberry.Info, entry: Entry) -> access.EntryStanding:
    return await access.standing_of(info.context.actor, entry, LoadedSources(info.context.loaders))
