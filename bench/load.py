"""Load generators: wrk when installed (C, one thread, leaves a core to the server), else an
httpx asyncio client. Both keep a fixed number of connections busy for a fixed time."""

import asyncio
import json
import os
import re
import shutil
import subprocess
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import httpx

CONNECTIONS = 16
# BENCH_DURATION_S shortens a smoke run; figures worth quoting use the default.
DURATION_S = float(os.environ.get("BENCH_DURATION_S", "10"))
WARM_UP_S = 2.0
# A second bound besides time, so the httpx client stops by itself whatever the server does.
MAX_REQUESTS = 2_000_000
REQUEST_TIMEOUT_S = 5.0


@dataclass(frozen=True)
class Scenario:
    name: str
    method: str
    url: str
    body: str | None = None
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class LoadResult:
    requests: int
    duration_s: float
    requests_per_s: float
    p50_ms: float
    p99_ms: float
    errors: int  # failed connections, time-outs and non-2xx answers

    def as_dict(self) -> dict[str, float | int]:
        return asdict(self)


def wrk_path() -> str | None:
    """wrk, unless BENCH_LOAD_GENERATOR=httpx asks for the fallback (to compare the two)."""
    if os.environ.get("BENCH_LOAD_GENERATOR") == "httpx":
        return None
    return shutil.which("wrk")


def generator_name() -> str:
    if path := wrk_path():
        version = subprocess.run([path, "-v"], capture_output=True, text=True, timeout=10)
        return (version.stdout + version.stderr).split("Copyright")[0].strip() or "wrk"
    return f"httpx {httpx.__version__} asyncio client"


def measure(
    scenario: Scenario,
    workdir: Path,
    duration_s: float = DURATION_S,
    connections: int = CONNECTIONS,
) -> LoadResult:
    if wrk_path():
        return _measure_with_wrk(scenario, workdir, duration_s, connections)
    return asyncio.run(_measure_with_httpx(scenario, duration_s, connections))


# --- wrk ---------------------------------------------------------------------------------------

# wrk's done() hook hands over exact figures as one JSON line, instead of parsing its report.
_WRK_DONE = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK_RESULT {"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, "errors": %d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.connect + e.read + e.write + e.status + e.timeout))
end
"""


def _lua_string(text: str) -> str:
    # A JSON string literal of ASCII text is a valid Lua string literal.
    if not text.isascii():
        raise ValueError("wrk script values must be ASCII")
    return json.dumps(text)


def _wrk_script(scenario: Scenario) -> str:
    lines = [f"wrk.method = {_lua_string(scenario.method)}"]
    if scenario.body is not None:
        lines.append(f"wrk.body = {_lua_string(scenario.body)}")
    for name, value in scenario.headers.items():
        lines.append(f"wrk.headers[{_lua_string(name)}] = {_lua_string(value)}")
    return "\n".join(lines) + "\n" + _WRK_DONE


def _measure_with_wrk(
    scenario: Scenario, workdir: Path, duration_s: float, connections: int
) -> LoadResult:
    script = workdir / f"{re.sub(r'[^A-Za-z0-9]+', '_', scenario.name)}.lua"
    script.write_text(_wrk_script(scenario), encoding="ascii")
    command = [
        wrk_path() or "wrk",
        "--threads", "1",
        "--connections", str(connections),
        "--duration", f"{duration_s:g}s",
        "--timeout", f"{REQUEST_TIMEOUT_S:g}s",
        "--script", str(script),
        scenario.url,
    ]  # fmt: skip
    output = subprocess.run(
        command, capture_output=True, text=True, check=True, timeout=duration_s + 30
    ).stdout
    line = next(x for x in output.splitlines() if x.startswith("WRK_RESULT "))
    raw = json.loads(line.removeprefix("WRK_RESULT "))
    duration = raw["duration_us"] / 1e6
    return LoadResult(
        requests=raw["requests"],
        duration_s=round(duration, 3),
        requests_per_s=round(raw["requests"] / duration, 1),
        p50_ms=raw["p50_us"] / 1000,
        p99_ms=raw["p99_us"] / 1000,
        errors=raw["errors"],
    )


# --- httpx fallback ----------------------------------------------------------------------------


async def _measure_with_httpx(
    scenario: Scenario, duration_s: float, connections: int
) -> LoadResult:
    latencies: list[float] = []
    errors = 0
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)

    async with httpx.AsyncClient(limits=limits, timeout=REQUEST_TIMEOUT_S) as client:
        started = time.perf_counter()
        deadline = started + duration_s

        async def one_connection() -> None:
            nonlocal errors
            while time.perf_counter() < deadline and len(latencies) + errors < MAX_REQUESTS:
                sent = time.perf_counter()
                try:
                    response = await client.request(
                        scenario.method,
                        scenario.url,
                        content=scenario.body,
                        headers=scenario.headers,
                    )
                    ok = response.is_success
                except httpx.HTTPError:
                    ok = False
                if ok:
                    latencies.append(time.perf_counter() - sent)
                else:
                    errors += 1

        await asyncio.gather(*(one_connection() for _ in range(connections)))
        duration = time.perf_counter() - started

    latencies.sort()
    return LoadResult(
        requests=len(latencies) + errors,
        duration_s=round(duration, 3),
        requests_per_s=round((len(latencies) + errors) / duration, 1),
        p50_ms=round(_percentile(latencies, 50) * 1000, 3),
        p99_ms=round(_percentile(latencies, 99) * 1000, 3),
        errors=errors,
    )


def _percentile(ordered: list[float], percent: float) -> float:
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, round(percent / 100 * (len(ordered) - 1)))
    return ordered[index]
