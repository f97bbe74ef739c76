"""Turning GraphQL inputs into plain data for services."""

import dataclasses
from typing import Annotated, Any, TypeVar

import strawberry
from strawberry import relay

from services.errors import DomainError, ErrorCode, parse_id

T = TypeVar("T")
# A mutation's single argument: `input: Input[XInput]`.
Input = Annotated[T, strawberry.argument(description="The mutation's input.")]


def input_dict(value: Any, *, exclude: set[str] = frozenset()) -> dict[str, Any]:  # type: ignore[assignment]
    """An input object's fields as a dict keyed by Python name, without ``exclude``."""
    return {
        f.name: getattr(value, f.name) for f in dataclasses.fields(value) if f.name not in exclude
    }


def node_id(
    global_id: relay.GlobalID, node_type: type | str, field: str | tuple[str, ...] = "id"
) -> int:
    """The database id inside a global id, which must name ``node_type`` (the class, or its
    GraphQL name where the class lives in a module that imports this caller's); ``field`` is
    the input path reported when it does not."""
    expected = (
        node_type if isinstance(node_type, str) else node_type.__strawberry_definition__.name  # type: ignore[attr-defined]
    )
    pk = parse_id(global_id.node_id)
    if global_id.type_name != expected or pk is None:
        raise DomainError.of(
            ErrorCode.INVALID_INPUT,
            "invalid_input",
            field=field if isinstance(field, tuple) else (field,),
            detail=f"not the id of a {expected}",
        )
    return pk
