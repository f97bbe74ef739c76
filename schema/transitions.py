"""One-line transition mutations (`workSubmit`, `planApprove`, `cycleStepSkip` …): each is the
same resolver of its domain with another action. A refused change answers the object as it now
is, next to the errors, so a client can refresh what it shows; only to a viewer who may read
it, through its node type's read rule."""

from collections.abc import Awaitable, Callable
from typing import Any, Protocol, TypeVar, cast

import strawberry
from strawberry import relay
from strawberry.types.base import StrawberryOptional
from strawberry.types.lazy_type import LazyType

from schema.inputs import Input
from schema.relay import ModelNode


class _OfOneObject(Protocol):
    id: relay.GlobalID


InputT = TypeVar("InputT", bound=_OfOneObject)
ActionT = TypeVar("ActionT")
PayloadT = TypeVar("PayloadT")


def transition(
    act: Callable[[strawberry.Info, InputT, ActionT], Awaitable[PayloadT]],
    action: ActionT,
    *,
    input_type: type[InputT],
    payload_type: type[PayloadT],
    description: str,
) -> Any:
    """A mutation that takes one ``input_type`` and returns ``act(info, input, action)``."""

    async def resolve(info: strawberry.Info, input: InputT) -> PayloadT:
        return await with_current(info, await act(info, input, action), input.id)

    # Strawberry reads the argument and result types from the annotations.
    resolve.__annotations__ = {
        "info": strawberry.Info,
        "input": cast(Any, Input)[input_type],
        "return": payload_type,
    }
    return strawberry.mutation(resolver=resolve, description=description)


async def with_current(
    info: strawberry.Info, result: PayloadT, global_id: relay.GlobalID
) -> PayloadT:
    """``result`` of a change to the object ``global_id``; when it was refused, with the object
    as it now is in the payload's field of its type (left null if the viewer may not read it)."""
    if not getattr(result, "errors", None):
        return result
    for field in result.__strawberry_definition__.fields:  # type: ignore[attr-defined]
        node_type = _node_type(field.type)
        if node_type is None or getattr(result, field.python_name) is not None:
            continue
        if global_id.type_name == node_type.__strawberry_definition__.name:  # type: ignore[attr-defined]
            [current] = await node_type.resolve_nodes(info=info, node_ids=[global_id.node_id])
            setattr(result, field.python_name, current)
    return result


def _node_type(annotation: Any) -> type[ModelNode] | None:
    if isinstance(annotation, StrawberryOptional):
        annotation = annotation.of_type
    if isinstance(annotation, LazyType):
        annotation = annotation.resolve_type()
    return (
        annotation if isinstance(annotation, type) and issubclass(annotation, ModelNode) else None
    )
