"""Departments, units and people."""

import asyncio
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from strawberry import relay

from models.org import Department, Person, Unit
from models.work import WorkFileKind
from schema.cost import ListSize
from schema.errors import UserError, payload
from schema.inputs import Input, input_dict, node_id
from schema.relay import (
    After,
    Before,
    Conditions,
    Connection,
    First,
    Last,
    ModelNode,
    OrderTerm,
    SortOrder,
    node_of,
    nodes_of,
    order_by_terms,
    paginate,
    read_rule,
)
from schema.users import UserNode, user_node
from services import org, public_works
from services.errors import validated

if TYPE_CHECKING:
    from schema.committee import AppointmentOrderNode
    from schema.cycles.types import CycleNode


@strawberry.type(name="Department", description="A department (กรม), e.g. กรมอนามัย.")
class DepartmentNode(ModelNode):
    model = Department

    visible = read_rule(org.visible_departments)

    id: relay.NodeID[int]
    name_th: str = strawberry.field(description="Thai name.")
    name_en: str | None = strawberry.field(description="English name.")

    @classmethod
    def from_model(cls, obj: Department) -> "DepartmentNode":
        return cls(id=obj.id, name_th=obj.name_th, name_en=obj.name_en)


@strawberry.type(name="Unit", description="A unit of a department (หน่วยงาน).")
class UnitNode(ModelNode):
    model = Unit

    visible = read_rule(org.visible_units)

    id: relay.NodeID[int]
    code: str = strawberry.field(description="Short unique code, upper case.")
    name_th: str = strawberry.field(description="Thai name, e.g. สำนักงานเลขานุการกรม.")
    name_en: str | None = strawberry.field(description="English name.")
    version: int = strawberry.field(description="Pass back when updating.")
    department_id: strawberry.Private[int]
    public_file_kinds: list[WorkFileKind] = strawberry.field(
        description="Which kinds of files the public pages of the unit's published works "
        "offer (set with `unitPublicFileKindsSet`); the cover and video link always show."
    )

    @classmethod
    def from_model(cls, obj: Unit) -> "UnitNode":
        return cls(
            id=obj.id,
            code=obj.code,
            name_th=obj.name_th,
            name_en=obj.name_en,
            version=obj.version,
            department_id=obj.department_id,
            public_file_kinds=list(public_works.public_file_kinds(obj)),
        )

    @strawberry.field(description="The department the unit belongs to.")
    async def department(self, info: strawberry.Info) -> DepartmentNode:
        return DepartmentNode.from_model(
            await info.context.loaders.department.load(self.department_id)
        )

    @strawberry.field(
        description="The unit's cycles, newest fiscal year first.",
        directives=[ListSize(assumed_size=5)],
    )
    async def cycles(
        self, info: strawberry.Info
    ) -> list[Annotated["CycleNode", strawberry.lazy("schema.cycles.types")]]:
        rows = await info.context.loaders.cycles_of_unit.load(self.id)
        return nodes_of(rows)

    @strawberry.field(description="The order appointing the unit's current LO committee, if any.")
    async def current_committee(
        self, info: strawberry.Info
    ) -> Annotated["AppointmentOrderNode", strawberry.lazy("schema.committee")] | None:
        orders = await info.context.loaders.current_order_of_unit.load(self.id)
        return node_of(orders[0]) if orders else None

    @strawberry.field(
        description="Who decides the unit's plans (the unit head); accounts are shown to "
        "administrators, managers and the account holders.",
        directives=[ListSize(assumed_size=3)],
    )
    async def approvers(self, info: strawberry.Info) -> list[UserNode]:
        ids = await info.context.loaders.approvers_of_unit.load(self.id)
        users = await asyncio.gather(*(user_node(info, user_id) for user_id in ids))
        return [u for u in users if u is not None]

    @strawberry.field(description="The viewer is one of the unit's approvers.")
    async def viewer_is_approver(self, info: strawberry.Info) -> bool:
        if info.context.actor.user_id is None:
            return False
        return (await info.context.loaders.standing_in_unit.load(self.id)).is_approver


@strawberry.type(name="Person", description="A member of staff or of a committee (บุคลากร).")
class PersonNode(ModelNode):
    model = Person

    visible = read_rule(org.visible_people)

    id: relay.NodeID[int]
    title_th: str = strawberry.field(description="Thai title, e.g. นางสาว.")
    first_name_th: str = strawberry.field(description="Thai first name.")
    last_name_th: str = strawberry.field(description="Thai last name.")
    full_name_th: str = strawberry.field(description="Title, first and last name in Thai.")
    name_en: str | None = strawberry.field(description="Name in English, optional.")
    position_th: str = strawberry.field(description="Position (ตำแหน่ง) in Thai.")
    position_en: str | None = strawberry.field(description="Position in English.")
    email: str | None = strawberry.field(description="E-mail for notifications.")
    version: int = strawberry.field(description="Pass back when updating.")
    has_line_user_id: bool = strawberry.field(
        default=False, description="Whether reminders can reach the person on LINE."
    )
    unit_id: strawberry.Private[int]
    user_id: strawberry.Private[int | None]

    @classmethod
    def from_model(cls, obj: Person) -> "PersonNode":
        return cls(
            id=obj.id,
            title_th=obj.title_th,
            first_name_th=obj.first_name_th,
            last_name_th=obj.last_name_th,
            full_name_th=obj.full_name_th,
            name_en=obj.name_en,
            position_th=obj.position_th,
            position_en=obj.position_en,
            email=obj.email,
            version=obj.version,
            has_line_user_id=bool(obj.line_user_id),
            unit_id=obj.unit_id,
            user_id=obj.user_id,
        )

    @strawberry.field(description="The person's unit.")
    async def unit(self, info: strawberry.Info) -> UnitNode:
        return UnitNode.from_model(await info.context.loaders.unit.load(self.unit_id))

    @strawberry.field(
        description="The login account, when the person has one and the viewer may see accounts "
        "(administrators, managers, the person)."
    )
    async def user(self, info: strawberry.Info) -> UserNode | None:
        return await user_node(info, self.user_id)


async def person_nodes(info: strawberry.Info, person_ids: list[int]) -> list[PersonNode]:
    people = await info.context.loaders.person.load_many(person_ids)
    return [PersonNode.from_model(p) for p in people if p is not None]


@strawberry.enum(description="Fields units can be ordered by.")
class UnitOrderField(Enum):
    CODE = "code"
    NAME_TH = "name_th"


@strawberry.input(description="One ordering term for units.")
class UnitOrder(OrderTerm):
    field: UnitOrderField = strawberry.field(description="Field to order by.")


@strawberry.input(description="Narrows the units listed.")
class UnitFilter:
    search: str | None = strawberry.field(default=None, description="Part of the code or name.")


@strawberry.enum(description="Fields people can be ordered by.")
class PersonOrderField(Enum):
    FIRST_NAME_TH = "first_name_th"
    LAST_NAME_TH = "last_name_th"


@strawberry.input(description="One ordering term for people.")
class PersonOrder(OrderTerm):
    field: PersonOrderField = strawberry.field(description="Field to order by.")


@strawberry.input(description="Narrows the people listed; all given conditions must hold.")
class PersonFilter:
    unit: relay.GlobalID | None = strawberry.field(default=None, description="Of this unit.")
    search: str | None = strawberry.field(default=None, description="Part of a name.")


@strawberry.type
class OrgQueries:
    @strawberry.field(description="Units, for anyone signed in.")
    async def units(
        self,
        info: strawberry.Info,
        filter: Conditions[UnitFilter] = None,
        order_by: SortOrder[UnitOrder] = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[UnitNode]:
        queryset = org.list_units(
            actor=info.context.actor,
            search=filter.search if filter else None,
            ordering=order_by_terms(order_by, default=["code"]),
        )
        return await paginate(
            queryset, UnitNode.from_model, first=first, after=after, last=last, before=before
        )

    @strawberry.field(description="People, for anyone signed in.")
    async def people(
        self,
        info: strawberry.Info,
        filter: Conditions[PersonFilter] = None,
        order_by: SortOrder[PersonOrder] = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[PersonNode]:
        filter = filter or PersonFilter()
        queryset = org.list_people(
            actor=info.context.actor,
            unit_id=node_id(filter.unit, UnitNode, "unit") if filter.unit else None,
            search=filter.search,
            ordering=order_by_terms(order_by, default=["first_name_th"]),
        )
        return await paginate(
            queryset, PersonNode.from_model, first=first, after=after, last=last, before=before
        )


@strawberry.input(description="A new unit; its department is found or created by Thai name.")
class UnitCreateInput:
    code: str = strawberry.field(description="Short unique code (2–32 letters, digits, - or _).")
    name_th: str = strawberry.field(description="Thai name.")
    name_en: str | None = strawberry.field(default=None, description="English name.")
    department_name_th: str = strawberry.field(
        default="กรมอนามัย", description="Thai name of the department."
    )
    department_name_en: str | None = strawberry.field(
        default="Department of Health", description="English name of the department."
    )


@strawberry.type(description="Result of `unitCreate`.")
class UnitCreatePayload:
    unit: UnitNode | None = strawberry.field(default=None, description="The new unit.")
    errors: list[UserError] = strawberry.field(description="Why nothing was created, if so.")


@strawberry.input(description="A person's details.")
class PersonInput:
    unit: relay.GlobalID = strawberry.field(description="The person's unit.")
    title_th: str = strawberry.field(default="", description="Thai title, e.g. นาย.")
    first_name_th: str = strawberry.field(description="Thai first name.")
    last_name_th: str = strawberry.field(default="", description="Thai last name.")
    name_en: str | None = strawberry.field(default=None, description="Name in English.")
    position_th: str = strawberry.field(default="", description="Position in Thai.")
    position_en: str | None = strawberry.field(default=None, description="Position in English.")
    email: str | None = strawberry.field(default=None, description="E-mail address.")
    user: relay.GlobalID | None = strawberry.field(
        default=None, description="Link to a login account."
    )
    line_user_id: str | None = strawberry.field(
        default=None,
        description="LINE user id (U followed by 32 hex digits) for reminders pushed by the "
        "unit's LINE Official Account; null: no LINE reminders.",
    )


@strawberry.input(description="A new person.")
class PersonCreateInput(PersonInput):
    pass


@strawberry.input(
    description="A person's new details: every field is replaced, except that an omitted "
    "`user` keeps the account link."
)
class PersonUpdateInput(PersonInput):
    user: relay.GlobalID | None = strawberry.field(
        default=strawberry.UNSET,
        description="Link to a login account: omitted keeps the current link, null removes it.",
    )
    id: relay.GlobalID = strawberry.field(description="The person.")
    version: int = strawberry.field(description="The version the change is based on.")
    reason: str | None = strawberry.field(default=None, description="Why; kept in the audit.")


@strawberry.type(description="Result of `personCreate` and `personUpdate`.")
class PersonPayload:
    person: PersonNode | None = strawberry.field(default=None, description="The person as saved.")
    errors: list[UserError] = strawberry.field(description="Why nothing was saved, if so.")


def _person_data(input: PersonInput) -> org.PersonData:
    data = input_dict(input, exclude={"id", "version", "reason", "unit", "user"})
    data["unit_id"] = node_id(input.unit, UnitNode, "unit")
    user = None if input.user is strawberry.UNSET else input.user
    data["user_id"] = node_id(user, UserNode, "user") if user else None
    return validated(org.PersonData, data)


@strawberry.type
class OrgMutations:
    @strawberry.mutation(description="Create a unit (administrators).")
    async def unit_create(
        self, info: strawberry.Info, input: Input[UnitCreateInput]
    ) -> UnitCreatePayload:
        async def action() -> dict[str, Any]:
            data = validated(org.NewUnit, input_dict(input))
            return {
                "unit": UnitNode.from_model(
                    await org.create_unit(actor=info.context.actor, data=data)
                )
            }

        return await payload(info, UnitCreatePayload, action)

    @strawberry.mutation(description="Add a person to a unit (administrators).")
    async def person_create(
        self, info: strawberry.Info, input: Input[PersonCreateInput]
    ) -> PersonPayload:
        async def action() -> dict[str, Any]:
            person = await org.create_person(actor=info.context.actor, data=_person_data(input))
            return {"person": PersonNode.from_model(person)}

        return await payload(info, PersonPayload, action)

    @strawberry.mutation(description="Change a person's details (administrators).")
    async def person_update(
        self, info: strawberry.Info, input: Input[PersonUpdateInput]
    ) -> PersonPayload:
        async def action() -> dict[str, Any]:
            person = await org.update_person(
                actor=info.context.actor,
                person_id=node_id(input.id, PersonNode),
                version=input.version,
                data=_person_data(input),
                keep_user_link=input.user is strawberry.UNSET,
                reason=input.reason,
            )
            return {"person": PersonNode.from_model(person)}

        return await payload(info, PersonPayload, action)
