"""Relay conventions: nodes backed by Tortoise models, and the one connection type.

Every list is ``<Type>Connection`` with ``edges``, ``nodes``, ``pageInfo`` and ``totalCount``
(counted only when selected), paged by ``first/after`` or ``last/before`` up to ``MAX_PAGE_SIZE``
(``DEFAULT_PAGE_SIZE`` when neither is given).
Cursors are opaque; today they encode an offset into the ordered list.
"""

import asyncio
import base64
import inspect
from collections.abc import Awaitable, Callable, Iterable, Sequence
from enum import Enum
from typing import Annotated, Any, ClassVar, Generic, Self, TypeVar

import strawberry
from graphql import FieldNode, FragmentSpreadNode, InlineFragmentNode, SelectionSetNode
from strawberry import relay
from tortoise.models import Model
from tortoise.queryset import QuerySet

from schema.errors import InvalidArgument
from services.actor import Actor
from services.errors import parse_id

MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 20
_CURSOR_PREFIX = "offset:"
# Far beyond any real list, well inside every database's integers.
_MAX_OFFSET = 10**9

NodeT = TypeVar("NodeT")
ModelT = TypeVar("ModelT", bound=Model)
T = TypeVar("T")

# The node type of each model, so that a field can show a row of another domain without
# importing that domain's module (which imports this one's): its type is named lazily.
_NODE_TYPES: dict[type[Model], "type[ModelNode]"] = {}


def node_of(row: Model, **extra: Any) -> Any:
    """The node showing ``row``: its model's node type, whichever module defines it."""
    make: Callable[..., Any] = _NODE_TYPES[type(row)].from_model
    return make(row, **extra)


def nodes_of(rows: Iterable[Model]) -> list[Any]:
    return [node_of(row) for row in rows]


def when_loaded(pending: Awaitable[T], then: Callable[[T], Any]) -> Any:
    """``then(value)`` at once when ``pending`` (a loader's answer) is already there, as after
    a page's ``prefetch``; else an awaitable of it. A resolver that returns this is a plain
    function, so graphql-core resolves a prefetched field without a task of its own."""
    if isinstance(pending, asyncio.Future) and pending.done():
        return then(pending.result())
    return _then(pending, then)


async def _then(pending: Awaitable[T], then: Callable[[T], Any]) -> Any:
    value = then(await pending)
    return await value if inspect.isawaitable(value) else value


def read_rule(rule: Callable[[Actor], QuerySet[Any]]) -> Any:
    """A node type's ``visible`` from its service's read rule:
    ``visible = read_rule(works.visible_works)``."""

    def visible(cls: type, info: strawberry.Info) -> QuerySet[Any]:
        return rule(info.context.actor)

    return classmethod(visible)


class ModelNode(relay.Node):
    """A GraphQL type whose rows live in one Tortoise model.

    Deny by default: every subclass states its read rule by defining ``visible``, which asks the
    domain's service (``services.<domain>.visible_<things>(actor)``) for the rows the viewer may
    read, as a queryset the database filters. A subclass without one is refused when the class
    is made, so no type is readable by accident; ``tests/contract/test_read_rules.py`` checks
    every node type of the schema against an anonymous viewer.
    """

    model: ClassVar[type[Model]]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "visible" not in vars(cls):
            raise TypeError(
                f"{cls.__name__} states no read rule: define `visible` with its service's "
                "`visible_<things>(actor)`"
            )
        if "model" in vars(cls):
            _NODE_TYPES.setdefault(cls.model, cls)

    @classmethod
    def from_model(cls, obj: Any) -> Self:
        raise NotImplementedError

    @classmethod
    def visible(cls, info: strawberry.Info) -> QuerySet[Any]:
        """The rows the viewer may read through ``node``/``nodes``; every subclass says."""
        raise NotImplementedError

    @classmethod
    def prefetch(cls, info: strawberry.Info, nodes: list[Self], fields: set[str]) -> list[Any]:
        """The loads (``loader.load_many(...)``) that answer ``fields`` of a page's ``nodes``
        at once, awaited together by ``paginate`` before the fields are resolved: each loader
        still runs one statement, and the fields find their values there. None by default."""
        return []

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: strawberry.Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Self | None]:
        ids = [parse_id(i) for i in node_ids]
        wanted = [i for i in ids if i is not None]
        rows = {row.pk: row for row in await cls.visible(info).filter(pk__in=wanted)}
        return [cls.from_model(rows[i]) if i in rows else None for i in ids]


@strawberry.type(description="Where a page sits in its list.")
class PageInfo:
    has_next_page: bool = strawberry.field(description="More items follow this page.")
    has_previous_page: bool = strawberry.field(description="Items precede this page.")
    start_cursor: str | None = strawberry.field(description="Cursor of the first item.")
    end_cursor: str | None = strawberry.field(description="Cursor of the last item.")


@strawberry.type(description="An item of a page with its cursor.")
class Edge(Generic[NodeT]):
    cursor: str = strawberry.field(description="Pass as `after` or `before` to page from here.")
    node: NodeT = strawberry.field(description="The item.")


@strawberry.type(description="A page of a list.")
class Connection(Generic[NodeT]):
    edges: list[Edge[NodeT]] = strawberry.field(description="The page's items with cursors.")
    page_info: PageInfo = strawberry.field(description="Pagination state.")
    _count: strawberry.Private[Callable[[], Any]]

    @strawberry.field(description="The page's items.")
    def nodes(self) -> list[NodeT]:
        return [edge.node for edge in self.edges]

    @strawberry.field(description="Items in the whole filtered list; counted only when asked for.")
    async def total_count(self) -> int:
        return int(await self._count())


@strawberry.enum(description="Sort direction.")
class OrderDirection(Enum):
    ASC = "ASC"
    DESC = "DESC"


First = Annotated[
    int | None,
    strawberry.argument(
        description=f"Page size from the start, 0–{MAX_PAGE_SIZE}; {DEFAULT_PAGE_SIZE} if "
        "neither `first` nor `last` is given."
    ),
]
After = Annotated[str | None, strawberry.argument(description="Start after this cursor.")]
Last = Annotated[
    int | None, strawberry.argument(description=f"Page size from the end, 0–{MAX_PAGE_SIZE}.")
]
Before = Annotated[str | None, strawberry.argument(description="End before this cursor.")]
# A list's `filter` and `orderBy` arguments: `filter: Conditions[PlanFilter] = None`.
Conditions = Annotated[NodeT | None, strawberry.argument(description="Conditions.")]
SortOrder = Annotated[list[NodeT] | None, strawberry.argument(description="Sort order.")]


@strawberry.input(description="Base of every `<Type>Order` input: the direction of one term.")
class OrderTerm:
    direction: OrderDirection = strawberry.field(
        default=OrderDirection.ASC, description="Ascending or descending."
    )


def order_by_terms(orderings: Sequence[Any] | None, default: Sequence[str]) -> list[str]:
    """Tortoise ordering from ``[{field, direction}]`` inputs; ``id`` breaks ties so pages are
    stable."""
    terms = [
        ("-" if o.direction == OrderDirection.DESC else "") + o.field.value for o in orderings or []
    ] or list(default)
    if not any(t.lstrip("-") == "id" for t in terms):
        terms.append("-id" if terms and terms[-1].startswith("-") else "id")
    return terms


def _encode(offset: int) -> str:
    return base64.b64encode(f"{_CURSOR_PREFIX}{offset}".encode()).decode()


def _decode(cursor: str, name: str) -> int:
    try:
        text = base64.b64decode(cursor.encode(), validate=True).decode()
        offset = int(text.removeprefix(_CURSOR_PREFIX)) if text.startswith(_CURSOR_PREFIX) else -1
        if 0 <= offset <= _MAX_OFFSET:
            return offset
    except ValueError:
        pass
    raise InvalidArgument(f"`{name}` is not a cursor from this list")


def _check_size(value: int | None, name: str) -> None:
    if value is not None and not 0 <= value <= MAX_PAGE_SIZE:
        raise InvalidArgument(f"`{name}` must be between 0 and {MAX_PAGE_SIZE}")


async def paginate(
    queryset: QuerySet[ModelT],
    to_node: Callable[[ModelT], NodeT],
    *,
    first: int | None = None,
    after: str | None = None,
    last: int | None = None,
    before: str | None = None,
    info: strawberry.Info | None = None,
) -> Connection[NodeT]:
    """One page of an ordered queryset: one SELECT, plus one COUNT only for ``last`` without
    ``before`` or when ``totalCount`` is selected. With ``info``, the fields selected on the
    page's items are prefetched (``ModelNode.prefetch``)."""
    _check_size(first, "first")
    _check_size(last, "last")
    start = _decode(after, "after") + 1 if after else 0
    stop = _decode(before, "before") if before else None
    if last is not None:
        if stop is None:
            stop = await queryset.count()
        start = max(start, stop - last)
    size = (DEFAULT_PAGE_SIZE if last is None else MAX_PAGE_SIZE) if first is None else first
    if stop is not None:
        size = min(size, max(stop - start, 0))
    rows = list(await queryset.offset(start).limit(size + 1)) if size else []
    has_more = len(rows) > size
    rows = rows[:size]
    edges = [Edge(cursor=_encode(start + i), node=to_node(row)) for i, row in enumerate(rows)]
    if info is not None and edges:
        await prefetch(info, [edge.node for edge in edges], item_fields(info))
    return Connection(
        edges=edges,
        page_info=PageInfo(
            has_next_page=has_more if stop is None else start + len(rows) < stop or has_more,
            has_previous_page=start > 0,
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
        ),
        _count=queryset.count,
    )


async def prefetch(info: strawberry.Info, nodes: Sequence[Any], fields: set[str]) -> None:
    """Awaits together the loads that answer ``fields`` of ``nodes`` (one node type)."""
    loads = getattr(type(nodes[0]), "prefetch", None)
    if loads is not None and fields:
        # A failed load stays in its loader: each field that reads it fails as it would have.
        await asyncio.gather(*loads(info, list(nodes), fields), return_exceptions=True)


def item_fields(info: strawberry.Info) -> set[str]:
    """The fields selected on a connection's items (``nodes { … }``, ``edges { node { … } }``),
    fragments included. A field under a directive (``@skip``, ``@include``) is left out: it may
    not be resolved, and prefetching it would cost a statement for nothing."""
    raw = info._raw_info
    fragments = raw.fragments
    items: list[SelectionSetNode] = []
    for field in raw.field_nodes:
        for below in _fields(field.selection_set, fragments):
            if below.name.value == "nodes" and below.selection_set:
                items.append(below.selection_set)
            elif below.name.value == "edges" and below.selection_set:
                for edge_field in _fields(below.selection_set, fragments):
                    if edge_field.name.value == "node" and edge_field.selection_set:
                        items.append(edge_field.selection_set)
    return {field.name.value for items_set in items for field in _fields(items_set, fragments)}


def _fields(selection_set: SelectionSetNode | None, fragments: dict[str, Any]) -> list[FieldNode]:
    """The fields of a selection set without directives, its fragments' included."""
    found: list[FieldNode] = []
    pending = [selection_set] if selection_set else []
    seen: set[str] = set()
    while pending:
        for selection in pending.pop().selections:
            if selection.directives:
                continue
            if isinstance(selection, FieldNode):
                found.append(selection)
            elif isinstance(selection, InlineFragmentNode):
                pending.append(selection.selection_set)
            elif isinstance(selection, FragmentSpreadNode) and selection.name.value not in seen:
                seen.add(selection.name.value)
                fragment = fragments.get(selection.name.value)
                if fragment is not None:
                    pending.append(fragment.selection_set)
    return found
