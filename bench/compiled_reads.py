"""Compiled reads on and off (schema/compiled/): the same lists, the same PostgreSQL database,
two `lohub serve` processes that differ only in LOHUB_COMPILED_READS, loaded alternately.

    .venv/bin/python -m bench.compiled_reads

Needs PostgreSQL (BENCH_POSTGRES_URL or LOHUB_TEST_POSTGRES_URL) and wrk. Makes a throwaway
database with the demo and 2,000 registered works of three authors each, checks that both
servers give the same answer to every query, then runs wrk (1 thread) per query, server and
round: 4 connections for throughput, 1 for the latency of a lone client. Prints req/s and
p50/p99 with the ratio on ÷ off, and the load average before and after.
"""

import asyncio
import json
import os
import re
import subprocess
import sys
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import httpx

from bench import harness, server
from bench.load import Scenario, _wrk_script

WORKS = 2_000
AUTHORS_EACH = 3
DURATION_S = float(os.environ.get("BENCH_DURATION_S", "8"))
ROUNDS = 2
PERSON = "titleTh firstNameTh lastNameTh"
# As bench/peer asks them; the cycle's and plan's ids are filled in from the seeded rows.
QUERIES = {
    "100 works + unit + authors": "{ works(first: 100) { nodes { id titleTh registryNumber "
    "unit { code nameTh } authors { nameTh } } } }",
    "20 works + unit + authors": "{ works(first: 20) { nodes { id titleTh registryNumber "
    "unit { code nameTh } authors { nameTh } } } }",
    "100 works, flat": "{ works(first: 100) { nodes { id titleTh registryNumber } } }",
    "cycle: steps, files, people": '{ node(id: "%(cycle)s") { ... on Cycle { id steps { '
    f"id no titleTh status documents {{ nameTh files {{ filename }} }} responsible {{ {PERSON} }}"
    " } } } }",
    "plan: activities, owners": '{ node(id: "%(plan)s") { ... on Plan { id titleTh activities {'
    f" id position titleTh budget owners {{ {PERSON} }} }} }} }} }}",
}
LONE_CLIENT = "100 works + unit + authors"


async def _seed(url: str, admin_password: str) -> dict[str, str]:
    """The demo and the works; the global ids of the cycle with the most steps and the plan with
    the most activities."""
    from strawberry.relay import to_base64
    from tortoise.functions import Count

    from models.cycle import Cycle
    from models.org import Unit
    from models.plan import Plan
    from models.work import Work, WorkAuthor, WorkKind, WorkStatus
    from services.demo import load_demo

    async with harness.migrated(url):
        await load_demo(admin_password=admin_password, reset_password=False)
        units = [u.id for u in await Unit.all()]
        start = await Work.all().count()
        await Work.bulk_create(
            Work(
                unit_id=units[n % len(units)],
                fiscal_year=2560 + n % 7,
                kind=list(WorkKind)[n % len(WorkKind)],
                status=WorkStatus.REGISTERED,
                title_th=f"ผลงานนวัตกรรมลำดับที่ {n} เพื่อการเรียนรู้ขององค์กร",
                registry_number=f"LO-{2560 + n % 7}-{n:05}",
            )
            for n in range(WORKS)
        )
        ids = [w.id for w in await Work.all().order_by("id").offset(start)]
        await WorkAuthor.bulk_create(
            WorkAuthor(work_id=work_id, position=p + 1, name_th=f"ผู้จัดทำ {p + 1} ของ {work_id}")
            for work_id in ids
            for p in range(AUTHORS_EACH)
        )
        cycle = await Cycle.annotate(n=Count("steps")).order_by("-n", "id").first()
        plan = await Plan.annotate(n=Count("activities")).order_by("-n", "id").first()
        assert cycle and plan
        return {"cycle": to_base64("Cycle", cycle.id), "plan": to_base64("Plan", plan.id)}


def _wrk(scenario: Scenario, workdir: Path, connections: int) -> dict[str, float]:
    script = workdir / f"{re.sub(r'[^A-Za-z0-9]+', '_', scenario.name)}.lua"
    script.write_text(_wrk_script(scenario), encoding="ascii")
    command = [
        "wrk", "--threads", "1", "--connections", str(connections),
        "--duration", f"{DURATION_S:g}s", "--timeout", "10s", "--script", str(script),
        scenario.url,
    ]  # fmt: skip
    output = subprocess.run(
        command, capture_output=True, text=True, check=True, timeout=DURATION_S + 30
    ).stdout
    line = next(x for x in output.splitlines() if x.startswith("WRK_RESULT "))
    raw = json.loads(line.removeprefix("WRK_RESULT "))
    if raw["errors"]:
        raise RuntimeError(f"{scenario.name}: {raw['errors']} errors under load")
    return {
        "rps": round(raw["requests"] / (raw["duration_us"] / 1e6), 1),
        "p50_ms": raw["p50_us"] / 1000,
        "p99_ms": raw["p99_us"] / 1000,
    }


def _scenario(name: str, port: int, token: str, query: str) -> Scenario:
    return Scenario(
        name=name,
        method="POST",
        url=f"{server.base_url(port)}/graphql",
        body=json.dumps({"query": query}),
        headers={
            "content-type": "application/json",
            "accept": "application/graphql-response+json",
            "authorization": f"Bearer {token}",
        },
    )


def _answer(scenario: Scenario) -> str:
    assert scenario.body is not None
    response = httpx.post(scenario.url, content=scenario.body, headers=scenario.headers)
    response.raise_for_status()
    if "errors" in response.json():
        raise RuntimeError(f"{scenario.name}: {response.text[:300]}")
    return response.text


def _measure(db_url: str, sandbox: server.Sandbox, ids: dict[str, str]) -> dict[str, Any]:
    root = sandbox.root
    ports = {"on": server.free_port(), "off": server.free_port()}
    with ExitStack() as stack:
        tokens = {}
        for mode, port in ports.items():
            env = {
                **sandbox.env,
                "LOHUB_DATABASE_URL": db_url,
                "LOHUB_COMPILED_READS": str(mode == "on").lower(),
                "LOHUB_ACCESS_TOKEN_MINUTES": "120",
            }
            process = stack.enter_context(
                server.running_server(server.Sandbox(root, env, ""), port)
            )
            server.wait_until_healthy(process, port)
            tokens[mode] = server.log_in(port, sandbox.admin_password)
        scenarios = {
            (name, mode): _scenario(f"{name} {mode}", port, tokens[mode], query % ids)
            for name, query in QUERIES.items()
            for mode, port in ports.items()
        }
        for name in QUERIES:
            if _answer(scenarios[name, "on"]) != _answer(scenarios[name, "off"]):
                raise RuntimeError(f"{name}: the answers differ")
        runs: dict[str, list[dict[str, Any]]] = {}
        load_at_start = os.getloadavg()[0]
        for _ in range(ROUNDS):
            for name in QUERIES:
                for mode in ports:
                    runs.setdefault(f"{name}|{mode}|4", []).append(
                        _wrk(scenarios[name, mode], root, 4)
                    )
            for mode in ports:
                runs.setdefault(f"{LONE_CLIENT}|{mode}|1", []).append(
                    _wrk(scenarios[LONE_CLIENT, mode], root, 1)
                )
        return {"load_average": [load_at_start, os.getloadavg()[0]], "runs": runs}


async def _run(postgres_url: str) -> dict[str, Any]:
    async with harness.fresh_database("postgres", postgres_url) as db:
        sandbox = server.make_sandbox(db.directory)
        os.environ["LOHUB_STORAGE_DIR"] = str(db.directory / "files")
        ids = await _seed(db.url, sandbox.admin_password)
        return await asyncio.to_thread(_measure, db.url, sandbox, ids)


def main() -> None:
    postgres_url = next((os.environ[v] for v in harness.POSTGRES_ENV if os.environ.get(v)), None)
    if not postgres_url:
        sys.exit("Set BENCH_POSTGRES_URL (or LOHUB_TEST_POSTGRES_URL) to a PostgreSQL server")
    figures = asyncio.run(_run(postgres_url))
    start, end = figures["load_average"]
    print(
        f"\nCompiled reads on/off, PostgreSQL, wrk 1 thread, {DURATION_S:g} s per run, "
        f"{ROUNDS} rounds; load average {start:.2f} at start, {end:.2f} at end"
    )
    print(
        f"{'query':32} {'conns':>5} {'on req/s':>18} {'off req/s':>16} {'on p50 ms':>14} "
        f"{'off p50 ms':>14} {'on/off':>7}"
    )
    for name in QUERIES:
        for connections in (4, 1):
            on = figures["runs"].get(f"{name}|on|{connections}")
            off = figures["runs"].get(f"{name}|off|{connections}")
            if on and off:
                ratio = min(r["rps"] for r in on) / max(r["rps"] for r in off)
                cells = [_joined(on, "rps"), _joined(off, "rps")]
                cells += [_joined(on, "p50_ms"), _joined(off, "p50_ms")]
                print(
                    f"{name:32} {connections:>5} {cells[0]:>18} {cells[1]:>16} {cells[2]:>14} "
                    f"{cells[3]:>14} {ratio:>6.1f}x"
                )


def _joined(runs: list[dict[str, float]], figure: str) -> str:
    return " / ".join(f"{run[figure]:.1f}" for run in runs)


if __name__ == "__main__":
    main()
