"""The viewer's standing towards an entry (``services.contests.access.standing_of``), read through
the request's loaders (``Loaders.entry_standing``) so that a list of entries costs a fixed number
of statements and each entry's standing is worked out once."""

from collections.abc import Awaitable

import strawberry

from models.contest import Entry
from services.contests import access


def entry_standing(info: strawberry.Info, entry: Entry) -> Awaitable[access.EntryStanding]:
    return info.context.loaders.entry_standing.load(entry)  # type: ignore[no-any-return]
