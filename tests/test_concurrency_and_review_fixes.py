"""Races and edge cases found in review: each stays fixed."""

import asyncio
import base64
from datetime import date

import pytest

from models.committee import AppointmentOrder
from models.user import RefreshToken
from services import committee, cycles, users
from services.actor import SYSTEM, Actor
from services.cycles import StepAction
from services.errors import DomainError
from services.settings import get_settings
from tests.helpers import PASSWORD, GraphQLClient, error_codes, make_user
from tests.world import gid, make_person, make_world

LOGIN = """
mutation L($p: String!) { login(input: {username: "somchai", password: $p}) { errors { code } } }"""


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


async def test_parallel_wrong_passwords_are_throttled(
    client: GraphQLClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(get_settings(), "login_max_failures_per_account", 3)
    await make_user("somchai")

    bodies = await asyncio.gather(*(client.data(LOGIN, {"p": "wrong"}) for _ in range(8)))

    codes = [b["login"]["errors"][0]["code"] for b in bodies]
    assert codes.count("INVALID_CREDENTIALS") <= 3
    assert "THROTTLED" in codes


async def test_a_new_password_ends_the_old_sessions(client: GraphQLClient) -> None:
    user = await make_user("somchai")
    await client.data(LOGIN, {"p": PASSWORD})
    admin = Actor(user_id=None, is_system=True, roles=SYSTEM.roles)

    await users.update_user(
        actor=admin,
        user_id=user.id,
        version=1,
        changes=users.UserChanges(password="a brand new password"),
        reason="รั่วไหล",
    )

    assert await RefreshToken.filter(user_id=user.id, revoked_at__isnull=True).count() == 0


async def test_staff_given_a_step_may_act_on_it_without_a_seat(client: GraphQLClient) -> None:
    world = await make_world()
    assert world.cycle
    staff_user = await make_user("staff.no.seat")
    staff = await make_person(world.unit, "สมหญิง", staff_user)
    step = await world.step(8)
    await cycles.assign_responsible(
        actor=SYSTEM, step_id=step.id, version=1, person_ids=[staff.id], whole_committee=False
    )

    started = await cycles.act_on_step(
        actor=Actor(user_id=staff_user.id), step_id=step.id, action=StepAction.START
    )

    assert started.status == "IN_PROGRESS"


@pytest.mark.parametrize("raw", ["Document:²", "Document:99999999999999999999999"])
async def test_strange_ids_are_not_found_not_crashes(
    client: GraphQLClient, admin: GraphQLClient, raw: str
) -> None:
    encoded = base64.b64encode(raw.encode()).decode()

    download = await client.http.get(f"/files/{encoded}", headers=admin.headers)
    node = await admin.post("query N($id: ID!) { node(id: $id) { id } }", {"id": encoded})

    assert download.status_code == 404
    assert node["data"]["node"] is None and not error_codes(node)


def test_gid_helper_matches_relay_ids() -> None:
    assert gid("Unit", 1) == base64.b64encode(b"Unit:1").decode()


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
