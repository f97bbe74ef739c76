"""GraphQL overhead benchmark: what a GraphQL request over HTTP costs on top of the service calls
that answer it, in process (httpx through the ASGI app, no network, no load generator).

    .venv/bin/python -m bench.overhead
    BENCH_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/postgres \
        .venv/bin/python -m bench.overhead

On a fresh, migrated database per backend (each in a process of its own): the dashboard's data
(``bench.dashboard``: 50 units × 5 fiscal years), an edition of the LIKE Talk Award with
``ENTRIES`` of its works entered and scored (``bench.contest_results``) and three authors on every
work. Times, as a manager with a bearer token:

- an edition's first 100 entries with work, category and aggregate: the service calls alone
  (the page of ``entries.list_entries``, its works and categories, ``results.compute``) and the
  GraphQL request;
- the dashboard for 5 units: ``services.dashboard.dashboard`` alone and the GraphQL request;
- 100 works with unit and authors, 100 works' columns only, and ``{ __typename }``: GraphQL only.

"CPU ms" is this process's CPU time (a database server's not), steadier than the wall clock on a
busy machine. The ratio GraphQL ÷ service is the overhead the issue's target (≤ 1.3×) is about.
Prints a table and writes bench/results/overhead-<UTC timestamp>.json. See bench/README.md.
"""

import base64
from datetime import UTC, datetime
from typing import Any

from bench import contest_results, dashboard, harness
from bench.harness import timed

ENTRIES = 300
JUDGES = 3
EDITION_YEAR = 2566
DASHBOARD_UNITS = 5
AUTHORS_PER_WORK = 3
RUNS = 25
WARM_UP = 5

ENTRIES_QUERY = """query Entries($id: ID!) { node(id: $id) { ... on Contest {
  entries(first: 100) { nodes { id status
    work { id titleTh registryNumber }
    category { id code nameTh }
    aggregate { count mean median stdDev normalised disagreement rank rankReason
                criteria { mean count } } } } } } }"""
WORKS_QUERY = """{ works(first: 100) { nodes { id titleTh registryNumber
  unit { code nameTh } authors { nameTh } } } }"""
WORKS_FLAT_QUERY = "{ works(first: 100) { nodes { id titleTh registryNumber } } }"
TYPENAME_QUERY = "{ __typename }"


def _global_id(type_name: str, pk: int) -> str:
    return base64.b64encode(f"{type_name}:{pk}".encode()).decode()


async def seed() -> dict[str, Any]:
    from models.work import Work, WorkAuthor

    data = await dashboard.seed()
    entered = await Work.all().order_by("id").limit(ENTRIES)
    edition = await contest_results.seed_edition(
        EDITION_YEAR, [(w.id, w.unit_id) for w in entered], judges=JUDGES
    )
    works = await Work.all().values_list("id", flat=True)
    await WorkAuthor.bulk_create(
        [
            WorkAuthor(work_id=w, position=p, name_th=f"ผู้จัดทำ {w}-{p}")
            for w in works
            for p in range(1, AUTHORS_PER_WORK + 1)
        ],
        batch_size=2000,
    )
    return {**data, "edition": edition, "authors": len(works) * AUTHORS_PER_WORK}


async def measure() -> dict[str, Any]:
    import httpx

    from api.app import create_app
    from models.contest import Contest, ContestCategory
    from models.org import Unit
    from models.user import Role, RoleGrant, User, UserSession
    from models.work import Work
    from services import dashboard as dashboards
    from services.actor import Actor
    from services.contests import entries, results
    from services.settings import get_settings
    from services.tokens import issue_access_token, new_token_family

    data = await seed()
    user = await User.create(username="manager", password_hash="!", display_name="ผู้บริหาร")
    await RoleGrant.create(user_id=user.id, role=Role.MANAGER)
    actor = Actor(user_id=user.id, roles=frozenset({Role.MANAGER}))
    contest = await Contest.get(id=data["edition"]["contest_id"])
    unit_ids = list(
        await Unit.filter(code__startswith="U")
        .order_by("code")
        .limit(DASHBOARD_UNITS)
        .values_list("id", flat=True)
    )

    async def entries_service() -> int:
        page = await entries.list_entries(actor=actor, contest_id=contest.id, ordering=["id"])
        page = page[:100]
        works = await Work.filter(id__in=[e.work_id for e in page])
        categories = await ContestCategory.filter(id__in={e.category_id for e in page})
        ranked = await results.compute(contest)
        assert len(works) == len(page) == 100 and categories and ranked.by_entry
        return len(page)

    async def dashboard_service() -> Any:
        return await dashboards.dashboard(
            actor=actor, fiscal_year=dashboard.FISCAL_YEAR, unit_ids=unit_ids
        )

    figures: dict[str, Any] = {"data": data}
    session = await UserSession.create(id=new_token_family(), user_id=user.id)
    token, _ = issue_access_token(user.id, session.id, datetime.now(UTC))
    app = create_app(get_settings(), manage_database=False)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app),
        base_url="http://lohub.bench",
        headers={"authorization": f"Bearer {token}"},
    ) as http:

        def request(query: str, variables: dict[str, Any] | None = None) -> Any:
            async def post() -> int:
                response = await http.post(
                    "/graphql", json={"query": query, "variables": variables}
                )
                body = response.json()
                assert response.status_code == 200 and not body.get("errors"), body
                return len(response.content)

            return post

        entries_request = request(ENTRIES_QUERY, {"id": _global_id("Contest", contest.id)})
        dashboard_request = request(
            dashboard.QUERY,
            {"fy": dashboard.FISCAL_YEAR, "units": [_global_id("Unit", u) for u in unit_ids]},
        )
        for name, service, graphql in (
            ("entries", entries_service, entries_request),
            ("dashboard", dashboard_service, dashboard_request),
        ):
            figures[f"{name}_service"] = await timed(service, runs=RUNS, warm_up=WARM_UP)
            figures[f"{name}_graphql"] = await timed(graphql, runs=RUNS, warm_up=WARM_UP)
            figures[f"{name}_graphql"]["bytes"] = await graphql()
        for name, query in (
            ("works", WORKS_QUERY),
            ("works_flat", WORKS_FLAT_QUERY),
            ("typename", TYPENAME_QUERY),
        ):
            figures[name] = await timed(request(query), runs=RUNS, warm_up=WARM_UP)
    return figures


FIGURES = (
    ("entries_service", "100 entries: service calls"),
    ("entries_graphql", "100 entries: GraphQL request"),
    ("dashboard_service", "dashboard, 5 units: service"),
    ("dashboard_graphql", "dashboard, 5 units: GraphQL"),
    ("works", "100 works, unit, authors"),
    ("works_flat", "100 works, columns only"),
    ("typename", "{ __typename }, bearer"),
)


def print_table(figures: dict[str, Any]) -> None:
    harness.print_heading(figures, "GraphQL overhead")
    for result in figures["backends"].values():
        print(f"\n{result['server']}")
        print(f"{'':<32}{'median ms':>10}{'min ms':>10}{'CPU ms':>10}  statements")
        for name, label in FIGURES:
            r = result[name]
            statements = ", ".join(str(s) for s in r["statements"])
            print(
                f"{label:<32}{r['median_ms']:>10.1f}{r['min_ms']:>10.1f}"
                f"{r['cpu_median_ms']:>10.1f}  {statements}"
            )
        for name in ("entries", "dashboard"):
            graphql, service = result[f"{name}_graphql"], result[f"{name}_service"]
            print(
                f"{name}: GraphQL ÷ service = {graphql['median_ms'] / service['median_ms']:.2f}× "
                f"(CPU {graphql['cpu_median_ms'] / service['cpu_median_ms']:.2f}×)"
            )


def main() -> None:
    harness.main(
        module="bench.overhead",
        doc=__doc__,
        measure=measure,
        print_table=print_table,
        results_prefix="overhead",
        storage=True,
    )


if __name__ == "__main__":
    main()
