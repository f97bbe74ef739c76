"""SOP templates: validation, the shipped default, copies and new versions.

A template version is immutable. Editing saves version n+1 of the same family; copying for a
unit starts a new family at version 1. Steps are numbered 1..n in order, and a step may only
follow (``after``) steps numbered before it, so every schedule can be computed in one pass.
Each step carries the SOP's work detail (รายละเอียดงาน) item by item, and a template carries the
SOP's sections 1–3 (objectives, scope, definitions): Thai as the SOP writes it, English as a
translation. Templates saved before they carried the text read as having none.
Responsible entries name seats of the committee, resolved against each unit's current order
(``services.cycles.resolve_responsible``): ``COMMITTEE`` (every member), ``CHAIR``,
``SECRETARY``, ``ASSISTANT_SECRETARY`` (ผู้ช่วยเลขานุการ), or ``MEMBER:<duty>`` (the member the order
puts in charge of a duty, e.g. ``MEMBER:STAKEHOLDER_SURVEY``). The shipped SOP names the people of
สำนักงานเลขานุการกรม; its default template names their seats instead, so it holds for any unit. A
unit's own template may still name a person by Thai first name; ``name_variants`` maps the seed
unit's spelling slips to the names on record.
"""

import json
from functools import cache
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.exceptions import IntegrityError
from tortoise.expressions import Subquery
from tortoise.functions import Max
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from models.sop import SopTemplate
from services import audit
from services.actor import Actor
from services.errors import DomainError, ErrorCode, not_found, validated
from services.org import get_unit
from services.permissions import (
    readable_by_anyone_signed_in,
    require_unit_lead,
)

SEED_FILE = Path(__file__).parent / "seed" / "lo-sop-kpi-2.4.json"
DEFAULT_FAMILY = "lo-kpi-2.4"
ROLE_TOKENS = frozenset({"COMMITTEE", "CHAIR", "SECRETARY", "ASSISTANT_SECRETARY"})
DUTY_PREFIX = "MEMBER:"

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]


class DaysSchedule(BaseModel):
    model_config = ConfigDict(frozen=True)
    kind: Literal["DAYS"] = "DAYS"
    days: int = Field(ge=1, le=250)


class PeriodSchedule(BaseModel):
    """Whole calendar months, ``from_month`` to ``to_month`` inclusive, inside the fiscal year
    (which runs October to September)."""

    model_config = ConfigDict(frozen=True)
    kind: Literal["PERIOD"] = "PERIOD"
    from_month: int = Field(ge=1, le=12)
    to_month: int = Field(ge=1, le=12)

    @model_validator(mode="after")
    def _in_fiscal_order(self) -> "PeriodSchedule":
        if fiscal_month_index(self.from_month) > fiscal_month_index(self.to_month):
            raise ValueError("the period must not end before it starts (October to September)")
        return self


def fiscal_month_index(month: int) -> int:
    """0 for October … 11 for September."""
    return (month - 10) % 12


class TemplateDocument(BaseModel):
    model_config = ConfigDict(frozen=True)
    name_th: Text
    name_en: str | None = None
    required: bool = True


class SopText(BaseModel):
    """A passage of the SOP: Thai as written, English as a translation."""

    model_config = ConfigDict(frozen=True)
    text_th: Text
    text_en: Text | None = None


class SopDefinition(BaseModel):
    model_config = ConfigDict(frozen=True)
    term_th: Text
    term_en: Text | None = None
    meaning_th: Text
    meaning_en: Text | None = None


class TemplateSections(BaseModel):
    """The SOP's sections 1–3: objectives (วัตถุประสงค์), scope (ขอบเขต), definitions
    (คำจำกัดความ)."""

    model_config = ConfigDict(frozen=True)
    objectives: list[SopText] = Field(default_factory=list, max_length=50)
    scope: SopText | None = None
    definitions: list[SopDefinition] = Field(default_factory=list, max_length=100)


class TemplateStep(BaseModel):
    model_config = ConfigDict(frozen=True)
    no: int = Field(ge=1)
    phase: Annotated[str, StringConstraints(strip_whitespace=True, max_length=32)] = ""
    title_th: Text
    title_en: str | None = None
    details: list[SopText] = Field(default_factory=list, max_length=50)
    schedule: Annotated[DaysSchedule | PeriodSchedule, Field(discriminator="kind")]
    after: list[int] = Field(default_factory=list)
    responsible: list[Text] = Field(default_factory=list)
    documents: list[TemplateDocument] = Field(default_factory=list)


class TemplateSteps(BaseModel):
    steps: list[TemplateStep] = Field(min_length=1, max_length=100)

    @field_validator("steps")
    @classmethod
    def _numbered_and_ordered(cls, steps: list[TemplateStep]) -> list[TemplateStep]:
        for position, step in enumerate(steps, start=1):
            if step.no != position:
                raise ValueError(f"steps must be numbered 1..n; step {position} has no {step.no}")
            if any(not 1 <= ref < step.no for ref in step.after):
                raise ValueError(f"step {step.no} may only follow steps numbered before it")
        return steps


def parse_steps(raw: Any) -> list[TemplateStep]:
    return TemplateSteps.model_validate({"steps": raw}).steps


def parse_sections(raw: Any) -> TemplateSections:
    return TemplateSections.model_validate(raw or {})


def step_details(raw_steps: Any, no: int) -> list[SopText]:
    """The work detail of a template's step ``no`` (a cycle's step ``no`` was copied from it)."""
    for raw in raw_steps:
        if raw.get("no") == no:
            return TemplateStep.model_validate(raw).details
    return []


def _texts(seed: dict[str, Any], key: str) -> list[dict[str, str]]:
    return [
        {"text_th": th, "text_en": en}
        for th, en in zip(seed[f"{key}_th"], seed[f"{key}_en"], strict=True)
    ]


def _seed_sections(seed: dict[str, Any]) -> dict[str, Any]:
    sections = {
        "objectives": _texts(seed, "objectives"),
        "scope": {"text_th": seed["scope_th"], "text_en": seed["scope_en"]},
        "definitions": [
            {k: d[k] for k in ("term_th", "term_en", "meaning_th", "meaning_en")}
            for d in seed["definitions"]
        ],
    }
    return TemplateSections.model_validate(sections).model_dump()


def _seat_of(key: str, members: dict[str, dict[str, Any]]) -> str:
    """The seat a step of the shipped SOP means when it names a member of the seed unit: their
    role, or for a plain member the duty they are named for."""
    if key == "committee":
        return "COMMITTEE"
    member = members[key]
    role = str(member["role"]).upper()
    if role != "MEMBER":
        return role
    (duty,) = member["duties"]
    return f"{DUTY_PREFIX}{duty}"


@cache
def _seed_template() -> dict[str, Any]:
    """The shipped SOP (seed JSON) as template data: member keys become seats."""
    seed = json.loads(SEED_FILE.read_text(encoding="utf-8"))
    members = {m["key"]: m for m in seed["committee"]["members"]}
    first_name = {key: m["name_th"].split()[0] for key, m in members.items()}
    steps = []
    for step in seed["steps"]:
        schedule = step["schedule"]
        steps.append(
            {
                "no": step["no"],
                "phase": step.get("phase", ""),
                "title_th": step["title_th"],
                "title_en": step.get("title_en"),
                "details": _texts(step, "details"),
                "schedule": {"kind": "DAYS", "days": schedule["days"]}
                if schedule["kind"] == "days"
                else {
                    "kind": "PERIOD",
                    "from_month": int(schedule["from"][5:7]),
                    "to_month": int(schedule["to"][5:7]),
                },
                "after": step.get("after", []),
                "responsible": [_seat_of(key, members) for key in step["responsible"]],
                "documents": [
                    {"name_th": th, "name_en": en}
                    for th, en in zip(step["documents_th"], step["documents_en"], strict=True)
                ],
            }
        )
    variants = {
        variant: first_name[key]
        for variant, key in seed["committee"]["name_variants_in_steps"].items()
    }
    return {
        "indicator_code": seed["indicator"]["code"],
        "name_th": f"{seed['document']['title_th']} ตัวชี้วัดที่ {seed['indicator']['code']}",
        "name_en": f"{seed['document']['title_en']} — indicator {seed['indicator']['code']}",
        "steps": [s.model_dump() for s in parse_steps(steps)],
        "sections": _seed_sections(seed),
        "name_variants": variants,
    }


async def add_sop_text(connection: BaseDBAsyncClient) -> None:
    """Give templates saved before templates carried the SOP's text that text: the sections
    to a template of the shipped SOP's indicator that has none, and a step's work detail to a
    step that has none and whose Thai title is the shipped step's (a changed step gets none).
    Plain SQL, as a migration runs it before later columns exist."""
    seed = _seed_template()
    details = {s["title_th"]: s["details"] for s in seed["steps"]}
    postgres = connection.capabilities.dialect == "postgres"
    first, second, key = ("$1::jsonb", "$2::jsonb", "$1") if postgres else ("?", "?", "?")
    rows = await connection.execute_query_dict(
        f'SELECT "id", "steps", "sections" FROM "sop_template" WHERE "indicator_code" = {key}',
        [seed["indicator_code"]],
    )
    for row in rows:
        stored_steps, stored_sections = (
            json.loads(v) if isinstance(v, str) else v for v in (row["steps"], row["sections"])
        )
        steps = [
            s if s.get("details") else {**s, "details": details.get(s["title_th"], [])}
            for s in stored_steps
        ]
        sections = stored_sections or seed["sections"]
        if (steps, sections) != (stored_steps, stored_sections):
            await connection.execute_query(
                f'UPDATE "sop_template" SET "steps" = {first}, "sections" = {second}'
                f' WHERE "id" = {int(row["id"])}',
                [json.dumps(steps, ensure_ascii=False), json.dumps(sections, ensure_ascii=False)],
            )


async def ensure_default_template() -> SopTemplate:
    """The department-wide default: the shipped SOP as the default family's newest version. When
    the shipped SOP differs from it (an upgrade), it is saved as the next version; cycles keep
    the version they were made from."""
    shipped = _seed_template()
    newest = await _newest_default()
    if newest and all(getattr(newest, name) == value for name, value in shipped.items()):
        return newest
    try:
        return await SopTemplate.create(
            family=DEFAULT_FAMILY, version=newest.version + 1 if newest else 1, **shipped
        )
    except IntegrityError:  # saved by a concurrent request
        saved = await _newest_default()
        assert saved is not None
        return saved


async def _newest_default() -> SopTemplate | None:
    return await SopTemplate.filter(family=DEFAULT_FAMILY).order_by("-version").first()


async def latest_template(unit_id: int, indicator_code: str) -> SopTemplate:
    """The unit's newest template for the indicator, else the default's newest version."""
    own = (
        await SopTemplate.filter(unit_id=unit_id, indicator_code=indicator_code)
        .order_by("-created_at", "-id")
        .first()
    )
    return own or await ensure_default_template()


# -- read rules -----------------------------------------------------------------------------------


def visible_templates(actor: Actor) -> QuerySet[SopTemplate]:
    """SOP templates, every version: anyone signed in."""
    return readable_by_anyone_signed_in(actor, SopTemplate.all())


def list_templates(
    *, actor: Actor, unit_id: int | None = None, latest_only: bool = False
) -> QuerySet[SopTemplate]:
    queryset = visible_templates(actor)
    if unit_id is not None:
        queryset = queryset.filter(unit_id=unit_id)
    if latest_only:
        # Versions are saved in order, so a family's newest version has its largest id.
        newest = SopTemplate.all().annotate(newest=Max("id")).group_by("family").values("newest")
        queryset = queryset.filter(id__in=Subquery(newest))
    return queryset.order_by("family", "-version")


async def copy_template(*, actor: Actor, template_id: int, unit_id: int) -> SopTemplate:
    """Start a unit's own template family from any template version."""
    await require_unit_lead(actor, unit_id)
    source = await _template(template_id)
    unit = await get_unit(unit_id)
    family = f"{unit.code.lower()}-{source.indicator_code}"
    async with in_transaction() as connection:
        version = await SopTemplate.filter(family=family).using_db(connection).count()
        copy = await SopTemplate.create(
            family=family,
            version=version + 1,
            unit_id=unit_id,
            indicator_code=source.indicator_code,
            name_th=source.name_th,
            name_en=source.name_en,
            sections=source.sections,
            steps=source.steps,
            name_variants=source.name_variants,
            based_on_id=source.id,
            using_db=connection,
        )
        await audit.record(
            actor=actor,
            action="sopTemplate.copy",
            object_type="SopTemplate",
            object_id=copy.id,
            after={"family": family, "version": copy.version, "basedOn": source.id},
            connection=connection,
        )
    return copy


async def revise_template(
    *,
    actor: Actor,
    template_id: int,
    steps: list[dict[str, Any]],
    name_th: str | None = None,
    reason: str | None = None,
) -> SopTemplate:
    """Save the next version of a unit's template with a whole new list of steps (so adding,
    removing, reordering and editing are one operation). Only the newest version is revised."""
    source = await _template(template_id)
    if source.unit_id is None:
        raise DomainError.of(ErrorCode.INVALID_INPUT, "template_shared", field=("id",))
    await require_unit_lead(actor, source.unit_id)
    parsed = validated(TemplateSteps, {"steps": steps}).steps
    async with in_transaction() as connection:
        newest = (
            await SopTemplate.filter(family=source.family)
            .using_db(connection)
            .order_by("-version")
            .first()
        )
        assert newest is not None
        if newest.id != source.id:
            raise DomainError.of(
                ErrorCode.STALE_VERSION, "stale_version", field=("id",), current=newest.version
            )
        revision = await SopTemplate.create(
            family=source.family,
            version=source.version + 1,
            unit_id=source.unit_id,
            indicator_code=source.indicator_code,
            name_th=name_th or source.name_th,
            name_en=source.name_en,
            sections=source.sections,
            steps=[s.model_dump() for s in parsed],
            name_variants=source.name_variants,
            based_on_id=source.id,
            using_db=connection,
        )
        await audit.record(
            actor=actor,
            action="sopTemplate.revise",
            object_type="SopTemplate",
            object_id=revision.id,
            before={"version": source.version, "steps": source.steps},
            after={"version": revision.version, "steps": revision.steps},
            reason=reason,
            connection=connection,
        )
    return revision


async def _template(template_id: int) -> SopTemplate:
    template = await SopTemplate.get_or_none(id=template_id)
    if template is None:
        raise not_found("id", "แม่แบบ", "Template")
    return template
