"""A small, realistic world for tests: a unit with a committee whose chair, secretary, assistant
secretary and one member have accounts, the unit head (its plan APPROVER, an account without a
committee seat), an outsider from another unit, and the unit's FY 2565 cycle made from the
shipped SOP template."""

import base64
from dataclasses import dataclass
from datetime import date

from models.cycle import Cycle, CycleStep
from models.org import Person, Unit, UnitRole
from models.user import User
from services import committee, cycles, org, unit_roles
from services.actor import SYSTEM
from tests.helpers import GraphQLClient, make_user

CYCLE_START = date(2021, 10, 12)
# first name as the SOP writes it, committee role, duties (the survey each member helps design)
MEMBERS = [
    ("จุฑามาศ", "CHAIR", ()),
    ("กนกานต์", "MEMBER", ("STAFF_SELF_ASSESSMENT",)),
    ("กัญญาดา", "MEMBER", ("STAKEHOLDER_SURVEY",)),
    ("พิกุล", "SECRETARY", ()),
    ("วราภรณ์", "ASSISTANT_SECRETARY", ()),
]


def gid(type_name: str, pk: int) -> str:
    return base64.b64encode(f"{type_name}:{pk}".encode()).decode()


@dataclass
class World:
    unit: Unit
    other_unit: Unit
    people: dict[str, Person]
    users: dict[str, User]
    order: committee.AppointmentOrder
    cycle: Cycle | None

    def client(self, client: GraphQLClient, who: str) -> GraphQLClient:
        return client.signed_in_as(self.users[who])

    async def step(self, no: int) -> CycleStep:
        assert self.cycle
        return await CycleStep.get(cycle_id=self.cycle.id, no=no)


async def make_unit(code: str, name: str) -> Unit:
    return await org.create_unit(actor=SYSTEM, data=org.NewUnit(code=code, name_th=name))


async def make_person(unit: Unit, first_name: str, user: User | None = None) -> Person:
    return await org.create_person(
        actor=SYSTEM,
        data=org.PersonData(
            unit_id=unit.id,
            title_th="นางสาว",
            first_name_th=first_name,
            last_name_th="ทดสอบ",
            position_th="บรรณารักษ์",
            user_id=user.id if user else None,
        ),
    )


async def make_unit_with_committee(code: str, n: int) -> tuple[Unit, Person, Person]:
    """A unit whose committee is a chair and a secretary: (unit, chair, secretary)."""
    unit = await make_unit(code, f"หน่วยงาน {n}")
    chair = await make_person(unit, f"ประธาน{n}")
    secretary = await make_person(unit, f"เลขา{n}")
    await committee.create_order(
        actor=SYSTEM,
        data=committee.NewOrder(
            unit_id=unit.id,
            number=f"{n + 1}/2564",
            order_date=date(2021, 10, 1),
            subject_th="แต่งตั้ง",
            issuer_th="กรม",
            members=[
                committee.Seat(person_id=chair.id, role="CHAIR"),
                committee.Seat(person_id=secretary.id, role="SECRETARY"),
            ],
        ),
    )
    return unit, chair, secretary


async def make_world(*, with_cycle: bool = True) -> World:
    unit = await make_unit("OSD", "สำนักงานเลขานุการกรม")
    other_unit = await make_unit("HPC", "ศูนย์อนามัยที่ 1")
    users = {
        "CHAIR": await make_user("chair"),
        "SECRETARY": await make_user("secretary"),
        "MEMBER": await make_user("member"),
        "ASSISTANT_SECRETARY": await make_user("assistant.secretary"),
        "OUTSIDER": await make_user("outsider"),
        "APPROVER": await make_user("approver"),
    }
    account_of = {
        "จุฑามาศ": "CHAIR",
        "พิกุล": "SECRETARY",
        "กนกานต์": "MEMBER",
        "วราภรณ์": "ASSISTANT_SECRETARY",
    }
    people = {
        name: await make_person(unit, name, users.get(account_of.get(name, "")))
        for name, _, _ in MEMBERS
    }
    people["outsider"] = await make_person(other_unit, "สมชาย", users["OUTSIDER"])
    order = await committee.create_order(
        actor=SYSTEM,
        data=committee.NewOrder(
            unit_id=unit.id,
            number="20/2564",
            order_date=date(2021, 10, 12),
            subject_th="แต่งตั้งคณะกรรมการระดับหน่วยงาน",
            issuer_th="สำนักงานเลขานุการกรม",
            members=[
                committee.Seat(person_id=people[name].id, role=role, duties=list(duties))
                for name, role, duties in MEMBERS
            ],
        ),
    )
    await unit_roles.grant(
        actor=SYSTEM, unit_id=unit.id, user_id=users["APPROVER"].id, role=UnitRole.APPROVER
    )
    cycle = (
        await cycles.create_cycle(
            actor=SYSTEM, unit_id=unit.id, fiscal_year=2565, start_date=CYCLE_START
        )
        if with_cycle
        else None
    )
    return World(unit, other_unit, people, users, order, cycle)
