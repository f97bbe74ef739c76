"""What the compiled read path answers: per GraphQL type, the fields it reads from a row and the
relations it follows, each read as its ordinary resolver and loader read it."""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from tortoise.models import Model
from tortoise.queryset import QuerySet

from models.org import Person, Unit
from models.work import WorkAuthor
from services import works
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


Field = Column | GlobalId | ToOne | ToMany


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


def _grouped(model: type[Model], key: str, *order_by: str) -> Rows:
    return lambda ids: model.filter(**{f"{key}__in": ids}).order_by(*order_by, "id")


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
)
NODE_TYPES: dict[str, NodeType] = {node.name: node for node in _TYPES}

LISTS: dict[str, ListField] = {
    "works": ListField("Work", lambda actor: works.list_works(actor=actor, ordering=[])),
}
