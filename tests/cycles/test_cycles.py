"""Cycles: creation from the SOP template on the working-day calendar, step transitions,
rescheduling, responsible people, and what a viewer may do."""

from datetime import date

import pytest

from models.audit import AuditEvent
from models.cycle import CycleStep
from services import clock, committee, cycles, org, sop
from services.actor import SYSTEM, Actor
from services.cycles import StepAction
from tests.helpers import GraphQLClient, count_queries, make_user
from tests.world import World, gid, make_person, make_world

CYCLE = """
query Cycle($id: ID!) {
  node(id: $id) {
    ... on Cycle {
      fiscalYear { be labelTh }
      template { family version }
      committee { number }
      finishedStepCount
      overdueStepCount
      steps {
        id no status version plannedStart plannedDue plannedDueTh overdue wholeCommittee
        unresolvedResponsible
        responsible { firstNameTh }
        documents { nameTh required files { filename } }
        viewerCanStart viewerCanComplete viewerCanSkip viewerCanReopen viewerCanReschedule
      }
    }
  }
}"""
CYCLE_CREATE = """
mutation Create($input: CycleCreateInput!) {
  cycleCreate(input: $input) {
    cycle { id steps { no plannedStart plannedDue } }
    errors { code field message }
  }
}"""
ASSIGN = """
mutation Assign($input: CycleStepAssignInput!) {
  cycleStepAssign(input: $input) { step { version } errors { code field } }
}"""
RESCHEDULE = """
mutation Move($input: CycleStepRescheduleInput!) {
  cycleStepReschedule(input: $input) {
    moved { no plannedStart plannedDue version }
    errors { code field }
  }
}"""


def _action(name: str) -> str:
    return f"""
mutation Act($input: CycleStepActionInput!) {{
  {name}(input: $input) {{
    step {{ status actualStart actualEnd statusReason version }}
    errors {{ code field message }}
  }}
}}"""


async def _steps(client: GraphQLClient, world: World, who: str = "CHAIR") -> dict[int, dict]:
    assert world.cycle
    body = await world.client(client, who).data(CYCLE, {"id": gid("Cycle", world.cycle.id)})
    return {s["no"]: s for s in body["node"]["steps"]}


@pytest.fixture(autouse=True)
def _today_is_in_fy_2565(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clock, "today", lambda: date(2021, 11, 15))


async def test_the_seed_sop_is_scheduled_on_the_thai_government_calendar(
    client: GraphQLClient,
) -> None:
    world = await make_world()

    steps = await _steps(client, world)

    planned = {no: (s["plannedStart"], s["plannedDue"]) for no, s in steps.items()}
    assert planned[1] == ("2021-10-12", "2021-10-14")  # 13 Oct is a holiday
    assert steps[1]["plannedDueTh"] == "14 ต.ค. 2564"
    assert planned[2] == ("2021-10-15", "2021-10-15")
    assert planned[4] == ("2021-10-21", "2021-10-26")  # 25 Oct is a day in lieu
    assert planned[9] == ("2021-10-01", "2022-02-28")  # a PERIOD step, Oct–Feb
    assert planned[11] == ("2022-03-01", "2022-03-01")  # follows step 9
    assert planned[16] == ("2022-08-01", "2022-08-05")  # follows steps 14 and 15
    assert len(steps) == 16


async def test_responsible_people_are_resolved_against_the_committee(client: GraphQLClient) -> None:
    world = await make_world()

    steps = await _steps(client, world)

    names = {no: sorted(p["firstNameTh"] for p in s["responsible"]) for no, s in steps.items()}
    assert names[1] == ["จุฑามาศ"]  # the chair
    assert names[8] == ["วราภรณ์"]  # the assistant secretary
    assert names[15] == ["จุฑามาศ", "พิกุล", "วราภรณ์"]
    assert steps[5]["wholeCommittee"] is True and len(steps[5]["responsible"]) == 5
    # the members the order puts in charge of each survey, beside the (assistant) secretary
    assert names[3] == ["กัญญาดา", "วราภรณ์"]
    assert names[4] == ["กนกานต์", "พิกุล"]
    assert all(s["unresolvedResponsible"] == [] for s in steps.values())


async def test_empty_seats_fall_to_the_secretary_and_unknown_names_wait_for_the_chair(
    client: GraphQLClient,
) -> None:
    world = await make_world(with_cycle=False)
    # A committee of a chair and a secretary only, and a unit template that names วราภรณ์.
    newcomer = await make_person(world.unit, "ใหม่")
    await committee.create_order(
        actor=SYSTEM,
        data=committee.NewOrder(
            unit_id=world.unit.id,
            number="1/2565",
            order_date=date(2021, 10, 20),
            subject_th="แต่งตั้ง",
            issuer_th="สลก.",
            members=[
                committee.Seat(person_id=world.people["จุฑามาศ"].id, role="CHAIR"),
                committee.Seat(person_id=newcomer.id, role="SECRETARY"),
            ],
        ),
    )
    default = await sop.ensure_default_template()
    own = await sop.copy_template(actor=SYSTEM, template_id=default.id, unit_id=world.unit.id)
    await sop.revise_template(
        actor=SYSTEM,
        template_id=own.id,
        steps=[
            {**step, "responsible": ["วราภรณ์"]} if step["no"] == 2 else step
            for step in default.steps
        ],
    )
    world.cycle = await cycles.create_cycle(
        actor=SYSTEM, unit_id=world.unit.id, fiscal_year=2565, start_date=date(2021, 10, 21)
    )

    steps = await _steps(client, world)
    assigned = (
        await world.client(client, "CHAIR").data(
            ASSIGN,
            {
                "input": {
                    "id": steps[2]["id"],
                    "version": steps[2]["version"],
                    "responsible": [gid("Person", newcomer.id)],
                    "reason": "วราภรณ์ย้ายหน่วยงาน",
                }
            },
        )
    )["cycleStepAssign"]
    outsider = (
        await world.client(client, "CHAIR").data(
            ASSIGN,
            {
                "input": {
                    "id": steps[2]["id"],
                    "version": 2,
                    "responsible": [gid("Person", world.people["outsider"].id)],
                }
            },
        )
    )["cycleStepAssign"]
    after = await _steps(client, world)

    # No assistant secretary, no member given a duty: the secretary stands in.
    assert steps[8]["responsible"] == [{"firstNameTh": "ใหม่"}]
    assert steps[3]["responsible"] == [{"firstNameTh": "ใหม่"}]
    assert steps[2]["unresolvedResponsible"] == ["วราภรณ์"]
    assert steps[2]["responsible"] == []
    assert [no for no, s in steps.items() if s["unresolvedResponsible"]] == [2]
    assert assigned["errors"] == []
    assert after[2]["unresolvedResponsible"] == []
    assert after[2]["responsible"] == [{"firstNameTh": "ใหม่"}]
    assert outsider["errors"][0]["field"] == ["input", "responsible"]


ORDER_CREATE = """
mutation Order($input: AppointmentOrderCreateInput!) {
  appointmentOrderCreate(input: $input) { order { members { duties } } errors { code field } }
}"""


async def test_a_fresh_cycle_of_any_unit_with_a_committee_resolves_every_step(
    client: GraphQLClient,
) -> None:
    admin = client.signed_in_as(await make_user("admin.hpc", roles={"ADMIN"}))
    unit = await org.create_unit(
        actor=SYSTEM, data=org.NewUnit(code="HPC01", name_th="ศูนย์อนามัยที่ 1 เชียงใหม่")
    )
    people = [await make_person(unit, name) for name in ("สมศรี", "สมหมาย", "สมใจ", "สมปอง", "สมพร")]
    seats = [
        {"person": gid("Person", people[0].id), "role": "CHAIR"},
        {"person": gid("Person", people[1].id), "role": "MEMBER"},
        {
            "person": gid("Person", people[2].id),
            "role": "MEMBER",
            "duties": ["STAKEHOLDER_SURVEY", "STAFF_SELF_ASSESSMENT"],
        },
        {"person": gid("Person", people[3].id), "role": "SECRETARY"},
        {"person": gid("Person", people[4].id), "role": "ASSISTANT_SECRETARY"},
    ]
    order = (
        await admin.data(
            ORDER_CREATE,
            {
                "input": {
                    "unit": gid("Unit", unit.id),
                    "number": "3/2565",
                    "orderDate": "2021-10-05",
                    "subjectTh": "แต่งตั้งคณะทำงานขับเคลื่อนองค์กรแห่งการเรียนรู้",
                    "issuerTh": "ศูนย์อนามัยที่ 1",
                    "members": seats,
                }
            },
        )
    )["appointmentOrderCreate"]
    created = (
        await admin.data(
            CYCLE_CREATE,
            {
                "input": {
                    "unit": gid("Unit", unit.id),
                    "fiscalYear": 2565,
                    "startDate": "2021-10-12",
                }
            },
        )
    )["cycleCreate"]
    cycle = (await admin.data(CYCLE, {"id": created["cycle"]["id"]}))["node"]
    names = {s["no"]: sorted(p["firstNameTh"] for p in s["responsible"]) for s in cycle["steps"]}

    assert order["errors"] == [] and created["errors"] == []
    assert order["order"]["members"][2]["duties"] == ["STAFF_SELF_ASSESSMENT", "STAKEHOLDER_SURVEY"]
    assert [s["unresolvedResponsible"] for s in cycle["steps"]] == [[]] * 16
    assert all(names.values())
    assert names[1] == ["สมศรี"]  # the chair
    assert names[3] == ["สมพร", "สมใจ"]  # the assistant secretary and the member on the survey
    assert names[4] == ["สมปอง", "สมใจ"]  # the secretary and the member on the self-assessment
    assert names[8] == ["สมพร"]  # the assistant secretary requests approval
    assert names[16] == ["สมปอง", "สมพร", "สมศรี"]


async def test_step_lifecycle_with_audit(client: GraphQLClient) -> None:
    world = await make_world()
    step5 = gid("CycleStep", (await world.step(5)).id)
    member = world.client(client, "MEMBER")

    started = (await member.data(_action("cycleStepStart"), {"input": {"id": step5}}))[
        "cycleStepStart"
    ]
    completed = (
        await member.data(
            _action("cycleStepComplete"),
            {"input": {"id": step5, "overrideMissingDocuments": True, "reason": "ส่งภายหลัง"}},
        )
    )["cycleStepComplete"]
    reopened_by_secretary = await world.client(client, "SECRETARY").post(
        _action("cycleStepReopen"), {"input": {"id": step5, "reason": "แก้"}}
    )
    reopened = (
        await world.client(client, "CHAIR").data(
            _action("cycleStepReopen"), {"input": {"id": step5, "reason": "ต้องแก้ไขผล GAP"}}
        )
    )["cycleStepReopen"]

    assert started["step"]["status"] == "IN_PROGRESS"
    assert started["step"]["actualStart"] == "2021-11-15"
    assert completed["step"]["status"] == "DONE"
    assert completed["step"]["statusReason"] == "ส่งภายหลัง"
    assert reopened_by_secretary["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert reopened["step"] == {
        "status": "IN_PROGRESS",
        "actualStart": "2021-11-15",
        "actualEnd": None,
        "statusReason": "ต้องแก้ไขผล GAP",
        "version": 4,
    }
    actions = (
        await AuditEvent.filter(object_type="CycleStep")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["cycleStep.start", "cycleStep.complete", "cycleStep.reopen"]


async def test_completing_needs_the_documents_unless_overridden_with_a_reason(
    client: GraphQLClient,
) -> None:
    world = await make_world()
    step1 = gid("CycleStep", (await world.step(1)).id)
    chair = world.client(client, "CHAIR")

    missing = (await chair.data(_action("cycleStepComplete"), {"input": {"id": step1}}))[
        "cycleStepComplete"
    ]
    no_reason = (
        await chair.data(
            _action("cycleStepComplete"), {"input": {"id": step1, "overrideMissingDocuments": True}}
        )
    )["cycleStepComplete"]

    assert missing["errors"][0]["code"] == "DOCUMENTS_MISSING"
    needed = await chair.data(
        "query S($id: ID!) { node(id: $id) { ... on CycleStep { missingDocuments { nameTh } } } }",
        {"id": step1},
    )
    assert needed["node"]["missingDocuments"] == [{"nameTh": "คำสั่งแต่งตั้งคณะกรรมการฯ"}]
    assert "คำสั่งแต่งตั้งคณะกรรมการฯ" in missing["errors"][0]["message"]
    assert no_reason["errors"][0]["field"] == ["input", "reason"]
    assert (await world.step(1)).status == "NOT_STARTED"


async def test_a_transition_not_allowed_names_the_allowed_ones(client: GraphQLClient) -> None:
    world = await make_world()
    step1 = gid("CycleStep", (await world.step(1)).id)
    chair = world.client(client, "CHAIR")
    reopen = {"input": {"id": step1, "reason": "x"}}

    english = (
        await chair.with_headers(**{"accept-language": "en"}).data(
            _action("cycleStepReopen"), reopen
        )
    )["cycleStepReopen"]
    thai = (await chair.data(_action("cycleStepReopen"), reopen))["cycleStepReopen"]

    assert english["errors"][0]["code"] == "INVALID_TRANSITION"
    assert english["errors"][0]["message"] == (
        "Cannot REOPEN from NOT_STARTED (allowed: START, COMPLETE, SKIP)"
    )
    # In Thai, what the actions and the state are called; no codes.
    assert thai["errors"][0]["message"] == (
        "ไม่สามารถเปิดใหม่ได้ เนื่องจากสถานะเป็น “ยังไม่เริ่ม” (ทำได้: เริ่ม, บันทึกว่าเสร็จสิ้น, ข้ามขั้นตอน)"
    )


async def test_a_member_not_responsible_cannot_act_and_sees_it(client: GraphQLClient) -> None:
    world = await make_world()
    step1 = gid("CycleStep", (await world.step(1)).id)

    refused = await world.client(client, "MEMBER").post(
        _action("cycleStepStart"), {"input": {"id": step1}}
    )
    member_view = await _steps(client, world, "MEMBER")
    chair_view = await _steps(client, world, "CHAIR")

    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert member_view[1]["viewerCanStart"] is False
    assert member_view[5]["viewerCanStart"] is True  # the whole committee's step
    assert member_view[5]["viewerCanSkip"] is False
    assert chair_view[1]["viewerCanStart"] and chair_view[1]["viewerCanReschedule"]
    assert chair_view[1]["viewerCanReopen"] is False  # nothing to reopen yet


async def test_stale_version_is_refused(client: GraphQLClient) -> None:
    world = await make_world()
    step1 = gid("CycleStep", (await world.step(1)).id)
    chair = world.client(client, "CHAIR")
    await chair.data(_action("cycleStepStart"), {"input": {"id": step1, "version": 1}})

    stale = (
        await chair.data(
            _action("cycleStepSkip"), {"input": {"id": step1, "version": 1, "reason": "ไม่ทำ"}}
        )
    )["cycleStepSkip"]

    assert stale["errors"][0]["code"] == "STALE_VERSION"


async def test_overdue_follows_today_in_bangkok(client: GraphQLClient) -> None:
    world = await make_world()

    steps = await _steps(client, world)

    overdue = [no for no, s in steps.items() if s["overdue"]]
    assert overdue == [1, 2, 3, 4, 5, 6, 7, 8]  # due before 15 Nov 2021, not started


async def test_rescheduling_moves_the_steps_that_follow(client: GraphQLClient) -> None:
    world = await make_world()
    step3 = await world.step(3)
    chair = world.client(client, "CHAIR")

    result = (
        await chair.data(
            RESCHEDULE,
            {
                "input": {
                    "id": gid("CycleStep", step3.id),
                    "version": 1,
                    "plannedStart": "2021-11-01",
                    "reason": "รอผลสำรวจ",
                }
            },
        )
    )["cycleStepReschedule"]

    moved = {s["no"]: (s["plannedStart"], s["plannedDue"]) for s in result["moved"]}
    assert moved[3] == ("2021-11-01", "2021-11-03")
    assert moved[4] == ("2021-11-04", "2021-11-08")
    assert 8 in moved and 9 not in moved and 2 not in moved  # periods and earlier steps stay
    assert moved[11] == ("2022-03-01", "2022-03-01") if 11 in moved else True
    assert (await CycleStep.get(id=step3.id)).version == 2


async def test_rescheduling_outside_the_fiscal_year_is_refused(client: GraphQLClient) -> None:
    world = await make_world()
    step3 = await world.step(3)

    result = (
        await world.client(client, "CHAIR").data(
            RESCHEDULE,
            {
                "input": {
                    "id": gid("CycleStep", step3.id),
                    "version": 1,
                    "plannedStart": "2022-10-03",
                }
            },
        )
    )["cycleStepReschedule"]

    assert [(e["code"], e["field"]) for e in result["errors"]] == [
        ("INVALID_INPUT", ["input", "plannedStart"])
    ]


async def test_cycle_create_rules(client: GraphQLClient) -> None:
    world = await make_world()
    chair = world.client(client, "CHAIR")
    unit = gid("Unit", world.unit.id)

    duplicate = await chair.data(
        CYCLE_CREATE, {"input": {"unit": unit, "fiscalYear": 2565, "startDate": "2021-10-12"}}
    )
    outside = await chair.data(
        CYCLE_CREATE, {"input": {"unit": unit, "fiscalYear": 2566, "startDate": "2021-10-12"}}
    )
    next_year = await chair.data(
        CYCLE_CREATE, {"input": {"unit": unit, "fiscalYear": 2566, "startDate": "2022-10-03"}}
    )

    assert duplicate["cycleCreate"]["errors"][0]["code"] == "DUPLICATE"
    assert outside["cycleCreate"]["errors"][0]["field"] == ["input", "startDate"]
    created = next_year["cycleCreate"]
    assert created["errors"] == []
    assert created["cycle"]["steps"][0] == {
        "no": 1,
        "plannedStart": "2022-10-03",
        "plannedDue": "2022-10-04",
    }


async def test_a_cycle_with_all_its_steps_reads_in_fixed_sql(client: GraphQLClient) -> None:
    world = await make_world()
    with count_queries() as sixteen_steps:
        await _steps(client, world)
    default = await sop.ensure_default_template()
    own = await sop.copy_template(actor=SYSTEM, template_id=default.id, unit_id=world.unit.id)
    await sop.revise_template(
        actor=SYSTEM,
        template_id=own.id,
        steps=[
            {
                "no": 1,
                "title_th": "ขั้นเดียว",
                "schedule": {"kind": "DAYS", "days": 1},
                "responsible": ["CHAIR"],
                "documents": [{"name_th": "เอกสาร"}],
            }
        ],
    )
    world.cycle = await cycles.create_cycle(
        actor=SYSTEM, unit_id=world.unit.id, fiscal_year=2566, start_date=date(2022, 10, 3)
    )
    with count_queries() as one_step:
        steps = await _steps(client, world)

    assert len(steps) == 1
    assert len(sixteen_steps) == len(one_step)


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
