"""Application forms of the LIKE Talk Award: fields configured per edition, answers validated by a
pydantic model built from the configuration (``pydantic.create_model``)."""

from datetime import date
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    create_model,
    model_validator,
)

from services.errors import DomainError, ErrorCode, Problem, _problem_from_pydantic

MAX_FIELDS = 50
TEXT_MAX = 1000
LONG_TEXT_MAX = 20000
# pydantic keeps its own names under this prefix: a field named so would break the answers model.
RESERVED_PREFIX = "model_"


class FormFieldKind(StrEnum):
    TEXT = "TEXT"
    LONG_TEXT = "LONG_TEXT"
    NUMBER = "NUMBER"
    DATE = "DATE"
    CHOICE = "CHOICE"
    FILE = "FILE"
    PERSON_LIST = "PERSON_LIST"


Label = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=255)]


class FormChoice(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    value: Annotated[str, StringConstraints(min_length=1, max_length=64)]
    label_th: Label
    label_en: str | None = None


class FormField(BaseModel):
    """One field of an application form, with its limits."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    key: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,39}$")]
    kind: FormFieldKind
    label_th: Label
    label_en: str | None = None
    required: bool = False
    min_length: int | None = Field(default=None, ge=0)
    max_length: int | None = Field(default=None, ge=1)
    minimum: float | None = None
    maximum: float | None = None
    earliest: date | None = None
    latest: date | None = None
    choices: list[FormChoice] = Field(default_factory=list)
    multiple: bool = False
    max_items: int | None = Field(default=None, ge=1)

    @model_validator(mode="after")
    def _consistent(self) -> "FormField":
        if self.key.startswith(RESERVED_PREFIX):
            raise ValueError(f"a field key may not start with {RESERVED_PREFIX!r}")
        if self.kind == FormFieldKind.CHOICE and not self.choices:
            raise ValueError("a choice field needs choices")
        lengths = (self.min_length, self.max_length)
        if lengths[0] is not None and lengths[1] is not None and lengths[0] > lengths[1]:
            raise ValueError("min_length is above max_length")
        if self.minimum is not None and self.maximum is not None and self.minimum > self.maximum:
            raise ValueError("minimum is above maximum")
        if self.earliest and self.latest and self.earliest > self.latest:
            raise ValueError("earliest is after latest")
        return self


class FormDefinition(BaseModel):
    model_config = ConfigDict(frozen=True)
    fields: list[FormField] = Field(default_factory=list, max_length=MAX_FIELDS)

    @model_validator(mode="after")
    def _unique_keys(self) -> "FormDefinition":
        keys = [f.key for f in self.fields]
        if len(keys) != len(set(keys)):
            raise ValueError("field keys must be unique")
        return self


class PersonItem(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=255)]
    unit: Annotated[str, StringConstraints(max_length=255)] = ""
    role: Annotated[str, StringConstraints(max_length=255)] = ""


def _annotation(spec: FormField, *, draft: bool) -> Any:
    needed = spec.required and not draft
    if spec.kind in (FormFieldKind.TEXT, FormFieldKind.LONG_TEXT):
        limit = TEXT_MAX if spec.kind == FormFieldKind.TEXT else LONG_TEXT_MAX
        return Annotated[
            str,
            StringConstraints(
                strip_whitespace=True,
                min_length=spec.min_length if spec.min_length is not None else int(needed),
                max_length=min(spec.max_length or limit, limit),
            ),
        ]
    if spec.kind == FormFieldKind.NUMBER:
        return Annotated[float, Field(ge=spec.minimum, le=spec.maximum, allow_inf_nan=False)]
    if spec.kind == FormFieldKind.DATE:
        return Annotated[date, Field(ge=spec.earliest, le=spec.latest)]
    if spec.kind == FormFieldKind.FILE:
        # A reference to an uploaded file (its global id or link).
        return Annotated[str, StringConstraints(min_length=1, max_length=500)]
    if spec.kind == FormFieldKind.CHOICE:
        value = Literal[tuple(c.value for c in spec.choices)]  # type: ignore[valid-type]
        if not spec.multiple:
            return value
        return Annotated[
            list[value],  # type: ignore[valid-type]
            Field(min_length=int(needed), max_length=spec.max_items),
        ]
    return Annotated[
        list[PersonItem], Field(min_length=int(needed), max_length=spec.max_items or 50)
    ]


def answers_model(definition: FormDefinition, *, draft: bool) -> type[BaseModel]:
    """The model of answers to ``definition``; a draft may leave required fields out."""
    fields: dict[str, Any] = {}
    for spec in definition.fields:
        annotation = _annotation(spec, draft=draft)
        if spec.required and not draft:
            fields[spec.key] = (annotation, ...)
        else:
            fields[spec.key] = (annotation | None, None)
    return create_model(  # type: ignore[call-overload,no-any-return]
        "ApplicationAnswers", __config__=ConfigDict(extra="forbid", strict=False), **fields
    )


def parse_definition(data: Any) -> FormDefinition:
    """A form's configuration, checked, and proved by building its answers model once: whatever
    that model would refuse to be is a form error now, not a failure of every entry later."""
    try:
        definition = FormDefinition.model_validate({"fields": data})
    except ValidationError as error:
        raise DomainError(
            *(
                Problem(
                    p.code,
                    p.message_key,
                    ("form", *p.field[1:]) if p.field else ("form",),
                    p.params,
                )
                for p in (_problem_from_pydantic(e) for e in error.errors())
            )
        ) from None
    try:
        answers_model(definition, draft=False)
    except Exception as error:  # any failure to build the model is the form's fault
        raise DomainError.of(
            ErrorCode.INVALID_INPUT, "invalid_input", field=("form",), detail=str(error)[:200]
        ) from None
    return definition


def validate_answers(definition: FormDefinition, answers: Any, *, draft: bool) -> dict[str, Any]:
    """Answers as JSON-ready data, or a ``DomainError`` with a problem per broken rule, each at
    ``["answers", <key>, …]``."""
    if not isinstance(answers, dict):
        raise DomainError.of(
            ErrorCode.INVALID_INPUT, "invalid_input", field=("answers",), detail="not an object"
        )
    model = answers_model(definition, draft=draft)
    try:
        parsed = model.model_validate(answers)
    except ValidationError as error:
        problems = []
        for detail in error.errors():
            problem = _problem_from_pydantic(detail)
            problems.append(
                Problem(
                    problem.code,
                    problem.message_key,
                    ("answers", *(str(part) for part in detail["loc"])),
                    problem.params,
                )
            )
        raise DomainError(*problems) from None
    return {k: v for k, v in parsed.model_dump(mode="json").items() if v is not None}
