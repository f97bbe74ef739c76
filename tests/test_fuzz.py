"""Schema-driven fuzzing: documents over every query and mutation field, generated from the live
schema by hypothesis-graphql, with hostile values for every scalar (lone surrogates, NUL and other
controls, bidi overrides, Thai digits, very long strings, global ids of every node type), sent
anonymously and as an administrator, written in the document or passed as variables.

Whatever comes in, the answer is never a 5xx, never INTERNAL_SERVER_ERROR, and never shows SQL or
a stack trace. ``make test`` runs a few examples per case; ``make fuzz`` many
(``LOHUB_FUZZ_EXAMPLES``).
"""

import base64
import json
import os
import re
from decimal import Decimal
from typing import Any

import graphql
import pytest
from graphql import (
    ArgumentNode,
    BooleanValueNode,
    DocumentNode,
    FieldNode,
    FloatValueNode,
    IntValueNode,
    ListValueNode,
    NameNode,
    NullValueNode,
    ObjectFieldNode,
    ObjectValueNode,
    OperationDefinitionNode,
    StringValueNode,
    ValueNode,
    VariableDefinitionNode,
    VariableNode,
    parse_type,
    print_ast,
    value_from_ast_untyped,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_graphql import mutations, queries

from api.settings import get_settings
from schema.schema import build_schema
from tests.helpers import GraphQLClient
from tests.world import make_world

EXAMPLES = int(os.environ.get("LOHUB_FUZZ_EXAMPLES", "25"))
SCHEMA = build_schema(get_settings())._schema
NODE_TYPES = sorted(
    name
    for name, named in SCHEMA.type_map.items()
    if isinstance(named, graphql.GraphQLObjectType)
    and any(interface.name == "Node" for interface in named.interfaces)
)
# What an answer must never show: a stack trace, SQL, or the database driver's words.
LEAKS = re.compile(
    r"Traceback|File \"|sqlite3|asyncpg|psycopg|tortoise|SELECT |INSERT |UPDATE \"|"
    r"syntax error at or near|IntegrityError|OperationalError|invalid byte sequence",
    re.IGNORECASE,
)

HOSTILE = [
    "ab\ud800cd",
    "\udfff",
    "ab\x00cd",
    "\x1b[31m",
    "\x85\x9f",
    "a\tb\nc\rd",
    "invoice\u202efdp.exe",
    "\u2066x\u2069",
    "๑๒๓๔",
    "ก" * 5_000,
    "x" * 100_001,
    "'; DROP TABLE users; --",
    "%_\\",
    "",
    " ",
    "\ufeff",
    "🙂",
]
hostile_text = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=20))


def _global_id(type_name: str, key: str) -> str:
    return base64.b64encode(f"{type_name}:{key}".encode()).decode()


global_ids = st.one_of(
    st.builds(
        _global_id,
        st.sampled_from(NODE_TYPES),
        st.one_of(st.integers(-1, 5).map(str), st.sampled_from(["", "x", "99999999999", "1\x00"])),
    ),
    hostile_text,
)
json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-(2**40), 2**40), hostile_text),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(hostile_text, inner, max_size=4)
    ),
    max_leaves=10,
)


def value_node(value: Any) -> ValueNode:
    """A literal for a decoded JSON value."""
    if value is None:
        return NullValueNode()
    if isinstance(value, bool):
        return BooleanValueNode(value=value)
    if isinstance(value, int):
        return IntValueNode(value=str(value))
    if isinstance(value, float | Decimal):
        return FloatValueNode(value=str(value))
    if isinstance(value, list):
        return ListValueNode(values=tuple(value_node(item) for item in value))
    if isinstance(value, dict):
        return ObjectValueNode(
            fields=tuple(
                ObjectFieldNode(name=NameNode(value=f"k{n}"), value=value_node(item))
                for n, item in enumerate(value.values())
            )
        )
    return StringValueNode(value=value)


def strings(values: st.SearchStrategy[Any]) -> st.SearchStrategy[ValueNode]:
    return values.map(value_node)


CUSTOM_SCALARS: dict[str, st.SearchStrategy[ValueNode]] = {
    "String": strings(hostile_text),
    "ID": strings(global_ids),
    "Date": strings(st.one_of(st.dates().map(str), hostile_text, st.just("2565-13-40"))),
    "DateTime": strings(
        st.one_of(st.datetimes().map(lambda d: d.isoformat()), hostile_text, st.just("9999-99"))
    ),
    "Decimal": strings(
        st.one_of(
            st.decimals(allow_nan=False, allow_infinity=False).map(str),
            st.sampled_from(["NaN", "Infinity", "1e999999", "-0", "1" * 400, "๑๒"]),
            hostile_text,
        )
    ),
    "JSON": json_values.map(value_node),
    "Upload": st.just(NullValueNode()),
}


def with_variables(document: DocumentNode) -> tuple[DocumentNode, dict[str, Any]]:
    """The document with its root fields' arguments passed as variables, as clients send them:
    only variables can carry a lone surrogate, which a GraphQL string literal cannot."""
    operation = document.definitions[0]
    assert isinstance(operation, OperationDefinitionNode)
    root_type = SCHEMA.get_root_type(operation.operation)
    assert root_type is not None
    variables: dict[str, Any] = {}
    definitions = []
    fields = []
    for selection in operation.selection_set.selections:
        assert isinstance(selection, FieldNode)
        arguments = []
        for argument in selection.arguments or ():
            name = f"v{len(variables)}"
            argument_type = root_type.fields[selection.name.value].args[argument.name.value].type
            variables[name] = value_from_ast_untyped(argument.value)
            definitions.append(
                VariableDefinitionNode(
                    variable=VariableNode(name=NameNode(value=name)),
                    type=parse_type(str(argument_type)),
                    directives=(),
                )
            )
            arguments.append(
                ArgumentNode(name=argument.name, value=VariableNode(name=NameNode(value=name)))
            )
        fields.append(
            FieldNode(
                alias=selection.alias,
                name=selection.name,
                arguments=tuple(arguments),
                directives=selection.directives,
                selection_set=selection.selection_set,
            )
        )
    selection_set = graphql.SelectionSetNode(selections=tuple(fields))
    operation = OperationDefinitionNode(
        operation=operation.operation,
        name=None,
        variable_definitions=tuple(definitions),
        directives=(),
        selection_set=selection_set,
    )
    return DocumentNode(definitions=(operation,)), variables


async def assert_survives(
    client: GraphQLClient, document: DocumentNode, as_variables: bool
) -> None:
    variables: dict[str, Any] = {}
    if as_variables:
        document, variables = with_variables(document)
    body = json.dumps({"query": print_ast(document), "variables": variables})
    response = await client.http.post(
        "/graphql",
        content=body,
        headers={
            **client.headers,
            "content-type": "application/json",
            "accept": "application/graphql-response+json",
        },
    )
    assert response.status_code < 500, response.text
    assert "INTERNAL_SERVER_ERROR" not in response.text, response.text
    assert not LEAKS.search(response.text), response.text


def _documents(kind: str) -> st.SearchStrategy[DocumentNode]:
    """Documents selecting one root field each, every field as likely as another (documents over
    all fields at once are mostly too large to pass the token limit)."""
    build = queries if kind == "query" else mutations
    root_type = SCHEMA.query_type if kind == "query" else SCHEMA.mutation_type
    assert root_type is not None
    return st.sampled_from(sorted(root_type.fields)).flatmap(
        lambda name: build(  # type: ignore[call-overload]
            SCHEMA, fields=[name], custom_scalars=CUSTOM_SCALARS, print_ast=lambda d: d
        )
    )


FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)


@pytest.mark.parametrize("kind", ["query", "mutation"])
@pytest.mark.parametrize("caller", ["anonymous", "administrator"])
async def test_no_document_gets_an_internal_error(
    client: GraphQLClient, admin: GraphQLClient, kind: str, caller: str
) -> None:
    await make_world()
    fuzzed = admin if caller == "administrator" else client
    # Hypothesis cannot drive a coroutine inside pytest-asyncio's running loop: the examples are
    # drawn first, then sent (a failure shows its document; there is no shrinking).
    examples: list[tuple[DocumentNode, bool]] = []

    @FUZZ
    @given(document=_documents(kind), as_variables=st.booleans())
    def draw(document: DocumentNode, as_variables: bool) -> None:
        examples.append((document, as_variables))

    draw()
    for document, as_variables in examples:
        await assert_survives(fuzzed, document, as_variables)
