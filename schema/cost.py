"""Query cost limit: an upper bound on the objects an operation can return, checked after
validation and before execution, with the request's actual variables.

Each object in the response costs 1; scalars and enums are free. A list counts as many objects as
it can hold: the items of a connection (``edges``, ``nodes``) as many as the page asked for
(``first``/``last``, capped at ``MAX_PAGE_SIZE``, else ``DEFAULT_PAGE_SIZE``), ``nodes(ids:)`` as
many as the ids, any other list its ``@listSize(assumedSize:)``, else ``UNKNOWN_LIST_LENGTH``.

Introspection (``__schema``, ``__type`` and everything below them) is counted exactly instead:
its answer is the schema itself, so the walk resolves it with graphql-core's own introspection
resolvers and counts the objects of the response. GraphiQL's and code generators' introspection
then passes, while nested introspection costs what it returns. Counting stops as soon as it is
over the limit, so a huge introspection query is cheap to refuse. (graphql-core's validation
already refuses introspection nested more than three lists deep; the count does not rely on it.)
"""

from collections.abc import Iterator, Mapping
from functools import lru_cache
from types import SimpleNamespace
from typing import Any, NamedTuple, cast

import strawberry
from graphql import (
    DocumentNode,
    ExecutionResult,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLCompositeType,
    GraphQLError,
    GraphQLField,
    GraphQLObjectType,
    GraphQLResolveInfo,
    GraphQLSchema,
    InlineFragmentNode,
    NamedTypeNode,
    SchemaMetaFieldDef,
    SelectionSetNode,
    TypeMetaFieldDef,
    get_argument_values,
    get_named_type,
    get_nullable_type,
    get_operation_ast,
    get_variable_values,
    is_composite_type,
    is_list_type,
    value_from_ast_untyped,
)
from graphql.execution.values import VariableValues
from strawberry.extensions import SchemaExtension
from strawberry.schema_directive import Location

from schema.relay import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE

# What a list without a page size or ids may hold.
UNKNOWN_LIST_LENGTH = 100


@strawberry.schema_directive(
    locations=[Location.FIELD_DEFINITION],
    description="How many items a list field is assumed to hold when costing a query.",
)
class ListSize:
    assumed_size: int = strawberry.field(
        description="The assumed (realistic largest) number of items."
    )


class CostOverLimit(Exception):
    """Counting stopped as soon as it went over the limit: the cost is at least ``counted``."""

    def __init__(self, counted: int) -> None:
        super().__init__(counted)
        self.counted = counted


class QueryCostLimiter(SchemaExtension):
    """Refuses, as a request error, an operation whose cost is over ``max_cost``."""

    def __init__(self, *, max_cost: int) -> None:
        self.max_cost = max_cost

    def on_execute(self) -> Iterator[None]:
        # Runs only for documents that parsed and validated, so every field has a definition.
        context = self.execution_context
        assert context.graphql_document is not None
        error = self._refusal(
            context.schema._schema,
            context.graphql_document,
            context.operation_name,
            context.variables or {},
        )
        if error is not None:
            # A result set before execution replaces it: nothing is resolved.
            context.result = ExecutionResult(data=None, errors=[error])
        yield

    def _refusal(
        self,
        schema: GraphQLSchema,
        document: DocumentNode,
        operation_name: str | None,
        variables: Mapping[str, Any],
    ) -> GraphQLError | None:
        try:
            cost = operation_cost(schema, document, operation_name, variables, self.max_cost)
        except CostOverLimit as over:
            return self._too_costly(f"of at least {over.counted}", over.counted)
        return self._too_costly(str(cost), cost) if cost > self.max_cost else None

    def _too_costly(self, cost_text: str, cost: int) -> GraphQLError:
        return GraphQLError(
            f"Query cost {cost_text} exceeds the limit of {self.max_cost}",
            extensions={"code": "QUERY_TOO_COSTLY", "cost": cost, "maxCost": self.max_cost},
        )


def operation_cost(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation_name: str | None,
    variables: Mapping[str, Any],
    limit: int | None = None,
) -> int:
    """The cost of the operation that will be executed; 0 when none will be. With a ``limit``,
    raises CostOverLimit as soon as introspection alone is counted over it."""
    operation = get_operation_ast(document, operation_name)
    if operation is None:
        return 0
    root_type = schema.get_root_type(operation.operation)
    if root_type is None:
        return 0
    # Coerced as execution will coerce them, so that arguments are what resolvers will get.
    coerced = get_variable_values(schema, operation.variable_definitions or (), dict(variables))
    if isinstance(coerced, list):
        return 0  # execution refuses these variables before resolving anything
    walk = _CostWalk(schema, document, coerced, limit)
    return walk.selection_set(operation.selection_set, root_type, page_size=None)


def _assumed_size(field: GraphQLField) -> int:
    """A plain list's length: its ``@listSize``, else ``UNKNOWN_LIST_LENGTH``."""
    definition = (field.extensions or {}).get("strawberry-definition")
    for directive in getattr(definition, "directives", ()):
        if isinstance(directive, ListSize):
            return directive.assumed_size
    return UNKNOWN_LIST_LENGTH


def _is_connection(field: GraphQLField, named_type: GraphQLCompositeType) -> bool:
    return (
        isinstance(named_type, GraphQLObjectType)
        and named_type.name.endswith("Connection")
        and ("first" in field.args or "last" in field.args)
    )


class _Selected(NamedTuple):
    """A field selecting objects in an introspection selection, ready to resolve."""

    selection_set: SelectionSetNode
    field: GraphQLField
    object_type: GraphQLObjectType
    arguments: dict[str, Any] | None  # None: invalid, execution fails the field
    key: tuple[str, tuple[tuple[str, Any], ...]]  # name and arguments, what it resolves by


class _Introspection:
    """Introspection of one schema, resolved by graphql-core's own resolvers. Below ``__schema``
    and ``__type``, what a field resolves to (a type's fields, its interfaces, a wrapped type)
    depends only on the schema, so it is resolved once per schema and kept."""

    def __init__(self, schema: GraphQLSchema) -> None:
        # Introspection resolvers read nothing from their info but the schema.
        self.info = cast(GraphQLResolveInfo, SimpleNamespace(schema=schema))
        # Keyed by the source's id; each entry keeps its source, so that id is not reused.
        self.kept: dict[tuple[int, tuple[Any, ...]], tuple[Any, tuple[Any, ...]]] = {}

    def resolve(
        self, source: Any, field: GraphQLField, arguments: dict[str, Any] | None
    ) -> tuple[Any, ...]:
        """The objects ``field`` resolves to on ``source``: none, one, or a list's items."""
        if arguments is None:
            return ()
        assert field.resolve is not None  # graphql-core resolves all introspection fields
        result = field.resolve(source, self.info, **arguments)
        if result is None:
            return ()
        if is_list_type(get_nullable_type(field.type)):
            return tuple(item for item in result if item is not None)
        return (result,)

    def resolve_kept(self, source: Any, selected: _Selected) -> tuple[Any, ...]:
        if selected.arguments is None:
            return ()
        key = (id(source), selected.key)
        if key not in self.kept:
            self.kept[key] = (source, self.resolve(source, selected.field, selected.arguments))
        return self.kept[key][1]


@lru_cache(maxsize=4)  # one schema in production, a few at a time in tests
def _introspection(schema: GraphQLSchema) -> _Introspection:
    return _Introspection(schema)


class _CostWalk:
    """One walk of an operation. ``page_size`` is the page of the connection whose selection is
    being walked (None elsewhere): the length of that connection's item lists.

    Each fragment is costed once per page size and reused, so fragments spread within fragments
    cannot make the walk exponential; likewise each introspection selection once per object."""

    def __init__(
        self,
        schema: GraphQLSchema,
        document: DocumentNode,
        variables: VariableValues,
        limit: int | None,
    ) -> None:
        self.schema = schema
        self.variables = variables
        self.fragments = {
            definition.name.value: definition
            for definition in document.definitions
            if isinstance(definition, FragmentDefinitionNode)
        }
        self.fragment_costs: dict[tuple[str, int | None], int] = {}
        self.limit = limit
        self.introspection = _introspection(schema)
        self.introspected = 0  # introspection objects counted so far, over the whole walk
        # Keyed by ids of selection sets and of introspection objects, which outlive the walk.
        self.introspection_costs: dict[tuple[int, int], int] = {}
        self.selected: dict[int, list[_Selected]] = {}

    def selection_set(
        self,
        selection_set: SelectionSetNode,
        parent_type: GraphQLCompositeType,
        page_size: int | None,
    ) -> int:
        # A plain loop, not a generator: fewer stack frames for deeply nested documents.
        cost = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                cost += self._field(selection, parent_type, page_size)
            elif isinstance(selection, InlineFragmentNode):
                fragment_type = self._condition_type(selection.type_condition, parent_type)
                cost += self.selection_set(selection.selection_set, fragment_type, page_size)
            else:
                spread = cast(FragmentSpreadNode, selection)
                cost += self._fragment_spread(spread.name.value, parent_type, page_size)
        return cost

    def _fragment_spread(
        self, name: str, parent_type: GraphQLCompositeType, page_size: int | None
    ) -> int:
        key = (name, page_size)
        if key not in self.fragment_costs:
            # Seeded so that a fragment spread within itself (invalid anyway) cannot loop.
            self.fragment_costs[key] = 0
            fragment = self.fragments[name]
            fragment_type = self._condition_type(fragment.type_condition, parent_type)
            self.fragment_costs[key] = self.selection_set(
                fragment.selection_set, fragment_type, page_size
            )
        return self.fragment_costs[key]

    def _condition_type(
        self, condition: NamedTypeNode | None, parent_type: GraphQLCompositeType
    ) -> GraphQLCompositeType:
        """The type a fragment's fields belong to: its type condition, else the enclosing type."""
        condition_type = condition and self.schema.get_type(condition.name.value)
        return condition_type if is_composite_type(condition_type) else parent_type

    def _field(
        self, node: FieldNode, parent_type: GraphQLCompositeType, page_size: int | None
    ) -> int:
        field = self.schema.get_field(parent_type, node.name.value)
        named_type = field and get_named_type(field.type)
        if field is None or node.selection_set is None or not is_composite_type(named_type):
            return 0  # scalars and enums are free
        if field is SchemaMetaFieldDef or field is TypeMetaFieldDef:
            arguments = self._arguments(field, node)
            objects = self.introspection.resolve(None, field, arguments)
            return self._introspected(
                objects, node.selection_set, cast(GraphQLObjectType, named_type)
            )
        if _is_connection(field, named_type):
            return 1 + self.selection_set(node.selection_set, named_type, self._page_size(node))
        length = 1
        if is_list_type(get_nullable_type(field.type)):
            length = self._list_length(node, field, page_size)
        if length == 0:
            # Not walked, so that all the walk counts is in the cost, as stopping early needs.
            return 0
        return length * (1 + self.selection_set(node.selection_set, named_type, page_size=None))

    def _page_size(self, node: FieldNode) -> int:
        # As paginate() does: `first` and `last` can only shorten the page; neither, the default.
        requested = [
            size
            for size in (self._argument(node, "first"), self._argument(node, "last"))
            if isinstance(size, int)
        ]
        return max(0, min([MAX_PAGE_SIZE, *requested])) if requested else DEFAULT_PAGE_SIZE

    def _list_length(self, node: FieldNode, field: GraphQLField, page_size: int | None) -> int:
        if page_size is not None:
            return page_size
        ids = self._argument(node, "ids")
        if isinstance(ids, list):
            return len(ids)
        return _assumed_size(field)

    def _argument(self, node: FieldNode, name: str) -> Any:
        for argument in node.arguments or ():
            if argument.name.value == name:
                return value_from_ast_untyped(argument.value, self.variables.coerced)
        return None

    def _arguments(self, field: GraphQLField, node: FieldNode) -> dict[str, Any] | None:
        """The arguments the resolver will get, defaults included; None if they are invalid
        (say an explicit null variable for a non-null argument): execution fails the field."""
        try:
            return get_argument_values(field, node, self.variables)
        except GraphQLError:
            return None

    # Introspection: counted object by object, resolved from the schema.

    def _introspected(
        self,
        objects: tuple[Any, ...],
        selection_set: SelectionSetNode,
        object_type: GraphQLObjectType,
    ) -> int:
        """The cost of the objects a field resolved to, each with the field's selection."""
        cost = 0
        for source in objects:
            self._count(1)
            cost += 1 + self._introspected_selection(source, selection_set, object_type)
        return cost

    def _introspected_selection(
        self, source: Any, selection_set: SelectionSetNode, object_type: GraphQLObjectType
    ) -> int:
        key = (id(selection_set), id(source))
        if key in self.introspection_costs:
            # The same objects again: the response repeats them.
            self._count(self.introspection_costs[key])
            return self.introspection_costs[key]
        cost = 0
        for selected in self._selected(selection_set, object_type):
            objects = self.introspection.resolve_kept(source, selected)
            cost += self._introspected(objects, selected.selection_set, selected.object_type)
        self.introspection_costs[key] = cost
        return cost

    def _count(self, objects: int) -> None:
        # Everything counted is part of the cost: once the count is over the limit, so is it.
        self.introspected += objects
        if self.limit is not None and self.introspected > self.limit:
            raise CostOverLimit(self.introspected)

    def _selected(
        self, selection_set: SelectionSetNode, object_type: GraphQLObjectType
    ) -> list[_Selected]:
        """The fields of an introspection selection that select objects; scalars are free."""
        if id(selection_set) not in self.selected:
            selected = []
            for node in self._fields(selection_set):
                field = self.schema.get_field(object_type, node.name.value)
                if field is not None and node.selection_set is not None:
                    arguments = self._arguments(field, node)
                    key = (node.name.value, tuple(sorted((arguments or {}).items())))
                    named_type = cast(GraphQLObjectType, get_named_type(field.type))
                    selected.append(
                        _Selected(node.selection_set, field, named_type, arguments, key)
                    )
            self.selected[id(selection_set)] = selected
        return self.selected[id(selection_set)]

    def _fields(self, selection_set: SelectionSetNode) -> list[FieldNode]:
        """The fields of a selection, fragments included: introspection types are object types,
        so every fragment in there applies."""
        fields = []
        spread: set[str] = set()  # spread again, a fragment adds nothing to the response
        pending = [selection_set]
        while pending:
            for selection in pending.pop().selections:
                if isinstance(selection, FieldNode):
                    fields.append(selection)
                elif isinstance(selection, InlineFragmentNode):
                    pending.append(selection.selection_set)
                else:
                    name = cast(FragmentSpreadNode, selection).name.value
                    if name not in spread:
                        spread.add(name)
                        pending.append(self.fragments[name].selection_set)
        return fields
