"""Refusals that say why: FORBIDDEN carries the reason the refusing rule found
(``extensions.reason``) and a message in the request's language that says what is missing."""

import ast
import re
from pathlib import Path
from typing import Any

import pytest

from services.errors import ForbiddenReason
from services.messages import render
from tests.contest_world import make_contest_world
from tests.helpers import GraphQLClient, make_user
from tests.works.test_works import CREATE, UPDATE, _fields, _input
from tests.world import gid, make_world

REOPEN = """mutation Reopen($input: CycleStepActionInput!) {
    cycleStepReopen(input: $input) { errors { code } } }"""
RESULTS = "query($id: ID!) { contestResults(contestId: $id) { published } }"
DASHBOARD = "query($units: [ID!]) { dashboard(fiscalYear: 2565, unitIds: $units) { fiscalYear } }"
USER_CREATE = """mutation Create($input: UserCreateInput!) {
    userCreate(input: $input) { user { id } errors { code } } }"""


def refusal(body: dict[str, Any]) -> tuple[str, str]:
    """The one FORBIDDEN error's reason and message."""
    [error] = body["errors"]
    assert error["extensions"]["code"] == "FORBIDDEN", body
    return error["extensions"]["reason"], error["message"]


async def test_a_new_account_not_linked_to_a_person_is_told_to_ask_an_administrator(
    client: GraphQLClient,
) -> None:
    world = await make_world(with_cycle=False)
    innovator = client.signed_in_as(await make_user("innovator1"))

    thai = await innovator.with_headers(**{"accept-language": "th"}).post(
        CREATE, {"input": _input(world)}
    )
    english = await innovator.with_headers(**{"accept-language": "en"}).post(
        CREATE, {"input": _input(world)}
    )

    reason, message = refusal(thai)
    assert reason == "NOT_LINKED_TO_UNIT"
    assert "ยังไม่ได้เชื่อมกับบุคลากรของหน่วยงานนี้" in message and "ผู้ดูแลระบบ" in message
    assert refusal(english) == (
        "NOT_LINKED_TO_UNIT",
        "Your account is not linked to a person of this unit — ask an administrator to link it",
    )


async def test_a_person_of_another_unit_hears_the_same(client: GraphQLClient) -> None:
    world = await make_world(with_cycle=False)
    outsider = world.client(client, "OUTSIDER").with_headers(**{"accept-language": "en"})

    body = await outsider.post(CREATE, {"input": _input(world)})

    assert refusal(body)[0] == "NOT_LINKED_TO_UNIT"


async def test_a_member_editing_someone_elses_work_hears_who_may(client: GraphQLClient) -> None:
    world = await make_world(with_cycle=False)
    created = await world.client(client, "MEMBER").data(CREATE, {"input": _input(world)})
    work_id = created["workCreate"]["work"]["id"]
    # The secretary's assistant sits on the committee but is neither an author nor a lead.
    assistant_user = await make_user("assistant")
    world.people["วราภรณ์"].user_id = assistant_user.id
    await world.people["วราภรณ์"].save(update_fields=["user_id"])
    assistant = client.signed_in_as(assistant_user).with_headers(**{"accept-language": "en"})

    body = await assistant.post(
        UPDATE, {"input": {"id": work_id, "version": 1, **_fields(world, titleTh="อื่น")}}
    )

    reason, message = refusal(body)
    assert reason == "AUTHOR_OR_LEAD_REQUIRED"
    assert message.startswith("Only the work's authors or the chair or secretary")


async def test_an_administrators_mutation_names_the_role_it_needs(client: GraphQLClient) -> None:
    clerk = client.signed_in_as(await make_user("clerk")).with_headers(**{"accept-language": "en"})

    body = await clerk.post(
        USER_CREATE,
        {"input": {"username": "wanida.k", "displayName": "W", "password": "long enough words"}},
    )

    assert refusal(body) == ("ROLE_REQUIRED", "This needs the role ADMIN — ask an administrator")


async def test_a_secretary_reopening_a_step_hears_only_the_chair_may(
    client: GraphQLClient,
) -> None:
    world = await make_world()
    secretary = world.client(client, "SECRETARY").with_headers(**{"accept-language": "en"})
    step = await world.step(1)

    body = await secretary.post(
        REOPEN, {"input": {"id": gid("CycleStep", step.id), "reason": "แก้ไข"}}
    )

    assert refusal(body) == ("CHAIR_REQUIRED", "Only the chair of the unit's committee may do this")


@pytest.mark.parametrize("reason", list(ForbiddenReason))
def test_every_reason_has_a_message_in_both_languages(reason: ForbiddenReason) -> None:
    thai = render(f"forbidden.{reason.value}", "th", {"roles": "ADMIN"})
    english = render(f"forbidden.{reason.value}", "en", {"roles": "ADMIN"})
    assert thai != english and re.search("[ก-๙]", thai) and not re.search("[ก-๙]", english)


def test_every_refusal_in_the_services_names_its_reason() -> None:
    """A bare ``Forbidden()`` tells the user nothing: each rule says what the caller lacks."""
    bare = [
        f"{path}:{node.lineno}"
        for path in sorted(Path("services").rglob("*.py"))
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.Call)
        and getattr(node.func, "id", None) == "Forbidden"
        and not node.args
        and not node.keywords
    ]
    assert bare == []


async def test_a_contest_s_live_results_and_figures_name_who_may_see_them(
    client: GraphQLClient,
) -> None:
    cw = await make_contest_world()
    author = client.signed_in_as(cw.author).with_headers(**{"accept-language": "en"})
    contest = gid("Contest", cw.contest.id)

    results = await author.post(RESULTS, {"id": contest})
    export = await author.http.get(
        f"/exports/contests/{contest}/entries.xlsx", headers=author.headers
    )

    assert refusal(results) == (
        "RESULTS_NOT_PUBLISHED",
        "The results are shown to everyone once they are published",
    )
    assert export.status_code == 403
    assert export.json()["errors"][0]["message"] == (
        "This needs the role CONTEST_ORGANISER, MANAGER — ask an administrator"
    )


async def test_a_dashboard_of_another_unit_says_whose_units_it_shows(
    client: GraphQLClient,
) -> None:
    world = await make_world(with_cycle=False)
    member = world.client(client, "MEMBER").with_headers(**{"accept-language": "th"})

    body = await member.post(DASHBOARD, {"units": [gid("Unit", world.unit.id)]})

    reason, message = refusal(body)
    assert reason == "DASHBOARD_UNITS_ONLY" and "ประธานคณะทำงาน" in message
