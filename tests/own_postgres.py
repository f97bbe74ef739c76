"""A PostgreSQL server of the test's own (Debian's binaries, a temporary folder, a free port on
loopback), so that stopping and restarting it disturbs neither the rest of the suite nor the
machine's server. initdb refuses to run as root: there it runs as the ``postgres`` user."""

import asyncio
import os
import shutil
import tempfile
from pathlib import Path

from tests.live import HOST, free_port


def _bin(program: str) -> str:
    """``program`` of the newest PostgreSQL installed (Debian's layout)."""
    versions = Path("/usr/lib/postgresql").glob("*/bin")
    return str(max(versions, key=lambda p: int(p.parent.name)) / program)


class OwnPostgres:
    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="lohub-pg-"))
        self.data = self.folder / "data"
        self.port = free_port()
        self.running = False

    def url(self, database: str = "postgres") -> str:
        return f"postgres://postgres@{HOST}:{self.port}/{database}"

    async def _run(self, *command: str) -> str:
        as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        process = await asyncio.create_subprocess_exec(
            *as_postgres,
            *command,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
        )
        output, _ = await process.communicate()
        if process.returncode != 0:
            raise RuntimeError(f"{command[0]} failed: {output.decode(errors='replace')}")
        return output.decode(errors="replace")

    async def initialise(self) -> None:
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres", "postgres")
        await self._run(
            _bin("initdb"),
            *("-D", str(self.data), "-U", "postgres", "-A", "trust"),
            *("-E", "UTF8", "--locale=C.UTF-8", "--no-sync"),
        )

    async def start(self) -> None:
        # fsync off for speed: a clean stop (what these tests do) still writes everything.
        options = (
            f"-p {self.port} -k {self.folder} -c listen_addresses={HOST} -c fsync=off "
            "-c full_page_writes=off -c max_connections=60"
        )
        await self._run(
            _bin("pg_ctl"),
            *("-D", str(self.data), "-l", str(self.folder / "server.log"), "-o", options),
            *("-w", "-t", "30", "start"),
        )
        self.running = True

    async def stop(self, mode: str = "fast") -> None:
        await self._run(_bin("pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop")
        self.running = False

    async def copy_database(self, source_url: str, database: str) -> None:
        """``database`` here, created from a dump of ``source_url``'s database."""
        await self._run(_bin("createdb"), "-h", HOST, "-p", str(self.port), "-U", "postgres",
                        "-T", "template0", "-E", "UTF8", database)  # fmt: skip
        dump = self.folder / "copy.dump"
        await self._run(_bin("pg_dump"), "-Fc", "--no-owner", "-f", str(dump), source_url)
        await self._run(_bin("pg_restore"), "--no-owner", "-d", self.url(database), str(dump))

    async def discard(self) -> None:
        if self.running:
            await self.stop("immediate")
        shutil.rmtree(self.folder, ignore_errors=True)
