"""Relay conventions: global ids, node/nodes, connections, cursors and SQL per request."""

import base64

import pytest

from models.audit import AuditEvent
from tests.helpers import GraphQLClient, count_queries, error_codes, make_user
from tests.world import gid

NODE = """
query Node($id: ID!) { node(id: $id) { id ... on User { username } } }"""
NODES = """
query Nodes($ids: [ID!]!) { nodes(ids: $ids) { id ... on User { username } } }"""
PAGE = """
query Page($first: Int, $after: String, $last: Int, $before: String) {
  users(first: $first, after: $after, last: $last, before: $before, orderBy: [{field: USERNAME}]) {
    edges { cursor node { username } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}"""
USERS_WITH_ROLES = """
query Users($first: Int) {
  users(first: $first) { totalCount nodes { id username roles createdAt } }
}"""
AUDIT_WITH_ACTORS = """
query Audit($first: Int) {
  auditEvents(first: $first) { nodes { action actor { username roles } } }
}"""


async def _usernames(client: GraphQLClient, **variables: object) -> tuple[list[str], dict]:
    page = (await client.data(PAGE, variables))["users"]
    return [e["node"]["username"] for e in page["edges"]], page["pageInfo"]


async def test_node_and_nodes_resolve_global_ids_in_order(admin: GraphQLClient) -> None:
    ann = await make_user("ann")
    bob = await make_user("bob")
    ann_id = (await admin.data('{ users(filter: {search: "ann"}) { nodes { id } } }'))["users"][
        "nodes"
    ][0]["id"]
    bob_id = ann_id.replace(*_swap_id(ann.id, bob.id))

    node = await admin.data(NODE, {"id": ann_id})
    nodes = await admin.data(NODES, {"ids": [bob_id, ann_id, "VXNlcjo5OTk5"]})

    assert node["node"] == {"id": ann_id, "username": "ann"}
    assert [n and n["username"] for n in nodes["nodes"]] == ["bob", "ann", None]


def _swap_id(old: int, new: int) -> tuple[str, str]:
    import base64

    return (
        base64.b64encode(f"User:{old}".encode()).decode(),
        base64.b64encode(f"User:{new}".encode()).decode(),
    )


async def test_node_hides_what_the_viewer_may_not_see(client: GraphQLClient) -> None:
    ann = await make_user("ann")
    bob = await make_user("bob")
    _, bob_id = _swap_id(ann.id, bob.id)

    seen = await client.signed_in_as(ann).data(NODE, {"id": bob_id})

    assert seen["node"] is None


@pytest.mark.parametrize("bad_id", ["not base64!", "VW5rbm93bjox"])  # the second is "Unknown:1"
async def test_malformed_or_unknown_global_id_is_a_client_error(
    admin: GraphQLClient, bad_id: str
) -> None:
    body = await admin.post(NODE, {"id": bad_id})

    assert error_codes(body) in (["BAD_USER_INPUT"], [None])
    assert "Internal" not in body["errors"][0]["message"]


async def test_forward_and_backward_paging_visit_every_item_once(admin: GraphQLClient) -> None:
    for name in ["u1", "u2", "u3", "u4", "u5"]:
        await make_user(name)
    everyone = ["root", "u1", "u2", "u3", "u4", "u5"]

    first, info1 = await _usernames(admin, first=4)
    rest, info2 = await _usernames(admin, first=4, after=info1["endCursor"])
    tail, info3 = await _usernames(admin, last=2)
    before_tail, info4 = await _usernames(admin, last=3, before=info3["startCursor"])

    assert first + rest == everyone
    assert (info1["hasNextPage"], info1["hasPreviousPage"]) == (True, False)
    assert (info2["hasNextPage"], info2["hasPreviousPage"]) == (False, True)
    assert tail == ["u4", "u5"] and info3["hasPreviousPage"] is True
    assert before_tail == ["u1", "u2", "u3"] and info4["hasNextPage"] is True


@pytest.mark.parametrize(
    "variables", [{"first": 101}, {"first": -1}, {"last": 1000}, {"after": "garbage"}]
)
async def test_page_size_cap_and_bad_cursors_are_client_errors(
    admin: GraphQLClient, variables: dict
) -> None:
    body = await admin.post(PAGE, variables)

    assert error_codes(body) == ["BAD_USER_INPUT"]


async def test_total_count_is_counted_only_when_selected(admin: GraphQLClient) -> None:
    with count_queries() as without_count:
        await admin.data("{ users(first: 10) { nodes { username } } }")
    with count_queries() as with_count:
        await admin.data("{ users(first: 10) { totalCount nodes { username } } }")

    assert len(with_count) == len(without_count) + 1
    assert not any("COUNT(" in s.upper() for s in without_count)


@pytest.mark.parametrize(
    ("query", "connection"), [(USERS_WITH_ROLES, "users"), (AUDIT_WITH_ACTORS, "auditEvents")]
)
async def test_sql_statements_do_not_grow_with_page_size(
    admin: GraphQLClient, query: str, connection: str
) -> None:
    for i in range(30):
        user = await make_user(f"user{i:02}", roles={"MANAGER"})
        await AuditEvent.create(actor_id=user.id, action="x", object_type="User", object_id="1")

    with count_queries() as small:
        small_page = await admin.data(query, {"first": 2})
    with count_queries() as large:
        large_page = await admin.data(query, {"first": 30})

    assert len(small_page[connection]["nodes"]) == 2
    assert len(large_page[connection]["nodes"]) == 30
    assert len(large) == len(small) <= 3, large


def test_gid_helper_matches_relay_ids() -> None:
    assert gid("Unit", 1) == base64.b64encode(b"Unit:1").decode()
