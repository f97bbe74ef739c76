"""Guard rails against expensive requests: depth, aliases, tokens, query cost, body size, and
what production hides (introspection, field suggestions)."""

import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack
from typing import Any

import httpx
import pytest
from graphql import get_introspection_query, parse

from api.app import create_app
from api.settings import Settings, get_settings
from schema.cost import CostOverLimit, operation_cost
from schema.schema import build_schema
from tests.helpers import GraphQLClient, count_queries, error_codes, make_user

ClientWith = Callable[..., Awaitable[GraphQLClient]]

USERS_THREE_DEEP = "query Users { users { edges { node { id } } } }"
USERS_TWO_DEEP = "query Users { users { nodes { id } } }"
# Deeper than any real query: the depth rule looks at the document, whatever the fields are.
THIRTEEN_DEEP = "query Deep { me " + "{ a " * 12 + "{ id }" + " }" * 12 + " }"
TYPE_NAMES = "{ __schema { types { name } } }"
NESTED_INTROSPECTION = "{ __schema { types { fields { type { name } } } } }"
STANDARD_INTROSPECTION = get_introspection_query(descriptions=True)
# As deep as validation lets introspection go (two lists of fields), 20 times over.
_DEEPEST_TYPES = (
    "types { fields { args { type { ofType { ofType { ofType { name } } } } }"
    " type { ofType { ofType { ofType { fields { type { ofType { ofType { ofType { name } } } }"
    " } } } } } } }"
)
DEEP_INTROSPECTION = (
    "{ __schema { " + " ".join(f"t{i}: {_DEEPEST_TYPES}" for i in range(20)) + " } }"
)
PAGE_OF_USERS = "users(first: 100) { nodes { id } }"
TWO_PAGES_OF_USERS = f"query Pages {{ a: {PAGE_OF_USERS} b: {PAGE_OF_USERS} }}"
USERS_PAGE_FROM_VARIABLE = "query Users($first: Int) { users(first: $first) { nodes { id } } }"
OPERATION_NAMED_SCHEMA = f"query __schema {{ a: {PAGE_OF_USERS} b: {PAGE_OF_USERS} }}"
FRAGMENT_NAMED_TYPE = f"""
query Pages {{ ...__type }}
fragment __type on Query {{ a: {PAGE_OF_USERS} ... on Query {{ b: {PAGE_OF_USERS} }} }}"""
CHEAP_AND_COSTLY = f"""
query Cheap {{ users(first: 1) {{ nodes {{ id }} }} }}
query Costly {{ a: {PAGE_OF_USERS} b: {PAGE_OF_USERS} }}"""
SCHEMA_QUERY_TYPE = "{ __schema { queryType { name } } }"
TYPENAME = "{ __typename }"
MISSPELT_ME = "{ mee { id } }"


def aliases(count: int) -> str:
    return "{ " + " ".join(f"a{i}: __typename" for i in range(count)) + " }"


def nodes_query(token_count: int) -> str:
    """A valid document of exactly ``token_count`` tokens: 12 of syntax, the rest ids."""
    return "{ nodes(ids: [" + ' "VXNlcjox"' * (token_count - 12) + " ]) { id } }"


def fragment_chain(levels: int) -> str:
    """Each fragment spreads the one before it twice: a few bytes a level, the expansion doubles."""
    fragments = "".join(
        f"fragment F{level} on Query {{ ...F{level - 1} ...F{level - 1} }}\n"
        for level in range(1, levels + 1)
    )
    return f"query Chain {{ ...F{levels} }}\nfragment F0 on Query {{ __typename }}\n{fragments}"


def messages(body: dict[str, Any]) -> list[str]:
    return [error["message"] for error in body.get("errors", [])]


def objects_in(value: Any) -> int:
    """The JSON objects in ``value``, itself included: what the cost counts, but for the root."""
    if isinstance(value, dict):
        return 1 + sum(objects_in(item) for item in value.values())
    if isinstance(value, list):
        return sum(objects_in(item) for item in value)
    return 0


def introspection_cost(query: str, limit: int | None = None) -> int:
    schema = build_schema(get_settings())._schema
    return operation_cost(schema, parse(query), None, {}, limit)


@pytest.fixture
async def client_with(database: str) -> AsyncIterator[ClientWith]:
    """Clients of apps built with other settings, signed in as an administrator; the database is
    already open."""
    admin = await make_user("root", roles={"ADMIN"})
    async with AsyncExitStack() as stack:

        async def make(**settings: Any) -> GraphQLClient:
            app = create_app(Settings(**settings), manage_database=False)
            transport = httpx.ASGITransport(app=app)
            http = await stack.enter_async_context(
                httpx.AsyncClient(transport=transport, base_url="http://lohub.test")
            )
            return GraphQLClient(http).signed_in_as(admin)

        yield make


async def test_depth_limit_refuses_a_document_deeper_than_12_by_default(
    client: GraphQLClient,
) -> None:
    body = await client.post(THIRTEEN_DEEP)

    assert body["data"] is None
    assert "'Deep' exceeds maximum operation depth of 12" in messages(body)


async def test_a_fragment_chain_30_levels_deep_is_refused_at_once(client: GraphQLClient) -> None:
    started = time.perf_counter()
    body = await client.post(fragment_chain(30))
    elapsed = time.perf_counter() - started

    # Generous for a loaded machine; the benchmark (bench/guards.py) has the real figures.
    assert elapsed < 1.0
    assert body["data"] is None
    assert messages(body) == [
        f"{2**30} fields found. Allowed: 2000",
        f"A field is selected {2**30} times in one selection set. Allowed: 10",
    ]
    assert set(error_codes(body)) == {"GRAPHQL_VALIDATION_FAILED"}


async def test_depth_limit_counts_levels_of_selection(client_with: ClientWith) -> None:
    shallow = await client_with(max_query_depth=2)

    refused = await shallow.post(USERS_THREE_DEEP)
    allowed = await shallow.post(USERS_TWO_DEEP)

    assert refused["data"] is None
    assert messages(refused) == ["'Users' exceeds maximum operation depth of 2"]
    assert allowed["data"]["users"]["nodes"]


async def test_alias_limit_allows_30_aliases_and_refuses_31(client: GraphQLClient) -> None:
    allowed = await client.post(aliases(30))
    refused = await client.post(aliases(31))

    assert "errors" not in allowed
    assert refused["data"] is None
    assert messages(refused) == ["31 aliases found. Allowed: 30"]


async def test_token_limit_refuses_a_document_of_more_than_3000_tokens(
    admin: GraphQLClient,
) -> None:
    allowed = await admin.post(nodes_query(3_000))
    refused = await admin.post(nodes_query(3_001))

    assert "errors" not in allowed
    assert refused["data"] is None
    assert messages(refused) == [
        "Syntax Error: Document contains more than 3000 tokens. Parsing aborted."
    ]


async def test_query_cost_over_the_limit_is_refused_before_anything_runs(
    client_with: ClientWith,
) -> None:
    limited = (await client_with(max_query_cost=150)).with_headers(accept="application/json")

    allowed = await limited.post(f"{{ {PAGE_OF_USERS} }}")
    with count_queries() as statements:
        refused = await limited.post(TWO_PAGES_OF_USERS)

    assert "errors" not in allowed
    assert refused == {
        "data": None,
        "errors": [
            {
                "message": "Query cost 202 exceeds the limit of 150",
                "extensions": {"code": "QUERY_TOO_COSTLY", "cost": 202, "maxCost": 150},
            }
        ],
    }
    assert statements == []


async def test_standard_introspection_passes_and_costs_the_objects_it_returns(
    client: GraphQLClient,
) -> None:
    body = await client.post(STANDARD_INTROSPECTION)

    assert "errors" not in body
    assert body["data"]["__schema"]["types"]
    assert introspection_cost(STANDARD_INTROSPECTION) == objects_in(body["data"]) - 1


async def test_nested_introspection_is_counted_and_limited_too(client_with: ClientWith) -> None:
    type_count = len(build_schema(get_settings())._schema.type_map)
    limited = await client_with(max_query_cost=1 + type_count)

    names = await limited.post(TYPE_NAMES)
    nested = await limited.post(NESTED_INTROSPECTION)

    assert "errors" not in names
    assert error_codes(nested) == ["QUERY_TOO_COSTLY"]
    assert nested["errors"][0]["extensions"]["cost"] > 1 + type_count


async def test_deep_introspection_over_the_limit_is_refused(client: GraphQLClient) -> None:
    body = await client.post(DEEP_INTROSPECTION)

    assert body["data"] is None
    assert error_codes(body) == ["QUERY_TOO_COSTLY"]
    assert messages(body)[0].startswith("Query cost of at least ")
    assert messages(body)[0].endswith(" exceeds the limit of 20000")


def test_introspection_counting_stops_as_soon_as_it_is_over_the_limit() -> None:
    # Nested deeper than validation allows: each level multiplies by Node's implementations.
    levels = 40
    query = (
        '{ __type(name: "Node") { '
        + "possibleTypes { interfaces { " * levels
        + "name"
        + " } }" * levels
        + " } }"
    )

    with pytest.raises(CostOverLimit) as over:
        introspection_cost(query, limit=20_000)

    assert introspection_cost(query) > 1_000 * 20_000
    # Counted one by one up to the limit, then at most one repeat of what was counted already.
    assert 20_000 < over.value.counted <= 40_001


async def test_page_size_given_in_a_variable_sets_the_cost(client_with: ClientWith) -> None:
    limited = await client_with(max_query_cost=50)

    ten = await limited.post(USERS_PAGE_FROM_VARIABLE, {"first": 10})
    hundred = await limited.post(USERS_PAGE_FROM_VARIABLE, {"first": 100})
    absent = await limited.post(USERS_PAGE_FROM_VARIABLE)

    assert "errors" not in ten
    assert error_codes(hundred) == ["QUERY_TOO_COSTLY"]
    assert hundred["errors"][0]["extensions"]["cost"] == 101
    assert "errors" not in absent  # the default page, 20


async def test_introspection_names_do_not_escape_the_cost_limit(
    client_with: ClientWith,
) -> None:
    limited = await client_with(max_query_cost=150)

    operation = await limited.post(OPERATION_NAMED_SCHEMA)
    fragment = await limited.post(FRAGMENT_NAMED_TYPE)

    assert messages(operation) == ["Query cost 202 exceeds the limit of 150"]
    assert messages(fragment) == ["Query cost 202 exceeds the limit of 150"]


async def test_only_the_operation_asked_for_is_costed(client_with: ClientWith) -> None:
    limited = await client_with(max_query_cost=150)

    async def run(operation_name: str) -> dict[str, Any]:
        response = await limited.http.post(
            "/graphql",
            json={"query": CHEAP_AND_COSTLY, "operationName": operation_name},
            headers=limited.headers,
        )
        assert response.status_code == 200, response.text
        return response.json()

    cheap = await run("Cheap")
    costly = await run("Costly")

    assert "errors" not in cheap
    assert error_codes(costly) == ["QUERY_TOO_COSTLY"]


async def test_body_over_the_limit_is_refused_by_its_content_length(
    client: GraphQLClient,
) -> None:
    padding = "x" * 1_000_000

    response = await client.http.post(
        "/graphql", json={"query": TYPENAME, "variables": {"padding": padding}}
    )

    assert response.status_code == 413
    assert response.json() == {"errors": [{"message": "Request body larger than 1000000 bytes"}]}


async def test_streamed_body_over_the_limit_is_refused_while_it_arrives(
    client: GraphQLClient,
) -> None:
    async def chunks() -> AsyncIterator[bytes]:
        yield b'{"query": "{ __typename }", "variables": {"padding": "'
        for _ in range(11):
            yield b"x" * 100_000
        yield b'"}}'

    response = await client.http.post(
        "/graphql", content=chunks(), headers={"content-type": "application/json"}
    )

    assert "content-length" not in response.request.headers
    assert response.status_code == 413
    assert response.json() == {"errors": [{"message": "Request body larger than 1000000 bytes"}]}


async def test_introspection_off_refuses_schema_queries_but_not_typename(
    client_with: ClientWith,
) -> None:
    closed = await client_with(introspection=False)

    refused = await closed.post(SCHEMA_QUERY_TYPE)
    typename = await closed.post(TYPENAME)

    assert refused["data"] is None
    assert messages(refused)[0] == (
        "GraphQL introspection has been disabled, but the requested query contained the field "
        "'__schema'."
    )
    assert typename == {"data": {"__typename": "Query"}}


async def test_field_suggestions_off_leave_out_did_you_mean(
    client: GraphQLClient, client_with: ClientWith
) -> None:
    quiet = await client_with(field_suggestions=False)

    with_suggestions = await client.post(MISSPELT_ME)
    without_suggestions = await quiet.post(MISSPELT_ME)

    assert messages(with_suggestions) == [
        "Cannot query field 'mee' on type 'Query'. Did you mean 'me'?"
    ]
    assert messages(without_suggestions) == ["Cannot query field 'mee' on type 'Query'."]


async def test_a_multipart_upload_may_be_as_large_as_a_file_may_be(
    client_with: ClientWith,
) -> None:
    limited = await client_with(max_body_bytes=1_024, max_upload_bytes=8_192)
    operations = '{"query": "mutation ($f: Upload!) { documentUpload(input: {file: $f}) { errors { code } } }", "variables": {"f": null}}'  # noqa: E501
    big_file = b"%PDF-1.4\n" + bytes(4_000)

    upload = await limited.http.post(
        "/graphql",
        data={"operations": operations, "map": '{"0": ["variables.f"]}'},
        files={"0": ("evidence.pdf", big_file, "application/pdf")},
        headers={**limited.headers, "GraphQL-Require-Preflight": "1"},
    )
    too_big = await limited.http.post(
        "/graphql",
        data={"operations": operations, "map": '{"0": ["variables.f"]}'},
        files={"0": ("evidence.pdf", big_file * 3, "application/pdf")},
        headers={**limited.headers, "GraphQL-Require-Preflight": "1"},
    )
    json_body = await limited.http.post(
        "/graphql", json={"query": "{ me { id } }", "x": "y" * 2_000}
    )

    assert upload.status_code == 200  # reaches the mutation (which asks for a target)
    assert upload.json()["data"]["documentUpload"]["errors"][0]["code"] == "INVALID_INPUT"
    assert too_big.status_code == 413
    assert json_body.status_code == 413


async def test_each_document_limit_refuses_before_validation(client_with: ClientWith) -> None:
    tight = await client_with(
        max_directives=2,
        max_fields=5,
        max_field_repeats=2,
        max_fragments=1,
        max_variables=2,
        max_string_length=100,
    )
    refusals = {
        "{ __typename @skip(if: false) @include(if: true) @include(if: true) }": (
            "3 directives found. Allowed: 2"
        ),
        "{ me { id username } users { nodes { id username } } }": "7 fields found. Allowed: 5",
        "{ __typename __typename __typename }": (
            "A field is selected 3 times in one selection set. Allowed: 2"
        ),
        "{ ...A ...B } fragment A on Query { __typename } fragment B on Query { __typename }": (
            "2 fragments found. Allowed: 1"
        ),
        "query ($a: ID, $b: ID, $c: ID) { __typename }": "3 variables found. Allowed: 2",
        f'{{ node(id: "{"x" * 101}") {{ id }} }}': "A string of 101 characters found. Allowed: 100",
    }

    for document, message in refusals.items():
        body = await tight.post(document)
        assert messages(body) == [message], document
        assert error_codes(body) == ["GRAPHQL_VALIDATION_FAILED"]


async def test_limits_count_what_fragments_and_inline_fragments_add(
    client_with: ClientWith,
) -> None:
    tight = await client_with(max_directives=2, max_field_repeats=2, max_aliases=3)
    # The same fragment spread twice counts twice; inline fragments merge into their set.
    spread_twice = (
        "{ ...A ...A } fragment A on Query { a: __typename b: __typename @include(if: true) }"
    )
    merged = "{ __typename ... on Query { __typename } ...A } fragment A on Query { __typename }"

    body = await tight.post(spread_twice)
    assert messages(body) == ["4 aliases found. Allowed: 3"]
    body = await tight.post(merged)
    assert messages(body) == ["A field is selected 3 times in one selection set. Allowed: 2"]


async def test_the_variables_object_counts_against_the_variable_limit(
    client_with: ClientWith,
) -> None:
    tight = await client_with(max_variables=2)

    body = await tight.post("{ __typename }", {"a": 1, "b": 2, "c": 3})

    assert messages(body) == ["3 variables found. Allowed: 2"]


async def test_a_fragment_cycle_is_refused_by_validation_not_looped_over(
    client: GraphQLClient,
) -> None:
    body = await client.post(
        "{ ...A } fragment A on Query { ...B } fragment B on Query { ...A __typename }"
    )

    assert body["data"] is None
    assert error_codes(body) == ["GRAPHQL_VALIDATION_FAILED"]
    assert "Cannot spread fragment 'A' within itself via 'B'." in messages(body)
