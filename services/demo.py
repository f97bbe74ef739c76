"""Demo data for `lohub demo`: idempotent, so `make run` can load it every time.

It loads the seed SOP as the FY 2565 example: the unit สำนักงานเลขานุการกรม, the nine committee
members (accounts ``osd.m1`` … ``osd.m9``, the chair is m1 and the secretary m8, with the admin's
password), order 20/2564 of 12 Oct 2564, and the cycle started on 2021-10-12: steps 1 and 2 done
with their evidence, then the surveys, GAP analysis, knowledge topics and measures of steps 3–6,
and the two plans of steps 7–14 (approved by the unit head ``osd.head``, progress through
February, the five-month revision in March).
"""

import json
from datetime import date

from tortoise.transactions import in_transaction

from models.contest import Contest
from models.cycle import CycleStep, DocumentSlot
from models.kpi import ReportRound
from models.meeting import MeetingKind
from models.org import Unit
from models.user import Role, User
from services import auth, clock, committee, cycles, documents, meetings, org
from services.actor import SYSTEM, Actor
from services.cycles import StepAction
from services.demo_contest import load_contest_demo
from services.demo_files import attach_placeholder
from services.demo_plans import HEAD_USERNAME as HEAD
from services.demo_plans import carry_out_revised_plans, load_plans, review_and_revise
from services.demo_reports import load_reports, record_in_doc, report_round, reports_missing
from services.demo_surveys import load_surveys
from services.demo_units import load_units
from services.demo_works import load_works
from services.fiscal import FiscalYear
from services.passwords import hash_password
from services.sop import SEED_FILE, ensure_default_template
from services.users import ensure_user

DEMO_UNIT_CODE = "OSD"
FISCAL_YEAR = 2565
CYCLE_START = date(2021, 10, 12)
# The unit and its people are in LO Hub from FY 2563, when its works registry begins.
UNIT_SINCE = FiscalYear(2563).start
# When the year's last steps are done and its reports begin (services/demo_reports.py).
REPORTS_FROM = date(2022, 7, 29)


async def load_demo(*, admin_password: str, reset_password: bool) -> bool:
    """Create the demo admin and the FY 2565 example. True when ``admin_password`` is now the
    admin's password. Everything but a password reset happens on the story's clock."""
    with clock.story(UNIT_SINCE):
        created = await ensure_user(
            username="admin",
            password=admin_password,
            display_name="ผู้ดูแลระบบ (Administrator)",
            roles=frozenset({Role.ADMIN}),
        )
        await ensure_default_template()
    if not created and reset_password:
        admin = await User.get(username="admin")
        async with in_transaction() as connection:
            admin.password_hash = await hash_password(admin_password)
            await admin.save(using_db=connection, update_fields=["password_hash"])
            await auth.end_sessions(admin.id, "PASSWORD_CHANGED", connection)
        created = True
    if not await Unit.exists(code=DEMO_UNIT_CODE):
        # All or nothing, so a failed load is retried whole by the next run.
        async with in_transaction():
            with clock.story(UNIT_SINCE):
                await _load_seed_example(admin_password)
    await load_works(DEMO_UNIT_CODE)
    if not await Contest.exists(fiscal_year=FISCAL_YEAR):
        # The LIKE Talk Award of the same year (services/demo_contest.py).
        async with in_transaction():
            osd = await Unit.get(code=DEMO_UNIT_CODE)
            await load_contest_demo(password=admin_password, osd=osd)
    # The year's reports (steps 10, 11, 14–16) and more units' cycles at other KPI levels.
    if await reports_missing(DEMO_UNIT_CODE, FISCAL_YEAR):
        async with in_transaction():
            with clock.story(REPORTS_FROM):
                await load_reports(DEMO_UNIT_CODE, FISCAL_YEAR)
    async with in_transaction():
        await load_units(admin_password)
    return created


async def _load_seed_example(password: str) -> None:
    seed = json.loads(SEED_FILE.read_text(encoding="utf-8"))
    unit = await org.create_unit(
        actor=SYSTEM,
        data=org.NewUnit(
            code=DEMO_UNIT_CODE,
            name_th=seed["unit"]["name_th"],
            name_en=seed["unit"]["name_en"],
            department_name_th=seed["unit"]["department_th"],
            department_name_en=seed["unit"]["department_en"],
        ),
    )
    seats = []
    people = []
    accounts = []
    for number, member in enumerate(seed["committee"]["members"], start=1):
        first, _, last = member["name_th"].partition(" ")
        username = f"{DEMO_UNIT_CODE.lower()}.m{number}"
        await ensure_user(
            username=username,
            password=password,
            display_name=member["name_th"],
            roles=frozenset(),
        )
        account = await User.get(username=username)
        accounts.append(Actor(user_id=account.id))
        person = await org.create_person(
            actor=SYSTEM,
            data=org.PersonData(
                unit_id=unit.id,
                title_th=member["title_th"],
                first_name_th=first,
                last_name_th=last,
                position_th=member["position_th"],
                position_en=member.get("position_en"),
                user_id=account.id,
            ),
        )
        people.append(person)
        seats.append(
            committee.Seat(
                person_id=person.id,
                role=member["role"].upper(),
                duties=member.get("duties", []),
            )
        )
    appointment = seed["committee"]["appointment_order"]
    clock.walk_to(date.fromisoformat(appointment["date"]))
    order = await committee.create_order(
        actor=SYSTEM,
        data=committee.NewOrder(
            unit_id=unit.id,
            number=appointment["number"],
            order_date=date.fromisoformat(appointment["date"]),
            subject_th=appointment["subject_th"],
            subject_en=appointment["subject_en"],
            issuer_th=appointment["issuer_th"],
            members=seats,
        ),
    )
    await attach_placeholder(documents.AttachTo.ORDER, order.id, "คำสั่ง-20-2564.pdf")
    cycle = await cycles.create_cycle(
        actor=SYSTEM, unit_id=unit.id, fiscal_year=FISCAL_YEAR, start_date=CYCLE_START
    )
    steps = {s.no: s for s in await CycleStep.filter(cycle_id=cycle.id, no__in=[1, 2])}
    for step in steps.values():
        clock.walk_to(step.planned_due)
        for slot in await DocumentSlot.filter(step_id=step.id):
            await attach_placeholder(documents.AttachTo.SLOT, slot.id, f"{slot.name_th[:60]}.pdf")
        if step.no == 1:
            await cycles.act_on_step(
                actor=SYSTEM, step_id=step.id, action=StepAction.COMPLETE, on=step.planned_due
            )
    await meetings.create_meeting(
        actor=SYSTEM,
        data=meetings.NewMeeting(
            cycle_id=cycle.id,
            kind=MeetingKind.PLANNING,
            held_on=steps[2].planned_due,
            title_th="ประชุมกำหนดแนวทางวิเคราะห์ GAP และจัดทำแผนขับเคลื่อนองค์กรแห่งการเรียนรู้",
            agenda=["แนวทางการวิเคราะห์ GAP", "แผนขับเคลื่อนองค์กรแห่งการเรียนรู้ ปีงบประมาณ 2565"],
            decisions=["มอบหมายผู้รับผิดชอบออกแบบเครื่องมือสำรวจ (ขั้นตอนที่ 3 และ 4)"],
            attendee_ids=[seat.person_id for seat in seats],
            step_id=steps[2].id,
            completes_step=True,
        ),
    )
    await load_surveys(cycle, people, accounts)
    await load_plans(cycle, people, accounts, password)
    # Step 11: the five months' report, the day after they end.
    clock.walk_to((await CycleStep.get(cycle_id=cycle.id, no=11)).planned_due)
    five_months = await report_round(cycle, ReportRound.M5)
    await review_and_revise(cycle, people, accounts[7], Actor(user_id=await _user_id(HEAD)))
    await record_in_doc(five_months)
    await carry_out_revised_plans(cycle, people, accounts)


async def _user_id(username: str) -> int:
    return (await User.get(username=username)).id
