"""The registry as an OAI-PMH 2.0 repository (the protocol's rules; api/public/oai.py writes
the XML).

- Items are the works the public has seen (services/public_works.py): published ones, and ones
  published once and since retracted or archived, which stay as *deleted* records for as long
  as the registry keeps them (``deletedRecord: persistent``). Identifiers are
  ``oai:<host of LOHUB_PUBLIC_BASE_URL>:<registry number>``.
- A record's datestamp is when its work last changed (seconds, UTC); ``from``/``until``
  select on it, at day or second granularity, both ends included.
- One format, ``oai_dc`` (unqualified Dublin Core).
- Sets: ``unit``, ``kind``, ``year`` and below them ``unit:<code>``, ``kind:<RESEARCH|…>``,
  ``year:<BE year>``, listed only where they hold records.
- Lists come a page at a time (``PAGE_SIZE``); the resumption token is opaque (signed with the
  secret key, so it cannot be forged or edited), carries the list's arguments and where the
  page ended (last datestamp and id: a record that changes during a harvest moves to the end
  instead of shifting pages), and expires after ``TOKEN_LIFETIME``.
"""

import base64
import hashlib
import hmac
import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from tortoise.expressions import Q
from tortoise.queryset import QuerySet

from models.org import Department, Unit
from models.work import Work, WorkAuthor, WorkKind, WorkStatus
from services import public_works
from services.channels import KIND_TH
from services.publishing import work_link
from services.settings import get_settings
from services.tokens import utcnow

VERBS = (
    "Identify",
    "ListMetadataFormats",
    "ListSets",
    "GetRecord",
    "ListIdentifiers",
    "ListRecords",
)
OAI_DC = "oai_dc"
FORMATS = {
    OAI_DC: (
        "http://www.openarchives.org/OAI/2.0/oai_dc.xsd",
        "http://www.openarchives.org/OAI/2.0/oai_dc/",
    )
}
PAGE_SIZE = 100
TOKEN_LIFETIME = timedelta(hours=2)
REPOSITORY_NAME = "LO Hub: คลังผลงานวิจัย วิชาการ และนวัตกรรม"
# Arguments each verb takes: (required, optional); a resumption token stands alone.
ARGUMENTS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "Identify": ((), ()),
    "ListMetadataFormats": ((), ("identifier",)),
    "ListSets": ((), ("resumptionToken",)),
    "GetRecord": (("identifier", "metadataPrefix"), ()),
    "ListIdentifiers": (("metadataPrefix",), ("from", "until", "set", "resumptionToken")),
    "ListRecords": (("metadataPrefix",), ("from", "until", "set", "resumptionToken")),
}
_SET_PART = re.compile(r"^[A-Za-z0-9\-_.!~*'()]+$")
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_SECOND = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")


class OaiError(Exception):
    """One of the protocol's error conditions (code as the specification spells it)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Header:
    identifier: str
    datestamp: datetime
    sets: list[str]
    deleted: bool


@dataclass
class DublinCore:
    """Unqualified Dublin Core: (element, text, xml:lang or None), in order."""

    elements: list[tuple[str, str, str | None]] = field(default_factory=list)

    def add(self, element: str, text: str | None, lang: str | None = None) -> None:
        if text and text.strip():
            self.elements.append((element, text.strip(), lang))


@dataclass(frozen=True)
class Record:
    header: Header
    metadata: DublinCore | None  # None for a deleted record


@dataclass(frozen=True)
class ResumptionToken:
    value: str  # empty on the last page of a list that needed several
    expires_at: datetime | None
    complete_list_size: int
    cursor: int


@dataclass(frozen=True)
class Identify:
    name: str
    base_url: str
    admin_email: str
    earliest: datetime


@dataclass(frozen=True)
class MetadataFormat:
    prefix: str
    schema: str
    namespace: str


@dataclass(frozen=True)
class OaiSet:
    spec: str
    name: str


@dataclass
class Answer:
    """What one request gets: the verb and arguments to echo (none when they were bad), and
    either errors or the verb's result."""

    verb: str | None
    arguments: dict[str, str]
    errors: list[OaiError] = field(default_factory=list)
    identify: Identify | None = None
    formats: list[MetadataFormat] = field(default_factory=list)
    sets: list[OaiSet] = field(default_factory=list)
    headers: list[Header] = field(default_factory=list)
    records: list[Record] = field(default_factory=list)
    token: ResumptionToken | None = None


def datestamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def base_url() -> str:
    return get_settings().public_base_url.rstrip("/") + "/oai"


def repository_host() -> str:
    return urlsplit(get_settings().public_base_url).hostname or "localhost"


def identifier_of(number: str) -> str:
    return f"oai:{repository_host()}:{number}"


async def handle(pairs: list[tuple[str, str]]) -> Answer:
    """Answer one request given its query (or form) arguments in order."""
    values: defaultdict[str, list[str]] = defaultdict(list)
    for name, value in pairs:
        values[name].append(value)
    verbs = values.pop("verb", [])
    if len(verbs) != 1 or verbs[0] not in VERBS:
        message = "verb is missing" if not verbs else "verb is repeated or not an OAI-PMH verb"
        return Answer(None, {}, [OaiError("badVerb", message)])
    verb = verbs[0]
    try:
        arguments = _arguments(verb, values)
    except OaiError as error:
        return Answer(verb, {}, [error])
    answer = Answer(verb, arguments)
    try:
        await VERB_HANDLERS[verb](answer, arguments)
    except OaiError as error:
        answer.errors = [error]
    return answer


def _arguments(verb: str, values: dict[str, list[str]]) -> dict[str, str]:
    required, optional = ARGUMENTS[verb]
    for name, given in values.items():
        if name not in required + optional:
            raise OaiError("badArgument", f"{verb} takes no argument {name!r}")
        if len(given) != 1:
            raise OaiError("badArgument", f"{name} is repeated")
    arguments = {name: given[0] for name, given in values.items()}
    if "resumptionToken" in arguments:
        if len(arguments) > 1:
            raise OaiError("badArgument", "resumptionToken is an exclusive argument")
        return arguments
    missing = [name for name in required if name not in arguments]
    if missing:
        raise OaiError("badArgument", f"{verb} needs {', '.join(missing)}")
    _check_dates(arguments)
    return arguments


def _check_dates(arguments: dict[str, str]) -> None:
    grains = []
    for name in ("from", "until"):
        text = arguments.get(name)
        if text is None:
            continue
        grain = "day" if _DAY.match(text) else "second" if _SECOND.match(text) else None
        if grain is None or _parse_time(text, upper=False) is None:
            raise OaiError("badArgument", f"{name} is not YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ")
        grains.append(grain)
    if len(set(grains)) > 1:
        raise OaiError("badArgument", "from and until have different granularities")
    if "from" in arguments and "until" in arguments:
        low = _parse_time(arguments["from"], upper=False)
        high = _parse_time(arguments["until"], upper=False)
        if low and high and low > high:
            raise OaiError("badArgument", "from is later than until")


def _parse_time(text: str, *, upper: bool) -> datetime | None:
    """The first instant of a day or second; with ``upper``, the first instant after it."""
    try:
        if _DAY.match(text):
            start = datetime.combine(date.fromisoformat(text), datetime.min.time(), UTC)
            return start + timedelta(days=1) if upper else start
        start = datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
        return start + timedelta(seconds=1) if upper else start
    except ValueError:
        return None


# -- the verbs ---------------------------------------------------------------------------------


async def _identify(answer: Answer, _: dict[str, str]) -> None:
    first = await public_works.ever_published().order_by("updated_at").first()
    host = repository_host()
    answer.identify = Identify(
        name=REPOSITORY_NAME,
        base_url=base_url(),
        admin_email=get_settings().oai_admin_email or f"lohub@{host}",
        earliest=first.updated_at if first else utcnow(),
    )


async def _list_metadata_formats(answer: Answer, arguments: dict[str, str]) -> None:
    if "identifier" in arguments:
        await _item(arguments["identifier"])
    answer.formats = [MetadataFormat(p, s, n) for p, (s, n) in FORMATS.items()]


async def _list_sets(answer: Answer, arguments: dict[str, str]) -> None:
    if "resumptionToken" in arguments:
        raise OaiError("badResumptionToken", "the set list comes whole: it has no tokens")
    items = public_works.ever_published()
    unit_ids = set(await items.distinct().values_list("unit_id", flat=True))
    if not unit_ids:
        raise OaiError("noSetHierarchy", "the repository has no records, so no sets")
    units = await Unit.filter(id__in=list(unit_ids)).order_by("code")
    kinds = set(await items.distinct().values_list("kind", flat=True))
    years = sorted(
        {int(y) for y in await items.distinct().values_list("fiscal_year", flat=True)}  # type: ignore[call-overload]
    )
    answer.sets = [
        OaiSet("unit", "หน่วยงาน (Units)"),
        *(OaiSet(_unit_spec(u), u.name_th) for u in units),
        OaiSet("kind", "ประเภทผลงาน (Kinds of work)"),
        *(OaiSet(f"kind:{k.value}", KIND_TH[k.value]) for k in WorkKind if k.value in kinds),
        OaiSet("year", "ปีงบประมาณ (Fiscal years, Buddhist Era)"),
        *(OaiSet(f"year:{y}", f"ปีงบประมาณ {y}") for y in years),
    ]


async def _get_record(answer: Answer, arguments: dict[str, str]) -> None:
    _check_prefix(arguments["metadataPrefix"])
    work = await _item(arguments["identifier"])
    answer.records = await _records([work])


async def _list_identifiers(answer: Answer, arguments: dict[str, str]) -> None:
    works, answer.token = await _page(arguments)
    units = await _units_of(works)
    answer.headers = [_header(work, units[work.unit_id]) for work in works]


async def _list_records(answer: Answer, arguments: dict[str, str]) -> None:
    works, answer.token = await _page(arguments)
    answer.records = await _records(works)


VERB_HANDLERS = {
    "Identify": _identify,
    "ListMetadataFormats": _list_metadata_formats,
    "ListSets": _list_sets,
    "GetRecord": _get_record,
    "ListIdentifiers": _list_identifiers,
    "ListRecords": _list_records,
}


# -- items, pages and tokens -------------------------------------------------------------------


def _check_prefix(prefix: str) -> None:
    if prefix not in FORMATS:
        raise OaiError("cannotDisseminateFormat", f"{prefix!r} is not offered; use oai_dc")


async def _item(identifier: str) -> Work:
    prefix = f"oai:{repository_host()}:"
    number = identifier[len(prefix) :] if identifier.startswith(prefix) else ""
    work = (
        await public_works.ever_published().filter(registry_number=number).first()
        if number
        else None
    )
    if work is None:
        raise OaiError("idDoesNotExist", f"{identifier!r} is not an item of this repository")
    return work


def _unit_spec(unit: Unit) -> str:
    return f"unit:{unit.code}" if _SET_PART.match(unit.code) else f"unit:{unit.id}"


async def _in_set(queryset: QuerySet[Work], spec: str) -> QuerySet[Work]:
    top, _, value = spec.partition(":")
    if top not in ("unit", "kind", "year") or (value and not _SET_PART.match(value)):
        raise OaiError("badArgument", f"{spec!r} is not a set of this repository")
    if not await public_works.ever_published().exists():
        raise OaiError("noSetHierarchy", "the repository has no records, so no sets")
    if not value:
        return queryset
    if top == "unit":
        return queryset.filter(
            Q(unit__code=value) | Q(unit_id=int(value) if value.isdigit() else 0)
        )
    if top == "kind":
        return (
            queryset.filter(kind=value)
            if value in WorkKind.__members__
            else queryset.filter(id__in=[])
        )
    return (
        queryset.filter(fiscal_year=int(value)) if value.isdigit() else queryset.filter(id__in=[])
    )


async def _page(arguments: dict[str, str]) -> tuple[list[Work], ResumptionToken | None]:
    """One page of the list the arguments (or the token) ask for, and the token for the next."""
    state: dict[str, Any]
    if "resumptionToken" in arguments:
        state = _read_token(arguments["resumptionToken"])
    else:
        _check_prefix(arguments["metadataPrefix"])
        state = {
            k: arguments[k] for k in ("metadataPrefix", "from", "until", "set") if k in arguments
        }
    queryset = public_works.ever_published()
    if "from" in state:
        queryset = queryset.filter(updated_at__gte=_parse_time(state["from"], upper=False))
    if "until" in state:
        queryset = queryset.filter(updated_at__lt=_parse_time(state["until"], upper=True))
    if "set" in state:
        queryset = await _in_set(queryset, state["set"])
    size = state.get("size")
    if size is None:
        size = await queryset.count()
        if size == 0:
            raise OaiError("noRecordsMatch", "no records match these arguments")
    after = state.get("after")
    if after is not None:
        last = datetime.fromisoformat(after[0])
        queryset = queryset.filter(Q(updated_at__gt=last) | Q(updated_at=last, id__gt=after[1]))
    works = await queryset.order_by("updated_at", "id").limit(PAGE_SIZE + 1)
    cursor = int(state.get("cursor", 0))
    more = len(works) > PAGE_SIZE
    works = works[:PAGE_SIZE]
    if not more and cursor == 0:
        return works, None
    if not more:
        return works, ResumptionToken("", None, max(size, cursor + len(works)), cursor)
    expires = utcnow() + TOKEN_LIFETIME
    following = {
        **{k: v for k, v in state.items() if k not in ("after", "cursor", "size", "expires")},
        "after": [works[-1].updated_at.isoformat(), works[-1].id],
        "cursor": cursor + len(works),
        "size": size,
        "expires": int(expires.timestamp()),
    }
    return works, ResumptionToken(_write_token(following), expires, size, cursor)


def _write_token(state: dict[str, Any]) -> str:
    payload = base64.urlsafe_b64encode(json.dumps(state, separators=(",", ":")).encode())
    text = payload.decode().rstrip("=")
    return f"{text}.{_signature(text)}"


def _read_token(token: str) -> dict[str, Any]:
    text, _, signature = token.partition(".")
    if not signature or not hmac.compare_digest(signature, _signature(text)):
        raise OaiError("badResumptionToken", "the resumption token is not one this server gave")
    try:
        state = json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
    except ValueError as error:
        raise OaiError("badResumptionToken", "the resumption token cannot be read") from error
    if not isinstance(state, dict) or int(state.get("expires", 0)) < utcnow().timestamp():
        raise OaiError("badResumptionToken", "the resumption token has expired; start again")
    return state


def _signature(text: str) -> str:
    key = get_settings().secret_key.get_secret_value().encode()
    return hmac.new(key, f"oai:{text}".encode(), hashlib.sha256).hexdigest()[:32]


# -- records -----------------------------------------------------------------------------------


async def _units_of(works: list[Work]) -> dict[int, Unit]:
    return {u.id: u for u in await Unit.filter(id__in={w.unit_id for w in works})}


def _header(work: Work, unit: Unit) -> Header:
    return Header(
        identifier=identifier_of(work.registry_number or ""),
        datestamp=work.updated_at,
        sets=[_unit_spec(unit), f"kind:{work.kind.value}", f"year:{work.fiscal_year}"],
        deleted=work.status != WorkStatus.PUBLISHED,
    )


async def _records(works: list[Work]) -> list[Record]:
    """Headers and Dublin Core for a page of works: four queries whatever its length."""
    units = await _units_of(works)
    departments = {
        d.id: d for d in await Department.filter(id__in={u.department_id for u in units.values()})
    }
    authors: defaultdict[int, list[str]] = defaultdict(list)
    for work_id, name in (
        await WorkAuthor.filter(work_id__in=[w.id for w in works])
        .order_by("position")
        .values_list("work_id", "name_th")
    ):
        authors[int(work_id)].append(str(name))  # type: ignore[call-overload]
    records = []
    for work in works:
        unit = units[work.unit_id]
        header = _header(work, unit)
        if header.deleted:
            records.append(Record(header, None))
            continue
        dc = DublinCore()
        dc.add("title", work.title_th, "th")
        dc.add("title", work.title_en, "en")
        for name in authors[work.id]:
            dc.add("creator", name)
        for keyword in work.keywords:
            dc.add("subject", keyword, "th")
        dc.add("description", work.abstract_th, "th")
        dc.add("description", work.abstract_en, "en")
        dc.add("publisher", departments[unit.department_id].name_th, "th")
        dc.add("contributor", unit.name_th, "th")
        if work.published_at:
            dc.add("date", work.published_at.date().isoformat())
        dc.add("type", "Text")
        dc.add("type", KIND_TH[work.kind.value], "th")
        dc.add("identifier", work_link(work))
        dc.add("identifier", work.registry_number)
        dc.add("language", "th")
        records.append(Record(header, dc))
    return records
