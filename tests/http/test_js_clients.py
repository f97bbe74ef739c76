"""The live scoreboard through the npm `graphql-ws` client (tests/js/scoreboard.mjs) against a
server on loopback: refused without a valid token (4401) and for a judge (4403), and an update
seen when a judge submits. `make test` also runs tests/js's codegen + `tsc --strict` check."""

import asyncio
import json
import os
import shutil
from pathlib import Path

import pytest
from fastapi import FastAPI

from services.actor import SYSTEM
from services.contests import assignments, scoreboard
from tests.contest_world import make_contest_world, shortlisted_entry, start_judging
from tests.helpers import token_for
from tests.live import HOST, in_process
from tests.world import gid

JS = Path(__file__).parents[1] / "js"
NODE = shutil.which("node")


@pytest.fixture(scope="module")
def node() -> str:
    if NODE is None or not (JS / "node_modules").is_dir():
        if os.environ.get("CI"):
            pytest.fail("tests/js is not installed (npm ci --prefix tests/js)")
        pytest.skip("tests/js is not installed (npm ci --prefix tests/js)")
    return NODE


async def test_the_graphql_ws_client_is_refused_without_a_token_and_sees_a_judge_submit(
    app: FastAPI, node: str
) -> None:
    cw = await make_contest_world()
    entry = await shortlisted_entry(cw, "สวนสุขภาพ")
    judge = cw.judges["judge_hpc"]
    await assignments.assign(
        actor=SYSTEM, contest_id=cw.contest.id, judge_ids=[judge.id], entry_ids=[entry.id]
    )
    await start_judging(cw)

    async with in_process(app) as port:
        environment = {
            **os.environ,
            "LOHUB_URL": f"http://{HOST}:{port}/graphql",
            "MANAGER_TOKEN": token_for(cw.manager),
            "JUDGE_TOKEN": token_for(judge),
            "CONTEST_ID": gid("Contest", cw.contest.id),
            "ENTRY_ID": gid("Entry", entry.id),
            "CRITERIA": json.dumps([gid("RubricCriterion", c.id) for c in cw.criteria]),
        }
        process = await asyncio.create_subprocess_exec(
            node,
            "scoreboard.mjs",
            cwd=JS,
            env=environment,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        assert process.stdout is not None
        lines = []
        async with asyncio.timeout(60):
            while line := (await process.stdout.readline()).decode().strip():
                lines.append(line)
                if line == "SUBSCRIBED":
                    # The subscription starts listening asynchronously: announce the entry
                    # until the client has its first update (then the judge submits).
                    await _announce_until_listening(process, cw.contest.id, entry.id, lines)
            stderr = (await process.communicate())[1].decode()

    assert process.returncode == 0, "\n".join([*lines, stderr])
    assert lines[:3] == ["REFUSED 4401", "REFUSED 4401", "REFUSED 4403"]
    update = json.loads(lines[-1].removeprefix("UPDATED "))
    assert update["entry"]["id"] == gid("Entry", entry.id)
    assert update["count"] == 1
    assert update["judges"] == [{"judge": {"username": "judge_hpc"}}]


async def _announce_until_listening(
    process: asyncio.subprocess.Process, contest_id: int, entry_id: int, lines: list[str]
) -> None:
    assert process.stdout is not None
    for _ in range(100):
        await scoreboard.publish(contest_id, entry_id)
        try:
            line = await asyncio.wait_for(process.stdout.readline(), timeout=0.2)
        except TimeoutError:
            continue
        lines.append(line.decode().strip())
        if lines[-1] == "LISTENING":
            return
    raise AssertionError(f"the client never heard an announcement: {lines}")
