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

import httpx
import pytest
from graphql import parse

from api.app import create_app
from models.user import User
from models.work import Work, WorkAuthor, WorkKind, WorkStatus
from schema.compiled.plan import plan
from schema.relay import _encode
from schema.schema import build_schema
from services.settings import get_settings
from tests.helpers import GraphQLClient, count_queries, make_user, token_for
from tests.world import World, make_world

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
}
# Each compiled list and its node type.
LISTS = {"works": "Work"}
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
QUERIES_PER_VIEWER = 12


@dataclass
class Query:
    text: str
    variables: dict[str, object]


class Generator:
    """Random GraphQL documents over the compiled lists, reproducible from a seed."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.fragments: dict[str, str] = {}
        self.names = 0

    def _name(self, prefix: str) -> str:
        self.names += 1
        return f"{prefix}{self.names}"

    def _alias(self) -> str:
        return f"{self._name('a')}: " if self.rng.random() < 0.2 else ""

    def _directive(self) -> str:
        roll = self.rng.random()
        if roll < 0.08:
            return " @include(if: $yes)"
        if roll < 0.12:
            return " @skip(if: $yes)"
        if roll < 0.16:
            return " @include(if: $no)"
        return ""

    def selection(self, type_name: str, depth: int = 0) -> str:
        leaves, relations = TREES[type_name]
        parts = [
            f"{self._alias()}{leaf}{self._directive()}"
            for leaf in self.rng.sample(leaves, self.rng.randint(1, 5))
        ]
        for field, target in relations.items():
            if depth < 2 and self.rng.random() < 0.6:
                inner = self.selection(target, depth + 1)
                parts.append(f"{self._alias()}{field}{self._directive()} {{ {inner} }}")
        self.rng.shuffle(parts)
        roll = self.rng.random()
        if roll < 0.15:
            name = self._name("F")
            self.fragments[name] = f"fragment {name} on {type_name} {{ {' '.join(parts[:2])} }}"
            parts = [f"...{name}", *parts[2:]]
        elif roll < 0.3:
            parts = [
                f"... on {type_name}{self._directive()} {{ {' '.join(parts[:2])} }}",
                *parts[2:],
            ]
        elif roll < 0.35 and "id" in leaves:
            parts.append("... on Node { id }")
        return " ".join(parts)

    def connection(self, type_name: str) -> str:
        parts = []
        if self.rng.random() < 0.7:
            node = f"node {{ {self.selection(type_name)} }}"
            cursor = ["cursor"] if self.rng.random() < 0.5 else []
            edge = " ".join(
                self.rng.sample([node, *cursor, "__typename"], self.rng.randint(1, 2 + len(cursor)))
            )
            parts.append(
                f"{self._alias()}edges {{ {edge if 'node' in edge else node + ' ' + edge} }}"
            )
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

    def query(self) -> Query:
        self.fragments = {}
        roots = []
        variables: dict[str, object] = {"yes": True, "no": False}
        for field, type_name in self.rng.sample(sorted(LISTS.items()), 1):
            arguments = []
            first = self.rng.choice([None, 0, 1, 2, 3, 5, 100])
            if first is not None:
                if self.rng.random() < 0.5:
                    variables["first"] = first
                    arguments.append("first: $first")
                else:
                    arguments.append(f"first: {first}")
            after = self.rng.choice([None, None, 0, 1, 3, 50])
            if after is not None:
                arguments.append(f'after: "{_encode(after)}"')
            args = f"({', '.join(arguments)})" if arguments else ""
            roots.append(f"{self._alias()}{field}{args} {{ {self.connection(type_name)} }}")
        if self.rng.random() < 0.2:
            roots.append("__typename")
        text = (
            "query Q($yes: Boolean!, $no: Boolean!, $first: Int) { "
            + " ".join(roots)
            + " } "
            + " ".join(self.fragments.values())
        )
        return Query(text, variables)


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


async def _works(world: World) -> None:
    """Works of both units in every state, with and without people among their authors."""
    member, outsider = world.people["กนกานต์"], world.people["outsider"]
    statuses = list(WorkStatus)
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
) -> None:
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


async def test_generated_queries_answer_as_the_resolvers_do(
    client: GraphQLClient, ordinary: GraphQLClient
) -> None:
    world = await make_world(with_cycle=False)
    await _works(world)
    viewers = await _viewers(world)
    schema = build_schema(get_settings())._schema
    for seed, user in enumerate(viewers.values()):
        generator = Generator(seed)
        for _ in range(QUERIES_PER_VIEWER):
            query = generator.query()
            assert plan(schema, parse(query.text), None, query.variables), query.text
            await _same_answer(client, ordinary, user, query)


@pytest.mark.parametrize("text", FALLBACKS)
async def test_what_is_not_compiled_answers_as_the_resolvers_do(
    client: GraphQLClient, ordinary: GraphQLClient, text: str
) -> None:
    world = await make_world(with_cycle=False)
    await _works(world)
    schema = build_schema(get_settings())._schema
    assert plan(schema, parse(text), None, {}) is None
    for user in (None, world.users["MEMBER"]):
        await _same_answer(client, ordinary, user, Query(text, {}))


PAGE = """query Page($first: Int) { works(first: $first) { totalCount pageInfo { hasNextPage }
    edges { cursor node { id titleTh registryNumber unit { code nameTh }
    authors { nameTh person { firstNameTh } } } } } }"""


async def test_a_page_costs_the_same_statements_whatever_its_size(client: GraphQLClient) -> None:
    world = await make_world(with_cycle=False)
    await _works(world)
    admin = client.signed_in_as(await make_user("admin", roles={"ADMIN"}))
    counts = []
    for first in (2, 12):
        with count_queries() as statements:
            data = await admin.data(PAGE, {"first": first})
        assert len(data["works"]["edges"]) == first
        counts.append(len(statements))
    # The page, its count, units, authors and their people.
    assert counts == [5, 5]
