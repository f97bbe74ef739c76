"""The works registry (ทะเบียนผลงาน) as shown: works, authors, files and the queries (Thai
search)."""

from datetime import datetime
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Any
from urllib.parse import quote, urlencode

import strawberry
from strawberry import relay

from models.work import Work, WorkAuthor, WorkFile, WorkFileKind, WorkKind, WorkStatus
from schema.cost import ListSize
from schema.cycles.types import standing_in_cycle
from schema.inputs import node_id
from schema.org import PersonNode, UnitNode
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
    when_loaded,
)
from services import work_files, works
from services.cycles import CycleStanding
from services.works import WorkAction, WorkStanding

if TYPE_CHECKING:
    from schema.knowledge import KnowledgeTopicNode
    from schema.plans.types import ActivityNode
    from schema.publishing import PublicationNode


@strawberry.type(name="WorkAuthor", description="An author of a work (ผู้จัดทำ), in order.")
class WorkAuthorNode:
    position: int = strawberry.field(description="1 for the first author.")
    name_th: str = strawberry.field(description="Name in Thai as credited.")
    name_en: str | None = strawberry.field(description="Name in English as credited.")
    affiliation: str = strawberry.field(description="Organisation, for outside co-authors.")
    corresponding: bool = strawberry.field(description="The corresponding author.")
    person_id: strawberry.Private[int | None]

    @classmethod
    def from_model(cls, author: WorkAuthor) -> "WorkAuthorNode":
        return cls(
            position=author.position,
            name_th=author.name_th,
            name_en=author.name_en,
            affiliation=author.affiliation,
            corresponding=author.corresponding,
            person_id=author.person_id,
        )

    @strawberry.field(description="The person of the department; null for outside co-authors.")
    async def person(self, info: strawberry.Info) -> PersonNode | None:
        if self.person_id is None:
            return None
        person = await info.context.loaders.person.load(self.person_id)
        return PersonNode.from_model(person) if person else None


@strawberry.type(name="WorkFile", description="A file of a work, or a video link (ไฟล์ผลงาน).")
class WorkFileNode(ModelNode):
    model = WorkFile

    id: relay.NodeID[int]
    kind: WorkFileKind = strawberry.field(description="What the file is.")
    version: int = strawberry.field(description="1, 2, … per kind; the highest is current.")
    filename: str = strawberry.field(description="Name as uploaded; empty for a link.")
    content_type: str = strawberry.field(description="MIME type detected from the bytes.")
    size: int = strawberry.field(description="Size in bytes.")
    sha256: str = strawberry.field(description="SHA-256 of the bytes, hex.")
    url: str | None = strawberry.field(description="The video's address, for VIDEO_LINK.")
    uploaded_at: datetime = strawberry.field(description="When it was added (UTC).")
    has_bytes: strawberry.Private[bool]

    visible = read_rule(work_files.visible_work_files)

    @strawberry.field(
        description="Where to download the file: a relative URL, signed and valid for 10 "
        "minutes; null for a video link."
    )
    def download_url(self) -> str | None:
        if not self.has_bytes:
            return None
        token = work_files.download_token(self.id)
        # The global id is letters, digits and "=": quoted all the same, as a document's link.
        path = quote(relay.to_base64(WorkFileNode, self.id), safe="=")
        return f"/files/work-files/{path}?{urlencode({'token': token})}"

    @classmethod
    def from_model(cls, file: WorkFile) -> "WorkFileNode":
        return cls(
            kind=file.kind,
            version=file.version,
            filename=file.filename,
            content_type=file.content_type,
            size=file.size,
            sha256=file.sha256,
            url=file.url,
            uploaded_at=file.uploaded_at,
            id=file.id,
            has_bytes=bool(file.storage_key),
        )


@strawberry.type(name="Work", description="A research, academic or innovation work (ผลงาน).")
class WorkNode(ModelNode):
    model = Work

    id: relay.NodeID[int]
    kind: WorkKind = strawberry.field(description="Research, academic or innovation.")
    status: WorkStatus = strawberry.field(description="Where it is in its lifecycle.")
    registry_number: str | None = strawberry.field(
        description="`LO-<BE year>-<4 digits>`, given on registration; never reused."
    )
    fiscal_year: int = strawberry.field(description="Fiscal year, BE, e.g. 2565.")
    title_th: str = strawberry.field(description="Title in Thai.")
    title_en: str | None = strawberry.field(description="Title in English.")
    abstract_th: str = strawberry.field(description="Abstract in Thai.")
    abstract_en: str | None = strawberry.field(description="Abstract in English.")
    keywords: list[str] = strawberry.field(description="Keywords.")
    status_reason: str | None = strawberry.field(
        description="Why it was returned, retracted or archived."
    )
    submitted_at: datetime | None = strawberry.field(description="Last sent for review (UTC).")
    registered_at: datetime | None = strawberry.field(description="When registered (UTC).")
    published_at: datetime | None = strawberry.field(description="First published (UTC).")
    version: int = strawberry.field(description="Pass back with changes; bumps on every change.")
    unit_id: strawberry.Private[int]
    created_by_id: strawberry.Private[int | None]

    @classmethod
    def from_model(cls, work: Work) -> "WorkNode":
        return cls(
            id=work.id,
            kind=work.kind,
            status=work.status,
            registry_number=work.registry_number,
            fiscal_year=work.fiscal_year,
            title_th=work.title_th,
            title_en=work.title_en,
            abstract_th=work.abstract_th,
            abstract_en=work.abstract_en,
            keywords=list(work.keywords),
            status_reason=work.status_reason,
            submitted_at=work.submitted_at,
            registered_at=work.registered_at,
            published_at=work.published_at,
            version=work.version,
            unit_id=work.unit_id,
            created_by_id=work.created_by_id,
        )

    visible = read_rule(works.visible_works)

    @classmethod
    def prefetch(
        cls, info: strawberry.Info, nodes: list["WorkNode"], fields: set[str]
    ) -> list[Any]:
        loaders = info.context.loaders
        loads = []
        if "unit" in fields:
            loads.append(loaders.unit.load_many([n.unit_id for n in nodes]))
        if "authors" in fields:
            loads.append(loaders.authors_of_work.load_many([n.id for n in nodes]))
        return loads

    @strawberry.field(description="The unit it belongs to.")
    def unit(self, info: strawberry.Info) -> UnitNode:
        return when_loaded(info.context.loaders.unit.load(self.unit_id), UnitNode.from_model)

    @strawberry.field(
        description="Authors in order, people and outside co-authors.",
        directives=[ListSize(assumed_size=10)],
    )
    def authors(self, info: strawberry.Info) -> list[WorkAuthorNode]:
        return when_loaded(
            info.context.loaders.authors_of_work.load(self.id),
            lambda rows: [WorkAuthorNode.from_model(a) for a in rows],
        )

    @strawberry.field(
        description="Its files and video links, by kind, oldest version first.",
        directives=[ListSize(assumed_size=10)],
    )
    async def files(
        self,
        info: strawberry.Info,
        latest_only: Annotated[
            bool, strawberry.argument(description="Only the newest version of each kind.")
        ] = False,
    ) -> list[WorkFileNode]:
        rows = await info.context.loaders.files_of_work.load(self.id)
        if latest_only:
            newest = {f.kind: f for f in rows}
            rows = [f for f in rows if newest[f.kind] is f]
        return [WorkFileNode.from_model(f) for f in rows]

    @strawberry.field(
        description="Knowledge topics the work came from.", directives=[ListSize(assumed_size=5)]
    )
    async def knowledge_topics(
        self, info: strawberry.Info
    ) -> list[Annotated["KnowledgeTopicNode", strawberry.lazy("schema.knowledge")]]:
        rows = await info.context.loaders.topics_of_work.load(self.id)
        return nodes_of(rows)

    @strawberry.field(
        description="Plan activities the work came from.", directives=[ListSize(assumed_size=5)]
    )
    async def activities(
        self, info: strawberry.Info
    ) -> list[Annotated["ActivityNode", strawberry.lazy("schema.plans.types")]]:
        rows = await info.context.loaders.activities_of_work.load(self.id)
        return nodes_of(rows)

    @strawberry.field(
        description="Its publication on each channel, with status and URL.",
        directives=[ListSize(assumed_size=3)],
    )
    async def publications(
        self, info: strawberry.Info
    ) -> list[Annotated["PublicationNode", strawberry.lazy("schema.publishing")]]:
        rows = await info.context.loaders.publications_of_work.load(self.id)
        return [node_of(p, unit_id=self.unit_id) for p in rows]

    async def _standing(self, info: strawberry.Info) -> WorkStanding:
        unit = await info.context.loaders.standing_in_unit.load(self.unit_id)
        authors = await info.context.loaders.authors_of_work.load(self.id)
        people = await info.context.loaders.person.load_many(
            [a.person_id for a in authors if a.person_id is not None]
        )
        users = {p.user_id for p in people if p is not None}
        cycles = await info.context.loaders.cycles_of_unit.load(self.unit_id)
        cycle = min(
            (c for c in cycles if c.fiscal_year == self.fiscal_year),
            key=lambda c: c.id,
            default=None,
        )
        named = (await standing_in_cycle(info, cycle.id, CycleStanding)).named if cycle else None
        return WorkStanding(
            unit,
            info.context.actor.user_id,
            named or frozenset(),
            is_author=works.is_author(info.context.actor, self.created_by_id, users),
        )

    async def _viewer_can(self, info: strawberry.Info, action: WorkAction) -> bool:
        if info.context.actor.user_id is None:
            return False
        return works.viewer_can(self.status, await self._standing(info), action)

    @strawberry.field(description="The viewer may edit it now.")
    async def viewer_can_edit(self, info: strawberry.Info) -> bool:
        return await self._viewer_can(info, WorkAction.EDIT)

    @strawberry.field(description="The viewer may send it for review now.")
    async def viewer_can_submit(self, info: strawberry.Info) -> bool:
        return await self._viewer_can(info, WorkAction.SUBMIT)

    @strawberry.field(description="The viewer may return it for changes now.")
    async def viewer_can_return(self, info: strawberry.Info) -> bool:
        return await self._viewer_can(info, WorkAction.RETURN)

    @strawberry.field(description="The viewer may register it now.")
    async def viewer_can_register(self, info: strawberry.Info) -> bool:
        return await self._viewer_can(info, WorkAction.REGISTER)

    @strawberry.field(description="The viewer may publish it now.")
    async def viewer_can_publish(self, info: strawberry.Info) -> bool:
        return await self._viewer_can(info, WorkAction.PUBLISH)

    @strawberry.field(description="The viewer may retract its publications now.")
    async def viewer_can_retract(self, info: strawberry.Info) -> bool:
        return await self._viewer_can(info, WorkAction.RETRACT)

    @strawberry.field(description="The viewer may archive it now.")
    async def viewer_can_archive(self, info: strawberry.Info) -> bool:
        return await self._viewer_can(info, WorkAction.ARCHIVE)


@strawberry.enum(description="Fields works can be ordered by.")
class WorkOrderField(Enum):
    FISCAL_YEAR = "fiscal_year"
    TITLE_TH = "title_th"
    REGISTRY_NUMBER = "registry_number"
    CREATED_AT = "created_at"
    UPDATED_AT = "updated_at"


@strawberry.input(description="One ordering term for works.")
class WorkOrder(OrderTerm):
    field: WorkOrderField = strawberry.field(description="Field to order by.")


@strawberry.input(description="Narrows the works listed; all given conditions must hold.")
class WorkFilter:
    kinds: list[WorkKind] | None = strawberry.field(
        default=None, description="Of any of these kinds."
    )
    unit: relay.GlobalID | None = strawberry.field(default=None, description="Of this unit.")
    fiscal_year: int | None = strawberry.field(default=None, description="BE year, e.g. 2565.")
    statuses: list[WorkStatus] | None = strawberry.field(
        default=None, description="In any of these states."
    )
    author: relay.GlobalID | None = strawberry.field(
        default=None, description="With this person among the authors."
    )


@strawberry.type
class WorkQueries:
    @strawberry.field(
        description="Works the viewer may see. With `search`, only those whose title, abstract "
        "or keywords contain it (Thai or English, any 1–200 characters), most relevant first "
        "unless `orderBy` is given; newest fiscal year first otherwise."
    )
    async def works(
        self,
        info: strawberry.Info,
        filter: Conditions[WorkFilter] = None,
        search: Annotated[
            str | None, strawberry.argument(description="Text to look for (ค้นหา).")
        ] = None,
        order_by: SortOrder[WorkOrder] = None,
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[WorkNode]:
        filter = filter or WorkFilter()
        actor = info.context.actor
        works.require_authenticated(actor)
        queryset = works.list_works(
            actor=actor,
            kinds=filter.kinds,
            unit_id=node_id(filter.unit, UnitNode, "unit") if filter.unit else None,
            fiscal_year=filter.fiscal_year,
            statuses=filter.statuses,
            author_person_id=node_id(filter.author, PersonNode, "author")
            if filter.author
            else None,
            search_text=search,
            ordering=order_by_terms(order_by, default=[]) if order_by else [],
        )
        return await paginate(
            queryset,
            WorkNode.from_model,
            first=first,
            after=after,
            last=last,
            before=before,
            info=info,
        )
