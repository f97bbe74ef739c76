"""``lohub storage copy``: every stored file from one backend to another (a folder to a bucket,
or back), under the same keys, so that switching ``LOHUB_STORAGE_URL`` afterwards needs no
change in the database.

Each file is checked against the SHA-256 LO Hub keeps: read from the source and hashed before
it is written, and asked of the destination after. A file the destination already holds with
the right checksum is skipped, so an interrupted copy is resumed by running it again. Deleted
documents are copied too: their bytes stay for the audit trail.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from models.document import Document
from models.work import WorkFile
from services import documents, work_files
from services.storage import FileFacts, Storage, StoredFileMissing, sha256_of


@dataclass
class CopyReport:
    copied: int = 0
    already_there: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.copied + self.already_there + len(self.problems)


async def stored_files() -> list[tuple[str, FileFacts]]:
    """The key and facts of every file with bytes in storage, in a stable order."""
    found = [
        (document.storage_key, documents.facts_of(document))
        for document in await Document.all().order_by("id")
    ]
    found += [
        (file.storage_key, work_files.facts_of(file))
        for file in await WorkFile.filter(storage_key__isnull=False).order_by("id")
        if file.storage_key
    ]
    return found


async def copy_files(
    source: Storage,
    destination: Storage,
    progress: Callable[[CopyReport, int], None] | None = None,
) -> CopyReport:
    """Copy what ``destination`` lacks; ``progress(report, of)`` after each file."""
    report = CopyReport()
    files = await stored_files()
    for key, facts in files:
        problem = await _copy_one(key, facts, source, destination, report)
        if problem:
            report.problems.append(f"{key}: {problem}")
        if progress:
            progress(report, len(files))
    return report


async def _copy_one(
    key: str, facts: FileFacts, source: Storage, destination: Storage, report: CopyReport
) -> str | None:
    if await destination.checksum(key) == facts.sha256:
        report.already_there += 1
        return None
    try:
        data = await source.read(key)
    except StoredFileMissing:
        return "missing from the source"
    if sha256_of(data) != facts.sha256:
        return "the source's bytes do not match the SHA-256 on record; not copied"
    await destination.put(key, data, facts)
    if await destination.checksum(key) != facts.sha256:
        return "the destination's checksum does not match after the copy"
    report.copied += 1
    return None
