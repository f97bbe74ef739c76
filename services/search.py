"""Thai full-text search over works: one normalisation for what is indexed and what is asked,
and the dialect's index behind one function.

Thai is written without spaces, so word tokenizers find nothing in it. SQLite uses an FTS5
``trigram`` index (any run of 3+ code points), with LIKE for shorter queries; PostgreSQL uses
``pg_trgm`` (a GIN index serving LIKE), which only sees Thai letters as letters when the
database's LC_CTYPE is UTF-8 — checked at start-up (``check_postgres_ctype``). Results are
ranked by where the text first occurs: the title comes first in the indexed text, so title
matches rank above abstract and keyword matches.
"""

import json
import logging
import re
import unicodedata

from tortoise import connections
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.expressions import RawSQL
from tortoise.queryset import QuerySet

from services.errors import DomainError, ErrorCode

log = logging.getLogger("lohub.search")

MAX_QUERY_LENGTH = 200
TRIGRAM = 3
_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
# Control characters (NUL included) never reach the index or a query.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SPACES = re.compile(r"\s+")


def normalise(text: str) -> str:
    """NFKC (full-width Latin and digits pasted from Word become ASCII), Thai digits as ASCII,
    nikhahit + sara aa written as sara am (NFKC splits it), case folded, spaces collapsed: the
    same text however it was typed. Changing this means rebuilding the index
    (``rebuild_search_text`` in a migration)."""
    text = unicodedata.normalize("NFKC", text)
    text = text.translate(_THAI_DIGITS).replace("\u0e4d\u0e32", "\u0e33")
    text = _CONTROL.sub(" ", text).casefold()
    return _SPACES.sub(" ", text).strip()


def index_text(*parts: str | None, keywords: list[str] | tuple[str, ...] = ()) -> str:
    """What is indexed for a work: the parts in order (title first), then the keywords."""
    return normalise(" \n ".join(p for p in (*parts, *keywords) if p))


async def rebuild_search_text(connection: BaseDBAsyncClient, batch: int = 500) -> None:
    """Index every work's text again with today's ``normalise`` (SQLite's FTS5 triggers and
    PostgreSQL's trigram index follow the column)."""
    placeholder = "$1" if connection.capabilities.dialect == "postgres" else "?"
    last = 0
    while True:
        rows = await connection.execute_query_dict(
            'SELECT "id", "title_th", "title_en", "abstract_th", "abstract_en", "keywords"'
            f' FROM "work" WHERE "id" > {last} ORDER BY "id" LIMIT {batch}'
        )
        if not rows:
            return
        for row in rows:
            keywords = row["keywords"]
            text = index_text(
                row["title_th"],
                row["title_en"],
                row["abstract_th"],
                row["abstract_en"],
                keywords=json.loads(keywords) if isinstance(keywords, str) else keywords or (),
            )
            await connection.execute_query(
                f'UPDATE "work" SET "search_text" = {placeholder} WHERE "id" = {int(row["id"])}',
                [text],
            )
        last = int(rows[-1]["id"])


def query_text(search: str) -> str:
    """The normalised query, or a user error when it is empty or too long."""
    if len(search) > MAX_QUERY_LENGTH * 4:
        raise DomainError.of(
            ErrorCode.INVALID_INPUT, "search_too_long", field=("search",), max=MAX_QUERY_LENGTH
        )
    text = normalise(search)
    if not text:
        raise DomainError.of(ErrorCode.INVALID_INPUT, "search_empty", field=("search",))
    if len(text) > MAX_QUERY_LENGTH:
        raise DomainError.of(
            ErrorCode.INVALID_INPUT, "search_too_long", field=("search",), max=MAX_QUERY_LENGTH
        )
    return text


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _like_pattern(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return _literal(f"%{escaped}%")


def dialect() -> str:
    return str(connections.get("default").capabilities.dialect)


def apply_search(queryset: QuerySet, text: str) -> QuerySet:
    """``queryset`` of works narrowed to those whose indexed text contains ``text`` (already
    normalised), annotated with ``search_position`` (smaller ranks higher). Values are inlined as
    escaped SQL literals, as Tortoise's raw expressions take no parameters."""
    if dialect() == "sqlite":
        if len(text) >= TRIGRAM:
            phrase = '"' + text.replace('"', '""') + '"'
            matches = f"(SELECT rowid FROM work_search WHERE work_search MATCH {_literal(phrase)})"
        else:
            matches = (
                f"(SELECT id FROM work WHERE search_text LIKE {_like_pattern(text)} ESCAPE '\\')"
            )
        position = f"instr(search_text, {_literal(text)})"
    else:
        matches = f"(SELECT id FROM work WHERE search_text LIKE {_like_pattern(text)})"
        position = f"strpos(search_text, {_literal(text)})"
    return queryset.filter(id__in=RawSQL(matches)).annotate(search_position=RawSQL(position))


async def check_postgres_ctype() -> str | None:
    """On PostgreSQL, a warning when the database's LC_CTYPE is not UTF-8 (pg_trgm then treats
    Thai letters as separators and Thai search degrades to scanning); None when all is well."""
    connection = connections.get("default")
    if connection.capabilities.dialect != "postgres":
        return None
    rows = await connection.execute_query_dict(
        "SELECT datctype FROM pg_database WHERE datname = current_database()"
    )
    ctype = str(rows[0]["datctype"]) if rows else ""
    if re.search(r"utf-?8", ctype, re.IGNORECASE):
        return None
    message = (
        f"database LC_CTYPE is {ctype!r}, not UTF-8: pg_trgm cannot index Thai text, so Thai "
        "search will scan every work; create the database with LC_CTYPE 'C.UTF-8' or 'th_TH.UTF-8'"
    )
    log.warning(message)
    return message
