"""What every enum value is called, from the one catalogue (``services/labels.py``): each value
of the SDL is described with its English label, and ``labels(language:)`` answers the Thai or the
English label of every value, so a front end keeps no table of its own."""

from enum import Enum
from typing import Annotated

import strawberry
from graphql import GraphQLEnumType, GraphQLSchema
from strawberry.types.enum import StrawberryEnumDefinition as EnumDefinition

from services import labels


@strawberry.enum(description="A language labels and messages are written in.")
class Language(Enum):
    TH = "th"
    EN = "en"


@strawberry.type(description="What one enum value is called in one language.")
class EnumLabel:
    enum: str = strawberry.field(description="The enum's name in this schema, e.g. PlanStatus.")
    value: str = strawberry.field(description="The value, e.g. APPROVED.")
    label: str = strawberry.field(description="What it is called, e.g. อนุมัติแล้ว or Approved.")


def enum_definitions(schema: GraphQLSchema) -> list[EnumDefinition]:
    """Every enum of the schema but introspection's own, by name."""
    found = []
    for _, graphql_type in sorted(schema.type_map.items()):
        definition = graphql_type.extensions.get("strawberry-definition")
        if isinstance(graphql_type, GraphQLEnumType) and isinstance(definition, EnumDefinition):
            found.append(definition)
    return found


def describe_enum_values(schema: GraphQLSchema) -> None:
    """Each value without a description of its own gets its English label (a value missing
    from the catalogue stays undescribed, for ``tests/contract/test_labels.py`` to name)."""
    for definition in enum_definitions(schema):
        graphql_type = schema.type_map[definition.name]
        assert isinstance(graphql_type, GraphQLEnumType)
        catalogue = labels.ENUMS.get(definition.wrapped_cls.__name__, {})
        for name, value in graphql_type.values.items():
            if not value.description and name in catalogue:
                value.description = catalogue[name][1]


@strawberry.type
class LabelQueries:
    @strawberry.field(
        description="The label of every value of every enum of this schema in `language` (the "
        "same words the server's messages and exports use), or only of the enums named in "
        "`enums`; unknown names are left out."
    )
    def labels(
        self,
        info: strawberry.Info,
        language: Annotated[
            Language, strawberry.argument(description="Thai (TH) or English (EN).")
        ],
        enums: Annotated[
            list[str] | None,
            strawberry.argument(description="Only these enums, by name (e.g. PlanStatus)."),
        ] = None,
    ) -> list[EnumLabel]:
        wanted = set(enums) if enums is not None else None
        side = 0 if language == Language.TH else 1
        return [
            EnumLabel(enum=definition.name, value=value.name, label=catalogue[value.name][side])
            for definition in enum_definitions(info.schema._schema)
            if wanted is None or definition.name in wanted
            for catalogue in [labels.ENUMS[definition.wrapped_cls.__name__]]
            for value in definition.values
        ]
