"""The custom scalars' wire formats, each named by ``@specifiedBy`` and described in the SDL, so a
front end's code generator can map them to real types (clients/codegen.ts does)."""

import datetime as dt
from decimal import Decimal
from typing import Any

from strawberry.file_uploads import Upload
from strawberry.schema.types.base_scalars import (
    DateDefinition,
    DateTimeDefinition,
    DecimalDefinition,
)
from strawberry.types.scalar import ScalarDefinition

# Every Decimal of the schema is money or a weight, stored with two decimal places.
SCALE = Decimal("0.01")


def _date_time(value: dt.datetime) -> str:
    # Stored in UTC (Tortoise's use_tz); a naive value would lose its offset on the wire.
    return (value if value.tzinfo else value.replace(tzinfo=dt.UTC)).isoformat()


def _decimal(value: Decimal) -> str:
    return f"{Decimal(value).quantize(SCALE):f}"


DATE = ScalarDefinition(
    name="Date",
    description="A calendar date, ISO 8601 / RFC 3339 `full-date`: `2022-10-01` (Gregorian; "
    "Buddhist-Era years are separate fields).",
    specified_by_url="https://www.rfc-editor.org/rfc/rfc3339#section-5.6",
    serialize=DateDefinition.serialize,
    parse_value=DateDefinition.parse_value,
    parse_literal=None,
    origin=dt.date,
)
DATE_TIME = ScalarDefinition(
    name="DateTime",
    description="An instant, RFC 3339 `date-time` with its offset: `2022-10-01T09:30:00+00:00` "
    "(answers are in UTC; send any offset).",
    specified_by_url="https://scalars.graphql.org/andimarek/date-time",
    serialize=_date_time,
    parse_value=DateTimeDefinition.parse_value,
    parse_literal=None,
    origin=dt.datetime,
)
DECIMAL = ScalarDefinition(
    name="Decimal",
    description="An exact decimal number as a string of digits with two decimal places: "
    '`"1250000.00"`, `"-3.50"` (amounts in THB, weights). Send a string: a JSON number may '
    "lose digits.",
    specified_by_url="https://www.w3.org/TR/xmlschema11-2/#decimal",
    serialize=_decimal,
    parse_value=DecimalDefinition.parse_value,
    parse_literal=None,
    origin=Decimal,
)
UPLOAD = ScalarDefinition(
    name="Upload",
    description="A file sent in the same request, as the GraphQL multipart request "
    "specification says (`multipart/form-data` with `operations` and `map`).",
    specified_by_url="https://github.com/jaydenseric/graphql-multipart-request-spec",
    serialize=lambda value: value,
    parse_value=lambda value: value,
    parse_literal=None,
    origin=Upload,
)

# For StrawberryConfig(scalar_map=...): replaces strawberry's definitions of these types.
SCALARS: dict[object, Any] = {
    dt.date: DATE,
    dt.datetime: DATE_TIME,
    Decimal: DECIMAL,
    Upload: UPLOAD,
}
