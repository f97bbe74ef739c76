"""LO Hub benchmark: start-up time, and throughput/latency of the live server on loopback.

    .venv/bin/python -m bench.run      (or: make bench)

Prints a table and writes the same figures to bench/results/<UTC timestamp>.json. See
bench/README.md for what each figure means.
"""

import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

import httpx

from bench import load, server
from bench.load import LoadResult, Scenario

RESULTS_DIR = Path(__file__).parent / "results"
LAUNCHES = 5  # start-up and import times are medians of this many fresh processes
ME_QUERY = json.dumps({"query": "{ me { id } }"})
PACKAGES = ("uvicorn", "uvloop", "httptools", "fastapi", "strawberry-graphql", "tortoise-orm")


def median_of(measure: Callable[[], float], times: int = LAUNCHES) -> dict[str, Any]:
    samples = [measure() for _ in range(times)]
    return {"median_s": round(statistics.median(samples), 4), "samples_s": _rounded(samples)}


def _rounded(values: list[float]) -> list[float]:
    return [round(v, 4) for v in values]


# --- scenarios ---------------------------------------------------------------------------------


def scenarios(port: int, token: str) -> list[tuple[Scenario, Callable[[httpx.Response], bool]]]:
    """Each load scenario with a check of one answer, so we never time an error page."""
    graphql = f"{server.base_url(port)}/graphql"
    json_type = {"Content-Type": "application/json"}

    def me_is_null(r: httpx.Response) -> bool:
        return r.status_code == 200 and r.json() == {"data": {"me": None}}

    def me_has_id(r: httpx.Response) -> bool:
        return r.status_code == 200 and bool((r.json().get("data") or {}).get("me", {}).get("id"))

    return [
        (
            Scenario("GET /healthz", "GET", f"{server.base_url(port)}/healthz"),
            lambda r: r.status_code == 200 and r.json() == {"status": "ok"},
        ),
        (Scenario("me, anonymous", "POST", graphql, ME_QUERY, json_type), me_is_null),
        (
            Scenario(
                "me, bearer token",
                "POST",
                graphql,
                ME_QUERY,
                {**json_type, "Authorization": f"Bearer {token}"},
            ),
            me_has_id,
        ),
    ]


def check_answer(scenario: Scenario, is_expected: Callable[[httpx.Response], bool]) -> None:
    response = httpx.request(
        scenario.method, scenario.url, content=scenario.body, headers=scenario.headers, timeout=10
    )
    if not is_expected(response):
        raise RuntimeError(
            f"{scenario.name}: unexpected answer {response.status_code} {response.text}"
        )


def measure_scenario(
    scenario: Scenario, is_expected: Callable[[httpx.Response], bool], workdir: Path
) -> LoadResult:
    check_answer(scenario, is_expected)
    load.measure(scenario, workdir, duration_s=load.WARM_UP_S)  # fills caches; not reported
    result = load.measure(scenario, workdir)
    check_answer(scenario, is_expected)  # still right after the run (e.g. token not expired)
    return result


def measure_throughput(sandbox: server.Sandbox) -> dict[str, LoadResult]:
    port = server.free_port()
    with server.running_server(sandbox, port) as process:
        server.wait_until_healthy(process, port)
        token = server.log_in(port, sandbox.admin_password)
        return {
            scenario.name: measure_scenario(scenario, is_expected, sandbox.root)
            for scenario, is_expected in scenarios(port, token)
        }


# --- report ------------------------------------------------------------------------------------


def environment() -> dict[str, Any]:
    versions: dict[str, str | None] = {}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return {
        "cpus": os.cpu_count(),
        "load_average_1m_at_start": round(os.getloadavg()[0], 2),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "git_commit": _git_commit(),
        "packages": versions,
        "load_generator": load.generator_name(),
        "connections": load.CONNECTIONS,
        "duration_s": load.DURATION_S,
        "server": "lohub serve --workers 1, LOHUB_ENV=production, SQLite, log level INFO",
    }


def _git_commit() -> str | None:
    try:
        result = subprocess.run(
            ["git", "rev-parse", "HEAD"], capture_output=True, text=True, timeout=10, check=True
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return result.stdout.strip()


def print_table(figures: dict[str, Any]) -> None:
    env = figures["environment"]
    print(
        f"\nLO Hub benchmark - {env['cpus']} CPUs, Python {env['python']}, "
        f"load average {env['load_average_1m_at_start']} at start"
    )
    print(
        f"load: {env['load_generator']}, {env['connections']} connections, "
        f"{env['duration_s']:g} s per row, loopback\n"
    )
    if "import_api_app" in figures:
        import_s = figures["import_api_app"]["median_s"]
        start_s = figures["start_up_to_healthz"]["median_s"]
        print(f"{'import api.app (median of 5)':<38}{import_s * 1000:>10.0f} ms")
        print(f"{'lohub serve to /healthz 200 (median)':<38}{start_s * 1000:>10.0f} ms\n")
    print(f"{'request':<38}{'req/s':>10}{'p50 ms':>10}{'p99 ms':>10}{'errors':>8}")
    for name, result in figures["throughput"].items():
        print(
            f"{name:<38}{result['requests_per_s']:>10.0f}{result['p50_ms']:>10.2f}"
            f"{result['p99_ms']:>10.2f}{result['errors']:>8}"
        )


def write_json(figures: dict[str, Any], stamp: str) -> Path:
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    path = RESULTS_DIR / f"{stamp}.json"
    path.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return path


def main() -> None:
    # --requests-only skips the start-up medians: for comparing request figures of two
    # versions on a busy machine, where ten fresh interpreters take minutes.
    requests_only = "--requests-only" in sys.argv[1:]
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="lohub-bench-") as tmp:
        sandbox = server.make_sandbox(Path(tmp))
        server.prepare_database(sandbox)
        figures: dict[str, Any] = {"timestamp": stamp, "environment": environment()}
        if not requests_only:
            figures["import_api_app"] = median_of(lambda: server.seconds_to_import_app(sandbox))
            figures["start_up_to_healthz"] = median_of(lambda: server.seconds_to_healthy(sandbox))
        throughput = measure_throughput(sandbox)
        figures["throughput"] = {name: r.as_dict() for name, r in throughput.items()}
    figures["environment"]["load_average_1m_at_end"] = round(os.getloadavg()[0], 2)
    figures["elapsed_s"] = round(time.perf_counter() - started, 1)
    print_table(figures)
    print(f"\nwritten to {write_json(figures, stamp)}", file=sys.stderr)


if __name__ == "__main__":
    main()
