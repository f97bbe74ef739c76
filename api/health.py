"""Probes and metrics: /healthz (the process answers), /readyz (database and migrations),
/metrics (Prometheus text format)."""

import logging

from fastapi import APIRouter, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from tortoise import connections

from api.db import pending_migrations

router = APIRouter()
log = logging.getLogger("lohub.health")


@router.get("/healthz", include_in_schema=False)
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz", include_in_schema=False)
async def readyz() -> JSONResponse:
    try:
        await connections.get("default").execute_query("SELECT 1")
    except Exception as error:  # any driver error means "not ready", said plainly
        log.warning("database unreachable: %s", error)
        return _not_ready(f"database unreachable: {type(error).__name__}")
    pending = await pending_migrations()
    if pending:
        return _not_ready(f"migrations pending: {', '.join(pending)}")
    return JSONResponse({"status": "ready"})


def _not_ready(reason: str) -> JSONResponse:
    return JSONResponse({"status": "unavailable", "reason": reason}, status_code=503)


@router.get("/metrics", include_in_schema=False)
async def metrics() -> Response:
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)
