"""The hand-written peer: Starlette + asyncpg + orjson, answering the works page with the same
JSON as LO Hub's `works(first: N) { nodes { id titleTh registryNumber unit { code nameTh }
authors { nameTh } } }` (works newest year first, then newest id, as LO Hub orders them).
It is what the database and a JSON encoder cost: no GraphQL, no sign-in, no visibility rule.

    BENCH_PEER_DATABASE_URL=postgresql://… uvicorn bench.peer.handwritten:app
"""

import base64
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import asyncpg
import orjson
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

WORKS = """
SELECT w.id, w.title_th, w.registry_number, u.code, u.name_th
FROM work w JOIN unit u ON u.id = w.unit_id
ORDER BY w.fiscal_year DESC, w.id DESC
LIMIT $1"""
AUTHORS = """
SELECT work_id, name_th FROM work_author WHERE work_id = ANY($1::int[])
ORDER BY work_id, position"""
POOL_SIZE = 4  # one per connection of the load


def global_id(type_name: str, pk: int) -> str:
    """The relay global id LO Hub gives a node."""
    return base64.b64encode(f"{type_name}:{pk}".encode()).decode()


async def works(request: Request) -> Response:
    first = int(orjson.loads(await request.body() or b"{}").get("first", 100))
    pool: asyncpg.Pool = request.app.state.pool
    async with pool.acquire() as connection:
        rows = await connection.fetch(WORKS, first)
        authors: dict[int, list[dict[str, str]]] = {row["id"]: [] for row in rows}
        for author in await connection.fetch(AUTHORS, list(authors)):
            authors[author["work_id"]].append({"nameTh": author["name_th"]})
    nodes = [
        {
            "id": global_id("Work", row["id"]),
            "titleTh": row["title_th"],
            "registryNumber": row["registry_number"],
            "unit": {"code": row["code"], "nameTh": row["name_th"]},
            "authors": authors[row["id"]],
        }
        for row in rows
    ]
    body = orjson.dumps({"data": {"works": {"nodes": nodes}}})
    return Response(body, media_type="application/json")


@asynccontextmanager
async def lifespan(app: Starlette) -> AsyncIterator[None]:
    url = os.environ["BENCH_PEER_DATABASE_URL"].replace("postgres://", "postgresql://", 1)
    app.state.pool = await asyncpg.create_pool(url, min_size=POOL_SIZE, max_size=POOL_SIZE)
    try:
        yield
    finally:
        await app.state.pool.close()


app = Starlette(routes=[Route("/works", works, methods=["POST"])], lifespan=lifespan)
