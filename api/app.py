"""The FastAPI application factory."""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.staticfiles import StaticFiles

from api import contest_exports, exports, feeds, files, health, oidc, work_files
from api.context import get_context
from api.db import close_db, init_db
from api.graphql_http import GRAPHIQL_ASSETS, LoHubGraphQLRouter
from api.logging import configure_logging
from api.middleware import (
    BodySizeLimitMiddleware,
    RequestContextMiddleware,
    ServiceUnavailableMiddleware,
)
from api.public.routes import router as public_router
from api.report_exports import router as report_exports_router
from schema.schema import build_schema
from services import notices, outbox, publishing, reminders
from services.search import check_postgres_ctype
from services.settings import Settings, get_settings
from services.storage import close_storage


def create_app(settings: Settings | None = None, *, manage_database: bool = True) -> FastAPI:
    """The API. ``manage_database=False`` leaves opening the ORM to the caller (tests)."""
    settings = settings or get_settings()
    configure_logging(settings.log_level)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        if not manage_database:
            yield
            return
        await init_db(settings.database_url)
        await check_postgres_ctype()
        # The embedded default runs the publishing worker in-process; elsewhere `lohub worker`.
        stop = asyncio.Event()
        dispatcher = (
            asyncio.create_task(run_dispatcher(settings, stop))
            if outbox.dispatcher_enabled(settings)
            else None
        )
        try:
            yield
        finally:
            stop.set()
            if dispatcher:
                await dispatcher
            await close_storage()
            await close_db()

    app = FastAPI(
        title="LO Hub",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
    )
    app.state.settings = settings
    graphql = LoHubGraphQLRouter(
        build_schema(settings),
        context_getter=get_context,
        graphql_ide="graphiql" if settings.graphiql_enabled else None,
        multipart_uploads_enabled=True,
    )
    app.include_router(graphql, prefix="/graphql")
    if settings.graphiql_enabled:
        app.mount("/graphiql", StaticFiles(directory=GRAPHIQL_ASSETS), name="graphiql")
    app.include_router(health.router)
    app.include_router(files.router)
    app.include_router(exports.router)
    app.include_router(feeds.router)
    app.include_router(work_files.router)
    app.include_router(contest_exports.router)
    app.include_router(report_exports_router)
    app.include_router(public_router)
    app.mount(oidc.PATH, oidc.application(settings))
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST"],
            # So a fetch() of /files/… can name the download.
            expose_headers=["content-disposition", "x-request-id"],
            allow_headers=[
                "authorization",
                "content-type",
                "accept-language",
                "x-request-id",
                # A multipart upload must carry one of these (CSRF), see api/graphql_http.py.
                "graphql-require-preflight",
                "apollo-require-preflight",
                "x-requested-with",
            ],
        )
    app.add_middleware(
        BodySizeLimitMiddleware,
        max_bytes=settings.max_body_bytes,
        # A multipart upload carries a file, so it may be as large as a file may be.
        max_multipart_bytes=settings.max_upload_bytes + settings.max_body_bytes,
    )
    app.add_middleware(ServiceUnavailableMiddleware)
    app.add_middleware(RequestContextMiddleware)
    return app


# The outbox's handlers, registered as their modules load: publishing's, the reminders' and the
# status-change notices'.
OUTBOX_HANDLERS = (publishing.delivery, reminders, notices.delivery)


async def run_dispatcher(settings: Settings, stop: asyncio.Event) -> None:
    """The outbox worker until ``stop`` is set (``lohub worker`` runs the same loop)."""
    async with outbox.http_client(settings) as client:
        dispatcher = outbox.Dispatcher(
            client,
            outbox.RetryPolicy.from_settings(settings),
            scan_seconds=settings.reminder_scan_seconds,
        )
        await dispatcher.run(stop)


app = create_app()
