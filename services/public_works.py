"""What the registry shows the public (landing pages, the public list, the sitemap, OAI-PMH):
which works, which of their fields and files, and when each last changed.

A work is public while it is PUBLISHED. A work that was published once and no longer is
(retracted to REGISTERED, or archived) is *gone*: its page answers 410 and OAI-PMH keeps it as a
deleted record, for as long as the registry keeps the work (numbers are never reused). Any other
work — a draft, one in review, one registered but never published — does not exist for the
public, whatever its number (404), so nothing leaks about drafts.

Public fields: registry number, kind, fiscal year, titles, abstracts, keywords, authors as
credited (names and affiliations, in order), unit and department, the knowledge topics, the
cover image, the video link, and the files of the kinds the unit makes public (the full text
only, unless the unit says otherwise). Never: who created it, review reasons, internal ids of
people, publication delivery details.
"""

import math
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from models.org import Department, Unit
from models.work import Work, WorkAuthor, WorkFile, WorkFileKind, WorkKind, WorkStatus
from services import audit, search
from services.actor import Actor
from services.errors import DomainError, ErrorCode, check_version
from services.org import get_unit
from services.permissions import require_unit_lead

# Kinds a unit may make public; a cover image and a video link are always shown.
PUBLISHABLE_FILE_KINDS = (WorkFileKind.FULL_TEXT, WorkFileKind.SLIDES, WorkFileKind.POSTER)
DEFAULT_PUBLIC_FILE_KINDS = (WorkFileKind.FULL_TEXT,)
ALWAYS_PUBLIC = (WorkFileKind.COVER_IMAGE, WorkFileKind.VIDEO_LINK)
PAGE_SIZE = 20
# Deep pages cost the database an OFFSET scan; nobody reads past this, crawlers use the sitemap.
MAX_PAGE = 250
# The sitemap protocol's limit for one file.
SITEMAP_MAX_URLS = 50_000
_NUMBER = re.compile(r"^LO-[0-9]{4}-[0-9]{4}$")


class Visibility(StrEnum):
    PUBLIC = "PUBLIC"  # published: the page is served
    GONE = "GONE"  # published once, then retracted or archived: 410, an OAI-PMH deleted record
    UNKNOWN = "UNKNOWN"  # no such number, or never published: 404


def visibility(work: Work | None) -> Visibility:
    if work is None or work.registry_number is None:
        return Visibility.UNKNOWN
    if work.status == WorkStatus.PUBLISHED:
        return Visibility.PUBLIC
    return Visibility.GONE if work.published_at is not None else Visibility.UNKNOWN


def registry_number(slug: str) -> str | None:
    """``LO-2565-0001`` from a link's last segment in any case (posts use lower case)."""
    number = slug.strip().upper()
    return number if _NUMBER.match(number) else None


def ever_published() -> QuerySet[Work]:
    """Works the public has seen: published now, or gone (the OAI-PMH repository's records)."""
    return Work.filter(registry_number__isnull=False, published_at__isnull=False)


def published() -> QuerySet[Work]:
    return Work.filter(status=WorkStatus.PUBLISHED, registry_number__isnull=False)


async def find(slug: str) -> tuple[Visibility, Work | None]:
    number = registry_number(slug)
    work = await Work.get_or_none(registry_number=number) if number else None
    return visibility(work), work


def public_file_kinds(unit: Unit) -> tuple[WorkFileKind, ...]:
    """The kinds of files the unit offers on its works' public pages."""
    if unit.public_file_kinds is None:
        return DEFAULT_PUBLIC_FILE_KINDS
    chosen = {str(kind) for kind in unit.public_file_kinds}
    return tuple(kind for kind in PUBLISHABLE_FILE_KINDS if kind.value in chosen)


async def set_public_file_kinds(
    *, actor: Actor, unit_id: int, kinds: Iterable[WorkFileKind], version: int | None
) -> Unit:
    """The unit's lead (chair, secretary) or an administrator chooses which kinds of files
    its published works offer the public; the cover and the video link always show."""
    unit = await get_unit(unit_id)
    await require_unit_lead(actor, unit.id)
    chosen = list(dict.fromkeys(WorkFileKind(kind) for kind in kinds))
    for index, kind in enumerate(chosen):
        if kind not in PUBLISHABLE_FILE_KINDS:
            raise DomainError.of(
                ErrorCode.INVALID_INPUT,
                "invalid_input",
                field=("kinds", str(index)),
                detail=f"{kind.value} is always public or never a file",
            )
    async with in_transaction() as connection:
        unit = await Unit.filter(id=unit.id).select_for_update().using_db(connection).get()
        check_version(unit.version, version)
        before = [k.value for k in public_file_kinds(unit)]
        unit.public_file_kinds = [k.value for k in PUBLISHABLE_FILE_KINDS if k in chosen]
        unit.version += 1
        await unit.save(using_db=connection)
        await audit.record(
            actor=actor,
            action="unit.publicFileKinds",
            object_type="Unit",
            object_id=unit.id,
            before={"publicFileKinds": before},
            after={"publicFileKinds": unit.public_file_kinds, "version": unit.version},
            connection=connection,
        )
    return unit


@dataclass(frozen=True)
class PublicAuthor:
    name_th: str
    name_en: str | None
    affiliation: str


@dataclass(frozen=True)
class PublicTopic:
    title_th: str
    title_en: str | None


@dataclass
class PublicWork:
    """One published work with everything its public page shows."""

    work: Work
    unit: Unit
    department: Department
    authors: list[PublicAuthor] = field(default_factory=list)
    topics: list[PublicTopic] = field(default_factory=list)
    # The latest version of each public kind with bytes, in display order.
    files: list[WorkFile] = field(default_factory=list)
    cover: WorkFile | None = None
    video_url: str | None = None
    changed_at: datetime | None = None

    @property
    def number(self) -> str:
        return self.work.registry_number or ""

    def file(self, kind: WorkFileKind) -> WorkFile | None:
        return next((f for f in self.files if f.kind == kind), None)


async def load(work: Work) -> PublicWork:
    """The public view of one work: five queries whatever it holds."""
    unit = await Unit.get(id=work.unit_id)
    department = await Department.get(id=unit.department_id)
    authors = [
        PublicAuthor(name_th=a.name_th, name_en=a.name_en, affiliation=a.affiliation)
        for a in await WorkAuthor.filter(work_id=work.id).order_by("position")
    ]
    topics = [
        PublicTopic(title_th=str(t["title_th"]), title_en=t["title_en"])
        for t in await work.knowledge_topics.all().order_by("id").values("title_th", "title_en")
    ]
    view = PublicWork(work=work, unit=unit, department=department, authors=authors, topics=topics)
    latest = await _latest_files([work.id], (*public_file_kinds(unit), *ALWAYS_PUBLIC))
    order = {kind: n for n, kind in enumerate(WorkFileKind)}
    for file in sorted(latest[work.id], key=lambda f: order[f.kind]):
        if file.kind == WorkFileKind.COVER_IMAGE:
            view.cover = file
        elif file.kind == WorkFileKind.VIDEO_LINK:
            view.video_url = file.url
        else:
            view.files.append(file)
    view.changed_at = max(
        [work.updated_at, *(f.uploaded_at for f in latest[work.id])], default=work.updated_at
    )
    return view


async def public_file(work: Work, kind: WorkFileKind) -> WorkFile | None:
    """The latest version of the work's file of ``kind`` if the public may have it."""
    unit = await Unit.get(id=work.unit_id)
    if kind not in (*public_file_kinds(unit), WorkFileKind.COVER_IMAGE):
        return None
    return (
        await WorkFile.filter(work_id=work.id, kind=kind, storage_key__isnull=False)
        .order_by("-version")
        .first()
    )


async def _latest_files(
    work_ids: list[int], kinds: Iterable[WorkFileKind]
) -> defaultdict[int, list[WorkFile]]:
    """The latest version of each kind per work, in one query (versions of a kind are few)."""
    latest: dict[tuple[int, str], WorkFile] = {}
    for file in await WorkFile.filter(work_id__in=work_ids, kind__in=list(kinds)).order_by(
        "version"
    ):
        latest[(file.work_id, file.kind)] = file
    by_work: defaultdict[int, list[WorkFile]] = defaultdict(list)
    for file in latest.values():
        by_work[file.work_id].append(file)
    return by_work


@dataclass(frozen=True)
class ListQuery:
    """The public list's filters, checked: a bad value is a user error, never a slow query."""

    text: str | None = None
    unit_code: str | None = None
    kind: WorkKind | None = None
    fiscal_year: int | None = None
    page: int = 1

    @classmethod
    def parse(
        cls,
        *,
        q: str | None = None,
        unit: str | None = None,
        kind: str | None = None,
        year: str | None = None,
        page: str | None = None,
    ) -> "ListQuery":
        text = search.query_text(q) if q and q.strip() else None
        unit_code = (unit or "").strip().upper()[:32] or None
        kind_value = (kind or "").strip().upper() or None
        if kind_value is not None and kind_value not in WorkKind.__members__:
            raise DomainError.of(
                ErrorCode.INVALID_INPUT, "invalid_input", field=("kind",), detail="kind"
            )
        return cls(
            text=text,
            unit_code=unit_code,
            kind=WorkKind(kind_value) if kind_value else None,
            fiscal_year=_bounded_int(year, "year", 2400, 2800),
            page=_bounded_int(page, "page", 1, MAX_PAGE) or 1,
        )

    def as_params(self, page: int | None = None) -> dict[str, str]:
        """The query string of this list, or of its page ``page``; empty values left out."""
        values: dict[str, Any] = {
            "q": self.text,
            "unit": self.unit_code,
            "kind": self.kind.value if self.kind else None,
            "year": self.fiscal_year,
            "page": page if page and page > 1 else None,
        }
        return {k: str(v) for k, v in values.items() if v is not None}


def _bounded_int(value: str | None, name: str, low: int, high: int) -> int | None:
    text = (value or "").strip()
    if not text:
        return None
    if not (text.isascii() and text.isdigit() and len(text) <= 6 and low <= int(text) <= high):
        raise DomainError.of(ErrorCode.INVALID_INPUT, "invalid_input", field=(name,), detail=name)
    return int(text)


@dataclass
class ListItem:
    work: Work
    unit: Unit
    authors: list[str]


@dataclass
class ListPage:
    query: ListQuery
    items: list[ListItem]
    total: int

    @property
    def pages(self) -> int:
        return min(MAX_PAGE, max(1, math.ceil(self.total / PAGE_SIZE)))


async def list_page(query: ListQuery) -> ListPage:
    """One page of published works, newest first or by relevance: four queries."""
    queryset = published()
    if query.unit_code:
        queryset = queryset.filter(unit__code=query.unit_code)
    if query.kind:
        queryset = queryset.filter(kind=query.kind)
    if query.fiscal_year:
        queryset = queryset.filter(fiscal_year=query.fiscal_year)
    ordering: tuple[str, ...] = ("-published_at", "-id")
    if query.text is not None:
        queryset = search.apply_search(queryset, query.text)
        ordering = ("search_position", "-fiscal_year", "-id")
    total = await queryset.count()
    rows = await queryset.order_by(*ordering).offset((query.page - 1) * PAGE_SIZE).limit(PAGE_SIZE)
    names: defaultdict[int, list[str]] = defaultdict(list)
    for work_id, name in (
        await WorkAuthor.filter(work_id__in=[w.id for w in rows])
        .order_by("position")
        .values_list("work_id", "name_th")
    ):
        names[int(work_id)].append(str(name))  # type: ignore[call-overload]
    units = {u.id: u for u in await Unit.filter(id__in={w.unit_id for w in rows})}
    return ListPage(
        query=query,
        items=[ListItem(work=w, unit=units[w.unit_id], authors=names[w.id]) for w in rows],
        total=total,
    )


async def list_choices() -> tuple[list[Unit], list[int]]:
    """Units and fiscal years that have published works (the list page's filters)."""
    unit_ids = await published().distinct().values_list("unit_id", flat=True)
    units = await Unit.filter(id__in=list(unit_ids)).order_by("name_th")
    years = await published().distinct().values_list("fiscal_year", flat=True)
    return units, sorted({int(y) for y in years}, reverse=True)  # type: ignore[call-overload]


async def sitemap_rows() -> list[tuple[str, datetime]]:
    """(registry number, last change) of published works, newest first, as many as one sitemap
    file may hold."""
    rows = (
        await published()
        .order_by("-updated_at", "-id")
        .limit(SITEMAP_MAX_URLS)
        .values_list("registry_number", "updated_at")
    )
    return [(str(n), at) for n, at in rows]  # type: ignore[misc]
