"""The peer benchmark's LO Hub documents are valid against the committed schema, so a schema
change that breaks `make bench-peer` shows up in `make test`, not at the next measurement."""

from pathlib import Path

import pytest
from graphql import GraphQLSchema, build_schema, parse, validate

from bench.peer.queries import QUERIES, Query

SCHEMA_FILE = Path(__file__).parents[2] / "schema.graphql"


@pytest.fixture(scope="module")
def committed_schema() -> GraphQLSchema:
    return build_schema(SCHEMA_FILE.read_text(encoding="utf-8"))


@pytest.mark.parametrize("query", QUERIES, ids=lambda q: q.key)
def test_peer_benchmark_query_is_valid(committed_schema: GraphQLSchema, query: Query) -> None:
    assert validate(committed_schema, parse(query.document)) == []
