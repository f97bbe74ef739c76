"""Type names say what a thing is: none ends in "Type" (the SDL is full of types)."""

from schema.schema import build_schema
from services.settings import get_settings


def test_no_type_name_ends_in_type() -> None:
    schema = build_schema(get_settings())._schema

    names = [name for name in schema.type_map if not name.startswith("__")]

    assert [name for name in names if name.endswith("Type")] == []
