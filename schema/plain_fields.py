"""Plain fields resolved by plain functions.

Strawberry resolves every field through a wrapper: a field that only reads an attribute goes
through three calls; a node's ``id``, and a method without arguments, through an ``Info``, the
conversion of arguments, a chain of field extensions (and, for ``id``, ``GlobalID`` and its
serialisation), for every object of a list. Once the schema is built, those fields get a
resolver of their own that reads the same attribute or calls the same method with the same
``Info`` and returns the same value (``resolve_plain_fields``). Fields with arguments or field
extensions keep strawberry's.

graphql-core then still makes a path, a resolve info and a completion per field.
``PlainFieldsExecution`` answers a plain field of a scalar or enum type directly: it reads the
value and coerces it as graphql-core would, and hands graphql-core the object's other fields.
Anything out of the ordinary (a null where none may be, a value the type refuses, an error,
resolver middleware) goes the ordinary way, so answers and errors are the same.
"""

import base64
from collections.abc import Awaitable, Callable
from typing import Any

from graphql import (
    GraphQLEnumType,
    GraphQLField,
    GraphQLLeafType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLSchema,
    Undefined,
)
from strawberry import relay
from strawberry.resolvers import is_default_resolver
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.types.field import StrawberryField

ORDINARY = object()  # a field graphql-core resolves the ordinary way


class PlainField:
    """A resolver that reads one value from its source; ``leaf`` is the field's scalar or enum
    type (None for an object or a list) and ``non_null`` whether it may be null."""

    __slots__ = ("leaf", "non_null", "read")

    def __init__(self, read: Callable[[Any], Any], field: GraphQLField) -> None:
        self.read = read
        self.non_null = isinstance(field.type, GraphQLNonNull)
        named = field.type.of_type if isinstance(field.type, GraphQLNonNull) else field.type
        self.leaf: GraphQLLeafType | None = (
            named if isinstance(named, GraphQLScalarType | GraphQLEnumType) else None
        )

    def __call__(self, source: Any, info: Any) -> Any:
        return self.read(source)

    def answer(self, source: Any) -> Any:
        """The field's value in the response, as graphql-core would complete it, when it is a
        plain scalar or enum value; else ``ORDINARY``: let graphql-core resolve the field (a
        null, a value the type refuses or an error then read as they always are)."""
        if self.leaf is None:
            return ORDINARY
        try:
            value = self.read(source)
            if value is None:
                return ORDINARY if self.non_null else None
            coerced = self.leaf.coerce_output_value(value)
        except Exception:
            return ORDINARY
        return ORDINARY if coerced is None or coerced is Undefined else coerced


def resolve_plain_fields(schema: GraphQLSchema, info_class: type) -> None:
    """Gives attribute fields, nodes' ``id`` fields and methods without arguments their direct
    resolvers; ``info_class`` is the ``Info`` strawberry hands resolvers."""
    for object_type in schema.type_map.values():
        if not isinstance(object_type, GraphQLObjectType) or object_type.name.startswith("__"):
            continue
        origin = getattr(
            (object_type.extensions or {}).get("strawberry-definition"), "origin", None
        )
        id_attribute = _node_id_attribute(origin)
        for name, field in object_type.fields.items():
            definition = (field.extensions or {}).get("strawberry-definition")
            if not isinstance(definition, StrawberryField):
                continue
            if name == "id" and id_attribute is not None:
                field.resolve = PlainField(_global_id(object_type.name, id_attribute), field)
            elif _reads_attribute(field, definition):
                read = _attribute(definition.default_resolver, definition.python_name)
                field.resolve = PlainField(read, field)
            elif _plain_method(field, definition):
                field.resolve = _method(definition, info_class)


def _plain_method(field: GraphQLField, definition: StrawberryField) -> bool:
    """A resolver taking nothing but its object and ``Info``: no arguments, no extension, not a
    subscription (whose resolver is its source of events)."""
    return (
        definition.base_resolver is not None
        and not definition.is_subscription
        and not definition.extensions
        and not definition.arguments
        and not field.args
    )


def _method(definition: StrawberryField, info_class: type) -> Callable[..., Any]:
    """Calls the resolver as strawberry does (``get_arguments``, ``StrawberryField.get_result``):
    the object as ``self``, ``root`` or ``parent``, and an ``Info`` if it asks for one."""
    resolver = definition.base_resolver
    assert resolver is not None
    as_self = resolver.self_parameter is not None
    source_names = [
        p.name for p in (resolver.parent_parameter, resolver.root_parameter) if p is not None
    ]
    info_name = resolver.info_parameter.name if resolver.info_parameter else None

    def resolve(source: Any, info: Any) -> Any:
        kwargs = dict.fromkeys(source_names, source)
        if info_name is not None:
            kwargs[info_name] = info_class(_raw_info=info, _field=definition)
        return resolver(source, **kwargs) if as_self else resolver(**kwargs)

    return resolve


def _reads_attribute(field: GraphQLField, definition: StrawberryField) -> bool:
    """Strawberry resolves the field by reading its attribute: no resolver, no extension."""
    return (
        field.resolve is not None
        and is_default_resolver(field.resolve)
        and definition.base_resolver is None
        and not definition.extensions
    )


def _node_id_attribute(origin: Any) -> str | None:
    """The ``NodeID`` attribute of a relay node whose id is that attribute under its own type
    name, as strawberry's ``Node`` resolves it unless a type says otherwise; else None."""
    if (
        isinstance(origin, type)
        and issubclass(origin, relay.Node)
        and origin.resolve_id.__func__ is relay.Node.resolve_id.__func__  # type: ignore[attr-defined]
        and origin.resolve_typename.__func__ is relay.Node.resolve_typename.__func__  # type: ignore[attr-defined]
    ):
        return origin.resolve_id_attr()
    return None


def _global_id(type_name: str, attribute: str) -> Callable[[Any], str]:
    # As strawberry's GlobalID(type_name, str(id)) serialises: base64 of "<type>:<id>".
    def read(source: Any) -> str:
        return base64.b64encode(f"{type_name}:{getattr(source, attribute)}".encode()).decode()

    return read


def _attribute(read: Callable[[Any, str], Any], attribute: str) -> Callable[[Any], Any]:
    def read_attribute(source: Any) -> Any:
        return read(source, attribute)

    return read_attribute


class PlainFieldsExecution(StrawberryGraphQLCoreExecutionContext):
    """graphql-core's execution, with plain scalar and enum fields answered directly."""

    def execute_fields(  # type: ignore[override]
        self,
        parent_type: GraphQLObjectType,
        source_value: Any,
        path: Any,
        grouped_field_set: dict[str, Any],
        position_context: Any,
    ) -> Any:
        middleware = self.middleware_manager
        if middleware is not None and middleware._middleware_resolvers is not None:
            return super().execute_fields(
                parent_type, source_value, path, grouped_field_set, position_context
            )
        fields = parent_type.fields
        answered: dict[str, Any] = {}
        ordinary: dict[str, Any] = {}
        for response_name, field_details_list in grouped_field_set.items():
            field = fields.get(field_details_list[0].node.name.value)
            resolve = field.resolve if field is not None else None
            value = resolve.answer(source_value) if type(resolve) is PlainField else ORDINARY
            if value is ORDINARY:
                ordinary[response_name] = field_details_list
            else:
                answered[response_name] = value
        if not ordinary:
            return answered
        resolved = super().execute_fields(
            parent_type, source_value, path, ordinary, position_context
        )
        if not answered:
            return resolved
        if isinstance(resolved, dict):
            return _merged(grouped_field_set, answered, resolved)
        return _merged_later(grouped_field_set, answered, resolved)


def _merged(
    grouped_field_set: dict[str, Any], answered: dict[str, Any], resolved: dict[str, Any]
) -> dict[str, Any]:
    """Both parts of an object's answer, in the order of its selection."""
    merged = {}
    for response_name in grouped_field_set:
        if response_name in answered:
            merged[response_name] = answered[response_name]
        elif response_name in resolved:
            merged[response_name] = resolved[response_name]
    return merged


async def _merged_later(
    grouped_field_set: dict[str, Any], answered: dict[str, Any], resolved: Awaitable[Any]
) -> dict[str, Any]:
    return _merged(grouped_field_set, answered, await resolved)
