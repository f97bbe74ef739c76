"""The custom scalars' contract with code generators: each names its specification and keeps its
wire format (Decimal with two decimal places, DateTime with an offset, Date ISO 8601)."""

import re

from tests.helpers import GraphQLClient
from tests.plans_world import draft_plan
from tests.world import gid, make_world

SCALARS = "{ __schema { types { kind name specifiedByURL } } }"
PLAN = """query($id: ID!) { node(id: $id) { ... on Plan { budgetTotal createdAt
    activities { budget weight startsOn } } } }"""
BUILT_IN = {"String", "Int", "Float", "Boolean", "ID"}


async def test_every_custom_scalar_names_its_specification(client: GraphQLClient) -> None:
    body = await client.data(SCALARS)

    custom = {
        t["name"]: t["specifiedByURL"]
        for t in body["__schema"]["types"]
        if t["kind"] == "SCALAR" and t["name"] not in BUILT_IN
    }
    assert set(custom) >= {"Date", "DateTime", "Decimal", "Upload", "JSON"}
    assert all(url and url.startswith("https://") for url in custom.values()), custom


async def test_decimals_have_two_places_and_instants_an_offset(client: GraphQLClient) -> None:
    world = await make_world()
    plan = await draft_plan(world)

    body = await client.signed_in_as(world.users["SECRETARY"]).data(
        PLAN, {"id": gid("Plan", plan.id)}
    )

    node = body["node"]
    assert node["budgetTotal"] == "15000.00"
    assert node["activities"][0]["weight"] == "1.00"
    assert re.fullmatch(r"\d{4}-\d\d-\d\d", node["activities"][0]["startsOn"])
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?\+00:00", node["createdAt"])
