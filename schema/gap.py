"""The GAP analysis as shown: confirmed by the committee or live from the answers (step 5),
and the five-month review against it (step 12)."""

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry import relay

from models.survey import GapRound, GapSnapshot
from schema.cost import ListSize
from schema.relay import node_of
from schema.users import UserNode, user_node
from services import gap
from services.gap import GapRow, ReviewTopic

if TYPE_CHECKING:
    from schema.meetings import MeetingNode


@strawberry.type(name="GapRow", description="One knowledge topic of the GAP analysis.")
class GapRowNode:
    rank: int = strawberry.field(description="1 = highest priority.")
    topic_id: relay.GlobalID = strawberry.field(description="The knowledge topic.")
    title_th: str = strawberry.field(description="The topic's title.")
    importance: float | None = strawberry.field(description="Stakeholders' mean need, 1–5.")
    proficiency: float | None = strawberry.field(description="Staff's mean self-assessment, 1–5.")
    gap: float | None = strawberry.field(description="importance − proficiency.")
    priority: float | None = strawberry.field(description="gap × importance.")
    stakeholder_answers: int = strawberry.field(description="Ratings behind `importance`.")
    staff_answers: int = strawberry.field(description="Ratings behind `proficiency`.")

    @classmethod
    def of(cls, row: GapRow) -> "GapRowNode":
        return cls(
            rank=row.rank,
            topic_id=relay.GlobalID("KnowledgeTopic", str(row.topic_id)),
            title_th=row.title_th,
            importance=row.importance,
            proficiency=row.proficiency,
            gap=row.gap,
            priority=row.priority,
            stakeholder_answers=row.stakeholder_answers,
            staff_answers=row.staff_answers,
        )


@strawberry.type(
    name="GapAnalysis", description="The GAP analysis: confirmed, or live from the answers."
)
class GapAnalysisNode:
    rows: list[GapRowNode] = strawberry.field(
        description="Topics by rank.", directives=[ListSize(assumed_size=30)]
    )
    confirmed_at: datetime | None = strawberry.field(
        description="When the committee confirmed it; null for the live analysis."
    )
    round: GapRound | None = strawberry.field(
        default=None, description="Which analysis it is; null for the live analysis."
    )
    confirmed_by_id: strawberry.Private[int | None]
    cycle_id: strawberry.Private[int | None] = None
    meeting_id: strawberry.Private[int | None] = None

    @strawberry.field(description="Who confirmed it.")
    async def confirmed_by(self, info: strawberry.Info) -> UserNode | None:
        return await user_node(info, self.confirmed_by_id)

    @strawberry.field(description="The meeting it was confirmed at, if the committee named one.")
    async def meeting(
        self, info: strawberry.Info
    ) -> Annotated["MeetingNode", strawberry.lazy("schema.meetings")] | None:
        if self.meeting_id is None or self.cycle_id is None:
            return None
        meetings = await info.context.loaders.meetings_of_cycle.load(self.cycle_id)
        return next((node_of(m) for m in meetings if m.id == self.meeting_id), None)

    @classmethod
    def of_snapshot(cls, snapshot: GapSnapshot) -> "GapAnalysisNode":
        return cls(
            rows=[GapRowNode.of(r) for r in gap.snapshot_rows(snapshot)],
            confirmed_at=snapshot.confirmed_at,
            confirmed_by_id=snapshot.confirmed_by_id,
            round=GapRound(snapshot.round),
            cycle_id=snapshot.cycle_id,
            meeting_id=snapshot.meeting_id,
        )


@strawberry.type(
    name="GapReviewTopic",
    description="One knowledge topic at the start of the year and at the five-month review.",
)
class GapReviewTopicNode:
    topic_id: relay.GlobalID = strawberry.field(description="The knowledge topic.")
    title_th: str = strawberry.field(description="The topic's title.")
    rank_before: int | None = strawberry.field(
        description="Its rank in the start-of-year analysis; null if it was not in it."
    )
    rank_after: int | None = strawberry.field(
        description="Its rank in the five-month analysis; null if it is not in it."
    )
    priority_before: float | None = strawberry.field(
        description="Its priority (gap × importance) in the start-of-year analysis."
    )
    priority_after: float | None = strawberry.field(
        description="Its priority (gap × importance) in the five-month analysis."
    )
    moved: bool = strawberry.field(
        description="Whether its rank differs between the two (or it is in only one)."
    )

    @classmethod
    def of(cls, topic: ReviewTopic) -> "GapReviewTopicNode":
        return cls(
            topic_id=relay.GlobalID("KnowledgeTopic", str(topic.topic_id)),
            title_th=topic.title_th,
            rank_before=topic.rank_before,
            rank_after=topic.rank_after,
            priority_before=topic.priority_before,
            priority_after=topic.priority_after,
            moved=topic.moved,
        )


@strawberry.type(
    name="GapReview",
    description="The five-month review (step 12): the latest five-month GAP analysis against "
    "the latest start-of-year one.",
)
class GapReviewNode:
    topics: list[GapReviewTopicNode] = strawberry.field(
        description="Topics in their five-month rank order, then those only in the "
        "start-of-year analysis.",
        directives=[ListSize(assumed_size=30)],
    )
