"""The database backends the tests run on: a SQLite file, or a schema on a PostgreSQL server.

Each PostgreSQL test gets a fresh schema in one database made for the test
session (``crm_test_<pid>``, dropped at the end); its URL names the schema in
``search_path``. The server is ``$CRM_TEST_PG`` (default
``postgresql://postgres@127.0.0.1:5432``); when it cannot be reached the
PostgreSQL variants are skipped with the reason.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

SERVER_ENV = "CRM_TEST_PG"
DEFAULT_SERVER = "postgresql://postgres@127.0.0.1:5432"
KINDS = ("sqlite", "postgresql")


@dataclass(frozen=True)
class Backend:
    """Where one test's database lives: ``target`` is what ``--db`` takes."""

    kind: str
    target: str
    schema: str = ""

    @property
    def is_postgres(self) -> bool:
        return self.kind == "postgresql"


class PgServer:
    """A database for this test session on the server, and an empty schema for each test.

    Creating the ~40 tables takes a second or two on a busy machine, so the
    schemas are reused: after a test its schema is emptied (rows deleted,
    sequences reset, the rows of a new database put back from the template
    schema ``tpl``), unless the test changed its tables, then it is dropped.
    """

    def __init__(self) -> None:
        self.base = os.environ.get(SERVER_ENV, DEFAULT_SERVER).rstrip("/")
        self.dbname = f"crm_test_{os.getpid()}"
        self._counter = itertools.count(1)
        self._free: list[str] = []
        self.reason = ""
        self.ready = False
        self._shape = ""
        self._seeded: list[str] = []

    def start(self) -> None:
        try:
            import psycopg
        except ImportError:
            self.reason = "psycopg is not installed (pip install 'passaparola[team]')"
            return
        try:
            with psycopg.connect(f"{self.base}/postgres", autocommit=True, connect_timeout=3) as c:
                c.execute(f'DROP DATABASE IF EXISTS "{self.dbname}"')
                c.execute(f'CREATE DATABASE "{self.dbname}"')
        except psycopg.Error as exc:
            self.reason = f"no PostgreSQL server at {self.base}: {str(exc).strip()}"
            return
        self._make("tpl")
        with self.connect() as conn:
            self._shape = self._shape_of(conn, "tpl")
            self._seeded = [t for t in self._tables(conn, "tpl") if self._has_rows(conn, "tpl", t)]
        self.ready = True

    def url(self, schema: str) -> str:
        options = quote(f"-csearch_path={schema} -csynchronous_commit=off", safe="")
        return f"{self.base}/{self.dbname}?options={options}"

    def connect(self) -> Any:
        import psycopg

        return psycopg.connect(f"{self.base}/{self.dbname}", autocommit=True)

    def _make(self, schema: str) -> None:
        from crm.core import db as dbm

        with self.connect() as conn:
            conn.execute(f"CREATE SCHEMA {schema}")
        dbm.open_database(self.url(schema)).close()

    @staticmethod
    def _tables(conn: Any, schema: str) -> list[str]:
        rows = conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = %s ORDER BY 1", (schema,)
        )
        return [r[0] for r in rows]

    @staticmethod
    def _has_rows(conn: Any, schema: str, table: str) -> bool:
        return conn.execute(f'SELECT 1 FROM {schema}."{table}" LIMIT 1').fetchone() is not None

    @staticmethod
    def _shape_of(conn: Any, schema: str) -> str:
        columns = conn.execute(
            "SELECT table_name, column_name, data_type, column_default FROM "
            "information_schema.columns WHERE table_schema = %s ORDER BY 1, 2",
            (schema,),
        ).fetchall()
        indexes = conn.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = %s ORDER BY 1",
            (schema,),
        ).fetchall()
        shape = repr(columns) + repr([(n, d.replace(f"{schema}.", "")) for n, d in indexes])
        return shape.replace(f"{schema}.", "")

    def fresh(self) -> Backend:
        if self._free:
            schema = self._free.pop()
        else:
            schema = f"t{next(self._counter)}"
            self._make(schema)
        return Backend("postgresql", self.url(schema), schema)

    def end_test(self, backend: Backend) -> None:
        """Close what the test left connected, and empty its schema for the next test."""
        schema = backend.schema
        with self.connect() as conn:
            conn.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = %s AND pid <> pg_backend_pid()",
                (self.dbname,),
            )
            if self._shape_of(conn, schema) != self._shape:
                conn.execute(f"DROP SCHEMA {schema} CASCADE")
                return
            with conn.transaction():
                # Rows go whatever the foreign keys say (the test is over).
                conn.execute("SET LOCAL session_replication_role = replica")
                for table in self._tables(conn, schema):
                    conn.execute(f'DELETE FROM {schema}."{table}"')
                for table in self._seeded:
                    conn.execute(f'INSERT INTO {schema}."{table}" SELECT * FROM tpl."{table}"')
                for (seq,) in conn.execute(
                    "SELECT sequencename FROM pg_sequences WHERE schemaname = %s", (schema,)
                ).fetchall():
                    conn.execute("SELECT setval(%s, 1, false)", (f"{schema}.{seq}",))
        self._free.append(schema)

    def stop(self) -> None:
        if not self.ready:
            return
        import psycopg

        with psycopg.connect(f"{self.base}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.dbname}" WITH (FORCE)')


def pg_dump_text(execute: Callable[[str, tuple[Any, ...]], Any]) -> str:
    """Every row of every table of the current schema as text, in a stable order.

    ``execute(sql, params)`` runs SQL with ``%s`` marks and returns a cursor.
    """
    lines = []
    tables = [
        r[0]
        for r in execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() "
            "ORDER BY tablename",
            (),
        ).fetchall()
    ]
    for table in tables:
        cur = execute(f'SELECT * FROM "{table}" LIMIT 0', ())
        n = len(cur.description or ())
        order = ", ".join(str(i) for i in range(1, n + 1))
        lines.append(f"-- {table}")
        lines += [
            repr(tuple(row))
            for row in execute(f'SELECT * FROM "{table}" ORDER BY {order}', ()).fetchall()
        ]
    return "\n".join(lines)


def dump_target(target: str) -> str:
    """The dump of the database at ``target`` (a SQLite file or a PostgreSQL URL)."""
    if "://" not in target:
        import sqlite3

        conn = sqlite3.connect(target)
        try:
            return "\n".join(conn.iterdump())
        finally:
            conn.close()
    import psycopg

    with psycopg.connect(target, autocommit=True) as conn:
        return pg_dump_text(lambda sql, params: conn.execute(sql, params))


def run_sql(target: str, statement: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Run one statement (``?`` marks) on the database at ``target``, committed; its rows."""
    if "://" not in target:
        import sqlite3

        conn = sqlite3.connect(target)
        try:
            with conn:
                cur = conn.execute(statement, params)
                return [tuple(r) for r in cur.fetchall()]
        finally:
            conn.close()
    import psycopg

    from crm.core.postgres import translate

    with psycopg.connect(target, autocommit=True) as conn:
        cur = conn.execute(translate(statement), params)
        return [tuple(r) for r in cur.fetchall()] if cur.description else []
