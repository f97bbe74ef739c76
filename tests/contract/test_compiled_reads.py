"""The compiled read path (schema/compiled/) answers exactly as the resolvers do.

For every kind of viewer and a generated set of queries over every compiled list (subsets of
fields, nesting, aliases, fragments, @include/@skip, variables, pages, null relations, rows the
viewer may not see), the body, status and media type with the path on equal those of an app
with it off (LOHUB_COMPILED_READS=false), byte for byte; queries it does not compile (unknown
fields, other arguments, bad pages, anonymous viewers) fall back and answer the same too. It
answers a page in as many statements whatever its size.
"""

import random
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from graphql import parse

from api.app import create_app
from models.cycle import Cycle, DocumentSlot
from models.document import Document
from models.user import User
from models.work import Work, WorkAuthor, WorkKind, WorkStatus
from schema.compiled.plan import plan
from schema.relay import _encode
from schema.schema import build_schema
from services import cycles
from services.actor import SYSTEM
from services.settings import get_settings
from tests.helpers import GraphQLClient, count_queries, error_codes, make_user, token_for
from tests.plans_world import make_plans, units_with_plans
from tests.world import CYCLE_START, World, gid, make_unit_with_committee, make_world

# Per GraphQL type: its leaves and its relations (field → type) the generator picks from.
TREES: dict[str, tuple[list[str], dict[str, str]]] = {
    "Work": (
        [
            "id",
            "kind",
            "status",
            "registryNumber",
            "fiscalYear",
            "titleTh",
            "titleEn",
            "abstractTh",
            "abstractEn",
            "statusReason",
            "submittedAt",
            "registeredAt",
            "publishedAt",
            "version",
            "__typename",
        ],
        {"unit": "Unit", "authors": "WorkAuthor"},
    ),
    "Unit": (["id", "code", "nameTh", "nameEn", "version", "__typename"], {}),
    "WorkAuthor": (
        ["position", "nameTh", "nameEn", "affiliation", "corresponding", "__typename"],
        {"person": "Person"},
    ),
    "Person": (
        [
            "id",
            "titleTh",
            "firstNameTh",
            "lastNameTh",
            "nameEn",
            "positionTh",
            "positionEn",
            "version",
            "__typename",
        ],
        {},
    ),
    "Cycle": (
        ["id", "indicatorCode", "startDate", "version", "__typename"],
        {"unit": "Unit", "steps": "CycleStep"},
    ),
    "CycleStep": (
        [
            "id",
            "no",
            "phase",
            "titleTh",
            "titleEn",
            "scheduleKind",
            "days",
            "plannedStart",
            "plannedDue",
            "status",
            "actualStart",
            "actualEnd",
            "statusReason",
            "wholeCommittee",
            "version",
            "__typename",
        ],
        {"documents": "DocumentSlot", "responsible": "Person"},
    ),
    "DocumentSlot": (["id", "nameTh", "nameEn", "required", "__typename"], {"files": "Document"}),
    "Document": (
        ["id", "filename", "contentType", "size", "sha256", "uploadedAt", "__typename"],
        {},
    ),
    "Plan": (
        [
            "id",
            "kind",
            "revision",
            "status",
            "titleTh",
            "titleEn",
            "objectiveTh",
            "isLatest",
            "version",
            "createdAt",
            "__typename",
        ],
        {"activities": "Activity"},
    ),
    "Activity": (
        [
            "id",
            "position",
            "titleTh",
            "titleEn",
            "objectiveTh",
            "budget",
            "targetTh",
            "weight",
            "version",
            "__typename",
        ],
        {"owners": "Person"},
    ),
}
# Each compiled list and its node type.
LISTS = {"works": "Work", "cycles": "Cycle", "plans": "Plan"}
PAGE_INFO = ["hasNextPage", "hasPreviousPage", "startCursor", "endCursor", "__typename"]
VIEWERS = (
    "anonymous",
    "no_role",
    "MANAGER",
    "ADMIN",
    "CHAIR",
    "SECRETARY",
    "MEMBER",
    "APPROVER",
    "OUTSIDER",
)
QUERIES_PER_VIEWER = 16


@dataclass
class Query:
    text: str
    variables: dict[str, object]


class Generator:
    """Random GraphQL documents over the compiled lists and ``node(id:)``, reproducible from a
    seed; ``ids`` are the global ids ``node`` may be asked for."""

    def __init__(self, seed: int, ids: list[str]) -> None:
        self.rng = random.Random(seed)
        self.ids = ids
        self.fragments: dict[str, str] = {}
        self.variables: dict[str, tuple[str, object]] = {}
        self.names = 0

    def _name(self, prefix: str) -> str:
        self.names += 1
        return f"{prefix}{self.names}"

    def _alias(self) -> str:
        return f"{self._name('a')}: " if self.rng.random() < 0.2 else ""

    def _directive(self) -> str:
        roll = self.rng.random()
        if roll < 0.08:
            self.variables["yes"] = ("Boolean!", True)
            return " @include(if: $yes)"
        if roll < 0.12:
            self.variables["yes"] = ("Boolean!", True)
            return " @skip(if: $yes)"
        if roll < 0.16:
            return " @include(if: false)"
        return ""

    def selection(self, type_name: str, depth: int = 0) -> str:
        leaves, relations = TREES[type_name]
        parts = [
            f"{self._alias()}{leaf}{self._directive()}"
            for leaf in self.rng.sample(leaves, self.rng.randint(1, 5))
        ]
        for field, target in relations.items():
            if depth < 3 and self.rng.random() < 0.6:
                inner = self.selection(target, depth + 1)
                parts.append(f"{self._alias()}{field}{self._directive()} {{ {inner} }}")
        self.rng.shuffle(parts)
        roll = self.rng.random()
        if roll < 0.15:
            name = self._name("F")
            self.fragments[name] = f"fragment {name} on {type_name} {{ {' '.join(parts[:2])} }}"
            parts = [f"...{name}", *parts[2:]]
        elif roll < 0.3:
            inline = " ".join(parts[:2])
            parts = [f"... on {type_name}{self._directive()} {{ {inline} }}", *parts[2:]]
        elif roll < 0.35 and "id" in leaves:
            parts.append("... on Node { id }")
        return " ".join(parts)

    def connection(self, type_name: str) -> str:
        parts = []
        if self.rng.random() < 0.7:
            edge = [f"node {{ {self.selection(type_name)} }}"]
            edge += [x for x in ("cursor", "__typename") if self.rng.random() < 0.4]
            self.rng.shuffle(edge)
            parts.append(f"{self._alias()}edges {{ {' '.join(edge)} }}")
        if not parts or self.rng.random() < 0.5:
            parts.append(f"{self._alias()}nodes {{ {self.selection(type_name)} }}")
        if self.rng.random() < 0.5:
            info = " ".join(self.rng.sample(PAGE_INFO, self.rng.randint(1, len(PAGE_INFO))))
            parts.append(f"pageInfo {{ {info} }}")
        if self.rng.random() < 0.4:
            parts.append("totalCount")
        if self.rng.random() < 0.2:
            parts.append("__typename")
        self.rng.shuffle(parts)
        return " ".join(parts)

    def _page_arguments(self) -> str:
        arguments = []
        first = self.rng.choice([None, 0, 1, 2, 3, 5, 100])
        if first is not None:
            if self.rng.random() < 0.5:
                self.variables["first"] = ("Int", first)
                arguments.append("first: $first")
            else:
                arguments.append(f"first: {first}")
        after = self.rng.choice([None, None, 0, 1, 3, 50])
        if after is not None:
            arguments.append(f'after: "{_encode(after)}"')
        return f"({', '.join(arguments)})" if arguments else ""

    def _lookup(self) -> str:
        global_id = self.rng.choice(self.ids)
        if self.rng.random() < 0.5:
            self.variables["id"] = ("ID!", global_id)
            argument = "$id"
        else:
            argument = f'"{global_id}"'
        kinds = self.rng.sample(["Work", "Cycle", "Plan"], 1)  # types whose fields conflict
        inner = " ".join(f"... on {kind} {{ {self.selection(kind)} }}" for kind in kinds)
        extra = " __typename" if self.rng.random() < 0.3 else ""
        return f"{self._alias()}node(id: {argument}) {{ {inner}{extra} }}"

    def query(self) -> Query:
        self.fragments, self.variables = {}, {}
        if self.rng.random() < 0.3:
            roots = [self._lookup()]
        else:
            field, type_name = self.rng.choice(sorted(LISTS.items()))
            connection = self.connection(type_name)
            roots = [f"{self._alias()}{field}{self._page_arguments()} {{ {connection} }}"]
        if self.rng.random() < 0.2:
            roots.append("__typename")
        declared = ", ".join(f"${name}: {kind}" for name, (kind, _) in self.variables.items())
        text = f"query Q{f'({declared})' if declared else ''} {{ {' '.join(roots)} }} " + " ".join(
            self.fragments.values()
        )
        return Query(text, {name: value for name, (_, value) in self.variables.items()})


# Queries the compiled path leaves to the resolvers; each must still answer the same.
FALLBACKS = [
    "{ works(first: 101) { nodes { id } } }",
    "{ works(first: -1) { nodes { id } } }",
    '{ works(after: "bm90IGEgY3Vyc29y") { nodes { id } } }',
    "{ works(last: 2) { nodes { id titleTh } } }",
    '{ works(search: "ระบบ") { nodes { id } } }',
    "{ works(filter: {fiscalYear: 2565}) { nodes { id } } }",
    "{ works { nodes { id viewerCanEdit } } }",
    "{ works { nodes { id unit { cycles { id } } } } }",
    "{ works { nodes { id } } me { username } }",
    "{ works { nodes { keywords } } }",
    "query A { works { nodes { id } } } query B { works { totalCount } }",
    "{ cycles { nodes { fiscalYear { be } steps { overdue } } } }",
    "{ plans(filter: {latestOnly: false}) { nodes { id } } }",
    '{ node(id: "bm9wZQ==") { id } }',
    '{ node(id: "VXNlcjox") { id } }',
    '{ node(id: "Q3ljbGU6YWJj") { id } }',
    '{ nodes(ids: ["Q3ljbGU6MQ=="]) { id } }',
    '{ node(id: "V29ya0F1dGhvcjox") { __typename } }',
]


@pytest.fixture
async def ordinary() -> AsyncIterator[GraphQLClient]:
    """A client of the same database through an app without the compiled path."""
    app = create_app(
        get_settings().model_copy(update={"compiled_reads": False}), manage_database=False
    )
    transport = httpx.ASGITransport(app=app, client=("203.0.113.7", 40000))
    async with httpx.AsyncClient(transport=transport, base_url="http://lohub.test") as http:
        yield GraphQLClient(http)


async def _works(world: World) -> list[Work]:
    """Works of both units in every state, with and without people among their authors."""
    member, outsider = world.people["กนกานต์"], world.people["outsider"]
    statuses = list(WorkStatus)
    made = []
    for n in range(14):
        status = statuses[n % len(statuses)]
        numbered = status in (WorkStatus.REGISTERED, WorkStatus.PUBLISHED)
        work = await Work.create(
            unit_id=(world.unit if n % 3 else world.other_unit).id,
            fiscal_year=2564 + n % 3,
            kind=list(WorkKind)[n % len(WorkKind)],
            status=status,
            title_th=f"ผลงานที่ {n}",
            title_en=f"Work {n}" if n % 2 else None,
            abstract_th="บทคัดย่อ" if n % 4 else "",
            registry_number=f"LO-2565-{n:04}" if numbered else None,
            status_reason="แก้ไขบทคัดย่อ" if status == WorkStatus.RETURNED else None,
            submitted_at=datetime(2022, 1, 1 + n, 9, 30, tzinfo=UTC) if n % 2 else None,
            registered_at=datetime(2022, 2, 1 + n, tzinfo=UTC) if numbered else None,
            created_by_id=world.users["OUTSIDER"].id if n == 4 else None,
        )
        authors = [(member, ""), (None, "มหาวิทยาลัยมหิดล"), (outsider, "")][: n % 4]
        await WorkAuthor.bulk_create(
            WorkAuthor(
                work_id=work.id,
                position=i + 1,
                person_id=person.id if person else None,
                name_th=f"ผู้เขียน {n}.{i}",
                name_en="Author" if i else None,
                affiliation=affiliation,
                corresponding=i == 0,
            )
            for i, (person, affiliation) in enumerate(authors)
        )
        made.append(work)
    return made


async def _documents(cycle: Cycle) -> None:
    """Files in some of the cycle's document slots, one of them deleted."""
    slots = await DocumentSlot.filter(step__cycle_id=cycle.id).order_by("id").limit(6)
    for n, slot in enumerate(slots):
        for version in range(n % 3):
            await Document.create(
                slot_id=slot.id,
                filename=f"เอกสาร-{n}-{version}.pdf",
                content_type="application/pdf",
                size=1000 + n,
                sha256=f"{n:064}",
                storage_key=f"documents/{slot.id}/{version}",
                deleted_at=datetime(2022, 3, 1, tzinfo=UTC) if n == 4 and version else None,
            )


async def _world() -> tuple[World, list[str]]:
    """The test world with works, plans, files and a second unit's cycle; and the global ids
    ``node`` is asked for, some hidden from some viewers, one of no row."""
    world = await make_world()
    assert world.cycle
    made = await _works(world)
    plan_set = await make_plans(world)
    await _documents(world.cycle)
    other = await cycles.create_cycle(
        actor=SYSTEM, unit_id=world.other_unit.id, fiscal_year=2565, start_date=CYCLE_START
    )
    ids = [gid("Cycle", c.id) for c in (world.cycle, other)] + [gid("Cycle", 9999)]
    ids += [gid("Plan", p.id) for p in (plan_set.submitted, plan_set.approved, plan_set.revision)]
    ids += [gid("Work", w.id) for w in made[:5]]
    ids += [gid("Unit", world.unit.id), gid("Person", world.people["outsider"].id)]
    return world, ids


async def _viewers(world: World) -> dict[str, User | None]:
    return {
        "anonymous": None,
        "no_role": await make_user("plain"),
        "MANAGER": await make_user("manager", roles={"MANAGER"}),
        "ADMIN": await make_user("admin", roles={"ADMIN"}),
        **{who: world.users[who] for who in VIEWERS if who in world.users},
    }


async def _same_answer(
    fast: GraphQLClient, ordinary: GraphQLClient, user: User | None, query: Query
) -> dict[str, Any]:
    headers = {"authorization": f"Bearer {token_for(user)}"} if user else {}
    body = {"query": query.text, "variables": query.variables}
    answers = [
        await client.http.post("/graphql", json=body, headers=headers)
        for client in (fast, ordinary)
    ]
    compiled, resolved = answers
    assert compiled.status_code == resolved.status_code, query.text
    assert compiled.headers["content-type"] == resolved.headers["content-type"]
    assert compiled.text == resolved.text, query.text
    return compiled.json()


async def test_generated_queries_answer_as_the_resolvers_do(
    client: GraphQLClient, ordinary: GraphQLClient
) -> None:
    world, ids = await _world()
    viewers = await _viewers(world)
    schema = build_schema(get_settings())._schema
    answered = 0
    for seed, (who, user) in enumerate(viewers.items()):
        generator = Generator(seed, ids)
        for _ in range(QUERIES_PER_VIEWER):
            query = generator.query()
            assert plan(schema, parse(query.text), None, query.variables), query.text
            body = await _same_answer(client, ordinary, user, query)
            if who != "anonymous":
                # Deep nesting over a large page may cost more than allowed: refused alike.
                assert set(error_codes(body)) <= {"QUERY_TOO_COSTLY"}, (query.text, body)
                answered += "errors" not in body
    # The compiled path answered most of them (the others were refused before it).
    assert answered > QUERIES_PER_VIEWER * (len(viewers) - 1) * 3 // 4


@pytest.mark.parametrize("text", FALLBACKS)
async def test_what_is_not_compiled_answers_as_the_resolvers_do(
    client: GraphQLClient, ordinary: GraphQLClient, text: str
) -> None:
    world, _ = await _world()
    schema = build_schema(get_settings())._schema
    assert plan(schema, parse(text), None, {}) is None
    for user in (None, world.users["MEMBER"]):
        await _same_answer(client, ordinary, user, Query(text, {}))


PAGES = {
    # The page, its count, units, authors and their people.
    "works": (
        """query Page($first: Int) { works(first: $first) { totalCount pageInfo { hasNextPage }
        edges { cursor node { id titleTh registryNumber unit { code nameTh }
        authors { nameTh person { firstNameTh } } } } } }""",
        5,
    ),
    # The page, units, steps, their slots, the slots' files, responsible links and people.
    "cycles": (
        """query Page($first: Int) { cycles(first: $first) { nodes { id unit { code }
        steps { no documents { nameTh files { filename } } responsible { firstNameTh } } } } }""",
        7,
    ),
    # The page, activities, owner links and people.
    "plans": (
        """query Page($first: Int) { plans(first: $first) { nodes { titleTh
        activities { titleTh budget owners { titleTh firstNameTh lastNameTh } } } } }""",
        4,
    ),
}


@pytest.mark.parametrize("name", PAGES)
async def test_a_page_costs_the_same_statements_whatever_its_size(
    client: GraphQLClient, name: str
) -> None:
    await _world()
    for n in range(3):
        unit, _, _ = await make_unit_with_committee(f"U{n}", n)
        await cycles.create_cycle(
            actor=SYSTEM, unit_id=unit.id, fiscal_year=2565, start_date=CYCLE_START
        )
    await units_with_plans(3, activities_each=2)
    query, expected = PAGES[name]
    admin = client.signed_in_as(await make_user("admin", roles={"ADMIN"}))
    counts = []
    for first in (1, 4):
        with count_queries() as statements:
            data = await admin.data(query, {"first": first})
        assert len(data[name].get("nodes") or data[name]["edges"]) == first
        counts.append(len(statements))
    assert counts == [expected, expected]


async def test_a_cycle_with_its_steps_is_looked_up_in_as_many_statements(
    client: GraphQLClient,
) -> None:
    world, _ = await _world()
    assert world.cycle
    query = """query Cycle($id: ID!) { node(id: $id) { ... on Cycle { id steps {
        id no titleTh status documents { nameTh files { filename } }
        responsible { titleTh firstNameTh lastNameTh } } } } }"""
    chair = world.client(client, "CHAIR")
    with count_queries() as statements:
        data = await chair.data(query, {"id": gid("Cycle", world.cycle.id)})
    assert len(data["node"]["steps"]) == 16
    # The cycle (with the viewer's committee seats), steps, slots, files, links and people.
    assert len(statements) == 6
