"""A survey's questions as shown, below both the survey and its summary."""

import strawberry

from models.survey import QuestionKind, SurveyQuestion
from schema.cost import ListSize

QuestionKindEnum = strawberry.enum(
    QuestionKind, name="QuestionKind", description="How it is answered."
)


@strawberry.type(name="SurveyChoice", description="A choice of a choice question.")
class ChoiceNode:
    value: str = strawberry.field(description="What is stored when chosen.")
    label_th: str = strawberry.field(description="Label in Thai.")
    label_en: str | None = strawberry.field(description="Label in English.")


@strawberry.type(name="SurveyQuestion", description="A question of a survey.")
class QuestionNode:
    id: strawberry.ID = strawberry.field(description="Question id, for answers.")
    position: int = strawberry.field(description="Order in the survey, from 1.")
    kind: QuestionKindEnum = strawberry.field(description="How it is answered.")  # type: ignore[valid-type]
    text_th: str = strawberry.field(description="The question in Thai.")
    text_en: str | None = strawberry.field(description="The question in English.")
    required: bool = strawberry.field(description="Needed to submit.")
    scale_min: int | None = strawberry.field(description="Lowest rating.")
    scale_max: int | None = strawberry.field(description="Highest rating.")
    scale_labels: list[str] = strawberry.field(description="A label per point, lowest first.")
    choices: list[ChoiceNode] = strawberry.field(
        description="Choices of a choice question.", directives=[ListSize(assumed_size=10)]
    )
    topic_id: strawberry.Private[int | None]

    @classmethod
    def from_model(cls, q: SurveyQuestion) -> "QuestionNode":
        return cls(
            id=strawberry.ID(str(q.id)),
            position=q.position,
            kind=q.kind,
            text_th=q.text_th,
            text_en=q.text_en,
            required=q.required,
            scale_min=q.scale_min,
            scale_max=q.scale_max,
            scale_labels=list(q.scale_labels),
            choices=[ChoiceNode(**{"label_en": None, **c}) for c in q.choices],
            topic_id=q.topic_id,
        )

    @strawberry.field(description="Title of the knowledge topic a rating measures.")
    async def topic_title_th(self, info: strawberry.Info) -> str | None:
        if self.topic_id is None:
            return None
        topic = await info.context.loaders.knowledge_topic.load(self.topic_id)
        return topic.title_th if topic else None
