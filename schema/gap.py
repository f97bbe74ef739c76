"""The GAP analysis as shown: confirmed by the committee or live from the answers (step 5)."""

from datetime import datetime

import strawberry
from strawberry import relay

from models.survey import GapSnapshot
from schema.cost import ListSize
from schema.users import UserNode, user_node
from services import gap
from services.gap import GapRow


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
    confirmed_by_id: strawberry.Private[int | None]

    @strawberry.field(description="Who confirmed it.")
    async def confirmed_by(self, info: strawberry.Info) -> UserNode | None:
        return await user_node(info, self.confirmed_by_id)

    @classmethod
    def of_snapshot(cls, snapshot: GapSnapshot) -> "GapAnalysisNode":
        return cls(
            rows=[GapRowNode.of(r) for r in gap.snapshot_rows(snapshot)],
            confirmed_at=snapshot.confirmed_at,
            confirmed_by_id=snapshot.confirmed_by_id,
        )
