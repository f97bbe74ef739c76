"""An edition's set-up in GraphQL: categories, rubric criteria and application form versions."""

from datetime import datetime

import strawberry
from strawberry import relay

from models.contest import Contest, ContestCategory, ContestForm, RubricCriterion
from schema.contests.enums import FormFieldKind
from schema.cost import ListSize
from schema.relay import ModelNode, read_rule
from services.contests import access


@strawberry.type(description="A level of award (ระดับรางวัล), e.g. GOLD.")
class AwardLevel:
    code: str = strawberry.field(description="Stable code, e.g. GOLD.")
    label_th: str = strawberry.field(description="Name in Thai.")
    label_en: str | None = strawberry.field(description="Name in English.")

    @classmethod
    def of(cls, contest: Contest, code: str) -> "AwardLevel":
        """The level ``code`` as ``contest`` names it (its code alone if the edition no longer
        lists it)."""
        named = next((a for a in contest.award_levels if a["code"] == code), {"label_th": code})
        return cls(code=code, label_th=named["label_th"], label_en=named.get("label_en"))


@strawberry.type(name="ContestCategory", description="A category of an edition (ประเภทรางวัล).")
class ContestCategoryNode(ModelNode):
    model = ContestCategory

    id: relay.NodeID[int]
    code: str = strawberry.field(description="Short code, unique in the edition.")
    name_th: str = strawberry.field(description="Name in Thai.")
    name_en: str | None = strawberry.field(description="Name in English.")
    position: int = strawberry.field(description="Order in the edition, from 1.")

    visible = read_rule(access.visible_categories)

    @classmethod
    def from_model(cls, obj: ContestCategory) -> "ContestCategoryNode":
        return cls(
            id=obj.id,
            code=obj.code,
            name_th=obj.name_th,
            name_en=obj.name_en,
            position=obj.position,
        )


@strawberry.type(description="What a score on a criterion means.")
class ScoreDescriptor:
    score: float = strawberry.field(description="The score described.")
    text_th: str = strawberry.field(description="In Thai.")
    text_en: str | None = strawberry.field(description="In English.")


@strawberry.type(name="RubricCriterion", description="A rubric criterion (เกณฑ์การให้คะแนน).")
class RubricCriterionNode(ModelNode):
    model = RubricCriterion

    id: relay.NodeID[int]
    position: int = strawberry.field(description="Order in the rubric, from 1.")
    name_th: str = strawberry.field(description="Name in Thai.")
    name_en: str | None = strawberry.field(description="Name in English.")
    scale_min: float = strawberry.field(description="Lowest score.")
    scale_max: float = strawberry.field(description="Highest score.")
    scale_step: float = strawberry.field(description="Scores go up in this step from the lowest.")
    weight: float = strawberry.field(description="Weight in the weighted total.")
    descriptors: list[ScoreDescriptor] = strawberry.field(
        description="What scores mean.", directives=[ListSize(assumed_size=11)]
    )
    category_id: strawberry.Private[int | None]

    visible = read_rule(access.visible_criteria)

    @classmethod
    def from_model(cls, obj: RubricCriterion) -> "RubricCriterionNode":
        return cls(
            id=obj.id,
            position=obj.position,
            name_th=obj.name_th,
            name_en=obj.name_en,
            scale_min=obj.scale_min,
            scale_max=obj.scale_max,
            scale_step=obj.scale_step,
            weight=obj.weight,
            descriptors=[
                ScoreDescriptor(score=d["score"], text_th=d["text_th"], text_en=d.get("text_en"))
                for d in obj.descriptors
            ],
            category_id=obj.category_id,
        )

    @strawberry.field(description="The one category it applies to; null: every category.")
    async def category(self, info: strawberry.Info) -> ContestCategoryNode | None:
        if self.category_id is None:
            return None
        row = await info.context.loaders.contest_category.load(self.category_id)
        return ContestCategoryNode.from_model(row) if row else None


@strawberry.type(name="FormChoice", description="A choice of a CHOICE field.")
class FormChoiceType:
    value: str = strawberry.field(description="Stored value.")
    label_th: str = strawberry.field(description="Label in Thai.")
    label_en: str | None = strawberry.field(description="Label in English.")


@strawberry.type(name="FormField", description="A field of an application form, with its rules.")
class FormFieldType:
    key: str = strawberry.field(description="Key of the answer in `Entry.answers`.")
    kind: FormFieldKind = strawberry.field(description="Kind of answer.")
    label_th: str = strawberry.field(description="Label in Thai.")
    label_en: str | None = strawberry.field(description="Label in English.")
    required: bool = strawberry.field(description="Must be answered to submit.")
    min_length: int | None = strawberry.field(description="Fewest characters (text).")
    max_length: int | None = strawberry.field(description="Most characters (text).")
    minimum: float | None = strawberry.field(description="Lowest number.")
    maximum: float | None = strawberry.field(description="Highest number.")
    earliest: str | None = strawberry.field(description="Earliest date (ISO).")
    latest: str | None = strawberry.field(description="Latest date (ISO).")
    choices: list[FormChoiceType] = strawberry.field(description="Choices (CHOICE).")
    multiple: bool = strawberry.field(description="Several choices may be picked.")
    max_items: int | None = strawberry.field(description="Most items (lists).")


@strawberry.type(name="ContestForm", description="A version of an edition's application form.")
class ContestFormNode(ModelNode):
    model = ContestForm

    id: relay.NodeID[int]
    version: int = strawberry.field(description="Version, from 1; entries keep theirs.")
    created_at: datetime = strawberry.field(description="When this version was made (UTC).")
    fields: list[FormFieldType] = strawberry.field(
        description="The fields in order.", directives=[ListSize(assumed_size=20)]
    )

    visible = read_rule(access.visible_forms)

    @classmethod
    def from_model(cls, obj: ContestForm) -> "ContestFormNode":
        return cls(
            id=obj.id,
            version=obj.version,
            created_at=obj.created_at,
            fields=[
                FormFieldType(
                    key=f["key"],
                    kind=FormFieldKind(f["kind"]),
                    label_th=f["label_th"],
                    label_en=f.get("label_en"),
                    required=f.get("required", False),
                    min_length=f.get("min_length"),
                    max_length=f.get("max_length"),
                    minimum=f.get("minimum"),
                    maximum=f.get("maximum"),
                    earliest=f.get("earliest"),
                    latest=f.get("latest"),
                    choices=[
                        FormChoiceType(
                            value=c["value"], label_th=c["label_th"], label_en=c.get("label_en")
                        )
                        for c in f.get("choices", [])
                    ],
                    multiple=f.get("multiple", False),
                    max_items=f.get("max_items"),
                )
                for f in obj.definition
            ],
        )
