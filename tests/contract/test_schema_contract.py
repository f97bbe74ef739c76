"""The schema is the front ends' contract: committed, current and fully described."""

from pathlib import Path

from graphql import GraphQLInputObjectType, GraphQLInterfaceType, GraphQLObjectType

from schema.schema import build_schema
from services.settings import Settings

SCHEMA_FILE = Path(__file__).parents[2] / "schema.graphql"


def test_committed_schema_file_equals_the_live_schema() -> None:
    live = build_schema(Settings()).as_str() + "\n"

    assert SCHEMA_FILE.read_text(encoding="utf-8") == live, (
        "schema.graphql is stale: run `lohub export-schema` and commit it"
    )


def test_every_type_field_argument_and_enum_value_is_described() -> None:
    schema = build_schema(Settings())._schema
    missing = []
    for name, type_ in schema.type_map.items():
        if name.startswith("__") or name in {"String", "Int", "Float", "Boolean", "ID"}:
            continue
        if not type_.description:
            missing.append(name)
        if isinstance(type_, GraphQLObjectType | GraphQLInterfaceType):
            for field_name, field in type_.fields.items():
                if not field.description:
                    missing.append(f"{name}.{field_name}")
                missing += [
                    f"{name}.{field_name}({arg})"
                    for arg, value in field.args.items()
                    if not value.description
                ]
        elif isinstance(type_, GraphQLInputObjectType):
            missing += [f"{name}.{f}" for f, v in type_.fields.items() if not v.description]

    assert missing == [], missing
