"""Knowledge topics, the GAP analysis and PIRAB measures (SOP steps 5 and 6)."""

from datetime import date
from typing import Any

import strawberry
from strawberry import relay

from models.survey import GapRound, KnowledgeTopic, KnowledgeTopicStatus, Measure, PirabLever
from schema.cost import ListSize
from schema.cycles.types import CycleNode
from schema.errors import UserError, payload
from schema.gap import GapAnalysisNode
from schema.inputs import Input, node_id
from schema.org import PersonNode
from schema.relay import ModelNode, read_rule
from services import gap, knowledge
from services.errors import validated


@strawberry.type(name="TopicAssignment", description="A topic given to a person by a date.")
class TopicAssignmentNode:
    target_date: date = strawberry.field(description="When the knowledge should be built.")
    person_id: strawberry.Private[int]

    @strawberry.field(description="Who builds it.")
    async def person(self, info: strawberry.Info) -> PersonNode:
        return PersonNode.from_model(await info.context.loaders.person.load(self.person_id))


@strawberry.type(name="KnowledgeTopic", description="An area of knowledge (ประเด็นความรู้).")
class KnowledgeTopicNode(ModelNode):
    model = KnowledgeTopic

    visible = read_rule(knowledge.visible_topics)

    id: relay.NodeID[int]
    title_th: str = strawberry.field(description="Title in Thai.")
    title_en: str | None = strawberry.field(description="Title in English.")
    status: KnowledgeTopicStatus = strawberry.field(description="Candidate or selected.")
    version: int = strawberry.field(description="Bumps on every change.")

    @classmethod
    def from_model(cls, t: KnowledgeTopic) -> "KnowledgeTopicNode":
        return cls(
            id=t.id, title_th=t.title_th, title_en=t.title_en, status=t.status, version=t.version
        )

    @strawberry.field(
        description="People it is assigned to.", directives=[ListSize(assumed_size=10)]
    )
    async def assignments(self, info: strawberry.Info) -> list[TopicAssignmentNode]:
        rows = await info.context.loaders.assignments_of_topic.load(self.id)
        return [TopicAssignmentNode(target_date=a.target_date, person_id=a.person_id) for a in rows]


@strawberry.type(name="PirabLever", description="A lever of the PIRAB strategy.")
class PirabLeverNode:
    code: str = strawberry.field(description="P, I, R, A or B.")
    label_th: str = strawberry.field(description="Label in Thai.")
    label_en: str = strawberry.field(description="Label in English.")

    @classmethod
    def from_model(cls, lever: PirabLever) -> "PirabLeverNode":
        return cls(code=lever.code, label_th=lever.label_th, label_en=lever.label_en)


@strawberry.type(name="Measure", description="A measure (มาตรการ) with its PIRAB levers.")
class MeasureNode(ModelNode):
    model = Measure

    visible = read_rule(knowledge.visible_measures)

    id: relay.NodeID[int]
    title_th: str = strawberry.field(description="Title in Thai.")
    title_en: str | None = strawberry.field(description="Title in English.")
    description_th: str = strawberry.field(description="What it is, in Thai.")
    lever_codes: list[str] = strawberry.field(description="PIRAB lever codes, in PIRAB order.")
    version: int = strawberry.field(description="Bumps on every change.")

    @classmethod
    def from_model(cls, m: Measure) -> "MeasureNode":
        return cls(
            id=m.id,
            title_th=m.title_th,
            title_en=m.title_en,
            description_th=m.description_th,
            lever_codes=list(m.levers),
            version=m.version,
        )

    @strawberry.field(
        description="The knowledge topics it addresses.", directives=[ListSize(assumed_size=10)]
    )
    async def topics(self, info: strawberry.Info) -> list[KnowledgeTopicNode]:
        rows = await info.context.loaders.topics_of_measure.load(self.id)
        return [KnowledgeTopicNode.from_model(t) for t in rows]


@strawberry.type
class KnowledgeQueries:
    @strawberry.field(description="The PIRAB levers.", directives=[ListSize(assumed_size=5)])
    async def pirab_levers(self) -> list[PirabLeverNode]:
        return [PirabLeverNode.from_model(lever) for lever in await knowledge.levers()]


@strawberry.input(description="A cycle to act on.")
class CycleActionInput:
    cycle: relay.GlobalID = strawberry.field(description="The cycle.")


@strawberry.input(description="The GAP analysis to confirm.")
class GapAnalysisConfirmInput:
    cycle: relay.GlobalID = strawberry.field(description="The cycle.")
    round: GapRound = strawberry.field(
        default=GapRound.START_OF_YEAR,
        description="START_OF_YEAR completes step 5; FIVE_MONTH_REVIEW is the step 12 review "
        "and leaves step 5 as it is.",
    )
    meeting: relay.GlobalID | None = strawberry.field(
        default=None, description="The meeting of the cycle it was confirmed at, if any."
    )


@strawberry.type(description="Result of `gapAnalysisConfirm`.")
class GapAnalysisConfirmPayload:
    gap_analysis: GapAnalysisNode | None = strawberry.field(default=None, description="As stored.")
    errors: list[UserError] = strawberry.field(description="Why nothing was stored, if so.")


@strawberry.input(description="A knowledge topic added by hand.")
class KnowledgeTopicCreateInput:
    cycle: relay.GlobalID = strawberry.field(description="The cycle.")
    title_th: str = strawberry.field(description="Title in Thai.")
    title_en: str | None = strawberry.field(default=None, description="Title in English.")


@strawberry.input(description="A person and a target date.")
class AssignmentInput:
    person: relay.GlobalID = strawberry.field(description="A person of the unit.")
    target_date: date = strawberry.field(description="Inside the fiscal year.")


@strawberry.input(description="Select a topic by assigning it; no assignments deselects it.")
class KnowledgeTopicAssignInput:
    topic: relay.GlobalID = strawberry.field(description="The topic.")
    assignments: list[AssignmentInput] = strawberry.field(description="The complete list.")
    reason: str | None = strawberry.field(default=None, description="Why; kept in the audit.")


@strawberry.type(description="Result of a knowledge topic mutation.")
class KnowledgeTopicPayload:
    topic: KnowledgeTopicNode | None = strawberry.field(default=None, description="As saved.")
    errors: list[UserError] = strawberry.field(description="Why nothing changed, if so.")


@strawberry.input(description="A new measure.")
class MeasureCreateInput:
    cycle: relay.GlobalID = strawberry.field(description="The cycle.")
    title_th: str = strawberry.field(description="Title in Thai.")
    title_en: str | None = strawberry.field(default=None, description="Title in English.")
    description_th: str = strawberry.field(default="", description="What it is.")
    levers: list[str] = strawberry.field(description="PIRAB lever codes, one or more.")
    topics: list[relay.GlobalID] = strawberry.field(
        default_factory=list, description="Selected knowledge topics it addresses."
    )


@strawberry.type(description="Result of `measureCreate`.")
class MeasurePayload:
    measure: MeasureNode | None = strawberry.field(default=None, description="The measure.")
    errors: list[UserError] = strawberry.field(description="Why nothing was saved, if so.")


@strawberry.type(description="Result of `measuresConfirm`.")
class MeasuresConfirmPayload:
    cycle: CycleNode | None = strawberry.field(default=None, description="The cycle.")
    errors: list[UserError] = strawberry.field(description="What is still missing, if so.")


@strawberry.type
class KnowledgeMutations:
    @strawberry.mutation(
        description="Store the GAP analysis as confirmed for a round; the START_OF_YEAR round "
        "completes step 5."
    )
    async def gap_analysis_confirm(
        self, info: strawberry.Info, input: Input[GapAnalysisConfirmInput]
    ) -> GapAnalysisConfirmPayload:
        async def run() -> dict[str, Any]:
            snapshot = await gap.confirm(
                actor=info.context.actor,
                cycle_id=node_id(input.cycle, CycleNode, "cycle"),
                round=input.round,
                meeting_id=(
                    None if input.meeting is None else node_id(input.meeting, "Meeting", "meeting")
                ),
            )
            return {"gap_analysis": GapAnalysisNode.of_snapshot(snapshot)}

        return await payload(info, GapAnalysisConfirmPayload, run)

    @strawberry.mutation(description="Add a knowledge topic by hand (unit lead).")
    async def knowledge_topic_create(
        self, info: strawberry.Info, input: Input[KnowledgeTopicCreateInput]
    ) -> KnowledgeTopicPayload:
        async def run() -> dict[str, Any]:
            topic = await knowledge.create_topic(
                actor=info.context.actor,
                cycle_id=node_id(input.cycle, CycleNode, "cycle"),
                title_th=input.title_th,
                title_en=input.title_en,
            )
            return {"topic": KnowledgeTopicNode.from_model(topic)}

        return await payload(info, KnowledgeTopicPayload, run)

    @strawberry.mutation(description="Assign a topic to people with target dates (unit lead).")
    async def knowledge_topic_assign(
        self, info: strawberry.Info, input: Input[KnowledgeTopicAssignInput]
    ) -> KnowledgeTopicPayload:
        async def run() -> dict[str, Any]:
            assignments = [
                validated(
                    knowledge.Assignment,
                    {
                        "person_id": node_id(
                            a.person, PersonNode, ("assignments", str(i), "person")
                        ),
                        "target_date": a.target_date,
                    },
                )
                for i, a in enumerate(input.assignments)
            ]
            topic = await knowledge.assign_topic(
                actor=info.context.actor,
                topic_id=node_id(input.topic, KnowledgeTopicNode, "topic"),
                assignments=assignments,
                reason=input.reason,
            )
            return {"topic": KnowledgeTopicNode.from_model(topic)}

        return await payload(info, KnowledgeTopicPayload, run)

    @strawberry.mutation(description="Create a measure with its PIRAB levers (unit lead).")
    async def measure_create(
        self, info: strawberry.Info, input: Input[MeasureCreateInput]
    ) -> MeasurePayload:
        async def run() -> dict[str, Any]:
            data = validated(
                knowledge.MeasureData,
                {
                    "cycle_id": node_id(input.cycle, CycleNode, "cycle"),
                    "title_th": input.title_th,
                    "title_en": input.title_en,
                    "description_th": input.description_th,
                    "levers": input.levers,
                    "topic_ids": [
                        node_id(t, KnowledgeTopicNode, ("topics", str(i)))
                        for i, t in enumerate(input.topics)
                    ],
                },
            )
            measure = await knowledge.create_measure(actor=info.context.actor, data=data)
            return {"measure": MeasureNode.from_model(measure)}

        return await payload(info, MeasurePayload, run)

    @strawberry.mutation(description="Confirm the year's topics and measures; completes step 6.")
    async def measures_confirm(
        self, info: strawberry.Info, input: Input[CycleActionInput]
    ) -> MeasuresConfirmPayload:
        async def run() -> dict[str, Any]:
            cycle = await knowledge.confirm(
                actor=info.context.actor, cycle_id=node_id(input.cycle, CycleNode, "cycle")
            )
            return {"cycle": CycleNode.from_model(cycle)}

        return await payload(info, MeasuresConfirmPayload, run)
