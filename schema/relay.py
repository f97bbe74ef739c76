"""Relay conventions: nodes backed by Tortoise models, and the one connection type.

Every list is ``<Type>Connection`` with ``edges``, ``nodes``, ``pageInfo`` and ``totalCount``
(counted only when selected), paged by ``first/after`` or ``last/before`` up to ``MAX_PAGE_SIZE``
(``DEFAULT_PAGE_SIZE`` when neither is given).
Cursors are opaque; today they encode an offset into the ordered list.
"""

import base64
from collections.abc import Callable, Iterable, Sequence
from enum import Enum
from typing import Annotated, Any, ClassVar, Generic, Self, TypeVar

import strawberry
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

# The node type of each model, so that a field can show a row of another domain without
# importing that domain's module (which imports this one's): its type is named lazily.
_NODE_TYPES: dict[type[Model], "type[ModelNode]"] = {}


def node_of(row: Model, **extra: Any) -> Any:
    """The node showing ``row``: its model's node type, whichever module defines it."""
    make: Callable[..., Any] = _NODE_TYPES[type(row)].from_model
    return make(row, **extra)


def nodes_of(rows: Iterable[Model]) -> list[Any]:
    return [node_of(row) for row in rows]


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
) -> Connection[NodeT]:
    """One page of an ordered queryset: one SELECT, plus one COUNT only for ``last`` without
    ``before`` or when ``totalCount`` is selected."""
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
