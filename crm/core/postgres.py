"""PostgreSQL: the team database on a server, opened with psycopg 3.

The driver is an optional extra (``pip install 'passaparola[team]'``): it is
imported only when a ``postgresql://`` URL is opened, and its absence is said
in words. Before a schema upgrade the tables are copied into a schema of their
own on the same server (no ``pg_dump`` needed), so a failed or unwanted
upgrade can be undone by hand.
"""

from __future__ import annotations

import functools
import re
import time
from typing import TYPE_CHECKING, Any

from crm.core import clock
from crm.core.errors import DatabaseError

if TYPE_CHECKING:
    from peewee import Database, PostgresqlDatabase

INSTALL_HINT = "pip install 'passaparola[team]'"
# Where the safety copy made before an upgrade goes: crm_before_v<N>_<stamp>.
SAFETY_SCHEMA_PREFIX = "crm_before_v"
_IDENT = re.compile(r"^[a-z_][a-z0-9_]*$")


def driver_missing_message(where: str) -> str:
    return (
        f"Cannot open {where}: PostgreSQL needs the psycopg driver, which is not installed. "
        f"Install it with: {INSTALL_HINT}"
    )


def require_driver(where: str) -> None:
    """Refuse with a :class:`DatabaseError` that says what to install when psycopg is missing."""
    try:
        import psycopg  # noqa: F401
    except ImportError as exc:
        raise DatabaseError(driver_missing_message(where)) from exc
    from crm.core import lean_peewee

    lean_peewee.enable_postgres()  # peewee may have been loaded without it


def connect_kwargs(url: str) -> dict[str, Any]:
    """peewee's connection arguments from ``postgresql://user:pw@host:port/db?opt=...``."""
    from urllib.parse import urlparse

    from playhouse.db_url import parseresult_to_dict

    parsed = urlparse(url)
    kwargs: dict[str, Any] = parseresult_to_dict(parsed, unquote_password=True, unquote_user=True)
    if not kwargs.get("database"):
        raise DatabaseError(
            f"'{parsed.scheme}://{parsed.hostname or ''}{parsed.path}' names no database: "
            "use postgresql://user@host/dbname"
        )
    return kwargs


@functools.lru_cache(maxsize=1024)
def translate(sql: str) -> str:
    """Raw SQL written for SQLite (``?`` marks) in psycopg's style (``%s``, ``%%``).

    peewee's own statements already use ``%s`` and carry no literal ``%`` or
    ``?``; they are returned as they are. In raw SQL, ``?`` outside quotes is a
    parameter and every ``%`` is doubled.
    """
    if "?" not in sql and "%" not in sql.replace("%s", ""):
        return sql
    out = []
    quote = ""
    i, n = 0, len(sql)
    while i < n:
        ch = sql[i]
        i += 1
        if quote:
            if ch == quote:
                quote = ""
        elif ch in "'\"":
            quote = ch
        elif ch == "?":
            out.append("%s")
            continue
        elif ch == "%" and sql[i : i + 1] == "s":
            out.append("%s")  # peewee's own parameter in a statement with raw parts
            i += 1
            continue
        out.append("%%" if ch == "%" else ch)
    return "".join(out)


class RawConnection:
    """A psycopg connection that runs SQL written for SQLite's ``sqlite3`` module.

    ``set_trace_callback`` works as sqlite3's does (each statement the
    database runs, through peewee or here, is passed to it): the tests count
    queries with it on both backends.
    """

    def __init__(self, conn: Any, database: Any) -> None:
        self._conn = conn
        self._database = database

    def __getattr__(self, name: str) -> Any:
        return getattr(self._conn, name)

    def set_trace_callback(self, callback: Any) -> None:
        self._database.trace = callback

    def _traced(self, sql: str) -> str:
        if self._database.trace is not None:
            self._database.trace(sql)
        return translate(sql)

    def _written(self, sql: str, params: Any) -> None:
        """The database's query hooks told of a statement run here, as peewee tells them.

        The bulk writers (the importer) come here past peewee: without this the
        live-updates hook (:mod:`crm.core.changes`) would send no NOTIFY for them.
        """
        if self._database.query_hooks:
            self._database._notify_hooks(sql, params, time.perf_counter(), None)

    def execute(self, sql: str, params: Any = ()) -> Any:
        cursor = self._conn.execute(self._traced(sql), params)
        self._written(sql, params)
        return cursor

    def executemany(self, sql: str, rows: Any) -> Any:
        cursor = self._conn.cursor()
        rows = list(rows)
        cursor.executemany(self._traced(sql), rows)
        if rows:
            # Many rows: the hook tells the kind ("any row"), not each one.
            self._written(sql, ())
        return cursor


def database(url: str, where: str) -> PostgresqlDatabase:
    """A peewee handle on the server at ``url`` (not yet connected)."""
    require_driver(where)
    from peewee import PostgresqlDatabase

    class TeamDatabase(PostgresqlDatabase):
        """PostgreSQL that also runs the core's raw SQL written with ``?`` marks.

        ``connection()`` gives the bulk writers a connection with SQLite's
        ``execute``/``executemany`` that takes the same SQL.
        """

        trace: Any = None

        def execute_sql(self, sql: str, params: Any = None, *args: Any, **kwargs: Any) -> Any:
            if self.trace is not None:
                self.trace(sql)
            return super().execute_sql(translate(sql), params, *args, **kwargs)

        def connection(self) -> Any:
            return RawConnection(super().connection(), self)

    kwargs = connect_kwargs(url)
    name = kwargs.pop("database")
    kwargs.setdefault("connect_timeout", 10)
    return TeamDatabase(name, prefer_psycopg3=True, **kwargs)


def safety_copy(db: Database, from_version: int) -> str:
    """Copy every table of the current schema into a new schema; its name.

    ``CREATE TABLE ... AS TABLE`` keeps the rows (not the indexes or
    constraints): enough to put the data back if an upgrade goes wrong. A role
    that may not create schemas is refused the upgrade, with the reason.
    """
    stamp = clock.now().strftime("%Y%m%d_%H%M%S")
    target = f"{SAFETY_SCHEMA_PREFIX}{from_version}_{stamp}"
    tables = [t for t in db.get_tables() if _IDENT.match(t)]
    try:
        with db.atomic():
            db.execute_sql(f'CREATE SCHEMA "{target}"')
            for table in tables:
                db.execute_sql(f'CREATE TABLE "{target}"."{table}" AS TABLE "{table}"')
    except Exception as exc:
        raise DatabaseError(
            f"Before upgrading, Passaparola copies the tables into a new schema '{target}' "
            f"on the server, and that failed: {exc}".rstrip(". ")
            + ". Ask the database's owner to allow CREATE on the database, or to upgrade it; "
            "the database was not changed."
        ) from exc
    return target


# SQLite's functions the core's SQL uses, defined on the server with SQLite's
# meaning, so that one SQL string serves both (created with the schema).
COMPAT_FUNCTIONS = (
    """CREATE OR REPLACE FUNCTION crm_concat_step(acc text, val anyelement, sep text)
    RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN val IS NULL THEN acc WHEN acc IS NULL THEN val::text
                ELSE acc || sep || val::text END $$""",
    """CREATE OR REPLACE FUNCTION crm_concat_step(acc text, val anyelement)
    RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN val IS NULL THEN acc WHEN acc IS NULL THEN val::text
                ELSE acc || ',' || val::text END $$""",
    "CREATE OR REPLACE AGGREGATE group_concat(anyelement, text) "
    "(SFUNC = crm_concat_step, STYPE = text)",
    "CREATE OR REPLACE AGGREGATE group_concat(anyelement) (SFUNC = crm_concat_step, STYPE = text)",
)


def create_functions(db: Database) -> None:
    """Define :data:`COMPAT_FUNCTIONS` in the database's current schema."""
    for statement in COMPAT_FUNCTIONS:
        db.execute_sql(statement)


def move_sequences(db: Any, tables: Any) -> None:
    """After rows were written with ids of their own, each serial id continues past them.

    ``tables``: models, or table names whose primary key is ``id``. Nothing to
    do on SQLite, whose next id is always the largest plus one.
    """
    from peewee import AutoField

    from crm.core.db import is_postgres

    if not is_postgres(db):
        return
    for item in tables:
        if isinstance(item, str):
            table, column = item, "id"
        else:
            pk = item._meta.primary_key
            if not isinstance(pk, AutoField):
                continue
            table, column = item._meta.table_name, pk.column_name
        db.execute_sql(
            f"SELECT setval(pg_get_serial_sequence('{table}', '{column}'), "
            f"COALESCE((SELECT max({column}) FROM {table}), 0) + 1, false)"
        )
