"""The KPI success level of indicator 2.4: its definition per fiscal year, a cycle's evaluation
on a date (what is met, the evidence, what is missing) and `kpiDefinitionUpdate`."""

from datetime import date, datetime
from typing import Annotated, Any

import strawberry
from strawberry import relay

from schema.cost import ListSize
from schema.enums import PlanKindEnum, ReportRoundEnum, SurveyKindEnum
from schema.errors import UserError, payload
from schema.inputs import Input
from services import kpi
from services.kpi import CriterionKind
from services.messages import Language

KpiCriterionKindEnum = strawberry.enum(
    CriterionKind,
    name="KpiCriterionKind",
    description="What a KPI criterion checks: STEPS_DONE, DOCUMENTS_ATTACHED, PLANS_APPROVED, "
    "SURVEYS_CLOSED, WORKS_REGISTERED, WORKS_PUBLISHED, ENTRIES_SUBMITTED (LIKE Talk Award), "
    "PROGRESS_REPORTED (a DOC 4.0 round), FINAL_REPORT_APPROVED (step 16).",
)


def _pick(text: kpi.Text, language: Language) -> str:
    return text.th if language == "th" else text.en


@strawberry.type(
    name="KpiEvidence", description="An object behind a met criterion (a step, file, plan…)."
)
class KpiEvidence:
    type_name: str = strawberry.field(description="Its GraphQL type, e.g. CycleStep, Document.")
    id: relay.GlobalID = strawberry.field(description="Its global id (query it with `node`).")
    label: str = strawberry.field(description="A short label in Thai.")

    @classmethod
    def of(cls, link: kpi.EvidenceLink) -> "KpiEvidence":
        return cls(
            type_name=link.type_name,
            id=relay.GlobalID(link.type_name, str(link.id)),
            label=link.label,
        )


@strawberry.type(name="KpiCriterion", description="One criterion of a level, as defined.")
class KpiCriterionNode:
    kind: KpiCriterionKindEnum = strawberry.field(description="What it checks.")  # type: ignore[valid-type]
    steps: list[int] = strawberry.field(description="Step numbers (step kinds).")
    count_skipped: bool = strawberry.field(
        description="STEPS_DONE: a SKIPPED step (always with its reason) counts as finished."
    )
    plan_kinds: list[PlanKindEnum] = strawberry.field(  # type: ignore[valid-type]
        description="PLANS_APPROVED: the plan kinds (empty: both)."
    )
    survey_kinds: list[SurveyKindEnum] = strawberry.field(  # type: ignore[valid-type]
        description="SURVEYS_CLOSED: the survey kinds (empty: both)."
    )
    min_count: int = strawberry.field(description="Count kinds: how many at least.")
    round: ReportRoundEnum | None = strawberry.field(  # type: ignore[valid-type]
        description="PROGRESS_REPORTED: the round."
    )
    description: str = strawberry.field(description="What it asks, in the request's language.")

    @classmethod
    def of(cls, c: kpi.Criterion, language: Language) -> "KpiCriterionNode":
        return cls(
            kind=c.kind,
            steps=list(c.steps),
            count_skipped=c.count_skipped,
            plan_kinds=list(c.plan_kinds),
            survey_kinds=list(c.survey_kinds),
            min_count=c.min_count,
            round=c.round,
            description=_pick(kpi.describe(c), language),
        )


@strawberry.type(name="KpiLevel", description="A success level and its criteria.")
class KpiLevelNode:
    level: int = strawberry.field(description="1–5.")
    criteria: list[KpiCriterionNode] = strawberry.field(
        description="All must be met.", directives=[ListSize(assumed_size=5)]
    )


@strawberry.type(name="KpiTarget", description="The target level of a round.")
class KpiTargetNode:
    round: ReportRoundEnum = strawberry.field(description="M5, M10 or M12.")  # type: ignore[valid-type]
    level: int = strawberry.field(description="The level to reach by the round's end.")


@strawberry.type(
    name="KpiDefinition",
    description="The success levels and round targets of indicator 2.4 for a fiscal year "
    "(the shipped default until an administrator saves one).",
)
class KpiDefinitionNode:
    fiscal_year: int = strawberry.field(description="BE year, e.g. 2565.")
    is_default: bool = strawberry.field(description="Nothing saved: the shipped default applies.")
    version: int = strawberry.field(description="Pass back to update; 0 while the default.")
    updated_at: datetime | None = strawberry.field(description="When it was saved (UTC).")
    levels: list[KpiLevelNode] = strawberry.field(
        description="Levels 1–5.", directives=[ListSize(assumed_size=5)]
    )
    targets: list[KpiTargetNode] = strawberry.field(
        description="Per round.", directives=[ListSize(assumed_size=3)]
    )
    viewer_can_update: bool = strawberry.field(description="The viewer may change it.")

    @classmethod
    def of(
        cls,
        fiscal_year: int,
        definition: kpi.Definition,
        row: Any,
        language: Language,
        viewer_can_update: bool,
    ) -> "KpiDefinitionNode":
        return cls(
            fiscal_year=fiscal_year,
            is_default=row is None,
            version=row.version if row else 0,
            updated_at=row.updated_at if row else None,
            levels=[
                KpiLevelNode(
                    level=lv.level, criteria=[KpiCriterionNode.of(c, language) for c in lv.criteria]
                )
                for lv in sorted(definition.levels, key=lambda lv: lv.level)
            ],
            targets=[
                KpiTargetNode(round=r, level=t)
                for r, t in sorted(definition.targets.items(), key=lambda i: i[0].value)
            ],
            viewer_can_update=viewer_can_update,
        )


@strawberry.type(name="KpiCriterionResult", description="One criterion, met or not, as of a day.")
class KpiCriterionResultNode:
    kind: KpiCriterionKindEnum = strawberry.field(description="What it checks.")  # type: ignore[valid-type]
    met: bool = strawberry.field(description="Met on the day.")
    description: str = strawberry.field(description="What it asks, in the request's language.")
    evidence: list[KpiEvidence] = strawberry.field(
        description="The objects that meet it (so far).", directives=[ListSize(assumed_size=10)]
    )
    missing: list[str] = strawberry.field(
        description="What is still missing, in the request's language.",
        directives=[ListSize(assumed_size=5)],
    )
    criterion: KpiCriterionNode = strawberry.field(description="The criterion as defined.")


@strawberry.type(
    name="KpiLevelResult", description="A level and each of its criteria, as of a day."
)
class KpiLevelResultNode:
    level: int = strawberry.field(description="1–5.")
    met: bool = strawberry.field(description="Its own criteria are all met.")
    reached: bool = strawberry.field(description="It and every level below are met.")
    criteria: list[KpiCriterionResultNode] = strawberry.field(
        description="Its criteria.", directives=[ListSize(assumed_size=5)]
    )


@strawberry.type(
    name="KpiEvaluation",
    description="A cycle's KPI success level on a day (ระดับความสำเร็จ), with the evidence.",
)
class KpiEvaluationNode:
    on: date = strawberry.field(description="The day it is as of (end of day, Thai time).")
    level: int = strawberry.field(
        description="The highest level met with every level below it; 0 when level 1 is not."
    )
    round: ReportRoundEnum = strawberry.field(description="The round the target is of.")  # type: ignore[valid-type]
    target: int | None = strawberry.field(description="The round's target level.")
    target_met: bool = strawberry.field(description="The level reaches the target.")
    is_default_definition: bool = strawberry.field(description="The shipped definition applies.")
    levels: list[KpiLevelResultNode] = strawberry.field(
        description="Levels 1–5.", directives=[ListSize(assumed_size=5)]
    )
    next_level: int | None = strawberry.field(description="The level to reach next; null at 5.")
    missing_for_next_level: list[str] = strawberry.field(
        description="What the next level still needs, in the request's language.",
        directives=[ListSize(assumed_size=10)],
    )

    @classmethod
    def of(cls, e: kpi.KpiEvaluation, language: Language) -> "KpiEvaluationNode":
        following = e.next_level
        return cls(
            on=e.on,
            level=e.level,
            round=e.round,
            target=e.target,
            target_met=e.target_met,
            is_default_definition=e.is_default_definition,
            levels=[
                KpiLevelResultNode(
                    level=lv.level,
                    met=lv.met,
                    reached=lv.reached,
                    criteria=[
                        KpiCriterionResultNode(
                            kind=c.criterion.kind,
                            met=c.met,
                            description=_pick(c.description, language),
                            evidence=[KpiEvidence.of(link) for link in c.evidence],
                            missing=[_pick(m, language) for m in c.missing],
                            criterion=KpiCriterionNode.of(c.criterion, language),
                        )
                        for c in lv.criteria
                    ],
                )
                for lv in e.levels
            ],
            next_level=following.level if following else None,
            missing_for_next_level=[_pick(m, language) for m in e.missing_for_next],
        )


@strawberry.input(description="One criterion of a level.")
class KpiCriterionInput:
    kind: str = strawberry.field(
        description="A KpiCriterionKind value (a string, so an unknown kind is a user error)."
    )
    steps: list[int] | None = strawberry.field(default=None, description="Step numbers.")
    count_skipped: bool = strawberry.field(
        default=True, description="STEPS_DONE: a SKIPPED step counts as finished."
    )
    plan_kinds: list[PlanKindEnum] | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="PLANS_APPROVED: the kinds (none: both)."
    )
    survey_kinds: list[SurveyKindEnum] | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="SURVEYS_CLOSED: the kinds (none: both)."
    )
    min_count: int = strawberry.field(default=1, description="Count kinds: how many at least.")
    round: ReportRoundEnum | None = strawberry.field(  # type: ignore[valid-type]
        default=None, description="PROGRESS_REPORTED: the round."
    )
    description_th: str | None = strawberry.field(
        default=None, description="Its own description in Thai (else generated)."
    )
    description_en: str | None = strawberry.field(
        default=None, description="Its own description in English (else generated)."
    )


@strawberry.input(description="A level and its criteria.")
class KpiLevelInput:
    level: int = strawberry.field(description="1–5; each given once.")
    criteria: list[KpiCriterionInput] = strawberry.field(description="At least one.")


@strawberry.input(description="A round's target level.")
class KpiTargetInput:
    round: ReportRoundEnum = strawberry.field(description="M5, M10 or M12.")  # type: ignore[valid-type]
    level: int = strawberry.field(description="0–5.")


@strawberry.input(description="A fiscal year's KPI definition, replacing the one in force.")
class KpiDefinitionUpdateInput:
    fiscal_year: int = strawberry.field(description="BE year, e.g. 2565.")
    version: int = strawberry.field(
        description="The version the change is based on (0 while the default applies)."
    )
    levels: list[KpiLevelInput] = strawberry.field(description="Levels 1–5.")
    targets: list[KpiTargetInput] = strawberry.field(description="Targets per round.")


@strawberry.type(description="Result of `kpiDefinitionUpdate`.")
class KpiDefinitionPayload:
    definition: KpiDefinitionNode | None = strawberry.field(
        default=None, description="The definition as saved."
    )
    errors: list[UserError] = strawberry.field(description="Why nothing changed, if so.")


def _criterion(c: KpiCriterionInput) -> dict[str, Any]:
    data: dict[str, Any] = {
        "kind": c.kind,
        "countSkipped": c.count_skipped,
        "minCount": c.min_count,
    }
    optional = {
        "steps": c.steps,
        "planKinds": [str(k) for k in c.plan_kinds] if c.plan_kinds else None,
        "surveyKinds": [str(k) for k in c.survey_kinds] if c.survey_kinds else None,
        "round": str(c.round) if c.round else None,
        "descriptionTh": c.description_th,
        "descriptionEn": c.description_en,
    }
    return data | {k: v for k, v in optional.items() if v is not None}


@strawberry.type
class KpiQueries:
    @strawberry.field(
        description="The KPI definition in force for a fiscal year, for anyone signed in."
    )
    async def kpi_definition(
        self,
        info: strawberry.Info,
        fiscal_year: Annotated[int, strawberry.argument(description="BE year, e.g. 2565.")],
    ) -> KpiDefinitionNode:
        actor = info.context.actor
        definition, row = await kpi.get_definition(actor=actor, fiscal_year=fiscal_year)
        return KpiDefinitionNode.of(
            fiscal_year, definition, row, info.context.language, kpi.may_update(actor)
        )


@strawberry.type
class KpiMutations:
    @strawberry.mutation(
        description="Save a fiscal year's KPI levels and targets (administrators); levels 1–5 "
        "each need a criterion, steps must exist in the SOP templates."
    )
    async def kpi_definition_update(
        self, info: strawberry.Info, input: Input[KpiDefinitionUpdateInput]
    ) -> KpiDefinitionPayload:
        async def run() -> dict[str, Any]:
            row = await kpi.update_definition(
                actor=info.context.actor,
                fiscal_year=input.fiscal_year,
                levels=[
                    {"level": lv.level, "criteria": [_criterion(c) for c in lv.criteria]}
                    for lv in input.levels
                ],
                targets={str(t.round): t.level for t in input.targets},
                version=input.version,
            )
            definition = kpi.Definition.model_validate(
                {"levels": row.levels, "targets": row.targets}
            )
            return {
                "definition": KpiDefinitionNode.of(
                    row.fiscal_year, definition, row, info.context.language, True
                )
            }

        return await payload(info, KpiDefinitionPayload, run)
