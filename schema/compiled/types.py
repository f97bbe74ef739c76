"""What the compiled read path answers: per GraphQL type, the fields it reads from a row and the
relations it follows, each read as its ordinary resolver and loader read it."""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from tortoise.models import Model
from tortoise.queryset import QuerySet

from models.cycle import CycleStep, DocumentSlot, StepResponsible
from models.document import Document
from models.org import Person, Unit
from models.plan import Activity, ActivityOwner
from models.work import WorkAuthor
from schema.relay import order_by_terms
from services import cycles, plans, works
from services.actor import Actor

Rows = Callable[[list[Any]], QuerySet[Any]]


@dataclass(frozen=True)
class Column:
    """A field showing one column of the row as it is."""

    name: str


@dataclass(frozen=True)
class GlobalId:
    """Relay's ``id``: the type's name and the row's ``id``."""


@dataclass(frozen=True)
class ToOne:
    """An object whose id is in the column ``key``, read by id (``Loaders`` ``by_id``)."""

    key: str
    target: str
    rows: Rows


@dataclass(frozen=True)
class ToMany:
    """The rows whose column ``key`` holds the parent's id, in the order of ``rows``, as the
    ``grouped`` loader of the field reads them."""

    key: str
    target: str
    rows: Rows


@dataclass(frozen=True)
class Linked:
    """The objects whose ids a link table holds for the parent: ``links`` gives the rows
    (column ``key`` the parent's id, ``column`` the object's) in order, as the
    ``column_grouped`` loader of the field reads them; ``rows`` the objects by id."""

    key: str
    column: str
    links: Rows
    target: str
    rows: Rows


Field = Column | GlobalId | ToOne | ToMany | Linked


@dataclass(frozen=True)
class NodeType:
    name: str
    fields: Mapping[str, Field]


@dataclass(frozen=True)
class ListField:
    """A root list: its rows are the queryset its resolver pages, for the viewer."""

    node: str
    rows: Callable[[Actor], QuerySet[Any]]


def _by_id(model: type[Model]) -> Rows:
    return lambda ids: model.filter(pk__in=ids)


def _grouped(model: type[Model], key: str, *order_by: str, **conditions: Any) -> Rows:
    return lambda ids: model.filter(**{f"{key}__in": ids}, **conditions).order_by(*order_by, "id")


def _people_linked(model: type[Model], key: str) -> Linked:
    """People by a link table, as ``schema.org.person_nodes`` shows them."""
    return Linked(
        key,
        "person_id",
        lambda ids: model.filter(**{f"{key}__in": ids}).order_by("person_id"),
        "Person",
        _by_id(Person),
    )


def _columns(*names: str) -> dict[str, Field]:
    """Fields named as strawberry names them (``title_th`` is ``titleTh``)."""
    return {_camel(name): Column(name) for name in names}


def _camel(name: str) -> str:
    first, *rest = name.split("_")
    return first + "".join(part.title() for part in rest)


def _node(name: str, *columns: str, **relations: Field) -> NodeType:
    return NodeType(name, {"id": GlobalId(), **_columns(*columns), **relations})


_TYPES: Iterable[NodeType] = (
    _node("Unit", "code", "name_th", "name_en", "version"),
    _node(
        "Person",
        "title_th",
        "first_name_th",
        "last_name_th",
        "name_en",
        "position_th",
        "position_en",
        "version",
    ),
    NodeType(
        "WorkAuthor",
        {
            **_columns("position", "name_th", "name_en", "affiliation", "corresponding"),
            "person": ToOne("person_id", "Person", _by_id(Person)),
        },
    ),
    _node(
        "Work",
        "kind",
        "status",
        "registry_number",
        "fiscal_year",
        "title_th",
        "title_en",
        "abstract_th",
        "abstract_en",
        "status_reason",
        "submitted_at",
        "registered_at",
        "published_at",
        "version",
        unit=ToOne("unit_id", "Unit", _by_id(Unit)),
        authors=ToMany("work_id", "WorkAuthor", _grouped(WorkAuthor, "work_id", "position")),
    ),
    _node("Document", "filename", "content_type", "size", "sha256", "uploaded_at"),
    _node(
        "DocumentSlot",
        "name_th",
        "name_en",
        "required",
        files=ToMany(
            "slot_id",
            "Document",
            _grouped(Document, "slot_id", "uploaded_at", deleted_at__isnull=True),
        ),
    ),
    _node(
        "CycleStep",
        "no",
        "phase",
        "title_th",
        "title_en",
        "schedule_kind",
        "days",
        "planned_start",
        "planned_due",
        "status",
        "actual_start",
        "actual_end",
        "status_reason",
        "whole_committee",
        "version",
        documents=ToMany("step_id", "DocumentSlot", _grouped(DocumentSlot, "step_id", "position")),
        responsible=_people_linked(StepResponsible, "step_id"),
    ),
    _node(
        "Cycle",
        "indicator_code",
        "start_date",
        "version",
        unit=ToOne("unit_id", "Unit", _by_id(Unit)),
        steps=ToMany("cycle_id", "CycleStep", _grouped(CycleStep, "cycle_id", "no")),
    ),
    _node(
        "Activity",
        "position",
        "title_th",
        "title_en",
        "objective_th",
        "budget",
        "target_th",
        "weight",
        "version",
        owners=_people_linked(ActivityOwner, "activity_id"),
    ),
    _node(
        "Plan",
        "kind",
        "revision",
        "status",
        "title_th",
        "title_en",
        "objective_th",
        "is_latest",
        "version",
        "created_at",
        activities=ToMany("plan_id", "Activity", _grouped(Activity, "plan_id", "position")),
    ),
)
NODE_TYPES: dict[str, NodeType] = {node.name: node for node in _TYPES}

LISTS: dict[str, ListField] = {
    "works": ListField("Work", lambda actor: works.list_works(actor=actor, ordering=[])),
    "cycles": ListField(
        "Cycle", lambda actor: cycles.list_cycles(actor=actor, ordering=["-fiscal_year", "unit_id"])
    ),
    "plans": ListField(
        "Plan",
        lambda actor: plans.list_plans(
            actor=actor, ordering=order_by_terms(None, default=["cycle_id", "kind", "revision"])
        ),
    ),
}
