"""Every enum value of the schema has an English description and a Thai and an English label in
the one catalogue (services/labels.py), which holds nothing else; the labels query answers them."""

import re
from collections import Counter

import pytest

from schema.labels import enum_definitions
from schema.schema import build_schema
from services import labels
from services.settings import get_settings
from tests.helpers import GraphQLClient, count_queries

THAI = re.compile(r"[\u0e00-\u0e7f]")
LABELS = "query Labels($language: Language!, $enums: [String!]) { labels(language: $language, enums: $enums) { enum value label } }"  # noqa: E501


def _schema_enums() -> dict[str, tuple[str, list[str]]]:
    """GraphQL name → (the Python enum's class name, its values' names)."""
    schema = build_schema(get_settings())
    return {
        d.name: (d.wrapped_cls.__name__, [v.name for v in d.values])
        for d in enum_definitions(schema._schema)
    }


def test_every_enum_value_has_a_description_and_both_labels() -> None:
    schema = build_schema(get_settings())._schema
    missing = []
    for definition in enum_definitions(schema):
        catalogue = labels.ENUMS.get(definition.wrapped_cls.__name__, {})
        for value in definition.values:
            thai, english = catalogue.get(value.name, ("", ""))
            described = schema.type_map[definition.name].values[value.name].description  # type: ignore[attr-defined]
            if not (described and THAI.search(thai) and english.strip()):
                missing.append(f"{definition.name}.{value.name}")

    assert len(enum_definitions(schema)) >= 50
    assert missing == []


def test_the_catalogue_holds_the_schema_enums_and_nothing_else() -> None:
    enums = _schema_enums()
    class_names = Counter(cls for cls, _ in enums.values())

    assert [name for name, count in class_names.items() if count > 1] == []
    assert set(labels.ENUMS) == set(class_names)
    extra = [
        f"{cls}.{value}"
        for cls, values in enums.values()
        for value in labels.ENUMS[cls]
        if value not in values
    ]
    assert extra == []


@pytest.mark.usefixtures("database")
async def test_labels_in_thai_and_english_without_the_database(client: GraphQLClient) -> None:
    with count_queries() as statements:
        thai = await client.data(LABELS, {"language": "TH"})
    english = await client.data(LABELS, {"language": "EN", "enums": ["PlanStatus", "Nope"]})

    assert statements == []
    assert {"enum": "EntryStatus", "value": "NOT_SHORTLISTED", "label": "ไม่ผ่านการคัดเลือก"} in (
        thai["labels"]
    )
    assert {"enum": "ActivityStatus", "value": "ON_TRACK", "label": "ตามแผน"} in thai["labels"]
    assert len(thai["labels"]) == sum(len(values) for _, values in _schema_enums().values())
    assert english["labels"][:2] == [
        {"enum": "PlanStatus", "value": "DRAFT", "label": "Draft"},
        {"enum": "PlanStatus", "value": "SUBMITTED", "label": "Submitted"},
    ]
    assert {row["enum"] for row in english["labels"]} == {"PlanStatus"}
