"""Importing a unit's people with their e-mails from a CSV or XLSX file."""

from typing import Any

import strawberry
from strawberry import relay
from strawberry.file_uploads import Upload

from schema.errors import UserError, payload
from schema.inputs import Input, node_id
from schema.org import UnitNode
from schema.stakeholders import rejection_errors, uploaded_file
from services import people_import


@strawberry.input(
    description="A CSV or Excel (.xlsx) file of a unit's people, sent as a GraphQL multipart "
    "request with a GraphQL-Require-Preflight header. Its header row names the columns, in Thai "
    "or English: ชื่อ/first name and อีเมล/email are required; คำนำหน้า/title, นามสกุล/last "
    "name, ตำแหน่ง/position and รหัสพนักงาน/employee id optional; other columns are ignored. "
    f"Encodings as for `stakeholderImport`. At most {people_import.MAX_IMPORT_ROWS} rows."
)
class PersonImportInput:
    unit: relay.GlobalID = strawberry.field(description="The unit the people belong to.")
    file: Upload = strawberry.field(description="The file (a multipart part).")


@strawberry.type(description="A row of an imported file of people that was not imported.")
class PersonImportRejection:
    row: int = strawberry.field(
        description="The row's number as a spreadsheet shows it (the header row counts)."
    )
    errors: list[UserError] = strawberry.field(
        description='What is wrong with it; `field` names the column, e.g. ["email"].'
    )


@strawberry.type(
    description="Result of `personImport`: the valid rows were saved together; each invalid "
    "one is listed in `rejected`. `errors` means the file as a whole was refused."
)
class PersonImportPayload:
    created: int = strawberry.field(default=0, description="New people.")
    updated: int = strawberry.field(
        default=0,
        description="People of the unit (same employee id, or else same e-mail) whose details "
        "changed; columns the file lacks keep their values.",
    )
    unchanged: int = strawberry.field(default=0, description="Rows that matched exactly.")
    rejected: list[PersonImportRejection] = strawberry.field(
        default_factory=list, description="Rows not imported, in file order."
    )
    errors: list[UserError] = strawberry.field(description="Why nothing was imported, if so.")


@strawberry.type
class PersonImportMutations:
    @strawberry.mutation(
        description="Import a unit's people with their work e-mails (administrators), so that "
        "department sign-ins find them; audited as `person.import`."
    )
    async def person_import(
        self, info: strawberry.Info, input: Input[PersonImportInput]
    ) -> PersonImportPayload:
        async def action() -> dict[str, Any]:
            filename, data = await uploaded_file(input.file)
            report = await people_import.import_people(
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
                    PersonImportRejection(row=r.row, errors=rejection_errors(r.problems, info))
                    for r in report.rejected
                ],
            }

        return await payload(info, PersonImportPayload, action)
