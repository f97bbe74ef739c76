"""Deny by default: every node type states its read rule, and no one signed out reads any node."""

import base64

import pytest
import strawberry

from schema.relay import ModelNode
from schema.schema import build_schema
from services.settings import get_settings
from tests.helpers import GraphQLClient, error_codes, make_user

NODE = "query Node($id: ID!) { node(id: $id) { id } }"
# A judge's own rows: their rules answer "none" to a stranger instead of refusing.
ANSWER_NONE_SIGNED_OUT = {"JudgeAssignment", "ConflictDeclaration", "ScoreSheet"}


def _node_types() -> dict[str, type[ModelNode]]:
    """Every node type of the schema by its GraphQL name."""
    schema = build_schema(get_settings())
    found: dict[str, type[ModelNode]] = {}
    for name, definition in schema.schema_converter.type_map.items():
        origin = getattr(definition.definition, "origin", None)
        if isinstance(origin, type) and issubclass(origin, ModelNode):
            found[name] = origin
    return found


def _global_id(type_name: str, pk: int) -> str:
    return base64.b64encode(f"{type_name}:{pk}".encode()).decode()


def test_every_node_type_states_its_read_rule() -> None:
    node_types = _node_types()

    without_rule = [name for name, cls in node_types.items() if "visible" not in vars(cls)]

    assert len(node_types) >= 35
    assert without_rule == []


def test_a_node_type_without_a_read_rule_is_refused() -> None:
    with pytest.raises(TypeError, match="states no read rule"):

        @strawberry.type
        class Secret(ModelNode):
            id: strawberry.relay.NodeID[int]


async def test_no_node_is_readable_signed_out(client: GraphQLClient) -> None:
    await make_user("ann")

    bodies = {name: await client.post(NODE, {"id": _global_id(name, 1)}) for name in _node_types()}

    readable = [name for name, body in bodies.items() if (body.get("data") or {}).get("node")]
    not_refused = {
        name for name, body in bodies.items() if error_codes(body) != ["UNAUTHENTICATED"]
    }
    assert readable == []
    assert not_refused == ANSWER_NONE_SIGNED_OUT
