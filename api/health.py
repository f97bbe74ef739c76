"""Probes and metrics: /healthz (the process answers), /readyz (database and migrations),
/metrics (Prometheus text format: with ``LOHUB_METRICS_TOKEN`` set, only for a scraper sending
it as a bearer token; without one, open in development and absent in production)."""

import hmac
import logging

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from tortoise import connections

from api.db import pending_migrations
from services.settings import Settings

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
async def metrics(request: Request) -> Response:
    settings: Settings = request.app.state.settings
    token = settings.metrics_token.get_secret_value() if settings.metrics_token else ""
    if not token and settings.env == "production":
        return JSONResponse({"errors": [{"message": "Not found"}]}, status_code=404)
    if token:
        scheme, _, given = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(given.encode(), token.encode()):
            return JSONResponse(
                {"errors": [{"message": "A bearer token is needed"}]},
                status_code=401,
                headers={"WWW-Authenticate": "Bearer"},
            )
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)
