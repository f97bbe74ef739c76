"""Mutations on works: drafting, files, review and registration transitions."""

from typing import Any

import strawberry
from starlette.datastructures import UploadFile
from strawberry import relay
from strawberry.file_uploads import Upload

from models.work import WorkFileKind, WorkKind
from schema.errors import UserError, payload
from schema.inputs import Input, node_id
from schema.org import PersonNode, UnitNode
from schema.transitions import transition
from schema.works.types import WorkFileNode, WorkNode
from services import documents, work_files, works
from services.errors import validated
from services.works import WorkAction


@strawberry.input(description="An author: a person of the department or an outside co-author.")
class WorkAuthorInput:
    person: relay.GlobalID | None = strawberry.field(
        default=None, description="The person; omit for an outside co-author."
    )
    name_th: str = strawberry.field(
        default="", description="Name as credited; required for outside co-authors."
    )
    name_en: str | None = strawberry.field(default=None, description="Name in English.")
    affiliation: str = strawberry.field(default="", description="Organisation of an outsider.")
    corresponding: bool = strawberry.field(
        default=False, description="The corresponding author: exactly one per work."
    )


@strawberry.input(description="What an author writes about a work.")
class WorkFieldsInput:
    kind: WorkKind = strawberry.field(description="Research, academic or innovation.")
    fiscal_year: int = strawberry.field(description="BE year, e.g. 2565.")
    title_th: str = strawberry.field(description="Title in Thai (up to 500 characters).")
    title_en: str | None = strawberry.field(default=None, description="Title in English.")
    abstract_th: str = strawberry.field(default="", description="Abstract in Thai.")
    abstract_en: str | None = strawberry.field(default=None, description="Abstract in English.")
    keywords: list[str] = strawberry.field(default_factory=list, description="Up to 30.")
    authors: list[WorkAuthorInput] = strawberry.field(description="In order; the whole list.")
    knowledge_topics: list[relay.GlobalID] = strawberry.field(
        default_factory=list, description="Knowledge topics of the unit it came from."
    )
    activities: list[relay.GlobalID] = strawberry.field(
        default_factory=list, description="Activities of the unit's plans it came from."
    )


@strawberry.input(description="A new work, as a draft.")
class WorkCreateInput(WorkFieldsInput):
    unit: relay.GlobalID = strawberry.field(description="The unit it belongs to.")


@strawberry.input(description="New contents of a draft or returned work (replaces them all).")
class WorkUpdateInput(WorkFieldsInput):
    id: relay.GlobalID = strawberry.field(description="The work.")
    version: int = strawberry.field(description="The version the change is based on.")


@strawberry.input(description="A status change of a work.")
class WorkActionInput:
    id: relay.GlobalID = strawberry.field(description="The work.")
    version: int | None = strawberry.field(
        default=None, description="When given, the change is refused if the work moved on."
    )
    reason: str | None = strawberry.field(
        default=None, description="Why; required to return, retract or archive."
    )


@strawberry.type(description="Result of a work mutation.")
class WorkPayload:
    work: WorkNode | None = strawberry.field(default=None, description="The work as saved.")
    errors: list[UserError] = strawberry.field(description="Why nothing changed, if so.")


@strawberry.input(description="A file or video link for a work.")
class WorkFileAddInput:
    work: relay.GlobalID = strawberry.field(description="The work.")
    kind: WorkFileKind = strawberry.field(description="What it is.")
    file: Upload | None = strawberry.field(
        default=None, description="The file (a multipart part); not for VIDEO_LINK."
    )
    url: str | None = strawberry.field(default=None, description="For VIDEO_LINK: the address.")


@strawberry.type(description="Result of `workFileAdd`.")
class WorkFileAddPayload:
    file: WorkFileNode | None = strawberry.field(default=None, description="The new file.")
    errors: list[UserError] = strawberry.field(description="Why nothing was stored, if so.")


async def _upload(file: object) -> documents.Upload | None:
    # None when the request carried no file: a JSON request can put any value in an Upload.
    if not isinstance(file, UploadFile):
        return None
    return documents.Upload(
        filename=file.filename or "", data=await file.read(), declared_type=file.content_type or ""
    )


def work_data(input: WorkFieldsInput) -> works.WorkData:
    return validated(
        works.WorkData,
        {
            "kind": input.kind,
            "fiscal_year": input.fiscal_year,
            "title_th": input.title_th,
            "title_en": input.title_en,
            "abstract_th": input.abstract_th,
            "abstract_en": input.abstract_en,
            "keywords": input.keywords,
            "authors": [
                {
                    "person_id": node_id(a.person, PersonNode, ("authors", str(i), "person"))
                    if a.person
                    else None,
                    "name_th": a.name_th,
                    "name_en": a.name_en,
                    "affiliation": a.affiliation,
                    "corresponding": a.corresponding,
                }
                for i, a in enumerate(input.authors)
            ],
            "topic_ids": [
                node_id(t, "KnowledgeTopic", ("knowledgeTopics", str(i)))
                for i, t in enumerate(input.knowledge_topics)
            ],
            "activity_ids": [
                node_id(a, "Activity", ("activities", str(i)))
                for i, a in enumerate(input.activities)
            ],
        },
    )


async def _act(info: strawberry.Info, input: WorkActionInput, action: WorkAction) -> WorkPayload:
    async def run() -> dict[str, Any]:
        work = await works.act_on_work(
            actor=info.context.actor,
            work_id=node_id(input.id, WorkNode),
            action=action,
            version=input.version,
            reason=input.reason,
        )
        return {"work": WorkNode.from_model(work)}

    return await payload(info, WorkPayload, run)


@strawberry.type
class WorkMutations:
    @strawberry.mutation(description="Register a new work as a draft (staff of the unit).")
    async def work_create(
        self, info: strawberry.Info, input: Input[WorkCreateInput]
    ) -> WorkPayload:
        async def run() -> dict[str, Any]:
            work = await works.create_work(
                actor=info.context.actor,
                unit_id=node_id(input.unit, UnitNode, "unit"),
                data=work_data(input),
            )
            return {"work": WorkNode.from_model(work)}

        return await payload(info, WorkPayload, run)

    @strawberry.mutation(description="Change a draft or returned work (its authors).")
    async def work_update(
        self, info: strawberry.Info, input: Input[WorkUpdateInput]
    ) -> WorkPayload:
        async def run() -> dict[str, Any]:
            work = await works.update_work(
                actor=info.context.actor,
                work_id=node_id(input.id, WorkNode),
                version=input.version,
                data=work_data(input),
            )
            return {"work": WorkNode.from_model(work)}

        return await payload(info, WorkPayload, run)

    work_submit = transition(
        _act,
        WorkAction.SUBMIT,
        input_type=WorkActionInput,
        payload_type=WorkPayload,
        description="Send a work for the committee's review (→ IN_REVIEW).",
    )

    work_return = transition(
        _act,
        WorkAction.RETURN,
        input_type=WorkActionInput,
        payload_type=WorkPayload,
        description="Return a work for changes, with a reason (→ RETURNED).",
    )

    work_register = transition(
        _act,
        WorkAction.REGISTER,
        input_type=WorkActionInput,
        payload_type=WorkPayload,
        description="Register a reviewed work (→ REGISTERED): gives its registry number.",
    )

    work_archive = transition(
        _act,
        WorkAction.ARCHIVE,
        input_type=WorkActionInput,
        payload_type=WorkPayload,
        description="Archive a work, with a reason (→ ARCHIVED; unit lead).",
    )

    @strawberry.mutation(
        description="Add a file (the next version of its kind) or a video link to a work: its "
        "authors while it is a draft or returned, the unit lead until it is archived. Files are "
        "sent as a GraphQL multipart request with a GraphQL-Require-Preflight header."
    )
    async def work_file_add(
        self, info: strawberry.Info, input: Input[WorkFileAddInput]
    ) -> WorkFileAddPayload:
        async def run() -> dict[str, Any]:
            file = await work_files.add_file(
                actor=info.context.actor,
                work_id=node_id(input.work, WorkNode, "work"),
                kind=input.kind,
                upload=await _upload(input.file) if input.file is not None else None,
                url=input.url,
            )
            return {"file": WorkFileNode.from_model(file)}

        return await payload(info, WorkFileAddPayload, run)
