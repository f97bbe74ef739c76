"""Subscriptions as standard clients meet them, on a live loopback server: graphql-transport-ws
in text frames with its close codes, GraphQL over SSE for HTTP clients, and a clean refusal for a
subscription sent as a plain request."""

import asyncio
import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
import websockets
from fastapi import FastAPI

from models.contest import Contest
from models.user import RoleGrant, User, UserSession
from services.actor import SYSTEM
from services.contests import editions, scoreboard
from tests.contest_world import contest_data, make_contest_world, shortlisted_entry
from tests.helpers import make_user, token_for
from tests.live import HOST, in_process
from tests.world import gid

SUBSCRIBE = "subscription($id: ID!) { contestScoreboard(contestId: $id) { entry { id } count } }"
WS = "graphql-transport-ws"


@pytest.fixture
async def port(app: FastAPI) -> AsyncIterator[int]:
    async with in_process(app) as port:
        yield port


@pytest.fixture
async def contest() -> Contest:
    return await editions.create_contest(actor=SYSTEM, data=contest_data())


@pytest.fixture
async def manager() -> User:
    return await make_user("manager", roles={"MANAGER"})


def _bearer(user: User) -> str:
    return f"Bearer {token_for(user)}"


def _subscribe(contest_id: str) -> str:
    return json.dumps(
        {
            "id": "1",
            "type": "subscribe",
            "payload": {"query": SUBSCRIBE, "variables": {"id": contest_id}},
        }
    )


async def _open(port: int, init: dict[str, Any], **headers: str) -> Any:
    socket = await websockets.connect(
        f"ws://{HOST}:{port}/graphql",
        subprotocols=[WS],  # type: ignore[list-item]
        additional_headers=headers,
    )
    await socket.send(json.dumps({"type": "connection_init", **init}))
    return socket


async def _text(socket: Any) -> dict[str, Any]:
    frame = await asyncio.wait_for(socket.recv(), timeout=5)
    assert isinstance(frame, str), f"a binary frame: {frame!r}"
    return dict(json.loads(frame))


async def _close_code(socket: Any) -> int:
    with pytest.raises(websockets.ConnectionClosed) as closed:
        await asyncio.wait_for(socket.recv(), timeout=5)
    assert closed.value.rcvd is not None
    return closed.value.rcvd.code


async def test_every_message_is_a_text_frame_and_a_refused_subscription_is_an_error(
    port: int, manager: User
) -> None:
    socket = await _open(port, {"payload": {"authorization": _bearer(manager)}})
    try:
        assert (await _text(socket))["type"] == "connection_ack"
        await socket.send(json.dumps({"type": "ping"}))
        assert (await _text(socket))["type"] == "pong"
        await socket.send(_subscribe(gid("Contest", 999_999)))
        refused = await _text(socket)
    finally:
        await socket.close()

    assert refused["type"] == "error"
    assert refused["id"] == "1"
    assert refused["payload"][0]["extensions"]["code"] == "BAD_USER_INPUT", refused


@pytest.mark.parametrize(
    "init",
    [{}, {"payload": {}}, {"payload": {"authorization": "Bearer not-a-token"}}],
    ids=["no payload", "no token", "garbage token"],
)
async def test_a_connection_without_a_valid_token_is_closed_unauthorized(
    port: int, init: dict[str, Any]
) -> None:
    socket = await _open(port, init)

    assert await _close_code(socket) == 4401


async def test_a_user_who_may_subscribe_to_nothing_is_closed_forbidden(port: int) -> None:
    judge = await make_user("judge")
    socket = await _open(port, {"payload": {"authorization": _bearer(judge)}})

    assert await _close_code(socket) == 4403


async def test_the_handshake_s_authorization_header_signs_in_too(port: int, manager: User) -> None:
    socket = await _open(port, {}, Authorization=_bearer(manager))
    try:
        assert (await _text(socket))["type"] == "connection_ack"
    finally:
        await socket.close()


async def test_a_subscription_over_a_plain_post_is_refused_not_failed(
    port: int, contest: Contest, manager: User
) -> None:
    async with httpx.AsyncClient(base_url=f"http://{HOST}:{port}") as http:
        response = await http.post(
            "/graphql",
            json={"query": SUBSCRIBE, "variables": {"id": gid("Contest", contest.id)}},
            headers={"authorization": _bearer(manager), "accept": "application/json"},
        )

    assert response.status_code == 406
    assert "text/event-stream" in response.json()["errors"][0]["message"]


@pytest.mark.parametrize(
    ("who", "status"), [(None, 401), ("judge", 403)], ids=["anonymous", "judge"]
)
async def test_an_http_stream_is_refused_as_a_websocket_would_be(
    port: int, contest: Contest, who: str | None, status: int
) -> None:
    headers = {"accept": "text/event-stream"}
    if who:
        headers["authorization"] = _bearer(await make_user(who))
    async with httpx.AsyncClient(base_url=f"http://{HOST}:{port}") as http:
        response = await http.post(
            "/graphql",
            json={"query": SUBSCRIBE, "variables": {"id": gid("Contest", contest.id)}},
            headers=headers,
        )

    assert response.status_code == status
    assert response.json()["errors"][0]["message"]


async def test_the_scoreboard_streams_over_server_sent_events(app: FastAPI) -> None:
    cw = await make_contest_world()
    entry = await shortlisted_entry(cw, "สวนสุขภาพ")
    body = {"query": SUBSCRIBE, "variables": {"id": gid("Contest", cw.contest.id)}}
    headers = {"accept": "text/event-stream", "authorization": _bearer(cw.manager)}

    async with (
        in_process(app) as port,
        httpx.AsyncClient(base_url=f"http://{HOST}:{port}") as http,
        http.stream("POST", "/graphql", json=body, headers=headers) as response,
    ):
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        events: asyncio.Queue[dict[str, Any]] = asyncio.Queue()

        async def read() -> None:
            async for line in response.aiter_lines():
                if line.startswith("data: "):
                    await events.put(json.loads(line.removeprefix("data: ")))

        reader = asyncio.create_task(read())
        try:
            # The subscription starts listening asynchronously: announce until a push arrives.
            for _ in range(100):
                await scoreboard.publish(cw.contest.id, entry.id)
                try:
                    event = await asyncio.wait_for(events.get(), timeout=0.2)
                    break
                except TimeoutError:
                    continue
        finally:
            reader.cancel()

    assert event["data"]["contestScoreboard"]["entry"]["id"] == gid("Entry", entry.id)


async def test_a_multipart_subscription_streams_for_a_manager(
    port: int, contest: Contest, manager: User
) -> None:
    body = {"query": SUBSCRIBE, "variables": {"id": gid("Contest", contest.id)}}
    headers = {
        "accept": "multipart/mixed;subscriptionSpec=1.0,application/json",
        "authorization": _bearer(manager),
    }

    async with (
        httpx.AsyncClient(base_url=f"http://{HOST}:{port}") as http,
        http.stream("POST", "/graphql", json=body, headers=headers) as response,
    ):
        first = await asyncio.wait_for(anext(response.aiter_text()), timeout=5)

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("multipart/mixed")
    assert first.endswith("{}\r\n--graphql")  # the first part: a heartbeat


async def _first_update(socket: Any, contest_id: int, entry_id: int) -> dict[str, Any]:
    """The first message after the subscription starts listening (asynchronously, so the
    update is announced until something arrives)."""
    for _ in range(100):
        await scoreboard.publish(contest_id, entry_id)
        try:
            return await asyncio.wait_for(_text(socket), timeout=0.2)
        except TimeoutError:
            continue
    raise AssertionError("no message")


@pytest.mark.parametrize("ending", ["logout", "role withdrawn"])
async def test_a_subscription_ends_with_the_session_or_the_right_that_opened_it(
    port: int, ending: str
) -> None:
    cw = await make_contest_world()
    entry = await shortlisted_entry(cw, "สวนสุขภาพ")
    socket = await _open(port, {"payload": {"authorization": _bearer(cw.manager)}})
    try:
        assert (await _text(socket))["type"] == "connection_ack"
        await socket.send(_subscribe(gid("Contest", cw.contest.id)))
        assert (await _first_update(socket, cw.contest.id, entry.id))["type"] == "next"
        if ending == "logout":
            await UserSession.filter(user_id=cw.manager.id).update(ended_at=datetime.now(UTC))
        else:
            await RoleGrant.filter(user_id=cw.manager.id).delete()

        ended = await _first_update(socket, cw.contest.id, entry.id)
        completed = await _text(socket)
    finally:
        await socket.close()

    # The stream's last result carries the error (what the SSE transport sends too), then the
    # operation completes: nothing more of the scoreboard reaches the connection.
    assert ended["type"] == "next" and ended["payload"]["data"] is None, ended
    code = {"logout": "UNAUTHENTICATED", "role withdrawn": "FORBIDDEN"}[ending]
    assert ended["payload"]["errors"][0]["extensions"]["code"] == code
    assert completed == {"id": "1", "type": "complete"}
