"""Units, people and the committee's appointment orders (SOP step 1)."""

import asyncio
from datetime import date
from typing import Any

from models.committee import AppointmentOrder
from services import committee
from services.actor import Actor
from services.errors import DomainError
from tests.helpers import GraphQLClient, count_queries
from tests.world import World, gid, make_person, make_world

ORDER_CREATE = """
mutation Create($input: AppointmentOrderCreateInput!) {
  appointmentOrderCreate(input: $input) {
    order { number isCurrent orderDateTh members { role positionTh person { firstNameTh } } }
    errors { code field message }
  }
}"""
UNIT = """
query Unit($id: ID!) {
  node(id: $id) {
    ... on Unit {
      code
      currentCommittee { number members { role person { firstNameTh } } }
    }
  }
}"""
HISTORY = """
query History($unit: ID!) {
  appointmentOrders(filter: {unit: $unit}) {
    nodes {
      number isCurrent supersededBy { number }
      members { person { fullNameTh unit { code } } }
    }
  }
}"""


def _order(world: World, members: list[tuple[str, str]], **overrides: Any) -> dict[str, Any]:
    return {
        "unit": gid("Unit", world.unit.id),
        "number": "7/2565",
        "orderDate": "2022-03-01",
        "subjectTh": "แต่งตั้งคณะกรรมการ LO (ทบทวน)",
        "issuerTh": "สำนักงานเลขานุการกรม",
        "members": [
            {"person": gid("Person", world.people[name].id), "role": role} for name, role in members
        ],
    } | overrides


NEW_COMMITTEE = [("พิกุล", "CHAIR"), ("กนกานต์", "SECRETARY"), ("จุฑามาศ", "MEMBER")]


async def test_a_new_order_supersedes_the_current_one_and_history_stays(
    client: GraphQLClient,
) -> None:
    world = await make_world(with_cycle=False)
    chair = world.client(client, "CHAIR")

    created = (await chair.data(ORDER_CREATE, {"input": _order(world, NEW_COMMITTEE)}))[
        "appointmentOrderCreate"
    ]
    unit = (await chair.data(UNIT, {"id": gid("Unit", world.unit.id)}))["node"]
    history = (await chair.data(HISTORY, {"unit": gid("Unit", world.unit.id)}))[
        "appointmentOrders"
    ]["nodes"]

    assert created["errors"] == []
    assert created["order"]["isCurrent"] is True
    assert created["order"]["orderDateTh"] == "1 มีนาคม 2565"
    assert created["order"]["members"][0]["positionTh"] == "บรรณารักษ์"
    assert unit["currentCommittee"]["number"] == "7/2565"
    assert [(o["number"], o["isCurrent"]) for o in history] == [
        ("7/2565", True),
        ("20/2564", False),
    ]
    assert history[1]["supersededBy"] == {"number": "7/2565"}
    # The new chair leads now; the old chair is an ordinary member.
    new_chair = world.client(client, "SECRETARY")  # พิกุล, chair of 7/2565
    again = await new_chair.post(
        ORDER_CREATE, {"input": _order(world, NEW_COMMITTEE, number="8/2565")}
    )
    refused = await chair.post(
        ORDER_CREATE, {"input": _order(world, NEW_COMMITTEE, number="9/2565")}
    )
    assert again["data"]["appointmentOrderCreate"]["errors"] == []
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_an_order_needs_exactly_one_chair_and_one_secretary(client: GraphQLClient) -> None:
    world = await make_world(with_cycle=False)
    chair = world.client(client, "CHAIR")
    two_chairs = [("พิกุล", "CHAIR"), ("กนกานต์", "CHAIR")]

    result = (await chair.data(ORDER_CREATE, {"input": _order(world, two_chairs)}))[
        "appointmentOrderCreate"
    ]

    assert result["order"] is None
    assert [(e["code"], e["field"]) for e in result["errors"]] == [
        ("INVALID_INPUT", ["input", "members"])
    ]
    assert await AppointmentOrder.filter(unit_id=world.unit.id).count() == 1


async def test_members_must_belong_to_the_unit_and_appear_once(client: GraphQLClient) -> None:
    world = await make_world(with_cycle=False)
    members = [("พิกุล", "CHAIR"), ("outsider", "SECRETARY"), ("พิกุล", "MEMBER")]

    result = (
        await world.client(client, "CHAIR").data(ORDER_CREATE, {"input": _order(world, members)})
    )["appointmentOrderCreate"]

    assert [(e["code"], e["field"]) for e in result["errors"]] == [
        ("INVALID_INPUT", ["input", "members", "1", "person"]),
        ("INVALID_INPUT", ["input", "members", "2", "person"]),
    ]


async def test_order_number_format_duplicates_and_dates(client: GraphQLClient) -> None:
    world = await make_world(with_cycle=False)
    chair = world.client(client, "CHAIR")

    bad_number = await chair.data(ORDER_CREATE, {"input": _order(world, NEW_COMMITTEE, number="x")})
    duplicate = await chair.data(
        ORDER_CREATE, {"input": _order(world, NEW_COMMITTEE, number="20/2564")}
    )
    older = await chair.data(
        ORDER_CREATE, {"input": _order(world, NEW_COMMITTEE, orderDate="2020-01-01")}
    )

    assert bad_number["appointmentOrderCreate"]["errors"][0]["field"] == ["input", "number"]
    assert duplicate["appointmentOrderCreate"]["errors"][0]["code"] == "DUPLICATE"
    assert older["appointmentOrderCreate"]["errors"][0]["field"] == ["input", "orderDate"]


async def test_order_history_reads_in_fixed_sql_whatever_its_size(client: GraphQLClient) -> None:
    world = await make_world(with_cycle=False)
    variables = {"unit": gid("Unit", world.unit.id)}
    reader = world.client(client, "MEMBER")
    counts = []
    for n in range(4):
        extra = await make_person(world.unit, f"เพิ่ม{n}")
        world.people[extra.first_name_th] = extra
        members = [*NEW_COMMITTEE, (extra.first_name_th, "MEMBER")]
        # จุฑามาศ chairs the first order, พิกุล every later one.
        lead = world.client(client, "CHAIR" if n == 0 else "SECRETARY")
        body = await lead.data(
            ORDER_CREATE, {"input": _order(world, members, number=f"{10 + n}/2565")}
        )
        assert body["appointmentOrderCreate"]["errors"] == []
        with count_queries() as statements:
            history = await reader.data(HISTORY, variables)
        assert len(history["appointmentOrders"]["nodes"]) == n + 2
        counts.append(len(statements))

    assert len(set(counts)) == 1, counts


async def test_two_orders_at_once_leave_one_current_committee(database: str) -> None:
    world = await make_world(with_cycle=False)
    chair = Actor(user_id=world.users["CHAIR"].id)

    def order(number: str) -> committee.NewOrder:
        return committee.NewOrder(
            unit_id=world.unit.id,
            number=number,
            order_date=date(2022, 1, 10),
            subject_th="แต่งตั้ง",
            issuer_th="สลก.",
            members=[
                committee.Seat(person_id=world.people["จุฑามาศ"].id, role="CHAIR"),
                committee.Seat(person_id=world.people["พิกุล"].id, role="SECRETARY"),
            ],
        )

    results = await asyncio.gather(
        committee.create_order(actor=chair, data=order("21/2565")),
        committee.create_order(actor=chair, data=order("22/2565")),
        return_exceptions=True,
    )

    assert all(not isinstance(r, Exception) or isinstance(r, DomainError) for r in results)
    assert await AppointmentOrder.filter(unit_id=world.unit.id, superseded_by_id=None).count() == 1


async def test_an_omitted_account_link_is_kept_on_update(admin: GraphQLClient) -> None:
    world = await make_world(with_cycle=False)
    person = world.people["จุฑามาศ"]

    result = await admin.data(
        "mutation U($input: PersonUpdateInput!) { personUpdate(input: $input) "
        "{ person { positionTh user { username } } errors { code } } }",
        {
            "input": {
                "id": gid("Person", person.id),
                "version": person.version,
                "unit": gid("Unit", world.unit.id),
                "firstNameTh": "จุฑามาศ",
                "positionTh": "บรรณารักษ์ชำนาญการพิเศษ",
            }
        },
    )

    assert result["personUpdate"]["person"] == {
        "positionTh": "บรรณารักษ์ชำนาญการพิเศษ",
        "user": {"username": "chair"},
    }
