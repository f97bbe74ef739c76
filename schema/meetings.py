"""Committee meetings."""

from datetime import date
from typing import Any

import strawberry
from strawberry import relay

from models.meeting import Meeting, MeetingKind
from schema.cost import ListSize
from schema.cycles.types import CycleNode, CycleStepNode
from schema.dates import Style, thai
from schema.documents import DocumentNode, document_nodes
from schema.errors import UserError, payload
from schema.inputs import Input, input_dict, node_id
from schema.org import PersonNode, person_nodes
from schema.relay import ModelNode, read_rule
from services import meetings
from services.errors import validated
from services.fiscal import ThaiDateStyle


@strawberry.type(name="Meeting", description="A committee meeting (การประชุม).")
class MeetingNode(ModelNode):
    model = Meeting

    visible = read_rule(meetings.visible_meetings)

    id: relay.NodeID[int]
    kind: MeetingKind = strawberry.field(description="What kind of meeting.")
    held_on: date = strawberry.field(description="The date it was held.")
    title_th: str = strawberry.field(description="Title in Thai.")
    agenda: list[str] = strawberry.field(description="Agenda items (วาระ), in order.")
    decisions: list[str] = strawberry.field(description="Decisions (มติ), in order.")
    version: int = strawberry.field(description="Bumps on every change.")
    cycle_id: strawberry.Private[int]
    step_id: strawberry.Private[int | None]

    @classmethod
    def from_model(cls, obj: Meeting) -> "MeetingNode":
        return cls(
            id=obj.id,
            kind=obj.kind,
            held_on=obj.held_on,
            title_th=obj.title_th,
            agenda=list(obj.agenda),
            decisions=list(obj.decisions),
            version=obj.version,
            cycle_id=obj.cycle_id,
            step_id=obj.step_id,
        )

    @strawberry.field(description="The date in Thai.")
    def held_on_th(self, style: Style = ThaiDateStyle.LONG) -> str:
        return thai(self.held_on, style) or ""

    @strawberry.field(description="People who attended.", directives=[ListSize(assumed_size=30)])
    async def attendees(self, info: strawberry.Info) -> list[PersonNode]:
        return await person_nodes(
            info, await info.context.loaders.attendees_of_meeting.load(self.id)
        )

    @strawberry.field(
        description="Minutes and other files.", directives=[ListSize(assumed_size=10)]
    )
    async def documents(self, info: strawberry.Info) -> list[DocumentNode]:
        return document_nodes(await info.context.loaders.documents_of_meeting.load(self.id))

    @strawberry.field(description="The cycle step the meeting serves, if any.")
    async def step(self, info: strawberry.Info) -> CycleStepNode | None:
        if self.step_id is None:
            return None
        steps = await info.context.loaders.steps_of_cycle.load(self.cycle_id)
        return next((CycleStepNode.from_model(s) for s in steps if s.id == self.step_id), None)


@strawberry.input(description="A meeting held; it may complete the step it serves.")
class MeetingCreateInput:
    cycle: relay.GlobalID = strawberry.field(description="The cycle.")
    kind: MeetingKind = strawberry.field(description="What kind of meeting.")
    held_on: date = strawberry.field(description="Date held, inside the fiscal year.")
    title_th: str = strawberry.field(description="Title in Thai.")
    agenda: list[str] = strawberry.field(default_factory=list, description="Agenda items.")
    decisions: list[str] = strawberry.field(default_factory=list, description="Decisions.")
    attendees: list[relay.GlobalID] = strawberry.field(
        default_factory=list, description="People who attended."
    )
    step: relay.GlobalID | None = strawberry.field(
        default=None, description="The cycle step it serves (e.g. step 2 or 12)."
    )
    completes_step: bool = strawberry.field(
        default=False, description="Also complete that step, under the step's own rules."
    )
    override_missing_documents: bool = strawberry.field(
        default=False, description="Complete the step without its documents (needs a reason)."
    )
    reason: str | None = strawberry.field(default=None, description="Why, for the override.")


@strawberry.type(description="Result of `meetingCreate`.")
class MeetingCreatePayload:
    meeting: MeetingNode | None = strawberry.field(default=None, description="The meeting.")
    errors: list[UserError] = strawberry.field(description="Why nothing was saved, if so.")


@strawberry.type
class MeetingMutations:
    @strawberry.mutation(description="Record a meeting (unit chair or secretary).")
    async def meeting_create(
        self, info: strawberry.Info, input: Input[MeetingCreateInput]
    ) -> MeetingCreatePayload:
        async def run() -> dict[str, Any]:
            data = input_dict(input, exclude={"cycle", "attendees", "step"})
            data["cycle_id"] = node_id(input.cycle, CycleNode, "cycle")
            data["step_id"] = node_id(input.step, CycleStepNode, "step") if input.step else None
            data["attendee_ids"] = [
                node_id(a, PersonNode, ("attendees", str(i))) for i, a in enumerate(input.attendees)
            ]
            meeting = await meetings.create_meeting(
                actor=info.context.actor, data=validated(meetings.NewMeeting, data)
            )
            return {"meeting": MeetingNode.from_model(meeting)}

        return await payload(info, MeetingCreatePayload, run)
