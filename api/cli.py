"""The `lohub` command: serve, migrate, demo, create-user, export-schema, worker, secrets."""

import argparse
import asyncio
import getpass
import os
import secrets
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path

from api.db import close_db, init_db, tortoise_config
from api.settings import get_settings
from models.user import Role

SCHEMA_FILE = Path("schema.graphql")


def _with_db(work: Callable[[], Awaitable[None]]) -> None:
    async def run() -> None:
        await init_db(get_settings().database_url)
        try:
            await work()
        finally:
            await close_db()

    asyncio.run(run())


def migrate(_: argparse.Namespace) -> None:
    from tortoise.migrations.api import migrate as migrate_api

    def progress(event: str, app_label: str, name: str) -> None:
        if event == "apply_done":
            print(f"applied {app_label}.{name}")

    async def work() -> None:
        await migrate_api(config=tortoise_config(get_settings().database_url), progress=progress)

    _with_db(work)
    print("database is up to date")


def demo(args: argparse.Namespace) -> None:
    from services.demo import load_demo

    async def work() -> None:
        password = os.environ.get("LOHUB_DEMO_ADMIN_PASSWORD") or secrets.token_urlsafe(12)
        created = await load_demo(admin_password=password, reset_password=args.reset_password)
        if created:
            print(f"demo admin: username `admin`, password `{password}`")
            print("committee accounts osd.m1 (chair) … osd.m9 (osd.m8 secretary), same password")
        else:
            print("demo data already loaded; admin password unchanged (use --reset-password)")

    _with_db(work)


def create_user(args: argparse.Namespace) -> None:
    from services.errors import DomainError
    from services.messages import render
    from services.users import ensure_user

    password = args.password or os.environ.get("LOHUB_NEW_USER_PASSWORD")
    if not password:
        password = getpass.getpass("password: ") if sys.stdin.isatty() else sys.stdin.readline()
    password = password.strip()

    async def work() -> None:
        try:
            created = await ensure_user(
                username=args.username,
                password=password,
                display_name=args.display_name or args.username,
                roles=frozenset(Role(r) for r in args.role),
            )
        except DomainError as error:
            for problem in error.problems:
                field = ".".join(problem.field or ())
                print(
                    f"{field}: {render(problem.message_key, 'en', problem.params)}", file=sys.stderr
                )
            raise SystemExit(2) from None
        print("created" if created else f"user {args.username} already exists")

    _with_db(work)


def export_schema(args: argparse.Namespace) -> None:
    from schema.schema import build_schema

    text = build_schema(get_settings()).as_str() + "\n"
    Path(args.output).write_text(text, encoding="utf-8")
    print(f"wrote {args.output}")


def serve(args: argparse.Namespace) -> None:
    import uvicorn

    uvicorn.run(
        "api.app:app",
        host=args.host,
        port=args.port,
        workers=args.workers,
        log_config=None,
        # Client addresses are decided by api/middleware.py's client_address alone, from
        # LOHUB_TRUSTED_PROXIES; uvicorn's FORWARDED_ALLOW_IPS is not used.
        proxy_headers=False,
    )


def rotate_secrets(_: argparse.Namespace) -> None:
    from services.encryption import rotate_stored_secrets

    async def work() -> None:
        count = await rotate_stored_secrets()
        print(f"re-encrypted {count} stored secrets under the first key of LOHUB_SECRET_KEYS")

    _with_db(work)


def new_secret_key(_: argparse.Namespace) -> None:
    from services.encryption import new_key

    print(new_key())


def worker(args: argparse.Namespace) -> None:
    """Publishing worker: drains the outbox until SIGINT or SIGTERM (several may run)."""
    import signal

    from api.app import run_dispatcher
    from services.search import check_postgres_ctype

    async def work() -> None:
        await check_postgres_ctype()
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stop.set)
        print("publishing worker started; Ctrl-C stops it", flush=True)
        await run_dispatcher(get_settings(), stop)

    _with_db(work)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="lohub", description="LO Hub service")
    commands = parser.add_subparsers(dest="command", required=True)

    p = commands.add_parser("serve", help="serve the API")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--workers", type=int, default=1)
    p.set_defaults(run=serve)

    commands.add_parser("migrate", help="apply pending database migrations").set_defaults(
        run=migrate
    )

    p = commands.add_parser("demo", help="load demo data (idempotent)")
    p.add_argument("--reset-password", action="store_true", help="set a new admin password")
    p.set_defaults(run=demo)

    p = commands.add_parser("create-user", help="create a user account")
    p.add_argument("username")
    p.add_argument("--display-name")
    p.add_argument("--role", action="append", default=[], choices=[r.value for r in Role])
    p.add_argument("--password", help="else LOHUB_NEW_USER_PASSWORD, a prompt or stdin")
    p.set_defaults(run=create_user)

    p = commands.add_parser("export-schema", help="write the GraphQL schema (SDL)")
    p.add_argument("--output", default=str(SCHEMA_FILE))
    p.set_defaults(run=export_schema)

    commands.add_parser(
        "worker", help="run the publishing worker (outbox → website, Facebook, LINE)"
    ).set_defaults(run=worker)

    commands.add_parser(
        "rotate-secrets",
        help="re-encrypt the secrets stored in the database under the first LOHUB_SECRET_KEYS key",
    ).set_defaults(run=rotate_secrets)

    commands.add_parser(
        "new-secret-key", help="print a new key for LOHUB_SECRET_KEYS"
    ).set_defaults(run=new_secret_key)

    args = parser.parse_args(argv)
    args.run(args)
