"""What went wrong with a database, in words: SQLite's failures named, and the integrity check.

SQLite reports a busy, read-only, full or damaged file with terse codes, and a
failed write often surfaces as a second error ("cannot rollback - no
transaction is active") that hides the first; :func:`explain` finds the cause
in the exception chain and says what it means and what to do.
"""

from __future__ import annotations

import errno
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from crm.core.errors import DatabaseError
from crm.i18n import N_, Term

if TYPE_CHECKING:
    from crm.core.db import Store

# SQLite's primary result codes (sqlite3.h) and the words of its messages, for
# errors that carry no code (peewee's copies of them).
_CODES = {
    5: "busy",
    6: "busy",
    8: "readonly",
    10: "ioerr",
    11: "corrupt",
    13: "full",
    14: "cantopen",
    26: "notadb",
}
_WORDS = (
    ("database is locked", "busy"),
    ("database table is locked", "busy"),
    ("readonly database", "readonly"),
    ("disk is full", "full"),
    ("disk i/o error", "ioerr"),
    ("malformed", "corrupt"),
    ("file is not a database", "notadb"),
    ("unable to open database file", "cantopen"),
)
_OS_ERRORS = {
    errno.EROFS: "readonly",
    errno.EACCES: "readonly",
    errno.EPERM: "readonly",
    errno.ENOSPC: "full",
    errno.EFBIG: "full",
    errno.EDQUOT: "full",
}
RESTORE_HINT = N_("restore a backup with: crm restore FILE --yes")


def _chain(exc: BaseException) -> Iterator[BaseException]:
    """``exc`` and the errors behind it, the original first."""
    seen: list[BaseException] = []
    todo: list[BaseException | None] = [exc]
    while todo:
        item = todo.pop()
        if item is None or any(item is s for s in seen):
            continue
        seen.append(item)
        todo += [item.__context__, item.__cause__]
    return reversed(seen)


def kind(exc: BaseException) -> str | None:
    """What failed: busy, readonly, full, ioerr, corrupt, notadb, cantopen; else None."""
    for item in _chain(exc):
        found = _kind_of(item)
        if found is not None:
            return found
    return None


def from_database(exc: BaseException) -> bool:
    """Whether SQLite (or peewee) raised ``exc`` or an error behind it."""
    return any(_is_database_error(item) for item in _chain(exc))


def _kind_of(exc: BaseException) -> str | None:
    if isinstance(exc, OSError) and not isinstance(exc, sqlite3.Error):
        return _OS_ERRORS.get(exc.errno or 0)
    if not _is_database_error(exc):
        return None
    code = getattr(exc, "sqlite_errorcode", None)
    if isinstance(code, int) and code & 0xFF in _CODES:
        return _CODES[code & 0xFF]
    text = str(exc).casefold()
    return next((k for words, k in _WORDS if words in text), None)


def _is_database_error(exc: BaseException) -> bool:
    if isinstance(exc, sqlite3.Error):
        return True
    try:
        import peewee
    except ImportError:  # pragma: no cover - peewee is a dependency
        return False
    return isinstance(exc, peewee.PeeweeException)


def explain(
    exc: BaseException, where: str, busy_seconds: float | None = None
) -> DatabaseError | None:
    """A :class:`DatabaseError` saying what ``exc`` means for the database at ``where``.

    None when nothing in ``exc``'s chain is a database failure this module knows.
    """
    found = kind(exc)
    if found is None:
        return None
    if busy_seconds is None:
        from crm.core.db import busy_timeout_ms

        busy_seconds = busy_timeout_ms() / 1000
    return DatabaseError(
        code=f"db_problems.{found}", where=where, seconds=busy_seconds, hint=Term(RESTORE_HINT)
    )


def check(store: Store) -> list[str]:
    """Problems found by SQLite's integrity and foreign-key checks ([] when sound).

    PostgreSQL checks its pages and foreign keys itself; there the search
    index is checked against the contacts.
    """
    from crm.core import search

    if not store.is_sqlite:
        return _server_check(store)

    database = store.db
    problems = _integrity(database.execute_sql, store.target.describe())
    try:
        database.execute_sql(
            f"INSERT INTO {search.FTS_TABLE}({search.FTS_TABLE}) VALUES ('integrity-check')"
        )
    except Exception as exc:
        # The search index checks itself only through a write: a read-only file skips it.
        if kind(exc) not in ("readonly", "cantopen"):
            problems.append(f"search index: {exc}")
    return problems


def _server_check(store: Store) -> list[str]:
    """On PostgreSQL: every contact has its row in the search index, and no other row is there."""
    from crm.core import search

    execute = store.db.execute_sql
    table = search.FTS_TABLE
    (missing,) = execute(
        f"SELECT count(*) FROM contact c WHERE NOT EXISTS "
        f"(SELECT 1 FROM {table} f WHERE f.rowid = c.id)"
    ).fetchone()
    (stray,) = execute(
        f"SELECT count(*) FROM {table} f WHERE NOT EXISTS "
        f"(SELECT 1 FROM contact c WHERE c.id = f.rowid)"
    ).fetchone()
    problems = []
    if missing:
        problems.append(f"search index: {missing} contacts are missing from it")
    if stray:
        problems.append(f"search index: {stray} rows name no contact")
    return problems


def check_file(path: Path) -> list[str]:
    """Problems of a SQLite file that cannot be opened as a database, read without writing."""
    try:
        with path.open("rb") as fh:
            header = fh.read(16)
    except OSError as exc:
        return [f"cannot read {path}: {exc.strerror}"]
    if header != b"SQLite format 3\x00":
        return [f"{path} is not a SQLite database (its first bytes are not SQLite's)"]
    uri = f"file:{quote(str(path.resolve()))}"
    problems: list[str] = []
    # Read-only; when not even that opens (a read-only folder without the WAL's index
    # file), read the file as it is.
    for mode in ("?mode=ro", "?immutable=1"):
        try:
            conn = sqlite3.connect(uri + mode, uri=True)
        except sqlite3.Error as exc:
            problems = [f"cannot open {path}: {exc}"]
            continue
        try:
            return _integrity(conn.execute, str(path))
        finally:
            conn.close()
    return problems


def _integrity(execute: Callable[..., Any], where: str) -> list[str]:
    """Every row ``PRAGMA integrity_check`` and ``foreign_key_check`` report, as lines."""
    problems: list[str] = []
    try:
        rows = execute("PRAGMA integrity_check").fetchall()
        problems += [str(r[0]) for r in rows if r[0] != "ok"]
    except Exception as exc:
        problems.append(_said(exc, where))
        return problems
    try:
        for table, rowid, parent, _fk in execute("PRAGMA foreign_key_check").fetchall():
            problems.append(f"{table} row {rowid} points to a missing {parent}")
    except Exception as exc:
        problems.append(_said(exc, where))
    return problems


def _said(exc: BaseException, where: str) -> str:
    problem = explain(exc, where)
    return f"{exc}" if problem is None or kind(exc) == "corrupt" else problem.message
