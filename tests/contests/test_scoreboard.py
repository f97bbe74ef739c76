"""The live scoreboard over graphql-transport-ws. On SQLite one in-process server; on PostgreSQL
the subscriber talks to a second API process (`lohub serve`), so the update crosses processes
through LISTEN/NOTIFY. Servers bind to 127.0.0.1 only."""

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
import websockets
from fastapi import FastAPI

from models.contest import Entry
from services.actor import SYSTEM
from services.contests import assignments, scoreboard
from tests.contest_world import ContestWorld, make_contest_world, shortlisted_entry, start_judging
from tests.helpers import GraphQLClient, token_for
from tests.live import HOST, in_process, lohub_process
from tests.world import gid

# The API and the exports show figures to two decimal places.
SHOWN = 0.005

SUBSCRIBE = """subscription($id: ID!) { contestScoreboard(contestId: $id) {
    entry { id } count mean judges { total judge { username } } } }"""
SCORE = """mutation($input: EntryScoreInput!) { entryScore(input: $input) {
    weightedTotal errors { code } } }"""


@asynccontextmanager
async def _server(app: FastAPI, backend: str, tmp: Path) -> AsyncIterator[int]:
    context = lohub_process(tmp) if backend == "postgres" else in_process(app)
    async with context as port:
        yield port


async def _subscribe(port: int, token: str, contest_id: str) -> Any:
    socket = await websockets.connect(
        f"ws://{HOST}:{port}/graphql",
        subprotocols=["graphql-transport-ws"],  # type: ignore[list-item]
    )
    await socket.send(
        json.dumps({"type": "connection_init", "payload": {"authorization": f"Bearer {token}"}})
    )
    assert json.loads(await socket.recv())["type"] == "connection_ack"
    await socket.send(
        json.dumps(
            {
                "id": "1",
                "type": "subscribe",
                "payload": {"query": SUBSCRIBE, "variables": {"id": contest_id}},
            }
        )
    )
    return socket


async def _world() -> tuple[ContestWorld, str]:
    cw = await make_contest_world()
    entry = await shortlisted_entry(cw, "สวนสุขภาพ")
    await assignments.assign(
        actor=SYSTEM,
        contest_id=cw.contest.id,
        judge_ids=[cw.judges["judge_hpc"].id],
        entry_ids=[entry.id],
    )
    await start_judging(cw)
    return cw, gid("Entry", entry.id)


def _score_input(entry_id: str, criteria: list[str], *, submit: bool) -> dict[str, Any]:
    scores = [{"criterion": criteria[0], "value": 8}, {"criterion": criteria[1], "value": 4}]
    return {"input": {"entry": entry_id, "scores": scores, "submit": submit}}


async def test_the_scoreboard_pushes_an_entry_s_aggregates_while_judges_score(
    app: FastAPI, client: GraphQLClient, database: str, tmp_path: Path
) -> None:
    cw, entry_id = await _world()
    judge = client.signed_in_as(cw.judges["judge_hpc"])
    criteria = [gid("RubricCriterion", c.id) for c in cw.criteria]

    async with _server(app, database, tmp_path) as port:
        socket = await _subscribe(port, token_for(cw.manager), gid("Contest", cw.contest.id))
        try:
            # The subscription starts listening asynchronously; a draft save announces nothing
            # (the aggregates do not change), so announce the entry until a push arrives, then
            # submit and wait for the submitted sheet's aggregates.
            await judge.data(SCORE, _score_input(entry_id, criteria, submit=False))
            entry = await Entry.get(contest_id=cw.contest.id)
            for _ in range(100):
                await scoreboard.publish(cw.contest.id, entry.id)
                try:
                    await asyncio.wait_for(socket.recv(), timeout=0.2)
                    break
                except TimeoutError:
                    continue
            body = await judge.data(SCORE, _score_input(entry_id, criteria, submit=True))
            assert body["entryScore"]["errors"] == []
            for _ in range(100):  # late answers to the announcements above come first
                frame = await asyncio.wait_for(socket.recv(), timeout=10)
                assert isinstance(frame, str), "a text frame, as graphql-ws clients require"
                message = json.loads(frame)
                if message["payload"]["data"]["contestScoreboard"]["count"] == 1:
                    break
        finally:
            await socket.close()

    assert message["type"] == "next"
    board = message["payload"]["data"]["contestScoreboard"]
    assert board["count"] == 1
    assert board["entry"]["id"] == entry_id
    assert board["mean"] == pytest.approx((2 * 0.8 + 0.75) * 100 / 3, abs=SHOWN)
    assert board["judges"][0]["judge"] == {"username": "judge_hpc"}
