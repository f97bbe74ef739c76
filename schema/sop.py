"""SOP templates (แม่แบบ SOP) and their steps."""

from datetime import datetime
from typing import Any

import strawberry
from strawberry import relay

from models.sop import SopTemplate
from schema.cost import ListSize
from schema.errors import UserError, payload
from schema.inputs import Input, node_id
from schema.org import UnitNode
from schema.relay import (
    After,
    Before,
    Conditions,
    Connection,
    First,
    Last,
    ModelNode,
    paginate,
    read_rule,
)
from services import sop


@strawberry.type(
    name="SopText",
    description="A passage of the SOP: in Thai as the SOP writes it, with an English translation.",
)
class SopTextNode:
    text_th: str = strawberry.field(description="As the SOP writes it, in Thai.")
    text_en: str | None = strawberry.field(
        description="An English translation (not part of the SOP); null when none was made."
    )

    @classmethod
    def of(cls, text: sop.SopText) -> "SopTextNode":
        return cls(text_th=text.text_th, text_en=text.text_en)


@strawberry.type(name="SopDefinition", description="A term the SOP defines (คำจำกัดความ).")
class SopDefinitionNode:
    term_th: str = strawberry.field(description="The term, in Thai as the SOP writes it.")
    term_en: str | None = strawberry.field(description="The term in English (a translation).")
    meaning_th: str = strawberry.field(description="What it means, in Thai as the SOP writes it.")
    meaning_en: str | None = strawberry.field(
        description="What it means in English (a translation, not part of the SOP)."
    )


def sop_texts(texts: list[sop.SopText]) -> list[SopTextNode]:
    return [SopTextNode.of(t) for t in texts]


@strawberry.type(name="SopTemplateDocument", description="A document a template step needs.")
class TemplateDocumentNode:
    name_th: str = strawberry.field(description="What the document is, in Thai.")
    name_en: str | None = strawberry.field(description="In English.")
    required: bool = strawberry.field(description="Completing the step needs it.")


@strawberry.type(name="SopTemplateStep", description="A step of a template.")
class TemplateStepNode:
    no: int = strawberry.field(description="Step number, from 1.")
    phase: str = strawberry.field(description="Phase, e.g. setup.")
    title_th: str = strawberry.field(description="What is done, in Thai.")
    title_en: str | None = strawberry.field(description="In English.")
    details: list[SopTextNode] = strawberry.field(
        description="What the step does, item by item, as the SOP's work-detail column "
        "(รายละเอียดงาน) writes it, e.g. the channels to publish through or the DOC 4.0 system "
        "to report in; empty for a template saved without it.",
        directives=[ListSize(assumed_size=5)],
    )
    schedule_kind: str = strawberry.field(description="DAYS or PERIOD.")
    days: int | None = strawberry.field(description="Working days, for DAYS steps.")
    from_month: int | None = strawberry.field(description="First month (1–12), PERIOD steps.")
    to_month: int | None = strawberry.field(description="Last month (1–12), PERIOD steps.")
    after: list[int] = strawberry.field(description="Steps it follows.")
    responsible: list[str] = strawberry.field(
        description="Committee seats, resolved against each unit's current committee: COMMITTEE, "
        "CHAIR, SECRETARY, ASSISTANT_SECRETARY or MEMBER:<duty> (the member given that duty); "
        "or a person's Thai first name."
    )
    documents: list[TemplateDocumentNode] = strawberry.field(
        description="Documents it needs.", directives=[ListSize(assumed_size=10)]
    )

    @classmethod
    def of(cls, step: sop.TemplateStep) -> "TemplateStepNode":
        schedule = step.schedule
        return cls(
            no=step.no,
            phase=step.phase,
            title_th=step.title_th,
            title_en=step.title_en,
            details=sop_texts(step.details),
            schedule_kind=schedule.kind,
            days=getattr(schedule, "days", None),
            from_month=getattr(schedule, "from_month", None),
            to_month=getattr(schedule, "to_month", None),
            after=list(step.after),
            responsible=list(step.responsible),
            documents=[TemplateDocumentNode(**d.model_dump()) for d in step.documents],
        )


@strawberry.type(
    name="SopTemplate",
    description="One version of an SOP template; editing saves a new version, so cycles keep "
    "the steps they were made from.",
)
class SopTemplateNode(ModelNode):
    model = SopTemplate

    visible = read_rule(sop.visible_templates)

    id: relay.NodeID[int]
    family: str = strawberry.field(description="Names the template across its versions.")
    version: int = strawberry.field(description="Version within the family, from 1.")
    indicator_code: str = strawberry.field(description="Indicator, e.g. 2.4.")
    name_th: str = strawberry.field(description="Name in Thai.")
    name_en: str | None = strawberry.field(description="Name in English.")
    created_at: datetime = strawberry.field(description="When this version was saved.")
    unit_id: strawberry.Private[int | None]
    raw_steps: strawberry.Private[Any]
    raw_sections: strawberry.Private[Any]

    @classmethod
    def from_model(cls, obj: SopTemplate) -> "SopTemplateNode":
        return cls(
            id=obj.id,
            family=obj.family,
            version=obj.version,
            indicator_code=obj.indicator_code,
            name_th=obj.name_th,
            name_en=obj.name_en,
            created_at=obj.created_at,
            unit_id=obj.unit_id,
            raw_steps=obj.steps,
            raw_sections=obj.sections,
        )

    @strawberry.field(description="The steps in order.", directives=[ListSize(assumed_size=50)])
    def steps(self) -> list[TemplateStepNode]:
        return [TemplateStepNode.of(s) for s in sop.parse_steps(self.raw_steps)]

    @strawberry.field(
        description="The SOP's objectives (section 1, วัตถุประสงค์), in order.",
        directives=[ListSize(assumed_size=5)],
    )
    def objectives(self) -> list[SopTextNode]:
        return sop_texts(sop.parse_sections(self.raw_sections).objectives)

    @strawberry.field(description="The SOP's scope (section 2, ขอบเขต); null when not recorded.")
    def scope(self) -> SopTextNode | None:
        scope = sop.parse_sections(self.raw_sections).scope
        return SopTextNode.of(scope) if scope else None

    @strawberry.field(
        description="The SOP's definitions (section 3, คำจำกัดความ), in order.",
        directives=[ListSize(assumed_size=5)],
    )
    def definitions(self) -> list[SopDefinitionNode]:
        return [
            SopDefinitionNode(**d.model_dump())
            for d in sop.parse_sections(self.raw_sections).definitions
        ]

    @strawberry.field(description="The unit that owns it; null for the department default.")
    async def unit(self, info: strawberry.Info) -> UnitNode | None:
        if self.unit_id is None:
            return None
        return UnitNode.from_model(await info.context.loaders.unit.load(self.unit_id))


@strawberry.input(description="Narrows the templates listed.")
class SopTemplateFilter:
    unit: relay.GlobalID | None = strawberry.field(default=None, description="Owned by this unit.")
    latest_only: bool = strawberry.field(default=False, description="Only each family's newest.")


@strawberry.type
class SopQueries:
    @strawberry.field(description="SOP template versions, by family then newest version first.")
    async def sop_templates(
        self,
        info: strawberry.Info,
        filter: Conditions[SopTemplateFilter] = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[SopTemplateNode]:
        filter = filter or SopTemplateFilter()
        await sop.ensure_default_template()
        queryset = sop.list_templates(
            actor=info.context.actor,
            unit_id=node_id(filter.unit, UnitNode, "unit") if filter.unit else None,
            latest_only=filter.latest_only,
        )
        return await paginate(
            queryset, SopTemplateNode.from_model, first=first, after=after, last=last, before=before
        )


@strawberry.input(description="Copy a template for a unit, starting its own family.")
class SopTemplateCopyInput:
    template: relay.GlobalID = strawberry.field(description="The version to copy.")
    unit: relay.GlobalID = strawberry.field(description="The unit that will own the copy.")


@strawberry.input(description="A document a step needs.")
class SopTemplateDocumentInput:
    name_th: str = strawberry.field(description="In Thai.")
    name_en: str | None = strawberry.field(default=None, description="In English.")
    required: bool = strawberry.field(default=True, description="Needed to complete the step.")


@strawberry.input(description="A passage of the SOP, in Thai with an English translation.")
class SopTextInput:
    text_th: str = strawberry.field(description="In Thai, as the SOP writes it.")
    text_en: str | None = strawberry.field(default=None, description="An English translation.")


@strawberry.input(description="A template step. Give `days` for DAYS, the months for PERIOD.")
class SopTemplateStepInput:
    title_th: str = strawberry.field(description="What is done, in Thai.")
    title_en: str | None = strawberry.field(default=None, description="In English.")
    details: list[SopTextInput] = strawberry.field(
        default_factory=list,
        description="What the step does, item by item (the SOP's work detail); pass the "
        "template's back to keep them.",
    )
    phase: str = strawberry.field(default="", description="Phase label.")
    days: int | None = strawberry.field(default=None, description="Working days (DAYS step).")
    from_month: int | None = strawberry.field(default=None, description="First month, 1–12.")
    to_month: int | None = strawberry.field(default=None, description="Last month, 1–12.")
    after: list[int] = strawberry.field(
        default_factory=list, description="Numbers of earlier steps it follows."
    )
    responsible: list[str] = strawberry.field(
        default_factory=list,
        description="Seats (CHAIR, SECRETARY, ASSISTANT_SECRETARY, COMMITTEE, MEMBER:<duty>) or "
        "Thai first names.",
    )
    documents: list[SopTemplateDocumentInput] = strawberry.field(
        default_factory=list, description="Documents it needs."
    )


@strawberry.input(
    description="Save the next version of a unit's template: the whole list of steps, in order "
    "(numbered 1..n by position), so steps can be added, removed, reordered or changed at once."
)
class SopTemplateReviseInput:
    id: relay.GlobalID = strawberry.field(description="The newest version of the template.")
    steps: list[SopTemplateStepInput] = strawberry.field(description="All the steps, in order.")
    name_th: str | None = strawberry.field(default=None, description="A new name.")
    reason: str | None = strawberry.field(default=None, description="Why; kept in the audit.")


@strawberry.type(description="Result of `sopTemplateCopy` and `sopTemplateRevise`.")
class SopTemplatePayload:
    template: SopTemplateNode | None = strawberry.field(
        default=None, description="The saved version."
    )
    errors: list[UserError] = strawberry.field(description="Why nothing was saved, if so.")


def _step_data(position: int, step: SopTemplateStepInput) -> dict[str, Any]:
    schedule: dict[str, Any] = (
        {"kind": "DAYS", "days": step.days}
        if step.days is not None or step.from_month is None
        else {"kind": "PERIOD", "from_month": step.from_month, "to_month": step.to_month}
    )
    return {
        "no": position,
        "phase": step.phase,
        "title_th": step.title_th,
        "title_en": step.title_en,
        "details": [vars(d) for d in step.details],
        "schedule": schedule,
        "after": step.after,
        "responsible": step.responsible,
        "documents": [vars(d) for d in step.documents],
    }


@strawberry.type
class SopMutations:
    @strawberry.mutation(description="Copy a template for a unit (its chair or secretary).")
    async def sop_template_copy(
        self, info: strawberry.Info, input: Input[SopTemplateCopyInput]
    ) -> SopTemplatePayload:
        async def run() -> dict[str, Any]:
            template = await sop.copy_template(
                actor=info.context.actor,
                template_id=node_id(input.template, SopTemplateNode, "template"),
                unit_id=node_id(input.unit, UnitNode, "unit"),
            )
            return {"template": SopTemplateNode.from_model(template)}

        return await payload(info, SopTemplatePayload, run)

    @strawberry.mutation(description="Save a new version of a unit's template.")
    async def sop_template_revise(
        self, info: strawberry.Info, input: Input[SopTemplateReviseInput]
    ) -> SopTemplatePayload:
        async def run() -> dict[str, Any]:
            template = await sop.revise_template(
                actor=info.context.actor,
                template_id=node_id(input.id, SopTemplateNode),
                steps=[_step_data(i, s) for i, s in enumerate(input.steps, start=1)],
                name_th=input.name_th,
                reason=input.reason,
            )
            return {"template": SopTemplateNode.from_model(template)}

        return await payload(info, SopTemplatePayload, run)
