"""A plan's answer: rows read as dicts (``.values()``), one statement per list and per relation
selected, and the response's ``data`` built from them."""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from strawberry.relay import to_base64

from schema.compiled.plan import (
    Constant,
    Edges,
    Id,
    Leaf,
    Linked,
    Lookup,
    Page,
    PageInfo,
    Plan,
    Related,
    Selection,
    ToMany,
    Total,
)
from schema.compiled.types import Rows
from schema.relay import _encode
from services.actor import Actor

Row = dict[str, Any]
Getter = Callable[[Row], Any]


@dataclass(frozen=True)
class _Info:
    """What a node type's ``visible`` reads of strawberry's ``Info``: the request's context."""

    context: Any


async def answer(plan: Plan, context: Any) -> dict[str, Any]:
    """``data`` for ``plan``; ``context`` is the request's (``api.context``), with the actor."""
    data: dict[str, Any] = {}
    for key, entry in plan.root:
        if isinstance(entry, Constant):
            data[key] = entry.value
        elif isinstance(entry, Lookup):
            data[key] = await _lookup(entry, context)
        else:
            data[key] = await _page(entry, context.actor)
    return data


async def _lookup(lookup: Lookup, context: Any) -> Row | None:
    queryset = lookup.visible(_Info(context)).filter(pk=lookup.pk)
    rows = await queryset.values(*lookup.selection.columns())
    return (await _build(lookup.selection, rows))[0] if rows else None


async def _page(page: Page, actor: Actor) -> dict[str, Any]:
    """As ``schema.relay.paginate`` pages with ``first``/``after``: one row more than the page
    tells whether another follows."""
    queryset = page.source.rows(actor)
    selections = page.selections()
    columns = set().union(*(s.columns() for s in selections)) if selections else {"id"}
    rows: list[Row] = []
    if page.size:
        rows = await queryset.offset(page.start).limit(page.size + 1).values(*columns)
    has_next_page = len(rows) > page.size
    rows = rows[: page.size]
    built = {id(s): await _build(s, rows) for s in selections}
    cursors = [_encode(page.start + i) for i in range(len(rows))]
    info = {
        "has_next_page": has_next_page,
        "has_previous_page": page.start > 0,
        "start_cursor": cursors[0] if cursors else None,
        "end_cursor": cursors[-1] if cursors else None,
    }
    connection: dict[str, Any] = {}
    for key, entry in page.entries:
        if isinstance(entry, Constant):
            connection[key] = entry.value
        elif isinstance(entry, Selection):
            connection[key] = built[id(entry)]
        elif isinstance(entry, Edges):
            connection[key] = _edges(entry, cursors, built)
        elif isinstance(entry, PageInfo):
            connection[key] = {
                k: e.value if isinstance(e, Constant) else info[e] for k, e in entry.entries
            }
        elif isinstance(entry, Total):
            connection[key] = await queryset.count()
    return connection


def _edges(edges: Edges, cursors: list[str], built: dict[int, list[Row]]) -> list[Row]:
    result = []
    for i, cursor in enumerate(cursors):
        edge: Row = {}
        for key, entry in edges.entries:
            if entry is None:
                edge[key] = cursor
            elif isinstance(entry, Constant):
                edge[key] = entry.value
            else:
                edge[key] = built[id(entry)][i]
        result.append(edge)
    return result


async def _build(selection: Selection, rows: list[Row]) -> list[Row]:
    """The selection shown for each row, in the order of ``rows``."""
    getters: list[tuple[str, Getter]] = []
    for key, entry in selection.entries:
        getters.append((key, await _getter(entry, rows)))
    return [{key: get(row) for key, get in getters} for row in rows]


async def _getter(entry: Any, rows: list[Row]) -> Getter:
    if isinstance(entry, Leaf):
        column, serialize = entry.column, entry.serialize
        return lambda row: serialize(row[column])
    if isinstance(entry, Id):
        type_name = entry.type_name
        return lambda row: to_base64(type_name, row["id"])
    if isinstance(entry, Constant):
        value = entry.value
        return lambda row: value
    assert isinstance(entry, Related)
    if isinstance(entry.relation, Linked):
        linked = await _linked(entry, [row["id"] for row in rows])
        return lambda row: linked.get(row["id"], [])
    if isinstance(entry.relation, ToMany):
        groups = await _grouped(entry, [row["id"] for row in rows])
        return lambda row: groups.get(row["id"], [])
    key = entry.relation.key
    ids = {row[key] for row in rows if row[key] is not None}
    by_id = await _by_id(entry, ids, entry.relation.rows)
    return lambda row: None if row[key] is None else by_id[row[key]]


async def _by_id(related: Related, ids: set[Any], read: Rows) -> dict[Any, Row]:
    if not ids:
        return {}
    rows = await read(list(ids)).values(*related.selection.columns())
    return dict(zip([r["id"] for r in rows], await _build(related.selection, rows), strict=True))


async def _linked(related: Related, ids: list[Any]) -> dict[Any, list[Row]]:
    """Objects through a link table; ids whose object is gone are left out, as
    ``schema.org.person_nodes`` leaves them."""
    relation = related.relation
    assert isinstance(relation, Linked)
    if not ids:
        return {}
    links = await relation.links(ids).values(relation.key, relation.column)
    targets = {link[relation.column] for link in links}
    by_id = await _by_id(related, targets, relation.rows)
    groups: defaultdict[Any, list[Row]] = defaultdict(list)
    for link in links:
        if (target := by_id.get(link[relation.column])) is not None:
            groups[link[relation.key]].append(target)
    return groups


async def _grouped(related: Related, ids: list[Any]) -> dict[Any, list[Row]]:
    if not ids:
        return {}
    key = related.relation.key
    rows = await related.relation.rows(ids).values(*related.selection.columns() | {key})
    groups: defaultdict[Any, list[Row]] = defaultdict(list)
    for row, shown in zip(rows, await _build(related.selection, rows), strict=True):
        groups[row[key]].append(shown)
    return groups
