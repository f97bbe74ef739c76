"""The peer benchmark's queries: each as LO Hub asks it, as PostGraphile 5 (amber preset) asks
for the same data in its own names, and what both answers reduce to, so they can be compared."""

import base64
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from bench.dashboard import QUERY as DASHBOARD_QUERY

Json = dict[str, Any]


@dataclass(frozen=True)
class Fixture:
    """Primary keys of the seeded rows the queries ask for."""

    cycle: int  # with its 16 steps, their document slots and responsible people
    plan: int  # the plan with the most activities
    contest: int  # the edition with 100 scored entries
    units: list[int]  # five units for the dashboard
    fiscal_year: int  # the dashboard's year


def global_id(type_name: str, pk: int) -> str:
    return base64.b64encode(f"{type_name}:{pk}".encode()).decode()


def pk(gid: str) -> int:
    return int(base64.b64decode(gid).decode().rpartition(":")[2])


@dataclass(frozen=True)
class Query:
    key: str  # for --queries
    label: str
    document: str  # LO Hub's
    variables: Callable[[Fixture], Json]
    rows: Callable[[Json], Any]  # LO Hub's data → comparable rows
    peer_document: str | None = None  # PostGraphile's, when it serves the same data
    peer_variables: Callable[[Fixture], Json] = lambda f: {}
    peer_rows: Callable[[Json], Any] | None = None
    handwritten: Json | None = None  # the hand-written endpoint's request body
    connections: int = 4
    service: str | None = None  # the service call LO Hub's answer is compared with

    def body(self, fixture: Fixture) -> Json:
        return {"query": self.document, "variables": self.variables(fixture)}

    def peer_body(self, fixture: Fixture) -> Json:
        return {"query": self.peer_document, "variables": self.peer_variables(fixture)}


# --- works ---------------------------------------------------------------------------------------

WORKS = """query Works($first: Int!) { works(first: $first) { nodes {
  id titleTh registryNumber unit { code nameTh } authors { nameTh } } } }"""
PEER_WORKS = """query Works($first: Int!) {
  allWorks(first: $first, orderBy: [FISCAL_YEAR_DESC, ROW_ID_DESC]) { nodes {
    rowId titleTh registryNumber unitByUnitId { code nameTh }
    workAuthorsByWorkId(orderBy: [POSITION_ASC]) { nodes { nameTh } } } } }"""
FLAT_WORKS = """query Works($first: Int!) {
  works(first: $first) { nodes { id titleTh registryNumber } } }"""
PEER_FLAT_WORKS = """query Works($first: Int!) {
  allWorks(first: $first, orderBy: [FISCAL_YEAR_DESC, ROW_ID_DESC]) { nodes {
    rowId titleTh registryNumber } } }"""


def works_rows(data: Json) -> list[tuple[Any, ...]]:
    return [
        (
            pk(w["id"]),
            w["titleTh"],
            w["registryNumber"],
            *((w["unit"]["code"], w["unit"]["nameTh"]) if "unit" in w else ()),
            *((tuple(a["nameTh"] for a in w["authors"]),) if "authors" in w else ()),
        )
        for w in data["works"]["nodes"]
    ]


def peer_works_rows(data: Json) -> list[tuple[Any, ...]]:
    return [
        (
            w["rowId"],
            w["titleTh"],
            w["registryNumber"],
            *(
                (w["unitByUnitId"]["code"], w["unitByUnitId"]["nameTh"])
                if "unitByUnitId" in w
                else ()
            ),
            *(
                (tuple(a["nameTh"] for a in w["workAuthorsByWorkId"]["nodes"]),)
                if "workAuthorsByWorkId" in w
                else ()
            ),
        )
        for w in data["allWorks"]["nodes"]
    ]


# --- a cycle's steps -----------------------------------------------------------------------------

PERSON = "titleTh firstNameTh lastNameTh"
CYCLE = f"""query Cycle($id: ID!) {{ node(id: $id) {{ ... on Cycle {{ id steps {{
  id no titleTh status
  documents {{ nameTh files {{ filename }} }}
  responsible {{ {PERSON} }} }} }} }} }}"""
PEER_CYCLE = f"""query Cycle($id: Int!) {{ cycleByRowId(rowId: $id) {{ rowId
  cycleStepsByCycleId(orderBy: [NO_ASC]) {{ nodes {{
    rowId no titleTh status
    documentSlotsByStepId {{ nodes {{ nameTh documentsBySlotId {{ nodes {{ filename }} }} }} }}
    stepResponsiblesByStepId {{ nodes {{ personByPersonId {{ {PERSON} }} }} }} }} }} }} }}"""


def _person(p: Json) -> tuple[str, str, str]:
    return (p["titleTh"], p["firstNameTh"], p["lastNameTh"])


def cycle_rows(data: Json) -> list[tuple[Any, ...]]:
    return [
        (
            pk(s["id"]),
            s["no"],
            s["titleTh"],
            s["status"],
            sorted(
                (d["nameTh"], sorted(f["filename"] for f in d["files"])) for d in s["documents"]
            ),
            sorted(_person(p) for p in s["responsible"]),
        )
        for s in data["node"]["steps"]
    ]


def peer_cycle_rows(data: Json) -> list[tuple[Any, ...]]:
    return [
        (
            s["rowId"],
            s["no"],
            s["titleTh"],
            s["status"],
            sorted(
                (d["nameTh"], sorted(f["filename"] for f in d["documentsBySlotId"]["nodes"]))
                for d in s["documentSlotsByStepId"]["nodes"]
            ),
            sorted(_person(r["personByPersonId"]) for r in s["stepResponsiblesByStepId"]["nodes"]),
        )
        for s in data["cycleByRowId"]["cycleStepsByCycleId"]["nodes"]
    ]


# --- a plan's activities -------------------------------------------------------------------------

PLAN = f"""query Plan($id: ID!) {{ node(id: $id) {{ ... on Plan {{ id titleTh activities {{
  id position titleTh budget owners {{ {PERSON} }} }} }} }} }}"""
PEER_PLAN = f"""query Plan($id: Int!) {{ planByRowId(rowId: $id) {{ rowId titleTh
  activitiesByPlanId {{ nodes {{ rowId position titleTh budget
    activityOwnersByActivityId {{ nodes {{ personByPersonId {{ {PERSON} }} }} }} }} }} }} }}"""


def plan_rows(data: Json) -> list[tuple[Any, ...]]:
    plan = data["node"]
    return [
        (
            pk(a["id"]),
            a["position"],
            a["titleTh"],
            Decimal(a["budget"]),
            sorted(_person(p) for p in a["owners"]),
        )
        for a in plan["activities"]
    ]


def peer_plan_rows(data: Json) -> list[tuple[Any, ...]]:
    plan = data["planByRowId"]
    return sorted(
        (
            a["rowId"],
            a["position"],
            a["titleTh"],
            Decimal(a["budget"]),
            sorted(
                _person(o["personByPersonId"]) for o in a["activityOwnersByActivityId"]["nodes"]
            ),
        )
        for a in plan["activitiesByPlanId"]["nodes"]
    )


# --- LO Hub only ---------------------------------------------------------------------------------

RESULTS = """query Results($id: ID!) { contestResults(contestId: $id) { entries {
  entry { id work { id titleTh registryNumber } category { code nameTh } }
  count mean median normalised rank rankReason } } }"""


def results_rows(data: Json) -> int:
    return len(data["contestResults"]["entries"])


def dashboard_rows(data: Json) -> int:
    return len(data["dashboard"]["rows"])


QUERIES = (
    Query(
        "works100",
        "100 works + unit + authors",
        WORKS,
        lambda f: {"first": 100},
        works_rows,
        PEER_WORKS,
        lambda f: {"first": 100},
        peer_works_rows,
        handwritten={"first": 100},
    ),
    Query(
        "works20",
        "20 works + unit + authors",
        WORKS,
        lambda f: {"first": 20},
        works_rows,
        PEER_WORKS,
        lambda f: {"first": 20},
        peer_works_rows,
        handwritten={"first": 20},
    ),
    Query(
        "flat100",
        "100 works, 3 columns",
        FLAT_WORKS,
        lambda f: {"first": 100},
        works_rows,
        PEER_FLAT_WORKS,
        lambda f: {"first": 100},
        peer_works_rows,
    ),
    Query("typename", "{ __typename }, bearer token", "{ __typename }", lambda f: {}, lambda d: d),
    Query(
        "cycle",
        "cycle: 16 steps + documents + people",
        CYCLE,
        lambda f: {"id": global_id("Cycle", f.cycle)},
        cycle_rows,
        PEER_CYCLE,
        lambda f: {"id": f.cycle},
        peer_cycle_rows,
    ),
    Query(
        "plan",
        "plan: activities + owners",
        PLAN,
        lambda f: {"id": global_id("Plan", f.plan)},
        plan_rows,
        PEER_PLAN,
        lambda f: {"id": f.plan},
        peer_plan_rows,
    ),
    Query(
        "works100-1c",
        "100 works, 1 connection",
        WORKS,
        lambda f: {"first": 100},
        works_rows,
        handwritten={"first": 100},
        connections=1,
    ),
    Query(
        "entries",
        "edition: 100 entries, 1 connection",
        RESULTS,
        lambda f: {"id": global_id("Contest", f.contest)},
        results_rows,
        connections=1,
        service="results",
    ),
    Query(
        "dashboard",
        "dashboard, 5 units, 1 connection",
        DASHBOARD_QUERY,
        lambda f: {"fy": f.fiscal_year, "units": [global_id("Unit", u) for u in f.units]},
        dashboard_rows,
        connections=1,
        service="dashboard",
    ),
)
