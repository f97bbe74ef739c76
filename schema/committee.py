"""Appointment orders (คำสั่งแต่งตั้ง) and committee memberships."""

from datetime import date
from typing import Any

import strawberry
from strawberry import relay

from models.committee import AppointmentOrder, CommitteeRole, Membership
from schema.cost import ListSize
from schema.dates import Style, thai
from schema.documents import DocumentNode, document_nodes
from schema.errors import UserError, payload
from schema.inputs import Input, node_id
from schema.org import PersonNode, UnitNode
from schema.relay import (
    After,
    Before,
    Conditions,
    Connection,
    First,
    Last,
    ModelNode,
    paginate,
    read_rule,
)
from services import committee
from services.errors import validated
from services.fiscal import ThaiDateStyle


@strawberry.type(name="CommitteeMembership", description="A seat on a committee (กรรมการ).")
class MembershipNode:
    role: CommitteeRole = strawberry.field(description="Role on the committee.")
    position_th: str = strawberry.field(description="Position held when appointed.")
    seat: int = strawberry.field(description="Place in the order's list, from 1.")
    duties: list[str] = strawberry.field(
        description="What the order puts the member in charge of, as SOP steps name it "
        "(e.g. STAKEHOLDER_SURVEY for a step's MEMBER:STAKEHOLDER_SURVEY)."
    )
    person_id: strawberry.Private[int]

    @strawberry.field(description="The member.")
    async def person(self, info: strawberry.Info) -> PersonNode:
        return PersonNode.from_model(await info.context.loaders.person.load(self.person_id))

    @classmethod
    def from_model(cls, obj: Membership) -> "MembershipNode":
        return cls(
            role=obj.role,
            position_th=obj.position_th,
            seat=obj.seat,
            duties=list(obj.duties or []),
            person_id=obj.person_id,
        )


@strawberry.type(
    name="AppointmentOrder",
    description="An order appointing a unit's LO committee; the newest one is the current "
    "committee and supersedes the one before.",
)
class AppointmentOrderNode(ModelNode):
    model = AppointmentOrder

    visible = read_rule(committee.visible_orders)

    id: relay.NodeID[int]
    number: str = strawberry.field(description="Order number, e.g. 20/2564.")
    order_date: date = strawberry.field(description="Date of the order.")
    subject_th: str = strawberry.field(description="Subject (เรื่อง) in Thai.")
    subject_en: str | None = strawberry.field(description="Subject in English.")
    issuer_th: str = strawberry.field(description="Who issued it, e.g. สำนักงานเลขานุการกรม.")
    is_current: bool = strawberry.field(description="True for the unit's current committee.")
    unit_id: strawberry.Private[int]
    superseded_by_id: strawberry.Private[int | None]

    @classmethod
    def from_model(cls, obj: AppointmentOrder) -> "AppointmentOrderNode":
        return cls(
            id=obj.id,
            number=obj.number,
            order_date=obj.order_date,
            subject_th=obj.subject_th,
            subject_en=obj.subject_en,
            issuer_th=obj.issuer_th,
            is_current=obj.superseded_by_id is None,
            unit_id=obj.unit_id,
            superseded_by_id=obj.superseded_by_id,
        )

    @strawberry.field(description="The order's date in Thai, e.g. 12 ตุลาคม 2564.")
    def order_date_th(self, style: Style = ThaiDateStyle.LONG) -> str:
        return thai(self.order_date, style) or ""

    @strawberry.field(description="The unit whose committee this is.")
    async def unit(self, info: strawberry.Info) -> UnitNode:
        return UnitNode.from_model(await info.context.loaders.unit.load(self.unit_id))

    @strawberry.field(
        description="Members in the order's sequence.", directives=[ListSize(assumed_size=30)]
    )
    async def members(self, info: strawberry.Info) -> list[MembershipNode]:
        seats = await info.context.loaders.memberships_of_order.load(self.id)
        return [MembershipNode.from_model(m) for m in seats]

    @strawberry.field(description="The order that replaced this one, if any.")
    async def superseded_by(self, info: strawberry.Info) -> "AppointmentOrderNode | None":
        if self.superseded_by_id is None:
            return None
        return AppointmentOrderNode.from_model(
            await info.context.loaders.order.load(self.superseded_by_id)
        )

    @strawberry.field(
        description="The signed order and other files attached.",
        directives=[ListSize(assumed_size=10)],
    )
    async def documents(self, info: strawberry.Info) -> list[DocumentNode]:
        return document_nodes(await info.context.loaders.documents_of_order.load(self.id))


@strawberry.input(description="Narrows the orders listed.")
class AppointmentOrderFilter:
    unit: relay.GlobalID | None = strawberry.field(default=None, description="Of this unit.")


@strawberry.type
class CommitteeQueries:
    @strawberry.field(description="Appointment orders, newest first: a unit's committee history.")
    async def appointment_orders(
        self,
        info: strawberry.Info,
        filter: Conditions[AppointmentOrderFilter] = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[AppointmentOrderNode]:
        unit = filter.unit if filter else None
        queryset = committee.list_orders(
            actor=info.context.actor, unit_id=node_id(unit, UnitNode, "unit") if unit else None
        )
        return await paginate(
            queryset,
            AppointmentOrderNode.from_model,
            first=first,
            after=after,
            last=last,
            before=before,
        )


@strawberry.input(description="A seat on the new committee.")
class SeatInput:
    person: relay.GlobalID = strawberry.field(description="A person of the order's unit.")
    role: CommitteeRole = strawberry.field(description="Role on the committee.")
    position_th: str | None = strawberry.field(
        default=None, description="Position at the time; the person's current one if omitted."
    )
    duties: list[str] = strawberry.field(
        default_factory=list,
        description="Duties the order gives the member (upper-case codes, e.g. "
        "STAKEHOLDER_SURVEY): SOP steps naming MEMBER:<duty> fall to them.",
    )


@strawberry.input(description="A new appointment order; it supersedes the unit's current one.")
class AppointmentOrderCreateInput:
    unit: relay.GlobalID = strawberry.field(description="The unit.")
    number: str = strawberry.field(description="Order number, e.g. 20/2564.")
    order_date: date = strawberry.field(description="Date of the order.")
    subject_th: str = strawberry.field(description="Subject in Thai.")
    subject_en: str | None = strawberry.field(default=None, description="Subject in English.")
    issuer_th: str = strawberry.field(description="Issuer in Thai.")
    members: list[SeatInput] = strawberry.field(
        description="Seats in order; exactly one CHAIR and one SECRETARY."
    )


@strawberry.type(description="Result of `appointmentOrderCreate`.")
class AppointmentOrderCreatePayload:
    order: AppointmentOrderNode | None = strawberry.field(
        default=None, description="The new order."
    )
    errors: list[UserError] = strawberry.field(description="Why nothing was created, if so.")


@strawberry.type
class CommitteeMutations:
    @strawberry.mutation(
        description="Appoint a unit's committee (its chair or secretary; an administrator for "
        "the first one)."
    )
    async def appointment_order_create(
        self, info: strawberry.Info, input: Input[AppointmentOrderCreateInput]
    ) -> AppointmentOrderCreatePayload:
        async def action() -> dict[str, Any]:
            data = validated(
                committee.NewOrder,
                {
                    "unit_id": node_id(input.unit, UnitNode, "unit"),
                    "number": input.number,
                    "order_date": input.order_date,
                    "subject_th": input.subject_th,
                    "subject_en": input.subject_en,
                    "issuer_th": input.issuer_th,
                    "members": [
                        {
                            "person_id": node_id(
                                seat.person, PersonNode, ("members", str(i), "person")
                            ),
                            "role": seat.role,
                            "position_th": seat.position_th,
                            "duties": seat.duties,
                        }
                        for i, seat in enumerate(input.members)
                    ],
                },
            )
            order = await committee.create_order(actor=info.context.actor, data=data)
            return {"order": AppointmentOrderNode.from_model(order)}

        return await payload(info, AppointmentOrderCreatePayload, action)
