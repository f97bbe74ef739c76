"""An operation as the compiled read path will answer it, or None when it cannot: decided from
the document, the variables and the schema alone, before any row is read."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from graphql import (
    DocumentNode,
    Executor,
    GraphQLError,
    GraphQLField,
    GraphQLList,
    GraphQLObjectType,
    GraphQLSchema,
    OperationType,
    get_argument_values,
    get_nullable_type,
)
from graphql.execution.collect_fields import FieldDetails, collect_fields
from strawberry.relay import GlobalID, GlobalIDValueError

from schema.compiled.types import (
    LISTS,
    NODE_TYPES,
    Column,
    GlobalId,
    Linked,
    ListField,
    NodeType,
    ToMany,
    ToOne,
)
from schema.relay import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, _decode
from services.errors import parse_id

Serialize = Callable[[Any], Any]
_PAGE_ARGUMENTS = frozenset(("first", "after"))
_PAGE_INFO = {
    "hasNextPage": "has_next_page",
    "hasPreviousPage": "has_previous_page",
    "startCursor": "start_cursor",
    "endCursor": "end_cursor",
}


class Unsupported(Exception):
    """Something in the operation the compiled path does not answer: the resolvers will."""


@dataclass(frozen=True)
class Constant:
    value: Any


@dataclass(frozen=True)
class Leaf:
    column: str
    serialize: Serialize


@dataclass(frozen=True)
class Id:
    type_name: str


@dataclass(frozen=True)
class Related:
    relation: ToOne | ToMany | Linked
    selection: "Selection"


Entry = Constant | Leaf | Id | Related


@dataclass(frozen=True)
class Selection:
    """What to show of each row of one node type, response key by response key."""

    node: NodeType
    entries: list[tuple[str, Entry]]

    def columns(self) -> set[str]:
        names = {"id"}
        for _, entry in self.entries:
            if isinstance(entry, Leaf):
                names.add(entry.column)
            elif isinstance(entry, Related) and isinstance(entry.relation, ToOne):
                names.add(entry.relation.key)
        return names


@dataclass(frozen=True)
class Edges:
    entries: list[tuple[str, Constant | Selection | None]]  # None: the cursor


@dataclass(frozen=True)
class PageInfo:
    entries: list[tuple[str, Constant | str]]  # the page's attribute, by name


@dataclass(frozen=True)
class Total:
    pass


@dataclass
class Page:
    """One page of a root list: ``first`` rows from ``start``."""

    source: ListField
    size: int
    start: int
    entries: list[tuple[str, Constant | Edges | Selection | PageInfo | Total]] = field(
        default_factory=list
    )

    def selections(self) -> list[Selection]:
        found = []
        for _, entry in self.entries:
            if isinstance(entry, Selection):
                found.append(entry)
            elif isinstance(entry, Edges):
                found += [e for _, e in entry.entries if isinstance(e, Selection)]
        return found


@dataclass(frozen=True)
class Lookup:
    """``node(id:)``: the row with primary key ``pk`` among those the node type's read rule
    (its ``visible``) lets the viewer read, or null."""

    visible: Callable[[Any], Any]
    pk: int
    selection: Selection


@dataclass(frozen=True)
class Plan:
    root: list[tuple[str, Constant | Page | Lookup]]


def plan(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation_name: str | None,
    variables: Mapping[str, Any] | None,
) -> Plan | None:
    executor = Executor.build(
        schema, document, raw_variable_values=dict(variables or {}), operation_name=operation_name
    )
    if isinstance(executor, list) or executor.operation.operation != OperationType.QUERY:
        return None
    try:
        return _Planner(schema, executor).root()
    except Unsupported:
        return None


class _Planner:
    def __init__(self, schema: GraphQLSchema, executor: Executor) -> None:
        self.schema = schema
        self.executor = executor

    def root(self) -> Plan:
        query = self.schema.query_type
        assert query is not None
        collected = collect_fields(
            self.schema,
            self.executor.fragments,
            self.executor.variable_values,
            query,
            self.executor.operation,
        )
        entries: list[tuple[str, Constant | Page | Lookup]] = []
        for key, details in self._fields(collected.grouped_field_set):
            name = details[0].node.name.value
            if name == "__typename":
                entries.append((key, Constant(query.name)))
            elif name == "node":
                entries.append((key, self._lookup(query, details)))
            elif name in LISTS:
                entries.append((key, self._page(query, LISTS[name], details)))
            else:
                raise Unsupported(name)
        return Plan(entries)

    def _fields(
        self, grouped: Mapping[str, list[FieldDetails]]
    ) -> list[tuple[str, list[FieldDetails]]]:
        for details in grouped.values():
            if any(d.defer_usage or d.fragment_variable_values for d in details):
                raise Unsupported("@defer or fragment variables")
        return list(grouped.items())

    def _subfields(
        self, parent: GraphQLObjectType, details: list[FieldDetails]
    ) -> tuple[GraphQLObjectType, list[tuple[str, list[FieldDetails]]]]:
        field_type = get_nullable_type(self._definition(parent, details).type)
        while isinstance(field_type, GraphQLList):
            field_type = get_nullable_type(field_type.of_type)
        if not isinstance(field_type, GraphQLObjectType):
            raise Unsupported(str(field_type))
        collected = self.executor.collect_subfields(field_type, details)
        if collected.new_defer_usages:
            raise Unsupported("@defer")
        return field_type, self._fields(collected.grouped_field_set)

    def _definition(self, parent: GraphQLObjectType, details: list[FieldDetails]) -> GraphQLField:
        return parent.fields[details[0].node.name.value]

    def _arguments(self, parent: GraphQLObjectType, details: list[FieldDetails]) -> dict[str, Any]:
        try:
            return get_argument_values(
                self._definition(parent, details), details[0].node, self.executor.variable_values
            )
        except GraphQLError as error:  # e.g. an id that is no global id
            raise Unsupported("arguments") from error

    def _lookup(self, query: GraphQLObjectType, details: list[FieldDetails]) -> Lookup:
        try:
            global_id = GlobalID.from_id(self._arguments(query, details)["id"])
        except GlobalIDValueError as error:
            raise Unsupported("id") from error
        node = NODE_TYPES.get(global_id.type_name)
        pk = parse_id(global_id.node_id)
        object_type = self.schema.get_type(global_id.type_name)
        if (
            node is None
            or not isinstance(node.fields.get("id"), GlobalId)
            or pk is None
            or not isinstance(object_type, GraphQLObjectType)
        ):
            raise Unsupported(global_id.type_name)
        collected = self.executor.collect_subfields(object_type, details)
        if collected.new_defer_usages:
            raise Unsupported("@defer")
        selection = self._node(object_type, node, self._fields(collected.grouped_field_set))
        visible = object_type.extensions["strawberry-definition"].origin.visible
        return Lookup(visible, pk, selection)

    def _page(
        self, query: GraphQLObjectType, source: ListField, details: list[FieldDetails]
    ) -> Page:
        arguments = self._arguments(query, details)
        if any(
            value is not None for name, value in arguments.items() if name not in _PAGE_ARGUMENTS
        ):
            raise Unsupported("arguments")
        first, after = arguments.get("first"), arguments.get("after")
        if first is not None and not 0 <= first <= MAX_PAGE_SIZE:
            raise Unsupported("page size")
        try:
            start = _decode(after, "after") + 1 if after is not None else 0
        except GraphQLError as error:
            raise Unsupported("cursor") from error
        page = Page(source, DEFAULT_PAGE_SIZE if first is None else first, start)
        connection, fields = self._subfields(query, details)
        for key, sub in fields:
            name = sub[0].node.name.value
            if name == "__typename":
                page.entries.append((key, Constant(connection.name)))
            elif name == "edges":
                page.entries.append((key, self._edges(connection, source, sub)))
            elif name == "nodes":
                page.entries.append((key, self._selection(connection, source.node, sub)))
            elif name == "pageInfo":
                page.entries.append((key, self._page_info(connection, sub)))
            elif name == "totalCount":
                page.entries.append((key, Total()))
            else:
                raise Unsupported(name)
        return page

    def _edges(
        self, connection: GraphQLObjectType, source: ListField, details: list[FieldDetails]
    ) -> Edges:
        edge, fields = self._subfields(connection, details)
        entries: list[tuple[str, Constant | Selection | None]] = []
        for key, sub in fields:
            name = sub[0].node.name.value
            if name == "__typename":
                entries.append((key, Constant(edge.name)))
            elif name == "cursor":
                entries.append((key, None))
            elif name == "node":
                entries.append((key, self._selection(edge, source.node, sub)))
            else:
                raise Unsupported(name)
        return Edges(entries)

    def _page_info(self, connection: GraphQLObjectType, details: list[FieldDetails]) -> PageInfo:
        page_info, fields = self._subfields(connection, details)
        entries: list[tuple[str, Constant | str]] = []
        for key, sub in fields:
            name = sub[0].node.name.value
            if name == "__typename":
                entries.append((key, Constant(page_info.name)))
            elif name in _PAGE_INFO:
                entries.append((key, _PAGE_INFO[name]))
            else:
                raise Unsupported(name)
        return PageInfo(entries)

    def _selection(
        self, parent: GraphQLObjectType, node_name: str, details: list[FieldDetails]
    ) -> Selection:
        object_type, fields = self._subfields(parent, details)
        node = NODE_TYPES[node_name]
        if object_type.name != node.name:
            raise Unsupported(object_type.name)
        return self._node(object_type, node, fields)

    def _node(
        self,
        object_type: GraphQLObjectType,
        node: NodeType,
        fields: list[tuple[str, list[FieldDetails]]],
    ) -> Selection:
        entries: list[tuple[str, Entry]] = []
        for key, sub in fields:
            name = sub[0].node.name.value
            if sub[0].node.arguments:
                raise Unsupported(f"{name}(…)")
            spec = node.fields.get(name)
            entry: Entry
            if name == "__typename":
                entry = Constant(object_type.name)
            elif isinstance(spec, GlobalId):
                entry = Id(object_type.name)
            elif isinstance(spec, Column):
                entry = Leaf(spec.name, _serializer(object_type.fields[name].type))
            elif isinstance(spec, ToOne | ToMany | Linked):
                entry = Related(spec, self._selection(object_type, spec.target, sub))
            else:
                raise Unsupported(name)
            entries.append((key, entry))
        return Selection(node, entries)


def _serializer(output_type: Any) -> Serialize:
    """What graphql-core does to a leaf's value (``complete_leaf_value``), for one field."""
    nullable = get_nullable_type(output_type)
    if isinstance(nullable, GraphQLList):
        item = _serializer(nullable.of_type)
        return lambda value: None if value is None else [item(v) for v in value]
    serialize = nullable.serialize
    return lambda value: None if value is None else serialize(value)
