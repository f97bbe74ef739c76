"""What the registry's public pages show of a unit's works: the unit's choice of public file
kinds (the pages themselves are HTTP routes in api/public/)."""

from typing import Any

import strawberry
from strawberry import relay

from models.work import WorkFileKind
from schema.errors import UserError, payload
from schema.inputs import Input, node_id
from schema.org import UnitNode
from services import public_works


@strawberry.input(description="Which kinds of files a unit's published works offer the public.")
class UnitPublicFileKindsSetInput:
    unit: relay.GlobalID = strawberry.field(description="The unit.")
    kinds: list[WorkFileKind] = strawberry.field(
        description="Any of FULL_TEXT, SLIDES and POSTER; empty offers none. The cover image and "
        "the video link always show."
    )
    version: int = strawberry.field(description="The unit's version the change is based on.")


@strawberry.type(description="Result of `unitPublicFileKindsSet`.")
class UnitPublicFileKindsSetPayload:
    unit: UnitNode | None = strawberry.field(default=None, description="The unit as saved.")
    errors: list[UserError] = strawberry.field(description="Why nothing was saved, if so.")


@strawberry.type
class PublicWorksMutations:
    @strawberry.mutation(
        description="Choose which kinds of files the public pages of the unit's published works "
        "offer (the full text alone by default). The unit's chair or secretary, administrators."
    )
    async def unit_public_file_kinds_set(
        self, info: strawberry.Info, input: Input[UnitPublicFileKindsSetInput]
    ) -> UnitPublicFileKindsSetPayload:
        async def action() -> dict[str, Any]:
            unit = await public_works.set_public_file_kinds(
                actor=info.context.actor,
                unit_id=node_id(input.unit, UnitNode, "unit"),
                kinds=input.kinds,
                version=input.version,
            )
            return {"unit": UnitNode.from_model(unit)}

        return await payload(info, UnitPublicFileKindsSetPayload, action)
