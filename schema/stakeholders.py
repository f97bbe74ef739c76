"""The stakeholder directory (ทำเนียบผู้รับบริการและผู้มีส่วนได้ส่วนเสีย) and its import."""

from datetime import datetime
from enum import Enum
from typing import Annotated, Any

import strawberry
from starlette.datastructures import UploadFile
from strawberry import relay
from strawberry.file_uploads import Upload

from models.survey import Stakeholder, StakeholderGroup
from schema.errors import UserError, payload
from schema.inputs import Input, input_dict, node_id
from schema.org import UnitNode
from schema.relay import (
    After,
    Before,
    Conditions,
    Connection,
    First,
    Last,
    ModelNode,
    OrderTerm,
    order_by_terms,
    paginate,
    read_rule,
)
from services import stakeholders
from services.errors import Problem
from services.messages import render

# The same enum as schema.surveys registers (one Python class, so one GraphQL type): keep the
# two descriptions equal.


@strawberry.type(
    name="Stakeholder",
    description="An entry of a unit's directory of service recipients, stakeholders and "
    "partners (ทำเนียบ): a person or an organisation, with contact details. Readable by the "
    "unit's committee members, managers and administrators only.",
)
class StakeholderNode(ModelNode):
    model = Stakeholder

    id: relay.NodeID[int]
    name: str = strawberry.field(description="Name of the person or organisation.")
    organisation: str = strawberry.field(
        description="Organisation the person belongs to; empty for an organisation itself."
    )
    group: StakeholderGroup = strawberry.field(description="Which group it belongs to.")
    email: str | None = strawberry.field(description="E-mail address.")
    line_id: str | None = strawberry.field(description="LINE id.")
    phone: str | None = strawberry.field(description="Phone number.")
    active: bool = strawberry.field(
        description="False once deactivated: kept for past surveys, left out of new ones."
    )
    version: int = strawberry.field(description="Pass back when updating.")
    created_at: datetime = strawberry.field(description="When it was added (UTC).")
    unit_id: strawberry.Private[int]

    @classmethod
    def from_model(cls, obj: Stakeholder) -> "StakeholderNode":
        return cls(
            id=obj.id,
            name=obj.name,
            organisation=obj.organisation,
            group=obj.group,
            email=obj.email,
            line_id=obj.line_id,
            phone=obj.phone,
            active=obj.active,
            version=obj.version,
            created_at=obj.created_at,
            unit_id=obj.unit_id,
        )

    visible = read_rule(stakeholders.visible_stakeholders)

    @strawberry.field(description="The unit whose directory it is in.")
    async def unit(self, info: strawberry.Info) -> UnitNode:
        return UnitNode.from_model(await info.context.loaders.unit.load(self.unit_id))


@strawberry.enum(description="Fields stakeholders can be ordered by.")
class StakeholderOrderField(Enum):
    NAME = "name"
    ORGANISATION = "organisation"
    GROUP = "group"
    CREATED_AT = "created_at"


@strawberry.input(description="One ordering term for stakeholders.")
class StakeholderOrder(OrderTerm):
    field: StakeholderOrderField = strawberry.field(description="Field to order by.")


@strawberry.input(description="Narrows the stakeholders listed; all given conditions must hold.")
class StakeholderFilter:
    unit: relay.GlobalID | None = strawberry.field(
        default=None,
        description="Of this unit. Without it: every unit's for managers and administrators, "
        "the units whose committee the viewer sits on for others.",
    )
    group: StakeholderGroup | None = strawberry.field(default=None, description="In this group.")
    search: str | None = strawberry.field(
        default=None, description="Part of the name, organisation, e-mail, LINE id or phone."
    )
    active: bool | None = strawberry.field(
        default=None, description="Only active (true) or only deactivated (false) entries."
    )


@strawberry.type
class StakeholderQueries:
    @strawberry.field(
        description="A unit's stakeholder directory: for the unit's committee members (any "
        "seat), managers and administrators; others are refused (FORBIDDEN)."
    )
    async def stakeholders(
        self,
        info: strawberry.Info,
        filter: Conditions[StakeholderFilter] = None,
        order_by: Annotated[
            list[StakeholderOrder] | None,
            strawberry.argument(description="Sort order; by name, then organisation, if omitted."),
        ] = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[StakeholderNode]:
        filter = filter or StakeholderFilter()
        queryset = await stakeholders.list_stakeholders(
            actor=info.context.actor,
            unit_id=node_id(filter.unit, UnitNode, "unit") if filter.unit else None,
            group=filter.group,
            search=filter.search,
            active=filter.active,
            ordering=order_by_terms(order_by, default=["name", "organisation"]),
        )
        return await paginate(
            queryset, StakeholderNode.from_model, first=first, after=after, last=last, before=before
        )


@strawberry.input(description="A stakeholder's details.")
class StakeholderInput:
    name: str = strawberry.field(description="Name of the person or organisation.")
    organisation: str = strawberry.field(
        default="", description="Organisation the person belongs to; empty for an organisation."
    )
    group: StakeholderGroup = strawberry.field(description="Which group it belongs to.")
    email: str | None = strawberry.field(default=None, description="E-mail address.")
    line_id: str | None = strawberry.field(default=None, description="LINE id.")
    phone: str | None = strawberry.field(
        default=None, description="Phone number: digits, spaces and -, after an optional +."
    )
    active: bool = strawberry.field(
        default=True, description="False to deactivate (entries are never deleted)."
    )


@strawberry.input(description="A new entry of a unit's directory.")
class StakeholderCreateInput(StakeholderInput):
    unit: relay.GlobalID = strawberry.field(description="The unit whose directory it joins.")


@strawberry.input(
    description="An entry's new details: all fields are replaced (omitted ones take their "
    "defaults) except `active`, which an omission keeps; it stays in its unit."
)
class StakeholderUpdateInput(StakeholderInput):
    active: bool | None = strawberry.field(  # type: ignore[assignment]
        default=None, description="False to deactivate, true to reactivate; omitted keeps it."
    )
    id: relay.GlobalID = strawberry.field(description="The entry.")
    version: int = strawberry.field(description="The version the change is based on.")
    reason: str | None = strawberry.field(default=None, description="Why; kept in the audit.")


@strawberry.type(description="Result of `stakeholderCreate` and `stakeholderUpdate`.")
class StakeholderPayload:
    stakeholder: StakeholderNode | None = strawberry.field(
        default=None, description="The entry as saved."
    )
    errors: list[UserError] = strawberry.field(description="Why nothing was saved, if so.")


@strawberry.input(
    description="A CSV or Excel (.xlsx) file of stakeholders, sent as a GraphQL multipart "
    "request with a GraphQL-Require-Preflight header. Its header row names the columns, in "
    "Thai or English, in any case: ชื่อ/name and กลุ่ม/group are required, "
    "หน่วยงาน/organisation, อีเมล/email, LINE/line_id and โทรศัพท์/phone optional; other "
    "columns are ignored. A group is its enum name or Thai name (ผู้รับบริการ, "
    "ผู้มีส่วนได้ส่วนเสีย, ภาคีเครือข่าย, อื่น ๆ). CSV may be UTF-8 (with or without BOM) or "
    f"Thai Windows (cp874/TIS-620). At most {stakeholders.MAX_IMPORT_ROWS} rows."
)
class StakeholderImportInput:
    unit: relay.GlobalID = strawberry.field(description="The unit whose directory it fills.")
    file: Upload = strawberry.field(description="The file (a multipart part).")


@strawberry.type(description="A row of an imported file that was not imported, and why.")
class StakeholderImportRejection:
    row: int = strawberry.field(
        description="The row's number as a spreadsheet shows it (the header row counts)."
    )
    errors: list[UserError] = strawberry.field(
        description='What is wrong with it; `field` names the column, e.g. ["email"], ["lineId"].'
    )


@strawberry.type(
    description="Result of `stakeholderImport`: the valid rows were saved together; each "
    "invalid one is listed in `rejected`. `errors` means the file as a whole was refused and "
    "nothing was saved."
)
class StakeholderImportPayload:
    created: int = strawberry.field(default=0, description="New entries.")
    updated: int = strawberry.field(
        default=0,
        description="Existing entries (same name and organisation) whose details changed; "
        "columns the file lacks keep their values.",
    )
    unchanged: int = strawberry.field(
        default=0, description="Rows that matched an existing entry exactly."
    )
    rejected: list[StakeholderImportRejection] = strawberry.field(
        default_factory=list, description="Rows not imported, in file order."
    )
    errors: list[UserError] = strawberry.field(description="Why nothing was imported, if so.")


def _data(input: StakeholderInput, **extra: Any) -> dict[str, Any]:
    return input_dict(input, exclude={"id", "version", "reason", "unit"}) | extra


def rejection_errors(problems: list[Problem], info: strawberry.Info) -> list[UserError]:
    return [
        UserError(
            code=p.code,
            field=list(p.field) if p.field else None,
            message=render(p.message_key, info.context.language, p.params),
        )
        for p in problems
    ]


async def uploaded_file(file: object) -> tuple[str, bytes | None]:
    # No bytes when the request carried no file: a JSON request can put any value in an Upload.
    if not isinstance(file, UploadFile):
        return "", None
    return file.filename or "", await file.read()


@strawberry.type
class StakeholderMutations:
    @strawberry.mutation(
        description="Add an entry to a unit's directory (unit chair or secretary, administrators)."
    )
    async def stakeholder_create(
        self, info: strawberry.Info, input: Input[StakeholderCreateInput]
    ) -> StakeholderPayload:
        async def action() -> dict[str, Any]:
            data = stakeholders.checked(
                stakeholders.StakeholderData,
                _data(input, unit_id=node_id(input.unit, UnitNode, "unit")),
            )
            stakeholder = await stakeholders.create_stakeholder(actor=info.context.actor, data=data)
            return {"stakeholder": StakeholderNode.from_model(stakeholder)}

        return await payload(info, StakeholderPayload, action)

    @strawberry.mutation(
        description="Replace an entry's details, or deactivate it with `active: false` "
        "(unit chair or secretary, administrators)."
    )
    async def stakeholder_update(
        self, info: strawberry.Info, input: Input[StakeholderUpdateInput]
    ) -> StakeholderPayload:
        async def action() -> dict[str, Any]:
            stakeholder = await stakeholders.update_stakeholder(
                actor=info.context.actor,
                stakeholder_id=node_id(input.id, StakeholderNode),
                version=input.version,
                data=stakeholders.checked(
                    stakeholders.StakeholderFields, _data(input, active=bool(input.active))
                ),
                keep_active=input.active is None,
                reason=input.reason,
            )
            return {"stakeholder": StakeholderNode.from_model(stakeholder)}

        return await payload(info, StakeholderPayload, action)

    @strawberry.mutation(
        description="Import a CSV or XLSX file into a unit's directory (unit chair or "
        "secretary, administrators): each valid row creates an entry or updates the one with "
        "the same name and organisation; each invalid row is reported and skipped."
    )
    async def stakeholder_import(
        self, info: strawberry.Info, input: Input[StakeholderImportInput]
    ) -> StakeholderImportPayload:
        async def action() -> dict[str, Any]:
            filename, data = await uploaded_file(input.file)
            report = await stakeholders.import_stakeholders(
                actor=info.context.actor,
                unit_id=node_id(input.unit, UnitNode, "unit"),
                filename=filename,
                data=data,
            )
            return {
                "created": report.created,
                "updated": report.updated,
                "unchanged": report.unchanged,
                "rejected": [
                    StakeholderImportRejection(row=r.row, errors=rejection_errors(r.problems, info))
                    for r in report.rejected
                ],
            }

        return await payload(info, StakeholderImportPayload, action)
