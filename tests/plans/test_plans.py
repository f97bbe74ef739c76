"""Plans and their approval (SOP steps 7, 8, 13): every row of the transition table, every
forbidden one, the rules around them, bulk decisions, revisions and what changed between them."""

import asyncio
import base64
from datetime import date
from typing import Any

import pytest

from models.audit import AuditEvent
from models.cycle import StepStatus
from models.notification import Notification
from models.org import UnitRole
from models.plan import Activity, Plan, PlanAction, PlanEvent, PlanKind, PlanStatus
from services import activities, cycles, labels, plans, unit_roles
from services.actor import SYSTEM, Actor
from services.errors import DomainError, ErrorCode
from services.plans import TRANSITIONS, Decision
from tests.helpers import GraphQLClient, assert_forbidden, make_user
from tests.plans_world import (
    activity_data,
    actor,
    approved_plan,
    draft_plan,
    make_plans,
    step,
)
from tests.world import World, gid, make_world

PLAN = """query Plan($id: ID!) { node(id: $id) { ... on Plan {
    kind revision status version isLatest titleTh
    viewerCanEdit viewerCanSubmit viewerCanRecommend viewerCanApprove viewerCanReturn
    viewerCanReject viewerCanRevise
    recommendations { recommendation comment actor { username } }
    decisions { action comment }
    timeline { __typename ... on PlanEvent { action fromStatus toStatus comment } }
} } }"""

TRANSITION = """mutation T($id: ID!, $version: Int!, $comment: String) {
    %s(input: {id: $id, version: $version, comment: $comment}) {
        plan { status version } errors { code field message } } }"""

RECOMMEND = """mutation R($id: ID!) { planRecommend(input: {id: $id, recommendation: RETURN,
    comment: "ควรเพิ่มงบประมาณ"}) { plan { status } errors { code } } }"""

# A mutation per action, and who may carry it out.
MUTATIONS = {
    PlanAction.SUBMIT: ("planSubmit", "SECRETARY"),
    PlanAction.APPROVE: ("planApprove", "APPROVER"),
    PlanAction.RETURN: ("planReturn", "APPROVER"),
    PlanAction.REJECT: ("planReject", "APPROVER"),
}


@pytest.fixture
async def world(database: str) -> World:
    return await make_world()


async def _plan_in(world: World, status: PlanStatus) -> Plan:
    """A plan brought to ``status`` through the services."""
    plan = await draft_plan(world)
    path = {
        PlanStatus.DRAFT: [],
        PlanStatus.SUBMITTED: [(PlanAction.SUBMIT, "SECRETARY")],
        PlanStatus.APPROVED: [(PlanAction.SUBMIT, "SECRETARY"), (PlanAction.APPROVE, "APPROVER")],
        PlanStatus.RETURNED: [(PlanAction.SUBMIT, "SECRETARY"), (PlanAction.RETURN, "APPROVER")],
        PlanStatus.REJECTED: [(PlanAction.SUBMIT, "SECRETARY"), (PlanAction.REJECT, "APPROVER")],
    }[status]
    for action, who in path:
        plan = await step(world, plan, action, who, comment="เหตุผล")
    return plan


async def _transition(
    client: GraphQLClient, world: World, plan: Plan, action: PlanAction, comment: str | None
) -> dict[str, Any]:
    mutation, who = MUTATIONS[action]
    body = await world.client(client, who).data(
        TRANSITION % mutation,
        {"id": gid("Plan", plan.id), "version": plan.version, "comment": comment},
    )
    return body[mutation]


STATE_ROWS = [
    (state, action, target)
    for (state, action), target in TRANSITIONS.items()
    if action in MUTATIONS and state != PlanStatus.SUPERSEDED
]


@pytest.mark.parametrize(("state", "action", "target"), STATE_ROWS)
async def test_every_row_of_the_table(
    client: GraphQLClient,
    world: World,
    state: PlanStatus,
    action: PlanAction,
    target: PlanStatus,
) -> None:
    plan = await _plan_in(world, state)

    result = await _transition(client, world, plan, action, "ความเห็นของผู้อนุมัติ")

    assert result["errors"] == []
    assert result["plan"] == {"status": target.value, "version": plan.version + 1}
    event = await PlanEvent.filter(plan_id=plan.id).order_by("-id").first()
    assert event and (event.action, event.from_status, event.to_status) == (action, state, target)
    assert await AuditEvent.exists(action=f"plan.{action.value.lower()}", object_id=str(plan.id))


FORBIDDEN_ROWS = [
    (state, action)
    for state in (
        PlanStatus.DRAFT,
        PlanStatus.SUBMITTED,
        PlanStatus.APPROVED,
        PlanStatus.RETURNED,
        PlanStatus.REJECTED,
    )
    for action in MUTATIONS
    if (state, action) not in TRANSITIONS
]


@pytest.mark.parametrize(("state", "action"), FORBIDDEN_ROWS)
async def test_every_forbidden_transition_names_the_allowed_ones(
    client: GraphQLClient, world: World, state: PlanStatus, action: PlanAction
) -> None:
    plan = await _plan_in(world, state)

    result = await _transition(client, world, plan, action, "ความเห็น")

    assert [e["code"] for e in result["errors"]] == ["INVALID_TRANSITION"]
    # The plan as it is, for the client to refresh what it shows.
    assert result["plan"] == {"status": state.value, "version": plan.version}
    # In Thai words: what the actions are called, not their codes.
    allowed = [labels.ACTIONS[a.value] for a in plans.allowed_actions(plan)]
    assert all(a in result["errors"][0]["message"] for a in allowed)
    assert (await Plan.get(id=plan.id)).version == plan.version


async def test_recommendation_is_a_record_beside_the_decision(
    client: GraphQLClient, world: World
) -> None:
    plan = await _plan_in(world, PlanStatus.SUBMITTED)

    recommended = await world.client(client, "MEMBER").data(RECOMMEND, {"id": gid("Plan", plan.id)})
    approved = await _transition(
        client, world, await Plan.get(id=plan.id), PlanAction.APPROVE, None
    )
    read = await world.client(client, "APPROVER").data(PLAN, {"id": gid("Plan", plan.id)})

    assert recommended["planRecommend"] == {"plan": {"status": "SUBMITTED"}, "errors": []}
    assert approved["errors"] == []
    node = read["node"]
    assert node["recommendations"] == [
        {"recommendation": "RETURN", "comment": "ควรเพิ่มงบประมาณ", "actor": None}
    ]
    assert node["decisions"] == [{"action": "APPROVE", "comment": None}]
    assert [e.get("action") for e in node["timeline"]] == [
        "CREATE",
        "SUBMIT",
        "RECOMMEND",
        "APPROVE",
    ]


async def test_recommending_is_only_on_a_submitted_plan(
    client: GraphQLClient, world: World
) -> None:
    plan = await _plan_in(world, PlanStatus.DRAFT)

    body = await world.client(client, "MEMBER").data(RECOMMEND, {"id": gid("Plan", plan.id)})

    assert [e["code"] for e in body["planRecommend"]["errors"]] == ["INVALID_TRANSITION"]


async def test_the_author_or_submitter_cannot_approve(client: GraphQLClient, world: World) -> None:
    """The approver drafted the plan: approving it would be deciding on their own work."""
    plan = await draft_plan(world)
    await Plan.filter(id=plan.id).update(created_by_id=world.users["APPROVER"].id)
    plan = await step(world, await Plan.get(id=plan.id), PlanAction.SUBMIT, "SECRETARY")

    result = await _transition(client, world, plan, PlanAction.APPROVE, None)
    view = await world.client(client, "APPROVER").data(PLAN, {"id": gid("Plan", plan.id)})

    assert [e["code"] for e in result["errors"]] == ["CONFLICT_OF_INTEREST"]
    assert view["node"]["viewerCanApprove"] is False
    assert view["node"]["viewerCanReturn"] is True
    assert (await Plan.get(id=plan.id)).status == PlanStatus.SUBMITTED


@pytest.mark.parametrize("mutation", ["planReturn", "planReject"])
async def test_returning_or_rejecting_needs_a_comment(
    client: GraphQLClient, world: World, mutation: str
) -> None:
    plan = await _plan_in(world, PlanStatus.SUBMITTED)

    body = await world.client(client, "APPROVER").data(
        TRANSITION % mutation,
        {"id": gid("Plan", plan.id), "version": plan.version, "comment": "  "},
    )

    assert [(e["code"], e["field"]) for e in body[mutation]["errors"]] == [
        ("INVALID_INPUT", ["input", "comment"])
    ]
    assert (await Plan.get(id=plan.id)).status == PlanStatus.SUBMITTED


async def test_a_stale_version_is_refused(client: GraphQLClient, world: World) -> None:
    plan = await _plan_in(world, PlanStatus.SUBMITTED)

    body = await world.client(client, "APPROVER").data(
        TRANSITION % "planApprove", {"id": gid("Plan", plan.id), "version": plan.version - 1}
    )

    assert [e["code"] for e in body["planApprove"]["errors"]] == ["STALE_VERSION"]


async def test_only_the_units_approver_decides(client: GraphQLClient, world: World) -> None:
    plan = await _plan_in(world, PlanStatus.SUBMITTED)

    for who in ("CHAIR", "SECRETARY", "OUTSIDER"):
        body = await world.client(client, who).post(
            TRANSITION % "planApprove", {"id": gid("Plan", plan.id), "version": plan.version}
        )
        assert_forbidden(body)


async def test_a_plan_without_activities_cannot_be_submitted(
    client: GraphQLClient, world: World
) -> None:
    assert world.cycle
    plan = await plans.create_plan(
        actor=actor(world, "SECRETARY"),
        cycle_id=world.cycle.id,
        kind=PlanKind.ACTION_PLAN,
        data=plans.PlanData(title_th="แผนว่าง"),
    )

    body = await world.client(client, "SECRETARY").data(
        TRANSITION % "planSubmit", {"id": gid("Plan", plan.id), "version": plan.version}
    )

    assert [e["code"] for e in body["planSubmit"]["errors"]] == ["INVALID_INPUT"]


async def test_a_cycle_has_one_plan_of_each_kind(client: GraphQLClient, world: World) -> None:
    assert world.cycle
    await draft_plan(world)

    body = await world.client(client, "CHAIR").data(
        """mutation C($cycle: ID!) { planCreate(input: {cycle: $cycle, kind: ACTION_PLAN,
            titleTh: "อีกแผน"}) { plan { id } errors { code field } } }""",
        {"cycle": gid("Cycle", world.cycle.id)},
    )

    assert body["planCreate"] == {
        "plan": None,
        "errors": [{"code": "DUPLICATE", "field": ["input", "kind"]}],
    }


async def test_an_approved_plan_cannot_be_edited_only_revised(
    client: GraphQLClient, world: World
) -> None:
    plan = await _plan_in(world, PlanStatus.APPROVED)

    body = await world.client(client, "SECRETARY").data(
        """mutation U($id: ID!, $version: Int!) { planUpdate(input: {id: $id, version: $version,
            titleTh: "แก้ไข"}) { errors { code message } } }""",
        {"id": gid("Plan", plan.id), "version": plan.version},
    )
    view = await world.client(client, "SECRETARY").data(PLAN, {"id": gid("Plan", plan.id)})

    assert [e["code"] for e in body["planUpdate"]["errors"]] == ["INVALID_TRANSITION"]
    assert labels.ACTIONS["REVISE"] in body["planUpdate"]["errors"][0]["message"]
    assert view["node"]["viewerCanEdit"] is False
    assert view["node"]["viewerCanRevise"] is True


async def test_plan_update_changes_only_what_is_given(client: GraphQLClient, world: World) -> None:
    plan = await _plan_in(world, PlanStatus.RETURNED)

    body = await world.client(client, "MEMBER").data(
        """mutation U($id: ID!, $version: Int!) { planUpdate(input: {id: $id, version: $version,
            objectiveTh: "เพื่อพัฒนาบุคลากร", owner: null}) {
            plan { titleTh objectiveTh owner { id } version } errors { code } } }""",
        {"id": gid("Plan", plan.id), "version": plan.version},
    )

    assert body["planUpdate"] == {
        "plan": {
            "titleTh": plan.title_th,
            "objectiveTh": "เพื่อพัฒนาบุคลากร",
            "owner": None,
            "version": plan.version + 1,
        },
        "errors": [],
    }


async def test_steps_7_and_8_complete_when_both_plans_are_submitted_and_approved(
    world: World,
) -> None:
    assert world.cycle
    action = await _plan_in(world, PlanStatus.SUBMITTED)
    research = await draft_plan(world, PlanKind.RESEARCH_INNOVATION_PLAN)

    async def status(no: int) -> StepStatus:
        return (await world.step(no)).status

    assert await status(7) == StepStatus.NOT_STARTED
    research = await step(world, research, PlanAction.SUBMIT, "SECRETARY")
    assert await status(7) == StepStatus.DONE
    await step(world, action, PlanAction.APPROVE, "APPROVER")
    assert await status(8) == StepStatus.NOT_STARTED
    await step(world, research, PlanAction.APPROVE, "APPROVER")

    eight = await world.step(8)
    assert eight.status == StepStatus.DONE
    assert eight.actual_end == date(2021, 10, 25)
    assert eight.status_reason  # completed in LO Hub, its documents overridden with a reason


async def test_two_approvers_at_once_make_one_transition(world: World, database: str) -> None:
    """Both approvers pass the permission check; the plan row lock (and the version check on
    SQLite, where writes queue) lets one decision through and refuses the other."""
    second = await make_user("deputy")
    await unit_roles.grant(
        actor=SYSTEM, unit_id=world.unit.id, user_id=second.id, role=UnitRole.APPROVER
    )
    plan = await _plan_in(world, PlanStatus.SUBMITTED)

    async def decide(user_id: int, action: PlanAction) -> object:
        try:
            return await plans.act(
                actor=Actor(user_id=user_id),
                decision=Decision(
                    plan_id=plan.id, action=action, version=plan.version, comment="ตัดสิน"
                ),
            )
        except DomainError as error:
            return error

    outcomes = await asyncio.gather(
        decide(world.users["APPROVER"].id, PlanAction.APPROVE),
        decide(second.id, PlanAction.RETURN),
    )

    errors = [o for o in outcomes if isinstance(o, DomainError)]
    assert len(errors) == 1
    assert errors[0].problems[0].code in (ErrorCode.STALE_VERSION, ErrorCode.INVALID_TRANSITION)
    decisions = await PlanEvent.filter(plan_id=plan.id, action__in=plans.DECISIONS)
    assert len(decisions) == 1
    assert (await Plan.get(id=plan.id)).status == decisions[0].to_status


DECIDE_MANY = """mutation D($decisions: [PlanDecisionInput!]!) {
    planDecideMany(input: {decisions: $decisions}) {
        results { plan { status } errors { code field } } errors { code } } }"""


async def test_bulk_decisions_stand_or_fail_each_on_its_own(
    client: GraphQLClient, world: World
) -> None:
    action = await _plan_in(world, PlanStatus.SUBMITTED)
    research = await step(
        world,
        await draft_plan(world, PlanKind.RESEARCH_INNOVATION_PLAN),
        PlanAction.SUBMIT,
        "SECRETARY",
    )
    other_world_plan = gid("Plan", 10_000)

    body = await world.client(client, "APPROVER").data(
        DECIDE_MANY,
        {
            "decisions": [
                {"id": gid("Plan", action.id), "version": action.version, "decision": "APPROVE"},
                {"id": gid("Plan", research.id), "version": research.version, "decision": "RETURN"},
                {"id": other_world_plan, "version": 1, "decision": "REJECT", "comment": "ไม่"},
            ]
        },
    )

    results = body["planDecideMany"]["results"]
    assert results[0] == {"plan": {"status": "APPROVED"}, "errors": []}
    assert results[1] == {
        "plan": None,
        "errors": [{"code": "INVALID_INPUT", "field": ["input", "decisions", "1", "comment"]}],
    }
    assert results[2]["errors"][0]["code"] == "NOT_FOUND"
    assert (await Plan.get(id=action.id)).status == PlanStatus.APPROVED
    assert (await Plan.get(id=research.id)).status == PlanStatus.SUBMITTED


async def test_bulk_decisions_on_another_units_plan_are_refused_one_by_one(
    client: GraphQLClient, world: World
) -> None:
    plan = await _plan_in(world, PlanStatus.SUBMITTED)

    body = await world.client(client, "OUTSIDER").data(
        DECIDE_MANY,
        {
            "decisions": [
                {"id": gid("Plan", plan.id), "version": plan.version, "decision": "APPROVE"}
            ]
        },
    )

    assert body["planDecideMany"]["results"] == [
        {"plan": None, "errors": [{"code": "NOT_PERMITTED", "field": None}]}
    ]


async def test_transitions_notify_the_people_concerned(world: World) -> None:
    plan = await _plan_in(world, PlanStatus.SUBMITTED)
    approver = world.users["APPROVER"].id
    assert await Notification.filter(user_id=approver, message_key="plan_submit_notice").exists()

    await step(world, plan, PlanAction.RETURN, "APPROVER", comment="แก้ไขงบ")

    # The secretary created and submitted it; the owner (พิกุล) is the secretary too.
    told = await Notification.filter(message_key="plan_return_notice").values_list(
        "user_id", flat=True
    )
    assert told == [world.users["SECRETARY"].id]


REVISE = """mutation V($id: ID!, $version: Int!) { planRevise(input: {id: $id, version: $version,
    reason: "ทบทวนรอบ 5 เดือน"}) { plan { id revision status isLatest
    previousRevision { revision status isLatest } } errors { code } } }"""


async def test_revision_is_a_draft_copy_approved_anew_and_the_old_one_stays(
    client: GraphQLClient, world: World
) -> None:
    approved = await _plan_in(world, PlanStatus.APPROVED)

    body = await world.client(client, "CHAIR").data(
        REVISE, {"id": gid("Plan", approved.id), "version": approved.version}
    )
    revision = await Plan.get(id=int(_pk(body["planRevise"]["plan"]["id"])))
    revision = await step(world, revision, PlanAction.SUBMIT, "SECRETARY")
    await step(world, revision, PlanAction.APPROVE, "APPROVER")

    assert body["planRevise"]["plan"] == {
        "id": body["planRevise"]["plan"]["id"],
        "revision": 2,
        "status": "DRAFT",
        "isLatest": True,
        "previousRevision": {"revision": 1, "status": "APPROVED", "isLatest": False},
    }
    assert (await Plan.get(id=approved.id)).status == PlanStatus.SUPERSEDED
    assert (await Plan.get(id=revision.id)).status == PlanStatus.APPROVED


async def test_only_the_newest_revision_is_revised(client: GraphQLClient, world: World) -> None:
    approved = await _plan_in(world, PlanStatus.APPROVED)
    await plans.revise(
        actor=actor(world, "CHAIR"), plan_id=approved.id, version=approved.version, reason=None
    )

    body = await world.client(client, "CHAIR").data(
        REVISE, {"id": gid("Plan", approved.id), "version": approved.version}
    )

    assert [e["code"] for e in body["planRevise"]["errors"]] == ["INVALID_TRANSITION"]


async def test_step_13_completes_when_the_revised_research_plan_is_approved(world: World) -> None:
    research = await approved_plan(world, PlanKind.RESEARCH_INNOVATION_PLAN)
    revision = await plans.revise(
        actor=actor(world, "CHAIR"), plan_id=research.id, version=research.version, reason=None
    )
    revision = await step(world, revision, PlanAction.SUBMIT, "SECRETARY")
    assert (await world.step(13)).status == StepStatus.NOT_STARTED

    await step(world, revision, PlanAction.APPROVE, "APPROVER")

    assert (await world.step(13)).status == StepStatus.DONE


CHANGES = """query C($id: ID!) { node(id: $id) { ... on Plan { revision changes {
    older { revision } newer { revision }
    planChanges { field before after }
    activitiesAdded { titleTh } activitiesRemoved { titleTh }
    activitiesChanged { before { budget } after { budget } changes { field before after } }
} } } }"""


async def test_the_api_says_what_changed_between_revisions(
    client: GraphQLClient, world: World
) -> None:
    made = await make_plans(world)
    secretary = actor(world, "SECRETARY")
    await plans.update_plan(
        actor=secretary,
        plan_id=made.revision.id,
        version=made.revision.version,
        changes={"title_th": "แผนวิจัยฉบับทบทวน"},
    )
    await activities.update_activity(
        actor=secretary,
        activity_id=made.draft_activity.id,
        version=made.draft_activity.version,
        changes={"budget": "20000", "end_month": "2022-06", "owner_ids": []},
    )
    await activities.create_activity(
        actor=secretary,
        plan_id=made.revision.id,
        data=activity_data("ประกวดนวัตกรรม", owners=[world.people["กนกานต์"].id]),
    )
    assert await Activity.filter(plan_id=made.revision.id).count() == 2

    body = await world.client(client, "MEMBER").data(CHANGES, {"id": gid("Plan", made.revision.id)})

    changes = body["node"]["changes"]
    assert changes["older"] == {"revision": 1} and changes["newer"] == {"revision": 2}
    assert changes["planChanges"] == [
        {"field": "titleTh", "before": made.approved.title_th, "after": "แผนวิจัยฉบับทบทวน"}
    ]
    assert changes["activitiesAdded"] == [{"titleTh": "ประกวดนวัตกรรม"}]
    assert changes["activitiesRemoved"] == []
    [changed] = changes["activitiesChanged"]
    assert (changed["before"]["budget"], changed["after"]["budget"]) == ("15000.00", "20000.00")
    assert changed["changes"] == [
        {"field": "endMonth", "before": "2022-02", "after": "2022-06"},
        {"field": "budget", "before": "15000.00", "after": "20000.00"},
        {"field": "owners", "before": "นางสาวกนกานต์ ทดสอบ", "after": None},
    ]


async def test_a_first_revision_has_no_changes(client: GraphQLClient, world: World) -> None:
    plan = await draft_plan(world)

    body = await world.client(client, "MEMBER").data(CHANGES, {"id": gid("Plan", plan.id)})

    assert body["node"] == {"revision": 1, "changes": None}


async def test_viewer_capabilities_follow_the_table(client: GraphQLClient, world: World) -> None:
    plan = await _plan_in(world, PlanStatus.SUBMITTED)
    flags = (
        "viewerCanEdit",
        "viewerCanSubmit",
        "viewerCanRecommend",
        "viewerCanApprove",
        "viewerCanReturn",
        "viewerCanReject",
        "viewerCanRevise",
    )

    seen = {}
    for who in ("SECRETARY", "MEMBER", "APPROVER", "OUTSIDER"):
        node = (await world.client(client, who).data(PLAN, {"id": gid("Plan", plan.id)}))["node"]
        seen[who] = [f for f in flags if node[f]]

    assert seen == {
        "SECRETARY": ["viewerCanRecommend"],
        "MEMBER": ["viewerCanRecommend"],
        "APPROVER": ["viewerCanApprove", "viewerCanReturn", "viewerCanReject"],
        "OUTSIDER": [],
    }


async def test_whoever_step_8_names_requests_approval(client: GraphQLClient, world: World) -> None:
    # Step 8 (ขออนุมัติจัดกิจกรรมโครงการตามแผน) names the assistant secretary, not a unit lead;
    # a member it does not name may not submit.
    plan = await draft_plan(world)
    can = {
        who: (await world.client(client, who).data(PLAN, {"id": gid("Plan", plan.id)}))["node"][
            "viewerCanSubmit"
        ]
        for who in ("ASSISTANT_SECRETARY", "MEMBER")
    }
    refused = await world.client(client, "MEMBER").post(
        TRANSITION % "planSubmit", {"id": gid("Plan", plan.id), "version": plan.version}
    )

    submitted = (
        await world.client(client, "ASSISTANT_SECRETARY").data(
            TRANSITION % "planSubmit", {"id": gid("Plan", plan.id), "version": plan.version}
        )
    )["planSubmit"]

    assert can == {"ASSISTANT_SECRETARY": True, "MEMBER": False}
    assert_forbidden(refused)
    assert refused["errors"][0]["extensions"]["reason"] == "RESPONSIBLE_REQUIRED"
    assert submitted == {"plan": {"status": "SUBMITTED", "version": 2}, "errors": []}
    assert (await Plan.get(id=plan.id)).submitted_by_id == world.users["ASSISTANT_SECRETARY"].id


async def test_whoever_step_13_names_revises_and_a_reassigned_step_moves_the_right(
    client: GraphQLClient, world: World
) -> None:
    # Step 13 (reviewing the plan) belongs to the whole committee; once a lead gives step 8 to
    # someone else, the assistant secretary no longer submits.
    assert world.cycle
    approved = await approved_plan(world)
    other = await draft_plan(world, PlanKind.RESEARCH_INNOVATION_PLAN)
    eight = await world.step(8)
    await cycles.assign_responsible(
        actor=SYSTEM,
        step_id=eight.id,
        version=eight.version,
        person_ids=[world.people["กัญญาดา"].id],
        whole_committee=False,
    )

    revised = await plans.revise(
        actor=actor(world, "MEMBER"), plan_id=approved.id, version=approved.version, reason=None
    )
    node = (
        await world.client(client, "ASSISTANT_SECRETARY").data(PLAN, {"id": gid("Plan", other.id)})
    )["node"]

    assert revised.revision == 2
    assert node["viewerCanSubmit"] is False


def _pk(global_id: str) -> str:
    return base64.b64decode(global_id).decode().split(":")[1]
