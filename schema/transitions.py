"""One-line transition mutations (`workSubmit`, `planApprove`, `cycleStepSkip` …): each is the
same resolver of its domain with another action."""

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar, cast

import strawberry

from schema.inputs import Input

InputT = TypeVar("InputT")
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
        return await act(info, input, action)

    # Strawberry reads the argument and result types from the annotations.
    resolve.__annotations__ = {
        "info": strawberry.Info,
        "input": cast(Any, Input)[input_type],
        "return": payload_type,
    }
    return strawberry.mutation(resolver=resolve, description=description)
